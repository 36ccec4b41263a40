#pragma once

// Thin RAII wrappers over SQLite (after Chromium's sql/): Database owns the connection, Statement owns
// a prepared statement, Transaction rolls back in its destructor unless committed.
// Thread-safety: a Database and its Statements belong to one thread.
// On error, calls return a Result whose message carries SQLite's own text and the file name.

#include "platform/Handles.h"
#include "platform/Result.h"

#include <cstdint>
#include <filesystem>
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

class Database {
public:
    static Result<Database> open(std::filesystem::path const& path, OpenMode mode);

    Status exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);
    sqlite3* handle() { return m_db.get(); }
    std::string const& path_text() const { return m_path; }
    std::string error_text() const;

private:
    Database(SqlitePtr db, std::string path)
        : m_db(std::move(db))
        , m_path(std::move(path))
    {
    }
    SqlitePtr m_db;
    std::string m_path;
};

class Statement {
public:
    // Binds are 1-based as in SQLite.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view text);
    Statement& bind_blob(int index, std::span<std::uint8_t const> blob);
    Statement& bind_null(int index);

    // Steps once: true with a row, false when done; an error returns the message.
    Result<bool> step();
    // Steps to completion (INSERT/UPDATE).
    Status run();
    void reset();

    std::int64_t column_int(int col);
    std::string column_text(int col);
    std::vector<std::uint8_t> column_blob(int col);
    bool column_is_null(int col);
    int column_type(int col);

private:
    friend class Database;
    Statement(Database* db, StatementPtr stmt)
        : m_db(db)
        , m_stmt(std::move(stmt))
    {
    }
    Database* m_db;
    StatementPtr m_stmt;
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
    Database& m_db;
    bool m_open { false };
};

} // namespace kiosk::content
