#pragma once

// What fuzz_pack.cpp and fuzz_pack_fields.cpp check on every pack read_pack accepts, and the
// round trip through write_pack (see fuzz_pack.cpp for the contract).

#include "FuzzSupport.h"

#include "kiosk/content/Image.h"
#include "kiosk/content/PackReader.h"
#include "kiosk/content/Text.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace kiosk::fuzz {

using namespace kiosk::content;

inline void check_text(
    std::string const& text, std::string const& what, std::size_t max_bytes = PackLimits::max_text_bytes)
{
    KIOSK_FUZZ_CHECK(well_formed_utf8(text), what + " is not well-formed UTF-8");
    KIOSK_FUZZ_CHECK(text.size() <= max_bytes, what + " is " + std::to_string(text.size()) + " bytes");
}

inline void check_pack(Pack const& pack)
{
    PackMeta const& meta = pack.meta;
    check_text(meta.pack_id, "pack_id");
    KIOSK_FUZZ_CHECK(!meta.pack_id.empty(), "empty pack_id");
    KIOSK_FUZZ_CHECK(meta.version >= 1, "version " + std::to_string(meta.version));
    KIOSK_FUZZ_CHECK(!meta.languages.empty(), "no languages");
    for (auto const& lang : meta.languages)
        check_text(lang, "language code", 8);
    KIOSK_FUZZ_CHECK(
        std::find(meta.languages.begin(), meta.languages.end(), meta.default_language) != meta.languages.end(),
        "default language not among the languages");
    check_text(meta.target, "target");
    check_text(meta.created, "created");
    for (auto const& [lang, title] : meta.title)
        check_text(title, "title." + lang);
    KIOSK_FUZZ_CHECK(meta.language_mode.empty() || meta.language_mode == "dual" || meta.language_mode == "toggle"
            || meta.language_mode == "alternate",
        "language_mode " + meta.language_mode);
    KIOSK_FUZZ_CHECK(meta.display_width_px >= 16 && meta.display_height_px >= 16
            && meta.display_width_px <= PackLimits::max_image_side_px
            && meta.display_height_px <= PackLimits::max_image_side_px,
        "display size");

    for (auto const& [id, media] : pack.media) {
        std::string const label = "media " + std::to_string(id);
        KIOSK_FUZZ_CHECK(media.id == id, label + " stored under another id");
        KIOSK_FUZZ_CHECK(sha256_hex(media.data) == media.sha256, label + " hash");
        auto const info = probe_image(media.data);
        KIOSK_FUZZ_CHECK(info.ok(), label + " header: " + info.message());
        KIOSK_FUZZ_CHECK(
            info->mime == media.mime && info->width_px == media.width_px && info->height_px == media.height_px,
            label + " recorded type or size differs from its header");
        KIOSK_FUZZ_CHECK(media.width_px >= 1 && media.height_px >= 1 && media.width_px <= PackLimits::max_image_side_px
                && media.height_px <= PackLimits::max_image_side_px,
            label + " size");
    }

    KIOSK_FUZZ_CHECK(!pack.slides.empty() && pack.slides.size() <= std::size_t(PackLimits::max_slides),
        std::to_string(pack.slides.size()) + " slides");
    for (auto const& slide : pack.slides) {
        std::string const label = "slide " + std::to_string(slide.id);
        check_text(slide.name, label + " name", 200);
        check_text(slide.category, label + " category");
        check_text(slide.accent, label + " accent");
        KIOSK_FUZZ_CHECK(
            slide.duration_ms >= PackLimits::min_duration_ms && slide.duration_ms <= PackLimits::max_duration_ms,
            label + " duration " + std::to_string(slide.duration_ms));
        if (slide.media_id)
            KIOSK_FUZZ_CHECK(pack.media.contains(*slide.media_id), label + " refers to missing media");
        KIOSK_FUZZ_CHECK(!slide.text.empty(), label + " has no text");
        for (auto const& [lang, text] : slide.text) {
            KIOSK_FUZZ_CHECK(std::find(meta.languages.begin(), meta.languages.end(), lang) != meta.languages.end(),
                label + " text in unlisted language " + lang);
            check_text(text.kicker, label + " kicker");
            check_text(text.title, label + " title");
            check_text(text.body, label + " body");
            check_text(text.caption, label + " caption");
            KIOSK_FUZZ_CHECK(text.stats.size() <= std::size_t(PackLimits::max_stats), label + " stats");
            for (auto const& stat : text.stats) {
                check_text(stat.value, label + " stat value");
                check_text(stat.label, label + " stat label");
            }
        }
    }
    std::vector<std::int64_t> ids;
    for (auto const& slide : pack.slides)
        ids.push_back(slide.id);
    std::sort(ids.begin(), ids.end());
    KIOSK_FUZZ_CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end(), "two slides share an id");
}

inline bool same_text(SlideText const& a, SlideText const& b)
{
    if (a.kicker != b.kicker || a.title != b.title || a.body != b.body || a.caption != b.caption
        || a.stats.size() != b.stats.size())
        return false;
    for (std::size_t i = 0; i < a.stats.size(); ++i) {
        if (a.stats[i].value != b.stats[i].value || a.stats[i].label != b.stats[i].label)
            return false;
    }
    return true;
}

// Field by field, naming the first difference.
inline std::string difference(Pack const& a, Pack const& b)
{
    auto const& am = a.meta;
    auto const& bm = b.meta;
    if (am.pack_id != bm.pack_id || am.version != bm.version || am.target != bm.target || am.languages != bm.languages
        || am.default_language != bm.default_language || am.title != bm.title || am.language_mode != bm.language_mode
        || am.created != bm.created || am.display_width_px != bm.display_width_px
        || am.display_height_px != bm.display_height_px)
        return "meta";
    if (a.media.size() != b.media.size())
        return "number of media";
    for (auto const& [id, media] : a.media) {
        auto const it = b.media.find(id);
        if (it == b.media.end() || it->second.sha256 != media.sha256 || it->second.mime != media.mime
            || it->second.width_px != media.width_px || it->second.height_px != media.height_px
            || it->second.data != media.data)
            return "media " + std::to_string(id);
    }
    if (a.slides.size() != b.slides.size())
        return "number of slides";
    for (std::size_t i = 0; i < a.slides.size(); ++i) {
        Slide const& x = a.slides[i];
        Slide const& y = b.slides[i];
        if (x.id != y.id || x.name != y.name || x.layout != y.layout || x.category != y.category
            || x.duration_ms != y.duration_ms || x.accent != y.accent || x.media_id != y.media_id
            || x.text.size() != y.text.size())
            return "slide " + std::to_string(i + 1);
        for (auto const& [lang, text] : x.text) {
            auto const it = y.text.find(lang);
            if (it == y.text.end() || !same_text(text, it->second))
                return "slide " + std::to_string(i + 1) + " text [" + lang + "]";
        }
    }
    return {};
}

// Checks an accepted pack, writes it with write_pack into dir and reads it back: it must be
// accepted again and unchanged.
inline void check_accepted_pack(Pack const& pack, TempDir const& dir)
{
    check_pack(pack);
    auto const copy = dir.path() / "copy.kpack";
    auto const written = write_pack(pack, copy);
    KIOSK_FUZZ_CHECK(written.ok(), "write_pack refused a pack read_pack accepted: " + written.message());
    auto again = read_pack(copy, IntegrityCheck::Full);
    KIOSK_FUZZ_CHECK(again.ok(), "read_pack refused what write_pack wrote from an accepted pack: " + again.message());
    std::string const diff = difference(pack, again.value());
    KIOSK_FUZZ_CHECK(diff.empty(), "write_pack -> read_pack changed the pack: " + diff);
}

} // namespace kiosk::fuzz
