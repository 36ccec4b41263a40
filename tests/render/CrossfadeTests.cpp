// The software crossfade (kiosk/render/Crossfade.h): what a visitor sees halfway through a fade is
// both slides at half strength, the ends are the slides themselves, and the result matches what SDL's
// own software renderer draws for the same fade, so switching to it changes no picture.

#include "kiosk/render/Crossfade.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

using namespace kiosk;

namespace {

SurfacePtr filled(int w, int h, std::uint32_t seed)
{
    SurfacePtr s(SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888));
    REQUIRE(s);
    auto* bytes = static_cast<std::uint8_t*>(s->pixels);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w * 4; ++x) {
            seed = seed * 1664525U + 1013904223U;
            bytes[y * s->pitch + x] = (x % 4 == 3) ? 255 : std::uint8_t(seed >> 24);
        }
    }
    return s;
}

int exact(int a, int b, int alpha)
{
    return int(std::lround(a + (b - a) * alpha / 255.0));
}

} // namespace

TEST_CASE("a crossfade ends on the slides themselves and is within one step of the exact mix", "[render]")
{
    // Every pair of byte values, so both the 16-byte vector steps and the tail are exercised.
    std::vector<std::uint8_t> a(65536 + 7), b(a.size()), out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        a[i] = std::uint8_t(i & 0xFF);
        b[i] = std::uint8_t((i >> 8) & 0xFF);
    }
    for (int alpha : { 0, 1, 2, 64, 127, 128, 129, 200, 254, 255 }) {
        render::blend_bytes(a.data(), b.data(), out.data(), out.size(), std::uint8_t(alpha));
        int worst = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            worst = std::max(worst, std::abs(int(out[i]) - exact(a[i], b[i], alpha)));
        INFO("alpha " << alpha);
        CHECK(worst <= 1);
        if (alpha == 0)
            CHECK(out == a);
        if (alpha == 255)
            CHECK(out == b);
    }
}

TEST_CASE("a crossfade can be written over one of its own frames", "[render]")
{
    std::vector<std::uint8_t> a(100, 200), b(100, 100);
    render::blend_bytes(a.data(), b.data(), a.data(), a.size(), 128);
    for (auto value : a)
        CHECK(std::abs(int(value) - 150) <= 1);
}

TEST_CASE("a crossfade between surfaces matches SDL's software renderer and keeps row padding", "[render]")
{
    int const w = 37, h = 11; // odd sizes: rows are not a multiple of the vector width
    SurfacePtr current = filled(w, h, 1);
    SurfacePtr next = filled(w, h, 2);
    for (int alpha : { 0, 77, 128, 255 }) {
        // SDL's way: copy the current slide, blend the next over it with a constant alpha.
        SurfacePtr by_sdl(SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888));
        REQUIRE(SDL_BlitSurface(current.get(), nullptr, by_sdl.get(), nullptr) == 0);
        REQUIRE(SDL_SetSurfaceBlendMode(next.get(), SDL_BLENDMODE_BLEND) == 0);
        REQUIRE(SDL_SetSurfaceAlphaMod(next.get(), Uint8(alpha)) == 0);
        REQUIRE(SDL_BlitSurface(next.get(), nullptr, by_sdl.get(), nullptr) == 0);

        // Ours, into a frame whose rows are longer than its pixels (a locked texture's pitch).
        int const pitch = w * 4 + 24;
        std::vector<std::uint8_t> storage(std::size_t(pitch) * h, 0xAB);
        SurfacePtr ours(SDL_CreateRGBSurfaceWithFormatFrom(storage.data(), w, h, 32, pitch, SDL_PIXELFORMAT_RGB888));
        REQUIRE(ours);
        REQUIRE(render::blend_surfaces(*current, *next, std::uint8_t(alpha), *ours));

        int worst = 0;
        for (int y = 0; y < h; ++y) {
            auto const* row_sdl = static_cast<std::uint8_t const*>(by_sdl->pixels) + y * by_sdl->pitch;
            auto const* row_ours = storage.data() + std::size_t(y) * pitch;
            for (int x = 0; x < w * 4; ++x) {
                if (x % 4 != 3) // the unused byte of RGB888
                    worst = std::max(worst, std::abs(int(row_sdl[x]) - int(row_ours[x])));
            }
            for (int x = w * 4; x < pitch; ++x)
                REQUIRE(row_ours[x] == 0xAB); // the padding is not written
        }
        INFO("alpha " << alpha);
        CHECK(worst <= 2);
    }
}

TEST_CASE("a crossfade of frames that differ in size or format is refused, and says why", "[render]")
{
    SurfacePtr a = filled(16, 16, 1);
    SurfacePtr smaller = filled(8, 16, 2);
    SurfacePtr out(SDL_CreateRGBSurfaceWithFormat(0, 16, 16, 32, SDL_PIXELFORMAT_RGB888));
    auto refused = render::blend_surfaces(*a, *smaller, 128, *out);
    REQUIRE_FALSE(refused);
    CHECK(refused.message().find("8x16") != std::string::npos);
    SurfacePtr other_format(SDL_CreateRGBSurfaceWithFormat(0, 16, 16, 32, SDL_PIXELFORMAT_ABGR8888));
    CHECK_FALSE(render::blend_surfaces(*a, *a, 128, *other_format));
}
