#pragma once

// Pack: the in-memory, read-only model of a content pack (format: docs/pack-format.md). Made by
// PackReader from a verified .kpack file, or by the authoring tool from a source folder. Plain data:
// copyable, no handles, safe to hand between threads once built.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::content {

// Pack format version, stored as PRAGMA user_version.
constexpr int pack_format_version = 1;

// Bounds every reader enforces on untrusted packs.
struct PackLimits {
    static constexpr int min_duration_ms = 1'000;
    static constexpr int max_duration_ms = 600'000;
    static constexpr int max_slides = 500;
    static constexpr std::size_t max_text_bytes = 4'000;
    static constexpr int max_stats = 4;
    static constexpr int max_image_side_px = 8'192;
    static constexpr std::uint64_t max_pack_bytes = 512ull * 1024 * 1024;
    // Versions come from outside (meta, the signed claim, the state file): bounded so that
    // arithmetic on them (version + 1 in a message) can never overflow.
    static constexpr std::int64_t max_version = 999'999'999'999'999;
    // Every other text field is bounded too (docs/pack-format.md lists them).
    static constexpr int max_meta_rows = 64;
    static constexpr std::size_t max_meta_key_bytes = 64;
    static constexpr std::size_t max_meta_value_bytes = 256;
    static constexpr std::size_t max_pack_id_bytes = 64;
    static constexpr std::size_t max_title_bytes = 200;
    static constexpr int max_languages = 8;
    static constexpr std::size_t max_name_bytes = 200;
    static constexpr std::size_t max_category_bytes = 64;
    static constexpr std::size_t max_accent_bytes = 16;
    static constexpr int max_media = 500;
    static constexpr std::size_t max_media_bytes = 32ull * 1024 * 1024;
};

enum class Layout {
    Hero, // full-bleed image, text over its darker part
    Stats, // big numbers with labels
    Text, // text beside an image
    Quote, // a quotation and its attribution
};

char const* layout_name(Layout layout);
std::optional<Layout> layout_from_name(std::string_view name);

struct Stat {
    std::string value;
    std::string label;
};

// Every visible string of a slide in one language.
struct SlideText {
    std::string kicker;
    std::string title;
    std::string body;
    std::string caption;
    std::vector<Stat> stats;
};

struct Slide {
    std::int64_t id { 0 };
    std::string name; // the source file's stem, for messages ("03-letters")
    Layout layout { Layout::Hero };
    std::string category;
    int duration_ms { 8'000 };
    std::string accent; // "#RRGGBB" or empty
    std::optional<std::int64_t> media_id;
    std::map<std::string, SlideText> text; // by language code

    // The text in `lang`, or the first language present (a pack always has at least one).
    SlideText const& text_in(std::string const& lang) const;
};

struct Media {
    std::int64_t id { 0 };
    std::string sha256; // lowercase hex of `data`
    std::string mime; // image/png or image/jpeg
    int width_px { 0 };
    int height_px { 0 };
    std::vector<std::uint8_t> data;
};

struct PackMeta {
    std::string pack_id;
    std::int64_t version { 0 };
    std::string target { "*" };
    std::vector<std::string> languages;
    std::string default_language;
    std::map<std::string, std::string> title; // by language
    // "dual", "toggle" or "alternate" when the pack asks for a language mode (it then overrides
    // the display's configuration); empty: the display decides.
    std::string language_mode;
    std::string created;
    int display_width_px { 1920 };
    int display_height_px { 1080 };
};

struct Pack {
    PackMeta meta;
    std::vector<Slide> slides; // in show order
    std::map<std::int64_t, Media> media;

    Media const* media_for(Slide const& slide) const;
    std::string title_in(std::string const& lang) const;
};

} // namespace kiosk::content
