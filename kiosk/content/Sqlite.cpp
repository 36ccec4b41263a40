#include "kiosk/content/Sqlite.h"

#include <cassert>

namespace kiosk::content {

namespace detail {

Status Connection::exec(std::string_view sql)
{
    char* message = nullptr;
    std::string const text(sql);
    int const rc = sqlite3_exec(db.get(), text.c_str(), nullptr, nullptr, &message);
    Owned<char, sqlite3_free> owned_message(message);
    if (rc != SQLITE_OK)
        return make_error(path + ": " + (message ? message : sqlite3_errstr(rc)));
    return {};
}

Error Connection::error(int rc) const
{
    // The connection's message is the detailed one ("no such table: x") when it belongs to rc; a
    // bind error such as SQLITE_RANGE may leave an older message there, so fall back to rc's text.
    int const last = sqlite3_errcode(db.get());
    char const* text = last == rc ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc);
    return make_error(path + ": " + text);
}

} // namespace detail

namespace {

// Sets one boolean sqlite3_db_config option and reads it back: a hardening setting this SQLite does
// not know (or refuses) must stop the open, not be silently absent.
Status set_db_option(detail::Connection& connection, int option, int value, char const* name)
{
    int now = -1;
    int const rc = sqlite3_db_config(connection.db.get(), option, value, &now);
    if (rc != SQLITE_OK || now != value)
        return make_error(connection.path + ": cannot set SQLite option " + name + " (" + sqlite3_errstr(rc) + ")");
    return {};
}

} // namespace

Result<Database> Database::open(std::filesystem::path const& path, OpenMode mode)
{
    sqlite3* raw = nullptr;
    int const flags = mode == OpenMode::ReadOnlyUntrusted
        ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
        : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int const rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    SqlitePtr db(raw); // owned even on failure: sqlite3_open_v2 may allocate a handle anyway
    if (rc != SQLITE_OK)
        return make_error(
            path.string() + ": cannot open as SQLite: " + (db ? sqlite3_errmsg(db.get()) : "out of memory"));
    auto connection = std::make_shared<detail::Connection>(detail::Connection { std::move(db), path.string() });
    if (mode == OpenMode::ReadOnlyUntrusted) {
        // Pack bytes are hostile input. SQLite's guidance for untrusted databases
        // (sqlite.org/security.html): defensive mode, no trusted schema (no functions with side
        // effects from views/triggers), cell size checks, no memory-mapped I/O.
        KIOSK_TRY(set_db_option(*connection, SQLITE_DBCONFIG_DEFENSIVE, 1, "DEFENSIVE"));
        KIOSK_TRY(set_db_option(*connection, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, "TRUSTED_SCHEMA"));
        KIOSK_TRY(set_db_option(*connection, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, "ENABLE_TRIGGER"));
        KIOSK_TRY(set_db_option(*connection, SQLITE_DBCONFIG_ENABLE_VIEW, 0, "ENABLE_VIEW"));
        // sqlite3_limit cannot fail; it returns the previous limit.
        sqlite3_limit(connection->db.get(), SQLITE_LIMIT_LENGTH, 64 * 1024 * 1024);
        sqlite3_limit(connection->db.get(), SQLITE_LIMIT_SQL_LENGTH, 100'000);
        KIOSK_TRY(connection->exec("PRAGMA cell_size_check=ON; PRAGMA mmap_size=0;"));
    }
    return Database(std::move(connection));
}

Status Database::exec(std::string_view sql)
{
    assert(m_connection && "used a moved-from Database");
    return m_connection->exec(sql);
}

Result<Statement> Database::prepare(std::string_view sql)
{
    assert(m_connection && "used a moved-from Database");
    sqlite3_stmt* raw = nullptr;
    int const rc = sqlite3_prepare_v2(m_connection->db.get(), sql.data(), int(sql.size()), &raw, nullptr);
    StatementPtr stmt(raw);
    if (rc != SQLITE_OK)
        return m_connection->error(rc);
    if (!stmt) // only whitespace or a comment: nothing to run, which is a programming error here
        return make_error(m_connection->path + ": empty SQL statement");
    return Statement(m_connection, std::move(stmt));
}

void Statement::record(int rc)
{
    if (rc == SQLITE_OK || m_state == State::Failed)
        return;
    m_error = m_connection->error(rc);
    m_state = State::Failed;
}

Statement& Statement::bind(int index, std::int64_t value)
{
    if (m_state != State::Failed)
        record(sqlite3_bind_int64(m_stmt.get(), index, value));
    return *this;
}

Statement& Statement::bind(int index, std::string_view text)
{
    if (m_state != State::Failed)
        record(sqlite3_bind_text64(m_stmt.get(), index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Statement& Statement::bind_blob(int index, std::span<std::uint8_t const> blob)
{
    if (m_state != State::Failed)
        record(sqlite3_bind_blob64(m_stmt.get(), index, blob.data(), blob.size(), SQLITE_TRANSIENT));
    return *this;
}

Statement& Statement::bind_null(int index)
{
    if (m_state != State::Failed)
        record(sqlite3_bind_null(m_stmt.get(), index));
    return *this;
}

bool Statement::step()
{
    if (m_state == State::Failed || m_state == State::Done)
        return false;
    int const rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW) {
        m_state = State::Row;
        return true;
    }
    if (rc == SQLITE_DONE) {
        m_state = State::Done;
        return false;
    }
    record(rc);
    return false;
}

Status Statement::status() const
{
    if (m_error)
        return *m_error;
    return {};
}

Status Statement::run()
{
    while (step()) { }
    Status result = status();
    reset();
    return result;
}

void Statement::reset()
{
    // Both return the error of the last step (already recorded) or SQLITE_OK: nothing new to check.
    sqlite3_reset(m_stmt.get());
    sqlite3_clear_bindings(m_stmt.get());
    m_state = State::Ready;
    m_error.reset();
}

std::int64_t Statement::column_int(int col)
{
    assert(m_state == State::Row);
    return sqlite3_column_int64(m_stmt.get(), col);
}

std::string Statement::column_text(int col)
{
    assert(m_state == State::Row);
    auto const* text = sqlite3_column_text(m_stmt.get(), col);
    int const size = sqlite3_column_bytes(m_stmt.get(), col);
    return text ? std::string(reinterpret_cast<char const*>(text), std::size_t(size)) : std::string();
}

std::vector<std::uint8_t> Statement::column_blob(int col)
{
    assert(m_state == State::Row);
    auto const* data = static_cast<std::uint8_t const*>(sqlite3_column_blob(m_stmt.get(), col));
    int const size = sqlite3_column_bytes(m_stmt.get(), col);
    return data ? std::vector<std::uint8_t>(data, data + size) : std::vector<std::uint8_t>();
}

bool Statement::column_is_null(int col)
{
    return column_type(col) == SQLITE_NULL;
}

int Statement::column_type(int col)
{
    assert(m_state == State::Row);
    return sqlite3_column_type(m_stmt.get(), col);
}

Transaction::Transaction(Database& db)
    : m_connection(db.m_connection)
{
}

Transaction::~Transaction()
{
    // A destructor cannot report: the ROLLBACK only fails when the connection already rolled back
    // by itself (SQLite does so on some I/O errors), which leaves the same state we want.
    if (m_open)
        (void)m_connection->exec("ROLLBACK");
}

Status Transaction::begin()
{
    KIOSK_TRY(m_connection->exec("BEGIN IMMEDIATE"));
    m_open = true;
    return {};
}

Status Transaction::commit()
{
    KIOSK_TRY(m_connection->exec("COMMIT"));
    m_open = false;
    return {};
}

} // namespace kiosk::content
