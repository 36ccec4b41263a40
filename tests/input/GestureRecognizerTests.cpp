#include "kiosk/input/GestureRecognizer.h"

#include <catch2/catch.hpp>
#include <vector>

using kiosk::input::Gesture;
using kiosk::input::GestureConfig;
using kiosk::input::GestureRecognizer;
using kiosk::input::PointerEvent;

namespace {

// Trace tables: one row per event as the SDL layer would hand it over, in logical coordinates.
using Kind = PointerEvent::Kind;
constexpr auto Down = Kind::Down;
constexpr auto Move = Kind::Move;
constexpr auto Up = Kind::Up;
constexpr auto Touch = PointerEvent::Source::Touch;
constexpr auto Mouse = PointerEvent::Source::Mouse;
constexpr auto mouse = PointerEvent::mouse_id;

using Trace = std::vector<PointerEvent>;

std::vector<Gesture> run(GestureRecognizer& recognizer, Trace const& trace)
{
    std::vector<Gesture> all;
    for (auto const& event : trace) {
        auto const gestures = recognizer.feed(event);
        all.insert(all.end(), gestures.begin(), gestures.end());
    }
    return all;
}

std::vector<Gesture> run(Trace const& trace, GestureConfig config = {})
{
    GestureRecognizer recognizer(config);
    return run(recognizer, trace);
}

std::vector<Gesture::Kind> kinds(std::vector<Gesture> const& gestures)
{
    std::vector<Gesture::Kind> result;
    for (auto const& g : gestures)
        result.push_back(g.kind);
    return result;
}

using G = Gesture::Kind;

} // namespace

TEST_CASE("A quick touch is a tap where the finger went down", "[input]")
{
    auto const gestures = run(Trace {
        // kind, finger, x, y, time_ms, source
        { Down, 7, 0.30, 0.80, 1000, Touch },
        { Up, 7, 0.30, 0.80, 1110, Touch },
    });
    REQUIRE(kinds(gestures) == std::vector { G::Tap });
    CHECK(gestures[0].x == 0.30);
    CHECK(gestures[0].y == 0.80);
    CHECK(gestures[0].time_ms == 1110);
    CHECK(gestures[0].source == Touch);
}

TEST_CASE("A finger that rolls a little on the glass still taps", "[input]")
{
    // Jitter of up to 0.6 % of the width (about 6 mm on a 43" panel), under the 1 % slop.
    auto const gestures = run(Trace {
        { Down, 1, 0.500, 0.500, 0, Touch },
        { Move, 1, 0.504, 0.502, 16, Touch },
        { Move, 1, 0.497, 0.506, 33, Touch },
        { Move, 1, 0.506, 0.497, 50, Touch },
        { Up, 1, 0.505, 0.499, 140, Touch },
    });
    REQUIRE(kinds(gestures) == std::vector { G::Tap });
    CHECK(gestures[0].x == 0.500);
}

TEST_CASE("A slow drag follows the finger and ends without a flick", "[input]")
{
    // 0.004 of the width every 25 ms: 0.16 widths/s, a visitor peeking at the next slide.
    auto const gestures = run(Trace {
        { Down, 1, 0.700, 0.5, 0, Touch },
        { Move, 1, 0.696, 0.5, 25, Touch },
        { Move, 1, 0.692, 0.5, 50, Touch },
        { Move, 1, 0.688, 0.5, 75, Touch }, // 1.2 % moved: beyond the slop
        { Move, 1, 0.684, 0.5, 100, Touch },
        { Move, 1, 0.680, 0.5, 125, Touch },
        { Move, 1, 0.676, 0.5, 150, Touch },
        { Move, 1, 0.672, 0.5, 175, Touch },
        { Move, 1, 0.668, 0.5, 200, Touch },
        { Move, 1, 0.664, 0.5, 225, Touch },
        { Move, 1, 0.660, 0.5, 250, Touch },
        { Up, 1, 0.656, 0.5, 275, Touch },
    });
    REQUIRE(kinds(gestures)
        == std::vector { G::DragStart, G::DragMove, G::DragMove, G::DragMove, G::DragMove, G::DragMove, G::DragMove,
            G::DragMove, G::DragMove, G::DragEnd });
    CHECK(gestures[0].dx == Approx(-0.012));
    CHECK(gestures[0].axis == Gesture::Axis::Horizontal);
    CHECK(gestures.back().dx == Approx(-0.044));
    CHECK(gestures.back().velocity_x == Approx(-0.16).epsilon(0.01));
    CHECK(gestures.back().velocity_y == Approx(0.0).margin(1e-9));
}

TEST_CASE("A fast flick is a swipe whose velocity says which way", "[input]")
{
    SECTION("leftwards")
    {
        auto const gestures = run(Trace {
            { Down, 1, 0.70, 0.50, 5000, Touch },
            { Move, 1, 0.68, 0.50, 5010, Touch },
            { Move, 1, 0.65, 0.51, 5020, Touch },
            { Move, 1, 0.61, 0.51, 5030, Touch },
            { Up, 1, 0.57, 0.51, 5040, Touch },
        });
        REQUIRE(kinds(gestures) == std::vector { G::DragStart, G::DragMove, G::DragMove, G::DragMove, G::Swipe });
        CHECK(gestures.back().velocity_x < -3.0);
        CHECK(gestures.back().dx == Approx(-0.13));
    }
    SECTION("rightwards, with the mouse")
    {
        auto const gestures = run(Trace {
            { Down, mouse, 0.20, 0.50, 5000, Mouse },
            { Move, mouse, 0.23, 0.50, 5016, Mouse },
            { Move, mouse, 0.27, 0.50, 5033, Mouse },
            { Up, mouse, 0.31, 0.50, 5050, Mouse },
        });
        REQUIRE(kinds(gestures) == std::vector { G::DragStart, G::DragMove, G::DragMove, G::Swipe });
        CHECK(gestures.back().velocity_x > 2.0);
        CHECK(gestures.back().source == Mouse);
    }
    SECTION("a panel that reports only the press and the release")
    {
        auto const gestures = run(Trace {
            { Down, 1, 0.70, 0.50, 0, Touch },
            { Up, 1, 0.55, 0.50, 30, Touch },
        });
        REQUIRE(kinds(gestures) == std::vector { G::DragStart, G::Swipe });
        CHECK(gestures.back().velocity_x == Approx(-5.0));
    }
}

TEST_CASE("A drag that turns back at the end reports how the finger left, not the average", "[input]")
{
    // Rightwards for 300 ms (net +0.3), then the last 100 ms back leftwards: the visitor changed
    // their mind. The release velocity must point left.
    auto const gestures = run(Trace {
        { Down, 1, 0.30, 0.5, 0, Touch },
        { Move, 1, 0.33, 0.5, 30, Touch },
        { Move, 1, 0.36, 0.5, 60, Touch },
        { Move, 1, 0.39, 0.5, 90, Touch },
        { Move, 1, 0.42, 0.5, 120, Touch },
        { Move, 1, 0.45, 0.5, 150, Touch },
        { Move, 1, 0.48, 0.5, 180, Touch },
        { Move, 1, 0.51, 0.5, 210, Touch },
        { Move, 1, 0.54, 0.5, 240, Touch },
        { Move, 1, 0.57, 0.5, 270, Touch },
        { Move, 1, 0.60, 0.5, 300, Touch }, // the turn
        { Move, 1, 0.58, 0.5, 325, Touch },
        { Move, 1, 0.56, 0.5, 350, Touch },
        { Move, 1, 0.54, 0.5, 375, Touch },
        { Up, 1, 0.52, 0.5, 400, Touch },
    });
    REQUIRE(gestures.back().kind == G::Swipe);
    CHECK(gestures.back().dx == Approx(0.22)); // still right of where it started
    CHECK(gestures.back().velocity_x == Approx(-0.8).epsilon(0.01));
}

TEST_CASE("A finger that stops before lifting has no release velocity", "[input]")
{
    auto const gestures = run(Trace {
        { Down, 1, 0.70, 0.5, 0, Touch },
        { Move, 1, 0.65, 0.5, 20, Touch },
        { Move, 1, 0.60, 0.5, 40, Touch },
        { Move, 1, 0.55, 0.5, 60, Touch }, // fast so far, then the finger rests 70 ms
        { Up, 1, 0.55, 0.5, 130, Touch },
    });
    REQUIRE(gestures.back().kind == G::DragEnd);
    CHECK(gestures.back().velocity_x == 0.0);
}

TEST_CASE("A finger resting in place is a long press, and lifting it is no tap", "[input]")
{
    GestureRecognizer recognizer;
    CHECK(run(recognizer, Trace { { Down, 1, 0.4, 0.4, 10'000, Touch } }).empty());
    CHECK(recognizer.next_deadline_ms() == 10'600);
    CHECK(recognizer.tick(10'599).empty());
    auto const held = recognizer.tick(10'600);
    REQUIRE(kinds(held) == std::vector { G::LongPress });
    CHECK(held[0].x == 0.4);
    CHECK(run(recognizer, Trace { { Move, 1, 0.402, 0.4, 10'700, Touch } }).empty());
    CHECK(run(recognizer, Trace { { Up, 1, 0.402, 0.4, 11'000, Touch } }).empty());
    CHECK_FALSE(recognizer.tracking());
}

TEST_CASE("A long press is recognised even when the loop never ticked", "[input]")
{
    auto const gestures = run(Trace {
        { Down, 1, 0.4, 0.4, 0, Touch },
        { Up, 1, 0.4, 0.4, 700, Touch },
    });
    REQUIRE(kinds(gestures) == std::vector { G::LongPress });
    CHECK(gestures[0].time_ms == 600);
}

TEST_CASE("After a long press the finger can still swipe", "[input]")
{
    auto const gestures = run(Trace {
        { Down, 1, 0.60, 0.5, 0, Touch },
        { Move, 1, 0.55, 0.5, 900, Touch },
        { Move, 1, 0.50, 0.5, 920, Touch },
        { Up, 1, 0.45, 0.5, 940, Touch },
    });
    CHECK(kinds(gestures) == std::vector { G::LongPress, G::DragStart, G::DragMove, G::DragMove, G::Swipe });
}

TEST_CASE("A second finger is ignored while the first one drags", "[input]")
{
    auto const gestures = run(Trace {
        { Down, 1, 0.70, 0.5, 0, Touch },
        { Move, 1, 0.66, 0.5, 20, Touch },
        { Down, 2, 0.20, 0.2, 30, Touch }, // a second finger lands far away
        { Move, 2, 0.90, 0.9, 40, Touch }, // and races across: ignored
        { Move, 1, 0.63, 0.5, 40, Touch },
        { Up, 2, 0.90, 0.9, 50, Touch },
        { Move, 1, 0.62, 0.5, 60, Touch },
        { Up, 1, 0.62, 0.5, 160, Touch },
    });
    REQUIRE(kinds(gestures) == std::vector { G::DragStart, G::DragMove, G::DragMove, G::DragEnd });
    CHECK(gestures.back().dx == Approx(-0.08));
}

TEST_CASE("A finger left on the glass after the first lifts does not start a gesture", "[input]")
{
    auto const gestures = run(Trace {
        { Down, 1, 0.5, 0.5, 0, Touch },
        { Down, 2, 0.2, 0.5, 10, Touch },
        { Up, 1, 0.5, 0.5, 100, Touch }, // finger 1 taps
        { Move, 2, 0.6, 0.5, 150, Touch }, // finger 2 was never tracked: no drag
        { Up, 2, 0.6, 0.5, 200, Touch },
        { Down, 3, 0.3, 0.3, 400, Touch }, // a fresh touch is tracked again
        { Up, 3, 0.3, 0.3, 450, Touch },
    });
    REQUIRE(kinds(gestures) == std::vector { G::Tap, G::Tap });
    CHECK(gestures[1].x == 0.3);
}

TEST_CASE("A palm on the glass cancels the drag and nothing happens until the hand lifts", "[input]")
{
    GestureRecognizer recognizer;
    auto const gestures = run(recognizer,
        Trace {
            { Down, 1, 0.60, 0.5, 0, Touch },
            { Move, 1, 0.50, 0.5, 20, Touch },
            { Down, 2, 0.52, 0.6, 30, Touch },
            { Down, 3, 0.55, 0.7, 32, Touch }, // three contacts: a hand
            { Move, 1, 0.30, 0.5, 50, Touch },
            { Up, 1, 0.30, 0.5, 60, Touch },
            { Down, 4, 0.56, 0.7, 70, Touch },
            { Up, 4, 0.56, 0.7, 80, Touch }, // would be a tap, but the hand is still there
            { Up, 2, 0.52, 0.6, 90, Touch },
            { Up, 3, 0.55, 0.7, 100, Touch },
        });
    REQUIRE(kinds(gestures) == std::vector { G::DragStart, G::Cancel });
    // Once every contact has lifted, touch works again.
    auto const after = run(recognizer, Trace { { Down, 5, 0.5, 0.5, 500, Touch }, { Up, 5, 0.5, 0.5, 560, Touch } });
    CHECK(kinds(after) == std::vector { G::Tap });
}

TEST_CASE("A mouse press while a finger is down is ignored (SDL's synthesised mouse)", "[input]")
{
    auto const gestures = run(Trace {
        { Down, 1, 0.50, 0.5, 0, Touch }, { Down, mouse, 0.50, 0.5, 1, Mouse }, { Move, mouse, 0.10, 0.5, 20, Mouse },
        { Up, mouse, 0.10, 0.5, 40, Mouse }, { Up, 1, 0.50, 0.5, 90, Touch },
        { Up, mouse, 0.50, 0.5, 91, Mouse }, // a late synthesised release: ignored as well
    });
    REQUIRE(kinds(gestures) == std::vector { G::Tap });
    CHECK(gestures[0].source == Touch);
}

TEST_CASE("A mouse press during a palm is ignored too", "[input]")
{
    // SDL synthesises mouse events from a touch; under a palm no touch is tracked, but the
    // synthesised press must not sneak a tap through.
    auto const gestures = run(Trace {
        { Down, 1, 0.50, 0.5, 0, Touch },
        { Down, 2, 0.52, 0.6, 5, Touch },
        { Down, 3, 0.55, 0.7, 8, Touch },
        { Down, mouse, 0.50, 0.5, 9, Mouse },
        { Up, mouse, 0.50, 0.5, 80, Mouse },
        { Up, 1, 0.50, 0.5, 90, Touch },
        { Up, 2, 0.52, 0.6, 91, Touch },
        { Up, 3, 0.55, 0.7, 92, Touch },
    });
    CHECK(kinds(gestures) == std::vector { G::Cancel });
}

TEST_CASE("A touch while the mouse button is held is ignored", "[input]")
{
    auto const gestures = run(Trace {
        { Down, mouse, 0.50, 0.5, 0, Mouse },
        { Down, 1, 0.50, 0.5, 2, Touch },
        { Move, 1, 0.90, 0.5, 20, Touch },
        { Up, 1, 0.90, 0.5, 30, Touch },
        { Up, mouse, 0.50, 0.5, 90, Mouse },
    });
    REQUIRE(kinds(gestures) == std::vector { G::Tap });
    CHECK(gestures[0].source == Mouse);
}

TEST_CASE("A mostly vertical drag is marked vertical", "[input]")
{
    auto const gestures = run(Trace {
        { Down, 1, 0.50, 0.30, 0, Touch },
        { Move, 1, 0.51, 0.35, 20, Touch },
        { Up, 1, 0.52, 0.45, 40, Touch },
    });
    REQUIRE(gestures.front().kind == G::DragStart);
    CHECK(gestures.front().axis == Gesture::Axis::Vertical);
    CHECK(gestures.back().axis == Gesture::Axis::Vertical);
    CHECK(gestures.back().velocity_y > 0.0);
}

TEST_CASE("The slop is the same physical size in portrait as in landscape", "[input]")
{
    // 1.5 % of the width: in landscape (width = long side) that is beyond the 1 % slop; in portrait
    // the width is the short side, 1.5 % of it is 0.84 % of the long side, still a tap.
    Trace const trace {
        { Down, 1, 0.500, 0.5, 0, Touch },
        { Move, 1, 0.515, 0.5, 20, Touch },
        { Up, 1, 0.515, 0.5, 80, Touch },
    };
    GestureConfig portrait;
    portrait.height_over_width = 16.0 / 9.0;
    CHECK(kinds(run(trace)) == std::vector { G::DragStart, G::DragEnd });
    CHECK(kinds(run(trace, portrait)) == std::vector { G::Tap });
}

TEST_CASE("A touch that never lifts is abandoned, so touch input cannot die", "[input]")
{
    GestureRecognizer recognizer;
    auto const started = run(recognizer, Trace { { Down, 1, 0.5, 0.5, 0, Touch }, { Move, 1, 0.4, 0.5, 20, Touch } });
    CHECK(kinds(started) == std::vector { G::DragStart });
    CHECK(recognizer.next_deadline_ms() == 15'020);
    CHECK(recognizer.tick(15'019).empty());
    CHECK(kinds(recognizer.tick(15'020)) == std::vector { G::Cancel });
    CHECK_FALSE(recognizer.tracking());
    auto const later
        = run(recognizer, Trace { { Down, 2, 0.5, 0.5, 20'000, Touch }, { Up, 2, 0.5, 0.5, 20'050, Touch } });
    CHECK(kinds(later) == std::vector { G::Tap });
}

TEST_CASE("A system cancel or a reset abandons the drag", "[input]")
{
    GestureRecognizer recognizer;
    run(recognizer, Trace { { Down, 1, 0.5, 0.5, 0, Touch }, { Move, 1, 0.4, 0.5, 20, Touch } });
    CHECK(kinds(run(recognizer, Trace { { Kind::Cancel, 1, 0.4, 0.5, 30, Touch } })) == std::vector { G::Cancel });

    run(recognizer, Trace { { Down, 2, 0.5, 0.5, 100, Touch }, { Move, 2, 0.4, 0.5, 120, Touch } });
    CHECK(kinds(recognizer.reset(130)) == std::vector { G::Cancel });
    CHECK(recognizer.reset(140).empty());
    CHECK_FALSE(recognizer.next_deadline_ms().has_value());
}
