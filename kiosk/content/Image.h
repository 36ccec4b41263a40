#pragma once

// Image decoding, scaling and encoding with stb (libstb-dev). Pack bytes are untrusted: only the PNG
// and JPEG decoders are compiled in (stb_image's other decoders carry unfixed CVEs), dimensions are
// read from the header and bounded before any pixel is decoded.

#include "platform/Result.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kiosk::content {

// 8-bit RGBA pixels, rows top to bottom, no padding.
struct Image {
    int width_px { 0 };
    int height_px { 0 };
    std::vector<std::uint8_t> rgba;
};

struct ImageInfo {
    int width_px { 0 };
    int height_px { 0 };
    std::string mime; // image/png or image/jpeg
};

// Reads only the header. Fails for anything but PNG/JPEG.
Result<ImageInfo> probe_image(std::span<std::uint8_t const> bytes);

// Decodes PNG/JPEG, refusing images with a side larger than max_side_px before decoding.
Result<Image> decode_image(std::span<std::uint8_t const> bytes, int max_side_px);

// Scales to exactly width × height (sRGB-aware filtering).
Image resize_image(Image const& image, int width_px, int height_px);

std::vector<std::uint8_t> encode_png(Image const& image);
std::vector<std::uint8_t> encode_jpeg(Image const& image, int quality);

} // namespace kiosk::content
