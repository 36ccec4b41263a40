#pragma once

// InputTranslator: the one unit that turns SDL input events into the slideshow's actions, as
// imgui_impl_sdl2 turns them into ImGui calls. Touches (normalised to the panel) and the left mouse
// button (window coordinates, normalised by the window size) become input::PointerEvents, turned
// upright through input::physical_to_logical, then gestures (GestureRecognizer), then on-screen
// control taps or navigator actions (GestureToNavigator.h). Keys page, pause, switch the language
// or quit; F12 or a press held service_press_ms in the top-left corner (logical, as the visitor sees
// it) opens or closes the service overlay. SDL's mouse events synthesised from touches are dropped, so one finger
// counts once.
//
// It never reads a clock: each event comes with its time on the loop's clock, and tick(now) lets
// long presses and stale pointers time out. Owns the gesture recognizer; main thread only.

#include "kiosk/app/GestureToNavigator.h"
#include "kiosk/input/GestureRecognizer.h"
#include "kiosk/input/Rotation.h"
#include "kiosk/render/SlideComposer.h"

namespace kiosk::app {

// What the event asks of the loop beyond what was done to the navigator.
struct InputOutcome {
    bool changed { false }; // the picture may differ: draw a frame
    bool switch_language { false }; // the language button or the L key
    bool quit { false }; // Esc or Q outside kiosk mode
    bool toggle_service { false }; // F12, or a 5 s press in the top-left corner
    std::optional<show::TimeMs> drag_started_ms; // for the event-to-photon log line
};

// Where the input lands: the navigator, the controls on screen, the window's pointer space, and
// the loop's time of this turn (the navigator is driven on the loop's clock; the recognizer on the
// events' own times).
struct InputTarget {
    show::TimeMs now_ms;
    show::Navigator& navigator;
    OnScreenControls const& controls;
    render::ScreenSize pointer_space;
};

enum class QuitKeys {
    Quit, // Esc and Q quit (a window on a desk)
    Ignored, // kiosk mode: the public must not end the show
};

class InputTranslator {
public:
    InputTranslator(input::Rotation rotation, render::ScreenSize logical, QuitKeys quit_keys);

    // One SDL input event that happened at time_ms (key, touch, mouse); other types are ignored.
    void event(SDL_Event const& event, show::TimeMs time_ms, InputTarget target, InputOutcome& out);
    void key(SDL_Keycode code, show::TimeMs now_ms, InputTarget target, InputOutcome& out);
    // Time-driven gestures: long press, stale pointer.
    void tick(show::TimeMs now_ms, InputTarget target, InputOutcome& out);
    // When tick() could next produce a gesture.
    std::optional<show::TimeMs> next_deadline_ms() const;

    static constexpr show::TimeMs service_press_ms = 5'000;
    // The corner is a square of this fraction of the shorter side (130 px at 1080p).
    static constexpr double service_corner_fraction = 0.12;

    // The window lost focus: a drag in progress is cancelled and the slide settles back.
    void focus_lost(show::TimeMs now_ms, InputTarget target, InputOutcome& out);
    // The display changed size: a drag in progress is cancelled (the navigator leaves Dragging,
    // so auto-advance and update activation carry on) and distances use the new aspect ratio.
    void resize(render::ScreenSize logical, show::TimeMs now_ms, InputTarget target, InputOutcome& out);

private:
    void pointer(input::PointerEvent::Kind kind, input::PointerEvent::Source source, std::int64_t id, double x_physical,
        double y_physical, show::TimeMs time_ms, InputTarget target, InputOutcome& out);
    void apply_gestures(
        std::vector<input::Gesture> const& gestures, show::TimeMs now_ms, InputTarget target, InputOutcome& out);
    static input::GestureConfig gesture_config(render::ScreenSize logical);
    void track_service_press(input::PointerEvent const& event);

    struct CornerPress {
        std::int64_t finger_id;
        show::TimeMs since_ms;
    };

    input::Rotation m_rotation;
    QuitKeys m_quit_keys;
    input::GestureRecognizer m_gestures;
    bool m_mouse_down { false };
    render::ScreenSize m_logical;
    std::optional<CornerPress> m_corner_press;
};

} // namespace kiosk::app
