// SlideFlattener (kiosk/render/SlideFlattener.h): a slide flattened on the loader thread looks on
// screen as the slide drawn layer by layer (to 3 of 255 in a channel), and what reaches the main thread is one opaque
// full-screen surface.

#include "../text/TextTestSupport.h"
#include "kiosk/content/PackReader.h"
#include "kiosk/render/FrameRenderer.h"
#include "kiosk/render/SlideComposer.h"
#include "kiosk/render/SlideFlattener.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <thread>

using namespace kiosk;
using kiosk::text::test::fonts;

namespace {

// Draws a prepared slide as a still frame of the display (upload, then the frame with its dots) and
// returns the frame's pixels.
SurfacePtr draw_still(render::PreparedSlide const& slide, render::ScreenSize screen, int slide_count)
{
    SurfacePtr panel(
        SDL_CreateRGBSurfaceWithFormat(0, screen.width_px, screen.height_px, 32, SDL_PIXELFORMAT_ARGB8888));
    RendererPtr renderer(SDL_CreateSoftwareRenderer(panel.get()));
    REQUIRE(renderer);
    render::FrameRenderer frame(renderer.get(), screen);
    TexturePtr texture = frame.upload(slide);
    REQUIRE(texture);
    render::Overlay overlay;
    overlay.slide_count = slide_count;
    frame.draw({}, texture.get(), nullptr, overlay);
    SDL_RenderPresent(renderer.get());
    return panel;
}

} // namespace

TEST_CASE("a flattened slide is one opaque full-screen layer that shows the composed slide", "[render]")
{
    auto pack = content::read_pack(KIOSK_BUILD_DIR "/default.kpack");
    REQUIRE(pack);
    render::ScreenSize const screen { 960, 540 };
    render::SlideComposer composer(fonts());
    for (int index : { 0, 3 }) {
        render::PreparedSlide layered = composer.compose(*pack, index, { "en", "zh" }, screen);
        REQUIRE(layered.layers.size() > 2);
        REQUIRE_FALSE(render::is_flat(layered, screen));
        SurfacePtr const expected = draw_still(layered, screen, int(pack->slides.size()));

        // Flattened on another thread, as the loader does.
        render::PreparedSlide flat = composer.compose(*pack, index, { "en", "zh" }, screen);
        Status flattened = make_error("not run");
        std::thread loader([&] {
            auto flattener = render::SlideFlattener::create(screen);
            flattened = flattener ? flattener->flatten(flat) : Status(flattener.error());
        });
        loader.join();
        REQUIRE(flattened);
        CHECK(render::is_flat(flat, screen));
        CHECK(flat.index == layered.index);
        CHECK(flat.problems == layered.problems);

        SurfacePtr const shown = draw_still(flat, screen, int(pack->slides.size()));
        int differing = 0;
        int worst = 0;
        for (int y = 0; y < screen.height_px; ++y) {
            auto const* a = static_cast<std::uint8_t const*>(expected->pixels) + y * expected->pitch;
            auto const* b = static_cast<std::uint8_t const*>(shown->pixels) + y * shown->pitch;
            for (int x = 0; x < screen.width_px * 4; ++x) {
                if (x % 4 == 3)
                    continue;
                int const d = std::abs(int(a[x]) - int(b[x]));
                worst = std::max(worst, d);
                differing += d > 0;
            }
        }
        INFO("slide " << index + 1 << ": " << differing << " channel values differ, by at most " << worst);
        // SDL's blitter rounds its blend a little differently (a shift by 8 where ours rounds to
        // nearest); stacked layers (a scrim under text) add up to 3 of 255 on a few edge pixels.
        CHECK(worst <= 3);
        CHECK(differing < screen.width_px * screen.height_px * 3 / 10);
    }
}

TEST_CASE("flattening a flat slide changes nothing", "[render]")
{
    render::ScreenSize const screen { 64, 36 };
    auto flattener = render::SlideFlattener::create(screen);
    REQUIRE(flattener);
    render::PreparedSlide slide;
    slide.index = 4;
    slide.background = { 200, 10, 10, 255 };
    REQUIRE(flattener->flatten(slide));
    REQUIRE(render::is_flat(slide, screen));
    auto const* pixel = static_cast<std::uint32_t const*>(slide.layers[0].surface->pixels);
    CHECK((pixel[0] & 0xFFFFFF) == 0xC80A0A); // the background
    SDL_Surface* const before = slide.layers[0].surface.get();
    REQUIRE(flattener->flatten(slide));
    CHECK(slide.layers[0].surface.get() == before);
}
