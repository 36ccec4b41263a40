#pragma once

// Rasterises a laid-out TextBlock into an ARGB8888 surface of the box's width and the block's height
// (transparent background, text in one colour). Works on any thread with its own FontSet, so the
// loader thread can prepare the next slide's text. Runs of the Latin and CJK fonts share one
// baseline per line.

#include "kiosk/text/TextLayout.h"

namespace kiosk::text {

struct Rgba {
    uint8_t r { 255 }, g { 255 }, b { 255 }, a { 255 };
};

// Returns nullptr only when SDL cannot allocate the surface (message in the log).
SurfacePtr rasterize(FontSet& fonts, TextBlock const& block, BoxStyle const& box, Rgba colour);

} // namespace kiosk::text
