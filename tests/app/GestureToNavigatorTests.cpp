#include "kiosk/app/GestureToNavigator.h"
#include "kiosk/input/GestureRecognizer.h"
#include "kiosk/show/Navigator.h"

#include <catch2/catch.hpp>
#include <vector>

using kiosk::app::apply;
using kiosk::input::GestureRecognizer;
using kiosk::input::PointerEvent;
using kiosk::show::Motion;
using kiosk::show::Navigator;

namespace {

constexpr auto Down = PointerEvent::Kind::Down;
constexpr auto Move = PointerEvent::Kind::Move;
constexpr auto Up = PointerEvent::Kind::Up;
constexpr auto Touch = PointerEvent::Source::Touch;

// The app's loop in miniature: each event goes through the recognizer into the navigator, with
// the navigator updated at the event's time (the app would use its loop clock; same base).
struct Kiosk {
    GestureRecognizer recognizer;
    Navigator navigator { std::vector<int> { 8000, 8000, 8000 }, 0 };

    void play(std::vector<PointerEvent> const& trace)
    {
        for (auto const& event : trace) {
            navigator.update(event.time_ms);
            for (auto const& gesture : recognizer.feed(event))
                apply(gesture, navigator, event.time_ms);
        }
    }
    void wait_until(kiosk::show::TimeMs to_ms, kiosk::show::TimeMs from_ms)
    {
        for (auto t = from_ms; t <= to_ms; t += 16) {
            for (auto const& gesture : recognizer.tick(t))
                apply(gesture, navigator, t);
            navigator.update(t);
        }
    }
};

} // namespace

TEST_CASE("A visitor flicks left and the next slide is shown", "[input]")
{
    Kiosk kiosk;
    kiosk.play({
        { Down, 1, 0.70, 0.5, 1000, Touch },
        { Move, 1, 0.67, 0.5, 1010, Touch },
        { Move, 1, 0.63, 0.5, 1020, Touch },
        { Up, 1, 0.58, 0.5, 1030, Touch },
    });
    CHECK(kiosk.navigator.view(1030).offset == Approx(-0.12));
    kiosk.wait_until(1400, 1030);
    CHECK(kiosk.navigator.current() == 1);
    CHECK(kiosk.navigator.view(1400).motion == Motion::Still);
}

TEST_CASE("A visitor taps to pause and taps again to resume", "[input]")
{
    Kiosk kiosk;
    kiosk.play({ { Down, 1, 0.5, 0.5, 1000, Touch }, { Up, 1, 0.5, 0.5, 1080, Touch } });
    CHECK(kiosk.navigator.view(1080).paused);
    kiosk.play({ { Down, 1, 0.5, 0.5, 3000, Touch }, { Up, 1, 0.5, 0.5, 3080, Touch } });
    CHECK_FALSE(kiosk.navigator.view(3080).paused);
}

TEST_CASE("A vertical drag does not turn the page, and a long press only keeps the visitor active", "[input]")
{
    Kiosk kiosk;
    kiosk.play({
        { Down, 1, 0.50, 0.20, 1000, Touch },
        { Move, 1, 0.52, 0.40, 1020, Touch },
        { Move, 1, 0.54, 0.60, 1040, Touch },
        { Up, 1, 0.55, 0.80, 1060, Touch },
    });
    CHECK(kiosk.navigator.view(1060).motion == Motion::Still);
    kiosk.play({ { Down, 1, 0.5, 0.5, 2000, Touch } });
    kiosk.wait_until(2700, 2000);
    kiosk.play({ { Up, 1, 0.5, 0.5, 2700, Touch } });
    CHECK_FALSE(kiosk.navigator.view(2700).paused);
    CHECK(kiosk.navigator.next_deadline_ms(2700) == 8000);
    kiosk.wait_until(47'500, 2700);
    CHECK_FALSE(kiosk.navigator.take_idle_reset()); // the long press at 2.6 s counted as activity
    kiosk.wait_until(47'700, 47'500);
    CHECK(kiosk.navigator.take_idle_reset());
}

TEST_CASE("A palm landing mid-drag puts the slide back", "[input]")
{
    Kiosk kiosk;
    kiosk.play({
        { Down, 1, 0.80, 0.5, 1000, Touch },
        { Move, 1, 0.60, 0.5, 1020, Touch },
        { Move, 1, 0.20, 0.5, 1040, Touch },
        { Down, 2, 0.25, 0.6, 1050, Touch },
        { Down, 3, 0.30, 0.7, 1052, Touch },
    });
    CHECK_FALSE(kiosk.navigator.dragging());
    kiosk.wait_until(1500, 1052);
    CHECK(kiosk.navigator.current() == 0);
}
