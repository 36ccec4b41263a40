#include "kiosk/content/Sqlite.h"

namespace kiosk::content {

namespace {

// A file: URI for `path` (sqlite.org/uri.html): the characters with a meaning in a URI escaped.
std::string file_uri(std::filesystem::path const& path, char const* query)
{
    std::string uri = "file:";
    char const* hex = "0123456789ABCDEF";
    for (unsigned char const c : std::filesystem::absolute(path).string()) {
        if (c == '%' || c == '?' || c == '#' || c < 0x21 || c >= 0x7F) {
            uri += '%';
            uri += hex[c >> 4];
            uri += hex[c & 15];
        } else {
            uri += char(c);
        }
    }
    return uri + "?" + query;
}

} // namespace

Result<Database> Database::open(std::filesystem::path const& path, OpenMode mode)
{
    sqlite3* raw = nullptr;
    // Untrusted packs are opened immutable: SQLite then reads the one file whose bytes were
    // verified, takes no locks and never reads or creates a -wal, -shm or -journal beside it (which
    // nobody signed). What `verify` checked is exactly what the display shows.
    bool const untrusted = mode == OpenMode::ReadOnlyUntrusted;
    int const flags = untrusted ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
                                : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    std::string const name = untrusted ? file_uri(path, "mode=ro&immutable=1") : path.string();
    int const rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
    SqlitePtr db(raw); // owned even on failure: sqlite3_open_v2 may allocate a handle anyway
    if (rc != SQLITE_OK)
        return make_error(
            path.string() + ": cannot open as SQLite: " + (db ? sqlite3_errmsg(db.get()) : "out of memory"));
    Database database(std::move(db), path.string());
    if (mode == OpenMode::ReadOnlyUntrusted) {
        // Pack bytes are hostile input. SQLite's guidance for untrusted databases
        // (sqlite.org/security.html): defensive mode, no trusted schema (no functions with side
        // effects from views/triggers), cell size checks, no memory-mapped I/O.
        sqlite3_db_config(database.handle(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
        sqlite3_db_config(database.handle(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
        sqlite3_db_config(database.handle(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
        sqlite3_db_config(database.handle(), SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
        sqlite3_limit(database.handle(), SQLITE_LIMIT_LENGTH, 64 * 1024 * 1024);
        sqlite3_limit(database.handle(), SQLITE_LIMIT_SQL_LENGTH, 100'000);
        KIOSK_TRY(database.exec("PRAGMA cell_size_check=ON; PRAGMA mmap_size=0;"));
    }
    return database;
}

std::string Database::error_text() const
{
    return sqlite3_errmsg(m_db.get());
}

Status Database::exec(std::string_view sql)
{
    char* message = nullptr;
    std::string const text(sql);
    int const rc = sqlite3_exec(m_db.get(), text.c_str(), nullptr, nullptr, &message);
    Owned<char, sqlite3_free> owned_message(message);
    if (rc != SQLITE_OK)
        return make_error(m_path + ": " + (message ? message : sqlite3_errstr(rc)));
    return {};
}

Result<Statement> Database::prepare(std::string_view sql)
{
    sqlite3_stmt* raw = nullptr;
    int const rc = sqlite3_prepare_v2(m_db.get(), sql.data(), int(sql.size()), &raw, nullptr);
    StatementPtr stmt(raw);
    if (rc != SQLITE_OK)
        return make_error(m_path + ": " + error_text());
    return Statement(this, std::move(stmt));
}

Statement& Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_stmt.get(), index, value);
    return *this;
}

Statement& Statement::bind(int index, std::string_view text)
{
    sqlite3_bind_text(m_stmt.get(), index, text.data(), int(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind_blob(int index, std::span<std::uint8_t const> blob)
{
    sqlite3_bind_blob64(m_stmt.get(), index, blob.data(), blob.size(), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind_null(int index)
{
    sqlite3_bind_null(m_stmt.get(), index);
    return *this;
}

Result<bool> Statement::step()
{
    int const rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return make_error(m_db->path_text() + ": " + m_db->error_text());
}

Status Statement::run()
{
    for (;;) {
        auto row = step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
    }
    reset();
    return {};
}

void Statement::reset()
{
    sqlite3_reset(m_stmt.get());
    sqlite3_clear_bindings(m_stmt.get());
}

std::int64_t Statement::column_int(int col)
{
    return sqlite3_column_int64(m_stmt.get(), col);
}

std::string Statement::column_text(int col)
{
    auto const* text = sqlite3_column_text(m_stmt.get(), col);
    int const size = sqlite3_column_bytes(m_stmt.get(), col);
    return text ? std::string(reinterpret_cast<char const*>(text), std::size_t(size)) : std::string();
}

std::vector<std::uint8_t> Statement::column_blob(int col)
{
    auto const* data = static_cast<std::uint8_t const*>(sqlite3_column_blob(m_stmt.get(), col));
    int const size = sqlite3_column_bytes(m_stmt.get(), col);
    return data ? std::vector<std::uint8_t>(data, data + size) : std::vector<std::uint8_t>();
}

bool Statement::column_is_null(int col)
{
    return sqlite3_column_type(m_stmt.get(), col) == SQLITE_NULL;
}
int Statement::column_type(int col)
{
    return sqlite3_column_type(m_stmt.get(), col);
}

Transaction::Transaction(Database& db)
    : m_db(db)
{
}

Transaction::~Transaction()
{
    if (m_open)
        (void)m_db.exec("ROLLBACK");
}

Status Transaction::begin()
{
    KIOSK_TRY(m_db.exec("BEGIN IMMEDIATE"));
    m_open = true;
    return {};
}

Status Transaction::commit()
{
    KIOSK_TRY(m_db.exec("COMMIT"));
    m_open = false;
    return {};
}

} // namespace kiosk::content
