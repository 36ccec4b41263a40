#pragma once

// Talking to systemd through libsystemd's sd_notify(3) and sd_watchdog_enabled(3).
// kiosk.service is Type=notify with WatchdogSec= (packaging/systemd/kiosk.service): the app says
// READY=1 once the first slide is on screen and WATCHDOG=1 from its main loop while frames
// progress, so systemd restarts a hung loop, not just a crashed process. Outside systemd
// ($NOTIFY_SOCKET unset) every call is a no-op that returns success, so the app runs the same
// from a shell. Thread-safe: each call is one datagram, and nothing here keeps state.

#include "platform/Result.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace kiosk::systemd {

// Sends `state`, one or more newline-separated assignments (e.g. "READY=1", "STATUS=showing news
// v4"); an error names $NOTIFY_SOCKET and the reason, so the caller can log it once.
Status notify(std::string_view state);

inline Status notify_ready()
{
    return notify("READY=1");
}
inline Status notify_watchdog()
{
    return notify("WATCHDOG=1");
}
inline Status notify_stopping()
{
    return notify("STOPPING=1");
}
// The one-line status `systemctl status kiosk` shows. Newlines in `text` are replaced by spaces:
// a newline would start another assignment.
Status notify_status(std::string_view text);

// How often to send WATCHDOG=1: half of $WATCHDOG_USEC when the watchdog is meant for this process
// ($WATCHDOG_PID unset or ours), or nullopt when no watchdog is configured.
std::optional<std::uint64_t> watchdog_interval_ms();

} // namespace kiosk::systemd
