#pragma once

// FrameRenderer: the SDL_Renderer side. Uploads PreparedSlides into full-screen textures (each
// slide is drawn once into its own texture, never per frame) and composes frames from them: a
// still slide, a crossfade, a horizontal slide while dragging, plus the overlay (progress dots,
// pause indicator, a status toast). Main thread only (SDL requires it).

#include "kiosk/render/SlideComposer.h"
#include "kiosk/show/Navigator.h"
#include "platform/Result.h"
#include "platform/Sdl.h"

#include <filesystem>
#include <optional>
#include <string>

namespace kiosk::render {

struct Overlay {
    int slide_count { 0 };
    bool show_dots { true };
    SDL_Texture* toast { nullptr }; // a pre-rendered status line (e.g. "Updated to ... v2"), drawn top centre
    double toast_opacity { 0.0 };
    std::optional<double> progress; // 0..1 while an update is copied: a bar along the top edge
};

class FrameRenderer {
public:
    FrameRenderer(SDL_Renderer* renderer, ScreenSize screen);

    ScreenSize screen() const { return m_screen; }
    SDL_Renderer* renderer() const { return m_renderer; }

    // Draws a prepared slide into a new screen-sized texture. Null (and logged) if SDL fails. A flat
    // slide (SlideFlattener) is copied into a streaming texture, the cheap way, and crossfades from
    // and to such textures are blended by render::blend_rows when the renderer is SDL's software one.
    TexturePtr upload(PreparedSlide const& slide);
    TexturePtr upload_surface(SDL_Surface* surface);

    // Draws one frame into the current render target. `next` may be null when view.next < 0.
    void draw(show::ViewState const& view, SDL_Texture* current, SDL_Texture* next, Overlay const& overlay);

    // Where a tap on the progress dots lands: the slide index, or -1. Coordinates in screen pixels.
    int dot_at(int x_px, int y_px, int slide_count) const;

private:
    void draw_overlay(show::ViewState const& view, Overlay const& overlay);
    TexturePtr upload_flat(SDL_Surface& flat);
    bool blend_in_software(SDL_Texture* current, SDL_Texture* next, double progress);
    SDL_Rect dot_rect(int index, int slide_count) const;

    SDL_Renderer* m_renderer;
    ScreenSize m_screen;
    TexturePtr m_dot; // an anti-aliased white disc, tinted per use
    bool m_software { false }; // SDL's software renderer: crossfades blended by render::blend_rows
    TexturePtr m_fade; // the software crossfade's frame, made on the first crossfade
};

// Whether every pixel of a surface is opaque (no alpha channel, or alpha 255 everywhere): such a
// layer is copied, not blended.
bool is_opaque(SDL_Surface const& surface);

// Reads the renderer's current target and writes it as a PNG.
Status save_screenshot(SDL_Renderer* renderer, int width_px, int height_px, std::filesystem::path const& path);

} // namespace kiosk::render
