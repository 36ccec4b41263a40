// kiosk-typography: draws the images docs/images/typography-{before,after}.png, the same bilingual
// paragraph set in the same box twice. "Before" is what a signage player built on SDL_ttf alone
// shows: one font and TTF_RenderUTF8_Blended_Wrapped, which breaks lines at spaces and, inside a
// run with none (all Chinese text), after whichever character fills the line, whatever it is.
// "After" is the kiosk's own layout (kiosk/text: ICU line breaking with clreq rules, a Latin and a
// CJK font per character). Not a test: a person looks at the two images.
//
//   build/tests/kiosk-typography [OUTPUT_DIR]     (default: docs/images in the source tree)

#include "kiosk/content/Image.h"
#include "kiosk/text/FontSet.h"
#include "kiosk/text/TextLayout.h"
#include "kiosk/text/TextRaster.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

using namespace kiosk;

namespace {

constexpr int image_w_px = 900;
constexpr int image_h_px = 380;
constexpr int left_px = 40;
constexpr int top_px = 64;
constexpr int size_px = 30;
// At 30 px, a width where breaking after whichever character fills the line (what SDL_ttf does in
// a run without spaces) starts the second Chinese line with "，" and splits "2,400" into "2" and
// ",400". Between 711 and 718 px both happen; most other widths show one of the two or a lone "。".
constexpr int wrap_width_px = 714;

constexpr SDL_Color background { 12, 18, 28, 255 };
constexpr SDL_Color text_colour { 246, 248, 251, 255 };
constexpr SDL_Color label_colour { 130, 144, 162, 255 };
constexpr SDL_Color guide_colour { 60, 74, 96, 255 };

// The Chinese body of demo slide 3 ("People Who Connect Countries") with a sentence holding a
// grouped number, and an English sentence with "2,400" and "120 million".
constexpr char const* chinese = "南京分院各研究所与20多个国家和地区开展科技合作，40余位科学家在国际学术组织任职。"
                                "共培养研究生2,400名，数据下载超过1.2亿次。";
constexpr char const* english
    = "The institutes trained 2,400 graduate students, and their shared data reached 120 million downloads.";

Uint32 map(SDL_Surface const& surface, SDL_Color c)
{
    return SDL_MapRGBA(surface.format, c.r, c.g, c.b, c.a);
}

SurfacePtr make_canvas()
{
    SurfacePtr canvas(SDL_CreateRGBSurfaceWithFormat(0, image_w_px, image_h_px, 32, SDL_PIXELFORMAT_ARGB8888));
    if (!canvas)
        return canvas;
    SDL_FillRect(canvas.get(), nullptr, map(*canvas, background));
    // A thin line where the box ends, so a reader sees how far each line could have gone.
    SDL_Rect const guide { left_px + wrap_width_px, top_px - 8, 1, image_h_px - top_px - 16 };
    SDL_FillRect(canvas.get(), &guide, map(*canvas, guide_colour));
    return canvas;
}

bool blit(SDL_Surface* surface, SDL_Surface& canvas, int x, int y)
{
    if (!surface) {
        std::fprintf(stderr, "kiosk-typography: cannot draw text: %s\n", SDL_GetError());
        return false;
    }
    SDL_Rect dst { x, y, surface->w, surface->h };
    SDL_SetSurfaceBlendMode(surface, SDL_BLENDMODE_BLEND);
    if (SDL_BlitSurface(surface, nullptr, &canvas, &dst) != 0) {
        std::fprintf(stderr, "kiosk-typography: cannot blit: %s\n", SDL_GetError());
        return false;
    }
    return true;
}

// The small grey caption naming the method, top left.
bool label(text::FontSet& fonts, SDL_Surface& canvas, char const* what)
{
    SurfacePtr surface(
        TTF_RenderUTF8_Blended(fonts.font(text::Script::Latin, text::Weight::Regular, 16), what, label_colour));
    return blit(surface.get(), canvas, left_px, 20);
}

bool save(SDL_Surface& canvas, std::filesystem::path const& path)
{
    content::Image image;
    image.width_px = canvas.w;
    image.height_px = canvas.h;
    image.rgba.resize(std::size_t(canvas.w) * std::size_t(canvas.h) * 4);
    if (SDL_ConvertPixels(canvas.w, canvas.h, canvas.format->format, canvas.pixels, canvas.pitch,
            SDL_PIXELFORMAT_RGBA32, image.rgba.data(), canvas.w * 4)
        != 0) {
        std::fprintf(stderr, "kiosk-typography: cannot convert pixels: %s\n", SDL_GetError());
        return false;
    }
    for (std::size_t i = 3; i < image.rgba.size(); i += 4)
        image.rgba[i] = 255;
    auto const png = content::encode_png(image);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<char const*>(png.data()), std::streamsize(png.size()));
    out.close();
    if (!out) {
        std::fprintf(stderr, "kiosk-typography: cannot write %s\n", path.c_str());
        return false;
    }
    std::printf("%s: %zu bytes\n", path.c_str(), png.size());
    return true;
}

// SDL_ttf alone, as a naive player does it: one font that has both scripts (the CJK face also
// carries ASCII; the Latin face would draw every Chinese character as an empty box) and the
// library's own wrapping, both languages in one string.
bool draw_before(text::FontSet& fonts, std::filesystem::path const& path)
{
    SurfacePtr canvas = make_canvas();
    if (!canvas)
        return false;
    FontPtr font(TTF_OpenFont((fonts.directory() / "NotoSansSC-Regular.otf").c_str(), size_px));
    if (!font) {
        std::fprintf(stderr, "kiosk-typography: cannot open the CJK font: %s\n", TTF_GetError());
        return false;
    }
    std::string const both = std::string(chinese) + "\n" + english;
    SurfacePtr text(TTF_RenderUTF8_Blended_Wrapped(font.get(), both.c_str(), text_colour, wrap_width_px));
    return label(fonts, *canvas, "before: TTF_RenderUTF8_Blended_Wrapped") && blit(text.get(), *canvas, left_px, top_px)
        && save(*canvas, path);
}

// The kiosk's layout: each language set in its own locale, the sizes fixed so that only the line
// breaks differ from the "before" image.
bool draw_after(text::FontSet& fonts, std::filesystem::path const& path)
{
    SurfacePtr canvas = make_canvas();
    if (!canvas)
        return false;
    text::BoxStyle style;
    style.width_px = wrap_width_px;
    style.preferred_size_px = size_px;
    style.min_size_px = size_px;
    int y = top_px;
    struct Paragraph {
        char const* utf8;
        char const* lang;
    };
    for (auto const& [utf8, lang] : { Paragraph { chinese, "zh" }, Paragraph { english, "en" } }) {
        text::TextBlock const block = text::layout_text(fonts, utf8, lang, style);
        SurfacePtr surface
            = text::rasterize(fonts, block, style, { text_colour.r, text_colour.g, text_colour.b, text_colour.a });
        if (!blit(surface.get(), *canvas, left_px, y))
            return false;
        y += block.height_px;
    }
    return label(fonts, *canvas, "after: kiosk text layout") && save(*canvas, path);
}

} // namespace

int main(int argc, char** argv)
{
    std::filesystem::path const out_dir = argc > 1 ? argv[1] : KIOSK_SOURCE_DIR "/docs/images";
    auto fonts = text::FontSet::open(KIOSK_SOURCE_DIR "/assets/fonts");
    if (!fonts) {
        std::fprintf(stderr, "kiosk-typography: %s\n", fonts.message().c_str());
        return 1;
    }
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    bool const ok = draw_before(fonts.value(), out_dir / "typography-before.png")
        && draw_after(fonts.value(), out_dir / "typography-after.png");
    return ok ? 0 : 1;
}
