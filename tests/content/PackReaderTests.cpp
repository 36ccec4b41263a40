// The reader treats every pack as hostile: each kind of damage is refused with a message that
// says what is wrong, never a crash and never a half-read pack.

#include "../support/TestSupport.h"
#include "kiosk/content/PackReader.h"
#include "kiosk/content/Sqlite.h"
#include "kiosk/content/Text.h"

#include <catch2/catch.hpp>
#include <fstream>

using namespace kiosk;
using kiosk::test::TempDir;

namespace {

content::Pack sample_pack()
{
    content::Pack pack;
    pack.meta.pack_id = "unit";
    pack.meta.version = 5;
    pack.meta.languages = { "en", "zh" };
    pack.meta.default_language = "en";
    pack.meta.title = { { "en", "Unit" }, { "zh", "单元" } };
    content::Image image;
    image.width_px = 8;
    image.height_px = 4;
    image.rgba.assign(8 * 4 * 4, 200);
    content::Media media;
    media.id = 1;
    media.mime = "image/png";
    media.data = content::encode_png(image);
    media.sha256 = content::sha256_hex(media.data);
    media.width_px = 8;
    media.height_px = 4;
    pack.media.emplace(1, media);
    content::Slide slide;
    slide.id = 1;
    slide.name = "01-one";
    slide.duration_ms = 4000;
    slide.media_id = 1;
    slide.text["en"].title = "One";
    slide.text["zh"].title = "一";
    pack.slides.push_back(slide);
    return pack;
}

void modify(std::filesystem::path const& path, std::string const& sql)
{
    auto db = content::Database::open(path, content::OpenMode::CreateReadWrite);
    REQUIRE(db.ok());
    auto done = db->exec(sql);
    INFO((done ? "" : done.message()));
    REQUIRE(done.ok());
}

} // namespace

TEST_CASE("a written pack reads back equal", "[content]")
{
    TempDir dir;
    REQUIRE(content::write_pack(sample_pack(), dir / "p.kpack").ok());
    auto pack = content::read_pack(dir / "p.kpack", content::IntegrityCheck::Full);
    REQUIRE(pack.ok());
    CHECK(pack->meta.version == 5);
    CHECK(pack->slides.at(0).text_in("zh").title == "一");
    CHECK(pack->media.at(1).width_px == 8);
}

TEST_CASE("damaged packs are refused with the reason", "[content]")
{
    TempDir dir;
    auto const path = dir / "p.kpack";
    struct Case {
        char const* sql;
        char const* expected;
    };
    Case const cases[] = {
        { "CREATE TABLE extra(x)", "unexpected table 'extra'" },
        { "CREATE TRIGGER t AFTER INSERT ON meta BEGIN SELECT 1; END", "unexpected trigger 't'" },
        { "CREATE VIEW v AS SELECT 1", "unexpected view 'v'" },
        { "PRAGMA user_version=7", "pack format version 7" },
        { "UPDATE slides SET duration_ms=5", "duration_ms 5 is outside" },
        { "UPDATE slides SET layout='carousel'", "unknown layout 'carousel'" },
        { "UPDATE slide_text SET text=CAST(X'C328' AS TEXT) WHERE lang='en'", "not valid UTF-8" },
        { "UPDATE media SET data=X'89504E470D0A1A0A'", "does not match the recorded hash" },
        { "DELETE FROM slides", "no slides" },
        { "DELETE FROM meta WHERE key='pack_id'", "missing 'pack_id'" },
        { "UPDATE meta SET value='-3' WHERE key='version'", "'version' must be a positive integer" },
        { "INSERT INTO slide_text VALUES(1,'en','script','x')", "unknown field" },
        { "INSERT INTO slide_text VALUES(1,'fr','title','Un')", "language not listed" },
    };
    for (auto const& c : cases) {
        std::filesystem::remove(path);
        REQUIRE(content::write_pack(sample_pack(), path).ok());
        modify(path, c.sql);
        auto pack = content::read_pack(path);
        INFO(c.sql);
        REQUIRE_FALSE(pack.ok());
        CHECK_THAT(pack.message(), Catch::Contains(c.expected));
        CHECK_THAT(pack.message(), Catch::StartsWith(path.string()));
    }
}

TEST_CASE("an image declaring huge dimensions is refused before decoding", "[content]")
{
    TempDir dir;
    auto const path = dir / "p.kpack";
    content::Pack pack = sample_pack();
    // A PNG header claiming 100000 x 100000 pixels followed by nothing.
    std::vector<std::uint8_t> bomb = { 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0,
        1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 6, 0, 0, 0, 0, 0, 0, 0 };
    auto& media = pack.media.at(1);
    media.data = bomb;
    media.sha256 = content::sha256_hex(bomb);
    REQUIRE(content::write_pack(pack, path).ok());
    auto read = content::read_pack(path);
    REQUIRE_FALSE(read.ok());
    CHECK_THAT(read.message(), Catch::Contains("unreadable image header") || Catch::Contains("more than the limit"));
}

TEST_CASE("a truncated or non-SQLite file is refused", "[content]")
{
    TempDir dir;
    auto const path = dir / "p.kpack";
    REQUIRE(content::write_pack(sample_pack(), path).ok());
    std::string bytes = test::read_text(path);
    test::write_text(path, bytes.substr(0, bytes.size() / 2));
    auto truncated = content::read_pack(path);
    REQUIRE_FALSE(truncated.ok());
    CHECK_THAT(truncated.message(), Catch::StartsWith(path.string()));

    test::write_text(path, "hello, I am not a database at all, just text that is long enough........");
    auto text = content::read_pack(path);
    REQUIRE_FALSE(text.ok());
    CHECK_THAT(text.message(), Catch::Contains("not a content pack") || Catch::Contains("not a database"));

    auto missing = content::read_pack(dir / "nope.kpack");
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.message(), Catch::Contains("nope.kpack: cannot open pack"));
}

TEST_CASE("UTF-8 validation rejects malformed sequences", "[content]")
{
    CHECK(content::is_valid_utf8("中文 and English"));
    CHECK_FALSE(content::is_valid_utf8("\xC3\x28"));
    CHECK_FALSE(content::is_valid_utf8("\xED\xA0\x80")); // a surrogate
    CHECK_FALSE(content::is_valid_utf8("\xC0\xAF")); // overlong '/'
    CHECK_FALSE(content::is_valid_utf8("\xF4\x90\x80\x80")); // past U+10FFFF
    CHECK(content::decode_utf8("中a").size() == 2);
}
