#pragma once

// The one parser of "WIDTHxHEIGHT" sizes: a pack's meta 'display', `kiosk --windowed/--size`, and
// `kiosk-pack build --display`, `render --size`, `lint --display` all accept exactly the same text.

#include "platform/Result.h"

#include <string>
#include <string_view>

namespace kiosk::content {

struct PixelSize {
    int width_px { 0 };
    int height_px { 0 };
};

// Each side of a display or window: at least 16 px (a thumbnail-sized preview), at most the
// largest image side a pack may hold (PackLimits::max_image_side_px).
inline constexpr int min_side_px = 16;
inline constexpr int max_side_px = 8'192;

// "1920x1080" -> 1920 × 1080. Decimal digits, a lowercase 'x' (or '×'), decimal digits, nothing
// else; each side min_side_px..max_side_px. The error reads "<what> must be WIDTHxHEIGHT ...,
// not '<text>'", e.g. what = "--windowed".
Result<PixelSize> parse_pixel_size(std::string_view text, std::string_view what);

} // namespace kiosk::content
