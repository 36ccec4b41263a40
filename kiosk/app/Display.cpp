#include "kiosk/app/Display.h"

#include "kiosk/app/InputTranslator.h"
#include "kiosk/app/LoopHealth.h"
#include "kiosk/app/Screen.h"
#include "kiosk/app/UpdateUi.h"
#include "kiosk/render/SlideTextureCache.h"
#include "platform/Log.h"
#include "platform/SystemdNotify.h"

#include <algorithm>

namespace kiosk::app {

namespace {

// Never draw faster than ~60 Hz, whatever the driver says about vsync: some drivers report vsync
// and then do not block in present (seen with SDL's offscreen GL), and an animation would spin.
constexpr TimeMs min_frame_ms = 15;
constexpr TimeMs frame_ms_without_vsync = 16;
// The first frame (and the one after a device reset) waits this long for the loader before the
// main thread composes the slide itself; never during a transition.
constexpr int first_frame_wait_ms = 3'000;
// Slide uploads per turn: the slides on screen come first, then one neighbour.
constexpr int max_uploads_per_turn = 2;
constexpr std::size_t slide_texture_budget = 4; // current, next, both neighbours

bool same_picture(show::ViewState const& a, show::ViewState const& b)
{
    return a.current == b.current && a.next == b.next && a.motion == b.motion && a.progress == b.progress
        && a.offset == b.offset && a.paused == b.paused;
}

} // namespace

// Declaration order is destruction order, reversed: the updater thread and every texture go before
// the fonts and the screen; the window (not owned) outlives all of it.
struct Display::State {
    Config const& config;
    Window& window;
    std::unique_ptr<text::FontSet> fonts; // the main thread's: toast, language labels, fallback
    Screen screen;
    std::unique_ptr<render::SlideLoader> loader;
    std::unique_ptr<render::SlideTextureCache> textures;
    std::unique_ptr<InputTranslator> input;
    UpdateUi updates { screen };
    LoopHealth health { systemd::watchdog_interval_ms() };
    std::optional<update::Store> store;
    std::function<void(update::Store&)> clean_exit_hook;

    LoadedContent content;
    bool from_store { false };
    std::uint64_t generation { 1 };
    std::unique_ptr<show::Navigator> navigator;
    std::string language;
    int seen_cycles { 0 };
    int logged_slide { -1 };

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

    int slide_count() const { return content.pack ? int(content.pack->slides.size()) : 0; }
    LanguageMode mode() const { return effective_language_mode(config, content.pack.get()); }
    std::vector<int> durations() const
    {
        std::vector<int> out;
        for (int i = 0; i < slide_count(); ++i)
            out.push_back(content.pack->slides[std::size_t(i)].duration_ms);
        return out;
    }
    render::SlideKey key_for(int index) const
    {
        return { generation, index, language_order(content.pack.get(), mode(), language) };
    }
    bool shows_language_button() const
    {
        return mode() == LanguageMode::Toggle && content.pack && content.pack->meta.languages.size() > 1;
    }
    InputTarget target(TimeMs now, OnScreenControls const& controls) const
    {
        return { now, *navigator, controls, window.pointer_space() };
    }

    void absorb(InputOutcome const& out)
    {
        dirty |= out.changed;
        if (out.switch_language)
            switch_language();
        if (out.quit)
            quit = true;
        if (out.drag_started_ms) {
            drag_started_ms = out.drag_started_ms;
            drag_started_frame = health.frames();
        }
    }

    void switch_language()
    {
        if (!content.pack || content.pack->meta.languages.size() < 2)
            return;
        auto const& langs = content.pack->meta.languages;
        auto it = std::find(langs.begin(), langs.end(), language);
        language = (it == langs.end() || it + 1 == langs.end()) ? langs.front() : *(it + 1);
        dirty = true;
    }

    // Everything that depends on the output size. Fonts, the loader thread and the show stay;
    // a drag in progress is cancelled so the show never stays stuck in Dragging.
    void resize(TimeMs now)
    {
        if (auto rebuilt = screen.rebuild(); !rebuilt)
            log::error("app", rebuilt.message());
        loader->resize(screen.logical());
        textures->resize(screen.logical());
        InputOutcome out;
        OnScreenControls const controls = screen.controls(slide_count(), shows_language_button());
        input->resize(screen.logical(), now, target(now, controls), out);
        absorb(out);
        updates.screen_rebuilt(now);
        last_drawn.reset();
        dirty = true;
    }

    // A verified pack replaces the show at a slide boundary (UpdateUi::activation_due).
    void activate_pending(TimeMs now, bool advancing)
    {
        if (navigator->dragging()
            || !updates.activation_due(now, advancing, content.pack && slide_count() >= 2, navigator->paused()))
            return;
        content.pack = updates.take_pending(now);
        content.problem.clear();
        from_store = true;
        ++generation;
        loader->forget_before(generation);
        textures->forget_before(generation);
        navigator->reset(durations(), now);
        language = starting_language(config, content.pack.get());
        health.content_started(durations(), store.has_value(), now);
        seen_cycles = 0;
        logged_slide = -1;
        last_drawn.reset();
    }

    // The texture of a slide the frame must draw. Waits (bounded) for the loader when there is
    // nothing at all to show; composes on this thread only as a last resort, never in a transition.
    SDL_Texture* texture_for(int index, bool in_transition)
    {
        render::SlideKey const key = key_for(index);
        if (SDL_Texture* texture = textures->find(key))
            return texture;
        if (!content.pack) {
            render::SlideComposer composer(*fonts);
            return textures->put(
                key, composer.compose_message("No content to show", content.problem, screen.logical()));
        }
        loader->request(content.pack, key);
        if (loader->wait_for(key, first_frame_wait_ms)) {
            std::array<render::SlideKey, 1> const one { key };
            textures->pull(*loader, one, 1);
            if (SDL_Texture* texture = textures->find(key))
                return texture;
        }
        if (in_transition)
            return nullptr;
        log::warn("render", "slide " + std::to_string(index + 1) + " was not prepared in time; composing it here");
        render::SlideComposer composer(*fonts);
        return textures->put(key, composer.compose(*content.pack, index, key.languages, screen.logical()));
    }

    // Asks the loader for the slides on and around the screen (and the pending pack's first) and
    // uploads what is ready, a bounded amount per turn.
    void prepare(show::ViewState const& view)
    {
        int const n = slide_count();
        if (n == 0)
            return;
        std::vector<render::SlideKey> wanted { key_for(view.current) };
        if (view.next >= 0)
            wanted.push_back(key_for(view.next));
        wanted.push_back(key_for((view.current + 1) % n));
        wanted.push_back(key_for((view.current + n - 1) % n));
        for (auto const& key : wanted) {
            if (!textures->contains(key))
                loader->request(content.pack, key);
        }
        textures->pull(*loader, wanted, max_uploads_per_turn);
    }

    void draw(show::ViewState view, TimeMs now)
    {
        bool const in_transition = navigator->transitioning();
        SDL_Texture* current = texture_for(content.pack ? view.current : 0, in_transition);
        SDL_Texture* next = view.next >= 0 ? textures->find(key_for(view.next)) : nullptr;
        if (!current)
            return; // nothing to show yet (a reset mid-transition): try again next turn
        std::vector<render::SlideKey> pinned { key_for(content.pack ? view.current : 0) };
        if (view.next >= 0)
            pinned.push_back(key_for(view.next));
        textures->pin(pinned);
        textures->evict();
        render::Overlay overlay;
        overlay.slide_count = slide_count();
        updates.fill_overlay(overlay, now);
        std::optional<LanguageButton> button;
        if (shows_language_button())
            button = LanguageButton { content.pack->meta.languages, language };
        screen.draw(view, current, next, overlay, button);
        last_present_ms = now;
        last_drawn = view;
        dirty = false;
        health.frame_presented(view, now);
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
    render::ScreenSize const logical = s->screen.logical();
    s->loader = std::make_unique<render::SlideLoader>(std::move(loader_fonts.value()), logical);
    Screen* screen = &s->screen;
    s->textures = std::make_unique<render::SlideTextureCache>(
        [screen](render::PreparedSlide const& slide) { return screen->frame().upload(slide); }, logical,
        slide_texture_budget * render::SlideTextureCache::bytes_per_slide(logical));
    s->input = std::make_unique<InputTranslator>(
        s->screen.rotation(), logical, config.kiosk_mode ? QuitKeys::Ignored : QuitKeys::Quit);

    BootContent boot = choose_content_at_boot(config);
    s->content = std::move(boot.content);
    s->store = std::move(boot.store);
    s->from_store = boot.from_store;
    s->language = starting_language(config, s->content.pack.get());
    s->health.content_started(s->durations(), s->from_store, now);
    if (s->store && config.updates_enabled)
        s->updates.start_updater(config);
    show::NavigatorConfig navigator_config;
    navigator_config.idle_timeout_ms = config.idle_timeout_s * 1000;
    s->navigator = std::make_unique<show::Navigator>(s->durations(), now, navigator_config);
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
        if (e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
            m->resize(now);
        } else if (e.window.event == SDL_WINDOWEVENT_EXPOSED) {
            m->dirty = true;
        } else if (e.window.event == SDL_WINDOWEVENT_FOCUS_LOST) {
            InputOutcome out;
            OnScreenControls const controls = m->screen.controls(m->slide_count(), m->shows_language_button());
            m->input->focus_lost(now, m->target(now, controls), out);
            m->absorb(out);
        }
        return;
    case SDL_RENDER_TARGETS_RESET: // target textures lost their pixels: every slide is one
        log::warn("render", "render targets were reset; preparing the slides again");
        m->textures->on_device_reset();
        m->last_drawn.reset();
        m->dirty = true;
        return;
    case SDL_RENDER_DEVICE_RESET: // every texture is gone (a GPU reset, a display that came back)
        log::warn("render", "the render device was reset; rebuilding every texture");
        m->textures->on_device_reset();
        m->resize(now);
        return;
    default: {
        InputOutcome out;
        OnScreenControls const controls = m->screen.controls(m->slide_count(), m->shows_language_button());
        m->input->event(e, timed.time_ms, m->target(now, controls), out);
        m->absorb(out);
    }
    }
}

void Display::iterate(TimeMs now)
{
    State& s = *m;
    if (Window::quit_signal_received()
        || (s.config.run_for_ms && now >= s.started_ms + TimeMs(std::max(0, *s.config.run_for_ms))))
        s.quit = true;
    InputOutcome out;
    OnScreenControls const controls = s.screen.controls(s.slide_count(), s.shows_language_button());
    s.input->tick(now, s.target(now, controls), out);
    s.absorb(out);
    s.updates.poll(now, s.language);
    s.dirty |= s.updates.take_changed();
    show::Navigator& navigator = *s.navigator;
    bool const was_moving = navigator.animating(now);
    navigator.update(now);
    s.activate_pending(now, !was_moving && navigator.animating(now) && !navigator.dragging());
    if (s.health.take_healthy(now) && s.store && s.from_store && s.content.pack) {
        if (auto noted = s.store->note_healthy(s.content.pack->meta.pack_id, s.content.pack->meta.version); !noted)
            log::warn("update", noted.message());
    }
    if (navigator.take_idle_reset()) {
        std::string const home = starting_language(s.config, s.content.pack.get());
        if (home != s.language) {
            s.language = home;
            s.dirty = true;
        }
    }
    if (s.mode() == LanguageMode::Alternate && navigator.cycle_count() != s.seen_cycles) {
        s.seen_cycles = navigator.cycle_count();
        s.switch_language();
    }
    show::ViewState view = navigator.view(now);
    if (view.current != s.logged_slide && s.content.pack) {
        s.logged_slide = view.current;
        log::debug("show",
            "slide " + std::to_string(view.current + 1) + "/" + std::to_string(s.slide_count()) + " ("
                + s.content.pack->slides[std::size_t(view.current)].name + ")");
    }
    s.prepare(view);
    // Gapless: a transition whose incoming slide is not uploaded yet waits, the outgoing slide
    // staying on screen, and starts once the slide is ready.
    bool held = false;
    if (view.next >= 0 && !s.textures->contains(s.key_for(view.next))) {
        render::SlideKey const key = s.key_for(view.next);
        std::array<render::SlideKey, 1> const one { key };
        if (s.window.time_is_virtual() && s.loader->wait_for(key, first_frame_wait_ms))
            s.textures->pull(*s.loader, one, 1);
        if (!s.textures->contains(key) && navigator.transitioning()) {
            navigator.hold_transition(now);
            view = navigator.view(now);
            held = true;
        }
    }
    s.held = held;
    // Render on change: a frame when something moves, or when the picture differs from the last
    // one drawn (a transition just finished, a language switched, a pause toggled).
    bool const moving = (navigator.animating(now) && !held) || s.updates.animating(now);
    bool const wanted = s.dirty || moving || !s.last_drawn || !same_picture(*s.last_drawn, view);
    if (wanted && (!s.last_drawn || now >= s.last_present_ms + min_frame_ms))
        s.draw(view, now);
    s.health.iteration_done(now);
}

TimeMs Display::next_deadline_ms(TimeMs now) const
{
    State const& s = *m;
    if (s.quit)
        return now;
    TimeMs const frame = s.last_present_ms + (s.window.vsync() ? min_frame_ms : frame_ms_without_vsync);
    std::optional<TimeMs> deadline;
    auto earliest = [&](std::optional<TimeMs> candidate) {
        if (candidate && (!deadline || *candidate < *deadline))
            deadline = candidate;
    };
    bool const redraw_pending = s.dirty || !s.last_drawn;
    if (s.held) {
        earliest(now + frame_ms_without_vsync); // look for the incoming slide at the frame rate
    } else if (s.navigator->animating(now) || s.updates.animating(now) || redraw_pending) {
        earliest(frame);
    } else {
        earliest(s.navigator->next_deadline_ms(now));
    }
    earliest(s.input->next_deadline_ms());
    earliest(s.updates.next_deadline_ms(now, s.content.pack && s.slide_count() >= 2, s.navigator->paused()));
    earliest(s.health.next_deadline_ms());
    if (s.config.run_for_ms)
        earliest(s.started_ms + TimeMs(std::max(0, *s.config.run_for_ms)));
    // Nothing scheduled: still wake once a minute (cheap), so nothing can stall forever.
    TimeMs const at = deadline.value_or(now + 60'000);
    return std::clamp(at, now + 1, now + 60'000);
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
    return m->navigator->view(now);
}

bool Display::paused() const
{
    return m->navigator->paused();
}

std::string const& Display::language() const
{
    return m->language;
}

std::uint64_t Display::frames() const
{
    return m->health.frames();
}

render::ScreenSize Display::physical_size() const
{
    return m->screen.physical();
}

Status Display::screenshot(std::filesystem::path const& path, TimeMs now)
{
    m->draw(m->navigator->view(now), now);
    return render::save_screenshot(
        m->window.renderer(), m->screen.physical().width_px, m->screen.physical().height_px, path);
}

int run_display_loop(Config const& config, Window& window)
{
    auto display = Display::create(config, window, window.now_ms());
    if (!display) {
        log::error("app", display.message());
        return 2;
    }
    while (!(*display)->quit_requested()) {
        TimeMs const now = window.now_ms();
        for (auto const& event : window.poll(now))
            (*display)->event(event, now);
        (*display)->iterate(now);
        if ((*display)->quit_requested())
            break;
        window.wait_until((*display)->next_deadline_ms(now));
    }
    (*display)->quit(window.now_ms());
    return 0;
}

} // namespace kiosk::app
