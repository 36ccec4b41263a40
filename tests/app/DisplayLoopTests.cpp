// The display loop itself, driven in-process on virtual time through a VirtualWindow over the
// headless (software-rendered) window: what a visitor would notice when the window is resized
// mid-drag, how long a still slide sleeps, and what a render device reset does to the slides.

#include "../support/TestSupport.h"
#include "kiosk/app/Display.h"
#include "kiosk/app/VirtualWindow.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using namespace kiosk::app;
using kiosk::test::TempDir;

namespace {

constexpr int panel_w = 640;
constexpr int panel_h = 360;

// The built-in demo pack (its first slide stands for 10 s), headless, no updates, no data dir.
struct Loop {
    TempDir dir;
    Config config;
    FakeClock clock;
    std::unique_ptr<VirtualWindow> window;
    std::unique_ptr<Display> display;

    Loop()
    {
        config = default_config();
        config.window = WindowMode::Headless;
        config.width_px = panel_w;
        config.height_px = panel_h;
        config.updates_enabled = false;
        config.data_dir = dir / "data";
        auto output = open_window(config, clock);
        REQUIRE(output);
        window = std::make_unique<VirtualWindow>(std::move(output.value()), clock);
        auto created = Display::create(config, *window, clock.now_ms());
        REQUIRE(created);
        display = std::move(created.value());
    }
    ~Loop() { display.reset(); } // before the window it draws on

    // The loop of run_display_loop, until the virtual clock reaches now + ms.
    void run_for(TimeMs ms)
    {
        TimeMs const horizon = clock.now_ms() + ms;
        window->set_horizon(horizon);
        for (;;) {
            TimeMs const now = window->now_ms();
            for (auto const& event : window->poll(now))
                display->event(event, now);
            display->iterate(now);
            if (now >= horizon)
                return;
            window->wait_until(display->next_deadline_ms(now));
        }
    }
    void finger(Uint32 type, double x, double y)
    {
        SDL_Event event {};
        event.type = type;
        event.tfinger.fingerId = 1;
        event.tfinger.x = float(x);
        event.tfinger.y = float(y);
        window->inject(event);
    }
    void window_event(Uint8 what)
    {
        SDL_Event event {};
        event.type = SDL_WINDOWEVENT;
        event.window.event = what;
        window->inject(event);
    }
    int slide() const { return display->view(clock.now_ms()).current; }
};

} // namespace

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
