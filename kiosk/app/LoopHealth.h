#pragma once

// LoopHealth: what the loop tells the outside about itself, judged by what a person would see.
// - READY=1 to systemd once the first frame is presented;
// - WATCHDOG=1 at the interval systemd asks for, sent from the loop's own iterations (never from a
//   timer thread), so a loop stuck in a decode, a present or a deadlock stops the pings and is
//   restarted; and a loop that turns but cannot draw the frame it owes (the picture changed, no
//   frame presented) for longer than stall_ms stops them too: a spinning loop behind a frozen or
//   black screen is no healthier than a hung one;
// - "healthy" for the store's rollback rule: the whole rotation has been on screen once (every
//   slide in a presented frame, the last of them for its duration or until the show moved on).
// Never reads a clock; main thread only.

#include "kiosk/show/Navigator.h"

#include <optional>
#include <vector>

namespace kiosk::app {

class LoopHealth {
public:
    explicit LoopHealth(std::optional<show::TimeMs> watchdog_interval_ms);

    // A pack went on screen (at start, or an update): the rotation starts again. `watched`: the
    // pack's health is worth reporting (it came from the store).
    void content_started(std::vector<int> durations_ms, bool watched, show::TimeMs now_ms);
    // A frame showing `view` was presented.
    void frame_presented(show::ViewState const& view, show::TimeMs now_ms);
    // True once per pack, when the whole rotation has been shown: the caller notes it in the store.
    bool take_healthy(show::TimeMs now_ms);
    // The end of an iteration: READY once, then the watchdog ping when due. `frame_owed`: the
    // picture changed but no frame could be presented this turn (frame pacing aside).
    void iteration_done(show::TimeMs now_ms, bool frame_owed = false);
    // When the loop must wake for the next ping or the health mark.
    std::optional<show::TimeMs> next_deadline_ms() const;

    std::uint64_t frames() const { return m_frames; }
    std::uint64_t pings() const { return m_pings; }
    // Owing a frame for longer than this stops the watchdog pings (systemd restarts the app).
    static constexpr show::TimeMs stall_ms = 10'000;

private:
    std::optional<show::TimeMs> m_watchdog_interval_ms;
    show::TimeMs m_last_ping_ms { 0 };
    bool m_ready_sent { false };
    std::uint64_t m_pings { 0 };
    std::optional<show::TimeMs> m_owed_since_ms; // a frame has been owed since then
    std::uint64_t m_frames { 0 };

    bool m_watched { false };
    bool m_healthy_noted { false };
    std::vector<int> m_durations_ms;
    std::vector<bool> m_seen;
    int m_unseen { 0 };
    int m_last_new { -1 }; // the slide that was seen last for the first time
    show::TimeMs m_last_new_since_ms { 0 };
    bool m_rotation_shown { false };
};

} // namespace kiosk::app
