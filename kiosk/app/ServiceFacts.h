#pragma once

// ServiceFacts: what a service technician or a monitoring system needs to know about a running
// display, gathered in one place so the service overlay (ServiceOverlay.h) and the status file
// (StatusFile.h) say the same thing. FrameStats keeps the frame figures the loop measures.
// Plain data; gathering them (Display) reads the store's state file, the keys folder and statvfs,
// which is cheap enough for once a second while the overlay is open and every few seconds for
// the status file.

#include "kiosk/show/Navigator.h"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kiosk::app {

// Frame statistics over the presented frames: the time between consecutive frames of an
// animation (a frame drawn after a still picture starts a new animation, its gap is not a frame
// time), and the frame rate of the last transition that ended.
class FrameStats {
public:
    static constexpr std::size_t window_frames = 600; // the last ~10 s of animation at 60 Hz

    // A frame was presented at now_ms; `moving`: it belongs to an animation (transition, drag, fade).
    void presented(show::TimeMs now_ms, bool moving);

    std::uint64_t frames() const { return m_frames; }
    std::optional<double> percentile_ms(double p) const; // over the last window_frames frame times
    std::optional<double> last_transition_fps() const { return m_last_transition_fps; }

private:
    std::uint64_t m_frames { 0 };
    std::deque<show::TimeMs> m_intervals_ms;
    std::optional<show::TimeMs> m_last_ms;
    bool m_last_moving { false };
    show::TimeMs m_run_start_ms { 0 };
    std::uint64_t m_run_frames { 0 };
    std::optional<double> m_last_transition_fps;
};

struct PackFacts {
    std::string id;
    std::int64_t version { 0 };
    int slides { -1 }; // -1: not known (a pack that is installed but not on screen)
};

struct ServiceFacts {
    std::string device_id;
    std::string app_version;
    std::string content_source; // "data directory", "built-in pack", "--pack FILE", "no content"
    std::optional<PackFacts> showing;
    std::optional<PackFacts> installed; // the store's current pack
    std::optional<PackFacts> previous;
    std::string store_problem; // why the store's state could not be read, if so
    std::string data_dir;
    std::optional<std::uint64_t> free_bytes; // of the data directory's file system
    std::vector<std::string> log_lines; // the last 20, oldest first
    std::string last_import; // the last import result this run, or empty
    std::vector<std::string> key_ids; // trusted minisign key ids (hex) in keys_dir
    std::string keys_dir;
    std::vector<std::string> key_problems;
    std::string display_mode; // "fullscreen", "windowed", "headless"
    int width_px { 0 }, height_px { 0 }; // the panel
    int rotation_degrees { 0 };
    std::string renderer;
    show::TimeMs uptime_ms { 0 };
    std::uint64_t frames { 0 };
    std::optional<double> frame_p50_ms, frame_p99_ms, last_transition_fps;
    std::vector<std::string> config_warnings;
};

// The facts as label/value rows, for the overlay (log lines not included).
std::vector<std::pair<std::string, std::string>> fact_rows(ServiceFacts const& facts);
// The facts as a JSON object (the status file).
std::string facts_json(ServiceFacts const& facts, std::int64_t unix_time_s);
// "2 d 03:04:05"
std::string format_uptime(show::TimeMs ms);
// "1.2 GB"
std::string format_bytes(std::uint64_t bytes);

} // namespace kiosk::app
