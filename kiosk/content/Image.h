#pragma once

// Image decoding, scaling and encoding with stb (libstb-dev). Pack bytes are untrusted: only the PNG
// and JPEG decoders are compiled in (stb_image's other decoders carry unfixed CVEs), and what a
// decode will cost is bounded before any pixel is decoded: pixels and bytes from the header, the
// PNG's compressed stream inflated into a buffer of exactly the declared size (a zlib bomb stops
// there instead of growing to gigabytes), and the number of JPEG scans (stb walks every block once
// per scan, so thousands of empty progressive scans cost minutes). Work and memory are then
// proportional to the limits, whatever the bytes say. Errors say what was too big and the limit.

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
    int channels { 0 }; // as stored: 1..4
    int bits_per_channel { 8 }; // PNG: 1, 2, 4, 8 or 16; JPEG: 8
    int scans { 0 }; // JPEG: start-of-scan segments (1 for a plain baseline image)
    std::uint64_t decoded_bytes { 0 }; // the largest buffer a decode holds: raw stream or RGBA
};

// What a decode may cost. The defaults are the limits for packs (docs/pack-format.md).
struct ImageLimits {
    int max_side_px { 8'192 };
    std::uint64_t max_pixels { 16'777'216 }; // 4096 x 4096, or 8192 x 2048
    std::uint64_t max_decoded_bytes { 64ull * 1024 * 1024 };
    int max_jpeg_scans { 64 }; // encoders' progressive scripts use about 10
};

// Reads only the header. Fails for anything but PNG/JPEG.
Result<ImageInfo> probe_image(std::span<std::uint8_t const> bytes);

enum class ImageCheck {
    // The header and the chunk / marker structure (scans counted): no decompression. Cheap
    // enough for every start.
    Structure,
    // Also inflates a PNG's stream into a buffer of its declared size: proves the compressed data
    // is not a bomb. decode_image does this before it lets stb allocate.
    Inflate,
};

// Checks what decoding `bytes` would cost against `limits`, without decoding pixels.
Result<ImageInfo> check_image(
    std::span<std::uint8_t const> bytes, ImageLimits const& limits = {}, ImageCheck depth = ImageCheck::Inflate);

// Decodes PNG/JPEG after check_image: refused, never stalled, when it would exceed the limits.
Result<Image> decode_image(std::span<std::uint8_t const> bytes, ImageLimits const& limits = {});
// The pack limits with another bound on the sides.
Result<Image> decode_image(std::span<std::uint8_t const> bytes, int max_side_px);

// Scales to exactly width × height (sRGB-aware filtering).
Image resize_image(Image const& image, int width_px, int height_px);

std::vector<std::uint8_t> encode_png(Image const& image);
std::vector<std::uint8_t> encode_jpeg(Image const& image, int quality);

} // namespace kiosk::content
