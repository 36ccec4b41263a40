#pragma once

// The display loop in-process on virtual time: a Display over the headless (software-rendered)
// window inside a VirtualWindow, driven turn by turn exactly as run_display_loop drives it.
// Hermetic: its own data folder, no updates, no status file unless a test asks for one.

#include "../support/TestSupport.h"
#include "kiosk/app/Display.h"
#include "kiosk/app/VirtualWindow.h"

#include <catch2/catch.hpp>

namespace kiosk::test {

struct Loop {
    TempDir dir;
    app::Config config;
    FakeClock clock;
    std::unique_ptr<app::VirtualWindow> window;
    std::unique_ptr<app::Display> display;

    // The built-in demo pack (its first slide stands for 10 s) on a 640x360 panel by default.
    explicit Loop(std::function<void(app::Config&)> const& adjust = {}, int width_px = 640, int height_px = 360)
    {
        config = app::default_config();
        config.window = app::WindowMode::Headless;
        config.width_px = width_px;
        config.height_px = height_px;
        config.updates_enabled = false;
        config.data_dir = dir / "data";
        config.keys_dir = dir / "keys";
        config.status_file.clear();
        if (adjust)
            adjust(config);
        auto output = app::open_window(config, clock);
        REQUIRE(output);
        window = std::make_unique<app::VirtualWindow>(std::move(output.value()), clock);
        auto created = app::Display::create(config, *window, clock.now_ms());
        REQUIRE(created);
        display = std::move(created.value());
    }
    ~Loop() { display.reset(); } // before the window it draws on

    // The loop of run_display_loop, until the virtual clock reaches now + ms.
    void run_for(app::TimeMs ms)
    {
        app::TimeMs const horizon = clock.now_ms() + ms;
        window->set_horizon(horizon);
        for (;;) {
            app::TimeMs const now = window->now_ms();
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
    void key(SDL_Keycode code)
    {
        SDL_Event event {};
        event.type = SDL_KEYDOWN;
        event.key.keysym.sym = code;
        window->inject(event);
    }
    void window_event(Uint8 what)
    {
        SDL_Event event {};
        event.type = SDL_WINDOWEVENT;
        event.window.event = what;
        window->inject(event);
    }
    void push(Uint32 type)
    {
        SDL_Event event {};
        event.type = type;
        window->inject(event);
    }
    int slide() const { return display->view(clock.now_ms()).current; }

    // The last presented frame, read back from the headless window's surface (ARGB8888).
    std::vector<std::uint32_t> pixels() const
    {
        render::ScreenSize const size = display->physical_size();
        std::vector<std::uint32_t> out(std::size_t(size.width_px) * std::size_t(size.height_px));
        REQUIRE(
            SDL_RenderReadPixels(window->renderer(), nullptr, SDL_PIXELFORMAT_ARGB8888, out.data(), size.width_px * 4)
            == 0);
        return out;
    }
};

// Mean brightness (0..255) of a rectangle of ARGB8888 pixels in a frame `width` wide.
inline double mean_brightness(std::vector<std::uint32_t> const& px, int width, int x0, int y0, int x1, int y1)
{
    double sum = 0;
    int n = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x, ++n) {
            std::uint32_t const p = px[std::size_t(y) * std::size_t(width) + std::size_t(x)];
            sum += ((p >> 16) & 0xff) * 0.3 + ((p >> 8) & 0xff) * 0.59 + (p & 0xff) * 0.11;
        }
    return n ? sum / n : 0;
}

// Fraction of pixels in a rectangle that differ between two frames.
inline double changed_fraction(
    std::vector<std::uint32_t> const& a, std::vector<std::uint32_t> const& b, int width, int x0, int y0, int x1, int y1)
{
    int changed = 0, n = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x, ++n) {
            std::size_t const i = std::size_t(y) * std::size_t(width) + std::size_t(x);
            changed += a[i] != b[i];
        }
    return n ? double(changed) / n : 0;
}

} // namespace kiosk::test
