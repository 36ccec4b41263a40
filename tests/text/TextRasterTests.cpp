// Rasterising: pixels only where the text is, both fonts' runs drawn on one baseline.

#include "TextTestSupport.h"
#include "kiosk/text/TextRaster.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>

using namespace kiosk::text;
using kiosk::text::test::fonts;

namespace {

std::uint8_t alpha_at(SDL_Surface const& surface, int x, int y)
{
    std::uint32_t pixel;
    std::memcpy(&pixel, static_cast<std::uint8_t const*>(surface.pixels) + y * surface.pitch + x * 4, 4);
    return static_cast<std::uint8_t>(pixel >> 24);
}

struct Ink {
    int left { 1 << 30 }, top { 1 << 30 }, right { -1 }, bottom { -1 }; // inclusive
    bool any() const { return right >= 0; }
};

Ink ink_in(SDL_Surface const& surface, int x0, int x1, int y0, int y1)
{
    Ink ink;
    for (int y = std::max(0, y0); y < std::min(surface.h, y1); ++y) {
        for (int x = std::max(0, x0); x < std::min(surface.w, x1); ++x) {
            if (alpha_at(surface, x, y) > 0) {
                ink.left = std::min(ink.left, x);
                ink.right = std::max(ink.right, x);
                ink.top = std::min(ink.top, y);
                ink.bottom = std::max(ink.bottom, y);
            }
        }
    }
    return ink;
}

} // namespace

TEST_CASE("a rasterised block has ink only within its box, where its lines are", "[text]")
{
    BoxStyle box;
    box.width_px = 600;
    box.height_px = 300;
    box.preferred_size_px = 32;
    box.align = Align::Center;
    auto block = layout_text(fonts(), "Cooperation across borders\n跨越国界的合作", "zh", box);
    REQUIRE(block.lines.size() == 2);
    auto surface = rasterize(fonts(), block, box, Rgba { 10, 20, 30, 255 });
    REQUIRE(surface);
    CHECK(surface->format->format == SDL_PIXELFORMAT_ARGB8888);
    CHECK(surface->w == box.width_px);
    CHECK(surface->h == block.height_px);
    CHECK(surface->h <= box.height_px);

    auto all = ink_in(*surface, 0, surface->w, 0, surface->h);
    REQUIRE(all.any());
    int widest = std::max(block.lines[0].width_px, block.lines[1].width_px);
    int left = (box.width_px - widest) / 2;
    // Centred: the ink sits in the middle, a few pixels of side bearing aside.
    CHECK(all.left >= left - 2);
    CHECK(all.right <= left + widest + 2);
    CHECK(all.left > 10);
    CHECK(all.right < box.width_px - 10);
    // Every pixel carries the text colour, so filtering never darkens the edges.
    std::uint32_t pixel;
    std::memcpy(&pixel, surface->pixels, 4);
    CHECK((pixel & 0xFFFFFF) == 0x0A141E);
}

TEST_CASE("a mixed line has ink where both runs are, on one baseline", "[text]")
{
    BoxStyle box;
    box.width_px = 800;
    box.height_px = 200;
    box.preferred_size_px = 40;
    auto block = layout_text(fonts(), "Hello 你好", "en", box);
    REQUIRE(block.lines.size() == 1);
    auto const& line = block.lines[0];
    REQUIRE(line.runs.size() == 2);
    auto surface = rasterize(fonts(), block, box, Rgba {});
    REQUIRE(surface);

    auto const& latin = line.runs[0];
    auto const& cjk = line.runs[1];
    auto latin_ink = ink_in(*surface, latin.x_px, latin.x_px + latin.width_px, 0, surface->h);
    auto cjk_ink = ink_in(*surface, cjk.x_px, cjk.x_px + cjk.width_px, 0, surface->h);
    REQUIRE(latin_ink.any());
    REQUIRE(cjk_ink.any());
    // "Hello" has no descender: its ink ends on the baseline.
    CHECK(std::abs(latin_ink.bottom + 1 - line.baseline_px) <= 1);
    // Han characters sit on the ideographic em box, from 0.88 em above to 0.12 em below the baseline.
    CHECK(std::abs(cjk_ink.bottom + 1 - (line.baseline_px + 5)) <= 3);
    CHECK(std::abs(cjk_ink.top - (line.baseline_px - 35)) <= 4);
    // And nothing outside the line's width.
    CHECK_FALSE(ink_in(*surface, line.width_px + 2, surface->w, 0, surface->h).any());
}
