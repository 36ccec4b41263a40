#pragma once

// Navigator: which slide is on screen and how the screen moves between slides. A state machine
// driven by the app with explicit timestamps (milliseconds of a monotonic clock); it never reads a
// clock itself, so tests drive hours of slideshow in microseconds.
//
// States:
// - still: `current` stands for its duration, then crossfades to the next (auto-rotation), unless
//   paused;
// - transitioning: a fade (automatic advance, dot jump) or a horizontal slide (key, settling after
//   a drag) in progress;
// - dragging: the current slide follows a finger; nothing advances on its own.
// Paused (a visitor tapped) is orthogonal: the show stands still until a tap resumes it or the
// visitor has been gone for the idle timeout. After the idle timeout the show also raises an idle
// reset (take_idle_reset) so the app can return to the default language.
//
// Every on_*, go_*, jump_to and set_paused call is a visitor's input: it records activity for
// the idle timeout. Calls are safe in any state (a drag call without a drag is ignored), and
// timestamps a few milliseconds out of order (event times vs. the loop's clock) do no harm.
// Owns nothing but numbers; not thread-safe (the main thread owns it).

#include <cstdint>
#include <optional>
#include <vector>

namespace kiosk::show {

using TimeMs = std::uint64_t;

struct NavigatorConfig {
    int fade_ms { 800 }; // crossfade duration of an automatic advance
    int manual_ms { 350 }; // duration of a transition asked for by a key or a dot
    // After a drag the slide settles at the finger's speed (when it had one), taking between these
    // two durations: longer looks sluggish under a finger, shorter looks like a jump.
    int settle_min_ms { 150 };
    int settle_max_ms { 350 };
    // A release at least this fast (logical widths per second, towards a neighbour) turns the page
    // even if the drag covered less than half the width: a phone's flick. Keep equal to
    // input::GestureConfig::flick_widths_per_s.
    double flick_widths_per_s { 0.5 };
    // No input for this long: a paused show resumes auto-rotation and the idle reset is raised.
    // 45 s outlasts reading any one slide but returns the screen to the room soon after the
    // visitor leaves. 0 disables it (a staffed booth).
    int idle_timeout_ms { 45'000 };
};

enum class Motion {
    Still, // only `current` is on screen
    Fade, // `next` fades in over `current`; progress 0..1
    Slide, // `current` moved horizontally by `offset` (fraction of the width), `next` adjacent
};

// What the renderer draws at one instant.
struct ViewState {
    int current { 0 };
    // -1 when Still; during a Slide, -1 when nothing is revealed (offset 0, or a one-slide show
    // that only gives a little under the finger).
    int next { -1 };
    Motion motion { Motion::Still };
    double progress { 0.0 }; // Fade: 0..1
    // Slide: -1..1, negative = `current` moved left and `next` (the following slide) comes in
    // from the right; positive = moved right, `next` (the preceding slide) comes in from the left.
    // Draw `current` at x = offset * width and `next` at x = (offset + (offset < 0 ? 1 : -1)) * width.
    double offset { 0.0 };
    bool paused { false };
};

class Navigator {
public:
    Navigator(std::vector<int> durations_ms, TimeMs now_ms, NavigatorConfig config = {});

    // Replaces the slide list (a new pack activated at a slide boundary); starts at slide 0 and
    // drops any drag or transition. Pause and the idle timer are the visitor's and stay.
    void reset(std::vector<int> durations_ms, TimeMs now_ms);

    int slide_count() const { return static_cast<int>(m_durations_ms.size()); }
    int current() const { return m_current; }
    bool paused() const { return m_paused; }
    bool dragging() const { return m_phase == Phase::Dragging; }
    // Completed passes through the whole playlist (the `alternate` language mode switches on it):
    // counts each wrap from the last slide forwards to the first, except one that only undoes a
    // visitor's step backwards over that seam, so peeking back and forth never flips the language.
    int cycle_count() const { return m_cycles; }

    // Advances time: finishes transitions, fires the idle timeout, starts automatic advances.
    // Call before view() each iteration.
    void update(TimeMs now_ms);
    ViewState view(TimeMs now_ms) const;

    // True while something moves (a transition, or a drag whose finger may move any moment): the
    // loop then renders every vsync instead of sleeping.
    bool animating(TimeMs now_ms) const;
    // When the loop must call update() next if no input arrives: now_ms while animating, else the
    // earliest of the automatic advance and the idle timeout, never before now_ms. nullopt only
    // when nothing will ever happen on its own (a one-slide show with no idle timeout pending, or
    // paused with the idle timeout disabled).
    std::optional<TimeMs> next_deadline_ms(TimeMs now_ms) const;

    // Discrete commands (keys, on-screen arrows, dots): any running motion completes at once.
    void go_next(TimeMs now_ms);
    void go_previous(TimeMs now_ms);
    void jump_to(int index, TimeMs now_ms);
    // Pausing shows ViewState::paused; resuming gives the current slide its full duration again.
    void set_paused(bool paused, TimeMs now_ms);

    // Touch: a tap toggles pause.
    void on_tap(TimeMs now_ms);
    // The finger starts dragging. A running transition is caught where it is, as on a phone: a
    // fade snaps to whichever slide shows more, a slide keeps its offset under the finger.
    void on_drag_start(TimeMs now_ms);
    // The finger is dx_fraction of the logical width right (positive) or left of where it started.
    void on_drag(double dx_fraction, TimeMs now_ms);
    // The finger lifted at velocity_widths_per_s (positive = rightwards): the slide settles on the
    // neighbour when dragged past half the width or flicked towards it, else back.
    void on_drag_end(double velocity_widths_per_s, TimeMs now_ms);
    // The drag was abandoned (palm, lost touch): the slide settles back.
    void on_drag_cancel(TimeMs now_ms);
    // Any other input the visitor gave (a long press, the language button): only keeps the idle
    // timeout from firing.
    void note_activity(TimeMs now_ms);

    // The app cannot draw the incoming slide of the running transition yet (it is still being
    // prepared): the transition starts again at now_ms, so the outgoing slide stays on screen and
    // the motion is shown whole once the slide is ready. Drags and still slides are not affected.
    void hold_transition(TimeMs now_ms);
    bool transitioning() const { return m_phase == Phase::Transition; }

    // True once after the idle timeout fired; the app returns to the default language.
    bool take_idle_reset();

private:
    enum class Phase {
        Still,
        Transition,
        Dragging,
    };
    enum class Easing {
        InOut, // smoothstep: starts and ends gently, for motion nobody's finger started
        Out, // cubic ease-out: starts at full speed, continuing the finger's motion
    };
    enum class Direction {
        Backward = -1,
        Forward = 1,
    };

    void start_fade(int target, Direction, int duration_ms, TimeMs now_ms);
    void start_slide(Direction, double from_offset, double to_offset, int duration_ms, Easing, TimeMs now_ms);
    void settle(double from_offset, double to_offset, double velocity_widths_per_s, TimeMs now_ms);
    void finish_transition(TimeMs end_ms);
    void complete_motion(TimeMs now_ms);
    void land_on(int index, Direction);
    void fire_idle(TimeMs now_ms);
    std::optional<TimeMs> idle_deadline_ms() const;
    double eased_fraction(TimeMs now_ms) const;
    double slide_offset(TimeMs now_ms) const;
    int neighbour(Direction) const;
    int wrap(int index) const;

    std::vector<int> m_durations_ms;
    NavigatorConfig m_config;
    Phase m_phase { Phase::Still };
    int m_current { 0 };
    int m_cycles { 0 };
    // Backward wraps over the last/first seam not yet undone by a forward wrap (see cycle_count).
    int m_backward_wraps { 0 };
    bool m_paused { false };
    TimeMs m_shown_since_ms { 0 }; // when `current` became fully visible (or resumed)

    // The running transition (Phase::Transition).
    int m_target { -1 };
    Motion m_motion { Motion::Still };
    TimeMs m_transition_start_ms { 0 };
    int m_transition_ms { 0 };
    Direction m_direction { Direction::Forward };
    Easing m_easing { Easing::InOut };
    double m_from_offset { 0.0 }; // Slide: offset at the start; the target sits at -1 (forward) or 1
    double m_to_offset { 0.0 }; // Slide: 0 = settling back onto `current`, else onto m_target

    // The drag (Phase::Dragging): offset when the finger went down, and now.
    double m_drag_base_offset { 0.0 };
    double m_drag_offset { 0.0 };

    // Idle timeout: armed by input, disarmed when it fires.
    TimeMs m_last_input_ms { 0 };
    bool m_idle_armed { false };
    bool m_idle_reset_pending { false };
};

} // namespace kiosk::show
