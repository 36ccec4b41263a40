#include "kiosk/input/Rotation.h"

namespace kiosk::input {

// Derivation for R90 (the others follow the same way): turning the content a quarter turn
// clockwise puts its top-left corner (0,0) at the panel's top-right (1,0), its top-right (1,0) at
// the panel's bottom-right (1,1), and its bottom-left (0,1) at the panel's top-left (0,0); so the
// content's x runs down the panel and its y runs leftwards: physical = (1 - y, x).

NormalizedPoint logical_to_physical(NormalizedPoint logical, Rotation rotation)
{
    auto const [x, y] = logical;
    switch (rotation) {
    case Rotation::R0:
        return { x, y };
    case Rotation::R90:
        return { 1.0 - y, x };
    case Rotation::R180:
        return { 1.0 - x, 1.0 - y };
    case Rotation::R270:
        return { y, 1.0 - x };
    }
    return logical;
}

NormalizedPoint physical_to_logical(NormalizedPoint physical, Rotation rotation)
{
    auto const [x, y] = physical;
    switch (rotation) {
    case Rotation::R0:
        return { x, y };
    case Rotation::R90:
        return { y, 1.0 - x };
    case Rotation::R180:
        return { 1.0 - x, 1.0 - y };
    case Rotation::R270:
        return { 1.0 - y, x };
    }
    return physical;
}

std::optional<Rotation> rotation_from_degrees(int degrees)
{
    switch (((degrees % 360) + 360) % 360) {
    case 0:
        return Rotation::R0;
    case 90:
        return Rotation::R90;
    case 180:
        return Rotation::R180;
    case 270:
        return Rotation::R270;
    default:
        return std::nullopt;
    }
}

} // namespace kiosk::input
