#pragma once

// Logging to stderr (journald picks it up under systemd). One line per event, prefixed with a
// level and a module tag: "kiosk[warn] pack: ...". Thread-safe: lines from different threads
// never interleave.

#include <string>
#include <string_view>

namespace kiosk::log {

enum class Level {
    Debug,
    Info,
    Warn,
    Error,
};

// Text from outside (a pack's slide names, bytes of a stick's .minisig, file names) made safe for
// a terminal or a log: C0 and C1 control characters and DEL become \n, \r, \t, \xNN or \u{NNNN},
// bidirectional overrides (U+202A..U+202E, U+2066..U+2069) \u{NNNN}, and bytes that are not UTF-8
// \xNN; everything else, Chinese included, is kept. Every log line goes through it, and every
// command that prints outside text uses it.
std::string printable(std::string_view text);

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
