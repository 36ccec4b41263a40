// Fuzz target: the GestureRecognizer under random pointer-event streams (touch and mouse, up to five
// fingers, jumps in time up to years, ticks, resets; in time order or not) with random but sane configurations.
//
// The recognizer has no error states, so what is checked is its contract (GestureRecognizer.h,
// Gesture.h), against a model of the tracked touch kept here:
// - no gesture from the future (time <= the event or tick that produced it); for events in time
//   order also none from before its touch went down, and gesture times never go backwards;
// - the grammar of one touch: [LongPress] then Tap (only without LongPress), Cancel, nothing, or
//   DragStart DragMove* (DragEnd | Swipe | Cancel); the axis of a drag never changes;
// - whenever the recognizer stops tracking, a started drag has been ended (DragEnd, Swipe or
//   Cancel): a slide is never left half-dragged, also after reset();
// - a Tap is where the touch went down; a LongPress is due exactly long_press_ms after it; a Swipe
//   is at least, a DragEnd below, the flick speed; every number is finite;
// - next_deadline_ms() is honest: a tick before it yields nothing, a tick at it yields a gesture
//   (the app's loop sleeps until that deadline), and it is set exactly while a touch is tracked.
//
// Input layout: a config block, a start time, then one operation per few bytes (see below).

#include "FuzzSupport.h"

#include "kiosk/input/GestureRecognizer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

using kiosk::fuzz::ByteReader;
using kiosk::input::Gesture;
using kiosk::input::GestureConfig;
using kiosk::input::GestureRecognizer;
using kiosk::input::PointerEvent;
using kiosk::input::TimeMs;

namespace {

char const* kind_name(Gesture::Kind kind)
{
    switch (kind) {
    case Gesture::Kind::Tap:
        return "Tap";
    case Gesture::Kind::LongPress:
        return "LongPress";
    case Gesture::Kind::DragStart:
        return "DragStart";
    case Gesture::Kind::DragMove:
        return "DragMove";
    case Gesture::Kind::DragEnd:
        return "DragEnd";
    case Gesture::Kind::Swipe:
        return "Swipe";
    case Gesture::Kind::Cancel:
        return "Cancel";
    }
    return "?";
}

// What this harness knows about the touch the recognizer tracks.
struct Model {
    bool tracked { false };
    TimeMs down_ms { 0 };
    double x0 { 0 };
    double y0 { 0 };
    PointerEvent::Source source { PointerEvent::Source::Touch };
    bool long_pressed { false };
    bool dragging { false };
    Gesture::Axis axis { Gesture::Axis::Horizontal };
    TimeMs last_gesture_ms { 0 };
    std::string history; // the gestures of this input so far, for the failure message

    void end_track()
    {
        tracked = false;
        long_pressed = false;
        dragging = false;
    }
};

class Harness {
public:
    Harness(GestureConfig config, bool time_ordered)
        : m_recognizer(config)
        , m_config(config)
        , m_time_ordered(time_ordered)
    {
    }

    void feed(PointerEvent const& event)
    {
        bool const was_tracking = m_recognizer.tracking();
        auto const out = m_recognizer.feed(event);
        bool ended = false;
        for (auto const& gesture : out)
            ended = check(gesture, event.time_ms) || ended;
        // A Down that starts a new track: only after the old one ended in this call or before.
        if (event.kind == PointerEvent::Kind::Down && m_recognizer.tracking() && (!was_tracking || ended)) {
            m_model.tracked = true;
            m_model.down_ms = event.time_ms;
            m_model.x0 = event.x;
            m_model.y0 = event.y;
            m_model.source = event.source;
        }
        after_call(event.time_ms);
    }

    void tick(TimeMs now_ms)
    {
        auto const deadline = m_recognizer.next_deadline_ms();
        auto const out = m_recognizer.tick(now_ms);
        if (deadline && now_ms < *deadline)
            KIOSK_FUZZ_CHECK(out.empty(),
                "tick(" + std::to_string(now_ms) + ") before the deadline " + std::to_string(*deadline) + " gave "
                    + kind_name(out.front().kind));
        if (deadline && now_ms >= *deadline)
            KIOSK_FUZZ_CHECK(!out.empty(),
                "tick(" + std::to_string(now_ms) + ") at/after the deadline " + std::to_string(*deadline)
                    + " gave nothing");
        for (auto const& gesture : out)
            check(gesture, now_ms);
        after_call(now_ms);
    }

    void reset(TimeMs now_ms)
    {
        auto const out = m_recognizer.reset(now_ms);
        for (auto const& gesture : out)
            check(gesture, now_ms);
        KIOSK_FUZZ_CHECK(!m_recognizer.tracking(), "still tracking after reset()");
        after_call(now_ms);
    }

    std::optional<TimeMs> deadline() const { return m_recognizer.next_deadline_ms(); }
    std::string const& history() const { return m_model.history; }

private:
    // Returns true when the gesture ends the tracked touch.
    bool check(Gesture const& g, TimeMs now_ms)
    {
        Model& m = m_model;
        m.history += std::string(kind_name(g.kind)) + "@" + std::to_string(g.time_ms) + " ";
        std::string const where = std::string(kind_name(g.kind)) + " at " + std::to_string(g.time_ms) + " ms (now "
            + std::to_string(now_ms) + ", down " + std::to_string(m.down_ms) + "); gestures: " + m.history;
        KIOSK_FUZZ_CHECK(m.tracked, "a gesture without a tracked touch: " + where);
        KIOSK_FUZZ_CHECK(g.time_ms <= now_ms, "a gesture from the future: " + where);
        // Only events in time order promise gestures in time order.
        if (m_time_ordered) {
            KIOSK_FUZZ_CHECK(g.time_ms >= m.down_ms, "a gesture before its touch went down: " + where);
            KIOSK_FUZZ_CHECK(g.time_ms >= m.last_gesture_ms, "gesture time went backwards: " + where);
        }
        m.last_gesture_ms = g.time_ms;
        KIOSK_FUZZ_CHECK(g.source == m.source, "gesture from the wrong source: " + where);
        KIOSK_FUZZ_CHECK(g.x == m.x0 && g.y == m.y0, "gesture not anchored where the touch went down: " + where);
        KIOSK_FUZZ_CHECK(
            std::isfinite(g.dx) && std::isfinite(g.dy) && std::isfinite(g.velocity_x) && std::isfinite(g.velocity_y),
            "a number that is not finite: " + where);
        switch (g.kind) {
        case Gesture::Kind::Tap:
            KIOSK_FUZZ_CHECK(!m.dragging && !m.long_pressed, "Tap during a drag or after a LongPress: " + where);
            KIOSK_FUZZ_CHECK(g.time_ms == now_ms, "Tap not at the lift: " + where);
            m.end_track();
            return true;
        case Gesture::Kind::LongPress:
            KIOSK_FUZZ_CHECK(!m.dragging && !m.long_pressed, "LongPress during a drag or twice: " + where);
            KIOSK_FUZZ_CHECK(g.time_ms == m.down_ms + TimeMs(m_config.long_press_ms),
                "LongPress not long_press_ms after the touch went down: " + where);
            m.long_pressed = true;
            return false;
        case Gesture::Kind::DragStart:
            KIOSK_FUZZ_CHECK(!m.dragging, "DragStart during a drag: " + where);
            m.dragging = true;
            m.axis = g.axis;
            return false;
        case Gesture::Kind::DragMove:
            KIOSK_FUZZ_CHECK(m.dragging, "DragMove without DragStart: " + where);
            KIOSK_FUZZ_CHECK(g.axis == m.axis, "the drag changed its axis: " + where);
            return false;
        case Gesture::Kind::DragEnd:
        case Gesture::Kind::Swipe: {
            KIOSK_FUZZ_CHECK(m.dragging, "drag ended without DragStart: " + where);
            KIOSK_FUZZ_CHECK(g.axis == m.axis, "the drag changed its axis: " + where);
            double const speed = g.axis == Gesture::Axis::Horizontal
                ? std::abs(g.velocity_x)
                : std::abs(g.velocity_y * m_config.height_over_width);
            if (g.kind == Gesture::Kind::Swipe)
                KIOSK_FUZZ_CHECK(speed >= m_config.flick_widths_per_s, "Swipe slower than a flick: " + where);
            else
                KIOSK_FUZZ_CHECK(speed < m_config.flick_widths_per_s, "DragEnd as fast as a flick: " + where);
            m.end_track();
            return true;
        }
        case Gesture::Kind::Cancel:
            if (m.dragging)
                KIOSK_FUZZ_CHECK(g.axis == m.axis, "the cancelled drag changed its axis: " + where);
            m.end_track();
            return true;
        }
        return false;
    }

    void after_call(TimeMs now_ms)
    {
        // A touch lifted after a LongPress ends without a gesture; that is the only silent end.
        if (!m_recognizer.tracking()) {
            KIOSK_FUZZ_CHECK(!m_model.dragging,
                "tracking stopped while a drag was open (no DragEnd/Swipe/Cancel) at " + std::to_string(now_ms)
                    + " ms; gestures: " + m_model.history);
            m_model.end_track();
        }
        auto const deadline = m_recognizer.next_deadline_ms();
        KIOSK_FUZZ_CHECK(deadline.has_value() == m_recognizer.tracking(),
            "next_deadline_ms() is set exactly while a touch is tracked");
        if (deadline)
            KIOSK_FUZZ_CHECK(*deadline > now_ms,
                "a deadline already due after the call at " + std::to_string(now_ms) + ": "
                    + std::to_string(*deadline));
    }

    GestureRecognizer m_recognizer;
    GestureConfig m_config;
    bool m_time_ordered;
    Model m_model;
};

GestureConfig make_config(ByteReader& in, bool shipped_defaults)
{
    GestureConfig config;
    if (shipped_defaults)
        return config;
    config.slop_fraction_of_long_side = in.unit_range(0.0, 0.1);
    config.flick_widths_per_s = in.unit_range(0.01, 5.0);
    config.long_press_ms = int(in.in_range(1, 3000));
    config.velocity_window_ms = int(in.in_range(0, 500));
    config.stopped_gap_ms = int(in.in_range(0, 200));
    config.palm_finger_count = int(in.in_range(2, 6));
    config.stale_pointer_ms = int(in.in_range(1, 60'000));
    config.height_over_width = in.unit_range(0.25, 4.0);
    return config;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    ByteReader in(data, size);
    // First byte: bit 0 a fuzzed configuration (else the shipped one), bit 1 events out of time
    // order (a panel's timestamps are not always monotonic; the recognizer must stay consistent).
    std::uint8_t const mode = in.byte();
    bool const time_ordered = (mode & 2) == 0;
    GestureConfig const config = make_config(in, (mode & 1) == 0);
    Harness harness(config, time_ordered);
    // Start anywhere in about 35 years of a monotonic millisecond clock.
    TimeMs now = in.u64() >> 24;
    // Positions a little outside the display too: a touch panel reports the bezel.
    auto coordinate = [&] { return in.unit_range(-0.1, 1.1); };
    int operations = 0;
    while (!in.empty() && operations++ < 2000) {
        std::uint8_t const op = in.byte();
        // Time passes: mostly a frame or so, sometimes seconds, rarely days.
        std::uint8_t const step = in.byte();
        TimeMs const delta = step < 200 ? step % 40 : step < 250 ? TimeMs(step - 199) * 200 : TimeMs(in.u32());
        if (!time_ordered && (in.byte() & 1))
            now -= std::min(now, delta);
        else
            now += delta;
        switch (op % 8) {
        case 0:
        case 1:
        case 2:
        case 3: { // a touch event, finger 0..4
            PointerEvent event;
            event.source = PointerEvent::Source::Touch;
            event.kind = PointerEvent::Kind(in.byte() % 4);
            event.finger_id = op / 8 % 5;
            event.x = coordinate();
            event.y = coordinate();
            event.time_ms = now;
            harness.feed(event);
            break;
        }
        case 4:
        case 5: { // a mouse event
            PointerEvent event;
            event.source = PointerEvent::Source::Mouse;
            event.kind = PointerEvent::Kind(in.byte() % 4);
            event.finger_id = PointerEvent::mouse_id;
            event.x = coordinate();
            event.y = coordinate();
            event.time_ms = now;
            harness.feed(event);
            break;
        }
        case 6: // the loop woke up (at the deadline, just before it, or whenever)
            if (auto const deadline = harness.deadline(); deadline && *deadline > now && op & 0x10) {
                now = *deadline - (op & 0x20 ? 1 : 0);
            }
            harness.tick(now);
            break;
        case 7: // window lost focus, display reconfigured
            harness.reset(now);
            break;
        }
    }
    harness.reset(now);
    if (kiosk::fuzz::verbose())
        std::fprintf(stderr, "  gestures: %s\n", harness.history().c_str());
    return 0;
}
