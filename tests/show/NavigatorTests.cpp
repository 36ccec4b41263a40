#include "kiosk/show/Navigator.h"

#include <catch2/catch.hpp>
#include <vector>

using kiosk::show::Motion;
using kiosk::show::Navigator;
using kiosk::show::NavigatorConfig;
using kiosk::show::TimeMs;
using kiosk::show::ViewState;

namespace {

// Three slides of 8 s each, as a lobby playlist might be.
std::vector<int> const three_slides { 8000, 8000, 8000 };

// The loop between inputs: update and look every frame (16 ms) up to and including `to_ms`.
void run_frames(Navigator& navigator, TimeMs from_ms, TimeMs to_ms)
{
    for (TimeMs t = from_ms; t < to_ms; t += 16)
        navigator.update(t);
    navigator.update(to_ms);
}

// A visitor's drag: finger down at `start_ms`, moved to each dx in turn 16 ms apart, lifted at
// `velocity` widths/s. Returns when the finger lifted.
TimeMs drag(Navigator& navigator, TimeMs start_ms, std::vector<double> const& dxs, double velocity)
{
    TimeMs t = start_ms;
    navigator.update(t);
    navigator.on_drag_start(t);
    for (double dx : dxs) {
        t += 16;
        navigator.update(t);
        navigator.on_drag(dx, t);
    }
    t += 16;
    navigator.update(t);
    navigator.on_drag_end(velocity, t);
    return t;
}

bool still_on(Navigator const& navigator, TimeMs now_ms, int slide)
{
    ViewState const v = navigator.view(now_ms);
    return v.motion == Motion::Still && v.current == slide && !navigator.animating(now_ms);
}

} // namespace

TEST_CASE("Each slide stands for its duration, then fades to the next", "[show]")
{
    Navigator navigator(three_slides, 0);
    run_frames(navigator, 0, 7999);
    CHECK(still_on(navigator, 7999, 0));
    CHECK(navigator.next_deadline_ms(7999) == 8000);

    navigator.update(8000);
    CHECK(navigator.view(8000).motion == Motion::Fade);
    CHECK(navigator.view(8000).next == 1);
    CHECK(navigator.view(8400).progress == Approx(0.5));
    run_frames(navigator, 8000, 8800);
    CHECK(still_on(navigator, 8800, 1));
    CHECK(navigator.cycle_count() == 0);
}

TEST_CASE("A slide follows the finger and a swipe left shows the next slide", "[show]")
{
    Navigator navigator(three_slides, 0);
    navigator.update(1000);
    navigator.on_drag_start(1000);
    navigator.on_drag(-0.2, 1016);
    ViewState v = navigator.view(1016);
    CHECK(v.motion == Motion::Slide);
    CHECK(v.offset == Approx(-0.2));
    CHECK(v.next == 1); // coming in from the right
    CHECK(navigator.animating(1016));

    navigator.on_drag(-0.35, 1032);
    navigator.on_drag_end(-1.5, 1048);
    // It keeps moving the same way from where the finger left it, and lands within 350 ms.
    v = navigator.view(1064);
    CHECK(v.offset < -0.35);
    CHECK(v.next == 1);
    run_frames(navigator, 1048, 1048 + 350);
    CHECK(still_on(navigator, 1398, 1));
}

TEST_CASE("A slow drag let go before the middle puts the slide back", "[show]")
{
    Navigator navigator(three_slides, 0);
    TimeMs const lifted = drag(navigator, 1000, { -0.05, -0.1, -0.2, -0.3, -0.4, -0.45 }, -0.1);
    ViewState v = navigator.view(lifted + 50);
    CHECK(v.motion == Motion::Slide);
    CHECK(v.offset > -0.45);
    CHECK(v.offset < 0.0);
    run_frames(navigator, lifted, lifted + 350);
    CHECK(still_on(navigator, lifted + 350, 0));
    // The visitor touched it: the slide gets its full time again from when it settled.
    CHECK(navigator.next_deadline_ms(lifted + 350).value() >= lifted + 8000);
}

TEST_CASE("A slow drag let go past the middle turns the page", "[show]")
{
    Navigator navigator(three_slides, 0);
    TimeMs const lifted = drag(navigator, 1000, { -0.2, -0.4, -0.55 }, 0.0);
    run_frames(navigator, lifted, lifted + 350);
    CHECK(still_on(navigator, lifted + 350, 1));
}

TEST_CASE("A fast short flick turns the page", "[show]")
{
    Navigator navigator(three_slides, 0);
    TimeMs const lifted = drag(navigator, 1000, { -0.03, -0.08 }, -1.2);
    run_frames(navigator, lifted, lifted + 350);
    CHECK(still_on(navigator, lifted + 350, 1));
}

TEST_CASE("A flick back against the drag puts the slide back even past the middle", "[show]")
{
    Navigator navigator(three_slides, 0);
    TimeMs const lifted = drag(navigator, 1000, { -0.3, -0.6, -0.7 }, +0.9);
    run_frames(navigator, lifted, lifted + 350);
    CHECK(still_on(navigator, lifted + 350, 0));
}

TEST_CASE("The settle is quicker for a short remaining distance and never outside 150-350 ms", "[show]")
{
    Navigator navigator(three_slides, 0);
    TimeMs lifted = drag(navigator, 1000, { -0.5, -0.9 }, 0.0);
    navigator.update(lifted + 149);
    CHECK(navigator.animating(lifted + 149));
    navigator.update(lifted + 150);
    CHECK(still_on(navigator, lifted + 150, 1));

    lifted = drag(navigator, lifted + 1000, { -0.05 }, -0.6); // a slow flick from nearly the start: 0.95 to go
    navigator.update(lifted + 330);
    CHECK(navigator.animating(lifted + 330));
    navigator.update(lifted + 350);
    CHECK(still_on(navigator, lifted + 350, 2));
}

TEST_CASE("Dragging right from the first slide reveals the last one", "[show]")
{
    Navigator navigator(three_slides, 0);
    navigator.on_drag_start(1000);
    navigator.on_drag(0.3, 1016);
    ViewState const v = navigator.view(1016);
    CHECK(v.offset == Approx(0.3));
    CHECK(v.next == 2); // coming in from the left
    navigator.on_drag(0.6, 1032);
    navigator.on_drag_end(0.0, 1048);
    run_frames(navigator, 1048, 1400);
    CHECK(still_on(navigator, 1400, 2));
    CHECK(navigator.cycle_count() == 0); // going backwards is not a pass through the playlist
}

TEST_CASE("A finger changing sides mid-drag swaps the slide coming in", "[show]")
{
    Navigator navigator(three_slides, 0);
    navigator.on_drag_start(1000);
    navigator.on_drag(-0.1, 1016);
    CHECK(navigator.view(1016).next == 1);
    navigator.on_drag(0.1, 1032);
    CHECK(navigator.view(1032).next == 2);
    navigator.on_drag(0.0, 1048);
    CHECK(navigator.view(1048).next == -1);
    navigator.on_drag(-2.0, 1064); // the finger ran off the screen: the next slide is fully in, no further
    CHECK(navigator.view(1064).offset == -1.0);
}

TEST_CASE("The show counts a pass each time it wraps to the first slide", "[show]")
{
    Navigator navigator(three_slides, 0);
    run_frames(navigator, 0, 3 * 8800);
    CHECK(still_on(navigator, 3 * 8800, 0));
    CHECK(navigator.cycle_count() == 1);

    SECTION("also when a visitor swipes past the last slide")
    {
        TimeMs t = 30'000;
        for (int i = 0; i < 3; ++i)
            t = drag(navigator, t, { -0.1, -0.3 }, -1.0) + 400;
        navigator.update(t);
        CHECK(still_on(navigator, t, 0));
        CHECK(navigator.cycle_count() == 2);
    }
    SECTION("but not when a visitor peeks back over the seam and returns")
    {
        TimeMs t = drag(navigator, 30'000, { 0.1, 0.3 }, 1.0) + 400;
        navigator.update(t);
        CHECK(still_on(navigator, t, 2));
        t = drag(navigator, t, { -0.1, -0.3 }, -1.0) + 400;
        navigator.update(t);
        CHECK(still_on(navigator, t, 0));
        CHECK(navigator.cycle_count() == 1);
    }
}

TEST_CASE("Nothing advances on its own while a finger holds the slide", "[show]")
{
    Navigator navigator(three_slides, 0);
    navigator.update(7000);
    navigator.on_drag_start(7000);
    for (TimeMs t = 7016; t <= 30'000; t += 16) {
        navigator.on_drag(-0.2, t); // a finger resting: the panel keeps reporting the same point
        navigator.update(t);
    }
    ViewState const v = navigator.view(30'000);
    CHECK(v.current == 0);
    CHECK(v.motion == Motion::Slide);
    CHECK(v.offset == Approx(-0.2));
}

TEST_CASE("A tap pauses, the slide stays long past its duration, and a second tap resumes", "[show]")
{
    NavigatorConfig config;
    config.idle_timeout_ms = 15 * 60'000; // a staffed stand: long idle timeout, so the pause holds
    Navigator navigator(three_slides, 0, config);
    navigator.update(3000);
    navigator.on_tap(3000);
    CHECK(navigator.view(3000).paused);

    run_frames(navigator, 3000, 10 * 60'000);
    CHECK(still_on(navigator, 10 * 60'000, 0));
    CHECK(navigator.view(10 * 60'000).paused);

    TimeMs const resumed = 10 * 60'000 + 5;
    navigator.on_tap(resumed);
    CHECK_FALSE(navigator.view(resumed).paused);
    // The resumed slide gets its full duration, not the rest of it.
    run_frames(navigator, resumed, resumed + 7999);
    CHECK(still_on(navigator, resumed + 7999, 0));
    navigator.update(resumed + 8000);
    CHECK(navigator.view(resumed + 8000).motion == Motion::Fade);
}

TEST_CASE("A paused show resumes by itself when the visitor has gone, and asks for the idle reset", "[show]")
{
    Navigator navigator(three_slides, 0); // default idle timeout: 45 s
    navigator.update(2000);
    navigator.on_tap(2000);
    CHECK(navigator.next_deadline_ms(2000) == 47'000);

    run_frames(navigator, 2000, 46'999);
    CHECK(still_on(navigator, 46'999, 0));
    CHECK(navigator.view(46'999).paused);
    CHECK_FALSE(navigator.take_idle_reset());

    navigator.update(47'000);
    CHECK_FALSE(navigator.view(47'000).paused);
    CHECK(navigator.take_idle_reset());
    CHECK_FALSE(navigator.take_idle_reset()); // reported once
    CHECK(navigator.next_deadline_ms(47'000) == 55'000);
    run_frames(navigator, 47'000, 55'000 + 800);
    CHECK(still_on(navigator, 55'800, 1));
}

TEST_CASE("Any input restarts the idle countdown, and without input there is no idle reset", "[show]")
{
    Navigator navigator(three_slides, 0);
    run_frames(navigator, 0, 120'000);
    CHECK_FALSE(navigator.take_idle_reset());

    drag(navigator, 120'000, { -0.1, -0.4 }, -1.0);
    navigator.note_activity(150'000); // e.g. the language button
    run_frames(navigator, 120'100, 194'999);
    CHECK_FALSE(navigator.take_idle_reset());
    navigator.update(195'000);
    CHECK(navigator.take_idle_reset());
}

TEST_CASE("A finger stuck on the glass cannot freeze the show", "[show]")
{
    Navigator navigator(three_slides, 0);
    navigator.on_drag_start(1000);
    navigator.on_drag(-0.3, 1016);
    run_frames(navigator, 1016, 46'016);
    CHECK_FALSE(navigator.dragging());
    CHECK(navigator.take_idle_reset());
    run_frames(navigator, 46'016, 46'400);
    CHECK(still_on(navigator, 46'400, 0));
    // Later movement of the stuck touch is not a drag any more.
    navigator.on_drag(-0.8, 46'500);
    CHECK(still_on(navigator, 46'500, 0));
}

TEST_CASE("Grabbing a slide mid-transition catches it where it is", "[show]")
{
    Navigator navigator(three_slides, 0);
    SECTION("two quick flicks travel two slides")
    {
        TimeMs t = drag(navigator, 1000, { -0.1, -0.3 }, -2.0);
        t += 100; // the first settle is still under way when the finger comes back
        navigator.update(t);
        REQUIRE(navigator.animating(t));
        t = drag(navigator, t, { -0.1, -0.3 }, -2.0);
        run_frames(navigator, t, t + 400);
        CHECK(still_on(navigator, t + 400, 2));
    }
    SECTION("an automatic fade snaps to the slide that shows more")
    {
        navigator.update(8000);
        navigator.update(8600); // three quarters through the fade
        navigator.on_drag_start(8600);
        CHECK(navigator.view(8600).current == 1);
        CHECK(navigator.view(8600).offset == 0.0);
    }
}

TEST_CASE("Keys and dots still work, also in quick succession", "[show]")
{
    Navigator navigator(three_slides, 0);
    navigator.go_next(1000);
    navigator.go_next(1100); // pressed again mid-slide: lands two slides on, not on itself
    run_frames(navigator, 1100, 1500);
    CHECK(still_on(navigator, 1500, 2));

    navigator.go_previous(2000);
    CHECK(navigator.view(2100).offset > 0.0); // the slide moves right, the previous comes from the left
    run_frames(navigator, 2000, 2400);
    CHECK(still_on(navigator, 2400, 1));

    navigator.jump_to(0, 3000);
    CHECK(navigator.view(3100).motion == Motion::Fade);
    run_frames(navigator, 3000, 3400);
    CHECK(still_on(navigator, 3400, 0));
    CHECK(navigator.cycle_count() == 0);
}

TEST_CASE("A one-slide show gives a little under the finger and springs back", "[show]")
{
    Navigator navigator({ 8000 }, 0);
    navigator.on_drag_start(1000);
    navigator.on_drag(-0.5, 1016);
    ViewState const v = navigator.view(1016);
    CHECK(v.offset < 0.0);
    CHECK(v.offset > -0.2);
    CHECK(v.next == -1);
    navigator.on_drag_end(-3.0, 1032);
    run_frames(navigator, 1032, 1400);
    CHECK(still_on(navigator, 1400, 0));
}

TEST_CASE("The loop can sleep until next_deadline_ms and never misses anything", "[show]")
{
    // Drive the loop the way the app does: render every frame while animating, else sleep until the
    // deadline. A copy of the navigator woken 1 ms before each deadline shows nothing would have
    // happened earlier; waking at the deadline shows something does.
    Navigator navigator(std::vector<int> { 5000, 12'000, 3000 }, 0);
    struct Input {
        TimeMs at_ms;
        enum class What { Tap, Swipe } what;
    };
    std::vector<Input> const inputs { { 20'000, Input::What::Tap }, { 30'000, Input::What::Swipe },
        { 90'000, Input::What::Tap }, { 95'000, Input::What::Tap } };
    std::size_t next_input = 0;
    int wakes_with_nothing_to_do = 0;
    TimeMs t = 0;
    while (t < 400'000) {
        if (next_input < inputs.size() && t >= inputs[next_input].at_ms) {
            if (inputs[next_input].what == Input::What::Tap)
                navigator.on_tap(t);
            else
                drag(navigator, t, { -0.2, -0.4 }, -1.0);
            ++next_input;
        }
        navigator.update(t);
        navigator.take_idle_reset();
        auto const deadline = navigator.next_deadline_ms(t);
        REQUIRE(deadline.has_value()); // a rotating show always has something coming
        REQUIRE(*deadline >= t);
        if (navigator.animating(t)) {
            REQUIRE(*deadline == t);
            t += 16;
            continue;
        }
        TimeMs wake = *deadline;
        if (next_input < inputs.size())
            wake = std::min(wake, inputs[next_input].at_ms);
        if (wake == *deadline) {
            Navigator early = navigator;
            early.update(wake - 1);
            CHECK(still_on(early, wake - 1, navigator.current()));
            CHECK(early.paused() == navigator.paused());
            CHECK_FALSE(early.take_idle_reset());

            Navigator on_time = navigator;
            on_time.update(wake);
            if (!on_time.animating(wake) && !on_time.take_idle_reset())
                ++wakes_with_nothing_to_do;
        }
        t = wake;
    }
    CHECK(wakes_with_nothing_to_do == 0);
    CHECK(navigator.cycle_count() > 10);
}

TEST_CASE("next_deadline_ms is empty only when nothing will ever happen on its own", "[show]")
{
    SECTION("a one-slide show nobody touched")
    {
        Navigator navigator({ 8000 }, 0);
        CHECK_FALSE(navigator.next_deadline_ms(1000).has_value());
        navigator.on_tap(2000); // now the idle timeout is pending
        CHECK(navigator.next_deadline_ms(2000) == 47'000);
        navigator.update(47'000);
        CHECK(navigator.take_idle_reset());
        CHECK_FALSE(navigator.next_deadline_ms(47'000).has_value());
    }
    SECTION("paused with the idle timeout switched off")
    {
        NavigatorConfig config;
        config.idle_timeout_ms = 0;
        Navigator navigator(three_slides, 0, config);
        navigator.on_tap(1000);
        CHECK_FALSE(navigator.next_deadline_ms(1000).has_value());
    }
    SECTION("a deadline the loop overslept is now, not in the past")
    {
        Navigator navigator(three_slides, 0);
        CHECK(navigator.next_deadline_ms(9000) == 9000);
    }
    SECTION("an empty show")
    {
        Navigator navigator({}, 0);
        navigator.update(1000);
        CHECK(navigator.view(1000).motion == Motion::Still);
        CHECK_FALSE(navigator.next_deadline_ms(1000).has_value());
    }
}

TEST_CASE("A new pack starts at its first slide and drops the drag", "[show]")
{
    Navigator navigator(three_slides, 0);
    navigator.on_drag_start(1000);
    navigator.on_drag(-0.3, 1016);
    navigator.reset({ 4000, 4000 }, 2000);
    CHECK(still_on(navigator, 2000, 0));
    navigator.on_drag(-0.5, 2016);
    CHECK(still_on(navigator, 2016, 0));
    CHECK(navigator.next_deadline_ms(2016) == 6000);
}
