// The slide texture cache on SDL's software renderer drawing into a surface (no window): budget
// and LRU eviction, retry of a failed upload, and re-upload after a device reset.

#include "kiosk/render/SlideTextureCache.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using namespace kiosk::render;

namespace {

constexpr ScreenSize screen { 64, 36 };

struct Renderer {
    SurfacePtr surface { SDL_CreateRGBSurfaceWithFormat(
        0, screen.width_px, screen.height_px, 32, SDL_PIXELFORMAT_ARGB8888) };
    RendererPtr renderer { SDL_CreateSoftwareRenderer(surface.get()) };
    FrameRenderer frame { renderer.get(), screen };
};

PreparedSlide solid(int index, Uint8 red)
{
    PreparedSlide slide;
    slide.index = index;
    slide.width_px = screen.width_px;
    slide.height_px = screen.height_px;
    slide.background = { red, 0, 0, 255 };
    return slide;
}

SlideKey key(int index)
{
    return { 1, index, { "en" } };
}

// The red channel in the middle of a texture, drawn onto the surface.
int red_of(Renderer& r, SDL_Texture* texture)
{
    SDL_SetRenderTarget(r.renderer.get(), nullptr);
    SDL_RenderCopy(r.renderer.get(), texture, nullptr, nullptr);
    Uint32 pixel = 0;
    SDL_Rect const at { screen.width_px / 2, screen.height_px / 2, 1, 1 };
    REQUIRE(SDL_RenderReadPixels(r.renderer.get(), &at, SDL_PIXELFORMAT_ARGB8888, &pixel, 4) == 0);
    return int((pixel >> 16) & 0xFF);
}

} // namespace

TEST_CASE("the texture cache keeps to its budget, evicting the least recently used slide", "[render]")
{
    Renderer r;
    SlideTextureCache cache([&](PreparedSlide const& s) { return r.frame.upload(s); }, screen,
        2 * SlideTextureCache::bytes_per_slide(screen));
    for (int i = 0; i < 3; ++i)
        REQUIRE(cache.put(key(i), solid(i, 10)));
    REQUIRE(cache.find(key(0))); // slide 0 used again: slide 1 is now the oldest
    cache.evict();
    CHECK(cache.count() == 2);
    CHECK(cache.bytes() <= cache.budget_bytes());
    CHECK(cache.contains(key(0)));
    CHECK_FALSE(cache.contains(key(1)));
    CHECK(cache.contains(key(2)));
    // Slides on screen are never evicted, even above the budget.
    REQUIRE(cache.put(key(3), solid(3, 10)));
    std::array<SlideKey, 3> const on_screen { key(0), key(2), key(3) };
    cache.pin(on_screen);
    cache.evict();
    CHECK(cache.count() == 3);
    CHECK(cache.stats().evictions == 1);
}

TEST_CASE("a failed upload is not cached as an empty texture but retried", "[render][threads]")
{
    Renderer r;
    int failures_left = 1;
    SlideTextureCache cache(
        [&](PreparedSlide const& s) -> TexturePtr {
            if (failures_left > 0) {
                --failures_left;
                return nullptr; // as when SDL cannot create the texture (out of video memory)
            }
            return r.frame.upload(s);
        },
        screen, 4 * SlideTextureCache::bytes_per_slide(screen));
    CHECK(cache.put(key(0), solid(0, 200)) == nullptr);
    CHECK_FALSE(cache.contains(key(0)));
    CHECK(cache.waiting_for_retry(key(0)));
    // The next turn retries from the kept slide; the loader is not asked again.
    auto fonts = text::FontSet::open(std::filesystem::path(KIOSK_SOURCE_DIR) / "assets/fonts");
    REQUIRE(fonts);
    SlideLoader loader(std::move(fonts.value()), screen);
    std::array<SlideKey, 1> const wanted { key(0) };
    CHECK(cache.pull(loader, wanted, 2) == 1);
    SDL_Texture* texture = cache.find(key(0));
    REQUIRE(texture);
    CHECK(red_of(r, texture) == 200);
    CHECK(cache.stats().failed_uploads == 1);
    CHECK(cache.stats().uploads == 1);
}

TEST_CASE("after a device reset the slides are uploaded again with their pixels", "[render]")
{
    Renderer r;
    SlideTextureCache cache([&](PreparedSlide const& s) { return r.frame.upload(s); }, screen,
        4 * SlideTextureCache::bytes_per_slide(screen));
    REQUIRE(cache.put(key(0), solid(0, 120)));
    REQUIRE(cache.put(key(1), solid(1, 60)));
    cache.on_device_reset();
    CHECK(cache.count() == 0); // a target texture's pixels are gone: nothing stale is drawn
    CHECK(cache.find(key(0)) == nullptr);
    SDL_Texture* again = cache.put(key(0), solid(0, 120));
    REQUIRE(again);
    CHECK(red_of(r, again) == 120);
    CHECK(cache.stats().uploads == 3);
    CHECK(cache.stats().resets == 1);
}
