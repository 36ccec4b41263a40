#pragma once

// Time is injected (STYLE.md): modules take timestamps, the app takes a Clock. Tests use FakeClock
// and drive hours of slideshow in milliseconds.

#include <cstdint>

namespace kiosk {

class Clock {
public:
    virtual ~Clock() = default;
    // Milliseconds of a monotonic clock; only differences mean anything.
    virtual std::uint64_t now_ms() const = 0;
};

// CLOCK_MONOTONIC: unaffected by NTP steps or an operator changing the wall clock.
class SteadyClock final : public Clock {
public:
    std::uint64_t now_ms() const override;
};

class FakeClock final : public Clock {
public:
    explicit FakeClock(std::uint64_t start_ms = 1'000)
        : m_now_ms(start_ms)
    {
    }
    std::uint64_t now_ms() const override { return m_now_ms; }
    void advance(std::uint64_t delta_ms) { m_now_ms += delta_ms; }
    void set(std::uint64_t now_ms) { m_now_ms = now_ms; }

private:
    std::uint64_t m_now_ms;
};

} // namespace kiosk
