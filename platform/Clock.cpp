#include "platform/Clock.h"

#include <chrono>

namespace kiosk {

std::uint64_t SteadyClock::now_ms() const
{
    auto const since_epoch = std::chrono::steady_clock::now().time_since_epoch();
    return std::uint64_t(std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count());
}

} // namespace kiosk
