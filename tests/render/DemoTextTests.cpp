// The demo content as a reader meets it: every string of every slide of the built-in pack, in
// Chinese and in English, wrapped at many widths and type sizes, must break where a reader expects
// (clreq kinsoku: no line starts with a closing mark or ends with an opening one), never split a
// number or an English word that fits, and be drawn with real glyphs, never a replacement box.
// (In tests/render rather than tests/text because it reads the pack, which test_text does not link.)

#include "../text/TextTestSupport.h"
#include "kiosk/content/PackReader.h"
#include "kiosk/text/TextLayout.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using namespace kiosk;
using kiosk::text::test::fonts;
using kiosk::text::test::to_u32;

namespace {

content::Pack const& demo_pack()
{
    static content::Pack const pack = [] {
        auto read = content::read_pack(KIOSK_BUILD_DIR "/default.kpack");
        if (!read)
            throw std::runtime_error(read.message());
        return std::move(read).value();
    }();
    return pack;
}

// W3C clreq §3.1.7 (line-start and line-end prohibition rules) and their ASCII counterparts.
bool forbidden_at_start(char32_t c)
{
    return std::u32string_view(U"，。、；：！？）」』》〉】〕…·”’,.;:!?)]}").find(c) != std::u32string_view::npos;
}

bool forbidden_at_end(char32_t c)
{
    return std::u32string_view(U"（「『《〈【〔“‘([{").find(c) != std::u32string_view::npos;
}

bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
bool is_letter(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// A piece of text no line may break inside: its bytes [begin, end) in the source text, and the
// bytes [cluster_begin, cluster_end) of it with the punctuation that has to stay on its line
// ("(paraphrased),", "（ANSO）。"): when that is wider than the line, something must give.
struct Unbreakable {
    std::size_t begin;
    std::size_t end;
    std::size_t cluster_begin;
    std::size_t cluster_end;
    bool is_number;
};

// The code point starting at byte i (UTF-8 from a validated pack) and its length in bytes.
std::pair<char32_t, std::size_t> decode(std::string_view text, std::size_t i)
{
    auto const lead = static_cast<unsigned char>(text[i]);
    std::size_t const length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t c = length == 1 ? lead : lead & (0x3F >> (length - 1));
    for (std::size_t k = 1; k < length && i + k < text.size(); ++k)
        c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    return { c, length };
}

// The start of the code point that ends just before byte i.
std::size_t previous(std::string_view text, std::size_t i)
{
    do
        --i;
    while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80);
    return i;
}

// Numbers as a reader groups them: "2,400", "1.2", "1/5", "2019" (separators between digits stay
// inside), and English words ("SCI", "ANSO", "China's").
std::vector<Unbreakable> unbreakables(std::string_view text)
{
    std::vector<Unbreakable> found;
    auto inner = [&](std::size_t at, auto is_part) { return at + 1 < text.size() && is_part(text[at + 1]); };
    std::size_t i = 0;
    while (i < text.size()) {
        bool const number = is_digit(text[i]);
        if (!number && !is_letter(text[i])) {
            ++i;
            continue;
        }
        std::size_t end = i + 1;
        while (end < text.size()) {
            if (number ? is_digit(text[end]) : is_letter(text[end]))
                ++end;
            else if (number && (text[end] == ',' || text[end] == '.' || text[end] == '/') && inner(end, is_digit))
                end += 2;
            else if (!number && text[end] == '\'' && inner(end, is_letter))
                end += 2;
            else if (!number && text.substr(end, 3) == "’" && end + 3 < text.size() && is_letter(text[end + 3]))
                end += 4;
            else
                break;
        }
        std::size_t cluster_begin = i;
        while (cluster_begin > 0 && forbidden_at_end(decode(text, previous(text, cluster_begin)).first))
            cluster_begin = previous(text, cluster_begin);
        std::size_t cluster_end = end;
        while (cluster_end < text.size() && forbidden_at_start(decode(text, cluster_end).first))
            cluster_end += decode(text, cluster_end).second;
        found.push_back({ i, end, cluster_begin, cluster_end, number });
        i = end;
    }
    return found;
}

struct DemoText {
    std::string where; // "slide 3 (03-nanjing-people) zh body"
    std::string lang;
    std::string text;
};

std::vector<DemoText> demo_texts(content::Pack const& pack)
{
    std::vector<DemoText> texts;
    for (auto const& [lang, title] : pack.meta.title)
        texts.push_back({ "pack title " + lang, lang, title });
    for (std::size_t s = 0; s < pack.slides.size(); ++s) {
        auto const& slide = pack.slides[s];
        for (auto const& [lang, t] : slide.text) {
            std::string const where = "slide " + std::to_string(s + 1) + " (" + slide.name + ") " + lang + " ";
            for (auto const& [field, value] : { std::pair { "kicker", &t.kicker }, { "title", &t.title },
                     { "body", &t.body }, { "caption", &t.caption } }) {
                if (!value->empty())
                    texts.push_back({ where + field, lang, *value });
            }
            for (std::size_t i = 0; i < t.stats.size(); ++i) {
                texts.push_back({ where + "stat " + std::to_string(i + 1) + " value", lang, t.stats[i].value });
                texts.push_back({ where + "stat " + std::to_string(i + 1) + " label", lang, t.stats[i].label });
            }
        }
    }
    return texts;
}

std::string_view trimmed(std::string_view line)
{
    while (!line.empty() && line.front() == ' ')
        line.remove_prefix(1);
    while (!line.empty() && line.back() == ' ')
        line.remove_suffix(1);
    return line;
}

// Byte offsets in `text` where lines 2, 3, ... begin. wrap_lines drops only the spaces and paragraph
// breaks it breaks at (the demo has no soft hyphens and wrap_lines never ellipsizes), so each line
// is found in the text right after the previous one. Empty when the lines are not the text.
std::vector<std::size_t> break_offsets(std::string_view text, std::vector<std::string> const& lines)
{
    std::vector<std::size_t> offsets;
    std::size_t cursor = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        while (cursor < text.size() && (text[cursor] == ' ' || text[cursor] == '\n'))
            ++cursor;
        std::string_view const line = trimmed(lines[i]);
        if (text.substr(cursor, line.size()) != line)
            return {};
        if (i > 0)
            offsets.push_back(cursor);
        cursor += line.size();
    }
    return offsets;
}

} // namespace

TEST_CASE("every demo text breaks where a reader expects at every width and size", "[text][content]")
{
    auto const texts = demo_texts(demo_pack());
    REQUIRE(!texts.empty());
    std::vector<std::string> failures;
    int wraps = 0;
    for (auto const& demo : texts) {
        auto const tokens = unbreakables(demo.text);
        for (int size_px : { 20, 28, 36, 62 }) {
            for (int width_px = 300; width_px <= 1800; width_px += 37) {
                auto const lines = text::wrap_lines(fonts(), demo.text, demo.lang, width_px, size_px);
                ++wraps;
                std::string const at
                    = demo.where + " at " + std::to_string(size_px) + " px in " + std::to_string(width_px) + " px: ";
                auto const breaks = break_offsets(demo.text, lines);
                if (lines.empty() || breaks.size() + 1 != lines.size()) {
                    failures.push_back(at + "the lines are not the text");
                    continue;
                }
                for (std::size_t i = 0; i < lines.size(); ++i) {
                    auto const code_points = to_u32(lines[i]);
                    if (code_points.empty()) {
                        failures.push_back(at + "line " + std::to_string(i + 1) + " is empty");
                        continue;
                    }
                    // The spaces a line is broken at are not drawn: kept, they would indent the next line
                    // or push a centred line off centre.
                    if (code_points.front() == U' ' || code_points.back() == U' ')
                        failures.push_back(
                            at + "line " + std::to_string(i + 1) + " starts or ends with a space: [" + lines[i] + "]");
                    // Only allowed when the mark could not join the word before it: on a line too
                    // short for "Germany ·", the mark starts a line rather than "Germany" splitting.
                    auto mark_fits_before = [&] {
                        std::string const& previous = lines[i - 1];
                        auto const space = previous.rfind(' ');
                        std::string const word = space == std::string::npos ? previous : previous.substr(space + 1);
                        auto const first = lines[i].substr(0, lines[i].find(' '));
                        return text::measure_text(fonts(), word + " " + first, demo.lang, size_px) <= width_px;
                    };
                    if (i > 0 && forbidden_at_start(code_points.front()) && mark_fits_before())
                        failures.push_back(
                            at + "line " + std::to_string(i + 1) + " starts with a closing mark: [" + lines[i] + "]");
                    if (i + 1 < lines.size() && forbidden_at_end(code_points.back()))
                        failures.push_back(
                            at + "line " + std::to_string(i + 1) + " ends with an opening mark: [" + lines[i] + "]");
                    if (text::measure_text(fonts(), lines[i], demo.lang, size_px) > width_px)
                        failures.push_back(
                            at + "line " + std::to_string(i + 1) + " is wider than the box: [" + lines[i] + "]");
                }
                for (auto const& token : tokens) {
                    std::string const piece = demo.text.substr(token.begin, token.end - token.begin);
                    bool const split = std::any_of(
                        breaks.begin(), breaks.end(), [&](std::size_t b) { return b > token.begin && b < token.end; });
                    // A word that cannot stand on a line with the marks it carries has to be split
                    // somewhere; a number never is that wide at these sizes.
                    std::string const cluster
                        = demo.text.substr(token.cluster_begin, token.cluster_end - token.cluster_begin);
                    bool const must_stay_whole
                        = token.is_number || text::measure_text(fonts(), cluster, demo.lang, size_px) <= width_px;
                    if (split && must_stay_whole)
                        failures.push_back(at + "\"" + piece + "\" is split across lines");
                }
                // Wider boxes only set the same text on fewer lines; once it is one line, they all are.
                if (lines.size() == 1)
                    break;
            }
        }
    }
    INFO(wraps << " wraps of " << texts.size() << " texts, " << failures.size() << " problems");
    for (std::size_t i = 0; i < std::min<std::size_t>(failures.size(), 30); ++i)
        UNSCOPED_INFO(failures[i]);
    CHECK(failures.empty());
}

TEST_CASE("every character of the demo content has a glyph in the shipped fonts, regular and bold", "[text][content]")
{
    auto const texts = demo_texts(demo_pack());
    std::vector<std::string> missing;
    for (auto const& demo : texts) {
        for (char32_t c : to_u32(demo.text)) {
            bool const regular = fonts().covers(c);
            bool const bold = fonts().script_of(c, text::Weight::Bold) != text::Script::Missing;
            if (!regular || !bold) {
                char code[16];
                std::snprintf(code, sizeof code, "U+%04X", unsigned(c));
                missing.push_back(demo.where + ": " + code + (regular ? " (bold)" : bold ? " (regular)" : ""));
            }
        }
    }
    for (auto const& m : missing)
        UNSCOPED_INFO(m);
    CHECK(missing.empty());
}
