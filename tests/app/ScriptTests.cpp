// End-to-end input: scripts replayed against the real kiosk binary on a virtual clock, in every
// display rotation. Script coordinates are physical panel pixels, so each test maps the logical
// gesture it means through the rotation, exactly as a finger on a rotated panel would.

#include "../support/TestSupport.h"
#include "kiosk/content/Image.h"
#include "kiosk/input/Rotation.h"
#include "platform/Files.h"

#include <catch2/catch.hpp>
#include <sstream>

using namespace kiosk;
using kiosk::test::TempDir;

namespace {

constexpr int panel_w = 960;
constexpr int panel_h = 540;

struct Panel {
    input::Rotation rotation;
    int degrees;

    // A logical point (0..1 of the content) as panel pixels.
    std::string at(double x, double y) const
    {
        auto const p = input::logical_to_physical({ x, y }, rotation);
        std::ostringstream out;
        out << int(p.x * panel_w) << ' ' << int(p.y * panel_h);
        return out.str();
    }
    std::string drag(double x1, double y1, double x2, double y2, int ms) const
    {
        return "drag " + at(x1, y1) + " " + at(x2, y2) + " " + std::to_string(ms) + "\n";
    }
};

std::string run_script(
    TempDir const& dir, std::string const& script, int degrees, int* status, std::string const& extra = "")
{
    test::write_text(dir / "input.script", script);
    std::string output;
    *status = test::run_command(test::kiosk_command(dir.path(), "--no-updates") + " --headless --size "
            + std::to_string(panel_w) + "x" + std::to_string(panel_h) + " --rotate " + std::to_string(degrees) + " "
            + extra + " --script " + test::quote(dir / "input.script"),
        &output);
    return output;
}

} // namespace

TEST_CASE("swipe, slow drag, tap-to-pause and the idle timeout work in every rotation", "[input][render]")
{
    auto const [rotation, degrees] = GENERATE(table<input::Rotation, int>({
        { input::Rotation::R0, 0 },
        { input::Rotation::R90, 90 },
        { input::Rotation::R180, 180 },
        { input::Rotation::R270, 270 },
    }));
    Panel const panel { rotation, degrees };
    TempDir dir;
    std::string script = "expect slide 1\n";
    // A quick swipe to the left brings the next slide.
    script += panel.drag(0.8, 0.5, 0.2, 0.5, 250) + "wait 500\nexpect slide 2\n";
    // A slow drag to the right released before the middle springs back.
    script += panel.drag(0.3, 0.5, 0.6, 0.5, 1500) + "wait 600\nexpect slide 2\n";
    // A swipe to the right goes back.
    script += panel.drag(0.2, 0.5, 0.8, 0.5, 250) + "wait 500\nexpect slide 1\n";
    // A tap pauses: the slide stays far past its duration (under the 45 s idle timeout).
    script += "tap " + panel.at(0.5, 0.4) + "\nexpect paused yes\nwait 40000\nexpect slide 1\nexpect paused yes\n";
    // 45 s after the last touch the show resumes by itself.
    script += "wait 10000\nexpect paused no\n";
    int rc = -1;
    std::string const output = run_script(dir, script, degrees, &rc);
    INFO("rotation " << degrees << "\n" << script << output);
    CHECK(rc == 0);
    CHECK_THAT(output, Catch::Contains("all expectations met"));
}

TEST_CASE("a wrong expectation fails the script with its line", "[input][render]")
{
    TempDir dir;
    int rc = -1;
    std::string const output = run_script(dir, "wait 100\nexpect slide 5\n", 0, &rc);
    CHECK(rc == 1);
    CHECK_THAT(output, Catch::Contains("line 2: expected slide 5, but slide 1 is on screen"));
}

TEST_CASE("a vertical drag does not page", "[input][render]")
{
    TempDir dir;
    Panel const panel { input::Rotation::R90, 90 };
    int rc = -1;
    std::string const output
        = run_script(dir, panel.drag(0.5, 0.8, 0.5, 0.2, 250) + "wait 500\nexpect slide 1\n", 90, &rc);
    INFO(output);
    CHECK(rc == 0);
}

TEST_CASE("mouse drags and clicks on the dots page like touch", "[input][render]")
{
    TempDir dir;
    int rc = -1;
    // Dots are centred at the bottom; in a 960x540 window a 17-slide pack's dots span the middle.
    std::string const output = run_script(dir,
        "mousedrag 800 270 100 270 250\nwait 500\nexpect slide 2\n"
        "key Right\nwait 500\nexpect slide 3\nkey Left\nwait 500\nexpect slide 2\n"
        "key Space\nexpect paused yes\nkey Space\nexpect paused no\n",
        0, &rc);
    INFO(output);
    CHECK(rc == 0);
}

TEST_CASE("in toggle mode the language button switches language and idle switches back", "[input][render]")
{
    TempDir dir;
    int rc = -1;
    // The button sits bottom right: 200x72 design px with a 28 px margin, scaled to 540 px height.
    std::string const output = run_script(dir,
        "expect language en\ntap 890 495\nexpect language zh\nscreenshot " + (dir / "zh.png").string()
            + "\nwait 46000\nexpect language en\n",
        0, &rc, "--mode toggle");
    INFO(output);
    CHECK(rc == 0);
    CHECK(std::filesystem::exists(dir / "zh.png"));
}

TEST_CASE("a rotated panel shows the portrait layout turned onto it", "[input][render]")
{
    TempDir dir;
    int rc = -1;
    run_script(dir, "screenshot " + (dir / "panel.png").string() + "\n", 90, &rc);
    REQUIRE(rc == 0);
    REQUIRE(test::run_command(test::kiosk_command(dir.path(), "--no-updates")
                + " --headless --size 540x960 --screenshot " + test::quote(dir / "portrait.png"))
        == 0);
    auto load = [](std::filesystem::path const& path) {
        auto bytes = files::read_file(path, 64 << 20);
        REQUIRE(bytes.ok());
        auto image = content::decode_image(*bytes, 8192);
        REQUIRE(image.ok());
        return std::move(image.value());
    };
    auto const panel = load(dir / "panel.png");
    auto const portrait = load(dir / "portrait.png");
    REQUIRE(panel.width_px == panel_w);
    REQUIRE(panel.height_px == panel_h);
    // Content turned 90 degrees clockwise: portrait pixel (x, y) lands at panel (W-1-y, x).
    double total_difference = 0;
    for (int y = 0; y < portrait.height_px; y += 4) {
        for (int x = 0; x < portrait.width_px; x += 4) {
            auto const* a = &portrait.rgba[(std::size_t(y) * std::size_t(portrait.width_px) + std::size_t(x)) * 4];
            int const px = panel_w - 1 - y;
            int const py = x;
            auto const* b = &panel.rgba[(std::size_t(py) * std::size_t(panel_w) + std::size_t(px)) * 4];
            total_difference += std::abs(a[0] - b[0]) + std::abs(a[1] - b[1]) + std::abs(a[2] - b[2]);
        }
    }
    double const samples = (portrait.height_px / 4.0) * (portrait.width_px / 4.0);
    CHECK(total_difference / samples < 6.0); // same picture, up to resampling at the edges
}

TEST_CASE("a pack can ask for toggle mode, overriding the display's dual mode", "[input][render]")
{
    TempDir dir;
    test::write_sample_source(dir / "src");
    std::string pack_toml = test::read_text(dir / "src/pack.toml");
    pack_toml.insert(pack_toml.find("[title]"), "language_mode = \"toggle\"\n");
    test::write_text(dir / "src/pack.toml", pack_toml);
    REQUIRE(test::run_command(std::string(KIOSK_PACK_BIN) + " build " + test::quote(dir / "src") + " -o "
                + test::quote(dir / "toggle.kpack"))
        == 0);
    int rc = -1;
    // The display is configured dual (the default); the pack's toggle mode shows the EN / 中文 button.
    std::string const output = run_script(dir, "expect language en\ntap 890 495\nexpect language zh\n", 0, &rc,
        "--mode dual --pack " + test::quote(dir / "toggle.kpack"));
    INFO(output);
    CHECK(rc == 0);
}

TEST_CASE("a scripted still slide sleeps until its deadline without real time passing", "[input][render]")
{
    TempDir dir;
    int rc = -1;
    // Paused, the show stands still until the 45 s idle timeout: 40 s of virtual time must be one
    // sleep of the loop, with the frames of the tap and nothing else.
    std::string const output
        = run_script(dir, "tap 480 200\nexpect paused yes\nwait 40000\nexpect paused yes\nexpect slide 1\n", 0, &rc);
    INFO(output);
    REQUIRE(rc == 0);
    auto const at = output.find("script: drew ");
    REQUIRE(at != std::string::npos);
    int frames = 0, virtual_ms = 0, sleeps = 0, longest_ms = 0, real_ms = 0;
    REQUIRE(std::sscanf(output.c_str() + at,
                "script: drew %d frames; %d ms of virtual time in %d sleeps (longest %d ms); %d ms of real time",
                &frames, &virtual_ms, &sleeps, &longest_ms, &real_ms)
        == 5);
    CHECK(frames <= 3); // the first frame, the pause badge
    CHECK(virtual_ms >= 40'000);
    CHECK(longest_ms >= 39'900); // one jump to the end of the wait, not 16 ms steps
    CHECK(sleeps <= 10);
    CHECK(real_ms < virtual_ms); // the 40 s did not pass for real
}
