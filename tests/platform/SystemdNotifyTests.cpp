// kiosk.service is Type=notify with a watchdog: what the app sends through libsystemd's sd_notify
// must arrive, byte for byte, on the datagram socket systemd names in $NOTIFY_SOCKET.

#include "../support/TestSupport.h"
#include "platform/SystemdNotify.h"
#include "platform/UniqueFd.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace kiosk;

namespace {

// A datagram socket standing in for systemd's notification socket: a path, or an abstract name
// when `path` starts with '@' (what systemd itself uses).
UniqueFd bind_notify_socket(std::string const& path)
{
    UniqueFd server(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    REQUIRE(server.valid());
    struct sockaddr_un address { };
    address.sun_family = AF_UNIX;
    REQUIRE(path.size() < sizeof address.sun_path);
    std::memcpy(address.sun_path, path.data(), path.size());
    socklen_t length = socklen_t(offsetof(struct sockaddr_un, sun_path) + path.size());
    if (path[0] == '@')
        address.sun_path[0] = '\0';
    else
        length += 1;
    REQUIRE(::bind(server.get(), reinterpret_cast<struct sockaddr*>(&address), length) == 0);
    return server;
}

// The next datagram, waiting up to 5 s for it; "" when none came.
std::string receive(UniqueFd const& server)
{
    struct pollfd pfd {
        server.get(), POLLIN, 0
    };
    if (::poll(&pfd, 1, 5'000) != 1)
        return {};
    char buffer[256] = {};
    ssize_t const n = ::recv(server.get(), buffer, sizeof buffer, MSG_DONTWAIT);
    return std::string(buffer, std::size_t(std::max<ssize_t>(n, 0)));
}

bool nothing_pending(UniqueFd const& server)
{
    struct pollfd pfd {
        server.get(), POLLIN, 0
    };
    return ::poll(&pfd, 1, 0) == 0;
}

} // namespace

TEST_CASE("sd_notify messages arrive on $NOTIFY_SOCKET", "[platform][systemd]")
{
    test::TempDir dir;
    std::string const path = (dir / "notify.sock").string();
    UniqueFd const server = bind_notify_socket(path);

    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    CHECK(systemd::notify_ready().ok());
    CHECK(receive(server) == "READY=1");
    CHECK(systemd::notify_watchdog().ok());
    CHECK(receive(server) == "WATCHDOG=1");
    CHECK(systemd::notify_status("showing news v4\nslide 3").ok());
    CHECK(receive(server) == "STATUS=showing news v4 slide 3");
    CHECK(systemd::notify_stopping().ok());
    CHECK(receive(server) == "STOPPING=1");
    // sd_notify(…, unset_environment = 0): later pings still find the socket.
    CHECK(std::getenv("NOTIFY_SOCKET") != nullptr);
    ::unsetenv("NOTIFY_SOCKET");
}

TEST_CASE("sd_notify reaches an abstract socket, as systemd names its own", "[platform][systemd]")
{
    std::string const name = "@kiosk-test-notify-" + std::to_string(::getpid());
    UniqueFd const server = bind_notify_socket(name);
    ::setenv("NOTIFY_SOCKET", name.c_str(), 1);
    CHECK(systemd::notify_watchdog().ok());
    CHECK(receive(server) == "WATCHDOG=1");
    ::unsetenv("NOTIFY_SOCKET");
}

// (No ';' in test names: CTest's test discovery would cut the name there and run nothing.)
TEST_CASE("without systemd every notification is a quiet no-op, and a broken socket is an error naming it",
    "[platform][systemd]")
{
    test::TempDir dir;
    std::string const path = (dir / "notify.sock").string();
    UniqueFd const server = bind_notify_socket(path);

    ::unsetenv("NOTIFY_SOCKET");
    CHECK(systemd::notify_ready().ok());
    CHECK(systemd::notify_watchdog().ok());
    CHECK(nothing_pending(server));

    ::setenv("NOTIFY_SOCKET", (dir / "missing.sock").c_str(), 1);
    auto const missing = systemd::notify_ready();
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.message(), Catch::Contains("missing.sock"));

    ::setenv("NOTIFY_SOCKET", "relative/path", 1);
    auto const relative = systemd::notify_ready();
    REQUIRE_FALSE(relative.ok());
    CHECK_THAT(relative.message(), Catch::Contains("relative/path"));
    ::unsetenv("NOTIFY_SOCKET");
    CHECK(nothing_pending(server));
}

TEST_CASE("the watchdog interval is half of WATCHDOG_USEC, for this process only", "[platform][systemd]")
{
    ::unsetenv("WATCHDOG_PID");
    ::unsetenv("WATCHDOG_USEC");
    CHECK_FALSE(systemd::watchdog_interval_ms());

    ::setenv("WATCHDOG_USEC", "30000000", 1);
    CHECK(systemd::watchdog_interval_ms() == std::optional<std::uint64_t>(15'000));
    ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
    CHECK(systemd::watchdog_interval_ms() == std::optional<std::uint64_t>(15'000));
    ::setenv("WATCHDOG_PID", "1", 1); // meant for another process (systemd's main PID, say)
    CHECK_FALSE(systemd::watchdog_interval_ms());
    ::unsetenv("WATCHDOG_PID");

    ::setenv("WATCHDOG_USEC", "thirty seconds", 1);
    CHECK_FALSE(systemd::watchdog_interval_ms());
    ::setenv("WATCHDOG_USEC", "0", 1);
    CHECK_FALSE(systemd::watchdog_interval_ms());
    ::unsetenv("WATCHDOG_USEC");
}
