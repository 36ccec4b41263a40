#pragma once

// The sd_notify(3) protocol without libsystemd: a datagram to the socket named in $NOTIFY_SOCKET.
// kiosk.service is Type=notify with WatchdogSec= (packaging/systemd/kiosk.service): the app says
// READY=1 once the first slide is on screen and WATCHDOG=1 from its main loop, so systemd restarts
// a hung loop, not just a crashed process. Outside systemd ($NOTIFY_SOCKET unset) every call is a
// no-op that returns success. Thread-safe (one sendto per call).

#include "platform/Result.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace kiosk::systemd {

// Sends `state` (e.g. "READY=1", "STATUS=showing news v4"); an error names the socket and errno.
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

// How often to send WATCHDOG=1: half of $WATCHDOG_USEC (when it is meant for this process), or
// nullopt when no watchdog is configured.
std::optional<std::uint64_t> watchdog_interval_ms();

} // namespace kiosk::systemd
