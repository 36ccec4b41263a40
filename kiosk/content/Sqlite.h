#pragma once

// Thin RAII wrappers over SQLite (after Chromium's sql/): Database owns the connection, Statement owns
// a prepared statement, Transaction rolls back in its destructor unless committed.
//
// Ownership: the connection lives in a shared Connection that the Database, each Statement and each
// Transaction hold, so a Statement never points into a Database that was moved or destroyed, and
// the connection closes after its last statement is finalized.
// Thread-safety: a Database and its Statements belong to one thread (connections open NOMUTEX).
// Errors: every call that can fail says so in its result. A Statement records its first error (a
// failed bind or step); from then on it is inert (binds and steps do nothing, step() is false) until
// reset(), and status() or run() returns that error. Messages carry the file name and SQLite's text.

#include "platform/Handles.h"
#include "platform/Result.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <sqlite3.h>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::content {

using SqlitePtr = Owned<sqlite3, sqlite3_close_v2>;
using StatementPtr = Owned<sqlite3_stmt, sqlite3_finalize>;

enum class OpenMode {
    // Untrusted packs: read-only, defensive, no mmap, no trusted schema (see Sqlite.cpp).
    ReadOnlyUntrusted,
    // The authoring tool writing a new pack.
    CreateReadWrite,
};

class Statement;

namespace detail {
// The open connection and its file name, shared by the Database and everything prepared on it.
struct Connection {
    SqlitePtr db;
    std::string path;

    Status exec(std::string_view sql);
    // "<file>: <SQLite's message for rc, or the connection's last error>".
    Error error(int rc) const;
};
} // namespace detail

class Database {
public:
    static Result<Database> open(std::filesystem::path const& path, OpenMode mode);

    Status exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);
    sqlite3* handle() { return m_connection->db.get(); }
    std::string const& path_text() const { return m_connection->path; }

private:
    explicit Database(std::shared_ptr<detail::Connection> connection)
        : m_connection(std::move(connection))
    {
    }
    friend class Transaction;
    std::shared_ptr<detail::Connection> m_connection;
};

class Statement {
public:
    // Binds are 1-based as in SQLite. A failed bind is recorded and makes the statement inert.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view text);
    Statement& bind_blob(int index, std::span<std::uint8_t const> blob);
    Statement& bind_null(int index);

    // Steps once: true with a row to read, false when done or after an error (see status()).
    // Written as `while (statement.step()) { ... }` followed by a check of status().
    [[nodiscard]] bool step();
    // OK, or the first error recorded since the statement was prepared or last reset.
    Status status() const;
    // Steps to completion (INSERT/UPDATE), then resets for the next use; returns status().
    Status run();
    // Makes the statement ready to run again: clears bindings, the recorded error and the row state.
    void reset();

    // Column accessors read the current row (after step() returned true); cols are 0-based.
    std::int64_t column_int(int col);
    std::string column_text(int col);
    std::vector<std::uint8_t> column_blob(int col);
    bool column_is_null(int col);
    int column_type(int col);

private:
    friend class Database;
    Statement(std::shared_ptr<detail::Connection> connection, StatementPtr stmt)
        : m_connection(std::move(connection))
        , m_stmt(std::move(stmt))
    {
    }
    void record(int rc);

    enum class State {
        Ready, // prepared or reset, not stepped yet
        Row, // the last step returned a row
        Done, // the statement ran to completion: stepping again would silently rerun it
        Failed, // inert: an error is recorded in m_error
    };

    // Declared first so it is destroyed last: the statement is finalized before the connection closes.
    std::shared_ptr<detail::Connection> m_connection;
    StatementPtr m_stmt;
    State m_state { State::Ready };
    std::optional<Error> m_error;
};

class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(Transaction const&) = delete;
    Transaction& operator=(Transaction const&) = delete;
    Status begin();
    Status commit();

private:
    std::shared_ptr<detail::Connection> m_connection;
    bool m_open { false };
};

} // namespace kiosk::content
