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
    return info;
}

Result<Image> decode_image(std::span<std::uint8_t const> bytes, int max_side_px)
{
    auto info = probe_image(bytes);
    if (!info)
        return info.error();
    if (info->width_px > max_side_px || info->height_px > max_side_px)
        return make_error("image is " + std::to_string(info->width_px) + "x" + std::to_string(info->height_px)
            + " px, larger than the limit of " + std::to_string(max_side_px) + " px per side");
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
