// Every demo slide in every language mode the kiosk offers (dual with either language first, toggle
// in either language) on a landscape and a portrait screen: the text fits without "…", keeps clear
// of the screen edges and of the progress dots, no two text blocks cover each other, and the text a
// visitor sees in the drawn frame is where the layout says and readable against what is behind it.
// The frames are written to <build>/layout-modes/ so a person can look at them.

#include "../text/TextTestSupport.h"
#include "kiosk/content/PackReader.h"
#include "kiosk/render/FrameRenderer.h"
#include "kiosk/render/SlideComposer.h"
#include "kiosk/render/StillRenderer.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

using namespace kiosk;
using kiosk::text::test::fonts;
using render::LanguageOrder;
using render::ScreenSize;

namespace {

struct Mode {
    char const* name;
    LanguageOrder languages;
};

// Dual mode shows both languages, the first larger; toggle and alternate modes show one at a time.
std::vector<Mode> const modes {
    { "dual-en-zh", { "en", "zh" } },
    { "dual-zh-en", { "zh", "en" } },
    { "single-en", { "en" } },
    { "single-zh", { "zh" } },
};

std::vector<ScreenSize> const screens { { 1920, 1080 }, { 1080, 1920 } };

// Text must keep this far from every screen edge: closer, a bezel or a frame hides it.
constexpr int edge_margin_px = 24;
// The progress dots' band at the bottom (design pixels at 1080p, scaled like the layout): no text
// may reach into it, or the dots would sit on top of letters.
constexpr double dots_band_design_px = 64;

content::Pack const& demo_pack()
{
    static content::Pack const pack = [] {
        auto read = content::read_pack(KIOSK_BUILD_DIR "/default.kpack");
        if (!read)
            throw std::runtime_error(read.message());
        return std::move(read).value();
    }();
    return pack;
}

bool is_text(render::Layer const& layer)
{
    return layer.name != "image" && layer.name != "scrim" && layer.name != "rule";
}

int dots_band_px(ScreenSize screen)
{
    double const unit = std::min(screen.width_px, screen.height_px) / 1080.0;
    return int(std::lround(dots_band_design_px * unit));
}

std::string size_name(ScreenSize screen)
{
    return std::to_string(screen.width_px) + "x" + std::to_string(screen.height_px);
}

std::string describe(SDL_Rect const& r)
{
    return "(" + std::to_string(r.x) + ", " + std::to_string(r.y) + ") " + std::to_string(r.w) + "×"
        + std::to_string(r.h);
}

// The same frame without its text: the slide's other layers drawn by a FrameRenderer of our own
// onto an offscreen surface, with the same overlay as StillRenderer (the progress dots). Where this
// frame and the real one differ, a visitor sees text.
class TextFreeFrame {
public:
    explicit TextFreeFrame(ScreenSize screen)
        : m_surface(SDL_CreateRGBSurfaceWithFormat(0, screen.width_px, screen.height_px, 32, SDL_PIXELFORMAT_ARGB8888))
    {
        REQUIRE(m_surface);
        m_renderer.reset(SDL_CreateSoftwareRenderer(m_surface.get()));
        REQUIRE(m_renderer);
        m_frame = std::make_unique<render::FrameRenderer>(m_renderer.get(), screen);
    }

    // Draws `slide` without its text layers; returns the frame as RGBA. The other layers' surfaces
    // are lent to a copy of the slide for the upload and handed back before returning.
    content::Image draw(render::PreparedSlide& slide, int slide_count)
    {
        render::PreparedSlide copy;
        copy.index = slide.index;
        copy.width_px = slide.width_px;
        copy.height_px = slide.height_px;
        copy.background = slide.background;
        std::vector<render::Layer*> lent;
        for (auto& layer : slide.layers) {
            if (is_text(layer))
                continue;
            copy.layers.push_back({ std::move(layer.surface), layer.src, layer.dst, layer.name });
            lent.push_back(&layer);
        }
        TexturePtr texture = m_frame->upload(copy);
        for (std::size_t i = 0; i < lent.size(); ++i)
            lent[i]->surface = std::move(copy.layers[i].surface);
        REQUIRE(texture);
        show::ViewState view;
        view.current = slide.index;
        render::Overlay overlay;
        overlay.slide_count = slide_count;
        m_frame->draw(view, texture.get(), nullptr, overlay);
        SDL_RenderPresent(m_renderer.get());

        content::Image image;
        image.width_px = m_surface->w;
        image.height_px = m_surface->h;
        image.rgba.resize(std::size_t(image.width_px) * std::size_t(image.height_px) * 4);
        SDL_ConvertPixels(image.width_px, image.height_px, m_surface->format->format, m_surface->pixels,
            m_surface->pitch, SDL_PIXELFORMAT_RGBA32, image.rgba.data(), image.width_px * 4);
        return image;
    }

private:
    SurfacePtr m_surface;
    RendererPtr m_renderer;
    std::unique_ptr<render::FrameRenderer> m_frame;
};

std::uint8_t const* pixel(content::Image const& image, int x, int y)
{
    return &image.rgba[(std::size_t(y) * std::size_t(image.width_px) + std::size_t(x)) * 4];
}

int difference(content::Image const& a, content::Image const& b, int x, int y)
{
    auto const* p = pixel(a, x, y);
    auto const* q = pixel(b, x, y);
    return std::max({ std::abs(p[0] - q[0]), std::abs(p[1] - q[1]), std::abs(p[2] - q[2]) });
}

// WCAG 2 relative luminance and contrast ratio.
double luminance(std::uint8_t const* p)
{
    auto channel = [](std::uint8_t v) {
        double const c = v / 255.0;
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(p[0]) + 0.7152 * channel(p[1]) + 0.0722 * channel(p[2]);
}

double contrast(std::uint8_t const* a, std::uint8_t const* b)
{
    double const la = luminance(a);
    double const lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// Coverage (alpha) of a text layer's surface at (x, y) of the surface.
int coverage(SDL_Surface const& surface, int x, int y)
{
    Uint32 value = 0;
    std::memcpy(&value,
        static_cast<std::uint8_t const*>(surface.pixels) + std::size_t(y) * std::size_t(surface.pitch)
            + std::size_t(x) * 4,
        4);
    return int(value >> 24);
}

} // namespace

TEST_CASE("in every language mode and orientation the demo text fits, keeps off the edges and the dots, and never "
          "overlaps",
    "[render][text]")
{
    auto const& pack = demo_pack();
    REQUIRE(!pack.slides.empty());
    render::SlideComposer composer(fonts());
    for (auto const& screen : screens) {
        int const w = screen.width_px;
        int const h = screen.height_px;
        int const bottom_limit = h - std::max(edge_margin_px, dots_band_px(screen));
        for (auto const& mode : modes) {
            for (int index = 0; index < int(pack.slides.size()); ++index) {
                INFO("slide " << index + 1 << " (" << pack.slides[std::size_t(index)].name << "), " << mode.name << ", "
                              << size_name(screen));
                auto const slide = composer.compose(pack, index, mode.languages, screen);
                for (auto const& problem : slide.problems)
                    FAIL_CHECK(problem);
                std::vector<render::Layer const*> texts;
                for (auto const& layer : slide.layers) {
                    if (is_text(layer))
                        texts.push_back(&layer);
                }
                CHECK(texts.size() >= 2);
                for (auto const* layer : texts) {
                    SDL_Rect const& r = layer->dst;
                    INFO(layer->name << " at " << describe(r));
                    CHECK(r.x >= edge_margin_px);
                    CHECK(r.y >= edge_margin_px);
                    CHECK(r.x + r.w <= w - edge_margin_px);
                    CHECK(r.y + r.h <= bottom_limit);
                }
                for (std::size_t i = 0; i < texts.size(); ++i) {
                    for (std::size_t j = i + 1; j < texts.size(); ++j) {
                        INFO(texts[i]->name << " at " << describe(texts[i]->dst) << " and " << texts[j]->name << " at "
                                            << describe(texts[j]->dst));
                        CHECK_FALSE(SDL_HasIntersection(&texts[i]->dst, &texts[j]->dst));
                    }
                }
            }
        }
    }
}

TEST_CASE("in the drawn frames text appears only inside its blocks, never near the edges or among the dots, and "
          "stands out from what is behind it",
    "[render][text]")
{
    auto const& pack = demo_pack();
    int const slide_count = int(pack.slides.size());
    auto const out_dir = std::filesystem::path(KIOSK_BUILD_DIR) / "layout-modes";
    std::filesystem::create_directories(out_dir);
    // The first slide of each layout, in every mode and size; saved for a person to look at.
    std::vector<int> to_save;
    for (auto layout :
        { content::Layout::Hero, content::Layout::Stats, content::Layout::Text, content::Layout::Quote }) {
        auto const found = std::find_if(
            pack.slides.begin(), pack.slides.end(), [&](auto const& slide) { return slide.layout == layout; });
        if (found != pack.slides.end())
            to_save.push_back(int(found - pack.slides.begin()));
    }
    for (auto const& screen : screens) {
        int const w = screen.width_px;
        int const h = screen.height_px;
        int const bottom_limit = h - std::max(edge_margin_px, dots_band_px(screen));
        auto still = render::StillRenderer::create(fonts(), screen);
        REQUIRE(still.ok());
        TextFreeFrame text_free(screen);
        for (auto const& mode : modes) {
            // One slide of each layout: the geometry test above covers every slide; this one checks
            // pixels, which costs a full frame each (minutes under the sanitizers for all 17).
            for (int index : to_save) {
                INFO("slide " << index + 1 << " (" << pack.slides[std::size_t(index)].name << "), " << mode.name << ", "
                              << size_name(screen));
                auto drawn = still->draw(pack, index, mode.languages);
                REQUIRE(drawn.ok());
                {
                    char file[64];
                    std::snprintf(
                        file, sizeof file, "%s-%s-slide-%02d.png", mode.name, size_name(screen).c_str(), index + 1);
                    REQUIRE(still->save_png(out_dir / file).ok());
                }
                content::Image const frame = still->pixels();
                content::Image const background = text_free.draw(drawn.value(), slide_count);

                // Text ink: where the frame differs from the text-free frame. Anti-aliased edges
                // differ a little; 24 levels is a faint but visible grey. Both frames have the dots
                // and the image, so those cancel out and the whole dots band is checked, the dots'
                // own row included: a letter reaching down between two dots counts.
                constexpr int ink_threshold = 24;
                std::vector<render::Layer const*> texts;
                for (auto const& layer : drawn->layers) {
                    if (is_text(layer))
                        texts.push_back(&layer);
                }
                int ink_outside_blocks = 0;
                int ink_near_edges_or_dots = 0;
                for (int y = 0; y < h; ++y) {
                    for (int x = 0; x < w; ++x) {
                        if (difference(frame, background, x, y) < ink_threshold)
                            continue;
                        SDL_Point const p { x, y };
                        bool const inside_block = std::any_of(texts.begin(), texts.end(),
                            [&](auto const* layer) { return SDL_PointInRect(&p, &layer->dst); });
                        ink_outside_blocks += inside_block ? 0 : 1;
                        bool const allowed
                            = x >= edge_margin_px && x < w - edge_margin_px && y >= edge_margin_px && y < bottom_limit;
                        ink_near_edges_or_dots += allowed ? 0 : 1;
                    }
                }
                CHECK(ink_outside_blocks == 0);
                CHECK(ink_near_edges_or_dots == 0);

                // Every block is visible and readable over its image and scrim: for 95% of the pixels
                // fully inside its glyphs, the text's colour contrasts with what the same pixel shows
                // without the text at least 4.5:1 (WCAG 2 AA for body text).
                for (auto const* layer : texts) {
                    INFO(layer->name << " at " << describe(layer->dst));
                    SDL_Surface const& surface = *layer->surface;
                    // Text is drawn whole and unscaled: a surface pixel is one screen pixel.
                    REQUIRE(layer->src.w == 0);
                    REQUIRE(layer->dst.w == surface.w);
                    REQUIRE(layer->dst.h == surface.h);
                    std::vector<double> ratios;
                    for (int sy = 0; sy < surface.h; ++sy) {
                        for (int sx = 0; sx < surface.w; ++sx) {
                            if (coverage(surface, sx, sy) < 255)
                                continue;
                            int const x = layer->dst.x + sx;
                            int const y = layer->dst.y + sy;
                            if (x < 0 || y < 0 || x >= w || y >= h)
                                continue;
                            ratios.push_back(contrast(pixel(frame, x, y), pixel(background, x, y)));
                        }
                    }
                    REQUIRE(ratios.size() >= 20);
                    std::sort(ratios.begin(), ratios.end());
                    double const fifth_percentile = ratios[ratios.size() / 20];
                    INFO("contrast: 5th percentile " << fifth_percentile << ":1, median " << ratios[ratios.size() / 2]
                                                     << ":1");
                    CHECK(fifth_percentile >= 4.5);
                }
            }
        }
    }
}
