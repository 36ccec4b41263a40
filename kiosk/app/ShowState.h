#pragma once

// ShowState: what the show is, apart from how it is drawn: the pack on screen (or the reasons
// there is none), its generation (which grows with each activated update, so slide keys of an older
// pack never match), the Navigator, and the language in front with the rules that move it (the
// language button and L key, the idle reset, `alternate` mode after each pass). Main thread only;
// never reads a clock.

#include "kiosk/app/App.h"
#include "kiosk/app/Screen.h"
#include "kiosk/app/SlideStage.h"

#include <memory>

namespace kiosk::app {

class ShowState {
public:
    ShowState(Config const& config, LoadedContent content, TimeMs now);

    show::Navigator& navigator() { return *m_navigator; }
    show::Navigator const& navigator() const { return *m_navigator; }
    content::Pack const* pack() const { return m_content.pack.get(); }
    int slide_count() const { return m_content.pack ? int(m_content.pack->slides.size()) : 0; }
    std::uint64_t generation() const { return m_generation; }
    std::vector<int> durations() const;
    std::string const& language() const { return m_language; }

    // The key each slide is prepared and cached under.
    SlideSource source() const;
    // The EN / 中文 button, when the language mode shows one.
    std::optional<LanguageButton> language_button() const;

    // The next of the pack's languages; false when there is no other.
    bool switch_language();
    // After Navigator::update: the idle reset returns to the starting language, and `alternate`
    // mode switches after each pass. True when the language changed.
    bool follow_navigator();
    // A new pack replaces the show (an update at a slide boundary): generation + 1, slide 1, the
    // starting language; a pause stays.
    void activate(std::shared_ptr<content::Pack const> pack, TimeMs now);
    // Logs the slide when it changed (debug; tests read "slide N/M (name)").
    void log_slide(show::ViewState const& view);

private:
    LanguageMode mode() const { return effective_language_mode(m_config, m_content.pack.get()); }

    Config const& m_config;
    LoadedContent m_content;
    std::uint64_t m_generation { 1 };
    std::unique_ptr<show::Navigator> m_navigator;
    std::string m_language;
    int m_seen_cycles { 0 };
    int m_logged_slide { -1 };
};

} // namespace kiosk::app
