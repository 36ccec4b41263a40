// Line breaking through the real fonts: exact lines for chosen widths, and properties over many.

#include "TextTestSupport.h"
#include "kiosk/text/TextLayout.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace kiosk::text;
using kiosk::text::test::fonts;
using kiosk::text::test::to_u32;

namespace {

constexpr int size_px = 20;

struct WrapCase {
    char const* what;
    char const* lang;
    char const* text;
    // The line width: `ems` ideographs (Han characters and full-width marks are exactly 1 em in
    // Noto Sans CJK) or, when ems is 0, the measured width of `ruler`. Plus 1 px either way, so the
    // ruler fits and not one more letter does.
    int ems;
    char const* ruler;
    std::vector<std::string> lines;
};

int width_of(WrapCase const& c)
{
    return (c.ems > 0 ? c.ems * size_px : measure_text(fonts(), c.ruler, c.lang, size_px)) + 1;
}

// W3C clreq §6.1.1 and the lists.
bool forbidden_at_start(char32_t c)
{
    return std::u32string_view(U"，。、；：！？）」』》〉】〕…·”’,.;:!?)]}").find(c) != std::u32string_view::npos;
}
bool forbidden_at_end(char32_t c)
{
    return std::u32string_view(U"（「『《〈【〔“‘([{").find(c) != std::u32string_view::npos;
}

size_t count(std::string_view haystack, std::string_view needle)
{
    size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string_view::npos; at = haystack.find(needle, at + needle.size()))
        ++n;
    return n;
}

} // namespace

TEST_CASE("wrap_lines breaks Chinese, English and mixed text where a reader expects", "[text]")
{
    std::vector<WrapCase> const cases {
        { "Chinese: 。 never starts a line, so 系 moves down with it", "zh",
            "我们与十二个国家的研究机构建立了合作关系。", 10, nullptr,
            { "我们与十二个国家的研", "究机构建立了合作关", "系。" } },
        { "Chinese: ！？、；：。 stay with the character before them", "zh",
            "你好！我们是谁？我们来自北京、上海；还有：广州。", 2, nullptr,
            { "你", "好！", "我们", "是", "谁？", "我们", "来自", "北", "京、", "上", "海；", "还", "有：", "广",
                "州。" } },
        { "Chinese: （ never ends a line, ） never starts one", "zh", "清华大学（北京）和牛津大学（英国）签署了协议。",
            7, nullptr, { "清华大学（北", "京）和牛津大学", "（英国）签署了", "协议。" } },
        { "Chinese: 《 never ends a line", "zh", "研究成果发表在《自然》", 8, nullptr,
            { "研究成果发表在", "《自然》" } },
        { "Chinese: —— and …… are never split; a line may break before “ after ：", "zh",
            "他沉默了——然后说：“我们会回来的……”", 5, nullptr,
            { "他沉默了", "——然后", "说：“我们", "会回来", "的……”" } },
        { "Chinese: a line may break before “ and after ” next to Han characters (ICU zh rules)", "zh",
            "我们说：“好。”他们同意。", 5, nullptr, { "我们说：", "“好。”他", "们同意。" } },
        { "Chinese: “ never ends a line, ” never starts one", "zh", "他说“我们会回来”然后离开了。", 4, nullptr,
            { "他说“我", "们会回", "来”然后", "离开了。" } },
        { "Chinese: the middle dot · never starts a line", "zh", "领袖马丁·路德·金发表演讲", 4, nullptr,
            { "领袖马", "丁·路", "德·金发", "表演讲" } },
        { "Chinese with numbers: 2,400 and 1,350 stay whole", "zh", "共培养研究生2,400名、博士后1,350名。", 0,
            "共培养研究生2,4", { "共培养研究生", "2,400名、博士", "后1,350名。" } },
        { "mixed: an English name is not split, a break falls between it and Han", "zh",
            "我们与Oxford University合作了十年。", 8, nullptr, { "我们与Oxford", "University合作了", "十年。" } },
        { "English: 2,400 moves down whole", "en", "In 2023 the institute hosted 2,400 researchers.", 0,
            "In 2023 the institute hosted 2,4", { "In 2023 the institute hosted", "2,400 researchers." } },
        { "English: 120 million may break at its space", "en", "Chosen from 120 million applicants.", 0,
            "Chosen from 120 mil", { "Chosen from 120", "million applicants." } },
        { "English: ( never ends a line", "en", "said Pasteur (in 1876).", 0, "said Pasteur (i",
            { "said Pasteur", "(in 1876)." } },
        { "English: ) and . never start a line", "en", "said Pasteur (in 1876).", 0, "said Pasteur (in 1876",
            { "said Pasteur (in", "1876)." } },
        { "English: curly quotes stay on their word", "en", "“Science knows no country,” said Pasteur.", 0,
            "“Science knows no country", { "“Science knows no", "country,” said Pasteur." } },
        { "English: brackets and ASCII closers", "en", "[citation needed] {sic}! Really? Yes: it works; see below.", 0,
            "[citation needed] {sic", { "[citation needed]", "{sic}! Really? Yes: it", "works; see below." } },
        { "English: words are never split when they fit a line", "en", "Sino-British cooperation", 0,
            "Sino-British coop", { "Sino-British", "cooperation" } },
        { "English: a word wider than the line is split, as a last resort", "en",
            "A supercalifragilisticexpialidocious idea", 0, "supercalifragilistic",
            { "A", "supercalifragilistic", "expialidocious", "idea" } },
        { "English: a soft hyphen shows as \"-\" only where the line breaks", "en",
            "Inter\u00ADnational coop\u00ADeration", 0, "International coop-", { "International coop-", "eration" } },
        { "paragraphs are kept, blank lines collapse", "en", "One.\n\n\nTwo.\r\nThree.", 0, "One. Two. Three.",
            { "One.", "Two.", "Three." } },
    };
    for (auto const& c : cases) {
        INFO(c.what << " (width " << width_of(c) << " px)");
        CHECK(wrap_lines(fonts(), c.text, c.lang, width_of(c), size_px) == c.lines);
    }
}

TEST_CASE("no width makes a line start with a closer, end with an opener, or split a number, —— or ……", "[text]")
{
    struct Sample {
        char const* lang;
        char const* text;
    };
    std::vector<Sample> const samples {
        { "zh",
            "2023年，研究院与英国、德国和法国的十二所大学签署了合作协议（为期五年），共同培养了2,400名研究生和1,"
            "350名博士后。"
            "院长说：“这是我们与世界对话的方式——开放、平等、互利……”在《自然》和《科学》等期刊上发表论文120余篇【含合作"
            "论文】；"
            "〔注〕数据截至12月。美国民权领袖马丁·路德·金曾说：“我有一个梦想！”你知道吗？「是的」『当然』〈好〉。" },
        { "en",
            "In 2023 the institute signed cooperation agreements with 12 universities (in the UK, Germany and France), "
            "trained 2,400 graduate students and 1,350 postdocs, and reached 120 million viewers. “Science knows no "
            "country,” said Louis Pasteur; [citation needed] {sic}! Really? Yes: ‘collaboration’ works." },
        { "zh",
            "研究院与Oxford University和Max Planck Society合作，培养了2,400名学生（students）。“Open science”"
            "是我们的原则——也是我们的承诺……共1,350项成果、120 million views。" },
    };
    for (auto const& sample : samples) {
        auto text = std::string_view(sample.text);
        // From 10 em (wider than any word or unbreakable group here, so no last-resort splits) to
        // wider than most paragraphs, in steps that are not a multiple of the em.
        for (int width = 10 * size_px; width <= 60 * size_px; width += 7) {
            auto lines = wrap_lines(fonts(), text, sample.lang, width, size_px);
            INFO(sample.lang << " text at " << width << " px");
            REQUIRE(!lines.empty());
            std::string joined;
            for (size_t i = 0; i < lines.size(); ++i) {
                auto code_points = to_u32(lines[i]);
                INFO("line " << i << ": [" << lines[i] << "]");
                REQUIRE(!code_points.empty());
                CHECK(measure_text(fonts(), lines[i], sample.lang, size_px) <= width);
                if (i > 0)
                    CHECK_FALSE(forbidden_at_start(code_points.front()));
                if (i + 1 < lines.size())
                    CHECK_FALSE(forbidden_at_end(code_points.back()));
                joined += lines[i];
            }
            for (auto whole : { "2,400", "1,350", "120", "——", "……" }) {
                INFO("\"" << whole << "\" must stay on one line");
                size_t on_lines = 0;
                for (auto const& line : lines)
                    on_lines += count(line, whole);
                CHECK(on_lines == count(text, whole));
            }
            // Nothing lost or reordered: the lines are the text minus the spaces broken at.
            std::string without_spaces;
            for (char ch : text) {
                if (ch != ' ')
                    without_spaces += ch;
            }
            std::erase(joined, ' ');
            CHECK(joined == without_spaces);
        }
    }
}

TEST_CASE("lines of mixed text are made of runs, one per font, that tile the line", "[text]")
{
    BoxStyle box;
    box.width_px = 2000;
    box.height_px = 200;
    box.preferred_size_px = 40;
    auto block = layout_text(fonts(), "Hello 你好，world", "en", box);
    REQUIRE(block.lines.size() == 1);
    auto const& runs = block.lines[0].runs;
    REQUIRE(runs.size() == 3);
    CHECK(runs[0].utf8 == "Hello ");
    CHECK(runs[0].script == Script::Latin);
    CHECK(runs[1].utf8 == "你好，");
    CHECK(runs[1].script == Script::Cjk);
    CHECK(runs[2].utf8 == "world");
    CHECK(runs[2].script == Script::Latin);
    int x = 0;
    for (auto const& run : runs) {
        CHECK(run.x_px == x);
        CHECK(run.width_px > 0);
        x += run.width_px;
    }
    CHECK(block.lines[0].width_px == x);
}

TEST_CASE("Chinese text takes “ ” … — · from the CJK font, English text from the Latin font", "[text]")
{
    BoxStyle box;
    box.width_px = 2000;
    box.height_px = 200;
    auto zh = layout_text(fonts(), "他说“好……”", "zh", box);
    REQUIRE(zh.lines.size() == 1);
    REQUIRE(zh.lines[0].runs.size() == 1);
    CHECK(zh.lines[0].runs[0].script == Script::Cjk);

    auto en = layout_text(fonts(), "He said “fine…”", "en", box);
    REQUIRE(en.lines.size() == 1);
    REQUIRE(en.lines[0].runs.size() == 1);
    CHECK(en.lines[0].runs[0].script == Script::Latin);
}

TEST_CASE("a character no font covers is drawn as a replacement", "[text]")
{
    CHECK(fonts().script_of(U'A') == Script::Latin);
    CHECK(fonts().script_of(U'中') == Script::Cjk);
    CHECK(fonts().script_of(U'，') == Script::Cjk);
    CHECK(fonts().script_of(U'\u200D') == Script::Latin); // ZWJ: never drawn, needs no glyph
    CHECK_FALSE(fonts().covers(U'\U0001F600')); // an emoji: neither font has it

    BoxStyle box;
    box.width_px = 2000;
    box.height_px = 200;
    auto block = layout_text(fonts(), "A\U0001F600B", "en", box);
    REQUIRE(block.lines.size() == 1);
    auto const& runs = block.lines[0].runs;
    REQUIRE(runs.size() == 3);
    CHECK(runs[1].script == Script::Missing);
    CHECK(runs[1].utf8 == fonts().replacement_utf8());
    CHECK(runs[1].width_px > 0);
    CHECK(block.lines[0].utf8 == "A\U0001F600B");
}

TEST_CASE("FontSet::open names the font file it cannot open", "[text]")
{
    auto missing = FontSet::open("/nonexistent/fonts");
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.message(), Catch::Contains("/nonexistent/fonts/NotoSans-Regular.ttf"));
}
