#include "kiosk/render/SlideFlattener.h"

#include <string>

namespace kiosk::render {

bool is_flat(PreparedSlide const& slide, ScreenSize screen)
{
    if (slide.layers.size() != 1)
        return false;
    Layer const& layer = slide.layers.front();
    return layer.surface && layer.surface->format->format == flat_format && layer.surface->w == screen.width_px
        && layer.surface->h == screen.height_px && layer.src.w == 0 && layer.dst.x == 0 && layer.dst.y == 0
        && layer.dst.w == screen.width_px && layer.dst.h == screen.height_px;
}

Result<SlideFlattener> SlideFlattener::create(ScreenSize screen)
{
    SlideFlattener flattener(screen);
    flattener.m_surface.reset(SDL_CreateRGBSurfaceWithFormat(0, screen.width_px, screen.height_px, 32, flat_format));
    if (!flattener.m_surface)
        return make_error(std::string("cannot allocate a surface to flatten slides into: ") + SDL_GetError());
    flattener.m_renderer.reset(SDL_CreateSoftwareRenderer(flattener.m_surface.get()));
    if (!flattener.m_renderer)
        return make_error(std::string("cannot create a software renderer to flatten slides: ") + SDL_GetError());
    flattener.m_frame = std::make_unique<FrameRenderer>(flattener.m_renderer.get(), screen);
    return flattener;
}

Result<PreparedSlide> SlideFlattener::flatten(PreparedSlide slide)
{
    if (is_flat(slide, m_screen))
        return slide;
    // The display's own upload, drawn into a texture of this renderer, then copied onto its surface.
    TexturePtr drawn = m_frame->upload(slide);
    if (!drawn)
        return make_error(
            std::string("cannot flatten slide ") + std::to_string(slide.index + 1) + ": " + SDL_GetError());
    SDL_SetTextureBlendMode(drawn.get(), SDL_BLENDMODE_NONE);
    if (SDL_RenderCopy(m_renderer.get(), drawn.get(), nullptr, nullptr) != 0)
        return make_error(
            std::string("cannot flatten slide ") + std::to_string(slide.index + 1) + ": " + SDL_GetError());
    SurfacePtr flat(SDL_CreateRGBSurfaceWithFormat(0, m_screen.width_px, m_screen.height_px, 32, flat_format));
    if (!flat || SDL_RenderReadPixels(m_renderer.get(), nullptr, flat_format, flat->pixels, flat->pitch) != 0)
        return make_error(
            std::string("cannot flatten slide ") + std::to_string(slide.index + 1) + ": " + SDL_GetError());
    slide.layers.clear();
    slide.layers.push_back(
        { std::move(flat), { 0, 0, 0, 0 }, { 0, 0, m_screen.width_px, m_screen.height_px }, "flat" });
    return slide;
}

} // namespace kiosk::render
