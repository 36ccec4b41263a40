#pragma once

// The vocabulary between the SDL translation layer, the GestureRecognizer and the app: pointer
// events in, gestures out. Plain values; no SDL types, so the logic is tested without a window.
//
// Coordinates are normalised to the *logical* display (0..1 of the content's width and height,
// after Rotation mapping; see Rotation.h), x to the right, y downwards. Times are milliseconds of
// one monotonic clock, the same clock the app passes to tick() and to the Navigator.

#include <cstdint>

namespace kiosk::input {

using TimeMs = std::uint64_t;

struct PointerEvent {
    enum class Kind {
        Down,
        Move,
        Up,
        Cancel, // the system took the pointer away (focus lost, touch device gone)
    };
    enum class Source {
        Touch,
        Mouse,
    };
    // The finger id a mouse reports; touches use SDL's finger id. Only compared within a Source.
    static constexpr std::int64_t mouse_id = -1;

    Kind kind { Kind::Move };
    std::int64_t finger_id { mouse_id };
    double x { 0.0 };
    double y { 0.0 };
    TimeMs time_ms { 0 };
    Source source { Source::Touch };
};

struct Gesture {
    enum class Kind {
        Tap, // a short touch that stayed within the slop; at (x, y)
        LongPress, // a touch that rested within the slop for the long-press time; at (x, y)
        DragStart, // the touch moved beyond the slop; (dx, dy) already holds that movement
        DragMove, // the dragging touch moved; (dx, dy) since touch-down
        DragEnd, // the dragging touch lifted slowly; velocity_* at release
        Swipe, // the dragging touch lifted fast (a flick); velocity_* at release
        Cancel, // the touch was abandoned (palm, system cancel, stuck touch): undo any drag
    };
    enum class Axis {
        Horizontal,
        Vertical,
    };

    Kind kind { Kind::Tap };
    TimeMs time_ms { 0 };
    // Where the touch went down (Tap, LongPress: where it happened), logical normalised.
    double x { 0.0 };
    double y { 0.0 };
    // Movement since touch-down: dx in fractions of the logical width, dy of the logical height.
    double dx { 0.0 };
    double dy { 0.0 };
    // Release velocity over the last ~100 ms of motion (DragEnd, Swipe): x in logical widths per
    // second, y in logical heights per second; negative = leftwards / upwards.
    double velocity_x { 0.0 };
    double velocity_y { 0.0 };
    // The dominant direction of the first movement beyond the slop (drag kinds and Cancel of a
    // drag); fixed for the whole drag so a pager can ignore vertical drags.
    Axis axis { Axis::Horizontal };
    PointerEvent::Source source { PointerEvent::Source::Touch };
};

} // namespace kiosk::input
