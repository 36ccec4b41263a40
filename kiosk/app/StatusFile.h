#pragma once

// StatusFile: the display's facts (ServiceFacts, as JSON) in a file a monitoring system reads,
// /run/kiosk/status.json by default (Config::status_file, --status-file; empty: off). Written
// every interval_ms on the loop's clock, atomically (a reader never sees half a file). A failed
// write (disk full, read-only, the path is a folder) is logged once, and again only after a write
// succeeded in between: the show never stops for it. At the default path a missing folder only
// turns the file off (one info line): /run/kiosk is made by the service unit (RuntimeDirectory=),
// and a kiosk started by hand or by a test has none. Main thread only; never reads a clock.

#include "kiosk/show/Navigator.h"

#include <filesystem>
#include <optional>
#include <string>

namespace kiosk::app {

class StatusFile {
public:
    static constexpr show::TimeMs interval_ms = 5'000;

    enum class Origin {
        Default, // the built-in default path: a missing folder turns the file off quietly
        Configured, // named by the config file or --status-file: every failure is a warning
    };
    StatusFile(std::filesystem::path path, Origin origin);

    // Whether a write is due now (always false when off).
    bool due(show::TimeMs now_ms) const;
    // Writes the JSON text; the next write is due interval_ms after now.
    void write(std::string const& json, show::TimeMs now_ms);
    std::optional<show::TimeMs> next_deadline_ms() const;

    std::uint64_t writes() const { return m_writes; }
    std::uint64_t failures() const { return m_failures; }

private:
    std::filesystem::path m_path;
    std::optional<show::TimeMs> m_next_ms;
    bool m_failing { false };
    std::uint64_t m_writes { 0 };
    std::uint64_t m_failures { 0 };
};

} // namespace kiosk::app
