#include "kiosk/app/ShowState.h"

#include "platform/Log.h"

#include <algorithm>

namespace kiosk::app {

namespace {

show::NavigatorConfig navigator_config(Config const& config)
{
    show::NavigatorConfig out;
    out.idle_timeout_ms = config.idle_timeout_s * 1000;
    return out;
}

} // namespace

ShowState::ShowState(Config const& config, LoadedContent content, TimeMs now)
    : m_config(config)
    , m_content(std::move(content))
    , m_navigator(std::make_unique<show::Navigator>(durations(), now, navigator_config(config)))
    , m_language(starting_language(config, m_content.pack.get()))
{
}

std::vector<int> ShowState::durations() const
{
    std::vector<int> out;
    for (int i = 0; i < slide_count(); ++i)
        out.push_back(m_content.pack->slides[std::size_t(i)].duration_ms);
    return out;
}

SlideSource ShowState::source() const
{
    return { m_content.pack, m_content.problem, m_generation,
        language_order(m_content.pack.get(), mode(), m_language) };
}

std::optional<LanguageButton> ShowState::language_button() const
{
    if (mode() != LanguageMode::Toggle || !m_content.pack || m_content.pack->meta.languages.size() < 2)
        return std::nullopt;
    return LanguageButton { m_content.pack->meta.languages, m_language };
}

bool ShowState::switch_language()
{
    if (!m_content.pack || m_content.pack->meta.languages.size() < 2)
        return false;
    auto const& langs = m_content.pack->meta.languages;
    auto it = std::find(langs.begin(), langs.end(), m_language);
    m_language = (it == langs.end() || it + 1 == langs.end()) ? langs.front() : *(it + 1);
    return true;
}

bool ShowState::follow_navigator()
{
    bool changed = false;
    if (m_navigator->take_idle_reset()) {
        std::string const home = starting_language(m_config, m_content.pack.get());
        if (home != m_language) {
            m_language = home;
            changed = true;
        }
    }
    if (mode() == LanguageMode::Alternate && m_navigator->cycle_count() != m_seen_cycles) {
        m_seen_cycles = m_navigator->cycle_count();
        changed |= switch_language();
    }
    return changed;
}

void ShowState::activate(std::shared_ptr<content::Pack const> pack, TimeMs now)
{
    m_content.pack = std::move(pack);
    m_content.problem.clear();
    ++m_generation;
    m_navigator->reset(durations(), now);
    m_language = starting_language(m_config, m_content.pack.get());
    m_seen_cycles = 0;
    m_logged_slide = -1;
}

void ShowState::log_slide(show::ViewState const& view)
{
    if (view.current == m_logged_slide || !m_content.pack)
        return;
    m_logged_slide = view.current;
    log::debug("show",
        "slide " + std::to_string(view.current + 1) + "/" + std::to_string(slide_count()) + " ("
            + m_content.pack->slides[std::size_t(view.current)].name + ")");
}

} // namespace kiosk::app
