#include "kiosk/app/ServiceOverlay.h"

#include "kiosk/text/TextLayout.h"
#include "kiosk/text/TextRaster.h"

#include <algorithm>
#include <cmath>

namespace kiosk::app {

namespace {

constexpr text::Rgba label_colour { 150, 170, 195, 255 };
constexpr text::Rgba value_colour { 240, 244, 250, 255 };
constexpr text::Rgba title_colour { 255, 255, 255, 255 };
constexpr text::Rgba warn_colour { 250, 204, 90, 255 };
constexpr text::Rgba error_colour { 255, 120, 110, 255 };
constexpr text::Rgba log_colour { 200, 208, 220, 255 };

text::Rgba log_line_colour(std::string const& line)
{
    if (line.starts_with("[error]"))
        return error_colour;
    if (line.starts_with("[warn]"))
        return warn_colour;
    return log_colour;
}

// Lays out and blits one text into the panel at (x, y), at most width_px wide; returns its height.
int blit_text(text::FontSet& fonts, SDL_Surface* panel, std::string const& text, int x, int y, int width_px,
    int size_px, text::Weight weight, int max_lines, text::Rgba colour)
{
    text::BoxStyle style;
    style.width_px = std::max(1, width_px);
    style.preferred_size_px = style.min_size_px = size_px;
    style.weight = weight;
    style.max_lines = max_lines;
    style.line_spacing = 1.2;
    text::TextBlock const block = text::layout_text(fonts, text.empty() ? " " : text, "en", style);
    SurfacePtr surface = text::rasterize(fonts, block, style, colour);
    if (!surface)
        return 0;
    SDL_Rect dst { x, y, surface->w, surface->h };
    SDL_BlitSurface(surface.get(), nullptr, panel, &dst);
    return block.height_px;
}

} // namespace

ServiceOverlay::ServiceOverlay(Screen& screen, text::FontSet& fonts)
    : m_screen(screen)
    , m_fonts(fonts)
{
}

void ServiceOverlay::toggle(TimeMs now)
{
    m_open = !m_open;
    m_changed = true;
    m_drawn_lines.clear();
    m_texture.reset();
    m_opened_ms = now;
    m_next_refresh_ms = m_open ? std::optional<TimeMs>(now) : std::nullopt;
}

void ServiceOverlay::screen_rebuilt()
{
    m_texture.reset();
    m_drawn_lines.clear();
    if (m_open)
        m_next_refresh_ms = 0; // at the next update, whatever the time
}

std::vector<std::string> ServiceOverlay::lines_of(ServiceFacts const& facts, TimeMs now) const
{
    std::vector<std::string> lines;
    TimeMs const left_ms = m_opened_ms + open_for_ms - std::min(now, m_opened_ms + open_for_ms);
    lines.push_back("Service \u2014 closes in " + std::to_string((left_ms + 999) / 1000)
        + " s (F12 or 5 s press in the top-left corner closes it now)");
    for (auto const& [label, value] : fact_rows(facts))
        lines.push_back(label + "\t" + value);
    for (auto const& line : facts.log_lines)
        lines.push_back("\n" + line);
    return lines;
}

bool ServiceOverlay::update(TimeMs now, std::function<ServiceFacts()> const& gather)
{
    if (m_open && now >= m_opened_ms + open_for_ms) {
        m_open = false;
        m_changed = true;
        m_texture.reset();
        m_drawn_lines.clear();
        m_next_refresh_ms.reset();
    }
    if (m_open && m_next_refresh_ms && now >= *m_next_refresh_ms) {
        m_next_refresh_ms = now + refresh_ms;
        ServiceFacts const facts = gather();
        if (!m_texture || lines_of(facts, now) != m_drawn_lines) {
            render(facts, now);
            m_changed = true;
        }
    }
    return std::exchange(m_changed, false);
}

std::optional<TimeMs> ServiceOverlay::next_deadline_ms() const
{
    if (!m_open)
        return std::nullopt;
    TimeMs const close_ms = m_opened_ms + open_for_ms;
    return m_next_refresh_ms ? std::min(*m_next_refresh_ms, close_ms) : close_ms;
}

void ServiceOverlay::render(ServiceFacts const& facts, TimeMs now)
{
    m_drawn_lines = lines_of(facts, now);
    render::ScreenSize const screen = m_screen.logical();
    int const panel_w = std::max(1, int(std::lround(screen.width_px * 0.94)));
    int const panel_h = std::max(1, int(std::lround(screen.height_px * 0.92)));
    double const unit = std::min(screen.width_px, screen.height_px) / 1080.0;
    // Readable from arm's length on a 1080p panel; never below 10 px on a small window.
    int const size_px = std::max(10, int(std::lround(21 * unit)));
    int const log_size_px = std::max(9, int(std::lround(18 * unit)));
    int const pad = std::max(6, int(std::lround(28 * unit)));
    SurfacePtr panel(SDL_CreateRGBSurfaceWithFormat(0, panel_w, panel_h, 32, SDL_PIXELFORMAT_ARGB8888));
    if (!panel)
        return;
    SDL_FillRect(panel.get(), nullptr, SDL_MapRGBA(panel->format, 10, 14, 22, 246));
    // A thin accent line along the top says "this is not content".
    SDL_Rect const accent { 0, 0, panel_w, std::max(2, int(std::lround(4 * unit))) };
    SDL_FillRect(panel.get(), &accent, SDL_MapRGBA(panel->format, 250, 170, 60, 255));

    int y = pad;
    int const inner_w = panel_w - 2 * pad;
    y += blit_text(
        m_fonts, panel.get(), m_drawn_lines.front(), pad, y, inner_w, size_px, text::Weight::Bold, 1, title_colour);
    y += pad / 2;
    auto const rows = fact_rows(facts);
    int label_w = 0; // the widest label and a gap, so values line up in one column
    for (auto const& row : rows)
        label_w = std::max(label_w, text::measure_text(m_fonts, row.first, "en", size_px, text::Weight::Bold));
    label_w = std::min(label_w + pad, inner_w / 3);
    int const value_x = pad + label_w;
    for (auto const& [label, value] : rows) {
        if (y + size_px * 2 > panel_h)
            break;
        blit_text(m_fonts, panel.get(), label, pad, y, label_w, size_px, text::Weight::Bold, 1, label_colour);
        int const h = blit_text(m_fonts, panel.get(), value, value_x, y, inner_w - label_w, size_px,
            text::Weight::Regular, 2, value_colour);
        y += std::max(h, size_px) + size_px / 4;
    }
    y += pad / 2;
    if (y + log_size_px * 2 < panel_h) {
        y += blit_text(m_fonts, panel.get(), "Last " + std::to_string(facts.log_lines.size()) + " log lines", pad, y,
            inner_w, size_px, text::Weight::Bold, 1, label_colour);
        y += size_px / 4;
    }
    // The newest lines matter most: when space runs short, the oldest are left out.
    int const log_line_h = int(std::lround(log_size_px * 1.2));
    std::size_t const room = std::size_t(std::max(0, (panel_h - pad - y) / std::max(1, log_line_h)));
    std::size_t const first = facts.log_lines.size() > room ? facts.log_lines.size() - room : 0;
    for (std::size_t i = first; i < facts.log_lines.size(); ++i) {
        std::string const& line = facts.log_lines[i];
        y += blit_text(
            m_fonts, panel.get(), line, pad, y, inner_w, log_size_px, text::Weight::Regular, 1, log_line_colour(line));
    }
    m_texture = m_screen.frame().upload_surface(panel.get());
    ++m_renders;
}

} // namespace kiosk::app
