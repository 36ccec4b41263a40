#include "kiosk/input/Rotation.h"

#include <array>
#include <catch2/catch.hpp>

using kiosk::input::logical_to_physical;
using kiosk::input::NormalizedPoint;
using kiosk::input::physical_to_logical;
using kiosk::input::Rotation;

namespace {

constexpr std::array all_rotations { Rotation::R0, Rotation::R90, Rotation::R180, Rotation::R270 };

void check_point(NormalizedPoint actual, NormalizedPoint expected)
{
    CHECK(actual.x == Approx(expected.x).margin(1e-12));
    CHECK(actual.y == Approx(expected.y).margin(1e-12));
}

} // namespace

TEST_CASE("A touch on an unrotated panel lands where it was touched", "[input]")
{
    check_point(physical_to_logical({ 0.25, 0.75 }, Rotation::R0), { 0.25, 0.75 });
}

TEST_CASE("Portrait content on a landscape panel (R90): touching a corner of the panel hits the right corner of "
          "the content",
    "[input]")
{
    // The content is turned a quarter turn clockwise: its top edge runs down the panel's right edge.
    // Touching the panel's top-right corner touches the content's top-left corner, and so on round.
    struct Case {
        NormalizedPoint physical;
        NormalizedPoint logical;
    };
    auto const corner = GENERATE(Case { { 1, 0 }, { 0, 0 } }, // content top-left
        Case { { 1, 1 }, { 1, 0 } }, // content top-right
        Case { { 0, 1 }, { 1, 1 } }, // content bottom-right
        Case { { 0, 0 }, { 0, 1 } }); // content bottom-left
    check_point(physical_to_logical(corner.physical, Rotation::R90), corner.logical);
    check_point(logical_to_physical(corner.logical, Rotation::R90), corner.physical);
}

TEST_CASE(
    "Upside-down (R180) and quarter turn counter-clockwise (R270) put the content's top-left where expected", "[input]")
{
    // R180: the content's top-left is at the panel's bottom-right.
    check_point(logical_to_physical({ 0, 0 }, Rotation::R180), { 1, 1 });
    check_point(logical_to_physical({ 1, 0 }, Rotation::R180), { 0, 1 });
    // R270: the content's top edge runs up the panel's left edge; its top-left is at the bottom-left.
    check_point(logical_to_physical({ 0, 0 }, Rotation::R270), { 0, 1 });
    check_point(logical_to_physical({ 1, 0 }, Rotation::R270), { 0, 0 });
    check_point(logical_to_physical({ 1, 1 }, Rotation::R270), { 1, 0 });
    check_point(physical_to_logical({ 1, 1 }, Rotation::R270), { 0, 1 });
}

TEST_CASE("A swipe towards the content's left is a leftward swipe in every rotation", "[input]")
{
    // What a visitor notices: swiping "left" as they read the slide turns the page forwards however
    // the panel is mounted. Move a point leftwards in content space and map both ends to the panel;
    // mapping back must give a leftward movement again, and the panel direction must be the one
    // the rotation implies.
    struct Case {
        Rotation rotation;
        double panel_dx;
        double panel_dy;
    };
    auto const c = GENERATE(Case { Rotation::R0, -0.2, 0 }, Case { Rotation::R90, 0, -0.2 },
        Case { Rotation::R180, 0.2, 0 }, Case { Rotation::R270, 0, 0.2 });
    auto const from = logical_to_physical({ 0.6, 0.5 }, c.rotation);
    auto const to = logical_to_physical({ 0.4, 0.5 }, c.rotation);
    CHECK(to.x - from.x == Approx(c.panel_dx).margin(1e-12));
    CHECK(to.y - from.y == Approx(c.panel_dy).margin(1e-12));
    CHECK(
        physical_to_logical(to, c.rotation).x - physical_to_logical(from, c.rotation).x == Approx(-0.2).margin(1e-12));
}

TEST_CASE("Every rotation round-trips any point, including points just outside the panel", "[input]")
{
    auto const rotation = GENERATE(from_range(all_rotations));
    for (double x : { -0.01, 0.0, 0.1, 0.5, 0.93, 1.0, 1.02 }) {
        for (double y : { -0.02, 0.0, 0.37, 0.5, 1.0, 1.01 }) {
            check_point(logical_to_physical(physical_to_logical({ x, y }, rotation), rotation), { x, y });
            check_point(physical_to_logical(logical_to_physical({ x, y }, rotation), rotation), { x, y });
        }
    }
    // The centre never moves.
    check_point(physical_to_logical({ 0.5, 0.5 }, rotation), { 0.5, 0.5 });
}

TEST_CASE("Rotation from configuration degrees", "[input]")
{
    using kiosk::input::rotation_from_degrees;
    CHECK(rotation_from_degrees(0) == Rotation::R0);
    CHECK(rotation_from_degrees(90) == Rotation::R90);
    CHECK(rotation_from_degrees(180) == Rotation::R180);
    CHECK(rotation_from_degrees(270) == Rotation::R270);
    CHECK(rotation_from_degrees(-90) == Rotation::R270);
    CHECK(rotation_from_degrees(360) == Rotation::R0);
    CHECK_FALSE(rotation_from_degrees(45).has_value());
    CHECK(kiosk::input::swaps_axes(Rotation::R90));
    CHECK_FALSE(kiosk::input::swaps_axes(Rotation::R180));
    CHECK(kiosk::input::degrees_clockwise(Rotation::R270) == 270);
}
