// Fuzz target: the image header check and the bounded decode (kiosk/content/Image) that every
// pack image goes through (PackReader probes the header at import and start; SlideComposer decodes
// with the pack's per-side limit). The input is the image file's bytes. Contract (Image.h):
// - probe_image accepts only PNG and JPEG, with positive dimensions, and reads only the header;
// - decode_image refuses an image larger than the limit before decoding it, and what it returns
//   has the probed size and exactly width * height RGBA pixels;
// - nothing crashes, reads out of bounds or is undefined on any bytes.
//
// The decode limit here is the app's (PackLimits::max_image_side_px); what decoding may cost in
// memory and time is bounded by libFuzzer's -rss_limit_mb / -timeout in run.sh, so an image that
// inflates far beyond its size is reported as a finding.

#include "FuzzSupport.h"

#include "kiosk/content/Image.h"
#include "kiosk/content/Pack.h"

#include <cstdio>

using namespace kiosk::content;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::span<std::uint8_t const> const bytes(data, size);
    auto const info = probe_image(bytes);
    if (kiosk::fuzz::verbose())
        std::fprintf(stderr, "  %s\n",
            info ? (info->mime + " " + std::to_string(info->width_px) + "x" + std::to_string(info->height_px)).c_str()
                 : info.message().c_str());
    if (!info) {
        KIOSK_FUZZ_CHECK(!info.message().empty(), "a refused header without a message");
        auto const decoded = decode_image(bytes, PackLimits::max_image_side_px);
        KIOSK_FUZZ_CHECK(!decoded, "decode_image decoded an image whose header probe_image refused");
        return 0;
    }
    KIOSK_FUZZ_CHECK(info->mime == "image/png" || info->mime == "image/jpeg", info->mime);
    KIOSK_FUZZ_CHECK(info->width_px > 0 && info->height_px > 0,
        std::to_string(info->width_px) + "x" + std::to_string(info->height_px));
    // The first bytes name the format the probe reports (PNG signature / JPEG SOI).
    KIOSK_FUZZ_CHECK((info->mime == "image/png") == (size >= 4 && data[0] == 0x89 && data[1] == 'P'),
        "the probe's format disagrees with the magic bytes");

    // A small limit first: the refusal must come from the header alone.
    int const small_limit = 1 + int(size % 64);
    auto const refused = decode_image(bytes, small_limit);
    if (info->width_px > small_limit || info->height_px > small_limit)
        KIOSK_FUZZ_CHECK(!refused, "decode_image ignored its side limit");

    auto const decoded = decode_image(bytes, PackLimits::max_image_side_px);
    if (!decoded) {
        KIOSK_FUZZ_CHECK(!decoded.message().empty(), "a failed decode without a message");
        return 0;
    }
    KIOSK_FUZZ_CHECK(decoded->width_px == info->width_px && decoded->height_px == info->height_px,
        "decoded " + std::to_string(decoded->width_px) + "x" + std::to_string(decoded->height_px) + ", header said "
            + std::to_string(info->width_px) + "x" + std::to_string(info->height_px));
    KIOSK_FUZZ_CHECK(decoded->rgba.size() == std::size_t(decoded->width_px) * std::size_t(decoded->height_px) * 4,
        "RGBA buffer of the wrong size");
    return 0;
}
