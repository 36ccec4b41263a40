#include "kiosk/app/UpdateUi.h"

#include "platform/Log.h"

#include <type_traits>
#include <variant>

namespace kiosk::app {

namespace {

std::string title_of(std::map<std::string, std::string> const& titles, std::string const& lang)
{
    if (auto it = titles.find(lang); it != titles.end())
        return it->second;
    return titles.empty() ? std::string() : titles.begin()->second;
}

} // namespace

UpdateUi::UpdateUi(Screen& screen)
    : m_screen(screen)
{
}

// The updater thread stops (and joins) before the toast and the screen go.
UpdateUi::~UpdateUi() = default;

void UpdateUi::start_updater(Config const& config)
{
    update::UpdaterConfig update_config;
    update_config.data_dir = config.data_dir;
    update_config.keys_dir = config.keys_dir;
    update_config.inbox_dirs = config.inbox_dirs;
    update_config.mount_roots = config.mount_roots;
    update_config.device_group = config.device_group;
    update_config.device_id = config.device_id;
    update_config.accepted_pack_ids = config.accepted_pack_ids;
    update_config.write_reports = config.write_reports;
    m_updater = std::make_unique<update::Updater>(std::move(update_config), m_updater_clock);
    if (SDL_WasInit(SDL_INIT_EVENTS)) {
        // The updater thread wakes the sleeping loop through SDL's (thread-safe) event queue.
        Uint32 const type = SDL_RegisterEvents(1);
        if (type != Uint32(-1)) {
            m_updater->set_wake_callback([type] {
                SDL_Event event {};
                event.type = type;
                SDL_PushEvent(&event);
            });
        }
    }
    if (auto started = m_updater->start(); !started) {
        log::error("update", started.message());
        m_updater.reset();
    }
}

void UpdateUi::show_toast(std::string const& message, TimeMs duration_ms, TimeMs now)
{
    m_toast_text = message;
    m_toast = m_screen.text_texture(message, 28, 2, 0.8);
    m_toast_until_ms = now + duration_ms;
    m_changed = true;
}

void UpdateUi::screen_rebuilt(TimeMs now)
{
    if (m_toast && now < m_toast_until_ms)
        m_toast = m_screen.text_texture(m_toast_text, 28, 2, 0.8);
}

void UpdateUi::poll(TimeMs now, std::string const& language)
{
    if (!m_updater)
        return;
    while (auto event = m_updater->poll_event()) {
        std::visit(
            [&](auto const& e) {
                using E = std::decay_t<decltype(e)>;
                if constexpr (std::is_same_v<E, update::Detected>) {
                    show_toast("Checking update " + e.file.filename().string() + " …", 60'000, now);
                } else if constexpr (std::is_same_v<E, update::Progress>) {
                    m_progress = e.bytes_total ? double(e.bytes_done) / double(e.bytes_total) : 0.0;
                    m_changed = true;
                } else if constexpr (std::is_same_v<E, update::Refused>) {
                    m_progress.reset();
                    show_toast(e.already_installed ? "Already up to date: " + e.reason : "Update refused: " + e.reason,
                        10'000, now);
                    log::warn("update", e.reason);
                    m_last_result = (e.already_installed ? "already up to date: " : "refused: ") + e.reason;
                } else if constexpr (std::is_same_v<E, update::Failed>) {
                    m_progress.reset();
                    show_toast("Update failed: " + e.reason, 10'000, now);
                    log::error("update", e.reason);
                    m_last_result = "failed: " + e.reason;
                } else if constexpr (std::is_same_v<E, update::Installed>) {
                    m_progress.reset();
                    m_pending = e.pack;
                    m_pending_since_ms = now;
                    m_pending_message = "Updated to " + title_of(e.title, language) + " v" + std::to_string(e.version)
                        + " \u2014 " + std::to_string(e.slide_count) + " slides";
                    show_toast("Update installed; it shows from the next slide", 60'000, now);
                    log::info("update", "installed " + e.path.string());
                    m_last_result = "installed " + e.path.filename().string();
                }
            },
            *event);
    }
}

void UpdateUi::offer(std::shared_ptr<content::Pack const> pack, std::string message, TimeMs now)
{
    m_pending = std::move(pack);
    m_pending_since_ms = now;
    m_pending_message = std::move(message);
}

double UpdateUi::toast_opacity(TimeMs now) const
{
    if (!m_toast || now >= m_toast_until_ms)
        return 0.0;
    TimeMs const left = m_toast_until_ms - now;
    return left >= fade_ms ? 1.0 : double(left) / double(fade_ms);
}

void UpdateUi::fill_overlay(render::Overlay& overlay, TimeMs now) const
{
    overlay.progress = m_progress;
    overlay.toast_opacity = toast_opacity(now);
    overlay.toast = overlay.toast_opacity > 0 ? m_toast.get() : nullptr;
}

bool UpdateUi::animating(TimeMs now) const
{
    return m_toast && now + fade_ms >= m_toast_until_ms && now <= m_toast_until_ms + 20;
}

void UpdateUi::frame_drawn(TimeMs now)
{
    if (m_toast && now > m_toast_until_ms)
        m_toast.reset();
}

bool UpdateUi::take_changed()
{
    return std::exchange(m_changed, false);
}

bool UpdateUi::activation_due(TimeMs now, bool advancing, bool can_rotate, bool paused) const
{
    if (!m_pending)
        return false;
    return advancing || !can_rotate || (paused && now >= m_pending_since_ms + pending_patience_ms);
}

std::shared_ptr<content::Pack const> UpdateUi::take_pending(TimeMs now)
{
    show_toast(m_pending_message, 6'000, now);
    log::info("update", m_pending_message);
    return std::move(m_pending);
}

std::optional<TimeMs> UpdateUi::next_deadline_ms(TimeMs now, bool can_rotate, bool paused) const
{
    std::optional<TimeMs> deadline;
    auto earliest = [&](TimeMs candidate) {
        if (!deadline || candidate < *deadline)
            deadline = candidate;
    };
    if (m_toast) // the fade-out, then the end of the toast
        earliest(now + fade_ms < m_toast_until_ms ? m_toast_until_ms - fade_ms : now + 16);
    if (m_pending) { // wakes at the navigator's next move anyway; else the patience runs out
        if (!can_rotate)
            earliest(now);
        else if (paused)
            earliest(m_pending_since_ms + pending_patience_ms);
    }
    return deadline;
}

} // namespace kiosk::app
