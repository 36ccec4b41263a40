#include "kiosk/app/VirtualWindow.h"

#include "platform/Log.h"

#include <algorithm>

namespace kiosk::app {

VirtualWindow::VirtualWindow(std::unique_ptr<Window> output, FakeClock& clock)
    : m_output(std::move(output))
    , m_clock(clock)
    , m_horizon_ms(clock.now_ms())
{
}

void VirtualWindow::inject(SDL_Event const& event)
{
    m_events.push_back({ event, m_clock.now_ms() });
}

void VirtualWindow::present()
{
    ++m_stats.presents;
    m_output->present();
}

std::vector<TimedEvent> VirtualWindow::poll(TimeMs)
{
    std::vector<TimedEvent> out(m_events.begin(), m_events.end());
    m_events.clear();
    return out;
}

void VirtualWindow::wait_until(TimeMs deadline_ms)
{
    if (!m_events.empty())
        return; // an event is waiting: a real window would wake at once
    TimeMs const now = m_clock.now_ms();
    TimeMs const target = std::min(deadline_ms, m_horizon_ms);
    if (target <= now)
        return;
    m_clock.set(target);
    ++m_stats.jumps;
    m_stats.jumped_ms += target - now;
    m_stats.longest_jump_ms = std::max(m_stats.longest_jump_ms, target - now);
    if (target - now > 100)
        log::debug("loop", "slept " + std::to_string(target - now) + " ms of virtual time");
}

} // namespace kiosk::app
