// `kiosk-pack render`: PNGs of every slide as the kiosk draws them, and a contact sheet, checked on
// their pixels and against the kiosk's own headless screenshots.

#include "../support/TestSupport.h"
#include "kiosk/content/Image.h"
#include "platform/Files.h"

#include <catch2/catch.hpp>
#include <cmath>

using namespace kiosk;
using kiosk::test::TempDir;

namespace {

// Standard deviation of the luma in a rectangle: 0 for a flat colour.
double luma_spread(content::Image const& image, int x0, int y0, int x1, int y1)
{
    double sum = 0, sum2 = 0;
    int n = 0;
    for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) {
            auto const* p = &image.rgba[(std::size_t(y) * std::size_t(image.width_px) + std::size_t(x)) * 4];
            double const luma = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
            sum += luma;
            sum2 += luma * luma;
            ++n;
        }
    }
    double const mean = sum / n;
    return std::sqrt(std::max(0.0, sum2 / n - mean * mean));
}

// The sample pack (hero + stats, en + zh) with a full-size image, built into dir/p.kpack.
std::filesystem::path build_sample(TempDir const& dir)
{
    test::write_sample_source(dir / "src");
    test::write_png(dir / "src/images/a.png", 1920, 1080);
    auto const pack = dir / "p.kpack";
    REQUIRE(test::run_command(
                std::string(KIOSK_PACK_BIN) + " build " + test::quote(dir / "src") + " -o " + test::quote(pack))
        == 0);
    return pack;
}

int render(std::filesystem::path const& pack, std::filesystem::path const& out, std::string const& extra,
    std::string* output = nullptr)
{
    return test::run_command(
        std::string(KIOSK_PACK_BIN) + " render " + test::quote(pack) + " -o " + test::quote(out) + " " + extra, output);
}

// Contact sheet geometry (docs/authoring.md): 40 px margins, 24 px gaps, a 64 px header, thumbnails
// 480 px wide (landscape, 4 a row) or 270 px (portrait, 6 a row), each with a 40 px label band.
int sheet_width(int columns, int thumb_w)
{
    return 2 * 40 + columns * thumb_w + (columns - 1) * 24;
}
int sheet_height(int rows, int thumb_h)
{
    return 2 * 40 + 64 + rows * (thumb_h + 40) + (rows - 1) * 24;
}

bool rect_differs(content::Image const& a, content::Image const& b, int x0, int y0, int x1, int y1)
{
    for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) {
            std::size_t const i = (std::size_t(y) * std::size_t(a.width_px) + std::size_t(x)) * 4;
            if (a.rgba[i] != b.rgba[i] || a.rgba[i + 1] != b.rgba[i + 1] || a.rgba[i + 2] != b.rgba[i + 2])
                return true;
        }
    }
    return false;
}

bool same_pixels(content::Image const& a, content::Image const& b)
{
    return a.width_px == b.width_px && a.height_px == b.height_px && a.rgba == b.rgba;
}

} // namespace

TEST_CASE("render: one PNG per slide and language in front, with text where the layout puts it", "[pack]")
{
    TempDir dir;
    auto const pack = build_sample(dir);
    std::string output;
    int const rc = render(pack, dir / "out", "", &output);
    INFO(output);
    REQUIRE(rc == 0);
    for (auto const* name : { "slide-01-en.png", "slide-01-zh.png", "slide-02-en.png", "slide-02-zh.png" }) {
        auto const image = test::load_png(dir / "out" / name);
        INFO(name);
        CHECK(image.width_px == 1920);
        CHECK(image.height_px == 1080);
        CHECK(luma_spread(image, 0, 0, 1920, 1080) > 10.0);
    }
    // Hero: bright title and body text in the left column above the dots.
    auto const hero_en = test::load_png(dir / "out/slide-01-en.png");
    auto const hero_zh = test::load_png(dir / "out/slide-01-zh.png");
    CHECK(test::bright_fraction(hero_en, 96, 500, 900, 950) > 0.01);
    // The language in front changes the text column and nothing of the image side.
    CHECK(rect_differs(hero_en, hero_zh, 96, 500, 900, 950));
    CHECK_FALSE(rect_differs(hero_en, hero_zh, 1400, 0, 1920, 1000));
    // The progress dots at the bottom centre.
    CHECK(test::bright_fraction(hero_en, 900, 1000, 1020, 1070) > 0.001);
    // Stats: the big numbers in the upper half of the grid.
    auto const stats = test::load_png(dir / "out/slide-02-en.png");
    CHECK(test::bright_fraction(stats, 96, 150, 1824, 900, 120) > 0.005);

    // The contact sheet: 4 thumbnails in one row, each one a picture, not a flat box.
    auto const sheet = test::load_png(dir / "out/contact-sheet.png");
    CHECK(sheet.width_px == sheet_width(4, 480));
    CHECK(sheet.height_px == sheet_height(1, 270));
    for (int i = 0; i < 4; ++i) {
        int const x = 40 + i * (480 + 24);
        CHECK(luma_spread(sheet, x, 104, x + 480, 104 + 270) > 10.0);
        // Its label (slide number and name) under it.
        CHECK(test::bright_fraction(sheet, x, 104 + 270, x + 480, 104 + 270 + 40, 150) > 0.01);
    }
    // The header line with the pack's title.
    CHECK(test::bright_fraction(sheet, 40, 40, sheet.width_px - 40, 88, 200) > 0.01);
}

TEST_CASE("render: the PNGs are exactly what the kiosk draws", "[pack]")
{
    TempDir dir;
    auto const pack = build_sample(dir);
    REQUIRE(render(pack, dir / "out", "--lang zh") == 0);
    CHECK_FALSE(std::filesystem::exists(dir / "out/slide-01-en.png"));
    std::string output;
    int const rc = test::run_command("SDL_VIDEODRIVER=dummy "
            + test::kiosk_command(dir.path(), "--headless --pack " + test::quote(pack))
            + " --lang zh --slide 2 --screenshot " + test::quote(dir / "app.png"),
        &output);
    INFO(output);
    REQUIRE(rc == 0);
    CHECK(same_pixels(test::load_png(dir / "app.png"), test::load_png(dir / "out/slide-02-zh.png")));
}

TEST_CASE("render --rotate 90 draws the portrait layout upright", "[pack]")
{
    TempDir dir;
    auto const pack = build_sample(dir);
    std::string output;
    int const rc = render(pack, dir / "out", "--rotate 90 --lang en", &output);
    INFO(output);
    REQUIRE(rc == 0);
    auto const image = test::load_png(dir / "out/slide-01-en.png");
    CHECK(image.width_px == 1080);
    CHECK(image.height_px == 1920);
    // Portrait hero: the image on top, the text below it.
    CHECK(luma_spread(image, 0, 0, 1080, 800) > 10.0);
    CHECK(test::bright_fraction(image, 72, 900, 1008, 1700) > 0.01);
    // The same as the kiosk on a 1080×1920 screen.
    REQUIRE(test::run_command("SDL_VIDEODRIVER=dummy "
                + test::kiosk_command(dir.path(), "--headless --pack " + test::quote(pack))
                + " --size 1080x1920 --screenshot " + test::quote(dir / "app.png"))
        == 0);
    CHECK(same_pixels(test::load_png(dir / "app.png"), image));
    // Portrait thumbnails: 270×480, the two slides side by side.
    auto const sheet = test::load_png(dir / "out/contact-sheet.png");
    CHECK(sheet.width_px == sheet_width(2, 270));
    CHECK(sheet.height_px == sheet_height(1, 480));
}

TEST_CASE("render: bad arguments are usage errors", "[pack]")
{
    TempDir dir;
    auto const pack = build_sample(dir);
    CHECK(render(pack, dir / "out", "--lang fr") == 2);
    CHECK(render(pack, dir / "out", "--rotate 45") == 2);
    CHECK(render(pack, dir / "out", "--size big") == 2);
    CHECK(render(dir / "missing.kpack", dir / "out", "") == 2);
    CHECK(test::run_command(std::string(KIOSK_PACK_BIN) + " render " + test::quote(pack)) == 2); // no -o
}
