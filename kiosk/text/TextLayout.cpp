// How slide text is broken into lines and fitted into its box.
//
// Paragraphs. "\n" (also "\r\n", "\r", U+2029, VT, FF, NEL) ends a paragraph; blank lines between
// paragraphs collapse into one paragraph break, and spaces at a paragraph's start and end are not
// drawn, so authors can indent and space their source text freely. Tabs are spaces, other control
// characters are dropped, invalid UTF-8 shows as U+FFFD. U+2028 is a forced line break.
//
// Break opportunities.
// 1. ICU's line BreakIterator, createLineInstance(Locale("zh")), implements UAX #14 (Unicode 15.0 in
//    ICU 72). It already gives most of what W3C clreq ("Requirements for Chinese Text Layout",
//    https://www.w3.org/TR/clreq/ §6.1.1 and §6.1.2, the prohibition rules for line start and end
//    and for unbreakable marks) asks for: no break before closing punctuation (classes CL, CP, EX,
//    IS, NS: ，。、；：！？）」』》〉】〕 , . ; : ! ? ) ] }), none after an opener (OP: （「『《〈【〔 ( [ {), none
//    inside —— (B2 × B2, LB17) or …… (× IN, LB22), none inside numbers such as 2,400 or 1,350
//    (LB25), none inside words (AL × AL); a break between any two Han characters (ID ÷ ID), after
//    spaces, after hyphens. Quotes (QU, LB19) never end (“ ‘) or start (” ’) a line; unlike the root
//    rules, ICU's zh rules also allow a break before “ and after ” next to Han characters (what
//    Unicode 15.1 standardised as LB19a), so 说：“好。”他 is not one unbreakable block. The
//    conformance test runs the iterator against Unicode's LineBreakTest.txt.
// 2. On top of ICU (is_forbidden_line_start, is_forbidden_line_end, obeys_kinsoku), W3C clreq
//    §6.1.1/§6.1.2: no line starts with a closing mark (，。、；：！？）」』》〉】〕… ” ’ , . ; : ! ? ) ] }
//    and any Pe) nor with the middle dot · (U+00B7 is class AI, which ICU resolves to AL: it lets 马丁·路德
//    break before the dot); no line ends with an opening mark (（「『《〈【〔 “ ‘ ( [ { and any Ps);
//    —— and …… are never split. Rule 1 already covers all but the middle dot; restating the lists
//    makes the guarantee independent of the ICU version and its data.
// 3. Lines are filled greedily: the longest prefix ending at an opportunity whose width fits. Spaces
//    at a break are not drawn and not measured. A segment wider than the whole line (a very long
//    English word, a URL, "Germany ·" on a very short line) first gives up a rule of (2) at a break
//    ICU allowed (clreq relaxes its prohibitions on short lines too); only when there is none is a
//    word split: at the last grapheme cluster boundary that fits, preferring one that obeys (2).
//
// Fonts. Each grapheme cluster is drawn with the Latin font when it covers the whole cluster, else
// the CJK font (FontSet::script_of); consecutive clusters of one font form a run, measured with
// TTF_SizeUTF8 (HarfBuzz shapes each run). In Chinese text (lang "zh…") the ambiguous-width marks
// “ ” ‘ ’ … — · prefer the CJK font: Chinese sets quotes, the ellipsis (省略号 ……) and the middle dot
// full-width and centred, and the CJK font joins —— (破折号) into one unbroken rule, where the Latin
// font's narrow forms look out of place among Han characters. A space stays in the run before it
// when that font has one, so "你好 世界" is one run.
//
// Sizes and spacing. size_px is the em size (SDL_ttf at 72 dpi: points = pixels). Line height is
// size × box.line_spacing (default 1.25, usual for Latin body text) for Latin text, and 0.25 more
// (1.5 by default) when the text is Chinese (lang "zh") or mostly CJK: Han characters fill their
// whole em square, so lines of them need more air between them than Latin lines, whose ascenders
// and descenders are rarer; 1.5 is the usual choice for Chinese body text on screen. One block uses
// one line height so that lines stay evenly spaced. Paragraphs are separated by an extra half line. Within each line
// the Latin and CJK runs share one baseline: the content area spans the largest ascent and the largest descent
// (TTF_FontAscent/TTF_FontDescent) of the fonts the block uses and is centred in the line box (CSS-like half-leading).
//
// Fit to box. The largest integer size between box.min_size_px and box.preferred_size_px at which
// every line fits the width and the lines fit the height and box.max_lines (binary search, first
// trying the preferred size, which is what most text gets). If even the minimum size overflows, the
// lines that fit are kept at the minimum size and the last one ends in "…": cut at the last break
// opportunity (else grapheme) where it fits with the ellipsis, dropping spaces and marks such as ，
// or ( before it. `fits` is false only when even that does not fit (the box is lower than one line,
// or one grapheme is wider than the box).

#include "kiosk/text/TextLayout.h"

#include "platform/Utf8.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>

namespace kiosk::text {

namespace {

enum class Break : std::uint8_t {
    None,
    Allowed,
    Mandatory,
};

struct Paragraph {
    std::u32string text;
    std::vector<Break> breaks; // breaks[i]: may a line end before text[i]; size n + 1
    std::vector<bool> cluster_start; // size n + 1: grapheme cluster boundaries
    std::vector<bool> kinsoku_removed; // size n + 1: ICU allowed a break here, clreq did not
    std::vector<Script> scripts; // per code point: the font drawing its cluster
};

struct Prepared {
    std::vector<Paragraph> paragraphs;
    bool has_cjk { false }; // some cluster is drawn with the CJK font
    bool cjk_spacing { false }; // lines get the CJK line height
};

// A laid-out line's source: text[begin, end) of paragraphs[paragraph].
struct Span {
    size_t paragraph { 0 };
    size_t begin { 0 };
    size_t end { 0 };
};

struct Wrapped {
    std::vector<Line> lines;
    std::vector<Span> spans;
};

constexpr char32_t ellipsis = U'…';
constexpr char32_t soft_hyphen = 0xAD;
// Extra line height for Chinese text, on top of box.line_spacing; see the file comment.
constexpr double cjk_extra_line_spacing = 0.25;
constexpr double paragraph_gap_lines = 0.5;

bool is_chinese(std::string_view lang)
{
    return lang.starts_with("zh");
}

bool is_space(char32_t c)
{
    return u_isWhitespace(static_cast<UChar32>(c));
}

bool is_ignorable(char32_t c)
{
    return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

// W3C clreq §6.1.1: characters not allowed at the start of a line (plus every closing bracket, Pe).
bool is_forbidden_line_start(char32_t c)
{
    static constexpr std::u32string_view closers = U"，。、；：！？）」』》〉】〕〗〙〛］｝…‥·・”’,.;:!?)]}";
    return closers.find(c) != std::u32string_view::npos || u_charType(static_cast<UChar32>(c)) == U_END_PUNCTUATION;
}

// W3C clreq §6.1.1: characters not allowed at the end of a line (plus every opening bracket, Ps).
bool is_forbidden_line_end(char32_t c)
{
    static constexpr std::u32string_view openers = U"（「『《〈【〔〖〘〚［｛“‘([{";
    return openers.find(c) != std::u32string_view::npos || u_charType(static_cast<UChar32>(c)) == U_START_PUNCTUATION;
}

// Marks that make no sense right before the "…" of an ellipsized line.
bool is_dropped_before_ellipsis(char32_t c)
{
    static constexpr std::u32string_view marks = U"，、；：。,;:.-—";
    return is_space(c) || is_forbidden_line_end(c) || marks.find(c) != std::u32string_view::npos;
}

// Ambiguous-width marks that Chinese sets full-width; see "Fonts" in the file comment.
bool prefers_cjk_font_in_chinese(char32_t c)
{
    static constexpr std::u32string_view marks = U"“”‘’…—·";
    return marks.find(c) != std::u32string_view::npos;
}

// Creating a break iterator loads and compiles rules (milliseconds), so each thread keeps one of each
// kind. Null when ICU's data is unusable: layout then degrades to breaking after spaces and
// treating each code point as a cluster, and says so once.
std::unique_ptr<icu::BreakIterator> make_break_iterator(bool line)
{
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> iterator(line
            ? icu::BreakIterator::createLineInstance(icu::Locale("zh"), status)
            : icu::BreakIterator::createCharacterInstance(icu::Locale("zh"), status));
    if (U_FAILURE(status)) {
        std::fprintf(stderr, "text: ICU %s break iterator unavailable (%s); breaking at spaces only\n",
            line ? "line" : "character", u_errorName(status));
        iterator.reset();
    }
    return iterator;
}

icu::BreakIterator* line_breaker()
{
    thread_local std::unique_ptr<icu::BreakIterator> iterator = make_break_iterator(true);
    return iterator.get();
}

icu::BreakIterator* cluster_breaker()
{
    thread_local std::unique_ptr<icu::BreakIterator> iterator = make_break_iterator(false);
    return iterator.get();
}

std::vector<std::u32string> split_paragraphs(std::string_view utf8)
{
    auto text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    std::vector<std::u32string> paragraphs(1);
    for (int32_t i = 0; i < text.length();) {
        UChar32 c = text.char32At(i);
        i += U16_LENGTH(c);
        if (c == '\r' && i < text.length() && text.charAt(i) == '\n')
            continue; // the '\n' ends the paragraph
        if (c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 || c == 0x2029) {
            paragraphs.emplace_back();
            continue;
        }
        if (c == '\t')
            c = ' ';
        else if (u_charType(c) == U_CONTROL_CHAR)
            continue;
        paragraphs.back() += static_cast<char32_t>(c);
    }
    std::vector<std::u32string> kept;
    for (auto& paragraph : paragraphs) {
        auto first = std::find_if_not(paragraph.begin(), paragraph.end(), is_space);
        auto last = std::find_if_not(paragraph.rbegin(), paragraph.rend(), is_space).base();
        if (first < last)
            kept.emplace_back(first, last);
    }
    return kept;
}

// Rule 1 of the file comment: ICU's opportunities and grapheme clusters.
void find_icu_boundaries(Paragraph& paragraph)
{
    auto const& text = paragraph.text;
    size_t n = text.size();
    paragraph.breaks.assign(n + 1, Break::None);
    paragraph.cluster_start.assign(n + 1, false);

    icu::UnicodeString utf16;
    for (char32_t c : text)
        utf16.append(static_cast<UChar32>(c));
    // ICU reports UTF-16 offsets; every boundary it reports is at a code point.
    std::vector<size_t> index_of(static_cast<size_t>(utf16.length()) + 1, n);
    for (size_t i = 0, offset = 0; i<n; offset += text[i]> 0xFFFF ? 2 : 1, ++i)
        index_of[offset] = i;

    if (auto* breaker = line_breaker()) {
        breaker->setText(utf16);
        for (int32_t at = breaker->next(); at != icu::BreakIterator::DONE; at = breaker->next()) {
            auto status = breaker->getRuleStatus();
            bool hard = status >= UBRK_LINE_HARD && status < UBRK_LINE_HARD_LIMIT;
            paragraph.breaks[index_of[static_cast<size_t>(at)]] = hard ? Break::Mandatory : Break::Allowed;
        }
    } else {
        for (size_t i = 1; i < n; ++i) {
            if (is_space(text[i - 1]) && !is_space(text[i]))
                paragraph.breaks[i] = Break::Allowed;
        }
    }
    paragraph.breaks[0] = Break::None;
    paragraph.breaks[n] = Break::Mandatory;

    if (auto* breaker = cluster_breaker()) {
        breaker->setText(utf16);
        for (int32_t at = breaker->first(); at != icu::BreakIterator::DONE; at = breaker->next())
            paragraph.cluster_start[index_of[static_cast<size_t>(at)]] = true;
    } else {
        paragraph.cluster_start.assign(n + 1, true);
    }
}

// Rule 2: may a line end before text[at] (0 < at < n) without breaking clreq's prohibitions
// (§6.1.1 line start and end, §6.1.2 unbreakable —— and ……)?
bool obeys_kinsoku(std::u32string const& text, size_t at)
{
    // Spaces at a break are not drawn, so the line really starts at the first non-space.
    size_t first = at;
    while (first < text.size() && is_space(text[first]))
        ++first;
    if (first < text.size() && is_forbidden_line_start(text[first]))
        return false;
    size_t last = at;
    while (last > 0 && is_space(text[last - 1]))
        --last;
    if (last > 0 && is_forbidden_line_end(text[last - 1]))
        return false;
    bool inside_dash_or_ellipsis = text[at - 1] == text[at] && (text[at] == U'—' || text[at] == U'…');
    return !inside_dash_or_ellipsis;
}

void apply_kinsoku(Paragraph& paragraph)
{
    paragraph.kinsoku_removed.assign(paragraph.text.size() + 1, false);
    for (size_t i = 1; i < paragraph.text.size(); ++i) {
        if (paragraph.breaks[i] == Break::Allowed && !obeys_kinsoku(paragraph.text, i)) {
            paragraph.breaks[i] = Break::None;
            paragraph.kinsoku_removed[i] = true;
        }
    }
}

Script preferred_script(char32_t c, bool chinese)
{
    return chinese && prefers_cjk_font_in_chinese(c) ? Script::Cjk : Script::Latin;
}

// Each grapheme cluster goes to the first font (in preference order) covering all of it, so that a
// base letter and its combining marks are shaped together.
void assign_scripts(Paragraph& paragraph, FontSet& fonts, Weight weight, bool chinese)
{
    auto const& text = paragraph.text;
    size_t n = text.size();
    paragraph.scripts.assign(n, Script::Latin);
    for (size_t begin = 0; begin < n;) {
        size_t end = begin + 1;
        while (end < n && !paragraph.cluster_start[end])
            ++end;
        Script script = fonts.script_of(text[begin], weight, preferred_script(text[begin], chinese));
        auto covers_cluster = [&](Script candidate) {
            for (size_t i = begin + 1; i < end; ++i) {
                if (fonts.script_of(text[i], weight, candidate) != candidate)
                    return false;
            }
            return true;
        };
        if (script != Script::Missing && !covers_cluster(script)) {
            Script other = script == Script::Latin ? Script::Cjk : Script::Latin;
            if (fonts.script_of(text[begin], weight, other) == other && covers_cluster(other))
                script = other;
        }
        std::fill(paragraph.scripts.begin() + static_cast<std::ptrdiff_t>(begin),
            paragraph.scripts.begin() + static_cast<std::ptrdiff_t>(end), script);
        begin = end;
    }
}

Prepared prepare(FontSet& fonts, std::string_view utf8, std::string_view lang, Weight weight)
{
    Prepared prepared;
    bool chinese = is_chinese(lang);
    size_t cjk_clusters = 0;
    size_t clusters = 0;
    for (auto& text : split_paragraphs(utf8)) {
        Paragraph paragraph;
        paragraph.text = std::move(text);
        find_icu_boundaries(paragraph);
        apply_kinsoku(paragraph);
        assign_scripts(paragraph, fonts, weight, chinese);
        for (size_t i = 0; i < paragraph.text.size(); ++i) {
            if (!paragraph.cluster_start[i] || is_space(paragraph.text[i]))
                continue;
            ++clusters;
            if (paragraph.scripts[i] == Script::Cjk)
                ++cjk_clusters;
        }
        prepared.paragraphs.push_back(std::move(paragraph));
    }
    prepared.has_cjk = cjk_clusters > 0;
    prepared.cjk_spacing = chinese || cjk_clusters * 2 >= clusters + 1;
    return prepared;
}

// Builds and measures lines of one paragraph at one size and weight.
class LineSetter {
public:
    LineSetter(FontSet& fonts, Weight weight, int size_px, bool chinese)
        : m_fonts(fonts)
        , m_weight(weight)
        , m_size_px(size_px)
        , m_chinese(chinese)
    {
    }

    // The line showing text[begin, end) followed by suffix (the ellipsis), without the spaces it is
    // broken at; a line ending in a soft hyphen gets a visible "-".
    Line make_line(Paragraph const& paragraph, size_t begin, size_t end, std::u32string_view suffix = {}) const
    {
        auto const& text = paragraph.text;
        // A line broken inside a run of spaces (a word split by grapheme as a last resort) does not
        // start with the spaces: they are the break, as at a line's end.
        while (begin < end && is_space(text[begin]))
            ++begin;
        size_t visible_end = end;
        bool ellipsized = !suffix.empty();
        while (visible_end > begin
            && (ellipsized ? is_dropped_before_ellipsis(text[visible_end - 1]) : is_space(text[visible_end - 1])))
            --visible_end;
        std::u32string hyphen;
        if (!ellipsized && end < text.size() && visible_end > begin && text[visible_end - 1] == soft_hyphen) {
            hyphen = U"-";
            suffix = hyphen;
        }

        Line line;
        Run run;
        auto add = [&](Script script, std::string_view utf8) {
            if (!run.utf8.empty() && run.script != script) {
                line.runs.push_back(std::move(run));
                run = Run {};
            }
            run.script = script;
            run.utf8 += utf8;
        };
        std::string scratch;
        for (size_t i = begin; i < visible_end; ++i) {
            char32_t c = text[i];
            if (is_ignorable(c))
                continue;
            scratch.clear();
            append_utf8(scratch, c);
            line.utf8 += scratch;
            Script script = paragraph.scripts[i];
            if (script == Script::Missing) {
                if (paragraph.cluster_start[i])
                    add(Script::Missing, m_fonts.replacement_utf8());
                continue;
            }
            if (is_space(c) && !run.utf8.empty() && run.script != Script::Missing
                && m_fonts.script_of(c, m_weight, run.script) == run.script)
                script = run.script;
            add(script, scratch);
        }
        for (char32_t c : suffix) {
            scratch.clear();
            append_utf8(scratch, c);
            line.utf8 += scratch;
            Script script = m_fonts.script_of(c, m_weight, preferred_script(c, m_chinese));
            add(script, script == Script::Missing ? m_fonts.replacement_utf8() : std::string_view(scratch));
        }
        if (!run.utf8.empty())
            line.runs.push_back(std::move(run));

        int x = 0;
        for (auto& each : line.runs) {
            int width = 0;
            if (TTF_SizeUTF8(m_fonts.font(each.script, m_weight, m_size_px), each.utf8.c_str(), &width, nullptr) != 0)
                width = 0;
            each.x_px = x;
            each.width_px = width;
            x += width;
        }
        line.width_px = x;
        return line;
    }

private:
    FontSet& m_fonts;
    Weight m_weight;
    int m_size_px;
    bool m_chinese;
};

// Index of the last position whose line fits, assuming the width grows with the position (it does:
// every added cluster has a positive advance); -1 when none fits. Gallops then bisects, so a line
// of k opportunities costs about 2·log2(k) measurements instead of k.
template<class Fits>
std::ptrdiff_t last_fitting(std::ptrdiff_t count, Fits&& fits)
{
    std::ptrdiff_t good = -1;
    std::ptrdiff_t bad = count;
    std::ptrdiff_t step = 1;
    while (good + 1 < bad) {
        std::ptrdiff_t probe = std::min(good + step, bad - 1);
        if (!fits(probe)) {
            bad = probe;
            break;
        }
        good = probe;
        step *= 2;
    }
    while (bad - good > 1) {
        std::ptrdiff_t middle = good + (bad - good) / 2;
        if (fits(middle))
            good = middle;
        else
            bad = middle;
    }
    return good;
}

// Rule 3 of the file comment, for one paragraph.
void wrap_paragraph(LineSetter const& setter, Paragraph const& paragraph, size_t index, int width_px, Wrapped& out)
{
    auto const& text = paragraph.text;
    size_t n = text.size();
    std::vector<size_t> candidates;
    for (size_t start = 0; start < n;) {
        candidates.clear();
        for (size_t i = start + 1; i <= n; ++i) {
            if (paragraph.breaks[i] == Break::None)
                continue;
            candidates.push_back(i);
            if (paragraph.breaks[i] == Break::Mandatory)
                break;
        }
        Line chosen_line;
        size_t chosen = 0;
        auto fits = [&](std::vector<size_t> const& ends, std::ptrdiff_t k) {
            Line line = setter.make_line(paragraph, start, ends[static_cast<size_t>(k)]);
            if (width_px > 0 && line.width_px > width_px)
                return false;
            chosen_line = std::move(line);
            chosen = ends[static_cast<size_t>(k)];
            return true;
        };
        auto found = last_fitting(
            static_cast<std::ptrdiff_t>(candidates.size()), [&](std::ptrdiff_t k) { return fits(candidates, k); });
        // A successful measurement is kept, and the last success is the one found: chosen_line is it.
        if (found < 0) {
            // The first segment alone is wider than the line. Before splitting a word, give up a
            // clreq prohibition: a break ICU allowed (e.g. before "·" in "Germany · 2020") is a
            // lesser fault than "Germ-any" (clreq §3.1.7 also relaxes its rules on short lines).
            std::vector<size_t> relaxed;
            for (size_t i = start + 1; i < candidates.front(); ++i) {
                if (!paragraph.kinsoku_removed.empty() && paragraph.kinsoku_removed[i])
                    relaxed.push_back(i);
            }
            if (!relaxed.empty() && last_fitting(static_cast<std::ptrdiff_t>(relaxed.size()), [&](std::ptrdiff_t k) {
                    return fits(relaxed, k);
                }) >= 0) {
                chosen_line.starts_paragraph = start == 0;
                out.lines.push_back(std::move(chosen_line));
                out.spans.push_back(Span { index, start, chosen });
                start = chosen;
                continue;
            }
            // Last resort: split at a grapheme boundary, the last one that fits and obeys kinsoku if
            // there is one.
            std::vector<size_t> boundaries;
            for (size_t i = start + 1; i < candidates.front(); ++i) {
                if (paragraph.cluster_start[i])
                    boundaries.push_back(i);
            }
            auto last = last_fitting(
                static_cast<std::ptrdiff_t>(boundaries.size()), [&](std::ptrdiff_t k) { return fits(boundaries, k); });
            std::ptrdiff_t pick = last;
            while (pick >= 0 && !obeys_kinsoku(text, boundaries[static_cast<size_t>(pick)]))
                --pick;
            if (pick < 0)
                pick = last;
            size_t end = pick >= 0 ? boundaries[static_cast<size_t>(pick)]
                                   : (boundaries.empty() ? candidates.front() : boundaries.front());
            chosen_line = setter.make_line(paragraph, start, end);
            chosen = end;
        }
        chosen_line.starts_paragraph = start == 0;
        out.lines.push_back(std::move(chosen_line));
        out.spans.push_back(Span { index, start, chosen });
        start = chosen;
    }
}

Wrapped wrap(LineSetter const& setter, Prepared const& prepared, int width_px)
{
    Wrapped wrapped;
    for (size_t i = 0; i < prepared.paragraphs.size(); ++i)
        wrap_paragraph(setter, prepared.paragraphs[i], i, width_px, wrapped);
    return wrapped;
}

// Vertical metrics and positions; see "Sizes and spacing" in the file comment.
TextBlock assemble(FontSet& fonts, Prepared const& prepared, BoxStyle const& box, int size_px, std::vector<Line> lines)
{
    TextBlock block;
    block.size_px = size_px;
    block.weight = box.weight;
    double spacing = box.line_spacing + (prepared.cjk_spacing ? cjk_extra_line_spacing : 0.0);
    block.line_height_px = std::max(1, static_cast<int>(std::lround(size_px * spacing)));
    block.paragraph_gap_px = static_cast<int>(std::lround(block.line_height_px * paragraph_gap_lines));

    auto* latin = fonts.font(Script::Latin, box.weight, size_px);
    int ascent = TTF_FontAscent(latin);
    int descent = -TTF_FontDescent(latin);
    if (prepared.has_cjk) {
        auto* cjk = fonts.font(Script::Cjk, box.weight, size_px);
        ascent = std::max(ascent, TTF_FontAscent(cjk));
        descent = std::max(descent, -TTF_FontDescent(cjk));
    }
    int half_leading = (block.line_height_px - ascent - descent) / 2;

    int y = 0;
    for (size_t i = 0; i < lines.size(); ++i) {
        if (i > 0 && lines[i].starts_paragraph)
            y += block.paragraph_gap_px;
        lines[i].y_px = y;
        lines[i].baseline_px = y + half_leading + ascent;
        y += block.line_height_px;
        block.width_px = std::max(block.width_px, lines[i].width_px);
    }
    block.height_px = y;
    block.ascent_px = half_leading + ascent;
    block.lines = std::move(lines);
    return block;
}

bool fits_box(TextBlock const& block, BoxStyle const& box)
{
    if (box.width_px > 0 && block.width_px > box.width_px)
        return false;
    if (box.height_px > 0 && block.height_px > box.height_px)
        return false;
    return box.max_lines <= 0 || block.lines.size() <= static_cast<size_t>(box.max_lines);
}

struct Attempt {
    TextBlock block;
    std::vector<Span> spans;
};

Attempt attempt(FontSet& fonts, Prepared const& prepared, std::string_view lang, BoxStyle const& box, int size_px)
{
    LineSetter setter(fonts, box.weight, size_px, is_chinese(lang));
    auto wrapped = wrap(setter, prepared, box.width_px);
    Attempt result { assemble(fonts, prepared, box, size_px, std::move(wrapped.lines)), std::move(wrapped.spans) };
    result.block.fits = fits_box(result.block, box);
    return result;
}

// At the minimum size: keep the lines that fit, end the last one with "…".
TextBlock ellipsize(
    FontSet& fonts, Prepared const& prepared, std::string_view lang, BoxStyle const& box, Attempt at_minimum)
{
    auto& block = at_minimum.block;
    size_t keep = 0;
    while (keep < block.lines.size()) {
        bool too_low = box.height_px > 0 && block.lines[keep].y_px + block.line_height_px > box.height_px;
        bool too_many = box.max_lines > 0 && keep + 1 > static_cast<size_t>(box.max_lines);
        if (too_low || too_many)
            break;
        ++keep;
    }
    if (keep == block.lines.size())
        return block; // the height is fine: a grapheme wider than the box made it fail, nothing to cut
    keep = std::max<size_t>(keep, 1);

    LineSetter setter(fonts, box.weight, block.size_px, is_chinese(lang));
    auto const& span = at_minimum.spans[keep - 1];
    auto const& paragraph = prepared.paragraphs[span.paragraph];
    auto fits_width = [&](Line const& line) { return box.width_px <= 0 || line.width_px <= box.width_px; };

    // Cut points, best first: the whole line, then its break opportunities, then its clusters.
    std::vector<size_t> cuts { span.end };
    for (size_t i = span.end; i-- > span.begin + 1;) {
        if (paragraph.breaks[i] != Break::None)
            cuts.push_back(i);
    }
    for (size_t i = span.end; i-- > span.begin + 1;) {
        if (paragraph.cluster_start[i] && paragraph.breaks[i] == Break::None)
            cuts.push_back(i);
    }
    cuts.push_back(span.begin);
    Line last;
    for (size_t cut : cuts) {
        last = setter.make_line(paragraph, span.begin, cut, std::u32string_view(&ellipsis, 1));
        if (fits_width(last))
            break;
    }
    last.starts_paragraph = block.lines[keep - 1].starts_paragraph;

    std::vector<Line> lines(std::make_move_iterator(block.lines.begin()),
        std::make_move_iterator(block.lines.begin() + static_cast<std::ptrdiff_t>(keep) - 1));
    lines.push_back(std::move(last));
    auto result = assemble(fonts, prepared, box, block.size_px, std::move(lines));
    result.ellipsized = true;
    result.fits = fits_box(result, box);
    return result;
}

} // namespace

TextBlock layout_text(FontSet& fonts, std::string_view utf8, std::string_view lang, BoxStyle const& box)
{
    int largest = std::max(1, box.preferred_size_px);
    int smallest = std::clamp(box.min_size_px, 1, largest);
    auto prepared = prepare(fonts, utf8, lang, box.weight);
    if (prepared.paragraphs.empty())
        return assemble(fonts, prepared, box, largest, {});

    auto best = attempt(fonts, prepared, lang, box, largest);
    if (best.block.fits)
        return std::move(best.block);

    // Largest fitting size in [smallest, largest - 1]. Fit is monotonic in the size except for the
    // odd pixel of rounding, and the search only needs a good size, not a proof of the best.
    int low = smallest;
    int high = largest - 1;
    bool found = false;
    while (low <= high) {
        int middle = low + (high - low) / 2;
        auto trial = attempt(fonts, prepared, lang, box, middle);
        if (trial.block.fits) {
            best = std::move(trial);
            found = true;
            low = middle + 1;
        } else {
            high = middle - 1;
        }
    }
    if (found)
        return std::move(best.block);
    if (best.block.size_px != smallest)
        best = attempt(fonts, prepared, lang, box, smallest);
    return ellipsize(fonts, prepared, lang, box, std::move(best));
}

std::vector<std::string> wrap_lines(
    FontSet& fonts, std::string_view utf8, std::string_view lang, int width_px, int size_px, Weight weight)
{
    auto prepared = prepare(fonts, utf8, lang, weight);
    LineSetter setter(fonts, weight, std::max(1, size_px), is_chinese(lang));
    std::vector<std::string> lines;
    for (auto& line : wrap(setter, prepared, width_px).lines)
        lines.push_back(std::move(line.utf8));
    return lines;
}

int measure_text(FontSet& fonts, std::string_view utf8, std::string_view lang, int size_px, Weight weight)
{
    auto prepared = prepare(fonts, utf8, lang, weight);
    LineSetter setter(fonts, weight, std::max(1, size_px), is_chinese(lang));
    int widest = 0;
    for (auto const& paragraph : prepared.paragraphs)
        widest = std::max(widest, setter.make_line(paragraph, 0, paragraph.text.size()).width_px);
    return widest;
}

} // namespace kiosk::text
