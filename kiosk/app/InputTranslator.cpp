#include "kiosk/app/InputTranslator.h"

#include <algorithm>

namespace kiosk::app {

using Kind = input::PointerEvent::Kind;
using Source = input::PointerEvent::Source;

InputTranslator::InputTranslator(input::Rotation rotation, render::ScreenSize logical, QuitKeys quit_keys)
    : m_rotation(rotation)
    , m_quit_keys(quit_keys)
    , m_gestures(gesture_config(logical))
    , m_logical(logical)
{
}

std::optional<show::TimeMs> InputTranslator::next_deadline_ms() const
{
    std::optional<show::TimeMs> deadline = m_gestures.next_deadline_ms();
    if (m_corner_press) {
        show::TimeMs const due = m_corner_press->since_ms + service_press_ms;
        if (!deadline || due < *deadline)
            deadline = due;
    }
    return deadline;
}

void InputTranslator::track_service_press(input::PointerEvent const& event)
{
    double const corner_px = service_corner_fraction * std::min(m_logical.width_px, m_logical.height_px);
    bool const in_corner = event.x * m_logical.width_px <= corner_px && event.y * m_logical.height_px <= corner_px;
    if (event.kind == Kind::Down) {
        if (in_corner)
            m_corner_press = CornerPress { event.finger_id, event.time_ms };
        else
            m_corner_press.reset(); // a second finger elsewhere: not the service gesture
        return;
    }
    if (m_corner_press && m_corner_press->finger_id == event.finger_id && (event.kind == Kind::Up || !in_corner))
        m_corner_press.reset();
}

input::GestureConfig InputTranslator::gesture_config(render::ScreenSize logical)
{
    input::GestureConfig config;
    config.height_over_width = double(logical.height_px) / std::max(1, logical.width_px);
    return config;
}

void InputTranslator::apply_gestures(
    std::vector<input::Gesture> const& gestures, show::TimeMs now_ms, InputTarget target, InputOutcome& out)
{
    for (auto const& gesture : gestures) {
        out.changed = true;
        if (gesture.kind == input::Gesture::Kind::Tap) {
            ControlTap const hit = handle_control_tap(gesture, target.controls, target.navigator, now_ms);
            if (hit == ControlTap::Language)
                out.switch_language = true;
            if (hit != ControlTap::None)
                continue;
        }
        if (gesture.kind == input::Gesture::Kind::DragStart)
            out.drag_started_ms = gesture.time_ms;
        apply(gesture, target.navigator, now_ms);
    }
}

void InputTranslator::pointer(Kind kind, Source source, std::int64_t id, double x_physical, double y_physical,
    show::TimeMs time_ms, InputTarget target, InputOutcome& out)
{
    input::NormalizedPoint const p = input::physical_to_logical({ x_physical, y_physical }, m_rotation);
    input::PointerEvent event;
    event.kind = kind;
    event.source = source;
    event.finger_id = id;
    event.x = p.x;
    event.y = p.y;
    event.time_ms = time_ms;
    track_service_press(event);
    apply_gestures(m_gestures.feed(event), target.now_ms, target, out);
}

void InputTranslator::event(SDL_Event const& event, show::TimeMs time_ms, InputTarget target, InputOutcome& out)
{
    switch (event.type) {
    case SDL_KEYDOWN:
        key(event.key.keysym.sym, target.now_ms, target, out);
        break;
    case SDL_FINGERDOWN:
    case SDL_FINGERMOTION:
    case SDL_FINGERUP: {
        Kind const kind = event.type == SDL_FINGERDOWN ? Kind::Down
            : event.type == SDL_FINGERUP               ? Kind::Up
                                                       : Kind::Move;
        pointer(kind, Source::Touch, std::int64_t(event.tfinger.fingerId), event.tfinger.x, event.tfinger.y, time_ms,
            target, out);
        break;
    }
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEMOTION: {
        // Mouse events SDL made up from a touch were already handled as the touch.
        if (event.motion.which == SDL_TOUCH_MOUSEID)
            break;
        bool const left = event.type == SDL_MOUSEMOTION || event.button.button == SDL_BUTTON_LEFT;
        if (!left || (event.type == SDL_MOUSEMOTION && !m_mouse_down))
            break;
        Kind const kind = event.type == SDL_MOUSEBUTTONDOWN ? Kind::Down
            : event.type == SDL_MOUSEBUTTONUP               ? Kind::Up
                                                            : Kind::Move;
        m_mouse_down = kind != Kind::Up;
        int const x = event.type == SDL_MOUSEMOTION ? event.motion.x : event.button.x;
        int const y = event.type == SDL_MOUSEMOTION ? event.motion.y : event.button.y;
        // Window coordinates may be in points on high-DPI screens: normalise by the window size.
        pointer(kind, Source::Mouse, input::PointerEvent::mouse_id,
            double(x) / std::max(1, target.pointer_space.width_px),
            double(y) / std::max(1, target.pointer_space.height_px), time_ms, target, out);
        break;
    }
    default:
        break;
    }
}

void InputTranslator::key(SDL_Keycode code, show::TimeMs now_ms, InputTarget target, InputOutcome& out)
{
    show::Navigator& navigator = target.navigator;
    navigator.note_activity(now_ms);
    switch (code) {
    case SDLK_RIGHT:
        navigator.go_next(now_ms);
        break;
    case SDLK_LEFT:
        navigator.go_previous(now_ms);
        break;
    case SDLK_SPACE:
        navigator.set_paused(!navigator.paused(), now_ms);
        break;
    case SDLK_l:
        out.switch_language = true;
        break;
    case SDLK_F12:
        out.toggle_service = true;
        break;
    case SDLK_ESCAPE:
    case SDLK_q:
        if (m_quit_keys == QuitKeys::Quit)
            out.quit = true;
        break;
    default:
        break;
    }
    out.changed = true;
}

void InputTranslator::tick(show::TimeMs now_ms, InputTarget target, InputOutcome& out)
{
    if (m_corner_press && now_ms >= m_corner_press->since_ms + service_press_ms) {
        m_corner_press.reset();
        out.toggle_service = true;
        out.changed = true;
    }
    apply_gestures(m_gestures.tick(now_ms), now_ms, target, out);
}

void InputTranslator::focus_lost(show::TimeMs now_ms, InputTarget target, InputOutcome& out)
{
    m_mouse_down = false;
    m_corner_press.reset();
    apply_gestures(m_gestures.reset(now_ms), now_ms, target, out);
}

void InputTranslator::resize(render::ScreenSize logical, show::TimeMs now_ms, InputTarget target, InputOutcome& out)
{
    focus_lost(now_ms, target, out);
    // The recognizer cancels only a touch it tracked; whatever else left the navigator dragging
    // must not freeze the show either.
    if (target.navigator.dragging())
        target.navigator.on_drag_cancel(now_ms);
    m_gestures = input::GestureRecognizer(gesture_config(logical));
    m_logical = logical;
    out.changed = true;
}

} // namespace kiosk::app
