#pragma once

// StillRenderer: still slides drawn offscreen exactly as the kiosk draws them (SlideComposer, then
// FrameRenderer on SDL's software renderer, progress dots included). `kiosk --screenshot`,
// `kiosk --preview-dir`, `kiosk-pack render` and `kiosk-pack lint` all draw through it, so an editor
// sees the pixels a visitor will see.
//
// Owns one offscreen surface, the software renderer drawing into it and the FrameRenderer's
// textures, reused for every slide. Main thread only, like FrameRenderer. Errors are returned as
// messages; a slide the composer had trouble with (an undecodable image) is still drawn, its
// problems listed in the PreparedSlide it returns.

#include "kiosk/content/Image.h"
#include "kiosk/render/FrameRenderer.h"
#include "kiosk/render/SlideComposer.h"
#include "kiosk/text/FontSet.h"
#include "platform/Result.h"
#include "platform/Sdl.h"

#include <filesystem>
#include <memory>

namespace kiosk::render {

class StillRenderer {
public:
    static Result<StillRenderer> create(text::FontSet& fonts, ScreenSize screen);

    StillRenderer(StillRenderer&&) noexcept = default;
    // Not assignable: replacing the surface before the renderer drawing into it is gone would leave
    // that renderer pointing at freed pixels.
    StillRenderer& operator=(StillRenderer&&) = delete;
    ~StillRenderer() = default;

    ScreenSize screen() const { return m_screen; }

    // Composes slide `index` with `languages` (most prominent first) and draws it as the kiosk's
    // render loop draws a still slide. Returns the composed slide (its problems, its layers' places).
    Result<PreparedSlide> draw(content::Pack const& pack, int index, LanguageOrder const& languages);
    // Draws the screen shown when no pack can be read: what is wrong, in words.
    Status draw_message(std::string const& title, std::string const& detail);

    // The last drawn frame, written with the app's own screenshot code (save_screenshot).
    Status save_png(std::filesystem::path const& path) const;

    // The last drawn frame as opaque RGBA pixels, e.g. for thumbnails.
    content::Image pixels() const;

private:
    StillRenderer(text::FontSet& fonts, ScreenSize screen)
        : m_fonts(&fonts)
        , m_screen(screen)
    {
    }

    text::FontSet* m_fonts;
    ScreenSize m_screen;
    // Destroyed in reverse order: the frame renderer's textures, then the renderer, then its surface.
    SurfacePtr m_surface;
    RendererPtr m_renderer;
    std::unique_ptr<FrameRenderer> m_frame;
};

} // namespace kiosk::render
