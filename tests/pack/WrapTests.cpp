// `kiosk-pack wrap`: the kiosk's line breaking (ICU + clreq kinsoku) at one size and width, printed a
// line per line.

#include "../support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace kiosk;

namespace {

std::string wrap(std::string const& args, int* rc = nullptr)
{
    std::string output;
    int const status = test::run_command(std::string(KIOSK_PACK_BIN) + " wrap " + args, &output);
    if (rc)
        *rc = status;
    return output;
}

} // namespace

TEST_CASE("wrap: Chinese text keeps punctuation and numbers with their neighbours", "[pack]")
{
    int rc = -1;
    // 32 px Han characters: five fit in 160 px, so the comma ends the first line.
    CHECK(wrap("--lang zh --width-px 200 --size 32 '国际合作，2,400 人次。'", &rc) == "国际合作，\n2,400 人次。\n");
    CHECK(rc == 0);
    // Only three characters fit: the comma may not start a line, so it goes with 作; 2,400 is never
    // split, and the full stop stays with 次.
    CHECK(wrap("--lang zh --width-px 130 --size 32 '国际合作，2,400 人次。'") == "国际合\n作，\n2,400 人\n次。\n");
    // Wider: the number joins the first line.
    CHECK(wrap("--lang zh --width-px 260 --size 32 '国际合作，2,400 人次。'") == "国际合作，2,400\n人次。\n");
    // Opening marks never end a line and closing marks never start one.
    CHECK(wrap("--lang zh --width-px 300 --size 32 '研究所与国外伙伴保持稳定合作（“天山奖”）。'")
        == "研究所与国外伙伴保\n持稳定合作（“天山\n奖”）。\n");
}

TEST_CASE("wrap: English text breaks at spaces, and bold type is wider", "[pack]")
{
    CHECK(wrap("--lang en --width-px 400 --size 32 'International cooperation: 2,400 visits in and out.'")
        == "International cooperation:\n2,400 visits in and out.\n");
    CHECK(wrap("--lang en --width-px 400 --size 32 --bold 'International cooperation: 2,400 visits in and out.'")
        == "International\ncooperation: 2,400 visits\nin and out.\n");
    // A paragraph break is kept.
    CHECK(wrap("--lang en --width-px 2000 --size 32 \"$(printf 'First paragraph.\\nSecond.')\"")
        == "First paragraph.\nSecond.\n");
}

TEST_CASE("wrap: missing or bad options are usage errors", "[pack]")
{
    int rc = -1;
    std::string const out = wrap("--lang zh --size 32 '国际合作'", &rc);
    CHECK(rc == 2);
    CHECK(out.find("--width-px is required") != std::string::npos);
    wrap("--lang fr --width-px 200 --size 32 'x'", &rc);
    CHECK(rc == 2);
    wrap("--lang en --width-px 0 --size 32 'x'", &rc);
    CHECK(rc == 2);
    wrap("--lang en --width-px 200 --size 32", &rc);
    CHECK(rc == 2);
}
