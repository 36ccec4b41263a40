#include "kiosk/app/Display.h"

#include "kiosk/app/InputTranslator.h"
#include "kiosk/app/LoopHealth.h"
#include "kiosk/app/Screen.h"
#include "kiosk/app/ServiceOverlay.h"
#include "kiosk/app/ShowState.h"
#include "kiosk/app/SlideStage.h"
#include "kiosk/app/StatusFile.h"
#include "kiosk/app/UpdateUi.h"
#include "kiosk/update/Minisign.h"
#include "platform/Log.h"
#include "platform/SystemdNotify.h"
#include "platform/WallClock.h"

#include <algorithm>
#include <climits>
#include <sys/statvfs.h>
#include <unistd.h>

namespace kiosk::app {

namespace {

// Never draw faster than ~60 Hz, whatever the driver says about vsync: some drivers report vsync
// and then do not block in present (seen with SDL's offscreen GL), and an animation would spin.
constexpr TimeMs min_frame_ms = 15;
constexpr TimeMs frame_ms_without_vsync = 16;

bool same_picture(show::ViewState const& a, show::ViewState const& b)
{
    return a.current == b.current && a.next == b.next && a.motion == b.motion && a.progress == b.progress
        && a.offset == b.offset && a.paused == b.paused;
}

std::string device_name(Config const& config)
{
    if (!config.device_id.empty())
        return config.device_id;
    char name[HOST_NAME_MAX + 1] = {};
    return ::gethostname(name, HOST_NAME_MAX) == 0 && name[0] ? std::string(name) : std::string("kiosk");
}

char const* window_mode_name(WindowMode mode)
{
    switch (mode) {
    case WindowMode::Fullscreen:
        return "fullscreen";
    case WindowMode::Windowed:
        return "windowed";
    case WindowMode::Headless:
        return "headless";
    }
    return "?";
}

// The trusted keys as the importer will see them: every *.pub in keys_dir, by key id.
void read_key_ids(std::filesystem::path const& keys_dir, ServiceFacts& facts)
{
    std::error_code error;
    for (auto const& entry : std::filesystem::directory_iterator(keys_dir, error)) {
        if (entry.path().extension() != ".pub")
            continue;
        if (auto key = update::load_public_key(entry.path()))
            facts.key_ids.push_back(update::key_id_hex(key->key_id));
        else
            facts.key_problems.push_back(key.message());
    }
    std::sort(facts.key_ids.begin(), facts.key_ids.end());
    if (error)
        facts.key_problems.push_back(keys_dir.string() + ": " + error.message());
}

} // namespace

// Declaration order is destruction order, reversed: the updater thread, the loader thread and
// every texture go before the fonts; the window (not owned) outlives all of it.
struct Display::State {
    Config const& config;
    Window& window;
    std::unique_ptr<text::FontSet> fonts; // the main thread's: toast, language labels, fallback
    Screen screen;
    std::unique_ptr<SlideStage> slides;
    std::unique_ptr<InputTranslator> input;
    UpdateUi updates { screen };
    ServiceOverlay service { screen, *fonts };
    FrameStats frame_stats;
    StatusFile status { config.status_file,
        config.status_file == Config {}.status_file ? StatusFile::Origin::Default : StatusFile::Origin::Configured };
    LoopHealth health { systemd::watchdog_interval_ms() };
    std::optional<update::Store> store;
    bool from_store { false }; // the pack on screen is the store's: its health is reported
    std::function<void(update::Store&)> clean_exit_hook;
    std::unique_ptr<ShowState> show;

    std::optional<show::ViewState> last_drawn;
    TimeMs last_present_ms { 0 };
    bool dirty { true };
    bool held { false }; // a transition waits for its incoming slide
    bool quit { false };
    TimeMs started_ms { 0 };
    std::optional<TimeMs> drag_started_ms; // the drag that has not reached the screen yet
    std::uint64_t drag_started_frame { 0 };

    State(Config const& c, Window& w, std::unique_ptr<text::FontSet> f)
        : config(c)
        , window(w)
        , fonts(std::move(f))
        , screen(w, *fonts, input::rotation_from_degrees(c.rotation_degrees).value_or(input::Rotation::R0))
    {
    }

    // Runs one input action with what it needs, then takes in what it asks of the loop.
    template<class Action>
    void with_input(TimeMs now, Action action)
    {
        OnScreenControls const controls = screen.controls(show->slide_count(), show->language_button().has_value());
        InputOutcome out;
        action(InputTarget { now, show->navigator(), controls, window.pointer_space() }, out);
        dirty |= out.changed;
        if (out.switch_language)
            show->switch_language();
        if (out.toggle_service) {
            service.toggle(now);
            log::info("app", service.is_open() ? "service overlay opened" : "service overlay closed");
        }
        if (out.quit)
            quit = true;
        if (out.drag_started_ms) {
            drag_started_ms = out.drag_started_ms;
            drag_started_frame = health.frames();
        }
    }

    // Everything that depends on the output size. Fonts, the loader thread and the show stay;
    // a drag in progress is cancelled so the show never stays stuck in Dragging.
    void resize(TimeMs now)
    {
        if (auto rebuilt = screen.rebuild(); !rebuilt)
            log::error("app", rebuilt.message());
        slides->resize(screen.logical());
        with_input(
            now, [&](InputTarget target, InputOutcome& out) { input->resize(screen.logical(), now, target, out); });
        updates.screen_rebuilt(now);
        service.screen_rebuilt();
        last_drawn.reset();
        dirty = true;
    }

    // A verified pack replaces the show at a slide boundary (UpdateUi::activation_due).
    void activate_pending(TimeMs now, bool advancing)
    {
        show::Navigator const& navigator = show->navigator();
        if (navigator.dragging()
            || !updates.activation_due(now, advancing, show->slide_count() >= 2, navigator.paused()))
            return;
        show->activate(updates.take_pending(now), now);
        from_store = true;
        slides->forget_before(show->generation());
        health.content_started(show->durations(), store.has_value(), now);
        last_drawn.reset();
    }

    // What the service overlay and the status file show.
    ServiceFacts gather(TimeMs now) const
    {
        ServiceFacts f;
        f.device_id = device_name(config);
        f.app_version = KIOSK_VERSION;
        content::Pack const* pack = show->pack();
        f.content_source = !pack ? "no content"
            : from_store         ? "data directory"
            : config.pack        ? "--pack " + config.pack->string()
                                 : "built-in pack";
        if (pack)
            f.showing = PackFacts { pack->meta.pack_id, pack->meta.version, int(pack->slides.size()) };
        if (!store) {
            f.store_problem = config.pack ? "not used (--pack)" : "the data directory is not open (see the log)";
        } else if (auto state = store->read_state(); !state) {
            f.store_problem = state.message();
        } else {
            auto facts_of = [&](std::optional<update::StoredPack> const& stored) -> std::optional<PackFacts> {
                if (!stored)
                    return std::nullopt;
                bool const on_screen = pack && from_store && stored->pack_id == pack->meta.pack_id
                    && stored->version == pack->meta.version;
                return PackFacts { stored->pack_id, stored->version, on_screen ? int(pack->slides.size()) : -1 };
            };
            f.installed = facts_of(state->current);
            f.previous = facts_of(state->previous);
        }
        f.data_dir = config.data_dir.string();
        // The file system the data directory is (or will be) on: its nearest existing ancestor.
        for (std::filesystem::path at = config.data_dir; !at.empty(); at = at.parent_path()) {
            if (struct statvfs fs {}; ::statvfs(at.c_str(), &fs) == 0) {
                f.free_bytes = std::uint64_t(fs.f_bavail) * fs.f_frsize;
                break;
            }
            if (at == at.parent_path())
                break;
        }
        f.log_lines = log::recent_lines(ServiceOverlay::log_lines);
        f.last_import = updates.last_result();
        f.keys_dir = config.keys_dir.string();
        read_key_ids(config.keys_dir, f);
        f.display_mode = window_mode_name(config.window);
        f.width_px = screen.physical().width_px;
        f.height_px = screen.physical().height_px;
        f.rotation_degrees = input::degrees_clockwise(screen.rotation());
        if (SDL_RendererInfo info {}; SDL_GetRendererInfo(window.renderer(), &info) == 0 && info.name)
            f.renderer = std::string(info.name) + (window.vsync() ? " (vsync)" : "");
        f.uptime_ms = now - std::min(now, started_ms);
        f.frames = health.frames();
        f.frame_p50_ms = frame_stats.percentile_ms(50);
        f.frame_p99_ms = frame_stats.percentile_ms(99);
        f.last_transition_fps = frame_stats.last_transition_fps();
        f.config_warnings = config.warnings;
        return f;
    }

    // A display came back (HDMI re-plugged, TV power-cycled) or the device was reset: every
    // texture may be gone, and the output size may have changed.
    void rebuild_everything(TimeMs now)
    {
        slides->on_device_reset();
        resize(now);
    }

    void draw(show::ViewState const& view, TimeMs now)
    {
        render::Overlay overlay;
        overlay.slide_count = show->slide_count();
        updates.fill_overlay(overlay, now);
        screen.set_service_panel(service.texture());
        if (!slides->draw(show->source(), view, show->navigator().transitioning(), overlay, show->language_button()))
            return; // nothing to show yet (a reset mid-transition): try again next turn
        last_present_ms = now;
        last_drawn = view;
        dirty = false;
        health.frame_presented(view, now);
        frame_stats.presented(now, view.motion != show::Motion::Still || updates.animating(now));
        updates.frame_drawn(now);
        if (drag_started_ms && view.motion == show::Motion::Slide) {
            // Event-to-photon within our process: from the event's time to the turn that presented
            // the first frame showing the slide moved (docs/performance.md).
            log::debug("input",
                "first moved frame " + std::to_string(health.frames() - drag_started_frame) + " frame(s), "
                    + std::to_string(now - std::min(now, *drag_started_ms)) + " ms after the drag began");
            drag_started_ms.reset();
        }
    }
};

Display::Display(std::unique_ptr<State> state)
    : m(std::move(state))
{
}

Display::~Display() = default;

Result<std::unique_ptr<Display>> Display::create(Config const& config, Window& window, TimeMs now)
{
    auto fonts = text::FontSet::open(config.assets_dir / "fonts");
    if (!fonts)
        return fonts.error();
    auto loader_fonts = text::FontSet::open(config.assets_dir / "fonts"); // SDL_ttf is not thread-safe
    if (!loader_fonts)
        return loader_fonts.error();
    auto s = std::make_unique<State>(config, window, std::make_unique<text::FontSet>(std::move(fonts.value())));
    KIOSK_TRY(s->screen.rebuild());
    s->slides
        = std::make_unique<SlideStage>(s->screen, *s->fonts, std::move(loader_fonts.value()), window.time_is_virtual());
    s->input = std::make_unique<InputTranslator>(
        s->screen.rotation(), s->screen.logical(), config.kiosk_mode ? QuitKeys::Ignored : QuitKeys::Quit);
    BootContent boot = choose_content_at_boot(config);
    s->store = std::move(boot.store);
    s->from_store = boot.from_store;
    s->show = std::make_unique<ShowState>(config, std::move(boot.content), now);
    s->health.content_started(s->show->durations(), s->from_store, now);
    if (s->store && config.updates_enabled)
        s->updates.start_updater(config);
    s->started_ms = now;
    return std::unique_ptr<Display>(new Display(std::move(s)));
}

void Display::event(TimedEvent const& timed, TimeMs now)
{
    SDL_Event const& e = timed.event;
    switch (e.type) {
    case SDL_QUIT:
        // A signal is the service manager stopping us: always a clean quit. A closed window is a
        // person's choice, which kiosk mode does not offer.
        if (Window::quit_signal_received() || !m->config.kiosk_mode)
            m->quit = true;
        return;
    case SDL_WINDOWEVENT:
        if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED)
            m->resize(now);
        else if (e.window.event == SDL_WINDOWEVENT_EXPOSED || e.window.event == SDL_WINDOWEVENT_SHOWN
            || e.window.event == SDL_WINDOWEVENT_RESTORED)
            m->dirty = true;
        else if (e.window.event == SDL_WINDOWEVENT_DISPLAY_CHANGED) {
            log::info("render", "the window moved to display " + std::to_string(e.window.data1) + "; rebuilding");
            m->rebuild_everything(now);
        } else if (e.window.event == SDL_WINDOWEVENT_FOCUS_LOST)
            m->with_input(now, [&](InputTarget target, InputOutcome& out) { m->input->focus_lost(now, target, out); });
        return;
    case SDL_RENDER_TARGETS_RESET: // target textures lost their pixels: every slide is one
        log::warn("render", "render targets were reset; preparing the slides again");
        m->slides->on_device_reset();
        m->last_drawn.reset();
        m->dirty = true;
        return;
    case SDL_RENDER_DEVICE_RESET: // every texture is gone (a GPU reset, a display that came back)
        log::warn("render", "the render device was reset; rebuilding every texture");
        m->rebuild_everything(now);
        return;
    case SDL_DISPLAYEVENT:
        // HDMI unplugged or the TV switched off: keep running (presents may go nowhere); when a
        // display comes back, rebuild, since its mode and the renderer's textures may be new.
        if (e.display.event == SDL_DISPLAYEVENT_DISCONNECTED) {
            log::warn("render", "display " + std::to_string(e.display.display) + " was disconnected; waiting for it");
        } else if (e.display.event == SDL_DISPLAYEVENT_CONNECTED) {
            log::info("render", "display " + std::to_string(e.display.display) + " is connected; rebuilding");
            m->rebuild_everything(now);
        } else if (e.display.event == SDL_DISPLAYEVENT_ORIENTATION) {
            m->dirty = true;
        }
        return;
    default:
        m->with_input(
            now, [&](InputTarget target, InputOutcome& out) { m->input->event(e, timed.time_ms, target, out); });
    }
}

void Display::iterate(TimeMs now)
{
    State& s = *m;
    if (Window::quit_signal_received()
        || (s.config.run_for_ms && now >= s.started_ms + TimeMs(std::max(0, *s.config.run_for_ms))))
        s.quit = true;
    s.with_input(now, [&](InputTarget target, InputOutcome& out) { s.input->tick(now, target, out); });
    s.updates.poll(now, s.show->language());
    s.dirty |= s.updates.take_changed();
    s.dirty |= s.service.update(now, [&] { return s.gather(now); });
    show::Navigator& navigator = s.show->navigator();
    bool const was_moving = navigator.animating(now);
    navigator.update(now);
    s.activate_pending(now, !was_moving && navigator.animating(now) && !navigator.dragging());
    if (s.health.take_healthy(now) && s.store && s.from_store && s.show->pack()) {
        content::PackMeta const& meta = s.show->pack()->meta;
        if (auto noted = s.store->note_healthy(meta.pack_id, meta.version); !noted)
            log::warn("update", noted.message());
    }
    s.dirty |= s.show->follow_navigator();
    show::ViewState view = navigator.view(now);
    s.show->log_slide(view);
    SlideSource const source = s.show->source();
    s.slides->prepare(source, view);
    // Gapless: a transition whose incoming slide is not uploaded yet waits, the outgoing slide
    // staying on screen, and starts once the slide is ready.
    s.held = navigator.transitioning() && !s.slides->incoming_ready(source, view);
    if (s.held) {
        navigator.hold_transition(now);
        view = navigator.view(now);
    }
    // Render on change: a frame when something moves, or when the picture differs from the last
    // one drawn (a transition just finished, a language switched, a pause toggled).
    bool const moving = (navigator.animating(now) && !s.held) || s.updates.animating(now);
    bool const wanted = s.dirty || moving || !s.last_drawn || !same_picture(*s.last_drawn, view);
    bool const due = wanted && (!s.last_drawn || now >= s.last_present_ms + min_frame_ms);
    std::uint64_t const frames_before = s.health.frames();
    if (due)
        s.draw(view, now);
    bool const frame_owed = due && s.health.frames() == frames_before;
    if (s.status.due(now))
        s.status.write(facts_json(s.gather(now), system_wall_clock().unix_time_s()), now);
    s.health.iteration_done(now, frame_owed);
}

TimeMs Display::next_deadline_ms(TimeMs now) const
{
    State const& s = *m;
    if (s.quit)
        return now;
    show::Navigator const& navigator = s.show->navigator();
    std::optional<TimeMs> deadline;
    auto earliest = [&](std::optional<TimeMs> candidate) {
        if (candidate && (!deadline || *candidate < *deadline))
            deadline = candidate;
    };
    if (s.held)
        earliest(now + frame_ms_without_vsync); // look for the incoming slide at the frame rate
    else if (navigator.animating(now) || s.updates.animating(now) || s.dirty || !s.last_drawn)
        earliest(s.last_present_ms + (s.window.vsync() ? min_frame_ms : frame_ms_without_vsync));
    else
        earliest(navigator.next_deadline_ms(now));
    earliest(s.input->next_deadline_ms());
    earliest(s.updates.next_deadline_ms(now, s.show->slide_count() >= 2, navigator.paused()));
    earliest(s.health.next_deadline_ms());
    earliest(s.service.next_deadline_ms());
    earliest(s.status.next_deadline_ms());
    if (s.config.run_for_ms)
        earliest(s.started_ms + TimeMs(std::max(0, *s.config.run_for_ms)));
    // Nothing scheduled: still wake once a minute (cheap), so nothing can stall forever.
    return std::clamp(deadline.value_or(now + 60'000), now + 1, now + 60'000);
}

bool Display::quit_requested() const
{
    return m->quit;
}

void Display::quit(TimeMs now)
{
    m->quit = true;
    // Render on change: a still slide costs no frames. Tests read this line.
    log::info("app",
        "drew " + std::to_string(m->health.frames()) + " frames in " + std::to_string(now - m->started_ms) + " ms"
            + (Window::quit_signal_received() ? " (stopped by a signal)" : ""));
    (void)systemd::notify_stopping();
    // The clean exit path: the one place a clean end of the show is recorded (see the hook).
    if (m->store && m->clean_exit_hook)
        m->clean_exit_hook(*m->store);
}

void Display::set_clean_exit_hook(std::function<void(update::Store&)> hook)
{
    m->clean_exit_hook = std::move(hook);
}
show::ViewState Display::view(TimeMs now) const
{
    return m->show->navigator().view(now);
}
bool Display::paused() const
{
    return m->show->navigator().paused();
}
std::string const& Display::language() const
{
    return m->show->language();
}
std::uint64_t Display::frames() const
{
    return m->health.frames();
}
render::ScreenSize Display::physical_size() const
{
    return m->screen.physical();
}
render::SlideTextureCache const& Display::textures() const
{
    return m->slides->textures();
}
bool Display::service_open() const
{
    return m->service.is_open();
}
ServiceFacts Display::facts(TimeMs now) const
{
    return m->gather(now);
}
void Display::offer_pack(std::shared_ptr<content::Pack const> pack, TimeMs now)
{
    m->updates.offer(std::move(pack), "Pack swapped", now);
}

Status Display::screenshot(std::filesystem::path const& path, TimeMs now)
{
    m->draw(view(now), now);
    return render::save_screenshot(
        m->window.renderer(), m->screen.physical().width_px, m->screen.physical().height_px, path);
}

} // namespace kiosk::app
