#include "kiosk/input/GestureRecognizer.h"

#include <algorithm>
#include <cmath>

namespace kiosk::input {

namespace {

// Enough for the velocity window at any real panel's report rate (200 Hz * 100 ms = 20); bounds
// the memory a misbehaving device can make us hold.
constexpr std::size_t max_samples = 64;

TimeMs saturating_add(TimeMs time_ms, int duration_ms)
{
    return time_ms + static_cast<TimeMs>(std::max(0, duration_ms));
}

} // namespace

GestureRecognizer::GestureRecognizer(GestureConfig config)
    : m_config(config)
{
}

std::vector<Gesture> GestureRecognizer::feed(PointerEvent const& event)
{
    std::vector<Gesture> out;
    expire_stale(event.time_ms, out);
    // A finger that rested past the long-press time before this event did long-press, whether or
    // not the loop happened to tick() in between: the outcome must not depend on the frame rate.
    check_long_press(event.time_ms, out);
    if (event.source == PointerEvent::Source::Touch)
        on_touch(event, out);
    else
        on_mouse(event, out);
    return out;
}

std::vector<Gesture> GestureRecognizer::tick(TimeMs now_ms)
{
    std::vector<Gesture> out;
    expire_stale(now_ms, out);
    check_long_press(now_ms, out);
    return out;
}

std::optional<TimeMs> GestureRecognizer::next_deadline_ms() const
{
    if (!m_track)
        return std::nullopt;
    TimeMs const stale_ms = saturating_add(m_track->last_event_ms, m_config.stale_pointer_ms);
    if (m_track->phase == Track::Phase::Pressed)
        return std::min(stale_ms, saturating_add(m_track->down_ms, m_config.long_press_ms));
    return stale_ms;
}

std::vector<Gesture> GestureRecognizer::reset(TimeMs now_ms)
{
    std::vector<Gesture> out;
    if (m_track)
        cancel_track(now_ms, out);
    m_fingers_down.clear();
    m_palm_lockout = false;
    return out;
}

void GestureRecognizer::on_touch(PointerEvent const& event, std::vector<Gesture>& out)
{
    auto finger = std::find_if(
        m_fingers_down.begin(), m_fingers_down.end(), [&](Finger const& f) { return f.id == event.finger_id; });
    switch (event.kind) {
    case PointerEvent::Kind::Down:
        if (finger == m_fingers_down.end())
            m_fingers_down.push_back({ event.finger_id, event.time_ms });
        else
            finger->last_event_ms = event.time_ms;
        if (std::ssize(m_fingers_down) >= m_config.palm_finger_count) {
            if (m_track)
                cancel_track(event.time_ms, out);
            m_palm_lockout = true;
            return;
        }
        if (!m_track && !m_palm_lockout)
            start_track(event);
        return;
    case PointerEvent::Kind::Move:
        if (finger != m_fingers_down.end())
            finger->last_event_ms = event.time_ms;
        if (is_tracked(event))
            move_track(event.x, event.y, event.time_ms, out);
        return;
    case PointerEvent::Kind::Up:
    case PointerEvent::Kind::Cancel:
        if (finger != m_fingers_down.end())
            m_fingers_down.erase(finger);
        if (is_tracked(event)) {
            if (event.kind == PointerEvent::Kind::Up)
                lift_track(event.x, event.y, event.time_ms, out);
            else
                cancel_track(event.time_ms, out);
        }
        if (m_fingers_down.empty())
            m_palm_lockout = false;
        return;
    }
}

void GestureRecognizer::on_mouse(PointerEvent const& event, std::vector<Gesture>& out)
{
    switch (event.kind) {
    case PointerEvent::Kind::Down:
        if (!m_track && m_fingers_down.empty())
            start_track(event);
        return;
    case PointerEvent::Kind::Move:
        if (is_tracked(event))
            move_track(event.x, event.y, event.time_ms, out);
        return;
    case PointerEvent::Kind::Up:
        if (is_tracked(event))
            lift_track(event.x, event.y, event.time_ms, out);
        return;
    case PointerEvent::Kind::Cancel:
        if (is_tracked(event))
            cancel_track(event.time_ms, out);
        return;
    }
}

bool GestureRecognizer::is_tracked(PointerEvent const& event) const
{
    return m_track && m_track->source == event.source && m_track->id == event.finger_id;
}

void GestureRecognizer::start_track(PointerEvent const& event)
{
    m_track = Track {
        .source = event.source,
        .id = event.finger_id,
        .down_ms = event.time_ms,
        .last_event_ms = event.time_ms,
        .x0 = event.x,
        .y0 = event.y,
        .x = event.x,
        .y = event.y,
        .phase = Track::Phase::Pressed,
        .axis = Gesture::Axis::Horizontal,
        .samples = {},
    };
    add_sample(event.time_ms, event.x, event.y);
}

void GestureRecognizer::move_track(double x, double y, TimeMs time_ms, std::vector<Gesture>& out)
{
    Track& track = *m_track;
    track.last_event_ms = std::max(track.last_event_ms, time_ms);
    track.x = x;
    track.y = y;
    add_sample(time_ms, x, y);
    double const dx = x - track.x0;
    double const dy = y - track.y0;
    if (track.phase != Track::Phase::Dragging) {
        double const slop_widths = m_config.slop_fraction_of_long_side * std::max(1.0, m_config.height_over_width);
        if (distance_in_widths(dx, dy) <= slop_widths)
            return;
        track.phase = Track::Phase::Dragging;
        track.axis = std::abs(dx) >= std::abs(dy * m_config.height_over_width) ? Gesture::Axis::Horizontal
                                                                               : Gesture::Axis::Vertical;
        out.push_back(make(Gesture::Kind::DragStart, time_ms));
        return;
    }
    out.push_back(make(Gesture::Kind::DragMove, time_ms));
}

void GestureRecognizer::lift_track(double x, double y, TimeMs time_ms, std::vector<Gesture>& out)
{
    // The Up carries the last position; a panel reporting sparsely may not have sent it as a Move.
    if (x != m_track->x || y != m_track->y)
        move_track(x, y, time_ms, out);
    else
        add_sample(time_ms, x, y);

    Track const& track = *m_track;
    if (track.phase == Track::Phase::Pressed) {
        out.push_back(make(Gesture::Kind::Tap, time_ms));
    } else if (track.phase == Track::Phase::Dragging) {
        // Least-squares slope of position over time across the recent, continuous motion.
        auto const newest = track.samples.back();
        std::size_t first = track.samples.size() - 1;
        while (first > 0) {
            auto const& older = track.samples[first - 1];
            auto const& newer = track.samples[first];
            if (newest.time_ms - std::min(newest.time_ms, older.time_ms) > TimeMs(m_config.velocity_window_ms)
                || newer.time_ms - std::min(newer.time_ms, older.time_ms) > TimeMs(m_config.stopped_gap_ms))
                break;
            --first;
        }
        double mean_t = 0, mean_x = 0, mean_y = 0;
        double const n = double(track.samples.size() - first);
        for (std::size_t i = first; i < track.samples.size(); ++i) {
            // Seconds before the newest sample; signed, as timestamps may arrive out of order.
            mean_t += (double(track.samples[i].time_ms) - double(newest.time_ms)) / 1000.0 / n;
            mean_x += track.samples[i].x / n;
            mean_y += track.samples[i].y / n;
        }
        double var_t = 0, cov_x = 0, cov_y = 0;
        for (std::size_t i = first; i < track.samples.size(); ++i) {
            double const t = (double(track.samples[i].time_ms) - double(newest.time_ms)) / 1000.0 - mean_t;
            var_t += t * t;
            cov_x += t * (track.samples[i].x - mean_x);
            cov_y += t * (track.samples[i].y - mean_y);
        }
        Gesture end = make(Gesture::Kind::DragEnd, time_ms);
        // Under 1 ms of spread the slope is noise (or all samples share one timestamp): no velocity.
        if (var_t > 1e-7) {
            end.velocity_x = cov_x / var_t;
            end.velocity_y = cov_y / var_t;
        }
        double const speed_widths_per_s = track.axis == Gesture::Axis::Horizontal
            ? std::abs(end.velocity_x)
            : std::abs(end.velocity_y * m_config.height_over_width);
        if (speed_widths_per_s >= m_config.flick_widths_per_s)
            end.kind = Gesture::Kind::Swipe;
        out.push_back(end);
    }
    m_track.reset();
}

void GestureRecognizer::cancel_track(TimeMs time_ms, std::vector<Gesture>& out)
{
    out.push_back(make(Gesture::Kind::Cancel, time_ms));
    m_track.reset();
}

void GestureRecognizer::check_long_press(TimeMs now_ms, std::vector<Gesture>& out)
{
    if (!m_track || m_track->phase != Track::Phase::Pressed)
        return;
    TimeMs const due_ms = saturating_add(m_track->down_ms, m_config.long_press_ms);
    if (now_ms < due_ms)
        return;
    m_track->phase = Track::Phase::LongPressed;
    out.push_back(make(Gesture::Kind::LongPress, due_ms));
}

void GestureRecognizer::expire_stale(TimeMs now_ms, std::vector<Gesture>& out)
{
    auto const stale
        = [&](TimeMs last_event_ms) { return now_ms >= saturating_add(last_event_ms, m_config.stale_pointer_ms); };
    if (m_track && stale(m_track->last_event_ms)) {
        auto const id = m_track->id;
        if (m_track->source == PointerEvent::Source::Touch)
            std::erase_if(m_fingers_down, [&](Finger const& f) { return f.id == id; });
        cancel_track(now_ms, out);
    }
    std::erase_if(m_fingers_down, [&](Finger const& f) { return stale(f.last_event_ms); });
    if (m_fingers_down.empty())
        m_palm_lockout = false;
}

void GestureRecognizer::add_sample(TimeMs time_ms, double x, double y)
{
    auto& samples = m_track->samples;
    samples.push_back({ time_ms, x, y });
    while (samples.size() > max_samples
        || (samples.size() > 1 && samples.front().time_ms + TimeMs(m_config.velocity_window_ms) < time_ms))
        samples.pop_front();
}

Gesture GestureRecognizer::make(Gesture::Kind kind, TimeMs time_ms) const
{
    Track const& track = *m_track;
    Gesture gesture;
    gesture.kind = kind;
    gesture.time_ms = time_ms;
    gesture.x = track.x0;
    gesture.y = track.y0;
    gesture.dx = track.x - track.x0;
    gesture.dy = track.y - track.y0;
    gesture.axis = track.axis;
    gesture.source = track.source;
    return gesture;
}

double GestureRecognizer::distance_in_widths(double dx, double dy) const
{
    return std::hypot(dx, dy * m_config.height_over_width);
}

} // namespace kiosk::input
