// The SQLite wrappers record errors on the statement: a failed bind or step makes the statement
// inert and its status says what went wrong and in which file; nothing dangles after a move.

#include "../support/TestSupport.h"
#include "kiosk/content/Sqlite.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using kiosk::test::TempDir;

namespace {

content::Database open_new(std::filesystem::path const& path)
{
    auto db = content::Database::open(path, content::OpenMode::CreateReadWrite);
    REQUIRE(db.ok());
    REQUIRE(db->exec("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL)").ok());
    return std::move(db.value());
}

std::vector<std::string> names(content::Database& db)
{
    auto select = db.prepare("SELECT name FROM t ORDER BY id");
    REQUIRE(select.ok());
    std::vector<std::string> out;
    while (select->step())
        out.push_back(select->column_text(0));
    REQUIRE(select->status().ok());
    return out;
}

} // namespace

TEST_CASE("rows are read with while (step()) and the status is checked once", "[content]")
{
    TempDir dir;
    auto db = open_new(dir / "t.db");
    auto insert = db.prepare("INSERT INTO t(id, name) VALUES(?, ?)");
    REQUIRE(insert.ok());
    REQUIRE(insert->bind(1, std::int64_t(1)).bind(2, "one").run().ok());
    REQUIRE(insert->bind(1, std::int64_t(2)).bind(2, "二").run().ok());
    CHECK(names(db) == std::vector<std::string> { "one", "二" });
}

TEST_CASE("a finished statement does not silently run again", "[content]")
{
    TempDir dir;
    auto db = open_new(dir / "t.db");
    auto insert = db.prepare("INSERT INTO t(id, name) VALUES(1, 'once')");
    REQUIRE(insert.ok());
    CHECK_FALSE(insert->step());
    // SQLite would re-execute a DONE statement on the next step; the wrapper does not.
    CHECK_FALSE(insert->step());
    CHECK(insert->status().ok());
    CHECK(names(db).size() == 1);
}

TEST_CASE("a failed bind is recorded and makes the statement inert", "[content]")
{
    TempDir dir;
    auto db = open_new(dir / "t.db");
    auto insert = db.prepare("INSERT INTO t(id, name) VALUES(?, ?)");
    REQUIRE(insert.ok());
    // Index 3 does not exist: SQLITE_RANGE. The later valid binds and the step must do nothing.
    auto status = insert->bind(3, "x").bind(1, std::int64_t(7)).bind(2, "seven").run();
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.message(), Catch::StartsWith((dir / "t.db").string() + ": "));
    CHECK_THAT(status.message(), Catch::Contains("range"));
    CHECK(names(db).empty());

    // run() reset it: the statement is usable again.
    REQUIRE(insert->bind(1, std::int64_t(7)).bind(2, "seven").run().ok());
    CHECK(names(db) == std::vector<std::string> { "seven" });
}

TEST_CASE("a failed step is recorded with SQLite's message", "[content]")
{
    TempDir dir;
    auto db = open_new(dir / "t.db");
    auto insert = db.prepare("INSERT INTO t(id, name) VALUES(?, ?)");
    REQUIRE(insert.ok());
    REQUIRE(insert->bind(1, std::int64_t(1)).bind(2, "a").run().ok());
    // Same primary key again: a constraint failure during the step.
    insert->bind(1, std::int64_t(1)).bind(2, "b");
    CHECK_FALSE(insert->step());
    auto status = insert->status();
    REQUIRE_FALSE(status.ok());
    CHECK_THAT(status.message(), Catch::Contains("UNIQUE constraint failed"));
    // Inert: stepping again neither runs nor clears the error.
    CHECK_FALSE(insert->step());
    CHECK_FALSE(insert->status().ok());
    insert->reset();
    CHECK(insert->status().ok());
}

TEST_CASE("statements stay valid when their Database is moved", "[content]")
{
    TempDir dir;
    auto first = open_new(dir / "t.db");
    REQUIRE(first.exec("INSERT INTO t VALUES(1, 'kept')").ok());
    auto select = first.prepare("SELECT name FROM t");
    REQUIRE(select.ok());
    content::Database moved = std::move(first);
    {
        content::Database again = std::move(moved);
    }
    // Every Database object is gone; the statement still owns the connection it was prepared on.
    REQUIRE(select->step());
    CHECK(select->column_text(0) == "kept");
    CHECK(select->status().ok());
}

TEST_CASE("prepare errors name the file and the problem", "[content]")
{
    TempDir dir;
    auto db = open_new(dir / "t.db");
    auto bad = db.prepare("SELECT name FROM missing_table");
    REQUIRE_FALSE(bad.ok());
    CHECK_THAT(bad.message(), Catch::StartsWith((dir / "t.db").string() + ": "));
    CHECK_THAT(bad.message(), Catch::Contains("no such table: missing_table"));
    auto empty = db.prepare("  -- only a comment");
    CHECK_FALSE(empty.ok());
}

TEST_CASE("an untrusted open has triggers and views disabled", "[content]")
{
    TempDir dir;
    {
        auto db = open_new(dir / "t.db");
        REQUIRE(db.exec("CREATE VIEW v AS SELECT name FROM t").ok());
        REQUIRE(db.exec("INSERT INTO t VALUES(1, 'x')").ok());
    }
    auto db = content::Database::open(dir / "t.db", content::OpenMode::ReadOnlyUntrusted);
    REQUIRE(db.ok());
    // SQLITE_DBCONFIG_ENABLE_VIEW=0 took effect: the view cannot be used.
    auto view = db->prepare("SELECT * FROM v");
    CHECK_FALSE(view.ok());
    // Read-only: a write fails with a message instead of changing the pack.
    auto write = db->exec("INSERT INTO t VALUES(2, 'y')");
    REQUIRE_FALSE(write.ok());
    CHECK_THAT(write.message(), Catch::Contains("readonly"));
}

TEST_CASE("a transaction rolls back unless committed", "[content]")
{
    TempDir dir;
    auto db = open_new(dir / "t.db");
    {
        content::Transaction transaction(db);
        REQUIRE(transaction.begin().ok());
        REQUIRE(db.exec("INSERT INTO t VALUES(1, 'dropped')").ok());
    }
    CHECK(names(db).empty());
    {
        content::Transaction transaction(db);
        REQUIRE(transaction.begin().ok());
        REQUIRE(db.exec("INSERT INTO t VALUES(1, 'kept')").ok());
        REQUIRE(transaction.commit().ok());
    }
    CHECK(names(db) == std::vector<std::string> { "kept" });
}
