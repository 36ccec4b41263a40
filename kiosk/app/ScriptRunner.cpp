#include "kiosk/app/ScriptRunner.h"

#include "kiosk/app/Display.h"
#include "kiosk/app/VirtualWindow.h"
#include "platform/Log.h"

#include <algorithm>
#include <chrono>

namespace kiosk::app {

namespace {

constexpr TimeMs frame_ms = 16;

class Runner {
public:
    Runner(Display& display, VirtualWindow& window, FakeClock& clock)
        : m_display(display)
        , m_window(window)
        , m_clock(clock)
    {
    }

    // The display loop, until the virtual clock reaches now + ms (one more turn at that time).
    void run_for(TimeMs ms)
    {
        TimeMs const horizon = m_clock.now_ms() + ms;
        m_window.set_horizon(horizon);
        for (;;) {
            TimeMs const now = m_window.now_ms();
            for (auto const& event : m_window.poll(now))
                m_display.event(event, now);
            m_display.iterate(now);
            if (m_display.quit_requested() || now >= horizon)
                return;
            m_window.wait_until(m_display.next_deadline_ms(now));
        }
    }

    void finger(Uint32 type, double x, double y)
    {
        SDL_Event event {};
        event.type = type;
        event.tfinger.fingerId = 1;
        render::ScreenSize const size = m_display.physical_size();
        event.tfinger.x = float(x / std::max(1, size.width_px));
        event.tfinger.y = float(y / std::max(1, size.height_px));
        m_window.inject(event);
    }

    void mouse(Uint32 type, double x, double y)
    {
        SDL_Event event {};
        event.type = type;
        if (type == SDL_MOUSEMOTION) {
            event.motion.x = int(x);
            event.motion.y = int(y);
        } else {
            event.button.button = SDL_BUTTON_LEFT;
            event.button.x = int(x);
            event.button.y = int(y);
        }
        m_window.inject(event);
    }

    void key(SDL_Keycode code)
    {
        SDL_Event event {};
        event.type = SDL_KEYDOWN;
        event.key.keysym.sym = code;
        m_window.inject(event);
    }

private:
    Display& m_display;
    VirtualWindow& m_window;
    FakeClock& m_clock;
};

} // namespace

int run_script(Config const& config, std::vector<ScriptStep> const& steps)
{
    auto const wall_start = std::chrono::steady_clock::now();
    FakeClock clock;
    auto output = open_window(config, clock);
    if (!output) {
        log::error("app", output.message());
        return 2;
    }
    VirtualWindow window(std::move(output.value()), clock);
    auto created = Display::create(config, window, window.now_ms());
    if (!created) {
        log::error("app", created.message());
        return 2;
    }
    Display& display = *created.value();
    Runner runner(display, window, clock);
    TimeMs const start_ms = clock.now_ms();
    int failures = 0;
    auto expect = [&](ScriptStep const& step, bool ok, std::string const& expected, std::string const& actual) {
        if (ok)
            return;
        ++failures;
        log::error("script", "line " + std::to_string(step.line) + ": expected " + expected + ", but " + actual);
    };
    runner.run_for(0);
    for (auto const& step : steps) {
        TimeMs const now = clock.now_ms();
        switch (step.kind) {
        case ScriptStep::Kind::Wait:
            runner.run_for(TimeMs(step.ms));
            break;
        case ScriptStep::Kind::Tap:
        case ScriptStep::Kind::Click: {
            bool const touch = step.kind == ScriptStep::Kind::Tap;
            touch ? runner.finger(SDL_FINGERDOWN, step.x1, step.y1)
                  : runner.mouse(SDL_MOUSEBUTTONDOWN, step.x1, step.y1);
            runner.run_for(80);
            touch ? runner.finger(SDL_FINGERUP, step.x1, step.y1) : runner.mouse(SDL_MOUSEBUTTONUP, step.x1, step.y1);
            runner.run_for(frame_ms);
            break;
        }
        case ScriptStep::Kind::LongPress:
            runner.finger(SDL_FINGERDOWN, step.x1, step.y1);
            runner.run_for(TimeMs(step.ms));
            runner.finger(SDL_FINGERUP, step.x1, step.y1);
            runner.run_for(frame_ms);
            break;
        case ScriptStep::Kind::Drag:
        case ScriptStep::Kind::MouseDrag: {
            bool const touch = step.kind == ScriptStep::Kind::Drag;
            touch ? runner.finger(SDL_FINGERDOWN, step.x1, step.y1)
                  : runner.mouse(SDL_MOUSEBUTTONDOWN, step.x1, step.y1);
            int const moves = std::max(1, step.ms / int(frame_ms));
            for (int i = 1; i <= moves; ++i) {
                runner.run_for(TimeMs(step.ms) / TimeMs(moves));
                double const t = double(i) / moves;
                double const x = step.x1 + (step.x2 - step.x1) * t;
                double const y = step.y1 + (step.y2 - step.y1) * t;
                touch ? runner.finger(SDL_FINGERMOTION, x, y) : runner.mouse(SDL_MOUSEMOTION, x, y);
            }
            touch ? runner.finger(SDL_FINGERUP, step.x2, step.y2) : runner.mouse(SDL_MOUSEBUTTONUP, step.x2, step.y2);
            runner.run_for(frame_ms);
            break;
        }
        case ScriptStep::Kind::Key: {
            SDL_Keycode const code = SDL_GetKeyFromName(step.text.c_str());
            if (code == SDLK_UNKNOWN) {
                log::error("script", "line " + std::to_string(step.line) + ": unknown key '" + step.text + "'");
                return 2;
            }
            runner.key(code);
            runner.run_for(frame_ms);
            break;
        }
        case ScriptStep::Kind::Screenshot:
            if (auto saved = display.screenshot(step.text, now); !saved) {
                log::error("script", saved.message());
                return 2;
            }
            break;
        case ScriptStep::Kind::ExpectSlide: {
            int const shown = display.view(now).current + 1;
            expect(step, shown == step.number, "slide " + std::to_string(step.number),
                "slide " + std::to_string(shown) + " is on screen");
            break;
        }
        case ScriptStep::Kind::ExpectPaused: {
            bool const paused = display.paused();
            expect(step, paused == (step.text == "yes"), step.text == "yes" ? "paused" : "running",
                paused ? "the show is paused" : "the show is running");
            break;
        }
        case ScriptStep::Kind::ExpectService: {
            bool const open = display.service_open();
            expect(step, open == (step.text == "yes"), step.text == "yes" ? "the service overlay open" : "it closed",
                open ? "it is open" : "it is closed");
            break;
        }
        case ScriptStep::Kind::ExpectLanguage:
            expect(step, display.language() == step.text, "language " + step.text,
                "the language is " + display.language());
            break;
        }
        if (display.quit_requested())
            break;
    }
    auto const wall_ms
        = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - wall_start).count();
    VirtualWindow::Stats const& stats = window.stats();
    log::info("script",
        "drew " + std::to_string(display.frames()) + " frames; " + std::to_string(clock.now_ms() - start_ms)
            + " ms of virtual time in " + std::to_string(stats.jumps) + " sleeps (longest "
            + std::to_string(stats.longest_jump_ms) + " ms); " + std::to_string(wall_ms) + " ms of real time");
    display.quit(clock.now_ms());
    if (failures == 0)
        log::info("script", std::to_string(steps.size()) + " steps, all expectations met");
    return failures == 0 ? 0 : 1;
}

} // namespace kiosk::app
