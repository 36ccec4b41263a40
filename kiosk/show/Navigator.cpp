#include "kiosk/show/Navigator.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

namespace kiosk::show {

namespace {

// A one-slide show has nowhere to go, but a slide that ignored the finger would feel broken: it
// gives a quarter of the finger's movement, at most this far, and springs back.
constexpr double single_slide_give = 0.25;
constexpr double single_slide_max_offset = 0.15;

TimeMs after(TimeMs time_ms, int duration_ms)
{
    return time_ms + static_cast<TimeMs>(std::max(1, duration_ms));
}

} // namespace

Navigator::Navigator(std::vector<int> durations_ms, TimeMs now_ms, NavigatorConfig config)
    : m_config(config)
{
    reset(std::move(durations_ms), now_ms);
}

void Navigator::reset(std::vector<int> durations_ms, TimeMs now_ms)
{
    m_durations_ms = std::move(durations_ms);
    m_phase = Phase::Still;
    m_current = 0;
    m_cycles = 0;
    m_backward_wraps = 0;
    m_target = -1;
    m_motion = Motion::Still;
    m_drag_base_offset = 0.0;
    m_drag_offset = 0.0;
    m_shown_since_ms = now_ms;
}

int Navigator::wrap(int index) const
{
    int const n = slide_count();
    if (n == 0)
        return 0;
    return ((index % n) + n) % n;
}

int Navigator::neighbour(Direction direction) const
{
    return wrap(m_current + static_cast<int>(direction));
}

void Navigator::start_fade(int target, Direction direction, int duration_ms, TimeMs now_ms)
{
    m_phase = Phase::Transition;
    m_target = target;
    m_motion = Motion::Fade;
    m_direction = direction;
    m_easing = Easing::InOut;
    m_transition_start_ms = now_ms;
    m_transition_ms = std::max(1, duration_ms);
}

void Navigator::start_slide(
    Direction direction, double from_offset, double to_offset, int duration_ms, Easing easing, TimeMs now_ms)
{
    m_phase = Phase::Transition;
    m_target = slide_count() > 1 ? neighbour(direction) : -1;
    m_motion = Motion::Slide;
    m_direction = direction;
    m_easing = easing;
    m_from_offset = from_offset;
    m_to_offset = to_offset;
    m_transition_start_ms = now_ms;
    m_transition_ms = std::max(1, duration_ms);
}

void Navigator::land_on(int index, Direction direction)
{
    // A pass through the playlist ends when the show wraps forwards from the last slide to the
    // first; a visitor's step backwards over that seam is owed back first.
    if (direction == Direction::Forward && index < m_current) {
        if (m_backward_wraps > 0)
            --m_backward_wraps;
        else
            ++m_cycles;
    } else if (direction == Direction::Backward && index > m_current) {
        ++m_backward_wraps;
    }
    m_current = index;
}

void Navigator::finish_transition(TimeMs end_ms)
{
    assert(m_phase == Phase::Transition);
    if (m_target >= 0 && (m_motion == Motion::Fade || m_to_offset != 0.0))
        land_on(m_target, m_direction);
    m_phase = Phase::Still;
    m_target = -1;
    m_motion = Motion::Still;
    m_shown_since_ms = end_ms;
}

void Navigator::complete_motion(TimeMs now_ms)
{
    if (m_phase == Phase::Transition) {
        finish_transition(now_ms);
    } else if (m_phase == Phase::Dragging) {
        m_phase = Phase::Still;
        m_shown_since_ms = now_ms;
    }
}

double Navigator::eased_fraction(TimeMs now_ms) const
{
    double const t
        = std::clamp(double(now_ms - std::min(now_ms, m_transition_start_ms)) / double(m_transition_ms), 0.0, 1.0);
    if (m_easing == Easing::InOut)
        return t * t * (3.0 - 2.0 * t);
    double const rest = 1.0 - t;
    return 1.0 - rest * rest * rest;
}

double Navigator::slide_offset(TimeMs now_ms) const
{
    return m_from_offset + (m_to_offset - m_from_offset) * eased_fraction(now_ms);
}

std::optional<TimeMs> Navigator::idle_deadline_ms() const
{
    if (!m_idle_armed || m_config.idle_timeout_ms <= 0)
        return std::nullopt;
    return after(m_last_input_ms, m_config.idle_timeout_ms);
}

void Navigator::fire_idle(TimeMs now_ms)
{
    m_idle_armed = false;
    m_idle_reset_pending = true;
    // A finger resting for the whole timeout is a stuck touch or a leaning visitor, not reading:
    // the show must not stay frozen under it.
    if (m_phase == Phase::Dragging)
        settle(m_drag_offset, 0.0, 0.0, now_ms);
    if (m_paused) {
        m_paused = false;
        if (m_phase == Phase::Still)
            m_shown_since_ms = now_ms;
    }
}

void Navigator::update(TimeMs now_ms)
{
    if (m_phase == Phase::Transition) {
        TimeMs const end_ms = after(m_transition_start_ms, m_transition_ms);
        if (now_ms >= end_ms)
            finish_transition(end_ms);
    }
    if (auto const idle_ms = idle_deadline_ms(); idle_ms && now_ms >= *idle_ms)
        fire_idle(now_ms);
    if (m_phase == Phase::Still && !m_paused && slide_count() > 1) {
        TimeMs const due_ms = after(m_shown_since_ms, m_durations_ms[static_cast<std::size_t>(m_current)]);
        if (now_ms >= due_ms) {
            start_fade(neighbour(Direction::Forward), Direction::Forward, m_config.fade_ms, due_ms);
            // A loop that slept past the whole transition (a stalled machine) lands on the next slide.
            if (now_ms >= after(due_ms, m_transition_ms))
                finish_transition(now_ms);
        }
    }
}

void Navigator::hold_transition(TimeMs now_ms)
{
    if (m_phase == Phase::Transition)
        m_transition_start_ms = now_ms;
}

ViewState Navigator::view(TimeMs now_ms) const
{
    ViewState v;
    v.current = m_current;
    v.paused = m_paused;
    switch (m_phase) {
    case Phase::Still:
        break;
    case Phase::Dragging:
        v.motion = Motion::Slide;
        v.offset = m_drag_offset;
        if (slide_count() > 1 && m_drag_offset != 0.0)
            v.next = neighbour(m_drag_offset < 0.0 ? Direction::Forward : Direction::Backward);
        break;
    case Phase::Transition:
        v.motion = m_motion;
        v.next = m_target;
        if (m_motion == Motion::Fade)
            v.progress = eased_fraction(now_ms);
        else
            v.offset = slide_offset(now_ms);
        break;
    }
    return v;
}

bool Navigator::animating(TimeMs now_ms) const
{
    (void)now_ms;
    return m_phase != Phase::Still;
}

std::optional<TimeMs> Navigator::next_deadline_ms(TimeMs now_ms) const
{
    if (m_phase != Phase::Still)
        return now_ms;
    std::optional<TimeMs> deadline_ms = idle_deadline_ms();
    if (!m_paused && slide_count() > 1) {
        TimeMs const due_ms = after(m_shown_since_ms, m_durations_ms[static_cast<std::size_t>(m_current)]);
        deadline_ms = deadline_ms ? std::min(*deadline_ms, due_ms) : due_ms;
    }
    if (!deadline_ms)
        return std::nullopt;
    // A deadline already passed (update() not called since) means "now", never a time gone by.
    return std::max(*deadline_ms, now_ms);
}

void Navigator::go_next(TimeMs now_ms)
{
    note_activity(now_ms);
    complete_motion(now_ms);
    if (slide_count() < 2)
        return;
    start_slide(Direction::Forward, 0.0, -1.0, m_config.manual_ms, Easing::InOut, now_ms);
}

void Navigator::go_previous(TimeMs now_ms)
{
    note_activity(now_ms);
    complete_motion(now_ms);
    if (slide_count() < 2)
        return;
    start_slide(Direction::Backward, 0.0, 1.0, m_config.manual_ms, Easing::InOut, now_ms);
}

void Navigator::jump_to(int index, TimeMs now_ms)
{
    note_activity(now_ms);
    complete_motion(now_ms);
    int const target = wrap(index);
    if (slide_count() < 2 || target == m_current)
        return;
    start_fade(target, target > m_current ? Direction::Forward : Direction::Backward, m_config.manual_ms, now_ms);
}

void Navigator::set_paused(bool paused, TimeMs now_ms)
{
    note_activity(now_ms);
    if (m_paused && !paused)
        m_shown_since_ms = now_ms; // a resumed slide gets its full duration again
    m_paused = paused;
}

void Navigator::on_tap(TimeMs now_ms)
{
    set_paused(!m_paused, now_ms);
}

void Navigator::on_drag_start(TimeMs now_ms)
{
    note_activity(now_ms);
    if (slide_count() == 0 || m_phase == Phase::Dragging)
        return;
    double base_offset = 0.0;
    if (m_phase == Phase::Transition) {
        if (m_motion == Motion::Fade) {
            if (eased_fraction(now_ms) >= 0.5)
                land_on(m_target, m_direction);
        } else {
            double const offset = slide_offset(now_ms);
            // The neighbour more than half in view is the slide the finger now holds; re-basing onto
            // it lets quick successive flicks travel several slides, as on a phone.
            if (m_target >= 0 && std::abs(offset) >= 0.5) {
                land_on(m_target, m_direction);
                base_offset = offset + (m_direction == Direction::Forward ? 1.0 : -1.0);
            } else {
                base_offset = offset;
            }
        }
        m_target = -1;
        m_motion = Motion::Still;
    }
    m_phase = Phase::Dragging;
    m_drag_base_offset = base_offset;
    m_drag_offset = base_offset;
}

void Navigator::on_drag(double dx_fraction, TimeMs now_ms)
{
    note_activity(now_ms);
    if (m_phase != Phase::Dragging || !std::isfinite(dx_fraction))
        return;
    if (slide_count() < 2)
        m_drag_offset = std::clamp(dx_fraction * single_slide_give, -single_slide_max_offset, single_slide_max_offset);
    else
        m_drag_offset = std::clamp(m_drag_base_offset + dx_fraction, -1.0, 1.0);
}

void Navigator::on_drag_end(double velocity_widths_per_s, TimeMs now_ms)
{
    note_activity(now_ms);
    if (m_phase != Phase::Dragging)
        return;
    double const velocity = std::isfinite(velocity_widths_per_s) ? velocity_widths_per_s : 0.0;
    double const offset = m_drag_offset;
    // Where the slide comes to rest: -1 = on the following slide, 1 = on the preceding one, 0 = back.
    double to_offset = 0.0;
    if (slide_count() > 1) {
        if (std::abs(velocity) >= m_config.flick_widths_per_s) {
            // A flick decides by its direction: towards the revealed neighbour turns the page,
            // away from it (the visitor changed their mind) puts the slide back.
            double const flick_to = velocity < 0.0 ? -1.0 : 1.0;
            if (offset == 0.0 || (offset < 0.0) == (flick_to < 0.0))
                to_offset = flick_to;
        } else if (std::abs(offset) > 0.5) {
            to_offset = offset < 0.0 ? -1.0 : 1.0;
        }
    }
    settle(offset, to_offset, velocity, now_ms);
}

void Navigator::on_drag_cancel(TimeMs now_ms)
{
    note_activity(now_ms);
    if (m_phase == Phase::Dragging)
        settle(m_drag_offset, 0.0, 0.0, now_ms);
}

void Navigator::note_activity(TimeMs now_ms)
{
    m_last_input_ms = std::max(m_last_input_ms, now_ms);
    m_idle_armed = m_config.idle_timeout_ms > 0;
}

bool Navigator::take_idle_reset()
{
    return std::exchange(m_idle_reset_pending, false);
}

void Navigator::settle(double from_offset, double to_offset, double velocity_widths_per_s, TimeMs now_ms)
{
    // The neighbour in play: the one landed on, or when settling back the one still in view.
    double const side = to_offset != 0.0 ? to_offset : from_offset;
    Direction const direction = side < 0.0 ? Direction::Forward : Direction::Backward;
    double const distance = std::abs(to_offset - from_offset);
    if (distance < 1e-6) {
        m_phase = Phase::Still;
        if (to_offset != 0.0)
            land_on(neighbour(direction), direction);
        m_shown_since_ms = now_ms;
        return;
    }
    // Covering the whole width takes settle_max_ms; less distance, less time. A finger still
    // moving towards the destination sets the pace instead: the cubic ease-out starts at three
    // times its average speed, so matching the finger's speed takes 3 * distance / speed.
    double duration_ms = m_config.settle_max_ms * distance;
    double const speed_towards = to_offset > from_offset ? velocity_widths_per_s : -velocity_widths_per_s;
    if (speed_towards > 0.0)
        duration_ms = std::min(duration_ms, 3.0 * distance / speed_towards * 1000.0);
    duration_ms = std::max(double(m_config.settle_min_ms), std::min(duration_ms, double(m_config.settle_max_ms)));
    start_slide(direction, from_offset, to_offset, static_cast<int>(std::lround(duration_ms)), Easing::Out, now_ms);
}

} // namespace kiosk::show
