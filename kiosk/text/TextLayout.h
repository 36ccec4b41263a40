#pragma once

// Text layout for the slides, owned by this project because SDL_ttf 2.20 has no font fallback and
// its wrapping is not CJK-aware. Breaks lines with ICU's line BreakIterator (UAX #14, locale zh) plus
// the clreq kinsoku rules documented in TextLayout.cpp; fits the text to a box by searching the
// largest font size between the box's preferred and minimum sizes, then ellipsizes at the minimum.
// Lays out only: painting is TextRaster's job. No window is needed; a FontSet is.

#include "kiosk/text/FontSet.h"

#include <string>
#include <string_view>
#include <vector>

namespace kiosk::text {

enum class Align {
    Start,
    Center,
    End,
};

// What a text box asks for. Units: pixels of the final screen. A width or height <= 0 means "no
// limit" in that direction (a width limit of 0 breaks only at paragraph breaks).
struct BoxStyle {
    int width_px { 0 };
    int height_px { 0 };
    int preferred_size_px { 32 };
    int min_size_px { 16 };
    Weight weight { Weight::Regular };
    Align align { Align::Start };
    int max_lines { 0 }; // 0: as many as fit in height_px
    double line_spacing { 1.25 }; // line height = size * spacing (CJK text gets a little more, see .cpp)
};

// One run of consecutive code points drawn with the same font.
struct Run {
    std::string utf8;
    Script script { Script::Latin };
    int x_px { 0 }; // from the line's start
    int width_px { 0 };
};

// utf8 is the line's source text without the spaces it was broken at and without default-ignorable
// code points, plus the "…" of an ellipsized line or the "-" of a line broken at a soft hyphen; runs
// hold what is drawn (a code point no font covers is drawn as FontSet::replacement_utf8()).
struct Line {
    std::string utf8;
    std::vector<Run> runs;
    int width_px { 0 };
    int y_px { 0 }; // top of the line box, from the block's top
    int baseline_px { 0 }; // baseline, from the block's top; shared by the Latin and CJK runs
    bool starts_paragraph { false };
};

struct TextBlock {
    std::vector<Line> lines;
    int size_px { 0 };
    Weight weight { Weight::Regular };
    int line_height_px { 0 };
    int paragraph_gap_px { 0 }; // extra space before each paragraph but the first
    int ascent_px { 0 }; // baseline offset of the first line from the block's top
    int width_px { 0 }; // widest line
    int height_px { 0 }; // lines * line height + paragraph gaps
    bool ellipsized { false };
    bool fits { true }; // false when even the ellipsized text at min size overflows the box
};

// Lays out utf8 text in lang ("en", "zh") into the box. Paragraph breaks ("\n") are kept; blank lines
// between paragraphs collapse into one paragraph break. Invalid UTF-8 is drawn as U+FFFD.
TextBlock layout_text(FontSet& fonts, std::string_view utf8, std::string_view lang, BoxStyle const& box);

// Breaks text into lines at one size with no height limit: the `kiosk-pack wrap` tool and tests.
std::vector<std::string> wrap_lines(FontSet& fonts, std::string_view utf8, std::string_view lang, int width_px,
    int size_px, Weight weight = Weight::Regular);

// Width in pixels of the text set on one line (the widest paragraph), as layout_text measures it.
int measure_text(
    FontSet& fonts, std::string_view utf8, std::string_view lang, int size_px, Weight weight = Weight::Regular);

} // namespace kiosk::text
