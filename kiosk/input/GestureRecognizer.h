#pragma once

// GestureRecognizer: turns timestamped pointer events (touch or mouse, already mapped to logical
// display coordinates) into Tap, LongPress, drags, Swipe and Cancel. It never reads a clock: every
// event carries its time, and tick(now_ms) lets it notice a finger resting long enough for a long
// press. Owns only a few numbers per finger; not thread-safe (the main thread owns it). It has no
// error states: events that make no sense (a Move for a finger never seen down, an Up twice) are
// ignored.
//
// One pointer at a time, as a phone does for paging:
// - the first finger down is tracked until it lifts; other fingers are ignored;
// - when palm_finger_count or more fingers are down at once (a palm, a leaning arm, a child's
//   hand) the tracked touch is cancelled and every touch is ignored until all have lifted;
// - a mouse press while any finger is down is ignored (SDL also synthesises mouse events from
//   touches; the translation layer should drop those, this is the second line of defence), and a
//   touch while the mouse button is held is ignored too;
// - a pointer silent for stale_pointer_ms is forgotten (and cancelled if tracked), so a lost Up (a
//   flaky panel, a sticker on the glass) cannot leave touch input dead for months.
//
// Distances: the slop is compared in fractions of the longer side of the display, so it is the same
// physical size in portrait and landscape; the displacement needs the display's aspect ratio
// (GestureConfig::height_over_width) because x and y are normalised separately.

#include "kiosk/input/Gesture.h"

#include <deque>
#include <optional>
#include <vector>

namespace kiosk::input {

struct GestureConfig {
    // How far a finger may wander and still tap, as a fraction of the display's longer side. A
    // finger pressed on glass rolls and IR/capacitive frames jitter by a few millimetres; 1 % is
    // 9.5 mm on a 43" 16:9 panel (952 mm wide) and 12 mm on a 55", about a fingertip, small enough
    // that a deliberate swipe starts moving the slide at once.
    double slop_fraction_of_long_side { 0.01 };
    // Release speed along the drag's axis above which a drag ends as a Swipe (flick), in logical
    // widths per second. 0.5 widths/s is about 0.5 m/s on a 43" landscape panel: well above a
    // reading finger dragging a slide to peek, well below a flick (1-3 m/s). The Navigator's
    // NavigatorConfig::flick_widths_per_s makes the same decision and should be set alike.
    double flick_widths_per_s { 0.5 };
    // A finger resting within the slop this long is a long press (iOS and Android use 400-500 ms;
    // visitors at a public screen touch more hesitantly, so a little longer).
    int long_press_ms { 600 };
    // The release velocity is fitted over this much of the latest motion (Android's VelocityTracker
    // horizon), so a drag that slows or turns at the end reports how the finger left the glass,
    // not its average since touch-down.
    int velocity_window_ms { 100 };
    // A gap this long between two motion events means the finger stopped in between (panels report
    // only movement, at 60-200 Hz), so older motion no longer counts: a finger that halts and then
    // lifts has no release velocity. Android's VelocityTracker assumes the same 40 ms.
    int stopped_gap_ms { 40 };
    // This many fingers down at once is a palm, not a gesture. Two is still a person (the second
    // finger is ignored); three is a hand.
    int palm_finger_count { 3 };
    // A pointer with no event for this long is forgotten (see above). Fifteen seconds is far
    // beyond any gesture and well inside the Navigator's idle timeout.
    int stale_pointer_ms { 15'000 };
    // The logical display's height divided by its width (9/16 for landscape 1920x1080, 16/9 for
    // the same panel at R90), to measure distances in one unit.
    double height_over_width { 9.0 / 16.0 };
};

class GestureRecognizer {
public:
    explicit GestureRecognizer(GestureConfig config = {});

    // Feeds one event; returns the gestures it completes, in order (usually none or one; a sparse
    // Up may yield DragStart and Swipe together). Events should arrive in time order.
    std::vector<Gesture> feed(PointerEvent const& event);
    // Lets time pass without events: returns LongPress when a finger has rested long enough, or
    // Cancel for a stale pointer.
    std::vector<Gesture> tick(TimeMs now_ms);
    // When tick() could next produce a gesture (nullopt: only events can), so the loop can sleep
    // until then.
    std::optional<TimeMs> next_deadline_ms() const;
    // Forgets every pointer (window lost focus, display reconfigured); returns Cancel if a touch
    // was being tracked.
    std::vector<Gesture> reset(TimeMs now_ms);

    // True from the tracked pointer's Down to its Up or cancellation.
    bool tracking() const { return m_track.has_value(); }
    GestureConfig const& config() const { return m_config; }

private:
    struct Sample {
        TimeMs time_ms;
        double x;
        double y;
    };
    struct Track {
        PointerEvent::Source source;
        std::int64_t id;
        TimeMs down_ms;
        TimeMs last_event_ms;
        double x0;
        double y0;
        double x;
        double y;
        enum class Phase {
            Pressed, // within the slop, not yet a long press
            LongPressed, // within the slop, LongPress emitted; lifting is no Tap
            Dragging,
        } phase;
        Gesture::Axis axis;
        std::deque<Sample> samples; // the latest motion, for the release velocity
    };
    struct Finger {
        std::int64_t id;
        TimeMs last_event_ms;
    };

    void on_touch(PointerEvent const&, std::vector<Gesture>& out);
    void on_mouse(PointerEvent const&, std::vector<Gesture>& out);
    void start_track(PointerEvent const&);
    bool is_tracked(PointerEvent const&) const;
    void move_track(double x, double y, TimeMs time_ms, std::vector<Gesture>& out);
    void lift_track(double x, double y, TimeMs time_ms, std::vector<Gesture>& out);
    void cancel_track(TimeMs time_ms, std::vector<Gesture>& out);
    void check_long_press(TimeMs now_ms, std::vector<Gesture>& out);
    void expire_stale(TimeMs now_ms, std::vector<Gesture>& out);
    void add_sample(TimeMs time_ms, double x, double y);
    Gesture make(Gesture::Kind, TimeMs time_ms) const;
    double distance_in_widths(double dx, double dy) const;

    GestureConfig m_config;
    std::optional<Track> m_track;
    std::vector<Finger> m_fingers_down; // every touch finger currently down, tracked or not
    bool m_palm_lockout { false }; // ignore touches until every finger has lifted
};

} // namespace kiosk::input
