// kiosk.service is Type=notify with a watchdog: the app's notifications must reach systemd's socket.

#include "../support/TestSupport.h"
#include "platform/SystemdNotify.h"
#include "platform/UniqueFd.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <sys/socket.h>
#include <sys/un.h>

using namespace kiosk;

TEST_CASE("sd_notify messages arrive on $NOTIFY_SOCKET, and are no-ops without it", "[update][systemd]")
{
    ::unsetenv("NOTIFY_SOCKET");
    CHECK(systemd::notify_ready().ok());

    test::TempDir dir;
    std::string const path = (dir / "notify.sock").string();
    UniqueFd server(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    REQUIRE(server.valid());
    struct sockaddr_un address { };
    address.sun_family = AF_UNIX;
    REQUIRE(path.size() < sizeof address.sun_path);
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    REQUIRE(::bind(server.get(), reinterpret_cast<struct sockaddr*>(&address), sizeof address) == 0);

    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    CHECK(systemd::notify_ready().ok());
    CHECK(systemd::notify_watchdog().ok());
    char buffer[64] = {};
    ssize_t n = ::recv(server.get(), buffer, sizeof buffer - 1, MSG_DONTWAIT);
    CHECK(std::string(buffer, std::size_t(std::max<ssize_t>(n, 0))) == "READY=1");
    n = ::recv(server.get(), buffer, sizeof buffer - 1, MSG_DONTWAIT);
    CHECK(std::string(buffer, std::size_t(std::max<ssize_t>(n, 0))) == "WATCHDOG=1");

    ::setenv("NOTIFY_SOCKET", "relative/path", 1);
    CHECK_FALSE(systemd::notify_ready().ok());
    ::unsetenv("NOTIFY_SOCKET");

    ::setenv("WATCHDOG_USEC", "30000000", 1);
    CHECK(systemd::watchdog_interval_ms() == std::optional<std::uint64_t>(15'000));
    ::setenv("WATCHDOG_PID", "1", 1); // meant for another process
    CHECK_FALSE(systemd::watchdog_interval_ms());
    ::unsetenv("WATCHDOG_PID");
    ::unsetenv("WATCHDOG_USEC");
    CHECK_FALSE(systemd::watchdog_interval_ms());
}
