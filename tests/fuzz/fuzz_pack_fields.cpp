// Fuzz target: the pack validator's checks of what the rows say (kiosk/content/PackReader), which
// byte mutations of a whole file (fuzz_pack.cpp) rarely reach because they break the B-tree first.
// The input is a list of edits, applied with SQLite to a copy of the seed pack
// (corpus/pack/demo-small.kpack): set any column of any row of meta, slides, slide_text or media
// to a fuzzed value (NULL, integer, real, text or blob), add or delete rows, or run a statement of
// the input's own (a trigger, a view, a changed table: schema checks). The result is read with
// read_pack as at import and checked as in fuzz_pack.cpp: an accepted pack obeys every bound and
// survives write_pack -> read_pack unchanged; a refusal names the file.
//
// Edit encoding (ByteReader): per edit one byte kind, then its operands (see below).

#include "PackChecks.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sqlite3.h>

using kiosk::fuzz::ByteReader;
using namespace kiosk::content;

namespace {

kiosk::fuzz::TempDir& temp_dir()
{
    static kiosk::fuzz::TempDir dir("pack-fields");
    return dir;
}

std::vector<char> const& seed_pack()
{
    static std::vector<char> const bytes = [] {
        std::ifstream in(KIOSK_SOURCE_DIR "/tests/fuzz/corpus/pack/demo-small.kpack", std::ios::binary);
        std::vector<char> out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (out.empty()) {
            std::fprintf(stderr, "cannot read the seed pack\n");
            std::abort();
        }
        return out;
    }();
    return bytes;
}

struct Table {
    char const* name;
    std::vector<char const*> columns;
};

std::array<Table, 4> const tables { {
    { "meta", { "key", "value" } },
    { "slides", { "id", "position", "name", "layout", "category", "duration_ms", "transition", "accent", "media_id" } },
    { "slide_text", { "slide_id", "lang", "field", "text" } },
    { "media", { "id", "sha256", "mime", "width", "height", "data" } },
} };

// Values the validator compares against, so the mutator need not guess them byte by byte.
std::array<char const*, 24> const words { "pack_id", "version", "languages", "default_language", "display", "target",
    "language_mode", "created", "title.en", "title.zh", "en", "zh", "en,zh", "hero", "stats", "text", "quote", "kicker",
    "body", "stat.4.label", "image/png", "image/jpeg", "1920x1080", "toggle" };

void bind_value(sqlite3_stmt* stmt, int index, ByteReader& in)
{
    switch (in.byte() % 8) {
    case 0:
        sqlite3_bind_null(stmt, index);
        break;
    case 1: // small integers around the bounds (durations, sizes, ids, versions)
        sqlite3_bind_int64(stmt, index, std::int64_t(std::int32_t(in.u32())) % 700'000);
        break;
    case 2: // any 64-bit integer
        sqlite3_bind_int64(stmt, index, std::int64_t(in.u64()));
        break;
    case 3:
        sqlite3_bind_double(stmt, index, double(std::int32_t(in.u32())) / 7.0);
        break;
    case 4:
    case 5: { // a known word
        char const* word = words[in.byte() % words.size()];
        sqlite3_bind_text(stmt, index, word, -1, SQLITE_TRANSIENT);
        break;
    }
    case 6: { // text of the input's bytes, valid UTF-8 or not, up to 5,000 bytes
        std::size_t const length = std::min<std::size_t>(in.u16() % 5'001, in.remaining());
        std::string text;
        for (std::size_t i = 0; i < length; ++i)
            text.push_back(char(in.byte()));
        sqlite3_bind_text(stmt, index, text.data(), int(text.size()), SQLITE_TRANSIENT);
        break;
    }
    default: { // a blob: the bytes of another row's image, cut or not
        std::size_t const length = std::min<std::size_t>(in.u16(), in.remaining());
        std::vector<std::uint8_t> blob;
        for (std::size_t i = 0; i < length; ++i)
            blob.push_back(in.byte());
        sqlite3_bind_blob(stmt, index, blob.data(), int(blob.size()), SQLITE_TRANSIENT);
        break;
    }
    }
}

void run(sqlite3* db, std::string const& sql, ByteReader& in, int values)
{
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
        return;
    for (int i = 1; i <= values; ++i)
        bind_value(stmt, i, in);
    sqlite3_step(stmt); // a constraint violation is fine: the edit just does not happen
    sqlite3_finalize(stmt);
}

void apply_edits(sqlite3* db, ByteReader& in, int& steps)
{
    int edits = 0;
    while (!in.empty() && edits++ < 16) {
        steps = 0; // the progress budget is per statement
        std::uint8_t const kind = in.byte();
        Table const& table = tables[(kind >> 3) % tables.size()];
        std::string const name = table.name;
        std::string const row
            = " WHERE rowid = (SELECT rowid FROM " + name + " LIMIT 1 OFFSET " + std::to_string(in.byte() % 64) + ")";
        switch (kind % 8) {
        case 0:
        case 1:
        case 2: // set one column of one row
            run(db, "UPDATE " + name + " SET " + table.columns[in.byte() % table.columns.size()] + " = ?" + row, in, 1);
            break;
        case 3: // a meta row of a known key
            run(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", in, 2);
            break;
        case 4: { // a new row
            std::string placeholders;
            for (std::size_t i = 0; i < table.columns.size(); ++i)
                placeholders += i ? ", ?" : "?";
            run(db, "INSERT INTO " + name + " VALUES(" + placeholders + ")", in, int(table.columns.size()));
            break;
        }
        case 5: // a row less
            run(db, "DELETE FROM " + name + row, in, 0);
            break;
        case 6: { // the input's own statement (schema changes, pragmas), up to 300 bytes
            std::size_t const length = std::min<std::size_t>(in.byte() + 1u, in.remaining());
            std::string sql;
            for (std::size_t i = 0; i < length; ++i)
                sql.push_back(char(in.byte()));
            // Nothing that writes outside the temporary folder (VACUUM INTO, ATTACH, temp_store_directory).
            std::string lower = sql;
            std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) { return char(std::tolower(c)); });
            if (lower.find("vacuum") == std::string::npos && lower.find("attach") == std::string::npos
                && lower.find("directory") == std::string::npos)
                sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
            break;
        }
        default: // a pragma the reader reads
            run(db, "PRAGMA user_version = " + std::to_string(in.byte() % 4), in, 0);
            break;
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    auto& dir = temp_dir();
    auto const& seed = seed_pack();
    auto const path = dir.write("input.kpack", reinterpret_cast<std::uint8_t const*>(seed.data()), seed.size());
    {
        sqlite3* db = nullptr;
        int steps = 0;
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            std::fprintf(stderr, "cannot open the copy of the seed pack\n");
            std::abort();
        }
        // The statements of the input must not reach outside the temporary folder.
        sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
        sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
        // An endless recursive query is not the reader's problem: stop any statement after ~10^6 steps.
        sqlite3_progress_handler(
            db, 1000, [](void* counter) { return ++*static_cast<int*>(counter) > 1000 ? 1 : 0; }, &steps);
        // The copy is scratch: no fsync per edit.
        sqlite3_exec(db, "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY;", nullptr, nullptr, nullptr);
        ByteReader in(data, size);
        apply_edits(db, in, steps);
        sqlite3_close_v2(db);
    }
    auto const pack = read_pack(path, IntegrityCheck::Full);
    if (kiosk::fuzz::verbose())
        std::fprintf(stderr, "  %s\n",
            pack ? ("accepted, " + std::to_string(pack->slides.size()) + " slides").c_str()
                 : ("refused: " + pack.message()).c_str());
    if (!pack)
        KIOSK_FUZZ_CHECK(
            pack.message().starts_with(path.string()), "a refusal that does not name the file: " + pack.message());
    else
        kiosk::fuzz::check_accepted_pack(pack.value(), dir);
    dir.clear();
    return 0;
}
