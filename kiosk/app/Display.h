#pragma once

// Display: the interactive slideshow. Owns the window (or, headless, an offscreen surface), the
// renderer, the slide textures, the loader thread, the navigator and the gesture recognizer, and
// runs the loop: events -> gestures -> navigator -> frame, sleeping in SDL_WaitEventTimeout
// whenever nothing moves. Main thread only.
//
// Coordinates: SDL reports touches normalised to the physical panel and the mouse in window
// pixels; both are mapped through the configured rotation to the logical (content) space the
// gesture recognizer and the layouts use (input/Rotation.h).

#include "kiosk/app/App.h"
#include "kiosk/app/Script.h"

#include <memory>

namespace kiosk::app {

class Display {
public:
    Display(Config const& config, Clock& clock);
    ~Display();
    Display(Display const&) = delete;
    Display& operator=(Display const&) = delete;

    // The real loop until quit (or --run-for). Returns the exit code.
    int run();
    // Replays a script on `clock` (which must be the clock given to the constructor), headless
    // when config.window is Headless. Exit code 0, or 1 when an `expect` failed.
    int run_script(std::vector<ScriptStep> const& steps, FakeClock& clock);

private:
    struct State;
    std::unique_ptr<State> m;
};

} // namespace kiosk::app
