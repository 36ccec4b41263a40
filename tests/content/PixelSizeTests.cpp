// The one WIDTHxHEIGHT parser, shared by the app's --windowed/--size, the pack tool's --display
// and --size, and a pack's meta 'display'.

#include "kiosk/content/PixelSize.h"

#include <catch2/catch.hpp>

using namespace kiosk;

TEST_CASE("sizes are WIDTHxHEIGHT with each side 16..8192 px", "[content]")
{
    auto const full_hd = content::parse_pixel_size("1920x1080", "--size");
    REQUIRE(full_hd.ok());
    CHECK(full_hd->width_px == 1920);
    CHECK(full_hd->height_px == 1080);
    // What the tools print reads back.
    auto const printed = content::parse_pixel_size("1080×1920", "--size");
    REQUIRE(printed.ok());
    CHECK(printed->height_px == 1920);
    CHECK(content::parse_pixel_size("16x16", "--size").ok());
    CHECK(content::parse_pixel_size("8192x8192", "--size").ok());

    for (char const* bad : { "", "1920", "1920x", "x1080", "15x100", "100x8193", "-100x100", "+100x100", "100x100x3",
             "100 x 100", "100X100", "0x0", "99999999999x1" }) {
        INFO(bad);
        auto const parsed = content::parse_pixel_size(bad, "--windowed");
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.message()
            == "--windowed must be WIDTHxHEIGHT with each side 16 to 8192 px, e.g. 1920x1080, not '" + std::string(bad)
                + "'");
    }
}
