#pragma once

// The one place that says what a gesture does to the slideshow: on-screen controls first (the
// EN / 中文 button, the progress dots), then the navigator. It lives in app/ because it joins two
// modules that do not know each other (input and show).

#include "kiosk/input/Gesture.h"
#include "kiosk/show/Navigator.h"

#include <SDL.h>
#include <functional>
#include <optional>

namespace kiosk::app {

// Applies one gesture to the navigator at now_ms (the loop's clock, the same one update() gets).
// A Tap the app consumed for an on-screen control should not come here (handle_control_tap).
// Vertical drags are not paging: like a phone's pager, the slide ignores them (they still count as
// activity for the idle timeout).
void apply(input::Gesture const& gesture, show::Navigator& navigator, show::TimeMs now_ms);

// What is on screen to tap, in logical pixels of a screen `width_px` × `height_px`.
struct OnScreenControls {
    int width_px { 0 };
    int height_px { 0 };
    std::optional<SDL_Rect> language_button; // only in toggle mode with two languages
    std::function<int(int x_px, int y_px)> dot_at; // the slide whose progress dot is there, or -1
};

enum class ControlTap {
    None, // not on a control: the slideshow takes the tap
    Language, // the language button: the caller switches the language
    Dot, // a progress dot: the navigator jumps to its slide
};

// On-screen controls take a tap before the slideshow does. A hit counts as activity.
ControlTap handle_control_tap(
    input::Gesture const& tap, OnScreenControls const& controls, show::Navigator& navigator, show::TimeMs now_ms);

} // namespace kiosk::app
