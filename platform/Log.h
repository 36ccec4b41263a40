#pragma once

// Logging to stderr (journald picks it up under systemd). One line per event, prefixed with a
// level and a module tag: "kiosk[warn] pack: ...". Thread-safe: lines from different threads
// never interleave.

#include <string_view>

namespace kiosk::log {

enum class Level {
    Debug,
    Info,
    Warn,
    Error,
};

void set_min_level(Level level);
void write(Level level, std::string_view tag, std::string_view message);

inline void debug(std::string_view tag, std::string_view message)
{
    write(Level::Debug, tag, message);
}
inline void info(std::string_view tag, std::string_view message)
{
    write(Level::Info, tag, message);
}
inline void warn(std::string_view tag, std::string_view message)
{
    write(Level::Warn, tag, message);
}
inline void error(std::string_view tag, std::string_view message)
{
    write(Level::Error, tag, message);
}

} // namespace kiosk::log
