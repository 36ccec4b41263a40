#include "kiosk/render/StillRenderer.h"

#include "kiosk/show/Navigator.h"

namespace kiosk::render {

namespace fs = std::filesystem;

Result<StillRenderer> StillRenderer::create(text::FontSet& fonts, ScreenSize screen)
{
    StillRenderer still(fonts, screen);
    still.m_surface.reset(
        SDL_CreateRGBSurfaceWithFormat(0, screen.width_px, screen.height_px, 32, SDL_PIXELFORMAT_ARGB8888));
    if (!still.m_surface)
        return make_error(std::string("cannot allocate the offscreen surface: ") + SDL_GetError());
    still.m_renderer.reset(SDL_CreateSoftwareRenderer(still.m_surface.get()));
    if (!still.m_renderer)
        return make_error(std::string("cannot create the software renderer: ") + SDL_GetError());
    still.m_frame = std::make_unique<FrameRenderer>(still.m_renderer.get(), screen);
    return still;
}

Result<PreparedSlide> StillRenderer::draw(content::Pack const& pack, int index, LanguageOrder const& languages)
{
    // The same steps as the kiosk's loop for a still frame: compose on the CPU, upload into a slide
    // texture, draw the frame with the overlay of progress dots.
    SlideComposer composer(*m_fonts);
    PreparedSlide prepared = composer.compose(pack, index, languages, m_screen);
    TexturePtr texture = m_frame->upload(prepared);
    if (!texture)
        return make_error(std::string("cannot draw slide ") + std::to_string(index + 1) + ": " + SDL_GetError());
    show::ViewState view;
    view.current = index;
    Overlay overlay;
    overlay.slide_count = int(pack.slides.size());
    m_frame->draw(view, texture.get(), nullptr, overlay);
    SDL_RenderPresent(m_renderer.get());
    return prepared;
}

Status StillRenderer::save_png(fs::path const& path) const
{
    return save_screenshot(m_renderer.get(), m_screen.width_px, m_screen.height_px, path);
}

content::Image StillRenderer::pixels() const
{
    content::Image image;
    image.width_px = m_screen.width_px;
    image.height_px = m_screen.height_px;
    image.rgba.resize(std::size_t(image.width_px) * std::size_t(image.height_px) * 4);
    SDL_ConvertPixels(image.width_px, image.height_px, m_surface->format->format, m_surface->pixels, m_surface->pitch,
        SDL_PIXELFORMAT_RGBA32, image.rgba.data(), image.width_px * 4);
    // A screen is opaque, as in save_screenshot.
    for (std::size_t i = 3; i < image.rgba.size(); i += 4)
        image.rgba[i] = 255;
    return image;
}

Status StillRenderer::draw_message(std::string const& title, std::string const& detail)
{
    SlideComposer composer(*m_fonts);
    TexturePtr texture = m_frame->upload(composer.compose_message(title, detail, m_screen));
    if (!texture)
        return make_error(std::string("cannot draw the message screen: ") + SDL_GetError());
    m_frame->draw({}, texture.get(), nullptr, {});
    SDL_RenderPresent(m_renderer.get());
    return {};
}

} // namespace kiosk::render
