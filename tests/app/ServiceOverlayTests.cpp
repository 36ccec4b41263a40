// The hidden service overlay, on the real loop in-process on virtual time: what a technician sees
// after F12 or a 5 s press in the top-left corner, that it closes by itself after 60 s, and that an
// open panel costs about one frame a second.

#include "LoopFixture.h"
#include "kiosk/app/ServiceOverlay.h"
#include "kiosk/content/Image.h"
#include "kiosk/update/Minisign.h"
#include "platform/Log.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <thread>

using namespace kiosk;
using namespace kiosk::app;
using kiosk::test::Loop;

namespace {

// The panel's orange accent line runs along its top edge, 4% of the height below the screen's top
// (the panel is 92% of the height, centred): an unmistakable sign the panel is on screen. Any
// row of the top 8% that is orange across the middle 80% of the width counts.
bool accent_visible(Loop const& loop)
{
    render::ScreenSize const size = loop.display->physical_size();
    std::vector<std::uint32_t> const px = loop.pixels();
    for (int y = 0; y < size.height_px * 8 / 100; ++y) {
        int orange = 0, n = 0;
        for (int x = size.width_px / 10; x < size.width_px * 9 / 10; ++x, ++n) {
            std::uint32_t const p = px[std::size_t(y) * std::size_t(size.width_px) + std::size_t(x)];
            int const r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
            orange += r > 220 && g > 140 && g < 200 && b < 100;
        }
        if (orange > n * 9 / 10)
            return true;
    }
    return false;
}

void no_idle_timeout(Config& config)
{
    config.idle_timeout_s = 0; // a paused show stays paused: only the overlay can cause frames
}

} // namespace

TEST_CASE("F12 shows the service panel, which redraws once a second and closes by itself after 60 s", "[app][threads]")
{
    Loop loop(no_idle_timeout);
    loop.run_for(1'000);
    loop.key(SDLK_SPACE); // pause, so the slide stands still
    loop.run_for(500);
    REQUIRE(loop.display->paused());
    auto const slide_only = loop.pixels();
    CHECK_FALSE(accent_visible(loop));

    loop.key(SDLK_F12);
    loop.run_for(100);
    REQUIRE(loop.display->service_open());
    CHECK(accent_visible(loop));
    auto const with_panel = loop.pixels();
    // The panel covers most of the screen, darker than the slide behind it.
    CHECK(test::changed_fraction(slide_only, with_panel, 640, 40, 40, 600, 320) > 0.8);
    CHECK(test::mean_brightness(with_panel, 640, 40, 200, 600, 320) < 60);

    // Open, it redraws when its text changes (the countdown): about once a second, no more.
    auto const frames_open = loop.display->frames();
    loop.run_for(30'000);
    auto const drawn = loop.display->frames() - frames_open;
    CHECK(drawn >= 25);
    CHECK(drawn <= 32);
    CHECK(loop.display->service_open());

    // 60 s after it opened it is gone, and the slide is back as it was.
    loop.run_for(29'950);
    CHECK_FALSE(loop.display->service_open());
    CHECK_FALSE(accent_visible(loop));
    CHECK(test::changed_fraction(slide_only, loop.pixels(), 640, 0, 0, 640, 360) < 0.01);
    // Closed, a paused slide costs nothing.
    auto const frames_closed = loop.display->frames();
    loop.run_for(20'000);
    CHECK(loop.display->frames() == frames_closed);

    // F12 opens it and F12 closes it at once.
    loop.key(SDLK_F12);
    loop.run_for(100);
    CHECK(loop.display->service_open());
    loop.key(SDLK_F12);
    loop.run_for(100);
    CHECK_FALSE(loop.display->service_open());
    CHECK_FALSE(accent_visible(loop));
}

TEST_CASE("a 5 s press in the top-left corner opens and closes the service panel; other presses do not",
    "[app][input][threads]")
{
    auto const degrees = GENERATE(0, 90);
    Loop loop([&](Config& config) { config.rotation_degrees = degrees; });
    loop.run_for(500);
    // The top-left corner as the visitor sees it: logical (0.03, 0.03), turned onto the panel.
    input::Rotation const rotation = *input::rotation_from_degrees(degrees);
    auto const corner = input::logical_to_physical({ 0.03, 0.03 }, rotation);
    auto const centre = input::logical_to_physical({ 0.5, 0.5 }, rotation);
    auto press = [&](input::NormalizedPoint p, TimeMs ms) {
        loop.finger(SDL_FINGERDOWN, p.x, p.y);
        loop.run_for(ms);
    };
    // 4 s in the corner: an ordinary long press.
    press(corner, 4'000);
    loop.finger(SDL_FINGERUP, corner.x, corner.y);
    loop.run_for(100);
    CHECK_FALSE(loop.display->service_open());
    // 6 s in the middle of the screen: nothing either.
    press(centre, 6'000);
    loop.finger(SDL_FINGERUP, centre.x, centre.y);
    loop.run_for(100);
    CHECK_FALSE(loop.display->service_open());
    // 5 s in the corner: it opens while the finger is still down.
    press(corner, 5'050);
    CHECK(loop.display->service_open());
    if (degrees == 0)
        CHECK(accent_visible(loop));
    loop.finger(SDL_FINGERUP, corner.x, corner.y);
    loop.run_for(2'000);
    CHECK(loop.display->service_open()); // lifting the finger does not close it
    // The same gesture closes it.
    press(corner, 5'050);
    loop.finger(SDL_FINGERUP, corner.x, corner.y);
    loop.run_for(100);
    CHECK_FALSE(loop.display->service_open());
}

TEST_CASE("the service facts say what a technician needs to know", "[app][threads]")
{
    Loop loop([](Config& config) {
        config.device_id = "lobby-east-2";
        config.warnings.push_back("kiosk.toml:3: unknown key 'rotaton' ignored");
    });
    // A trusted key, made the way an operator makes one.
    std::filesystem::create_directories(loop.dir / "keys");
    REQUIRE(
        test::run_command(std::string(KIOSK_PACK_BIN) + " keygen --no-password -o " + test::quote(loop.dir / "staff"))
        == 0);
    std::filesystem::copy_file(loop.dir / "staff.pub", loop.dir / "keys/staff.pub");
    test::write_text(loop.dir / "keys/broken.pub", "untrusted comment: not a key\nAAAA\n");
    auto const key = update::load_public_key(loop.dir / "staff.pub");
    REQUIRE(key);

    loop.run_for(12'000); // the first crossfade has run
    loop.key(SDLK_F12);
    loop.run_for(100);
    ServiceFacts const facts = loop.display->facts(loop.clock.now_ms());
    CHECK(facts.device_id == "lobby-east-2");
    CHECK(facts.app_version == KIOSK_VERSION);
    REQUIRE(facts.showing);
    CHECK(facts.showing->slides >= 10); // the built-in demo
    CHECK(facts.content_source == "built-in pack");
    CHECK_FALSE(facts.store_problem.empty()); // updates are off here: no data directory open
    CHECK(facts.key_ids == std::vector<std::string> { update::key_id_hex(key->key_id) });
    CHECK(facts.key_problems.size() == 1);
    CHECK(facts.display_mode == "headless");
    CHECK(facts.width_px == 640);
    CHECK(facts.height_px == 360);
    CHECK(facts.renderer.find("software") != std::string::npos);
    CHECK(facts.uptime_ms >= 12'000);
    CHECK(facts.frames == loop.display->frames());
    // The crossfade ran at the loop's frame pacing (15 ms between frames on virtual time).
    REQUIRE(facts.frame_p50_ms);
    CHECK(*facts.frame_p50_ms >= 15);
    CHECK(*facts.frame_p50_ms <= 17);
    REQUIRE(facts.last_transition_fps);
    CHECK(*facts.last_transition_fps > 50);
    CHECK(*facts.last_transition_fps < 70);
    CHECK(facts.config_warnings.size() == 1);
    REQUIRE_FALSE(facts.log_lines.empty());
    CHECK(facts.log_lines.size() <= ServiceOverlay::log_lines);
    CHECK_THAT(facts.log_lines.back(), Catch::Contains("service overlay opened"));
    // The rows the panel shows carry them.
    std::string all;
    for (auto const& [label, value] : fact_rows(facts))
        all += label + ": " + value + "\n";
    INFO(all);
    CHECK_THAT(all, Catch::Contains("Device: lobby-east-2"));
    CHECK_THAT(all, Catch::Contains(update::key_id_hex(key->key_id)));
    CHECK_THAT(all, Catch::Contains("fps"));
}

TEST_CASE("the log ring keeps the last lines, from every thread", "[app][threads]")
{
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([t] {
            for (int i = 0; i < 200; ++i)
                log::info("ring", "thread " + std::to_string(t) + " line " + std::to_string(i));
        });
    for (auto& thread : threads)
        thread.join();
    log::warn("ring", "the last one");
    auto const lines = log::recent_lines(20);
    REQUIRE(lines.size() == 20);
    CHECK(lines.back() == "[warn] ring: the last one");
    CHECK(log::recent_lines(1000).size() == log::ring_capacity);
    log::info("ring", std::string(5'000, 'x'));
    CHECK(log::recent_lines(1).front().size() < 400); // one huge line cannot flood the overlay
}

TEST_CASE("kiosk --script: F12 shows the panel in the screenshot, and it is gone 60 s later", "[app][render]")
{
    test::TempDir dir;
    test::write_text(dir / "empty.toml", "");
    test::write_text(dir / "input.script",
        "wait 2000\nkey F12\nwait 1000\nexpect service yes\nscreenshot " + (dir / "open.png").string()
            + "\nwait 59000\nexpect service no\nscreenshot " + (dir / "closed.png").string() + "\n");
    std::string output;
    int const rc = test::run_command(std::string(KIOSK_BIN) + " --headless --size 960x540 --no-updates --data-dir "
            + test::quote(dir / "data") + " --config " + test::quote(dir / "empty.toml") + " --status-file '' --script "
            + test::quote(dir / "input.script"),
        &output);
    INFO(output);
    REQUIRE(rc == 0);
    // The orange accent along the panel's top edge (4% down): the most orange row of the top 8%.
    auto orange_row = [](content::Image const& image) {
        double best = 0;
        for (int y = 0; y < image.height_px * 8 / 100; ++y) {
            int orange = 0, n = 0;
            for (int x = image.width_px / 10; x < image.width_px * 9 / 10; ++x, ++n) {
                auto const* p = &image.rgba[(std::size_t(y) * std::size_t(image.width_px) + std::size_t(x)) * 4];
                orange += p[0] > 220 && p[1] > 140 && p[1] < 200 && p[2] < 100;
            }
            best = std::max(best, double(orange) / n);
        }
        return best;
    };
    auto const open = test::load_png(dir / "open.png");
    auto const closed = test::load_png(dir / "closed.png");
    CHECK(orange_row(open) > 0.9);
    CHECK(orange_row(closed) < 0.1);
    // The facts are legible text: bright pixels in the panel's left half, on a dark ground.
    CHECK(test::bright_fraction(open, 40, 60, 480, 300) > 0.01);
    CHECK(test::bright_fraction(open, 40, 60, 480, 300) < 0.3);
}
