#pragma once

// Display rotation: how the slide content sits on the physical panel, and the mapping of touch
// points between the panel's coordinates and the content's.
//
// Coordinate spaces, both normalised to 0..1 with x to the right and y downwards:
//   physical: the panel as mounted, as SDL reports touches (SDL_TouchFingerEvent x, y) and as a
//             mouse position divided by the window size in pixels;
//   logical:  the content as designed, e.g. a portrait layout's own width and height.
//
// Convention: the Rotation names how far the *content* is turned *clockwise* on the panel.
// R90 on a landscape panel shows a portrait layout whose top edge runs along the panel's right
// edge (a panel mounted with its left side up, read upright). This is also the angle to give
// SDL_RenderCopyEx, whose angles are clockwise because y points down.
//
// Pure functions; no state, no errors: points slightly outside 0..1 (touch panels overshoot at
// the edges) map the same affine way and stay outside, so a drag that leaves the edge still tracks.

#include <optional>

namespace kiosk::input {

enum class Rotation {
    R0,
    R90,
    R180,
    R270,
};

struct NormalizedPoint {
    double x { 0.0 };
    double y { 0.0 };
};

// Where a point touched on the panel lies in the content.
NormalizedPoint physical_to_logical(NormalizedPoint physical, Rotation rotation);
// Where a point of the content is drawn on the panel; the inverse of physical_to_logical.
NormalizedPoint logical_to_physical(NormalizedPoint logical, Rotation rotation);

// R90 and R270 exchange width and height: the logical width is the panel's height.
constexpr bool swaps_axes(Rotation rotation)
{
    return rotation == Rotation::R90 || rotation == Rotation::R270;
}

constexpr int degrees_clockwise(Rotation rotation)
{
    switch (rotation) {
    case Rotation::R0:
        return 0;
    case Rotation::R90:
        return 90;
    case Rotation::R180:
        return 180;
    case Rotation::R270:
        return 270;
    }
    return 0;
}

// For configuration: any multiple of 90 (so -90 is R270 and 360 is R0); nullopt otherwise.
std::optional<Rotation> rotation_from_degrees(int degrees);

} // namespace kiosk::input
