#include "kiosk/app/Screen.h"

#include "kiosk/text/TextLayout.h"
#include "kiosk/text/TextRaster.h"

#include <algorithm>
#include <cmath>

namespace kiosk::app {

namespace {

// The label a language button shows for a language code.
char const* language_label_text(std::string const& lang)
{
    if (lang == "zh")
        return "中文";
    if (lang == "en")
        return "EN";
    return nullptr;
}

} // namespace

Screen::Screen(Window& window, text::FontSet& fonts, input::Rotation rotation)
    : m_window(window)
    , m_fonts(fonts)
    , m_rotation(rotation)
{
}

Status Screen::rebuild()
{
    m_physical = m_window.output_size();
    m_logical
        = input::swaps_axes(m_rotation) ? render::ScreenSize { m_physical.height_px, m_physical.width_px } : m_physical;
    m_language_labels.clear();
    m_logical_target.reset();
    m_service_panel = nullptr; // its owner makes it again for the new size
    SDL_Renderer* renderer = m_window.renderer();
    if (m_rotation != input::Rotation::R0) {
        m_logical_target.reset(SDL_CreateTexture(
            renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, m_logical.width_px, m_logical.height_px));
        if (!m_logical_target)
            return make_error(std::string("cannot create the rotation target: ") + SDL_GetError());
    }
    m_frame = std::make_unique<render::FrameRenderer>(renderer, m_logical);
    return {};
}

SDL_Rect Screen::language_button_rect() const
{
    double const unit = std::min(m_logical.width_px, m_logical.height_px) / 1080.0;
    // 72 px at 1080p: 36 mm tall on a 43-inch panel, far above the 9 mm a fingertip needs.
    int const h = int(std::lround(72 * unit));
    int const w = int(std::lround(200 * unit));
    int const margin = int(std::lround(28 * unit));
    return { m_logical.width_px - margin - w, m_logical.height_px - margin - h, w, h };
}

OnScreenControls Screen::controls(int slide_count, bool language_button) const
{
    OnScreenControls controls;
    controls.width_px = m_logical.width_px;
    controls.height_px = m_logical.height_px;
    if (language_button)
        controls.language_button = language_button_rect();
    render::FrameRenderer const* frame = m_frame.get();
    controls.dot_at = [frame, slide_count](int x, int y) { return frame->dot_at(x, y, slide_count); };
    return controls;
}

TexturePtr Screen::text_texture(std::string const& text, double size_at_1080p, int max_lines, double width_fraction)
{
    double const unit = std::min(m_logical.width_px, m_logical.height_px) / 1080.0;
    text::BoxStyle style;
    style.width_px = int(m_logical.width_px * width_fraction);
    style.preferred_size_px = int(std::lround(size_at_1080p * unit));
    style.min_size_px = int(std::lround(18 * unit));
    style.max_lines = max_lines;
    style.weight = text::Weight::Bold;
    style.align = text::Align::Center;
    text::TextBlock const block = text::layout_text(m_fonts, text, "en", style);
    style.width_px = std::max(1, block.width_px);
    SurfacePtr surface = text::rasterize(m_fonts, block, style, {});
    return m_frame->upload_surface(surface.get());
}

SDL_Texture* Screen::language_label(std::string const& lang)
{
    if (auto it = m_language_labels.find(lang); it != m_language_labels.end())
        return it->second.get();
    char const* label = language_label_text(lang);
    std::string const text = label ? label : lang;
    text::BoxStyle style;
    double const unit = std::min(m_logical.width_px, m_logical.height_px) / 1080.0;
    style.preferred_size_px = style.min_size_px = int(std::lround(28 * unit));
    style.weight = text::Weight::Bold;
    style.max_lines = 1;
    text::TextBlock const block = text::layout_text(m_fonts, text, lang, style);
    SurfacePtr surface = text::rasterize(m_fonts, block, style, {});
    TexturePtr texture = m_frame->upload_surface(surface.get());
    SDL_Texture* raw = texture.get();
    m_language_labels[lang] = std::move(texture);
    return raw;
}

void Screen::draw_language_button(LanguageButton const& button)
{
    SDL_Renderer* renderer = m_window.renderer();
    SDL_Rect const box = language_button_rect();
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(renderer, 10, 16, 26, 170);
    SDL_RenderFillRect(renderer, &box);
    int const slots = int(button.languages.size());
    for (int i = 0; i < slots; ++i) {
        std::string const& lang = button.languages[std::size_t(i)];
        SDL_Texture* label = language_label(lang);
        if (!label)
            continue;
        int w = 0, h = 0;
        SDL_QueryTexture(label, nullptr, nullptr, &w, &h);
        int const slot_w = box.w / slots;
        SDL_Rect const dst { box.x + i * slot_w + (slot_w - w) / 2, box.y + (box.h - h) / 2, w, h };
        // The language on screen is bright; the one a tap switches to is dimmer.
        SDL_SetTextureAlphaMod(label, lang == button.current ? 255 : 120);
        SDL_RenderCopy(renderer, label, nullptr, &dst);
    }
}

void Screen::draw(show::ViewState const& view, SDL_Texture* current, SDL_Texture* next, render::Overlay const& overlay,
    std::optional<LanguageButton> const& button)
{
    SDL_Renderer* renderer = m_window.renderer();
    if (m_logical_target)
        SDL_SetRenderTarget(renderer, m_logical_target.get());
    m_frame->draw(view, current, next, overlay);
    if (button)
        draw_language_button(*button);
    if (m_service_panel) {
        int w = 0, h = 0;
        SDL_QueryTexture(m_service_panel, nullptr, nullptr, &w, &h);
        SDL_Rect const dst { (m_logical.width_px - w) / 2, (m_logical.height_px - h) / 2, w, h };
        SDL_RenderCopy(renderer, m_service_panel, nullptr, &dst);
    }
    if (m_logical_target) {
        SDL_SetRenderTarget(renderer, nullptr);
        SDL_SetRenderDrawColor(renderer, 0, 0, 0, 255);
        SDL_RenderClear(renderer);
        // Turn the upright frame onto the panel: centred, rotated about its centre.
        SDL_Rect const dst { (m_physical.width_px - m_logical.width_px) / 2,
            (m_physical.height_px - m_logical.height_px) / 2, m_logical.width_px, m_logical.height_px };
        SDL_RenderCopyEx(renderer, m_logical_target.get(), nullptr, &dst, input::degrees_clockwise(m_rotation), nullptr,
            SDL_FLIP_NONE);
    }
    m_window.present();
}

} // namespace kiosk::app
