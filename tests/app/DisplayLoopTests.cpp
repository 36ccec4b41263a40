// The display loop itself, driven in-process on virtual time through a VirtualWindow over the
// headless (software-rendered) window: what a visitor would notice when the window is resized
// mid-drag, how long a still slide sleeps, and what a render device reset does to the slides.

#include "LoopFixture.h"
#include "kiosk/app/LoopHealth.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using namespace kiosk::app;
using kiosk::test::TempDir;

using kiosk::test::Loop;

TEST_CASE("a resize during a drag leaves the show advancing", "[app][threads]")
{
    Loop loop;
    loop.run_for(0);
    REQUIRE(loop.slide() == 0);
    // A finger lands and drags the slide a third of the way left, and stays down.
    loop.finger(SDL_FINGERDOWN, 0.7, 0.5);
    for (int i = 1; i <= 10; ++i) {
        loop.run_for(16);
        loop.finger(SDL_FINGERMOTION, 0.7 - 0.033 * i, 0.5);
    }
    loop.run_for(16);
    REQUIRE(loop.display->view(loop.clock.now_ms()).motion == show::Motion::Slide);
    // The window is resized (a panel re-plugged, an operator dragging the window edge).
    loop.window_event(SDL_WINDOWEVENT_SIZE_CHANGED);
    loop.run_for(1'000);
    CHECK(loop.display->view(loop.clock.now_ms()).motion == show::Motion::Still);
    CHECK(loop.slide() == 0); // the drag was cancelled: the slide settled back
    // The lifted finger of the cancelled drag does nothing; auto-advance carries on by itself.
    loop.finger(SDL_FINGERUP, 0.37, 0.5);
    loop.run_for(12'000);
    CHECK(loop.slide() == 1);
    // And a new swipe still pages.
    loop.finger(SDL_FINGERDOWN, 0.8, 0.5);
    for (int i = 1; i <= 8; ++i) {
        loop.run_for(16);
        loop.finger(SDL_FINGERMOTION, 0.8 - 0.075 * i, 0.5);
    }
    loop.finger(SDL_FINGERUP, 0.2, 0.5);
    loop.run_for(1'000);
    CHECK(loop.slide() == 2);
}

TEST_CASE("a still slide sleeps until its deadline in one jump of the clock", "[app][threads]")
{
    Loop loop;
    TimeMs const start = loop.clock.now_ms();
    loop.run_for(0);
    CHECK(loop.display->frames() == 1);
    // The loop's own deadline: the end of the first slide's 10 s, nothing earlier.
    CHECK(loop.display->next_deadline_ms(start) == start + 10'000);
    loop.run_for(9'999);
    CHECK(loop.display->frames() == 1); // nothing was drawn while the slide stood still
    CHECK(loop.window->stats().jumps == 1);
    CHECK(loop.window->stats().longest_jump_ms == 9'999);
    CHECK(loop.slide() == 0);
    // At the deadline the crossfade starts and runs at the frame rate.
    loop.run_for(1'000);
    CHECK(loop.slide() == 1);
    CHECK(loop.display->frames() > 20);
}

TEST_CASE("after a render targets reset the slides are uploaded again and drawn", "[app][render][threads]")
{
    Loop loop;
    loop.run_for(2'000);
    auto const uploads_before = loop.display->textures().stats().uploads;
    auto const frames_before = loop.display->frames();
    REQUIRE(loop.display->textures().count() >= 1);
    SDL_Event reset {};
    reset.type = SDL_RENDER_TARGETS_RESET;
    loop.window->inject(reset);
    loop.run_for(100);
    CHECK(loop.display->textures().stats().resets == 1);
    CHECK(loop.display->textures().stats().uploads > uploads_before);
    CHECK(loop.display->frames() == frames_before + 1); // the picture was drawn again, once
    CHECK(loop.display->textures().count() >= 1);
    // The same with a device reset (every texture gone): the show goes on.
    reset.type = SDL_RENDER_DEVICE_RESET;
    loop.window->inject(reset);
    loop.run_for(9'000);
    CHECK(loop.display->textures().stats().resets == 2);
    CHECK(loop.slide() == 1);
}

TEST_CASE("over many slide changes the slide textures stay within their budget", "[app][threads]")
{
    Loop loop;
    std::size_t most = 0;
    for (int i = 0; i < 40; ++i) { // 200 s: the demo's 17 slides and more
        loop.run_for(5'000);
        most = std::max(most, loop.display->textures().count());
        REQUIRE(loop.display->textures().bytes() <= loop.display->textures().budget_bytes());
    }
    CHECK(loop.slide() >= 10);
    CHECK(most <= 4);
    CHECK(loop.display->textures().stats().evictions > 0);
}

TEST_CASE("a display that is lost and comes back, or a device reset, leaves the same picture on screen",
    "[app][render][threads]")
{
    // A rotated panel (the rotation target), the language button and the open service panel: every
    // texture the screen owns besides the slides.
    Loop loop([](Config& config) {
        config.rotation_degrees = 90;
        config.idle_timeout_s = 0;
        config.language_mode = LanguageMode::Toggle;
    });
    loop.run_for(1'000);
    loop.key(SDLK_SPACE); // paused: the picture should not change by itself
    loop.run_for(100);
    loop.key(SDLK_F12);
    loop.run_for(400);
    REQUIRE(loop.display->service_open());
    auto const before = loop.pixels();
    render::ScreenSize const size = loop.display->physical_size();
    REQUIRE(test::mean_brightness(before, size.width_px, 0, 0, size.width_px, size.height_px) > 5);

    auto display_event = [&](Uint8 what) {
        SDL_Event event {};
        event.type = SDL_DISPLAYEVENT;
        event.display.display = 0;
        event.display.event = what;
        loop.window->inject(event);
    };
    // HDMI unplugged: the show keeps running (nothing to draw to is no reason to stop).
    display_event(SDL_DISPLAYEVENT_DISCONNECTED);
    loop.run_for(50);
    // Plugged in again: everything is rebuilt and the next frame is the same picture, not black.
    auto const frames_before = loop.display->frames();
    display_event(SDL_DISPLAYEVENT_CONNECTED);
    loop.run_for(50);
    CHECK(loop.display->frames() > frames_before);
    CHECK(loop.display->textures().stats().resets == 1);
    CHECK(test::changed_fraction(before, loop.pixels(), size.width_px, 0, 0, size.width_px, size.height_px) < 0.03);

    // A render device reset (a GPU reset, KMSDRM after a mode change): the same.
    auto const frames_before_reset = loop.display->frames();
    loop.push(SDL_RENDER_DEVICE_RESET);
    loop.run_for(50);
    CHECK(loop.display->frames() > frames_before_reset);
    CHECK(loop.display->textures().stats().resets == 2);
    // The panel's log lines now say what happened, a few percent of the screen at most; a black or
    // slide-less frame would differ nearly everywhere.
    CHECK(test::changed_fraction(before, loop.pixels(), size.width_px, 0, 0, size.width_px, size.height_px) < 0.03);
    CHECK(loop.display->service_open());

    // And the show goes on after it.
    loop.key(SDLK_SPACE);
    loop.run_for(30'000);
    CHECK(loop.slide() >= 1);
}

TEST_CASE("the watchdog is pinged only while the loop turns and its frames get drawn", "[app]")
{
    LoopHealth health(1'000);
    TimeMs now = 0;
    auto turn_for = [&](TimeMs ms, bool frame_owed) {
        for (TimeMs end = now + ms; now < end; now += 100)
            health.iteration_done(now, frame_owed);
    };
    turn_for(5'000, false);
    CHECK(health.pings() == 4); // at 1, 2, 3 and 4 s
    // The loop still turns, but every frame it owes fails to appear (a present that fails, a
    // texture that never comes): after stall_ms the pings stop, and systemd restarts the app.
    turn_for(LoopHealth::stall_ms + 20'000, true);
    CHECK(health.pings() == 4 + LoopHealth::stall_ms / 1'000); // until 10 s after the first owed frame
    // Frames come again: so do the pings.
    auto const stalled_pings = health.pings();
    turn_for(3'000, false);
    CHECK(health.pings() == stalled_pings + 3);
    // A loop that does not turn at all sends nothing, by construction: nothing else calls it.
}
