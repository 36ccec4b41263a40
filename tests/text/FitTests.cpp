// Fit to box: the largest size that fits, shrinking, ellipsizing at the minimum size.

#include "TextTestSupport.h"
#include "kiosk/text/TextLayout.h"

#include <catch2/catch.hpp>

#include <string>

using namespace kiosk::text;
using kiosk::text::test::fonts;

namespace {

BoxStyle body_box()
{
    BoxStyle box;
    box.width_px = 800;
    box.height_px = 300;
    box.preferred_size_px = 48;
    box.min_size_px = 16;
    return box;
}

std::string repeat(std::string_view text, int times)
{
    std::string out;
    for (int i = 0; i < times; ++i)
        out += text;
    return out;
}

void check_inside(TextBlock const& block, BoxStyle const& box)
{
    CHECK(block.height_px <= box.height_px);
    CHECK(block.width_px <= box.width_px);
    for (auto const& line : block.lines)
        CHECK(line.width_px <= box.width_px);
}

constexpr char const* english_sentence
    = "The institute trained 2,400 graduate students with partners in twelve countries. ";
constexpr char const* chinese_sentence = "研究院与十二个国家的伙伴共同培养了2,400名研究生。";

} // namespace

TEST_CASE("a short text stays at the preferred size", "[text]")
{
    auto box = body_box();
    auto block = layout_text(fonts(), "Welcome", "en", box);
    CHECK(block.size_px == 48);
    CHECK(block.fits);
    CHECK_FALSE(block.ellipsized);
    REQUIRE(block.lines.size() == 1);
    CHECK(block.lines[0].utf8 == "Welcome");
    check_inside(block, box);
}

TEST_CASE("a long text shrinks to the largest size that fits", "[text]")
{
    auto box = body_box();
    for (auto [lang, text] :
        { std::pair { "en", repeat(english_sentence, 3) }, std::pair { "zh", repeat(chinese_sentence, 4) } }) {
        INFO(lang);
        auto block = layout_text(fonts(), text, lang, box);
        CHECK(block.fits);
        CHECK_FALSE(block.ellipsized);
        CHECK(block.size_px < 48);
        CHECK(block.size_px > 16);
        CHECK(block.lines.size() > 1);
        check_inside(block, box);

        // One pixel larger does not fit: this is the largest size.
        auto larger = box;
        larger.preferred_size_px = larger.min_size_px = block.size_px + 1;
        auto at_larger = layout_text(fonts(), text, lang, larger);
        CHECK((!at_larger.fits || at_larger.ellipsized));
    }
}

TEST_CASE("an overlong text is ellipsized at the minimum size", "[text]")
{
    auto box = body_box();
    for (auto [lang, text] :
        { std::pair { "en", repeat(english_sentence, 30) }, std::pair { "zh", repeat(chinese_sentence, 40) } }) {
        INFO(lang);
        auto block = layout_text(fonts(), text, lang, box);
        CHECK(block.size_px == 16);
        CHECK(block.fits);
        CHECK(block.ellipsized);
        REQUIRE_FALSE(block.lines.empty());
        auto const& last = block.lines.back().utf8;
        CHECK(last.ends_with("…"));
        CHECK_FALSE(last.ends_with(" …"));
        CHECK_FALSE(last.ends_with("，…"));
        check_inside(block, box);
        // The ellipsized last line uses the room there is: no other full line would fit below it.
        CHECK(block.height_px + block.line_height_px > box.height_px);
    }
}

TEST_CASE("max_lines limits the lines like the height does", "[text]")
{
    auto box = body_box();
    box.height_px = 2000;
    box.max_lines = 2;
    box.min_size_px = 30;
    auto block = layout_text(fonts(), repeat(english_sentence, 4), "en", box);
    CHECK(block.lines.size() == 2);
    CHECK(block.size_px == 30);
    CHECK(block.ellipsized);
    CHECK(block.fits);
}

TEST_CASE("fits is false only when even one ellipsized line at the minimum size does not fit", "[text]")
{
    auto box = body_box();
    box.height_px = 10; // lower than one line at 16 px
    auto block = layout_text(fonts(), repeat(english_sentence, 3), "en", box);
    CHECK_FALSE(block.fits);
    CHECK(block.size_px == 16);
    REQUIRE(block.lines.size() == 1);
    CHECK(block.lines[0].utf8.ends_with("…"));
}

TEST_CASE("Chinese lines are spaced wider than Latin ones and paragraphs get a gap", "[text]")
{
    BoxStyle box;
    box.width_px = 400;
    box.height_px = 2000;
    box.preferred_size_px = box.min_size_px = 20;
    auto en = layout_text(fonts(), repeat(english_sentence, 3), "en", box);
    auto zh = layout_text(fonts(), repeat(chinese_sentence, 3), "zh", box);
    CHECK(en.line_height_px == 25); // 1.25 em
    CHECK(zh.line_height_px == 30); // 1.5 em
    REQUIRE(zh.lines.size() >= 2);
    CHECK(zh.lines[1].baseline_px - zh.lines[0].baseline_px == 30);

    auto two = layout_text(fonts(), "First paragraph.\nSecond paragraph.", "en", box);
    REQUIRE(two.lines.size() == 2);
    CHECK(two.lines[1].starts_paragraph);
    CHECK(two.lines[1].y_px == two.line_height_px + two.paragraph_gap_px);
    CHECK(two.height_px == 2 * two.line_height_px + two.paragraph_gap_px);
}

TEST_CASE("empty text lays out as an empty block that fits", "[text]")
{
    auto block = layout_text(fonts(), " \n \n", "en", body_box());
    CHECK(block.lines.empty());
    CHECK(block.height_px == 0);
    CHECK(block.fits);
}
