#include "kiosk/text/TextRaster.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace kiosk::text {

namespace {

std::uint32_t read_pixel(std::uint8_t const* row, int x)
{
    std::uint32_t pixel;
    std::memcpy(&pixel, row + static_cast<size_t>(x) * 4, 4);
    return pixel;
}

void write_pixel(std::uint8_t* row, int x, std::uint32_t pixel)
{
    std::memcpy(row + static_cast<size_t>(x) * 4, &pixel, 4);
}

// Composites a run (ARGB8888, the text colour everywhere, coverage in alpha) onto the block with
// the "over" operator on alpha alone. SDL_BlitSurface's blend computes dstRGB = srcRGB·srcA +
// dstRGB·(1 − srcA), which over a transparent (0, 0, 0, 0) destination leaves premultiplied colour
// in a straight-alpha surface: the anti-aliased edges would come out dark. Every pixel of a block has
// the text's colour, so only the alpha needs combining, and overlapping runs (an overhanging glyph,
// a descender reaching into the next line's box) combine correctly too.
void composite(SDL_Surface const& run, SDL_Surface& block, int left, int top, std::uint8_t opacity, std::uint32_t rgb)
{
    int x0 = std::max(0, left);
    int y0 = std::max(0, top);
    int x1 = std::min(block.w, left + run.w);
    int y1 = std::min(block.h, top + run.h);
    for (int y = y0; y < y1; ++y) {
        auto const* source = static_cast<std::uint8_t const*>(run.pixels) + static_cast<size_t>(y - top) * run.pitch;
        auto* target = static_cast<std::uint8_t*>(block.pixels) + static_cast<size_t>(y) * block.pitch;
        for (int x = x0; x < x1; ++x) {
            std::uint32_t coverage = read_pixel(source, x - left) >> 24;
            std::uint32_t alpha = coverage * opacity / 255;
            if (alpha == 0)
                continue;
            std::uint32_t below = read_pixel(target, x) >> 24;
            std::uint32_t combined = alpha + below * (255 - alpha) / 255;
            write_pixel(target, x, (combined << 24) | rgb);
        }
    }
}

int line_left(Line const& line, int box_width_px, Align align)
{
    int slack = box_width_px - line.width_px;
    switch (align) {
    case Align::Start:
        return 0;
    case Align::Center:
        return std::max(0, slack / 2);
    case Align::End:
        return std::max(0, slack);
    }
    return 0;
}

} // namespace

SurfacePtr rasterize(FontSet& fonts, TextBlock const& block, BoxStyle const& box, Rgba colour)
{
    int width = std::max(1, box.width_px > 0 ? box.width_px : block.width_px);
    int height = std::max(1, block.height_px);
    SurfacePtr surface(SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888));
    if (!surface) {
        std::fprintf(stderr, "text: cannot allocate a %dx%d text surface: %s\n", width, height, SDL_GetError());
        return nullptr;
    }
    // Transparent pixels carry the text colour too, so that a renderer filtering the texture
    // (scaling, sub-pixel motion in a transition) blends edges towards the text colour, not black.
    std::uint32_t rgb = (std::uint32_t { colour.r } << 16) | (std::uint32_t { colour.g } << 8) | colour.b;
    if (SDL_FillRect(surface.get(), nullptr, rgb) != 0)
        std::fprintf(stderr, "text: cannot clear a text surface: %s\n", SDL_GetError());
    SDL_SetSurfaceBlendMode(surface.get(), SDL_BLENDMODE_BLEND);

    SDL_Color const opaque { colour.r, colour.g, colour.b, 255 };
    for (auto const& line : block.lines) {
        int left = line_left(line, width, box.align);
        for (auto const& run : line.runs) {
            bool blank = std::all_of(run.utf8.begin(), run.utf8.end(), [](char c) { return c == ' '; });
            if (blank)
                continue; // nothing to draw, and SDL_ttf refuses zero-width text
            TTF_Font* font = fonts.font(run.script, block.weight, block.size_px);
            // Rendered opaque: the colour's alpha is applied once, in composite().
            SurfacePtr glyphs(TTF_RenderUTF8_Blended(font, run.utf8.c_str(), opaque));
            if (glyphs && glyphs->format->format != SDL_PIXELFORMAT_ARGB8888)
                glyphs.reset(SDL_ConvertSurfaceFormat(glyphs.get(), SDL_PIXELFORMAT_ARGB8888, 0));
            if (!glyphs) {
                std::fprintf(stderr, "text: cannot render \"%s\": %s\n", run.utf8.c_str(), TTF_GetError());
                continue;
            }
            // The rendered surface is TTF_FontHeight tall with the baseline TTF_FontAscent below its
            // top, whatever the font: placing that on the line's baseline aligns Latin and CJK runs.
            int top = line.baseline_px - TTF_FontAscent(font);
            if (SDL_LockSurface(glyphs.get()) != 0)
                continue;
            if (SDL_LockSurface(surface.get()) == 0) {
                composite(*glyphs, *surface, left + run.x_px, top, colour.a, rgb);
                SDL_UnlockSurface(surface.get());
            }
            SDL_UnlockSurface(glyphs.get());
        }
    }
    return surface;
}

} // namespace kiosk::text
