#pragma once

// ServiceOverlay: the hidden service panel. A 5 s press in the top-left corner or F12 opens it
// (InputTranslator reports the gesture); the same gesture closes it, and it closes by itself 60 s
// after it opened, so a technician who walks away leaves the lobby screen as it was.
//
// It shows ServiceFacts (device, version, packs, storage, keys, display, renderer, uptime, frame
// figures) and the last 20 log lines on a dark translucent panel, drawn with the text module into
// one texture. While open the facts are gathered and the texture redrawn at most once a second,
// and only when the text changed, so an open panel costs one frame a second (its countdown) and a
// closed one nothing. Owns its texture; main thread only; never reads a clock.

#include "kiosk/app/Screen.h"
#include "kiosk/app/ServiceFacts.h"

#include <functional>

namespace kiosk::app {

class ServiceOverlay {
public:
    static constexpr TimeMs open_for_ms = 60'000;
    static constexpr TimeMs refresh_ms = 1'000;
    static constexpr std::size_t log_lines = 20;

    ServiceOverlay(Screen& screen, text::FontSet& fonts);

    bool is_open() const { return m_open; }
    void toggle(TimeMs now);
    // While open: closes when its time is over, and redraws the panel when a second has passed and
    // the facts changed. True when the picture changed (opened, closed, redrawn).
    bool update(TimeMs now, std::function<ServiceFacts()> const& gather);
    // The panel's texture while open (null when closed), drawn by Screen on top of everything.
    SDL_Texture* texture() const { return m_open ? m_texture.get() : nullptr; }
    // The screen was rebuilt (resize, device reset): the texture is made again on the next update.
    void screen_rebuilt();
    std::optional<TimeMs> next_deadline_ms() const;
    std::uint64_t renders() const { return m_renders; }

private:
    std::vector<std::string> lines_of(ServiceFacts const& facts, TimeMs now) const;
    void render(ServiceFacts const& facts, TimeMs now);

    Screen& m_screen;
    text::FontSet& m_fonts;
    bool m_open { false };
    bool m_changed { false };
    TimeMs m_opened_ms { 0 };
    std::optional<TimeMs> m_next_refresh_ms;
    std::vector<std::string> m_drawn_lines; // what the texture shows, to redraw only on change
    TexturePtr m_texture;
    std::uint64_t m_renders { 0 };
};

} // namespace kiosk::app
