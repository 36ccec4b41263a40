#include "kiosk/app/Display.h"

#include "kiosk/input/GestureRecognizer.h"
#include "kiosk/input/GestureToNavigator.h"
#include "kiosk/input/Rotation.h"
#include "kiosk/text/TextRaster.h"
#include "kiosk/update/Store.h"
#include "kiosk/update/Updater.h"
#include "platform/Log.h"
#include "platform/SystemdNotify.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <type_traits>
#include <variant>

namespace kiosk::app {

render::LanguageOrder language_order(content::Pack const* pack, LanguageMode mode, std::string const& primary)
{
    render::LanguageOrder order { primary };
    if (mode == LanguageMode::Dual && pack) {
        for (auto const& lang : pack->meta.languages) {
            if (lang != primary)
                order.push_back(lang);
        }
    }
    return order;
}

namespace {

// The label a language button shows for a language code.
char const* language_label(std::string const& lang)
{
    if (lang == "zh")
        return "中文";
    if (lang == "en")
        return "EN";
    return nullptr;
}

} // namespace

LanguageMode effective_language_mode(Config const& config, content::Pack const* pack)
{
    if (pack && !pack->meta.language_mode.empty()) {
        if (auto mode = mode_from_name(pack->meta.language_mode))
            return *mode;
    }
    return config.language_mode;
}

std::string starting_language(Config const& config, content::Pack const* pack)
{
    if (!pack)
        return "en";
    auto const& langs = pack->meta.languages;
    if (!config.language.empty() && std::find(langs.begin(), langs.end(), config.language) != langs.end())
        return config.language;
    return pack->meta.default_language;
}

// Members are destroyed in reverse declaration order: textures before the renderer, the renderer
// before the window, all of them before SDL_Quit.
struct Display::State {
    Config const& config;
    Clock& clock;

    struct SdlSession {
        bool started { false };
        ~SdlSession()
        {
            if (started)
                SDL_Quit();
        }
    } sdl;
    WindowPtr window;
    SurfacePtr offscreen; // headless: the "panel"
    RendererPtr renderer;
    std::unique_ptr<text::FontSet> fonts;

    input::Rotation rotation { input::Rotation::R0 };
    render::ScreenSize physical;
    render::ScreenSize logical;
    TexturePtr logical_target; // only when rotated: frames are drawn upright here, then turned
    std::unique_ptr<render::FrameRenderer> frame;
    std::map<render::SlideKey, TexturePtr> textures;
    std::map<std::string, TexturePtr> language_labels;
    std::unique_ptr<render::SlideLoader> loader;

    LoadedContent content;
    std::uint64_t generation { 1 };

    // Updates (docs/operations.md): the store of installed packs, the updater thread, a verified
    // pack waiting for the next slide boundary, and what the screen says about it.
    std::optional<update::Store> store;
    std::unique_ptr<update::Updater> updater;
    Uint32 wake_event { 0 };
    std::shared_ptr<content::Pack const> pending_pack;
    std::string pending_message;
    std::uint64_t pending_since_ms { 0 };
    static constexpr std::uint64_t pending_patience_ms = 5 * 60 * 1000;
    TexturePtr toast;
    std::uint64_t toast_until_ms { 0 };
    std::optional<double> progress;
    std::uint64_t content_since_ms { 0 };
    bool content_from_store { false };
    bool healthy_noted { false };
    std::optional<std::uint64_t> watchdog_interval_ms;
    std::uint64_t last_watchdog_ms { 0 };
    bool ready_sent { false };
    std::unique_ptr<show::Navigator> navigator;
    std::unique_ptr<input::GestureRecognizer> gestures;
    std::string language;
    int seen_cycles { 0 };
    int logged_slide { -1 };

    std::optional<show::ViewState> last_drawn;
    static constexpr std::uint64_t min_frame_ms = 15;
    std::uint64_t last_present_ticks { 0 };
    bool mouse_down { false };
    // Input latency measurement: when the drag that has not reached the screen yet started.
    std::optional<std::uint64_t> drag_started_ms;
    std::uint64_t drag_started_frame { 0 };
    bool vsync { false };
    bool dirty { true };
    bool running { true };
    std::uint64_t frames { 0 };
    std::uint64_t started_ms { 0 };

    State(Config const& c, Clock& k)
        : config(c)
        , clock(k)
    {
    }

    Status start()
    {
        rotation = input::rotation_from_degrees(config.rotation_degrees).value_or(input::Rotation::R0);
        // A touch must not also act as a mouse click: SDL would synthesize mouse events from it.
        SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
        SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
        if (config.window == WindowMode::Headless) {
            offscreen.reset(
                SDL_CreateRGBSurfaceWithFormat(0, config.width_px, config.height_px, 32, SDL_PIXELFORMAT_ARGB8888));
            if (!offscreen)
                return make_error(std::string("cannot allocate the offscreen surface: ") + SDL_GetError());
            renderer.reset(SDL_CreateSoftwareRenderer(offscreen.get()));
            if (!renderer)
                return make_error(std::string("cannot create the software renderer: ") + SDL_GetError());
        } else {
            // With SDL's offscreen driver a non-accelerated framebuffer saves a full-frame copy on
            // every present (measured for this project); real displays keep SDL's default.
            if (char const* driver = SDL_getenv("SDL_VIDEODRIVER"); driver && std::string_view(driver) == "offscreen")
                SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
            if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
                return make_error(std::string("cannot start SDL video: ") + SDL_GetError()
                    + " (no display? `kiosk --headless --screenshot out.png` renders offscreen)");
            sdl.started = true;
            SDL_DisableScreenSaver();
            Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
            flags |= config.window == WindowMode::Fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE;
            window.reset(SDL_CreateWindow(
                "Kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, config.width_px, config.height_px, flags));
            if (!window)
                return make_error(std::string("cannot open a window: ") + SDL_GetError());
            if (config.window == WindowMode::Fullscreen)
                SDL_ShowCursor(SDL_DISABLE);
            renderer.reset(SDL_CreateRenderer(
                window.get(), -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC | SDL_RENDERER_TARGETTEXTURE));
            if (!renderer) {
                log::warn("app",
                    std::string("no accelerated renderer (") + SDL_GetError() + "); using the software renderer");
                renderer.reset(
                    SDL_CreateRenderer(window.get(), -1, SDL_RENDERER_SOFTWARE | SDL_RENDERER_TARGETTEXTURE));
            }
            if (!renderer)
                return make_error(std::string("cannot create a renderer: ") + SDL_GetError());
        }
        SDL_RendererInfo info {};
        SDL_GetRendererInfo(renderer.get(), &info);
        vsync = (info.flags & SDL_RENDERER_PRESENTVSYNC) != 0;
        log::info("app", std::string("renderer: ") + info.name + (vsync ? " (vsync)" : ""));
        auto opened = text::FontSet::open(config.assets_dir / "fonts");
        if (!opened)
            return opened.error();
        fonts = std::make_unique<text::FontSet>(std::move(opened.value()));

        load_startup_content();
        language = starting_language(config, content.pack.get());
        content_since_ms = clock.now_ms();
        watchdog_interval_ms = systemd::watchdog_interval_ms();
        start_updater();
        show::NavigatorConfig navigator_config;
        navigator_config.idle_timeout_ms = config.idle_timeout_s * 1000;
        navigator = std::make_unique<show::Navigator>(durations(), clock.now_ms(), navigator_config);
        return resize();
    }

    // An explicit --pack wins (testing a pack by hand); else the store's choice, which already
    // applied rollback and damage checks; else the built-in pack; else a message screen.
    void load_startup_content()
    {
        if (!config.pack && config.updates_enabled) {
            auto opened = update::Store::open(config.data_dir);
            if (opened) {
                store.emplace(std::move(opened.value()));
                if (auto booted = store->note_boot(); !booted)
                    log::warn("update", booted.message());
                update::BootChoice choice = store->choose_pack_at_boot(config.keys_dir);
                log::info("update", choice.reason);
                if (choice.pack && choice.loaded) {
                    content.pack = choice.loaded;
                    content.source = *choice.pack;
                    content_from_store = true;
                    return;
                }
            } else {
                log::warn("update", opened.message() + "; updates are off until that is fixed");
            }
        }
        content = load_content(config);
    }

    void start_updater()
    {
        if (!store || !config.updates_enabled)
            return;
        update::UpdaterConfig update_config;
        update_config.data_dir = config.data_dir;
        update_config.keys_dir = config.keys_dir;
        update_config.inbox_dirs = config.inbox_dirs;
        update_config.mount_roots = config.mount_roots;
        update_config.device_group = config.device_group;
        update_config.device_id = config.device_id;
        update_config.accepted_pack_ids = config.accepted_pack_ids;
        update_config.write_reports = config.write_reports;
        updater = std::make_unique<update::Updater>(std::move(update_config), clock);
        if (sdl.started) {
            // The updater thread wakes the sleeping loop through SDL's (thread-safe) event queue.
            wake_event = SDL_RegisterEvents(1);
            if (wake_event != Uint32(-1)) {
                Uint32 const type = wake_event;
                updater->set_wake_callback([type] {
                    SDL_Event event {};
                    event.type = type;
                    SDL_PushEvent(&event);
                });
            }
        }
        if (auto started = updater->start(); !started) {
            log::error("update", started.message());
            updater.reset();
        }
    }

    void show_toast(std::string const& message, std::uint64_t duration_ms, std::uint64_t now)
    {
        double const unit = std::min(logical.width_px, logical.height_px) / 1080.0;
        text::BoxStyle style;
        style.width_px = int(logical.width_px * 0.8);
        style.preferred_size_px = int(std::lround(28 * unit));
        style.min_size_px = int(std::lround(18 * unit));
        style.max_lines = 2;
        style.weight = text::Weight::Bold;
        style.align = text::Align::Center;
        text::TextBlock const block = text::layout_text(*fonts, message, "en", style);
        style.width_px = std::max(1, block.width_px);
        SurfacePtr surface = text::rasterize(*fonts, block, style, {});
        toast = frame->upload_surface(surface.get());
        toast_until_ms = now + duration_ms;
        dirty = true;
    }

    static std::string title_of(std::map<std::string, std::string> const& titles, std::string const& lang)
    {
        if (auto it = titles.find(lang); it != titles.end())
            return it->second;
        return titles.empty() ? std::string() : titles.begin()->second;
    }

    void poll_updates(std::uint64_t now)
    {
        if (!updater)
            return;
        while (auto event = updater->poll_event()) {
            std::visit(
                [&](auto const& e) {
                    using E = std::decay_t<decltype(e)>;
                    if constexpr (std::is_same_v<E, update::Detected>) {
                        show_toast("Checking update " + e.file.filename().string() + " …", 60'000, now);
                    } else if constexpr (std::is_same_v<E, update::Progress>) {
                        progress = e.bytes_total ? double(e.bytes_done) / double(e.bytes_total) : 0.0;
                        dirty = true;
                    } else if constexpr (std::is_same_v<E, update::Refused>) {
                        progress.reset();
                        show_toast(
                            e.already_installed ? "Already up to date: " + e.reason : "Update refused: " + e.reason,
                            10'000, now);
                        log::warn("update", e.reason);
                    } else if constexpr (std::is_same_v<E, update::Failed>) {
                        progress.reset();
                        show_toast("Update failed: " + e.reason, 10'000, now);
                        log::error("update", e.reason);
                    } else if constexpr (std::is_same_v<E, update::Installed>) {
                        progress.reset();
                        pending_pack = e.pack;
                        pending_since_ms = now;
                        pending_message = "Updated to " + title_of(e.title, language) + " v" + std::to_string(e.version)
                            + " \u2014 " + std::to_string(e.slide_count) + " slides";
                        show_toast("Update installed; it shows from the next slide", 60'000, now);
                        log::info("update", "installed " + e.path.string());
                    }
                },
                *event);
        }
    }

    // A verified pack replaces the show at a slide boundary, never in the middle of a slide a
    // visitor is reading or dragging. `advancing`: the navigator has just begun its automatic move
    // to the next slide, which is that boundary. A show with nothing to rotate (no pack, one slide)
    // switches at once; a show paused by a visitor who then left it (idle timeout off) switches
    // after pending_patience_ms, so a stick's update is never stuck behind a pause.
    void activate_pending(std::uint64_t now, bool advancing)
    {
        if (!pending_pack || navigator->dragging())
            return;
        bool const boundary = advancing || !content.pack || slide_count() < 2
            || (navigator->paused() && now >= pending_since_ms + pending_patience_ms);
        if (!boundary)
            return;
        content.pack = std::move(pending_pack);
        content.problem.clear();
        content_from_store = true;
        healthy_noted = false;
        content_since_ms = now;
        ++generation;
        loader->forget_before(generation);
        textures.clear();
        navigator->reset(durations(), now);
        language = starting_language(config, content.pack.get());
        seen_cycles = 0;
        logged_slide = -1;
        last_drawn.reset();
        show_toast(pending_message, 6'000, now);
        log::info("update", pending_message);
    }

    // After a pack has been shown for a while without the app crashing, the store stops counting
    // starts towards a rollback.
    void note_health(std::uint64_t now)
    {
        if (!store || !content_from_store || healthy_noted || !content.pack
            || now < content_since_ms + update::Store::suggested_healthy_after_ms)
            return;
        healthy_noted = true;
        if (auto noted = store->note_healthy(content.pack->meta.pack_id, content.pack->meta.version); !noted)
            log::warn("update", noted.message());
    }

    void systemd_tick(std::uint64_t now)
    {
        if (!ready_sent && frames > 0) {
            ready_sent = true;
            (void)systemd::notify_ready();
        }
        if (watchdog_interval_ms && now >= last_watchdog_ms + *watchdog_interval_ms) {
            last_watchdog_ms = now;
            (void)systemd::notify_watchdog();
        }
    }

    double toast_opacity(std::uint64_t now) const
    {
        if (!toast || now >= toast_until_ms)
            return 0.0;
        std::uint64_t const left = toast_until_ms - now;
        return left >= 400 ? 1.0 : double(left) / 400.0; // fades out over its last 400 ms
    }

    // (Re)creates everything that depends on the output size.
    Status resize()
    {
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(renderer.get(), &w, &h);
        physical = { w, h };
        logical = input::swaps_axes(rotation) ? render::ScreenSize { h, w } : physical;
        textures.clear();
        language_labels.clear();
        logical_target.reset();
        if (rotation != input::Rotation::R0) {
            logical_target.reset(SDL_CreateTexture(renderer.get(), SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                logical.width_px, logical.height_px));
            if (!logical_target)
                return make_error(std::string("cannot create the rotation target: ") + SDL_GetError());
        }
        frame = std::make_unique<render::FrameRenderer>(renderer.get(), logical);
        auto loader_fonts = text::FontSet::open(config.assets_dir / "fonts");
        if (!loader_fonts)
            return loader_fonts.error();
        loader.reset();
        loader = std::make_unique<render::SlideLoader>(std::move(loader_fonts.value()), logical);
        input::GestureConfig gesture_config;
        gesture_config.height_over_width = double(logical.height_px) / std::max(1, logical.width_px);
        gestures = std::make_unique<input::GestureRecognizer>(gesture_config);
        dirty = true;
        return {};
    }

    std::vector<int> durations() const
    {
        std::vector<int> out;
        if (content.pack) {
            for (auto const& slide : content.pack->slides)
                out.push_back(slide.duration_ms);
        }
        return out;
    }

    LanguageMode mode() const { return effective_language_mode(config, content.pack.get()); }

    int slide_count() const { return content.pack ? int(content.pack->slides.size()) : 0; }

    render::SlideKey key_for(int index) const
    {
        return { generation, index, language_order(content.pack.get(), mode(), language) };
    }

    void request_neighbours(show::ViewState const& view)
    {
        int const n = slide_count();
        if (n == 0)
            return;
        for (int index : { view.current, (view.current + 1) % n, (view.current + n - 1) % n }) {
            if (!textures.contains(key_for(index)))
                loader->request(content.pack, key_for(index));
        }
    }

    SDL_Texture* texture_for(int index)
    {
        if (index < 0)
            return nullptr;
        render::SlideKey const key = key_for(index);
        if (auto it = textures.find(key); it != textures.end())
            return it->second.get();
        std::optional<render::PreparedSlide> prepared = loader->take(key);
        if (!prepared) {
            // Not ready in the background (the first slide, or a jump): compose it here, once.
            render::SlideComposer composer(*fonts);
            prepared = content.pack ? composer.compose(*content.pack, index, key.languages, logical)
                                    : composer.compose_message("No content to show", content.problem, logical);
        }
        TexturePtr texture = frame->upload(*prepared);
        SDL_Texture* raw = texture.get();
        textures[key] = std::move(texture);
        return raw;
    }

    // Keeps only the textures of the slides on and next to the screen: bounded GPU memory on a
    // months-long run. Called before a frame fetches its textures, never in between, so a texture
    // a frame is about to draw is never freed under it.
    void evict_textures(show::ViewState const& view)
    {
        int const n = slide_count();
        if (n == 0) {
            return;
        }
        std::set<render::SlideKey> wanted;
        for (int index : { view.current, view.next, (view.current + 1) % n, (view.current + n - 1) % n }) {
            if (index >= 0)
                wanted.insert(key_for(index));
        }
        std::erase_if(textures, [&](auto const& entry) { return !wanted.contains(entry.first); });
    }

    // The EN / 中文 button of toggle mode, bottom right, in logical pixels.
    SDL_Rect language_button() const
    {
        double const unit = std::min(logical.width_px, logical.height_px) / 1080.0;
        // 72 px at 1080p: 36 mm tall on a 43-inch panel, far above the 9 mm a fingertip needs.
        int const h = int(std::lround(72 * unit));
        int const w = int(std::lround(200 * unit));
        int const margin = int(std::lround(28 * unit));
        return { logical.width_px - margin - w, logical.height_px - margin - h, w, h };
    }

    bool shows_language_button() const
    {
        return mode() == LanguageMode::Toggle && content.pack && content.pack->meta.languages.size() > 1;
    }

    SDL_Texture* language_label_texture(std::string const& lang)
    {
        if (auto it = language_labels.find(lang); it != language_labels.end())
            return it->second.get();
        char const* label = language_label(lang);
        std::string const text = label ? label : lang;
        text::BoxStyle style;
        double const unit = std::min(logical.width_px, logical.height_px) / 1080.0;
        style.preferred_size_px = style.min_size_px = int(std::lround(28 * unit));
        style.weight = text::Weight::Bold;
        style.max_lines = 1;
        text::TextBlock const block = text::layout_text(*fonts, text, lang, style);
        SurfacePtr surface = text::rasterize(*fonts, block, style, {});
        TexturePtr texture = frame->upload_surface(surface.get());
        SDL_Texture* raw = texture.get();
        language_labels[lang] = std::move(texture);
        return raw;
    }

    void draw_language_button()
    {
        SDL_Rect const box = language_button();
        SDL_SetRenderDrawBlendMode(renderer.get(), SDL_BLENDMODE_BLEND);
        SDL_SetRenderDrawColor(renderer.get(), 10, 16, 26, 170);
        SDL_RenderFillRect(renderer.get(), &box);
        auto const& langs = content.pack->meta.languages;
        int const slots = int(langs.size());
        for (int i = 0; i < slots; ++i) {
            SDL_Texture* label = language_label_texture(langs[std::size_t(i)]);
            if (!label)
                continue;
            int w = 0, h = 0;
            SDL_QueryTexture(label, nullptr, nullptr, &w, &h);
            int const slot_w = box.w / slots;
            SDL_Rect const dst { box.x + i * slot_w + (slot_w - w) / 2, box.y + (box.h - h) / 2, w, h };
            // The language on screen is bright; the one a tap switches to is dimmer.
            SDL_SetTextureAlphaMod(label, langs[std::size_t(i)] == language ? 255 : 120);
            SDL_RenderCopy(renderer.get(), label, nullptr, &dst);
        }
    }

    void draw(show::ViewState const& view)
    {
        if (logical_target)
            SDL_SetRenderTarget(renderer.get(), logical_target.get());
        evict_textures(view);
        render::Overlay overlay;
        overlay.slide_count = slide_count();
        overlay.progress = progress;
        std::uint64_t const now = clock.now_ms();
        overlay.toast_opacity = toast_opacity(now);
        overlay.toast = overlay.toast_opacity > 0 ? toast.get() : nullptr;
        SDL_Texture* current = texture_for(content.pack ? view.current : 0);
        SDL_Texture* next = view.next >= 0 ? texture_for(view.next) : nullptr;
        frame->draw(view, current, next, overlay);
        if (shows_language_button())
            draw_language_button();
        if (logical_target) {
            SDL_SetRenderTarget(renderer.get(), nullptr);
            SDL_SetRenderDrawColor(renderer.get(), 0, 0, 0, 255);
            SDL_RenderClear(renderer.get());
            // Turn the upright frame onto the panel: centred, rotated about its centre.
            SDL_Rect const dst { (physical.width_px - logical.width_px) / 2,
                (physical.height_px - logical.height_px) / 2, logical.width_px, logical.height_px };
            SDL_RenderCopyEx(renderer.get(), logical_target.get(), nullptr, &dst, input::degrees_clockwise(rotation),
                nullptr, SDL_FLIP_NONE);
        }
        SDL_RenderPresent(renderer.get());
        ++frames;
        if (drag_started_ms && view.motion == show::Motion::Slide) {
            // Event-to-photon within our process: from the event's timestamp to the present of the
            // first frame that shows the slide moved (docs/performance.md).
            log::debug("input",
                "first moved frame " + std::to_string(frames - drag_started_frame) + " frame(s), "
                    + std::to_string(clock.now_ms() - std::min(clock.now_ms(), *drag_started_ms))
                    + " ms after the drag began");
            drag_started_ms.reset();
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

    void apply_gestures(std::vector<input::Gesture> const& list, std::uint64_t now)
    {
        for (auto const& gesture : list) {
            if (gesture.kind == input::Gesture::Kind::Tap && handle_control_tap(gesture, now))
                continue;
            if (gesture.kind == input::Gesture::Kind::DragStart) {
                drag_started_ms = gesture.time_ms;
                drag_started_frame = frames;
            }
            input::apply(gesture, *navigator, now);
            dirty = true;
        }
    }

    // On-screen controls take a tap before the slideshow does.
    bool handle_control_tap(input::Gesture const& tap, std::uint64_t now)
    {
        SDL_Point const p { int(tap.x * logical.width_px), int(tap.y * logical.height_px) };
        if (shows_language_button()) {
            SDL_Rect const button = language_button();
            if (SDL_PointInRect(&p, &button)) {
                navigator->note_activity(now);
                switch_language();
                return true;
            }
        }
        int const dot = frame->dot_at(p.x, p.y, slide_count());
        if (dot >= 0) {
            navigator->note_activity(now);
            navigator->jump_to(dot, now);
            dirty = true;
            return true;
        }
        return false;
    }

    void pointer(input::PointerEvent::Kind kind, input::PointerEvent::Source source, std::int64_t id, double x_physical,
        double y_physical, std::uint64_t time_ms, std::uint64_t now)
    {
        input::NormalizedPoint const p = input::physical_to_logical({ x_physical, y_physical }, rotation);
        input::PointerEvent event;
        event.kind = kind;
        event.source = source;
        event.finger_id = id;
        event.x = p.x;
        event.y = p.y;
        event.time_ms = time_ms;
        apply_gestures(gestures->feed(event), now);
    }

    void key(SDL_Keycode code, std::uint64_t now)
    {
        navigator->note_activity(now);
        switch (code) {
        case SDLK_RIGHT:
            navigator->go_next(now);
            break;
        case SDLK_LEFT:
            navigator->go_previous(now);
            break;
        case SDLK_SPACE:
            navigator->set_paused(!navigator->paused(), now);
            break;
        case SDLK_l:
            switch_language();
            break;
        case SDLK_ESCAPE:
        case SDLK_q:
            if (!config.kiosk_mode)
                running = false;
            break;
        default:
            break;
        }
        dirty = true;
    }

    // `time_ms`: when the event happened, on `clock`.
    void handle(SDL_Event const& event, std::uint64_t time_ms)
    {
        using Kind = input::PointerEvent::Kind;
        using Source = input::PointerEvent::Source;
        std::uint64_t const now = clock.now_ms();
        switch (event.type) {
        case SDL_QUIT:
            if (!config.kiosk_mode)
                running = false;
            break;
        case SDL_WINDOWEVENT:
            if (event.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
                if (auto resized = resize(); !resized)
                    log::error("app", resized.message());
            } else if (event.window.event == SDL_WINDOWEVENT_EXPOSED) {
                dirty = true;
            } else if (event.window.event == SDL_WINDOWEVENT_FOCUS_LOST) {
                mouse_down = false;
                apply_gestures(gestures->reset(now), now);
            }
            break;
        case SDL_KEYDOWN:
            key(event.key.keysym.sym, now);
            break;
        case SDL_FINGERDOWN:
        case SDL_FINGERMOTION:
        case SDL_FINGERUP: {
            Kind const kind = event.type == SDL_FINGERDOWN ? Kind::Down
                : event.type == SDL_FINGERUP               ? Kind::Up
                                                           : Kind::Move;
            pointer(kind, Source::Touch, std::int64_t(event.tfinger.fingerId), event.tfinger.x, event.tfinger.y,
                time_ms, now);
            break;
        }
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
        case SDL_MOUSEMOTION: {
            // Mouse events SDL made up from a touch were already handled as the touch.
            if (event.motion.which == SDL_TOUCH_MOUSEID)
                break;
            bool const left = event.type == SDL_MOUSEMOTION || event.button.button == SDL_BUTTON_LEFT;
            if (!left || (event.type == SDL_MOUSEMOTION && !mouse_down))
                break;
            Kind const kind = event.type == SDL_MOUSEBUTTONDOWN ? Kind::Down
                : event.type == SDL_MOUSEBUTTONUP               ? Kind::Up
                                                                : Kind::Move;
            mouse_down = kind != Kind::Up;
            int const x = event.type == SDL_MOUSEMOTION ? event.motion.x : event.button.x;
            int const y = event.type == SDL_MOUSEMOTION ? event.motion.y : event.button.y;
            // Window coordinates may be in points on high-DPI screens: normalise by the window size.
            int w = physical.width_px, h = physical.height_px;
            if (window)
                SDL_GetWindowSize(window.get(), &w, &h);
            pointer(kind, Source::Mouse, input::PointerEvent::mouse_id, double(x) / std::max(1, w),
                double(y) / std::max(1, h), time_ms, now);
            break;
        }
        default:
            break;
        }
    }

    // One turn of the loop without sleeping: time-driven gestures, navigator, frame.
    void iterate(std::uint64_t now)
    {
        apply_gestures(gestures->tick(now), now);
        poll_updates(now);
        bool const was_moving = navigator->animating(now);
        navigator->update(now);
        activate_pending(now, !was_moving && navigator->animating(now) && !navigator->dragging());
        note_health(now);
        if (navigator->take_idle_reset()) {
            std::string const home = starting_language(config, content.pack.get());
            if (home != language) {
                language = home;
                dirty = true;
            }
        }
        if (mode() == LanguageMode::Alternate && navigator->cycle_count() != seen_cycles) {
            seen_cycles = navigator->cycle_count();
            switch_language();
        }
        show::ViewState const view = navigator->view(now);
        if (view.current != logged_slide && content.pack) {
            logged_slide = view.current;
            log::debug("show",
                "slide " + std::to_string(view.current + 1) + "/" + std::to_string(slide_count()) + " ("
                    + content.pack->slides[std::size_t(view.current)].name + ")");
        }
        request_neighbours(view);
        // Render on change: a frame when something moves, or when the picture differs from the
        // last one drawn (a transition just finished, a language switched, a pause toggled).
        bool const toast_fading = toast && now + 400 >= toast_until_ms && now <= toast_until_ms + 20;
        if (dirty || navigator->animating(now) || toast_fading || !last_drawn || !same_picture(*last_drawn, view)) {
            pace_frame();
            draw(view);
            last_drawn = view;
            dirty = false;
            if (toast && now > toast_until_ms)
                toast.reset();
        }
        systemd_tick(now);
    }

    static bool same_picture(show::ViewState const& a, show::ViewState const& b)
    {
        return a.current == b.current && a.next == b.next && a.motion == b.motion && a.progress == b.progress
            && a.offset == b.offset && a.paused == b.paused;
    }

    // Some drivers report vsync and then do not block in present (seen with SDL's offscreen GL):
    // an animation would then spin a core. Never draw faster than ~60 Hz, whatever the driver says.
    void pace_frame()
    {
        if (config.window == WindowMode::Headless)
            return; // scripted runs advance a virtual clock; nothing to wait for
        std::uint64_t const now = SDL_GetTicks64();
        if (last_present_ticks && now < last_present_ticks + min_frame_ms)
            SDL_Delay(std::uint32_t(last_present_ticks + min_frame_ms - now));
        last_present_ticks = SDL_GetTicks64();
    }

    std::uint64_t event_time(SDL_Event const& event, std::uint64_t now) const
    {
        // SDL stamps events with a 32-bit millisecond tick that wraps after 49.7 days; the kiosk
        // runs for months. The event's age is wrap-safe in 32 bits; subtract it from our clock.
        std::uint32_t const age = std::uint32_t(SDL_GetTicks()) - event.common.timestamp;
        return now - std::min<std::uint64_t>(age, now);
    }

    void wait_for_events(std::uint64_t now)
    {
        int timeout_ms = 0;
        if (!navigator->animating(now)) {
            std::optional<std::uint64_t> deadline = navigator->next_deadline_ms(now);
            auto earliest = [&](std::optional<std::uint64_t> candidate) {
                if (candidate && (!deadline || *candidate < *deadline))
                    deadline = candidate;
            };
            earliest(gestures->next_deadline_ms());
            if (toast) // the fade-out, then the end of the toast
                earliest(now + 400 < toast_until_ms ? toast_until_ms - 400 : now + 16);
            if (watchdog_interval_ms)
                earliest(last_watchdog_ms + *watchdog_interval_ms);
            if (store && content_from_store && !healthy_noted)
                earliest(content_since_ms + update::Store::suggested_healthy_after_ms);
            if (pending_pack) { // wakes at the navigator's next move anyway; else the patience runs out
                if (!content.pack || slide_count() < 2)
                    earliest(now);
                else if (navigator->paused())
                    earliest(pending_since_ms + pending_patience_ms);
            }
            // Nothing scheduled: still wake once a minute (cheap), so nothing can stall forever.
            std::uint64_t wait = deadline ? (*deadline > now ? *deadline - now : 0) : 60'000;
            if (config.run_for_ms)
                wait = std::min<std::uint64_t>(wait,
                    std::uint64_t(std::max<std::int64_t>(1, *config.run_for_ms - std::int64_t(now - started_ms))));
            timeout_ms = int(std::min<std::uint64_t>(wait, 60'000));
        } else if (!vsync) {
            timeout_ms = 16; // no vsync to pace the animation: about 60 frames per second
        }
        SDL_Event event;
        bool const got = timeout_ms > 0 ? SDL_WaitEventTimeout(&event, timeout_ms) : SDL_PollEvent(&event);
        if (!got)
            return;
        std::uint64_t const after = clock.now_ms();
        handle(event, event_time(event, after));
        while (SDL_PollEvent(&event))
            handle(event, event_time(event, after));
    }

    Status screenshot(std::filesystem::path const& path)
    {
        draw(navigator->view(clock.now_ms()));
        return render::save_screenshot(renderer.get(), physical.width_px, physical.height_px, path);
    }
};

Display::Display(Config const& config, Clock& clock)
    : m(std::make_unique<State>(config, clock))
{
}

Display::~Display() = default;

int Display::run()
{
    if (auto started = m->start(); !started) {
        log::error("app", started.message());
        return 2;
    }
    m->started_ms = m->clock.now_ms();
    while (m->running) {
        std::uint64_t const now = m->clock.now_ms();
        if (m->config.run_for_ms && now >= m->started_ms + std::uint64_t(*m->config.run_for_ms))
            break;
        m->iterate(now);
        m->wait_for_events(now);
    }
    if (m->store && !m->store->note_clean_exit())
        log::warn("update", "cannot note the clean exit"); // lead: keep on merge
    // Render on change: a still slide costs no frames. Tests read this line.
    log::info("app",
        "drew " + std::to_string(m->frames) + " frames in " + std::to_string(m->clock.now_ms() - m->started_ms)
            + " ms");
    return 0;
}

int Display::run_script(std::vector<ScriptStep> const& steps, FakeClock& clock)
{
    if (auto started = m->start(); !started) {
        log::error("app", started.message());
        return 2;
    }
    constexpr std::uint64_t frame_ms = 16;
    auto advance = [&](std::uint64_t ms) {
        // Time passes in frame-sized steps, as it would on a 60 Hz panel.
        while (ms > 0) {
            std::uint64_t const step = std::min(ms, frame_ms);
            clock.advance(step);
            ms -= step;
            m->iterate(clock.now_ms());
        }
    };
    auto physical_point = [&](double x, double y) {
        return std::pair { x / std::max(1, m->physical.width_px), y / std::max(1, m->physical.height_px) };
    };
    auto finger = [&](Uint32 type, double x, double y) {
        SDL_Event event {};
        event.type = type;
        event.tfinger.fingerId = 1;
        auto [nx, ny] = physical_point(x, y);
        event.tfinger.x = float(nx);
        event.tfinger.y = float(ny);
        m->handle(event, clock.now_ms());
    };
    auto mouse = [&](Uint32 type, double x, double y) {
        SDL_Event event {};
        event.type = type;
        if (type == SDL_MOUSEMOTION) {
            event.motion.x = int(x);
            event.motion.y = int(y);
        } else {
            event.button.button = SDL_BUTTON_LEFT;
            event.button.x = int(x);
            event.button.y = int(y);
        }
        m->handle(event, clock.now_ms());
    };
    int failures = 0;
    auto expect = [&](ScriptStep const& step, bool ok, std::string const& expected, std::string const& actual) {
        if (ok)
            return;
        ++failures;
        log::error("script", "line " + std::to_string(step.line) + ": expected " + expected + ", but " + actual);
    };
    m->iterate(clock.now_ms());
    for (auto const& step : steps) {
        switch (step.kind) {
        case ScriptStep::Kind::Wait:
            advance(std::uint64_t(step.ms));
            break;
        case ScriptStep::Kind::Tap:
            finger(SDL_FINGERDOWN, step.x1, step.y1);
            advance(80);
            finger(SDL_FINGERUP, step.x1, step.y1);
            advance(frame_ms);
            break;
        case ScriptStep::Kind::Click:
            mouse(SDL_MOUSEBUTTONDOWN, step.x1, step.y1);
            advance(80);
            mouse(SDL_MOUSEBUTTONUP, step.x1, step.y1);
            advance(frame_ms);
            break;
        case ScriptStep::Kind::Drag:
        case ScriptStep::Kind::MouseDrag: {
            bool const touch = step.kind == ScriptStep::Kind::Drag;
            touch ? finger(SDL_FINGERDOWN, step.x1, step.y1) : mouse(SDL_MOUSEBUTTONDOWN, step.x1, step.y1);
            int const moves = std::max(1, step.ms / int(frame_ms));
            for (int i = 1; i <= moves; ++i) {
                advance(std::uint64_t(step.ms) / std::uint64_t(moves));
                double const t = double(i) / moves;
                double const x = step.x1 + (step.x2 - step.x1) * t;
                double const y = step.y1 + (step.y2 - step.y1) * t;
                touch ? finger(SDL_FINGERMOTION, x, y) : mouse(SDL_MOUSEMOTION, x, y);
            }
            touch ? finger(SDL_FINGERUP, step.x2, step.y2) : mouse(SDL_MOUSEBUTTONUP, step.x2, step.y2);
            advance(frame_ms);
            break;
        }
        case ScriptStep::Kind::Key: {
            SDL_Keycode const code = SDL_GetKeyFromName(step.text.c_str());
            if (code == SDLK_UNKNOWN) {
                log::error("script", "line " + std::to_string(step.line) + ": unknown key '" + step.text + "'");
                return 2;
            }
            m->key(code, clock.now_ms());
            advance(frame_ms);
            break;
        }
        case ScriptStep::Kind::Screenshot:
            if (auto saved = m->screenshot(step.text); !saved) {
                log::error("script", saved.message());
                return 2;
            }
            break;
        case ScriptStep::Kind::ExpectSlide: {
            int const shown = m->navigator->view(clock.now_ms()).current + 1;
            expect(step, shown == step.number, "slide " + std::to_string(step.number),
                "slide " + std::to_string(shown) + " is on screen");
            break;
        }
        case ScriptStep::Kind::ExpectPaused: {
            bool const paused = m->navigator->paused();
            expect(step, paused == (step.text == "yes"), step.text == "yes" ? "paused" : "running",
                paused ? "the show is paused" : "the show is running");
            break;
        }
        case ScriptStep::Kind::ExpectLanguage:
            expect(step, m->language == step.text, "language " + step.text, "the language is " + m->language);
            break;
        }
        if (!m->running)
            break;
    }
    if (failures == 0)
        log::info("script", std::to_string(steps.size()) + " steps, all expectations met");
    return failures == 0 ? 0 : 1;
}

} // namespace kiosk::app
