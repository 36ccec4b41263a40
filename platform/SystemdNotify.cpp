#include "platform/SystemdNotify.h"

#include "platform/Files.h"
#include "platform/UniqueFd.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace kiosk::systemd {

namespace {

std::optional<std::uint64_t> env_number(char const* name)
{
    char const* text = std::getenv(name);
    if (!text || !*text)
        return std::nullopt;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text, text + std::strlen(text), value);
    if (ec != std::errc() || *end != '\0')
        return std::nullopt;
    return value;
}

} // namespace

Status notify(std::string_view state)
{
    char const* socket_name = std::getenv("NOTIFY_SOCKET");
    if (!socket_name || !*socket_name)
        return {};
    std::string const name = socket_name;
    struct sockaddr_un address { };
    address.sun_family = AF_UNIX;
    if (name.size() >= sizeof address.sun_path || (name[0] != '/' && name[0] != '@'))
        return make_error("NOTIFY_SOCKET '" + name + "' is not a socket path systemd would set");
    std::memcpy(address.sun_path, name.data(), name.size());
    // "@name" is an abstract socket: a leading NUL instead of '@', and no terminating NUL counted.
    socklen_t length = socklen_t(offsetof(struct sockaddr_un, sun_path) + name.size());
    if (name[0] == '@')
        address.sun_path[0] = '\0';
    else
        length += 1;

    UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd)
        return make_error("sd_notify: socket: " + files::errno_text(errno));
    ssize_t const sent = ::sendto(
        fd.get(), state.data(), state.size(), MSG_NOSIGNAL, reinterpret_cast<struct sockaddr const*>(&address), length);
    if (sent < 0)
        return make_error("sd_notify to " + name + ": " + files::errno_text(errno));
    return {};
}

std::optional<std::uint64_t> watchdog_interval_ms()
{
    auto const usec = env_number("WATCHDOG_USEC");
    if (!usec || *usec == 0)
        return std::nullopt;
    // WATCHDOG_PID, when set, names the process the watchdog is meant for (not a child we forked).
    if (auto const pid = env_number("WATCHDOG_PID"); pid && *pid != std::uint64_t(::getpid()))
        return std::nullopt;
    return *usec / 2000;
}

} // namespace kiosk::systemd
