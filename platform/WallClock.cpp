#include "platform/WallClock.h"

#include <ctime>

namespace kiosk {

std::int64_t SystemWallClock::unix_time_s() const
{
    struct timespec now { };
    ::clock_gettime(CLOCK_REALTIME, &now);
    return std::int64_t(now.tv_sec);
}

WallClock const& system_wall_clock()
{
    static SystemWallClock const clock;
    return clock;
}

std::string format_utc(std::int64_t unix_time_s)
{
    std::time_t const seconds = std::time_t(unix_time_s);
    struct tm utc { };
    if (!::gmtime_r(&seconds, &utc))
        return std::to_string(unix_time_s) + " s after 1970";
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

} // namespace kiosk
