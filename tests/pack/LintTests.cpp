// `kiosk-pack lint`: each kind of problem an editor can make is found in a source folder made for it,
// named by file:line and field (or slide number and name in a .kpack), and the demo content is clean.

#include "../support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using kiosk::test::TempDir;

namespace {

// The sample source with a full-size image, so that it lints clean; slides/01-hero.toml replaced by
// `hero` when given. Lines of the default hero file: 1 layout, 2 duration_ms, 3 image, 4 [en],
// 5 kicker, 6 title, 7 body, 8 [zh], 9 kicker, 10 title, 11 body.
std::filesystem::path write_source(TempDir const& dir, std::string const& hero = "")
{
    auto const src = dir / "src";
    test::write_sample_source(src);
    test::write_png(src / "images/a.png", 1920, 1080);
    if (!hero.empty())
        test::write_text(src / "slides/01-hero.toml", hero);
    return src;
}

std::string const hero_head = "layout = \"hero\"\nduration_ms = 5000\nimage = \"images/a.png\"\n";

std::string lint(std::filesystem::path const& input, int& rc, std::string const& extra = "")
{
    std::string output;
    rc = test::run_command(std::string(KIOSK_PACK_BIN) + " lint " + test::quote(input) + " " + extra, &output);
    return output;
}

bool contains(std::string const& haystack, std::string const& needle)
{
    return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("lint: a correct source folder is clean", "[pack]")
{
    TempDir dir;
    auto const src = write_source(dir);
    int rc = -1;
    std::string const out = lint(src, rc);
    INFO(out);
    CHECK(rc == 0);
    CHECK(contains(out, "lint: clean, 2 slides"));
}

TEST_CASE("lint: a missing translation is reported at the table to add it to", "[pack]")
{
    TempDir dir;
    auto const src = write_source(dir,
        hero_head
            + "[en]\nkicker = \"Kicker\"\ntitle = \"International cooperation\"\nbody = \"Partners abroad.\"\n"
              "[zh]\ntitle = \"国际合作\"\nbody = \"海外伙伴。\"\n");
    int rc = -1;
    std::string const out = lint(src, rc);
    INFO(out);
    CHECK(rc == 1);
    CHECK(contains(out,
        (src / "slides/01-hero.toml").string()
            + ":8: zh.kicker: missing translation: en.kicker is set but zh.kicker is empty\n"));
    CHECK(contains(out, "lint: 1 problem in 1 slide\n"));
}

TEST_CASE("lint: a slide without a whole language is reported once", "[pack]")
{
    TempDir dir;
    auto const src = write_source(
        dir, hero_head + "[en]\ntitle = \"International cooperation\"\nbody = \"Partners in 50 countries.\"\n");
    int rc = -1;
    std::string const out = lint(src, rc);
    INFO(out);
    CHECK(rc == 1);
    CHECK(contains(out, "01-hero.toml:1: zh: missing translation: add a [zh] table\n"));
    CHECK(contains(out, "lint: 1 problem in 1 slide\n"));
}

TEST_CASE("lint: text cut short to fit its box is reported with the arrangements it happens in", "[pack]")
{
    // render::SlideComposer reports text it had to cut short with "…" as it reports text that does
    // not fit at all, so lint sees it.
    TempDir dir;
    std::string body;
    for (int i = 0; i < 50; ++i) // 3800 bytes: under the 4000-byte limit of a field
        body += "Partners in more than fifty countries and regions work with the institute. ";
    auto const src = write_source(dir,
        hero_head + "[en]\ntitle = \"International cooperation\"\nbody = \"" + body
            + "\"\n[zh]\ntitle = \"国际合作\"\nbody = \"与 50 多个国家和地区的伙伴合作。\"\n");
    int rc = -1;
    std::string const out = lint(src, rc);
    INFO(out);
    CHECK(rc == 1);
    CHECK(contains(out, (src / "slides/01-hero.toml").string() + ":6: en.body: "));
    CHECK(contains(out, "(en first and zh first at 1920×1080)"));
}

TEST_CASE("lint: characters the shipped fonts lack are named with their code point and field", "[pack]")
{
    TempDir dir;
    auto const src = write_source(dir,
        hero_head
            + "[en]\ntitle = \"Cooperation \U0001F600\"\nbody = \"Partners abroad.\"\n"
              "[zh]\ntitle = \"国际合作\"\nbody = \"海外伙伴\U00020000。\"\n");
    int rc = -1;
    std::string const out = lint(src, rc);
    INFO(out);
    CHECK(rc == 1);
    std::string const file = (src / "slides/01-hero.toml").string();
    CHECK(contains(out,
        file
            + ":5: en.title: \"\U0001F600\" (U+1F600) is not in the shipped fonts: it would show as a "
              "replacement box (tofu)\n"));
    CHECK(contains(out,
        file
            + ":9: zh.body: \"\U00020000\" (U+20000) is not in the shipped fonts: it would show as a "
              "replacement box (tofu)\n"));
    CHECK(contains(out, "lint: 2 problems in 1 slide\n"));
}

TEST_CASE("lint: an image smaller than the area it fills is reported as blurry", "[pack]")
{
    TempDir dir;
    auto const src = write_source(dir);
    test::write_png(src / "images/a.png", 320, 180);
    int rc = -1;
    std::string const out = lint(src, rc);
    INFO(out);
    CHECK(rc == 1);
    CHECK(contains(out,
        (src / "slides/01-hero.toml").string()
            + ":3: image: images/a.png is 320×180 px, smaller than the 1920×1080 px it fills on screen: enlarged "
              "6.0×, it will look blurry; use an image of at least 1920×1080 px (at 1920×1080)\n"));

    // The same image is enough for a display of its size, but not for that display turned to portrait,
    // where the stats slide's full-screen background needs more height than the image has.
    std::string stats = test::read_text(src / "slides/02-stats.toml");
    stats.replace(stats.find("[en]"), 4, "image = \"images/a.png\"\n[en]");
    test::write_text(src / "slides/02-stats.toml", stats);
    std::string const small = lint(src, rc, "--display 320x180");
    INFO(small);
    CHECK(rc == 0);
    CHECK(contains(small, "lint: clean, 2 slides"));
    std::string const both = lint(src, rc, "--display 320x180 --orientation both");
    INFO(both);
    CHECK(rc == 1);
    CHECK(contains(both,
        (src / "slides/02-stats.toml").string()
            + ":3: image: images/a.png is 320×180 px, smaller than the 180×320 px it fills on screen: enlarged "
              "1.8×, it will look blurry; use an image of at least 180×320 px (at 180×320)\n"));
}

TEST_CASE("lint: a duration too short for the amount of text", "[pack]")
{
    TempDir dir;
    auto const src = write_source(dir,
        "layout = \"hero\"\nduration_ms = 2000\nimage = \"images/a.png\"\n"
        "[en]\ntitle = \"International cooperation\"\n"
        "body = \"Partners in more than 50 countries and regions work with the institute.\"\n"
        "[zh]\ntitle = \"国际合作\"\nbody = \"与 50 多个国家和地区的伙伴合作。\"\n");
    int rc = -1;
    std::string const out = lint(src, rc);
    INFO(out);
    CHECK(rc == 1);
    // en: 2 + 12 words; zh: 4 + 13 Chinese characters and the word "50".
    CHECK(contains(out,
        (src / "slides/01-hero.toml").string()
            + ":2: duration_ms: 2000 ms is too short to read the en text: 14 words at 250 ms need 3500 ms; make it "
              "at least 3500\n"));
    CHECK(contains(out,
        ":2: duration_ms: 2000 ms is too short to read the zh text: 17 Chinese characters at 120 ms and 1 word at "
        "250 ms need 2290 ms; make it at least 2500\n"));
}

TEST_CASE("lint: a duration out of range", "[pack]")
{
    TempDir dir;
    auto const src = write_source(dir,
        "layout = \"hero\"\nduration_ms = 500\nimage = \"images/a.png\"\n"
        "[en]\ntitle = \"Cooperation\"\nbody = \"Partners.\"\n[zh]\ntitle = \"合作\"\nbody = \"伙伴。\"\n");
    int rc = -1;
    std::string const out = lint(src, rc);
    INFO(out);
    CHECK(rc == 1);
    CHECK(contains(out, "01-hero.toml:2: duration_ms: 500 is outside 1000..600000\n"));
    CHECK(contains(out, "lint: 1 problem in 1 slide\n"));
}

TEST_CASE("lint: a broken image file", "[pack]")
{
    TempDir dir;
    auto const src = write_source(dir);
    test::write_text(src / "images/a.png", "this is not a PNG");
    int rc = -1;
    std::string const out = lint(src, rc);
    INFO(out);
    CHECK(rc == 1);
    CHECK(contains(out, (src / "slides/01-hero.toml").string() + ":3: image: images/a.png: "));
    CHECK(contains(out, "lint: 1 problem in 1 slide\n"));
}

TEST_CASE("lint: an unknown field (a typo) and problems in two slides", "[pack]")
{
    TempDir dir;
    auto const src = write_source(dir,
        hero_head
            + "[en]\ntitel = \"International cooperation\"\ntitle = \"International cooperation\"\n"
              "body = \"Partners.\"\n[zh]\ntitle = \"国际合作\"\nbody = \"伙伴。\"\n");
    std::string stats = test::read_text(src / "slides/02-stats.toml");
    stats.replace(stats.find("duration_ms"), 11, "duraton_ms = 7000\nduration_ms");
    test::write_text(src / "slides/02-stats.toml", stats);
    int rc = -1;
    std::string const out = lint(src, rc);
    INFO(out);
    CHECK(rc == 1);
    CHECK(contains(out, (src / "slides/01-hero.toml").string() + ":5: en.titel: unknown field (a typo?)\n"));
    CHECK(contains(out, (src / "slides/02-stats.toml").string() + ":2: duraton_ms: unknown field (a typo?)\n"));
    CHECK(contains(out, "lint: 2 problems in 2 slides\n"));
}

TEST_CASE("lint: a .kpack's problems are named by slide number and name", "[pack]")
{
    TempDir dir;
    auto const src = write_source(dir,
        hero_head
            + "[en]\nkicker = \"Kicker\"\ntitle = \"Cooperation\"\nbody = \"Partners abroad.\"\n"
              "[zh]\ntitle = \"国际合作\"\nbody = \"海外伙伴\U00020000。\"\n");
    test::write_png(src / "images/a.png", 640, 360);
    REQUIRE(test::run_command(
                std::string(KIOSK_PACK_BIN) + " build " + test::quote(src) + " -o " + test::quote(dir / "p.kpack"))
        == 0);
    int rc = -1;
    std::string const out = lint(dir / "p.kpack", rc);
    INFO(out);
    CHECK(rc == 1);
    CHECK(contains(out, "slide 1 (01-hero): image: image 1 is 640×360 px, smaller than the 1920×1080 px"));
    CHECK(
        contains(out, "slide 1 (01-hero): zh.kicker: missing translation: en.kicker is set but zh.kicker is empty\n"));
    CHECK(contains(out, "slide 1 (01-hero): zh.body: \"\U00020000\" (U+20000) is not in the shipped fonts"));
    CHECK(contains(out, "lint: 3 problems in 1 slide\n"));
}

TEST_CASE("lint: input that cannot be read is a usage error", "[pack]")
{
    TempDir dir;
    int rc = -1;
    std::string out = lint(dir / "nothing-here", rc);
    INFO(out);
    CHECK(rc == 2);
    CHECK(contains(out, "no such source folder or .kpack file"));
    test::write_text(dir / "bad.kpack", "not a pack");
    out = lint(dir / "bad.kpack", rc);
    CHECK(rc == 2);
    lint(dir.path(), rc, "--display 12");
    CHECK(rc == 2);
    lint(dir.path(), rc, "--orientation sideways");
    CHECK(rc == 2);
}

TEST_CASE("lint: the demo content and the built demo pack are clean", "[pack]")
{
    int rc = -1;
    std::string out = lint(std::filesystem::path(KIOSK_SOURCE_DIR) / "content", rc);
    INFO(out);
    CHECK(rc == 0);
    CHECK(contains(out, "lint: clean, 17 slides\n"));
    out = lint(std::filesystem::path(KIOSK_BUILD_DIR) / "default.kpack", rc);
    INFO(out);
    CHECK(rc == 0);
    CHECK(contains(out, "lint: clean, 17 slides\n"));
}
