#pragma once

// SlideComposer: turns one slide of a pack into a PreparedSlide — decoded image, scrims and
// rasterised text blocks, each with its place on the screen. CPU only (SDL surfaces, no renderer),
// so the loader thread can prepare the next and previous slides while the main thread shows the
// current one; the main thread only uploads the layers (FrameRenderer::upload).
//
// Geometry is in pixels of the logical screen (after rotation). Sizes scale with
// unit = min(width, height) / 1080, so a 1080p landscape and a 1080×1920 portrait screen get the
// same type sizes.

#include "kiosk/content/Pack.h"
#include "kiosk/text/FontSet.h"
#include "kiosk/text/TextLayout.h"
#include "platform/Sdl.h"

#include <string>
#include <vector>

namespace kiosk::render {

// Which languages a slide shows, most prominent first. Dual mode: {"en", "zh"} or {"zh", "en"};
// toggle/alternate: one language.
using LanguageOrder = std::vector<std::string>;

// A surface and where it goes. src.w == 0: the whole surface.
struct Layer {
    SurfacePtr surface;
    SDL_Rect src { 0, 0, 0, 0 };
    SDL_Rect dst { 0, 0, 0, 0 };
    std::string name; // for tests and debugging: "image", "title.en", ...
};

struct PreparedSlide {
    int index { -1 };
    int width_px { 0 };
    int height_px { 0 };
    SDL_Color background { 12, 18, 28, 255 };
    std::vector<Layer> layers;
    std::vector<std::string> problems; // e.g. an image that failed to decode: shown without it, logged
};

struct ScreenSize {
    int width_px { 1920 };
    int height_px { 1080 };
    bool portrait() const { return height_px > width_px; }
};

// "1920×1080", for messages (content::parse_pixel_size reads it back).
inline std::string to_string(ScreenSize screen)
{
    return std::to_string(screen.width_px) + "×" + std::to_string(screen.height_px);
}

class SlideComposer {
public:
    explicit SlideComposer(text::FontSet& fonts)
        : m_fonts(fonts)
    {
    }

    PreparedSlide compose(content::Pack const& pack, int index, LanguageOrder const& languages, ScreenSize screen);

    // A screen that says what is wrong, for when no pack could be loaded (never a black screen).
    PreparedSlide compose_message(std::string const& title, std::string const& detail, ScreenSize screen);

private:
    text::FontSet& m_fonts;
};

} // namespace kiosk::render
