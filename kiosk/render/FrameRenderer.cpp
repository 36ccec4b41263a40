#include "kiosk/render/FrameRenderer.h"

#include "kiosk/content/Image.h"
#include "kiosk/render/Crossfade.h"
#include "kiosk/render/SlideFlattener.h"
#include "platform/Files.h"
#include "platform/Log.h"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace kiosk::render {

namespace {

constexpr int dot_texture_px = 64;

// A white disc with a soft 1.5 px edge, drawn at 64 px and scaled down with linear filtering.
SurfacePtr make_disc()
{
    SurfacePtr surface(SDL_CreateRGBSurfaceWithFormat(0, dot_texture_px, dot_texture_px, 32, SDL_PIXELFORMAT_ARGB8888));
    if (!surface)
        return surface;
    auto* pixels = static_cast<Uint32*>(surface->pixels);
    double const r = dot_texture_px / 2.0;
    for (int y = 0; y < dot_texture_px; ++y) {
        for (int x = 0; x < dot_texture_px; ++x) {
            double const d = std::hypot(x + 0.5 - r, y + 0.5 - r);
            double const a = std::clamp((r - d) / 1.5, 0.0, 1.0);
            pixels[y * surface->pitch / 4 + x] = SDL_MapRGBA(surface->format, 255, 255, 255, Uint8(a * 255));
        }
    }
    return surface;
}

} // namespace

// Stops at the first pixel that is not opaque, so a text layer
// (transparent around its glyphs) costs a few pixels, a photograph one pass over its alpha bytes.
bool is_opaque(SDL_Surface const& surface)
{
    if (!surface.format->Amask)
        return true;
    if (surface.format->BytesPerPixel != 4 || SDL_MUSTLOCK(&surface))
        return false;
    Uint32 const mask = surface.format->Amask;
    for (int y = 0; y < surface.h; ++y) {
        auto const* row
            = reinterpret_cast<Uint32 const*>(static_cast<Uint8 const*>(surface.pixels) + y * surface.pitch);
        for (int x = 0; x < surface.w; ++x) {
            if ((row[x] & mask) != mask)
                return false;
        }
    }
    return true;
}

FrameRenderer::FrameRenderer(SDL_Renderer* renderer, ScreenSize screen)
    : m_renderer(renderer)
    , m_screen(screen)
{
    SurfacePtr disc = make_disc();
    m_dot = upload_surface(disc.get());
    SDL_RendererInfo info {};
    m_software = SDL_GetRendererInfo(m_renderer, &info) == 0 && std::string_view(info.name) == "software";
}

TexturePtr FrameRenderer::upload_surface(SDL_Surface* surface)
{
    if (!surface)
        return nullptr;
    TexturePtr texture(SDL_CreateTextureFromSurface(m_renderer, surface));
    if (!texture) {
        log::error("render", std::string("cannot create a texture: ") + SDL_GetError());
        return texture;
    }
    SDL_SetTextureBlendMode(texture.get(), SDL_BLENDMODE_BLEND);
    SDL_SetTextureScaleMode(texture.get(), SDL_ScaleModeLinear);
    return texture;
}

TexturePtr FrameRenderer::upload(PreparedSlide const& slide)
{
    if (is_flat(slide, m_screen))
        return upload_flat(*slide.layers.front().surface);
    // No alpha channel: a slide is opaque, and SDL's software blitter fades an opaque surface with
    // a constant alpha on a fast path that per-pixel-alpha textures do not get.
    TexturePtr target(SDL_CreateTexture(
        m_renderer, SDL_PIXELFORMAT_RGB888, SDL_TEXTUREACCESS_TARGET, m_screen.width_px, m_screen.height_px));
    if (!target) {
        log::error("render", std::string("cannot create a slide texture: ") + SDL_GetError());
        return target;
    }
    SDL_Texture* const previous_target = SDL_GetRenderTarget(m_renderer);
    if (SDL_SetRenderTarget(m_renderer, target.get()) != 0) {
        log::error("render", std::string("cannot render to a texture: ") + SDL_GetError());
        return nullptr;
    }
    SDL_SetRenderDrawBlendMode(m_renderer, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(m_renderer, slide.background.r, slide.background.g, slide.background.b, 255);
    SDL_RenderClear(m_renderer);
    for (auto const& layer : slide.layers) {
        TexturePtr texture = upload_surface(layer.surface.get());
        if (!texture)
            continue;
        // An opaque layer (a photograph) is copied, not blended: SDL's software renderer blends
        // per-pixel alpha one pixel at a time, about 60 instructions a pixel (callgrind), where a
        // copy is a memcpy. The result is the same, every alpha being 255.
        if (is_opaque(*layer.surface))
            SDL_SetTextureBlendMode(texture.get(), SDL_BLENDMODE_NONE);
        SDL_Rect const* src = layer.src.w > 0 ? &layer.src : nullptr;
        SDL_RenderCopy(m_renderer, texture.get(), src, &layer.dst);
    }
    SDL_SetRenderTarget(m_renderer, previous_target);
    SDL_SetTextureBlendMode(target.get(), SDL_BLENDMODE_BLEND);
    return target;
}

TexturePtr FrameRenderer::upload_flat(SDL_Surface& flat)
{
    // One copy into a streaming texture: no drawing, no scaling, no blending on the main thread.
    TexturePtr texture(
        SDL_CreateTexture(m_renderer, flat_format, SDL_TEXTUREACCESS_STREAMING, m_screen.width_px, m_screen.height_px));
    if (!texture) {
        log::error("render", std::string("cannot create a slide texture: ") + SDL_GetError());
        return texture;
    }
    if (SDL_UpdateTexture(texture.get(), nullptr, flat.pixels, flat.pitch) != 0) {
        log::error("render", std::string("cannot fill a slide texture: ") + SDL_GetError());
        return nullptr;
    }
    SDL_SetTextureBlendMode(texture.get(), SDL_BLENDMODE_BLEND);
    return texture;
}

// The software renderer's crossfade, done by render::blend_rows into one streaming texture instead
// of SDL's clear + copy + constant-alpha blend (three passes over the frame, one pixel at a time).
// Only SDL's software renderer keeps a streaming texture's pixels in memory it hands out on
// SDL_LockTexture (GPU renderers hand out a write-only staging buffer), so only there can the two
// slides be read back; elsewhere, and for slides that are not flat streaming textures, false.
bool FrameRenderer::blend_in_software(SDL_Texture* current, SDL_Texture* next, double progress)
{
    if (!m_software || !current || !next)
        return false;
    auto streaming_flat = [&](SDL_Texture* texture) {
        Uint32 format = 0;
        int access = 0, w = 0, h = 0;
        return SDL_QueryTexture(texture, &format, &access, &w, &h) == 0 && format == flat_format
            && access == SDL_TEXTUREACCESS_STREAMING && w == m_screen.width_px && h == m_screen.height_px;
    };
    if (!streaming_flat(current) || !streaming_flat(next))
        return false;
    if (!m_fade) {
        // Made once, on the first crossfade: the frame loop allocates nothing after that.
        m_fade.reset(SDL_CreateTexture(
            m_renderer, flat_format, SDL_TEXTUREACCESS_STREAMING, m_screen.width_px, m_screen.height_px));
        if (!m_fade)
            return false;
        SDL_SetTextureBlendMode(m_fade.get(), SDL_BLENDMODE_NONE);
    }
    void* a = nullptr;
    void* b = nullptr;
    void* out = nullptr;
    int a_pitch = 0, b_pitch = 0, out_pitch = 0;
    bool locked_a = SDL_LockTexture(current, nullptr, &a, &a_pitch) == 0;
    bool locked_b = locked_a && SDL_LockTexture(next, nullptr, &b, &b_pitch) == 0;
    bool locked_out = locked_b && SDL_LockTexture(m_fade.get(), nullptr, &out, &out_pitch) == 0;
    if (locked_out) {
        blend_rows(static_cast<std::uint8_t const*>(a), a_pitch, static_cast<std::uint8_t const*>(b), b_pitch,
            static_cast<std::uint8_t*>(out), out_pitch, m_screen.width_px * 4, m_screen.height_px,
            Uint8(std::lround(std::clamp(progress, 0.0, 1.0) * 255)));
        SDL_UnlockTexture(m_fade.get());
    }
    if (locked_b)
        SDL_UnlockTexture(next);
    if (locked_a)
        SDL_UnlockTexture(current);
    return locked_out && SDL_RenderCopy(m_renderer, m_fade.get(), nullptr, nullptr) == 0;
}

void FrameRenderer::draw(show::ViewState const& view, SDL_Texture* current, SDL_Texture* next, Overlay const& overlay)
{
    if (view.motion == show::Motion::Fade && blend_in_software(current, next, view.progress)) {
        draw_overlay(view, overlay);
        return;
    }
    SDL_SetRenderDrawColor(m_renderer, 8, 12, 20, 255);
    SDL_RenderClear(m_renderer);
    SDL_Rect full { 0, 0, m_screen.width_px, m_screen.height_px };
    // Slide textures are opaque: a plain copy is enough (and several times cheaper in the software
    // renderer) except for the one fading in over another.
    if (current)
        SDL_SetTextureBlendMode(current, SDL_BLENDMODE_NONE);
    if (next)
        SDL_SetTextureBlendMode(next, view.motion == show::Motion::Fade ? SDL_BLENDMODE_BLEND : SDL_BLENDMODE_NONE);
    if (view.motion == show::Motion::Slide) {
        int const dx = int(std::lround(view.offset * m_screen.width_px));
        SDL_Rect a = full;
        a.x = dx;
        SDL_Rect b = full;
        // The neighbour enters from the side the current slide leaves.
        b.x = dx + (view.offset <= 0 ? m_screen.width_px : -m_screen.width_px);
        if (current) {
            SDL_SetTextureAlphaMod(current, 255);
            SDL_RenderCopy(m_renderer, current, nullptr, &a);
        }
        // The neighbour may still be loading (or there is none): the current slide follows the
        // finger regardless.
        if (next) {
            SDL_SetTextureAlphaMod(next, 255);
            SDL_RenderCopy(m_renderer, next, nullptr, &b);
        }
    } else {
        if (current) {
            SDL_SetTextureAlphaMod(current, 255);
            SDL_RenderCopy(m_renderer, current, nullptr, &full);
        }
        if (view.motion == show::Motion::Fade && next) {
            SDL_SetTextureAlphaMod(next, Uint8(std::lround(std::clamp(view.progress, 0.0, 1.0) * 255)));
            SDL_RenderCopy(m_renderer, next, nullptr, &full);
            SDL_SetTextureAlphaMod(next, 255);
        }
    }
    draw_overlay(view, overlay);
}

SDL_Rect FrameRenderer::dot_rect(int index, int slide_count) const
{
    double const unit = std::min(m_screen.width_px, m_screen.height_px) / 1080.0;
    // 44 px touch cells at 1080p: about 10 mm on a 43-inch panel.
    int const cell = std::max(24, int(std::lround(44 * unit)));
    int const total = cell * slide_count;
    int const x0 = (m_screen.width_px - total) / 2;
    int const y = m_screen.height_px - int(std::lround(36 * unit)) - cell / 2;
    return { x0 + index * cell, y, cell, cell };
}

int FrameRenderer::dot_at(int x_px, int y_px, int slide_count) const
{
    for (int i = 0; i < slide_count; ++i) {
        SDL_Rect const r = dot_rect(i, slide_count);
        SDL_Point const p { x_px, y_px };
        if (SDL_PointInRect(&p, &r))
            return i;
    }
    return -1;
}

void FrameRenderer::draw_overlay(show::ViewState const& view, Overlay const& overlay)
{
    double const unit = std::min(m_screen.width_px, m_screen.height_px) / 1080.0;
    if (overlay.show_dots && overlay.slide_count > 1 && m_dot) {
        // The active dot follows the motion so the dots move with the slides.
        int const active = (view.motion == show::Motion::Fade && view.progress > 0.5)
                || (view.motion == show::Motion::Slide && std::abs(view.offset) > 0.5)
            ? view.next
            : view.current;
        for (int i = 0; i < overlay.slide_count; ++i) {
            SDL_Rect const cell = dot_rect(i, overlay.slide_count);
            int const d = int(std::lround((i == active ? 14 : 10) * unit));
            SDL_Rect const dot { cell.x + (cell.w - d) / 2, cell.y + (cell.h - d) / 2, d, d };
            SDL_SetTextureAlphaMod(m_dot.get(), i == active ? 240 : 110);
            SDL_RenderCopy(m_renderer, m_dot.get(), nullptr, &dot);
        }
    }
    if (view.paused) {
        // Two bars in a translucent disc, top right: visible, not dominant.
        int const size = int(std::lround(64 * unit));
        int const margin = int(std::lround(36 * unit));
        SDL_Rect const disc { m_screen.width_px - margin - size, margin, size, size };
        SDL_SetTextureColorMod(m_dot.get(), 0, 0, 0);
        SDL_SetTextureAlphaMod(m_dot.get(), 140);
        SDL_RenderCopy(m_renderer, m_dot.get(), nullptr, &disc);
        SDL_SetTextureColorMod(m_dot.get(), 255, 255, 255);
        SDL_SetRenderDrawBlendMode(m_renderer, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(m_renderer, 255, 255, 255, 230);
        int const bar_w = size / 8;
        int const bar_h = size * 3 / 8;
        SDL_Rect const left { disc.x + size / 2 - bar_w - bar_w / 2 - 1, disc.y + (size - bar_h) / 2, bar_w, bar_h };
        SDL_Rect const right { disc.x + size / 2 + bar_w / 2 + 1, disc.y + (size - bar_h) / 2, bar_w, bar_h };
        SDL_RenderFillRect(m_renderer, &left);
        SDL_RenderFillRect(m_renderer, &right);
    }
    if (overlay.progress) {
        // A thin bar along the top: visible from across the lobby, never covering the text.
        int const h = std::max(4, int(std::lround(10 * unit)));
        SDL_Rect const track { 0, 0, m_screen.width_px, h };
        SDL_Rect const done { 0, 0, int(std::lround(std::clamp(*overlay.progress, 0.0, 1.0) * m_screen.width_px)), h };
        SDL_SetRenderDrawBlendMode(m_renderer, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(m_renderer, 255, 255, 255, 60);
        SDL_RenderFillRect(m_renderer, &track);
        SDL_SetRenderDrawColor(m_renderer, 92, 170, 230, 255);
        SDL_RenderFillRect(m_renderer, &done);
    }
    if (overlay.toast && overlay.toast_opacity > 0.0) {
        int w = 0, h = 0;
        SDL_QueryTexture(overlay.toast, nullptr, nullptr, &w, &h);
        int const pad = int(std::lround(20 * unit));
        SDL_Rect const box { (m_screen.width_px - w) / 2 - pad, int(std::lround(48 * unit)), w + 2 * pad, h + 2 * pad };
        SDL_SetRenderDrawBlendMode(m_renderer, SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(m_renderer, 10, 16, 26, Uint8(220 * overlay.toast_opacity));
        SDL_RenderFillRect(m_renderer, &box);
        SDL_Rect const text { box.x + pad, box.y + pad, w, h };
        SDL_SetTextureAlphaMod(overlay.toast, Uint8(255 * overlay.toast_opacity));
        SDL_RenderCopy(m_renderer, overlay.toast, nullptr, &text);
    }
}

Status save_screenshot(SDL_Renderer* renderer, int width_px, int height_px, std::filesystem::path const& path)
{
    content::Image image;
    image.width_px = width_px;
    image.height_px = height_px;
    image.rgba.resize(std::size_t(width_px) * std::size_t(height_px) * 4);
    if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGBA32, image.rgba.data(), width_px * 4) != 0)
        return make_error(std::string("cannot read the rendered pixels: ") + SDL_GetError());
    // Screens are opaque: drop any alpha the renderer left so viewers don't show a checkerboard.
    for (std::size_t i = 3; i < image.rgba.size(); i += 4)
        image.rgba[i] = 255;
    auto const png = content::encode_png(image);
    if (png.empty())
        return make_error(path.string() + ": PNG encoding failed");
    if (path.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
    }
    return files::write_file_atomic(path, png);
}

} // namespace kiosk::render
