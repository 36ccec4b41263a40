#include "kiosk/render/Crossfade.h"

#include <cstring>
#include <string>

namespace kiosk::render {

namespace {

// GCC/Clang vector extensions: portable, and each operation becomes one or two SIMD instructions.
using Bytes16 = std::uint8_t __attribute__((vector_size(16)));
using Words16 = std::uint16_t __attribute__((vector_size(32)));

// 0..255 -> 0..256, so that the weights of a and b sum to 256 and a shift divides.
std::uint16_t weight_of(std::uint8_t alpha)
{
    return std::uint16_t(alpha + (alpha >> 7));
}

} // namespace

void blend_bytes(std::uint8_t const* a, std::uint8_t const* b, std::uint8_t* out, std::size_t bytes, std::uint8_t alpha)
{
    std::uint16_t const w = weight_of(alpha);
    std::uint16_t const v = std::uint16_t(256 - w);
    std::size_t i = 0;
    // a·v + b·w + 128 <= 255·256 + 128: fits 16 bits.
    for (; i + 16 <= bytes; i += 16) {
        Bytes16 va, vb;
        std::memcpy(&va, a + i, 16); // unaligned loads; compiles to one instruction
        std::memcpy(&vb, b + i, 16);
        Words16 const mixed
            = (__builtin_convertvector(va, Words16) * v + __builtin_convertvector(vb, Words16) * w + std::uint16_t(128))
            >> 8;
        Bytes16 const result = __builtin_convertvector(mixed, Bytes16);
        std::memcpy(out + i, &result, 16);
    }
    for (; i < bytes; ++i)
        out[i] = std::uint8_t((a[i] * v + b[i] * w + 128) >> 8);
}

void blend_rows(std::uint8_t const* a, int a_pitch, std::uint8_t const* b, int b_pitch, std::uint8_t* out,
    int out_pitch, int row_bytes, int rows, std::uint8_t alpha)
{
    if (a_pitch == row_bytes && b_pitch == row_bytes && out_pitch == row_bytes) {
        blend_bytes(a, b, out, std::size_t(row_bytes) * std::size_t(rows), alpha);
        return;
    }
    for (int y = 0; y < rows; ++y) {
        blend_bytes(a + std::ptrdiff_t(y) * a_pitch, b + std::ptrdiff_t(y) * b_pitch,
            out + std::ptrdiff_t(y) * out_pitch, std::size_t(row_bytes), alpha);
    }
}

Status blend_surfaces(SDL_Surface const& a, SDL_Surface const& b, std::uint8_t alpha, SDL_Surface& out)
{
    auto describe = [](SDL_Surface const& s) {
        return std::to_string(s.w) + "x" + std::to_string(s.h) + " " + SDL_GetPixelFormatName(s.format->format);
    };
    for (SDL_Surface const* s : { &a, &b, static_cast<SDL_Surface const*>(&out) }) {
        if (s->format->BytesPerPixel != 4 || s->w != out.w || s->h != out.h || s->format->format != out.format->format
            || SDL_MUSTLOCK(s))
            return make_error("crossfade: frames differ (" + describe(a) + ", " + describe(b) + " into " + describe(out)
                + "); all three must be unlocked-access 32-bit pixels of one size and format");
    }
    blend_rows(static_cast<std::uint8_t const*>(a.pixels), a.pitch, static_cast<std::uint8_t const*>(b.pixels), b.pitch,
        static_cast<std::uint8_t*>(out.pixels), out.pitch, out.w * 4, out.h, alpha);
    return {};
}

} // namespace kiosk::render
