#include "kiosk/content/Image.h"

#include "kiosk/content/JpegTables.h"
#include "platform/Handles.h"

// The stb implementations live in this one translation unit, configured for hostile input.
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO
#define STBI_MAX_DIMENSIONS 16384
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb/stb_image_write.h>
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb/stb_image_resize.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace kiosk::content {

namespace {

using StbPixels = Owned<stbi_uc, stbi_image_free>;

bool starts_with(std::span<std::uint8_t const> bytes, std::initializer_list<std::uint8_t> magic)
{
    return bytes.size() >= magic.size() && std::equal(magic.begin(), magic.end(), bytes.begin());
}

void append_bytes(void* context, void* data, int size)
{
    auto* out = static_cast<std::vector<std::uint8_t>*>(context);
    auto const* bytes = static_cast<std::uint8_t const*>(data);
    out->insert(out->end(), bytes, bytes + size);
}

} // namespace

Result<ImageInfo> probe_image(std::span<std::uint8_t const> bytes)
{
    ImageInfo info;
    if (starts_with(bytes, { 0x89, 'P', 'N', 'G' }))
        info.mime = "image/png";
    else if (starts_with(bytes, { 0xFF, 0xD8, 0xFF }))
        info.mime = "image/jpeg";
    else
        return make_error("not a PNG or JPEG image");
    if (info.mime == "image/jpeg" && !jpeg_huffman_tables_fit(bytes))
        return make_error("unreadable image header: a JPEG Huffman table declares more than 256 codes");
    int components = 0;
    if (bytes.size() > std::size_t(INT32_MAX)
        || !stbi_info_from_memory(bytes.data(), int(bytes.size()), &info.width_px, &info.height_px, &components))
        return make_error(std::string("unreadable image header: ") + stbi_failure_reason());
    if (info.width_px <= 0 || info.height_px <= 0)
        return make_error("image has no pixels");
    info.channels = components;
    return info;
}

namespace {

std::uint32_t big_endian_32(std::uint8_t const* p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

std::string mb(std::uint64_t bytes)
{
    return std::to_string((bytes + 1024 * 1024 - 1) / (1024 * 1024)) + " MB";
}

// The pixel and memory bounds every format shares; `raw_bytes` is what the decoder holds besides
// the RGBA result (the inflated PNG stream, JPEG component planes).
Status check_size(ImageInfo& info, std::uint64_t raw_bytes, ImageLimits const& limits)
{
    std::string const size = std::to_string(info.width_px) + "x" + std::to_string(info.height_px) + " px";
    if (info.width_px > limits.max_side_px || info.height_px > limits.max_side_px)
        return make_error(
            "image is " + size + ", larger than the limit of " + std::to_string(limits.max_side_px) + " px per side");
    std::uint64_t const pixels = std::uint64_t(info.width_px) * std::uint64_t(info.height_px);
    if (pixels > limits.max_pixels)
        return make_error("image is " + size + " (" + std::to_string(pixels) + " pixels), more than the limit of "
            + std::to_string(limits.max_pixels) + " pixels");
    info.decoded_bytes = std::max(raw_bytes, pixels * 4);
    if (info.decoded_bytes > limits.max_decoded_bytes)
        return make_error("image is " + size + " with " + std::to_string(info.bits_per_channel)
            + "-bit channels: " + "decoding it needs " + mb(info.decoded_bytes) + ", more than the limit of "
            + mb(limits.max_decoded_bytes) + "; save it with 8-bit channels or smaller");
    return {};
}

// Bytes of the filtered PNG stream for a w x h image at bits_per_pixel: one filter byte per row
// plus the packed row, for each of Adam7's seven passes when interlaced.
std::uint64_t png_stream_bytes(std::uint64_t w, std::uint64_t h, std::uint64_t bits_per_pixel, bool interlaced)
{
    auto rows
        = [&](std::uint64_t pw, std::uint64_t ph) { return pw && ph ? ph * (1 + (pw * bits_per_pixel + 7) / 8) : 0; };
    if (!interlaced)
        return rows(w, h);
    constexpr int x0[7] = { 0, 4, 0, 2, 0, 1, 0 }, y0[7] = { 0, 0, 4, 0, 2, 0, 1 };
    constexpr int dx[7] = { 8, 8, 4, 4, 2, 2, 1 }, dy[7] = { 8, 8, 8, 4, 4, 2, 2 };
    std::uint64_t total = 0;
    for (int pass = 0; pass < 7; ++pass) {
        std::uint64_t const pw = w > std::uint64_t(x0[pass])
            ? (w - std::uint64_t(x0[pass]) + std::uint64_t(dx[pass]) - 1) / std::uint64_t(dx[pass])
            : 0;
        std::uint64_t const ph = h > std::uint64_t(y0[pass])
            ? (h - std::uint64_t(y0[pass]) + std::uint64_t(dy[pass]) - 1) / std::uint64_t(dy[pass])
            : 0;
        total += rows(pw, ph);
    }
    return total;
}

// Walks the chunks (PNG spec, section 5): IHDR first, IDAT data collected, up to IEND.
Result<ImageInfo> check_png(std::span<std::uint8_t const> bytes, ImageLimits const& limits, ImageCheck depth)
{
    constexpr std::size_t signature_bytes = 8;
    ImageInfo info;
    info.mime = "image/png";
    std::size_t at = signature_bytes;
    bool seen_header = false, seen_end = false, interlaced = false;
    std::uint64_t stream_bytes = 0;
    std::vector<std::uint8_t> compressed;
    while (!seen_end) {
        if (bytes.size() - at < 12)
            return make_error("PNG ends in the middle of a chunk (no IEND)");
        std::uint32_t const length = big_endian_32(&bytes[at]);
        std::string const type(reinterpret_cast<char const*>(&bytes[at + 4]), 4);
        if (length > 0x7FFF'FFFFu || bytes.size() - at - 12 < length)
            return make_error("PNG chunk " + std::string(std::isalpha(static_cast<unsigned char>(type[0])) ? type : "?")
                + " is longer than the file");
        std::uint8_t const* data = &bytes[at + 8];
        if (!seen_header) {
            if (type != "IHDR" || length != 13)
                return make_error("PNG does not start with its IHDR header");
            seen_header = true;
            std::uint32_t const w = big_endian_32(data), h = big_endian_32(data + 4);
            if (w == 0 || h == 0 || w > 0x7FFF'FFFFu || h > 0x7FFF'FFFFu)
                return make_error("PNG declares " + std::to_string(w) + "x" + std::to_string(h) + " px");
            info.width_px = int(w);
            info.height_px = int(h);
            info.bits_per_channel = data[8];
            int const colour_type = data[9];
            interlaced = data[12] == 1;
            switch (colour_type) {
            case 0:
                info.channels = 1;
                break;
            case 2:
                info.channels = 3;
                break;
            case 3:
                info.channels = 1;
                break;
            case 4:
                info.channels = 2;
                break;
            case 6:
                info.channels = 4;
                break;
            default:
                return make_error("PNG has an invalid colour type " + std::to_string(colour_type));
            }
            int const depth_bits = info.bits_per_channel;
            if (depth_bits != 1 && depth_bits != 2 && depth_bits != 4 && depth_bits != 8 && depth_bits != 16)
                return make_error("PNG has an invalid bit depth " + std::to_string(depth_bits));
            stream_bytes = png_stream_bytes(w, h, std::uint64_t(info.channels) * std::uint64_t(depth_bits), interlaced);
            // stb holds the inflated stream and the unfiltered image at its stored depth, then RGBA.
            std::uint64_t const unfiltered
                = std::uint64_t(w) * h * std::uint64_t(info.channels) * std::uint64_t(std::max(8, depth_bits)) / 8;
            KIOSK_TRY(check_size(info, std::max(stream_bytes, unfiltered), limits));
        } else if (type == "IDAT") {
            if (depth == ImageCheck::Inflate)
                compressed.insert(compressed.end(), data, data + length);
        } else if (type == "IEND") {
            seen_end = true;
        }
        at += 12 + std::size_t(length);
    }
    if (depth == ImageCheck::Structure)
        return info;
    if (compressed.empty())
        return make_error("PNG has no image data (IDAT)");
    if (compressed.size() > std::size_t(INT32_MAX) || stream_bytes >= std::uint64_t(INT32_MAX))
        return make_error("PNG image data is too large");
    // One byte more than declared: a stream that fills it inflates beyond the image's size.
    std::vector<char> inflated(std::size_t(stream_bytes) + 1);
    int const produced = stbi_zlib_decode_buffer(inflated.data(), int(inflated.size()),
        reinterpret_cast<char const*>(compressed.data()), int(compressed.size()));
    if (produced < 0) {
        std::string const reason = stbi_failure_reason() ? stbi_failure_reason() : "";
        if (reason == "output buffer limit")
            return make_error("PNG image data inflates beyond the " + std::to_string(stream_bytes)
                + " bytes its declared size needs (a decompression bomb?)");
        return make_error("PNG image data is corrupt (" + reason + ")");
    }
    if (std::uint64_t(produced) != stream_bytes)
        return make_error("PNG image data inflates to " + std::to_string(produced) + " bytes, not the "
            + std::to_string(stream_bytes) + " its declared size needs");
    return info;
}

// Walks the marker segments (ITU T.81, annex B): the frame header for the size, each scan
// header counted, entropy-coded data skipped up to the next marker.
Result<ImageInfo> check_jpeg(std::span<std::uint8_t const> bytes, ImageLimits const& limits)
{
    ImageInfo info;
    info.mime = "image/jpeg";
    std::size_t at = 2; // after SOI
    bool seen_frame = false;
    while (true) {
        if (at >= bytes.size())
            return make_error("JPEG ends without its end marker");
        if (bytes[at] != 0xFF)
            return make_error("JPEG has garbage where a marker should be (offset " + std::to_string(at) + ")");
        while (at < bytes.size() && bytes[at] == 0xFF) // fill bytes
            ++at;
        if (at >= bytes.size())
            return make_error("JPEG ends without its end marker");
        std::uint8_t const marker = bytes[at++];
        if (marker == 0xD9) // EOI
            break;
        if ((marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 || marker == 0xD8)
            continue; // no length
        if (bytes.size() - at < 2)
            return make_error("JPEG ends in a marker segment");
        std::size_t const length = (std::size_t(bytes[at]) << 8) | bytes[at + 1];
        if (length < 2 || bytes.size() - at < length)
            return make_error("JPEG marker segment is longer than the file");
        std::uint8_t const* segment = &bytes[at + 2];
        bool const frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frame) {
            if (seen_frame)
                return make_error("JPEG has more than one frame header");
            if (length < 8)
                return make_error("JPEG frame header is too short");
            seen_frame = true;
            info.bits_per_channel = segment[0];
            info.height_px = int((std::size_t(segment[1]) << 8) | segment[2]);
            info.width_px = int((std::size_t(segment[3]) << 8) | segment[4]);
            info.channels = segment[5];
            if (info.width_px == 0 || info.height_px == 0 || info.channels < 1 || info.channels > 4)
                return make_error("JPEG declares " + std::to_string(info.width_px) + "x"
                    + std::to_string(info.height_px) + " px with " + std::to_string(info.channels) + " components");
            // stb keeps each component's plane (padded to whole blocks) besides the RGBA result.
            std::uint64_t const planes = (std::uint64_t(info.width_px) + 15) * (std::uint64_t(info.height_px) + 15)
                * std::uint64_t(info.channels) * (marker == 0xC2 ? 3 : 1); // progressive: 16-bit coefficients too
            KIOSK_TRY(check_size(info, planes, limits));
        }
        at += length;
        if (marker == 0xDA) { // start of scan: entropy-coded data follows
            if (!seen_frame)
                return make_error("JPEG scan before its frame header");
            if (++info.scans > limits.max_jpeg_scans)
                return make_error("JPEG has more than " + std::to_string(limits.max_jpeg_scans)
                    + " scans (each one costs a pass over the whole image); save it as a baseline JPEG");
            while (at + 1 < bytes.size()) {
                if (bytes[at] == 0xFF && bytes[at + 1] != 0x00 && !(bytes[at + 1] >= 0xD0 && bytes[at + 1] <= 0xD7))
                    break;
                ++at;
            }
            if (at + 1 >= bytes.size())
                return make_error("JPEG ends inside its image data");
        }
    }
    if (!seen_frame || info.scans == 0)
        return make_error("JPEG has no image data");
    return info;
}

} // namespace

Result<ImageInfo> check_image(std::span<std::uint8_t const> bytes, ImageLimits const& limits, ImageCheck depth)
{
    auto probed = probe_image(bytes); // the same judgement of the header as the decoder's
    if (!probed)
        return probed.error();
    auto checked = probed->mime == "image/png" ? check_png(bytes, limits, depth) : check_jpeg(bytes, limits);
    if (!checked)
        return checked.error();
    if (checked->width_px != probed->width_px || checked->height_px != probed->height_px)
        return make_error("image header is ambiguous about its size");
    return checked;
}

Result<Image> decode_image(std::span<std::uint8_t const> bytes, ImageLimits const& limits)
{
    auto info = check_image(bytes, limits, ImageCheck::Inflate);
    if (!info)
        return info.error();
    int width = 0, height = 0, components = 0;
    StbPixels pixels(stbi_load_from_memory(bytes.data(), int(bytes.size()), &width, &height, &components, 4));
    if (!pixels)
        return make_error(std::string("cannot decode image: ") + stbi_failure_reason());
    Image image;
    image.width_px = width;
    image.height_px = height;
    image.rgba.assign(pixels.get(), pixels.get() + std::size_t(width) * std::size_t(height) * 4);
    return image;
}

Result<Image> decode_image(std::span<std::uint8_t const> bytes, int max_side_px)
{
    ImageLimits limits;
    limits.max_side_px = max_side_px;
    return decode_image(bytes, limits);
}

Image resize_image(Image const& image, int width_px, int height_px)
{
    Image out;
    out.width_px = width_px;
    out.height_px = height_px;
    out.rgba.resize(std::size_t(width_px) * std::size_t(height_px) * 4);
    stbir_resize_uint8_srgb(
        image.rgba.data(), image.width_px, image.height_px, 0, out.rgba.data(), width_px, height_px, 0, 4, 3, 0);
    return out;
}

std::vector<std::uint8_t> encode_png(Image const& image)
{
    std::vector<std::uint8_t> out;
    stbi_write_png_to_func(
        append_bytes, &out, image.width_px, image.height_px, 4, image.rgba.data(), image.width_px * 4);
    return out;
}

std::vector<std::uint8_t> encode_jpeg(Image const& image, int quality)
{
    std::vector<std::uint8_t> out;
    stbi_write_jpg_to_func(append_bytes, &out, image.width_px, image.height_px, 4, image.rgba.data(), quality);
    return out;
}

} // namespace kiosk::content
