#include "kiosk/app/LoopHealth.h"

#include "platform/SystemdNotify.h"

namespace kiosk::app {

LoopHealth::LoopHealth(std::optional<show::TimeMs> watchdog_interval_ms)
    : m_watchdog_interval_ms(watchdog_interval_ms)
{
}

void LoopHealth::content_started(std::vector<int> durations_ms, bool watched, show::TimeMs)
{
    m_watched = watched;
    m_healthy_noted = false;
    m_durations_ms = std::move(durations_ms);
    m_seen.assign(m_durations_ms.size(), false);
    m_unseen = int(m_durations_ms.size());
    m_last_new = -1;
    m_rotation_shown = false;
}

void LoopHealth::frame_presented(show::ViewState const& view, show::TimeMs now_ms)
{
    ++m_frames;
    int const n = int(m_seen.size());
    if (view.current < 0 || view.current >= n)
        return;
    if (!m_seen[std::size_t(view.current)]) {
        m_seen[std::size_t(view.current)] = true;
        --m_unseen;
        m_last_new = view.current;
        m_last_new_since_ms = now_ms;
    } else if (m_unseen == 0 && view.current != m_last_new) {
        m_rotation_shown = true; // the last new slide has been left: it stood its time
    }
}

bool LoopHealth::take_healthy(show::TimeMs now_ms)
{
    // Frames are only presented when something changes, so "stood its time" is checked here.
    if (m_unseen == 0 && m_last_new >= 0
        && now_ms >= m_last_new_since_ms + std::uint64_t(m_durations_ms[std::size_t(m_last_new)]))
        m_rotation_shown = true;
    if (!m_watched || m_healthy_noted || !m_rotation_shown)
        return false;
    m_healthy_noted = true;
    return true;
}

void LoopHealth::iteration_done(show::TimeMs now_ms, bool frame_owed)
{
    if (!m_ready_sent && m_frames > 0) {
        m_ready_sent = true;
        (void)systemd::notify_ready();
    }
    if (!frame_owed)
        m_owed_since_ms.reset();
    else if (!m_owed_since_ms)
        m_owed_since_ms = now_ms;
    bool const stalled = m_owed_since_ms && now_ms >= *m_owed_since_ms + stall_ms;
    if (m_watchdog_interval_ms && !stalled && now_ms >= m_last_ping_ms + *m_watchdog_interval_ms) {
        m_last_ping_ms = now_ms;
        ++m_pings;
        (void)systemd::notify_watchdog();
    }
}

std::optional<show::TimeMs> LoopHealth::next_deadline_ms() const
{
    std::optional<show::TimeMs> deadline;
    if (m_watchdog_interval_ms)
        deadline = m_last_ping_ms + *m_watchdog_interval_ms;
    // A one-slide show never leaves its slide: wake when it has stood its time.
    if (m_watched && !m_healthy_noted && m_unseen == 0 && m_last_new >= 0) {
        show::TimeMs const due = m_last_new_since_ms + std::uint64_t(m_durations_ms[std::size_t(m_last_new)]);
        if (!deadline || due < *deadline)
            deadline = due;
    }
    return deadline;
}

} // namespace kiosk::app
