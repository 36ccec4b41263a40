#pragma once

// Logging to stderr (journald picks it up under systemd). One line per event, prefixed with a
// level and a module tag: "kiosk[warn] pack: ...". Thread-safe: lines from different threads
// never interleave. The last lines written are also kept in memory (recent_lines), for the
// service overlay and the status file: the updater thread logs too, so the ring is guarded.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

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

// How many lines the in-memory ring keeps; older ones are dropped (bounded memory for months).
constexpr std::size_t ring_capacity = 64;
// The last `max_lines` lines written (at or above the minimum level), oldest first, as printed
// without the "kiosk" prefix: "[warn] pack: ...". Each line is cut at 300 bytes.
std::vector<std::string> recent_lines(std::size_t max_lines);

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
