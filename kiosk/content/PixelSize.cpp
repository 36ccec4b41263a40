#include "kiosk/content/PixelSize.h"

#include "kiosk/content/Pack.h"

#include <charconv>

namespace kiosk::content {

static_assert(max_side_px == PackLimits::max_image_side_px);

namespace {

// A side: digits only (no sign, no spaces, no leading '+'), within the limits.
std::optional<int> parse_side(std::string_view text)
{
    int value = 0;
    if (text.empty() || text.front() < '0' || text.front() > '9')
        return std::nullopt;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min_side_px || value > max_side_px)
        return std::nullopt;
    return value;
}

} // namespace

Result<PixelSize> parse_pixel_size(std::string_view text, std::string_view what)
{
    // '×' is what the tools print ("1920×1080"), so a size copied from their output reads back.
    static constexpr std::string_view times = "\xC3\x97";
    std::size_t separator_size = 1;
    std::size_t separator = text.find('x');
    if (separator == std::string_view::npos) {
        separator = text.find(times);
        separator_size = times.size();
    }
    if (separator != std::string_view::npos) {
        auto const width = parse_side(text.substr(0, separator));
        auto const height = parse_side(text.substr(separator + separator_size));
        if (width && height)
            return PixelSize { *width, *height };
    }
    return make_error(std::string(what) + " must be WIDTHxHEIGHT with each side " + std::to_string(min_side_px) + " to "
        + std::to_string(max_side_px) + " px, e.g. 1920x1080, not '" + std::string(text) + "'");
}

} // namespace kiosk::content
