#pragma once

// The one place that says what a gesture does to the slideshow. Header-only on purpose: it is the
// only code in kiosk/input that knows kiosk/show, and keeping it inline means the kiosk_input
// library itself needs no link dependency on kiosk_show; whoever calls apply() links both.

#include "kiosk/input/Gesture.h"
#include "kiosk/show/Navigator.h"

namespace kiosk::input {

// Applies one gesture to the navigator at now_ms (the loop's clock, the same one update() gets).
// A Tap the app consumed for an on-screen control (a dot, the language button) should not come
// here: call navigator.note_activity(now_ms) and act on the control instead.
// Vertical drags are not paging: like a phone's pager, the slide ignores them (they still count as
// activity for the idle timeout).
inline void apply(Gesture const& gesture, show::Navigator& navigator, show::TimeMs now_ms)
{
    bool const paging = gesture.axis == Gesture::Axis::Horizontal;
    switch (gesture.kind) {
    case Gesture::Kind::Tap:
        navigator.on_tap(now_ms);
        return;
    case Gesture::Kind::LongPress:
        navigator.note_activity(now_ms);
        return;
    case Gesture::Kind::DragStart:
        if (paging) {
            navigator.on_drag_start(now_ms);
            navigator.on_drag(gesture.dx, now_ms);
        } else {
            navigator.note_activity(now_ms);
        }
        return;
    case Gesture::Kind::DragMove:
        navigator.on_drag(gesture.dx, now_ms);
        return;
    case Gesture::Kind::DragEnd:
    case Gesture::Kind::Swipe:
        navigator.on_drag_end(gesture.velocity_x, now_ms);
        return;
    case Gesture::Kind::Cancel:
        navigator.on_drag_cancel(now_ms);
        return;
    }
}

} // namespace kiosk::input
