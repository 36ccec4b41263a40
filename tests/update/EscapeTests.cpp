// Text from outside never reaches a terminal or a log raw: a slide name with an escape sequence, a
// .minisig holding control bytes, a file name with a newline in it. One helper (log::printable)
// escapes them; every log line and every printing command goes through it.

#include "UpdateTestSupport.h"

#include "platform/Log.h"

using namespace kiosk;
using namespace kiosk::test;

namespace {

// True when `text` holds a control character other than the newlines that end its lines.
bool has_raw_controls(std::string const& text)
{
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto const c = static_cast<unsigned char>(text[i]);
        if ((c < 0x20 && c != '\n') || c == 0x7F)
            return true;
        if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F)
            return true; // C1 controls, U+0080..U+009F
        if (text.compare(i, 3, "\xE2\x80\xAE") == 0)
            return true; // U+202E RIGHT-TO-LEFT OVERRIDE
    }
    return false;
}

} // namespace

TEST_CASE("printable escapes controls, overrides and broken UTF-8 and keeps the rest", "[update]")
{
    CHECK(log::printable("plain text, 中文 and émigré") == "plain text, 中文 and émigré");
    CHECK(log::printable("a\nb\rc\td") == "a\\nb\\rc\\td");
    CHECK(log::printable("\x1B[2J\x07\x7F") == "\\x1B[2J\\x07\\x7F");
    CHECK(log::printable("\xC2\x9B"
                         "31m")
        == "\\u{009B}31m"); // C1 CSI
    CHECK(log::printable("txt.\xE2\x80\xAE"
                         "exe")
        == "txt.\\u{202E}exe");
    CHECK(log::printable("\xFF\xC3(") == "\\xFF\\xC3(");
    CHECK(log::printable(std::string("nul\0byte", 8)) == "nul\\x00byte");
}

TEST_CASE("kiosk-pack inspect prints a pack's names and titles escaped", "[update]")
{
    TempDir tmp;
    fs::path const pack = tmp / "evil.kpack";
    copy_into(built_pack(2), pack);
    alter_pack(pack,
        "UPDATE slides SET name = 'x' || char(27) || '[2J' || char(10) || 'kiosk[info] forged line' WHERE position = 1;"
        "UPDATE slide_text SET text = 'title ' || char(8238) || 'gpj.exe' WHERE field = 'title';");
    std::string output;
    int const rc = run_command(std::string(KIOSK_PACK_BIN) + " inspect " + quote(pack), &output);
    INFO(log::printable(output));
    CHECK(rc == 0);
    CHECK_FALSE(has_raw_controls(output));
    CHECK_THAT(output, Catch::Contains("x\\x1B[2J\\nkiosk[info] forged line"));
    CHECK_THAT(output, Catch::Contains("title \\u{202E}gpj.exe"));
}

TEST_CASE("kiosk import prints the bytes of a stick's files escaped", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fs::create_directories(fixture.stick);
    // A file name with a newline and an escape sequence, and a .minisig of control bytes.
    std::string const name = "news\nkiosk import: installed\x1B[1A.kpack";
    fs::path const pack = fixture.stick / name;
    copy_into(built_pack(2), pack);
    write_text(pack.string() + ".minisig", "untrusted comment: \x1B]0;owned\x07\n\x1B[31mRWQ\x9B\n");
    std::string output;
    int const rc = run_command(std::string(KIOSK_BIN) + " import " + quote(pack) + " --data-dir " + quote(fixture.data)
            + " --keys " + quote(fixture.config.keys_dir),
        &output);
    INFO(log::printable(output));
    CHECK(rc == 1);
    CHECK_FALSE(has_raw_controls(output));
    CHECK_THAT(output, Catch::Contains("news\\nkiosk import: installed\\x1B[1A.kpack"));
    // One message, one line: the newline in the name cannot start a forged line.
    CHECK(std::count(output.begin(), output.end(), '\n') == 1);
    CHECK(fixture.version_at_boot() == 1);
}
