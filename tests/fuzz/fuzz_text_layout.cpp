// Fuzz target: the text layout (kiosk/text/TextLayout) with random UTF-8 (valid or not) and random
// boxes, set with the real fonts of assets/fonts, as every slide's text is. Input layout: a box
// block (width, height, sizes, weight, alignment, line limit, spacing, language) then the text,
// capped at 2,000 bytes (half the pack's per-field limit: each input is laid out several times).
//
// Contract (TextLayout.h and the notes at the top of TextLayout.cpp), checked on every layout:
// - `fits` says exactly whether the block fits the box's width, height and line limit; the line
//   limit holds even when the text does not fit (it is ellipsized instead); the size is between
//   the box's minimum and preferred sizes;
// - every line and run is well-formed UTF-8; no line starts with a space; lines go down the box
//   in order; the block is as wide as its widest line; an ellipsized block ends in "…";
// - nothing is lost or reordered: the letters, digits and Han characters of the lines are those of
//   the text, in order (all of them, or a prefix when the text was ellipsized);
// - measure_text is the width layout_text gives the same text with no width limit.

#include "FuzzSupport.h"

#include "kiosk/content/Text.h"
#include "kiosk/text/TextLayout.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <optional>

using namespace kiosk::text;
using kiosk::fuzz::ByteReader;
using kiosk::fuzz::well_formed_utf8;

namespace {

// Each (script, weight, size) the layout tries stays open in the FontSet, about 0.7 MB apiece; the
// app's boxes try a bounded set of sizes, but random boxes reach all 4 x 200 of them, so the set is
// opened afresh every 4,096 inputs (all 800 open take about 800 MB under ASan; opening a
// size costs about a millisecond, so not more often).
FontSet& fonts()
{
    static std::optional<FontSet> set;
    static unsigned inputs = 0;
    if (!set || ++inputs % 4096 == 0) {
        set.reset();
        auto opened = FontSet::open(KIOSK_SOURCE_DIR "/assets/fonts");
        if (!opened) {
            std::fprintf(stderr, "cannot open the fonts: %s\n", opened.message().c_str());
            std::abort();
        }
        set.emplace(std::move(opened).value());
    }
    return *set;
}

// The code points that must survive layout unchanged and in order: ASCII letters and digits and
// CJK unified ideographs. (Spaces, controls, marks and punctuation may legitimately be dropped,
// replaced or moved at a break.)
std::u32string essentials(std::string_view utf8)
{
    std::u32string out;
    if (!well_formed_utf8(utf8))
        return out;
    for (char32_t const c : kiosk::content::decode_utf8(utf8)) {
        bool const ascii_alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (ascii_alnum || (c >= 0x4E00 && c <= 0x9FFF))
            out.push_back(c);
    }
    return out;
}

std::string describe(BoxStyle const& box, std::string_view lang)
{
    return "box " + std::to_string(box.width_px) + "x" + std::to_string(box.height_px) + " size "
        + std::to_string(box.min_size_px) + ".." + std::to_string(box.preferred_size_px) + " max_lines "
        + std::to_string(box.max_lines) + " lang " + std::string(lang);
}

void check_block(TextBlock const& block, BoxStyle const& box, std::string_view lang, std::string_view text)
{
    std::string const where = describe(box, lang) + ", size " + std::to_string(block.size_px) + ", "
        + std::to_string(block.lines.size()) + " lines";
    bool const fits_width = box.width_px <= 0 || block.width_px <= box.width_px;
    bool const fits_height = box.height_px <= 0 || block.height_px <= box.height_px;
    bool const fits_lines = box.max_lines <= 0 || block.lines.size() <= std::size_t(box.max_lines);
    KIOSK_FUZZ_CHECK(block.fits == (fits_width && fits_height && fits_lines), "`fits` is wrong: " + where);
    KIOSK_FUZZ_CHECK(fits_lines, "more lines than max_lines: " + where);
    int const largest = std::max(1, box.preferred_size_px);
    int const smallest = std::clamp(box.min_size_px, 1, largest);
    if (!block.lines.empty())
        KIOSK_FUZZ_CHECK(
            block.size_px >= smallest && block.size_px <= largest, "size outside the box's range: " + where);

    int widest = 0;
    int previous_y = -1;
    std::u32string drawn;
    for (std::size_t i = 0; i < block.lines.size(); ++i) {
        Line const& line = block.lines[i];
        std::string const at = where + ", line " + std::to_string(i + 1) + " '" + line.utf8 + "'";
        KIOSK_FUZZ_CHECK(well_formed_utf8(line.utf8), "a line that is not UTF-8: " + at);
        KIOSK_FUZZ_CHECK(!line.utf8.starts_with(' '), "a line that starts with a space: " + at);
        KIOSK_FUZZ_CHECK(line.y_px > previous_y, "lines out of order: " + at);
        KIOSK_FUZZ_CHECK(line.baseline_px >= line.y_px, "baseline above the line: " + at);
        KIOSK_FUZZ_CHECK(line.width_px >= 0, "negative width: " + at);
        previous_y = line.y_px;
        widest = std::max(widest, line.width_px);
        int previous_x = 0;
        for (auto const& run : line.runs) {
            KIOSK_FUZZ_CHECK(well_formed_utf8(run.utf8), "a run that is not UTF-8: " + at);
            KIOSK_FUZZ_CHECK(run.x_px >= previous_x && run.width_px >= 0, "runs overlap or go back: " + at);
            previous_x = run.x_px;
        }
        drawn += essentials(line.utf8);
    }
    KIOSK_FUZZ_CHECK(block.width_px == widest, "the block is not as wide as its widest line: " + where);
    if (block.ellipsized)
        KIOSK_FUZZ_CHECK(!block.lines.empty() && block.lines.back().utf8.ends_with("\u2026"),
            "an ellipsized block whose last line does not end in an ellipsis: " + where);

    if (well_formed_utf8(text)) {
        std::u32string const source = essentials(text);
        if (block.ellipsized)
            KIOSK_FUZZ_CHECK(source.starts_with(drawn), "the lines are not a prefix of the text: " + where);
        else
            KIOSK_FUZZ_CHECK(drawn == source, "letters lost, added or reordered: " + where);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    ByteReader in(data, size);
    BoxStyle box;
    // Mostly real slide boxes (tens to a few thousand pixels), sometimes degenerate ones.
    box.width_px = int(in.in_range(-10, 2500));
    box.height_px = int(in.in_range(-10, 1500));
    box.preferred_size_px = int(in.in_range(-2, 200));
    box.min_size_px = int(in.in_range(-2, 200));
    std::uint8_t const style = in.byte();
    box.weight = style & 1 ? Weight::Bold : Weight::Regular;
    box.align = Align(style / 2 % 3);
    bool const chinese = style & 0x40;
    bool const compare_measure = style & 0x80;
    box.max_lines = int(in.in_range(0, 8));
    box.line_spacing = in.unit_range(0.8, 2.5);
    std::string_view const lang = chinese ? "zh" : "en";
    std::string_view text = in.rest();
    if (text.size() > 2000)
        text = text.substr(0, 2000);

    auto& set = fonts();
    TextBlock const block = layout_text(set, text, lang, box);
    check_block(block, box, lang, text);

    if (compare_measure && text.find("\u2028") == std::string_view::npos) {
        int const size_px = std::clamp(box.preferred_size_px, 1, 200);
        BoxStyle unlimited;
        unlimited.preferred_size_px = size_px;
        unlimited.min_size_px = size_px;
        unlimited.weight = box.weight;
        TextBlock const one_line = layout_text(set, text, lang, unlimited);
        check_block(one_line, unlimited, lang, text);
        int const measured = measure_text(set, text, lang, size_px, box.weight);
        KIOSK_FUZZ_CHECK(measured == one_line.width_px,
            "measure_text " + std::to_string(measured) + " px, layout_text without a width limit "
                + std::to_string(one_line.width_px) + " px");
    }
    return 0;
}
