#pragma once

// VirtualWindow: a Window on virtual time, for `kiosk --script` and tests. It draws and presents
// through the window it wraps (headless or a real one) but takes its events from inject() and its
// time from a FakeClock: wait_until(deadline) jumps the clock to the deadline (or to the end of the
// current script step, whichever is first) instead of sleeping. The loop's own deadline
// computation therefore runs unchanged, and a still slide costs one jump, not real time.
//
// Counters say what the loop did (frames presented, jumps and the virtual time they covered), so
// a test can check that a still slide slept until its deadline. Main thread only.

#include "kiosk/app/Window.h"

#include <deque>

namespace kiosk::app {

class VirtualWindow final : public Window {
public:
    VirtualWindow(std::unique_ptr<Window> output, FakeClock& clock);

    // Queues an event stamped with the virtual clock's now.
    void inject(SDL_Event const& event);
    // wait_until never jumps past this (the end of the running script step).
    void set_horizon(TimeMs horizon_ms) { m_horizon_ms = horizon_ms; }

    SDL_Renderer* renderer() const override { return m_output->renderer(); }
    render::ScreenSize output_size() const override { return m_output->output_size(); }
    render::ScreenSize pointer_space() const override { return m_output->pointer_space(); }
    bool vsync() const override { return false; } // virtual time does not wait for a blank
    void present() override;
    TimeMs now_ms() const override { return m_clock.now_ms(); }
    std::vector<TimedEvent> poll(TimeMs now_ms) override;
    void wait_until(TimeMs deadline_ms) override;
    bool time_is_virtual() const override { return true; }

    struct Stats {
        std::uint64_t presents { 0 };
        std::uint64_t jumps { 0 }; // wait_until calls that moved the clock
        std::uint64_t jumped_ms { 0 };
        std::uint64_t longest_jump_ms { 0 };
    };
    Stats const& stats() const { return m_stats; }

private:
    std::unique_ptr<Window> m_output;
    FakeClock& m_clock;
    std::deque<TimedEvent> m_events;
    TimeMs m_horizon_ms { 0 };
    Stats m_stats;
};

} // namespace kiosk::app
