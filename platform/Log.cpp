#include "platform/Log.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <mutex>

namespace kiosk::log {

namespace {
std::atomic<Level> g_min_level { Level::Info };
std::mutex g_mutex; // guards stderr lines and the ring
constexpr std::size_t max_ring_line_bytes = 300;
std::array<std::string, ring_capacity> g_ring;
std::size_t g_ring_next { 0 }; // where the next line goes
std::size_t g_ring_size { 0 };

char const* level_name(Level level)
{
    switch (level) {
    case Level::Debug:
        return "debug";
    case Level::Info:
        return "info";
    case Level::Warn:
        return "warn";
    case Level::Error:
        return "error";
    }
    return "?";
}
} // namespace

void set_min_level(Level level)
{
    g_min_level = level;
}

void write(Level level, std::string_view tag, std::string_view message)
{
    if (level < g_min_level.load())
        return;
    std::lock_guard lock(g_mutex);
    std::fprintf(stderr, "kiosk[%s] %.*s: %.*s\n", level_name(level), int(tag.size()), tag.data(), int(message.size()),
        message.data());
    std::string line = std::string("[") + level_name(level) + "] ";
    line.append(tag).append(": ").append(message.substr(0, max_ring_line_bytes));
    g_ring[g_ring_next] = std::move(line);
    g_ring_next = (g_ring_next + 1) % ring_capacity;
    g_ring_size = std::min(g_ring_size + 1, ring_capacity);
}

std::vector<std::string> recent_lines(std::size_t max_lines)
{
    std::lock_guard lock(g_mutex);
    std::size_t const count = std::min(max_lines, g_ring_size);
    std::vector<std::string> lines;
    lines.reserve(count);
    for (std::size_t i = count; i > 0; --i)
        lines.push_back(g_ring[(g_ring_next + ring_capacity - i) % ring_capacity]);
    return lines;
}

} // namespace kiosk::log
