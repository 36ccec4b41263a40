#pragma once

// Display: the interactive slideshow loop, in SDL3's app shape on SDL2 (init / event / iterate /
// quit). It owns the show's state (the pack on screen, the navigator, the language) and the units
// that do the work:
//   Window           (Window.h)            the driver: renderer, present, events, sleep
//   InputTranslator  (InputTranslator.h)   SDL events -> gestures -> navigator, control taps
//   UpdateUi         (UpdateUi.h)          the updater thread, toast, progress bar, pending pack
//   SlideLoader      (render/SlideLoader.h) the worker thread that composes slides
//   SlideTextureCache (render/SlideTextureCache.h) the slides' textures: budget, retry, reset
//   Screen           (Screen.h)            frame, rotation, language button
//   LoopHealth       (LoopHealth.h)        READY / WATCHDOG for systemd, "healthy" for the store
//   ServiceOverlay   (ServiceOverlay.h)    the hidden service panel (F12, 5 s corner press)
//   StatusFile       (StatusFile.h)        the status JSON for monitoring, every 5 s
// Nothing in it or below it reads a clock: the caller reads `now` once per turn and passes it in,
// so a --script run drives the same loop on virtual time (VirtualWindow). Main thread only.
//
//   auto display = Display::create(config, window, window.now_ms());
//   while (!display->quit_requested()) {
//       TimeMs now = window.now_ms();
//       for (auto& e : window.poll(now)) display->event(e, now);
//       display->iterate(now);
//       window.wait_until(display->next_deadline_ms(now));
//   }
//   display->quit(window.now_ms());

#include "kiosk/app/App.h"
#include "kiosk/app/ServiceFacts.h"
#include "kiosk/app/Window.h"
#include "kiosk/render/SlideTextureCache.h"

#include <filesystem>
#include <functional>
#include <memory>

namespace kiosk::app {

class Display {
public:
    // Opens the fonts, chooses the content, starts the loader and the updater. The window must
    // outlive the Display.
    static Result<std::unique_ptr<Display>> create(Config const& config, Window& window, TimeMs now);
    ~Display();
    Display(Display const&) = delete;
    Display& operator=(Display const&) = delete;

    void event(TimedEvent const& event, TimeMs now);
    // Time-driven input, updates, the navigator, textures; draws a frame only if the picture changed.
    void iterate(TimeMs now);
    // When iterate() must run next if no event comes: the next frame while something moves, else
    // the earliest of every unit's deadline (at most a minute away). Always after now.
    TimeMs next_deadline_ms(TimeMs now) const;
    bool quit_requested() const;
    // The clean end of the loop (Esc, window closed, SIGTERM/SIGINT, --run-for): logs the frame
    // count and runs the clean-exit hook.
    void quit(TimeMs now);

    // Called by quit() with the store when the show ran from the data directory. The lead wires
    // update::Store::note_clean_exit() here, so a clean exit never counts as an unhealthy start.
    void set_clean_exit_hook(std::function<void(update::Store&)> hook);

    // For scripts and tests.
    show::ViewState view(TimeMs now) const;
    bool paused() const;
    std::string const& language() const;
    std::uint64_t frames() const;
    render::ScreenSize physical_size() const;
    render::SlideTextureCache const& textures() const;
    bool service_open() const;
    // What the service overlay and the status file show now.
    ServiceFacts facts(TimeMs now) const;
    // Hands a pack to the loop as if the updater had installed it: it goes on screen at the next
    // slide boundary, through the same activation as an update (the soak test's pack swaps).
    void offer_pack(std::shared_ptr<content::Pack const> pack, TimeMs now);
    // Draws the current view now and saves the panel as a PNG.
    Status screenshot(std::filesystem::path const& path, TimeMs now);

private:
    struct State;
    explicit Display(std::unique_ptr<State> state);
    std::unique_ptr<State> m;
};

// The loop above, in a real window until quit. Returns the exit code.
int run_display_loop(Config const& config, Window& window);

} // namespace kiosk::app
