// The real `kiosk` binary rendering offscreen: what a person would see in the PNGs, and that it
// never shows a black screen whatever it is handed.

#include "../support/TestSupport.h"
#include "kiosk/content/Image.h"
#include "platform/Files.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using kiosk::test::TempDir;

namespace {

double mean_luma(content::Image const& image)
{
    double sum = 0;
    for (std::size_t i = 0; i < image.rgba.size(); i += 4)
        sum += 0.299 * image.rgba[i] + 0.587 * image.rgba[i + 1] + 0.114 * image.rgba[i + 2];
    return sum / (image.rgba.size() / 4);
}

// Runs kiosk with its own empty config and data folder (test::kiosk_command) unless args name theirs.
std::string run_kiosk(std::string const& args, int* status, std::string const& env = "")
{
    TempDir home;
    std::string output;
    int const rc = test::run_command(env + " " + test::kiosk_command(home.path(), args), &output);
    if (status)
        *status = rc;
    return output;
}

} // namespace

TEST_CASE("a headless screenshot shows the first slide's text on the left and the progress dots", "[render]")
{
    TempDir dir;
    int rc = -1;
    std::string const out = run_kiosk("--headless --screenshot " + test::quote(dir / "s.png"), &rc);
    INFO(out);
    REQUIRE(rc == 0);
    auto const image = test::load_png(dir / "s.png");
    REQUIRE(image.width_px == 1920);
    REQUIRE(image.height_px == 1080);
    // Hero layout: white title text in the left column, nothing that bright in the right third's
    // lower half (the image side stays clear of text).
    CHECK(test::bright_fraction(image, 96, 200, 900, 900) > 0.01);
    // The dots: a bright active dot near the bottom centre.
    CHECK(test::bright_fraction(image, 0, 1000, 1920, 1060) > 0.00005);
}

TEST_CASE("portrait screenshots have the portrait size and text", "[render]")
{
    TempDir dir;
    int rc = -1;
    run_kiosk("--headless --size 1080x1920 --slide 2 --screenshot " + test::quote(dir / "p.png"), &rc);
    REQUIRE(rc == 0);
    auto const image = test::load_png(dir / "p.png");
    CHECK(image.width_px == 1080);
    CHECK(image.height_px == 1920);
    CHECK(test::bright_fraction(image, 0, 0, 1080, 1920) > 0.005);
}

TEST_CASE("Chinese first and English first render differently", "[render]")
{
    TempDir dir;
    int rc = -1;
    run_kiosk("--headless --lang en --screenshot " + test::quote(dir / "en.png"), &rc);
    REQUIRE(rc == 0);
    run_kiosk("--headless --lang zh --screenshot " + test::quote(dir / "zh.png"), &rc);
    REQUIRE(rc == 0);
    CHECK(test::read_text(dir / "en.png") != test::read_text(dir / "zh.png"));
}

TEST_CASE("a missing or corrupt pack falls back to the built-in pack with a one-line reason", "[render]")
{
    TempDir dir;
    int rc = -1;
    run_kiosk("--headless --screenshot " + test::quote(dir / "builtin.png"), &rc);
    REQUIRE(rc == 0);

    std::string out = run_kiosk(
        "--headless --pack " + test::quote(dir / "nope.kpack") + " --screenshot " + test::quote(dir / "missing.png"),
        &rc);
    CHECK(rc == 0);
    CHECK_THAT(out, Catch::Contains("nope.kpack: cannot open pack"));
    CHECK(test::read_text(dir / "missing.png") == test::read_text(dir / "builtin.png"));

    test::write_text(dir / "corrupt.kpack", std::string(5000, 'x'));
    out = run_kiosk(
        "--headless --pack " + test::quote(dir / "corrupt.kpack") + " --screenshot " + test::quote(dir / "corrupt.png"),
        &rc);
    CHECK(rc == 0);
    CHECK_THAT(out, Catch::Contains("corrupt.kpack"));
    CHECK(test::read_text(dir / "corrupt.png") == test::read_text(dir / "builtin.png"));
}

TEST_CASE("with no usable pack at all the screen says what is wrong instead of going black", "[render]")
{
    TempDir dir;
    test::write_text(dir / "kiosk.toml", "builtin_pack = \"" + (dir / "gone.kpack").string() + "\"\n");
    int rc = -1;
    std::string const out = run_kiosk("--config " + test::quote(dir / "kiosk.toml") + " --headless --pack "
            + test::quote(dir / "also-gone.kpack") + " --screenshot " + test::quote(dir / "none.png"),
        &rc);
    INFO(out);
    CHECK(rc == 1);
    auto const image = test::load_png(dir / "none.png");
    CHECK(mean_luma(image) > 15.0); // not black
    CHECK(test::bright_fraction(image, 100, 100, 1800, 600) > 0.005); // the message is written on it
}

TEST_CASE("a bad config line is reported with file and line and the defaults are kept", "[render]")
{
    TempDir dir;
    test::write_text(dir / "kiosk.toml", "language_mode = \"dual\"\nlanguage_mod = \"toggle\"\nkiosk_mode = \"yes\"\n");
    int rc = -1;
    std::string const out = run_kiosk(
        "--config " + test::quote(dir / "kiosk.toml") + " --headless --screenshot " + test::quote(dir / "c.png"), &rc);
    CHECK(rc == 0);
    CHECK_THAT(out, Catch::Contains("kiosk.toml:2: unknown key 'language_mod'"));
    CHECK_THAT(out, Catch::Contains("kiosk.toml:3: 'kiosk_mode' has the wrong type"));
}

TEST_CASE("unreadable fonts give one line naming the folder", "[render]")
{
    TempDir dir;
    int rc = -1;
    std::string const out = run_kiosk(
        "--assets " + test::quote(dir / "no-assets") + " --headless --screenshot " + test::quote(dir / "f.png"), &rc);
    CHECK(rc == 2);
    CHECK_THAT(out, Catch::Contains("no-assets/fonts"));
}

TEST_CASE("the preview renders every slide in both languages", "[render]")
{
    TempDir dir;
    int rc = -1;
    std::string const out = run_kiosk("--headless --size 640x360 --preview-dir " + test::quote(dir / "preview"), &rc);
    REQUIRE(rc == 0);
    int files = 0;
    for (auto const& entry : std::filesystem::directory_iterator(dir / "preview")) {
        CHECK(entry.path().extension() == ".png");
        ++files;
    }
    CHECK(files >= 24); // at least 12 slides, each with English and with Chinese in front
    CHECK(std::filesystem::exists(dir / "preview/slide-01-en.png"));
    CHECK(std::filesystem::exists(dir / "preview/slide-01-zh.png"));
}

TEST_CASE("a still slide is not redrawn: the loop sleeps until the next deadline", "[render]")
{
    // A real window on SDL's offscreen video driver, with SDL's software renderer (what a machine
    // without a GPU uses; Mesa's GL under the offscreen driver leaks at exit, which LeakSanitizer
    // in CI would report as ours). Slides stand for 6+ s, so in 1.5 s the loop
    // should draw a handful of frames (first frame, exposes), not 60 Hz worth (~90).
    int rc = -1;
    std::string const out = run_kiosk(
        "--windowed 640x360 --run-for 1500 --no-updates", &rc, "SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software");
    INFO(out);
    REQUIRE(rc == 0);
    auto const at = out.find("drew ");
    REQUIRE(at != std::string::npos);
    int const frames = std::stoi(out.substr(at + 5));
    CHECK(frames >= 1);
    CHECK(frames <= 10);
}

TEST_CASE("SIGTERM ends the show cleanly, also in kiosk mode", "[render]")
{
    // systemd stops the service with SIGTERM: that is a clean exit (status 0, the frame count
    // logged), never a crash, even with --kiosk where Esc and closing the window do nothing.
    TempDir dir;
    test::write_text(dir / "empty.toml", "");
    std::string const log = (dir / "kiosk.log").string();
    std::string const script = "SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software " + std::string(KIOSK_BIN)
        + " --kiosk --windowed 320x180 -v --no-updates --run-for 60000 --data-dir " + test::quote(dir / "data")
        + " --config " + test::quote(dir / "empty.toml") + " > " + test::quote(log) + " 2>&1 &\n"
        + "pid=$!\nfor i in $(seq 300); do grep -q 'show: slide' " + test::quote(log)
        + " && break; sleep 0.1; done\nkill -TERM $pid\nwait $pid\n";
    test::write_text(dir / "run.sh", script);
    int const rc = test::run_command("bash " + test::quote(dir / "run.sh"));
    std::string const out = test::read_text(log);
    INFO(out);
    CHECK(rc == 0);
    CHECK_THAT(out, Catch::Contains("(stopped by a signal)"));
}
