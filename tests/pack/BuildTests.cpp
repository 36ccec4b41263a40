// The authoring tool's build: source folder -> pack -> reader, and the errors an editor meets.

#include "../support/TestSupport.h"
#include "kiosk/content/PackReader.h"
#include "kiosk/content/Sqlite.h"
#include "kiosk/pack/Source.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using kiosk::test::TempDir;

namespace {

std::string build(TempDir const& dir, std::string const& extra = "", int* status = nullptr)
{
    std::string output;
    int const rc = test::run_command(std::string(KIOSK_PACK_BIN) + " build " + test::quote(dir / "src") + " -o "
            + test::quote(dir / "out.kpack") + " " + extra,
        &output);
    if (status)
        *status = rc;
    return output;
}

} // namespace

TEST_CASE("a source folder builds into a pack that reads back with every text and image", "[pack]")
{
    TempDir dir;
    test::write_sample_source(dir / "src");
    int rc = -1;
    std::string const output = build(dir, "", &rc);
    INFO(output);
    REQUIRE(rc == 0);
    auto pack = content::read_pack(dir / "out.kpack", content::IntegrityCheck::Full);
    INFO((pack ? "" : pack.message()));
    REQUIRE(pack.ok());
    CHECK(pack->meta.pack_id == "test-pack");
    CHECK(pack->meta.version == 1);
    CHECK(pack->meta.target == "lobby-*");
    CHECK(pack->meta.languages == std::vector<std::string> { "en", "zh" });
    CHECK(pack->meta.title.at("zh") == "测试内容包");
    REQUIRE(pack->slides.size() == 2);
    CHECK(pack->slides[0].layout == content::Layout::Hero);
    CHECK(pack->slides[0].duration_ms == 5000);
    CHECK(pack->slides[0].text_in("zh").title == "国际合作");
    CHECK(pack->slides[1].text_in("en").stats.size() == 2);
    CHECK(pack->slides[1].text_in("zh").stats[1].value == "24 亿");
    REQUIRE(pack->media_for(pack->slides[0]) != nullptr);
    // The 320x180 image is smaller than the display: kept as is, never scaled up.
    CHECK(pack->media_for(pack->slides[0])->width_px == 320);
}

TEST_CASE("two builds of the same source are byte-identical", "[pack]")
{
    TempDir dir;
    test::write_sample_source(dir / "src");
    REQUIRE(test::run_command(std::string(KIOSK_PACK_BIN) + " build " + test::quote(dir / "src") + " -o "
                + test::quote(dir / "a.kpack"))
        == 0);
    REQUIRE(test::run_command(std::string(KIOSK_PACK_BIN) + " build " + test::quote(dir / "src") + " -o "
                + test::quote(dir / "b.kpack"))
        == 0);
    CHECK(test::read_text(dir / "a.kpack") == test::read_text(dir / "b.kpack"));
}

TEST_CASE("large images are scaled down to cover the display size", "[pack]")
{
    TempDir dir;
    test::write_sample_source(dir / "src");
    test::write_png(dir / "src/images/a.png", 3000, 1000);
    int rc = -1;
    build(dir, "--display 1280x720", &rc);
    REQUIRE(rc == 0);
    auto pack = content::read_pack(dir / "out.kpack");
    REQUIRE(pack.ok());
    auto const* media = pack->media_for(pack->slides[0]);
    REQUIRE(media);
    // Covers 1280x720: the height reaches 720, the width keeps the 3:1 aspect.
    CHECK(media->height_px == 720);
    CHECK(media->width_px == 2160);
}

TEST_CASE("the version only grows unless forced", "[pack]")
{
    TempDir dir;
    test::write_sample_source(dir / "src", 3);
    int rc = -1;
    build(dir, "", &rc);
    REQUIRE(rc == 0);
    std::string const output = build(dir, "", &rc);
    CHECK(rc == 2);
    CHECK_THAT(output, Catch::Contains("already holds version 3"));
    build(dir, "--version 4", &rc);
    CHECK(rc == 0);
    build(dir, "--version 2 --force-version", &rc);
    CHECK(rc == 0);
    CHECK(content::read_pack(dir / "out.kpack")->meta.version == 2);
}

TEST_CASE("source mistakes are reported with file, line and field, and no pack is written", "[pack]")
{
    TempDir dir;
    test::write_sample_source(dir / "src");
    struct Case {
        char const* content;
        char const* expected;
    };
    Case const cases[] = {
        { "layout = \"hero\"\nduration_ms = \"long\"\nimage = "
          "\"images/a.png\"\n[en]\ntitle=\"t\"\nbody=\"b\"\n[zh]\ntitle=\"t\"\nbody=\"b\"\n",
            "03-bad.toml:2: duration_ms: must be an integer, not a string" },
        { "layout = \"hero\"\nduration_ms = 5000\nimage = "
          "\"images/missing.png\"\n[en]\ntitle=\"t\"\nbody=\"b\"\n[zh]\ntitle=\"t\"\nbody=\"b\"\n",
            "03-bad.toml:3: image:" },
        { "layout = \"hero\"\nduration_ms = 5000\nimage = \"images/a.png\"\n[en]\ntitle=\"t\"\nbody=\"b\"\n",
            "zh: missing translation" },
        { "layout = \"hero\"\nduration_ms = 5000\nimage = "
          "\"images/a.png\"\n[en]\ntitle=\"t\"\nboddy=\"b\"\nbody=\"b\"\n[zh]\ntitle=\"t\"\nbody=\"b\"\n",
            "03-bad.toml:6: en.boddy: unknown field" },
        { "layout = \"hero\"\nduration_ms = 5000\n[en\n", "03-bad.toml:3: TOML syntax" },
        { "layout = \"hero\"\nduration_ms = 50\nimage = "
          "\"images/a.png\"\n[en]\ntitle=\"t\"\nbody=\"b\"\n[zh]\ntitle=\"t\"\nbody=\"b\"\n",
            "03-bad.toml:2: duration_ms: 50 is outside 1000..600000" },
        { "layout = \"hero\"\nduration_ms = 5000\nimage = \"images/a.png\"\n[en]\ntitle=\"\xC3\x28\"\n",
            "not valid UTF-8" },
    };
    for (auto const& c : cases) {
        test::write_text(dir / "src/slides/03-bad.toml", c.content);
        std::filesystem::remove(dir / "out.kpack");
        int rc = -1;
        std::string const output = build(dir, "", &rc);
        INFO(output);
        CHECK(rc == 2);
        CHECK_THAT(output, Catch::Contains(c.expected));
        CHECK_FALSE(std::filesystem::exists(dir / "out.kpack"));
    }
}

TEST_CASE("an unreadable image is named in the error", "[pack]")
{
    TempDir dir;
    test::write_sample_source(dir / "src");
    test::write_text(dir / "src/images/a.png", "this is not a png");
    int rc = -1;
    std::string const output = build(dir, "", &rc);
    CHECK(rc == 2);
    CHECK_THAT(output, Catch::Contains("01-hero.toml:3: image: images/a.png: not a PNG or JPEG image"));
}
