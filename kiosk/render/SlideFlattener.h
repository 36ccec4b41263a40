#pragma once

// SlideFlattener: draws a composed slide's layers (image, scrims, text blocks) into one opaque
// screen-sized surface, on the thread that composed it: unscaled layers (the photograph, the text
// blocks) by a vectorised copy or "over" blend, the same arithmetic as SDL_BLENDMODE_BLEND; scaled
// ones (gradients stretched over a region) by SDL's software renderer, as FrameRenderer::upload
// draws them. The loader thread flattens each slide it
// composes, so the main thread's upload is one copy of one surface into one texture (a few
// milliseconds) instead of drawing every layer with scaling and blending (tens of milliseconds, the
// stall of a slide change: docs/performance.md). The flat surface is also what the software
// renderer's own crossfade reads (render/Crossfade.h).
//
// Owns a work surface and the software renderer drawing into it, reused for every slide: create one
// per thread. SDL's software renderer on a surface touches no window or GL context, so unlike the
// display's renderer it may run off the main thread. Errors: create() and flatten() fail with SDL's
// message when a surface cannot be allocated; the slide is then shown as composed (unflattened).

#include "kiosk/render/FrameRenderer.h"
#include "kiosk/render/SlideComposer.h"
#include "platform/Result.h"
#include "platform/Sdl.h"

#include <memory>

namespace kiosk::render {

// The pixel format of flattened slides: 32-bit, no alpha (opaque), as the slide textures.
inline constexpr Uint32 flat_format = SDL_PIXELFORMAT_RGB888;

// Whether a slide is one full-screen opaque layer already (as flatten() returns it).
bool is_flat(PreparedSlide const& slide, ScreenSize screen);

class SlideFlattener {
public:
    static Result<SlideFlattener> create(ScreenSize screen);

    SlideFlattener(SlideFlattener&&) noexcept = default;
    SlideFlattener& operator=(SlideFlattener&&) = delete; // the renderer points into m_surface
    ~SlideFlattener() = default;

    ScreenSize screen() const { return m_screen; }

    // Replaces the slide's layers by one full-screen layer named "flat" (a new surface in
    // flat_format); index, size, background and problems are kept. On failure the slide is left
    // as it was, still fit to be uploaded layer by layer.
    Status flatten(PreparedSlide& slide);

private:
    explicit SlideFlattener(ScreenSize screen)
        : m_screen(screen)
    {
    }

    // Draws an unscaled ARGB8888 layer onto the target: copied when opaque, else blended.
    static void composite(SDL_Surface const& surface, SDL_Rect src, SDL_Rect dst, SDL_Surface& target);

    ScreenSize m_screen;
    // Destroyed in reverse order: the frame renderer's textures, the renderer, its surface.
    SurfacePtr m_surface;
    RendererPtr m_renderer;
    std::unique_ptr<FrameRenderer> m_frame;
};

} // namespace kiosk::render
