#pragma once

// Window: the display driver behind one interface, as SDL's video backends fill one driver struct.
// The loop (Display) draws with renderer(), presents, and asks the window for events and for sleep;
// it never calls SDL_Delay, SDL_GetTicks or SDL_WaitEvent itself.
//
// - SdlWindow: a real window (windowed, fullscreen; KMSDRM or SDL's offscreen driver are chosen by
//   SDL_VIDEODRIVER) on a steady clock. wait_until() sleeps in SDL_WaitEventTimeout; poll() drains
//   SDL's queue and stamps each event on the loop's clock.
// - HeadlessWindow: SDL's software renderer on a surface, no SDL_Init, no events (screenshots).
// - VirtualWindow (VirtualWindow.h): any of them on a FakeClock, for --script: events are
//   injected, and wait_until() jumps the virtual clock to the deadline instead of sleeping, so the
//   same deadline computation runs on virtual time.
//
// Main thread only. Creation fails with a message a person can act on.

#include "kiosk/app/Config.h"
#include "kiosk/render/SlideComposer.h"
#include "platform/Clock.h"
#include "platform/Result.h"
#include "platform/Sdl.h"

#include <memory>
#include <vector>

namespace kiosk::app {

using TimeMs = std::uint64_t;

// An SDL event and when it happened, on the loop's clock.
struct TimedEvent {
    SDL_Event event {};
    TimeMs time_ms { 0 };
};

class Window {
public:
    virtual ~Window() = default;

    virtual SDL_Renderer* renderer() const = 0;
    // The panel in pixels (what the renderer draws to).
    virtual render::ScreenSize output_size() const = 0;
    // The space mouse coordinates are in (points on a high-DPI screen), to normalise them.
    virtual render::ScreenSize pointer_space() const = 0;
    // SDL_RenderPresent blocks until the vertical blank.
    virtual bool vsync() const = 0;
    virtual void present() = 0;

    // The loop's clock (monotonic milliseconds). The loop reads it once per turn.
    virtual TimeMs now_ms() const = 0;
    // Every event queued now, oldest first, stamped on the loop's clock.
    virtual std::vector<TimedEvent> poll(TimeMs now_ms) = 0;
    // Sleeps until deadline_ms or until an event arrives, whichever is first.
    virtual void wait_until(TimeMs deadline_ms) = 0;
    // The clock only moves when the loop sleeps (VirtualWindow). Work of other threads (the slide
    // loader) then takes no time on it: the loop waits for that work instead of showing its absence.
    virtual bool time_is_virtual() const { return false; }

    // A quit signal (SIGTERM, SIGINT) arrived: the loop quits cleanly, also in kiosk mode.
    static bool quit_signal_received();
};

// A window for the configured mode (Fullscreen, Windowed, or Headless), drawn with the renderer
// `preference` picks (Config::renderer). Logs which renderer was chosen and why.
Result<std::unique_ptr<Window>> open_window(Config const& config, Clock const& clock);

// SDL's 32-bit millisecond event timestamps wrap after 49.7 days; a kiosk runs for months. The
// event's age is wrap-safe in 32 bits; subtract it from the loop's clock.
TimeMs event_time(std::uint32_t event_ticks, std::uint32_t ticks_now, TimeMs now_ms);

} // namespace kiosk::app
