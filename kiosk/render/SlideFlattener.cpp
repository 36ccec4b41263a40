#include "kiosk/render/SlideFlattener.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace kiosk::render {

namespace {

// dst = dst + (src − dst) · a / 255 per colour byte, src in ARGB8888 with straight alpha a (SDL's
// SDL_BLENDMODE_BLEND), dst 32-bit XRGB; `pixels` pixels. Four pixels a step with vector
// instructions: SDL's own blitter for this does one pixel at a time, about 60 instructions each.
void composite_row(std::uint8_t const* src, std::uint8_t* dst, int pixels)
{
    int i = 0;
#if defined(__GNUC__) && !defined(__clang__)
    using Bytes16 = std::uint8_t __attribute__((vector_size(16)));
    using Words16 = std::uint16_t __attribute__((vector_size(32)));
    Bytes16 const alpha_of { 3, 3, 3, 3, 7, 7, 7, 7, 11, 11, 11, 11, 15, 15, 15, 15 };
    for (; i + 4 <= pixels; i += 4) {
        Bytes16 s, d;
        std::memcpy(&s, src + i * 4, 16);
        std::memcpy(&d, dst + i * 4, 16);
        Words16 a = __builtin_convertvector(__builtin_shuffle(s, alpha_of), Words16);
        a += a >> 7; // 0..256
        Words16 const mixed = (__builtin_convertvector(d, Words16) * (std::uint16_t(256) - a)
                                  + __builtin_convertvector(s, Words16) * a + std::uint16_t(128))
            >> 8;
        Bytes16 const out = __builtin_convertvector(mixed, Bytes16);
        std::memcpy(dst + i * 4, &out, 16);
    }
#endif
    for (; i < pixels; ++i) {
        unsigned const a = src[i * 4 + 3] + (src[i * 4 + 3] >> 7);
        for (int c = 0; c < 4; ++c)
            dst[i * 4 + c] = std::uint8_t((dst[i * 4 + c] * (256 - a) + src[i * 4 + c] * a + 128) >> 8);
    }
}

} // namespace

void SlideFlattener::composite(SDL_Surface const& surface, SDL_Rect src, SDL_Rect dst, SDL_Surface& target)
{
    // Clip to the target (a text block may hang over an edge).
    int const x0 = std::max(0, dst.x), y0 = std::max(0, dst.y);
    int const x1 = std::min(target.w, dst.x + dst.w), y1 = std::min(target.h, dst.y + dst.h);
    if (x0 >= x1 || y0 >= y1)
        return;
    bool const opaque = is_opaque(surface);
    for (int y = y0; y < y1; ++y) {
        auto const* from = static_cast<std::uint8_t const*>(surface.pixels)
            + std::ptrdiff_t(src.y + y - dst.y) * surface.pitch + std::ptrdiff_t(src.x + x0 - dst.x) * 4;
        auto* to
            = static_cast<std::uint8_t*>(target.pixels) + std::ptrdiff_t(y) * target.pitch + std::ptrdiff_t(x0) * 4;
        if (opaque)
            std::memcpy(to, from, std::size_t(x1 - x0) * 4); // ARGB8888 and XRGB8888 share a layout
        else
            composite_row(from, to, x1 - x0);
    }
}

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

Status SlideFlattener::flatten(PreparedSlide& slide)
{
    if (is_flat(slide, m_screen))
        return {};
    auto failed = [&] {
        return make_error(
            std::string("cannot flatten slide ") + std::to_string(slide.index + 1) + ": " + SDL_GetError());
    };
    SDL_Surface& target = *m_surface;
    if (SDL_FillRect(
            &target, nullptr, SDL_MapRGB(target.format, slide.background.r, slide.background.g, slide.background.b))
        != 0)
        return failed();
    for (auto const& layer : slide.layers) {
        if (!layer.surface)
            continue;
        SDL_Surface const& surface = *layer.surface;
        SDL_Rect const src = layer.src.w > 0 ? layer.src : SDL_Rect { 0, 0, surface.w, surface.h };
        bool const unscaled = src.w == layer.dst.w && src.h == layer.dst.h;
        if (unscaled && surface.format->format == SDL_PIXELFORMAT_ARGB8888 && !SDL_MUSTLOCK(&surface)) {
            composite(surface, src, layer.dst, target);
            continue;
        }
        // Scaled layers (a gradient stretched over a region, an image cropped to another size) are
        // drawn by SDL, exactly as FrameRenderer::upload draws them, and flushed before the next
        // layer writes the pixels directly.
        TexturePtr texture = m_frame->upload_surface(layer.surface.get());
        if (!texture)
            return failed();
        if (is_opaque(surface))
            SDL_SetTextureBlendMode(texture.get(), SDL_BLENDMODE_NONE);
        if (SDL_RenderCopy(m_renderer.get(), texture.get(), layer.src.w > 0 ? &layer.src : nullptr, &layer.dst) != 0
            || SDL_RenderFlush(m_renderer.get()) != 0)
            return failed();
    }
    SurfacePtr flat(SDL_CreateRGBSurfaceWithFormat(0, m_screen.width_px, m_screen.height_px, 32, flat_format));
    if (!flat)
        return failed();
    std::memcpy(flat->pixels, target.pixels, std::size_t(target.pitch) * std::size_t(target.h));
    slide.layers.clear();
    slide.layers.push_back(
        { std::move(flat), { 0, 0, 0, 0 }, { 0, 0, m_screen.width_px, m_screen.height_px }, "flat" });
    return {};
}

} // namespace kiosk::render
