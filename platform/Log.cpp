#include "platform/Log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace kiosk::log {

namespace {
std::atomic<Level> g_min_level { Level::Info };
std::mutex g_mutex;

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
}

} // namespace kiosk::log
