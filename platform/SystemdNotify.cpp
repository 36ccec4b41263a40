#include "platform/SystemdNotify.h"

#include "platform/Files.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <systemd/sd-daemon.h>

namespace kiosk::systemd {

Status notify(std::string_view state)
{
    // sd_notify() returns 0 when $NOTIFY_SOCKET is unset (not under systemd), > 0 when sent and
    // -errno on failure. It keeps the environment (unset_environment = 0): the watchdog pings of
    // the whole run go to the same socket.
    int const result = ::sd_notify(0, std::string(state).c_str());
    if (result >= 0)
        return {};
    char const* socket_name = std::getenv("NOTIFY_SOCKET");
    return make_error("sd_notify to NOTIFY_SOCKET='" + std::string(socket_name ? socket_name : "")
        + "': " + files::errno_text(-result));
}

Status notify_status(std::string_view text)
{
    std::string state = "STATUS=" + std::string(text);
    std::replace(state.begin(), state.end(), '\n', ' ');
    return notify(state);
}

std::optional<std::uint64_t> watchdog_interval_ms()
{
    std::uint64_t usec = 0;
    // > 0: enabled for this process; 0: not configured or meant for another PID; < 0: malformed
    // $WATCHDOG_USEC/$WATCHDOG_PID, which is no watchdog we could honour either.
    if (::sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
        return std::nullopt;
    return std::max<std::uint64_t>(usec / 2000, 1);
}

} // namespace kiosk::systemd
