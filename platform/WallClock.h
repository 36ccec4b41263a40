#pragma once

// WallClock: calendar time, for the few places a person reads a timestamp (the import report left on
// a USB stick). Kept apart from Clock (monotonic, for durations) so durations never jump when NTP
// steps the calendar. Injected like Clock, so tests write reports with a fixed time.

#include <cstdint>
#include <string>

namespace kiosk {

class WallClock {
public:
    virtual ~WallClock() = default;
    // Seconds since 1970-01-01T00:00:00Z.
    virtual std::int64_t unix_time_s() const = 0;
};

class SystemWallClock final : public WallClock {
public:
    std::int64_t unix_time_s() const override;
};

class FakeWallClock final : public WallClock {
public:
    explicit FakeWallClock(std::int64_t unix_time_s)
        : m_unix_time_s(unix_time_s)
    {
    }
    std::int64_t unix_time_s() const override { return m_unix_time_s; }

private:
    std::int64_t m_unix_time_s;
};

// The process-wide system wall clock, for callers that take a WallClock const& with a default.
WallClock const& system_wall_clock();

// "2024-05-01T09:30:00Z" (UTC, ISO 8601).
std::string format_utc(std::int64_t unix_time_s);

} // namespace kiosk
