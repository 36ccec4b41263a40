#pragma once

// UpdateUi: what the screen says about updates, and the pack waiting to be shown. It runs the
// updater thread (update::Updater, on its own steady clock: the loop's clock may be virtual and is
// not thread-safe), turns its events into the status toast and the progress bar along the top
// edge, and holds an installed pack until the loop reaches a slide boundary (docs/architecture.md,
// "Activating an update"):
//   Detected  -> "Checking update NAME …"
//   Progress  -> the progress bar
//   Refused / Failed -> the reason for 10 s, and the log
//   Installed -> "Update installed; it shows from the next slide"; the pack waits in pending()
// Main thread only (the updater's queue is thread-safe; the toast is a texture). Never reads a
// clock: every call takes the loop's `now`.

#include "kiosk/app/Config.h"
#include "kiosk/app/Screen.h"
#include "kiosk/update/Updater.h"

#include <memory>
#include <optional>

namespace kiosk::app {

class UpdateUi {
public:
    explicit UpdateUi(Screen& screen);
    ~UpdateUi();

    // Starts the updater thread (the data directory's store is open). When SDL's event queue runs,
    // the thread wakes a sleeping loop with an SDL user event.
    void start_updater(Config const& config);

    // Collects the updater's events. `language`: the title of an installed pack in this language.
    void poll(TimeMs now, std::string const& language);
    void show_toast(std::string const& message, TimeMs duration_ms, TimeMs now);
    // The screen was rebuilt (resize, device reset): the toast's texture is made again.
    void screen_rebuilt(TimeMs now);

    // The overlay's part: the toast at its opacity, the progress bar.
    void fill_overlay(render::Overlay& overlay, TimeMs now) const;
    // True while the toast fades (every frame differs).
    bool animating(TimeMs now) const;
    // After a frame was drawn: frees a toast whose time is over.
    void frame_drawn(TimeMs now);
    // Something changed that the screen must show.
    bool take_changed();

    // The installed pack waiting for the next slide boundary, or null.
    std::shared_ptr<content::Pack const> const& pending() const { return m_pending; }
    // Whether the pending pack should replace the show now. `advancing`: the navigator has just
    // begun its automatic move to the next slide. A show with nothing to rotate switches at once; a
    // show paused by a visitor who then left (idle timeout off) switches after pending_patience_ms.
    bool activation_due(TimeMs now, bool advancing, bool can_rotate, bool paused) const;
    // Hands over the pending pack and says so on screen for 6 s.
    std::shared_ptr<content::Pack const> take_pending(TimeMs now);

    // When the loop must look again although nothing else is due (toast fade, patience).
    std::optional<TimeMs> next_deadline_ms(TimeMs now, bool can_rotate, bool paused) const;

    // The last import's outcome this run ("installed cas-news v3", "refused: ..."), or empty.
    std::string const& last_result() const { return m_last_result; }
    // Offers a pack as if the updater had installed it (the soak test's pack swaps).
    void offer(std::shared_ptr<content::Pack const> pack, std::string message, TimeMs now);

    static constexpr TimeMs pending_patience_ms = 5 * 60 * 1000;

private:
    static constexpr TimeMs fade_ms = 400; // the toast fades out over its last 400 ms
    double toast_opacity(TimeMs now) const;

    Screen& m_screen;
    SteadyClock m_updater_clock; // the updater thread's own clock (thread-safe)
    std::unique_ptr<update::Updater> m_updater;

    std::string m_toast_text;
    TexturePtr m_toast;
    TimeMs m_toast_until_ms { 0 };
    std::optional<double> m_progress;
    bool m_changed { false };

    std::shared_ptr<content::Pack const> m_pending;
    std::string m_pending_message;
    TimeMs m_pending_since_ms { 0 };
    std::string m_last_result;
};

} // namespace kiosk::app
