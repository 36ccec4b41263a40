#include "kiosk/app/GestureToNavigator.h"

namespace kiosk::app {

void apply(input::Gesture const& gesture, show::Navigator& navigator, show::TimeMs now_ms)
{
    using Gesture = input::Gesture;
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

ControlTap handle_control_tap(
    input::Gesture const& tap, OnScreenControls const& controls, show::Navigator& navigator, show::TimeMs now_ms)
{
    SDL_Point const p { int(tap.x * controls.width_px), int(tap.y * controls.height_px) };
    if (controls.language_button && SDL_PointInRect(&p, &*controls.language_button)) {
        navigator.note_activity(now_ms);
        return ControlTap::Language;
    }
    int const dot = controls.dot_at ? controls.dot_at(p.x, p.y) : -1;
    if (dot >= 0) {
        navigator.note_activity(now_ms);
        navigator.jump_to(dot, now_ms);
        return ControlTap::Dot;
    }
    return ControlTap::None;
}

} // namespace kiosk::app
