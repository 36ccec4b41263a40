#pragma once

// Crossfade: the blend of two opaque full-screen frames into a third, written for the software
// renderer's crossfade. SDL's own path for it (clear, copy the current slide, blend the next one over
// it with a constant alpha) touches every pixel three times and blends one 32-bit pixel at a time;
// this reads both frames once, writes the result once, 16 bytes per step with vector instructions
// the compiler picks for the target (SSE2 on x86-64, NEON on ARM). docs/performance.md has the
// numbers.
//
// Pure computation: no SDL renderer, no allocation, any thread. Every channel of the 32-bit pixels
// is blended alike, so the channel order does not matter as long as the three frames share it.

#include "platform/Result.h"
#include "platform/Sdl.h"

#include <cstddef>
#include <cstdint>

namespace kiosk::render {

// out = a + (b − a) · alpha / 255 for every byte, rounded to nearest: alpha 0 gives a exactly, 255
// gives b exactly. `bytes` is the length of each buffer; out may be a or b (in place).
void blend_bytes(
    std::uint8_t const* a, std::uint8_t const* b, std::uint8_t* out, std::size_t bytes, std::uint8_t alpha);

// The same over frames with rows of `row_bytes` and their own pitches (SDL surfaces, locked
// streaming textures). Fails, drawing nothing, when the frames are not all 32-bit pixels of one
// size and format.
Status blend_surfaces(SDL_Surface const& a, SDL_Surface const& b, std::uint8_t alpha, SDL_Surface& out);
void blend_rows(std::uint8_t const* a, int a_pitch, std::uint8_t const* b, int b_pitch, std::uint8_t* out,
    int out_pitch, int row_bytes, int rows, std::uint8_t alpha);

} // namespace kiosk::render
