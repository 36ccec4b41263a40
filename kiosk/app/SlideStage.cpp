#include "kiosk/app/SlideStage.h"

#include "platform/Log.h"

#include <array>

namespace kiosk::app {

SlideStage::SlideStage(Screen& screen, text::FontSet& main_fonts, text::FontSet loader_fonts, bool virtual_time)
    : m_screen(screen)
    , m_main_fonts(main_fonts)
    , m_virtual_time(virtual_time)
    , m_loader(std::move(loader_fonts), screen.logical())
    , m_textures(std::make_unique<render::SlideTextureCache>(
          [&screen](render::PreparedSlide const& slide) { return screen.frame().upload(slide); }, screen.logical(),
          texture_budget_slides * render::SlideTextureCache::bytes_per_slide(screen.logical())))
{
}

void SlideStage::prepare(SlideSource const& source, show::ViewState const& view)
{
    int const n = source.pack ? int(source.pack->slides.size()) : 0;
    if (n == 0)
        return;
    std::array<render::SlideKey, 4> wanted { source.key(view.current),
        source.key(view.next >= 0 ? view.next : (view.current + 1) % n), source.key((view.current + 1) % n),
        source.key((view.current + n - 1) % n) };
    for (auto const& key : wanted) {
        if (!m_textures->contains(key))
            m_loader.request(source.pack, key);
    }
    if (m_textures->pull(m_loader, wanted, max_uploads_per_turn) > 0) {
        // Memory stays within the budget between frames too (a still slide draws none).
        m_textures->pin(std::span(wanted).first(2));
        m_textures->evict();
    }
}

bool SlideStage::wait_and_pull(render::SlideKey const& key, int timeout_ms)
{
    if (!m_loader.wait_for(key, timeout_ms))
        return false;
    std::array<render::SlideKey, 1> const one { key };
    m_textures->pull(m_loader, one, 1);
    return m_textures->contains(key);
}

bool SlideStage::incoming_ready(SlideSource const& source, show::ViewState const& view)
{
    if (view.next < 0 || m_textures->contains(source.key(view.next)))
        return true;
    return m_virtual_time && wait_and_pull(source.key(view.next), first_frame_wait_ms);
}

SDL_Texture* SlideStage::current_texture(SlideSource const& source, int index, bool in_transition)
{
    render::SlideKey const key = source.key(index);
    if (SDL_Texture* texture = m_textures->find(key))
        return texture;
    if (!source.pack) {
        render::SlideComposer composer(m_main_fonts);
        return m_textures->put(key, composer.compose_message("No content to show", source.problem, m_screen.logical()));
    }
    m_loader.request(source.pack, key);
    if (wait_and_pull(key, first_frame_wait_ms))
        return m_textures->find(key);
    if (in_transition)
        return nullptr;
    log::warn("render", "slide " + std::to_string(index + 1) + " was not prepared in time; composing it here");
    render::SlideComposer composer(m_main_fonts);
    return m_textures->put(key, composer.compose(*source.pack, index, key.languages, m_screen.logical()));
}

bool SlideStage::draw(SlideSource const& source, show::ViewState const& view, bool in_transition,
    render::Overlay const& overlay, std::optional<LanguageButton> const& button)
{
    int const current_index = source.pack ? view.current : 0;
    SDL_Texture* current = current_texture(source, current_index, in_transition);
    if (!current)
        return false;
    SDL_Texture* next = view.next >= 0 ? m_textures->find(source.key(view.next)) : nullptr;
    std::array<render::SlideKey, 2> const pinned { source.key(current_index),
        source.key(view.next >= 0 ? view.next : current_index) };
    // Eviction happens after both textures of this frame were fetched and before drawing, never in
    // between, so a texture the frame draws is never freed under it.
    m_textures->pin(pinned);
    m_textures->evict();
    m_screen.draw(view, current, next, overlay, button);
    return true;
}

void SlideStage::resize(render::ScreenSize logical)
{
    m_loader.resize(logical);
    m_textures->resize(logical, texture_budget_slides * render::SlideTextureCache::bytes_per_slide(logical));
}

void SlideStage::forget_before(std::uint64_t generation)
{
    m_loader.forget_before(generation);
    m_textures->forget_before(generation);
}

} // namespace kiosk::app
