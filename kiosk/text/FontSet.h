#pragma once

// FontSet: the fonts shipped in assets/fonts (Latin: Noto Sans; CJK: Noto Sans SC subset), each
// file opened once with SDL_ttf and set to whatever pixel size is asked for (TTF_SetFontSize, SDL_ttf
// 2.0.18+): parsing a face, above all the CJK OTF's CFF tables, costs far more than changing its
// size, and a fit-to-box search asks for many sizes (docs/performance.md). Per-character fallback: a
// code point is drawn with the Latin font when it covers it, else with the CJK font; a code point
// neither covers is drawn as U+FFFD (or '?') and reported once in the log.
//
// Thread-safety: one FontSet per thread. SDL_ttf's TTF_Font is not thread-safe; the loader thread
// opens its own FontSet. TTF_Init must have been called (FontSet::open does it, refcounted).
// Opening and closing fonts is serialised process-wide inside FontSet.cpp, because SDL_ttf shares
// one FreeType library between all fonts, so two FontSets on two threads are safe.
//
// Owns: four TTF_Font (one per script and weight, closed with the FontSet) and one TTF_Init
// reference. Errors: open() fails with a message naming the file; after that, font() never fails
// for Latin/Cjk (a size FreeType refuses leaves the face at its previous size, logged).

#include "platform/Result.h"
#include "platform/Sdl.h"

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <unordered_map>

namespace kiosk::text {

enum class Weight {
    Regular,
    Bold,
};

enum class Script {
    Latin, // Latin font covers it
    Cjk, // only the CJK font covers it
    Missing,
};

class FontSet {
public:
    // Opens (and validates) the four font files in fonts_dir: NotoSans-Regular.ttf, NotoSans-Bold.ttf,
    // NotoSansSC-Regular.otf, NotoSansSC-Bold.otf. The error names the file that failed.
    static Result<FontSet> open(std::filesystem::path const& fonts_dir);

    FontSet(FontSet&&) noexcept;
    FontSet& operator=(FontSet&&) noexcept;
    ~FontSet();

    // The TTF_Font of a script and weight, set to size_px. Never null for Latin/Cjk; for Missing it
    // is the font that draws replacement_utf8(). The pointer stays valid as long as the FontSet, but
    // the size only until the next font() call for the same script and weight at another size: use
    // it (measure, render, read metrics) before asking for another size.
    TTF_Font* font(Script script, Weight weight, int size_px);

    // Which font draws this code point (regular weight, Latin tried first).
    Script script_of(char32_t code_point) { return script_of(code_point, Weight::Regular); }
    // Same for a weight (subsets of the regular and bold files may differ), trying `preferred` first:
    // TextLayout prefers the CJK font for ambiguous-width punctuation (“ ” … —) in Chinese text.
    // Controls and default-ignorable code points (ZWJ, variation selectors, soft hyphen) are never
    // drawn, need no glyph, and count as Latin. A Missing code point is logged once per process.
    Script script_of(char32_t code_point, Weight weight, Script preferred = Script::Latin);
    bool covers(char32_t code_point) { return script_of(code_point) != Script::Missing; }

    // What a code point no font covers is drawn as (with font(Script::Missing, ...)): U+FFFD when a
    // font has it, else "?".
    std::string_view replacement_utf8() const { return m_replacement_utf8; }

    std::filesystem::path const& directory() const { return m_dir; }

private:
    FontSet() = default;
    std::filesystem::path m_dir;
    struct Face {
        FontPtr font;
        int size_px { 0 };
    };
    // [script == Cjk][weight == Bold]
    Face m_faces[2][2];
    // Bit 0: the Latin font of that weight provides the code point; bit 1: the CJK font does.
    // Key: code point * 2 + (weight == Bold).
    std::unordered_map<std::uint64_t, std::uint8_t> m_coverage_cache;
    Script m_replacement_script { Script::Latin };
    std::string_view m_replacement_utf8 { "?" };
    bool m_ttf_initialised { false };

    Face& face(Script script, Weight weight) { return m_faces[script == Script::Cjk][weight == Weight::Bold]; }
    std::uint8_t coverage(char32_t code_point, Weight weight);
    void close_all() noexcept;
};

} // namespace kiosk::text
