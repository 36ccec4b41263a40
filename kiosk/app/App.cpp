#include "kiosk/app/App.h"

#include "kiosk/content/PackReader.h"
#include "platform/Log.h"

#include <algorithm>
#include <cstdio>

namespace kiosk::app {

namespace fs = std::filesystem;

LoadedContent load_content(Config const& config)
{
    LoadedContent out;
    std::vector<fs::path> candidates;
    if (config.pack)
        candidates.push_back(*config.pack);
    candidates.push_back(config.builtin_pack);
    for (auto const& candidate : candidates) {
        auto pack = content::read_pack(candidate);
        if (pack) {
            out.pack = std::make_shared<content::Pack const>(std::move(pack.value()));
            out.source = candidate;
            return out;
        }
        log::error("content", pack.message());
        out.problem += (out.problem.empty() ? "" : "\n") + pack.message();
    }
    return out;
}

namespace {

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

std::string starting_language(Config const& config, content::Pack const* pack)
{
    if (!pack)
        return "en";
    auto const& langs = pack->meta.languages;
    if (!config.language.empty() && std::find(langs.begin(), langs.end(), config.language) != langs.end())
        return config.language;
    return pack->meta.default_language;
}

// Renders one still slide with the software renderer into a surface and saves it.
Status render_still(text::FontSet& fonts, LoadedContent const& loaded, int index, render::LanguageOrder const& order,
    render::ScreenSize screen, fs::path const& out)
{
    SurfacePtr surface(
        SDL_CreateRGBSurfaceWithFormat(0, screen.width_px, screen.height_px, 32, SDL_PIXELFORMAT_ARGB8888));
    if (!surface)
        return make_error(std::string("cannot allocate the offscreen surface: ") + SDL_GetError());
    RendererPtr renderer(SDL_CreateSoftwareRenderer(surface.get()));
    if (!renderer)
        return make_error(std::string("cannot create the software renderer: ") + SDL_GetError());
    render::FrameRenderer frame(renderer.get(), screen);
    render::SlideComposer composer(fonts);
    render::PreparedSlide prepared = loaded.pack
        ? composer.compose(*loaded.pack, index, order, screen)
        : composer.compose_message("No content to show", loaded.problem, screen);
    TexturePtr texture = frame.upload(prepared);
    show::ViewState view;
    view.current = index;
    render::Overlay overlay;
    overlay.slide_count = loaded.pack ? int(loaded.pack->slides.size()) : 0;
    frame.draw(view, texture.get(), nullptr, overlay);
    SDL_RenderPresent(renderer.get());
    return render::save_screenshot(renderer.get(), screen.width_px, screen.height_px, out);
}

std::string two_digits(int n)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02d", n);
    return buffer;
}

} // namespace

int App::render_headless(Config const& config)
{
    auto fonts = text::FontSet::open(config.assets_dir / "fonts");
    if (!fonts) {
        log::error("text", fonts.message());
        return 2;
    }
    LoadedContent const loaded = load_content(config);
    render::ScreenSize const screen { config.width_px, config.height_px };
    content::Pack const* pack = loaded.pack.get();
    std::string const lang = starting_language(config, pack);

    if (config.screenshot) {
        int const count = pack ? int(pack->slides.size()) : 1;
        int const slide = config.slide.value_or(1);
        if (slide < 1 || slide > count) {
            log::error("app",
                "--slide " + std::to_string(slide) + " is out of range: the pack has " + std::to_string(count)
                    + " slides");
            return 2;
        }
        auto saved = render_still(fonts.value(), loaded, slide - 1, language_order(pack, config.language_mode, lang),
            screen, *config.screenshot);
        if (!saved) {
            log::error("app", saved.message());
            return 1;
        }
        std::printf("%s\n", config.screenshot->c_str());
        return loaded.pack ? 0 : 1;
    }

    // --preview-dir: every slide, once with each language in front.
    fs::path const dir = *config.preview_dir;
    std::error_code ec;
    fs::create_directories(dir, ec);
    int const count = pack ? int(pack->slides.size()) : 1;
    std::vector<std::string> const langs = pack ? pack->meta.languages : std::vector<std::string> { "en" };
    int written = 0;
    for (int i = 0; i < count; ++i) {
        for (auto const& primary : langs) {
            fs::path const out = dir / ("slide-" + two_digits(i + 1) + "-" + primary + ".png");
            auto saved = render_still(
                fonts.value(), loaded, i, language_order(pack, config.language_mode, primary), screen, out);
            if (!saved) {
                log::error("app", saved.message());
                return 1;
            }
            ++written;
        }
    }
    std::printf("Rendered %d slide images (%dx%d) to %s/slide-NN-<lang>.png\n", written, screen.width_px,
        screen.height_px, dir.c_str());
    return loaded.pack ? 0 : 1;
}

namespace {

// The interactive loop's state. Declaration order is destruction order: textures before the
// renderer, the renderer before the window.
class Display {
public:
    Display(Config const& config, Clock& clock)
        : m_config(config)
        , m_clock(clock)
    {
    }

    int run()
    {
        if (auto started = start(); !started) {
            log::error("app", started.message());
            return 2;
        }
        m_content = load_content(m_config);
        m_language = starting_language(m_config, m_content.pack.get());
        m_navigator = std::make_unique<show::Navigator>(durations(), m_clock.now_ms());
        m_dirty = true;
        m_started_ms = m_clock.now_ms();
        while (m_running) {
            std::uint64_t const now = m_clock.now_ms();
            if (m_config.run_for_ms && now >= m_started_ms + std::uint64_t(*m_config.run_for_ms))
                break;
            m_navigator->update(now);
            update_language();
            show::ViewState const view = m_navigator->view(now);
            request_neighbours(view);
            if (m_dirty || m_navigator->animating(now)) {
                draw(view);
                m_dirty = false;
            }
            wait_for_events(now);
        }
        // Render on change: a still slide costs no frames. Tests read this line.
        log::info("app",
            "drew " + std::to_string(m_frames) + " frames in " + std::to_string(m_clock.now_ms() - m_started_ms)
                + " ms");
        return 0;
    }

private:
    Status start()
    {
        if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
            return make_error(std::string("cannot start SDL video: ") + SDL_GetError()
                + " (is a display available? use --headless --screenshot to render offscreen)");
        m_sdl_started = true;
        SDL_DisableScreenSaver();
        Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
        flags |= m_config.window == WindowMode::Fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE;
        m_window.reset(SDL_CreateWindow(
            "Kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, m_config.width_px, m_config.height_px, flags));
        if (!m_window)
            return make_error(std::string("cannot open a window: ") + SDL_GetError());
        if (m_config.window == WindowMode::Fullscreen)
            SDL_ShowCursor(SDL_DISABLE);
        m_renderer.reset(SDL_CreateRenderer(
            m_window.get(), -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC | SDL_RENDERER_TARGETTEXTURE));
        if (!m_renderer) {
            log::warn(
                "app", std::string("no accelerated renderer (") + SDL_GetError() + "); using the software renderer");
            m_renderer.reset(
                SDL_CreateRenderer(m_window.get(), -1, SDL_RENDERER_SOFTWARE | SDL_RENDERER_TARGETTEXTURE));
        }
        if (!m_renderer)
            return make_error(std::string("cannot create a renderer: ") + SDL_GetError());
        SDL_RendererInfo info {};
        SDL_GetRendererInfo(m_renderer.get(), &info);
        m_vsync = (info.flags & SDL_RENDERER_PRESENTVSYNC) != 0;
        log::info("app", std::string("renderer: ") + info.name + (m_vsync ? " (vsync)" : ""));
        auto fonts = text::FontSet::open(m_config.assets_dir / "fonts");
        if (!fonts)
            return fonts.error();
        m_fonts = std::make_unique<text::FontSet>(std::move(fonts.value()));
        return resize();
    }

    Status resize()
    {
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(m_renderer.get(), &w, &h);
        m_screen = { w, h };
        m_textures.clear();
        m_frame = std::make_unique<render::FrameRenderer>(m_renderer.get(), m_screen);
        auto loader_fonts = text::FontSet::open(m_config.assets_dir / "fonts");
        if (!loader_fonts)
            return loader_fonts.error();
        m_loader.reset();
        m_loader = std::make_unique<render::SlideLoader>(std::move(loader_fonts.value()), m_screen);
        m_dirty = true;
        return {};
    }

    std::vector<int> durations() const
    {
        std::vector<int> out;
        if (m_content.pack) {
            for (auto const& slide : m_content.pack->slides)
                out.push_back(slide.duration_ms);
        }
        return out;
    }

    render::SlideKey key_for(int index) const
    {
        return { m_generation, index, language_order(m_content.pack.get(), m_config.language_mode, m_language) };
    }

    void request_neighbours(show::ViewState const& view)
    {
        if (!m_content.pack || !m_loader)
            return;
        int const n = int(m_content.pack->slides.size());
        for (int index : { view.current, (view.current + 1) % n, (view.current + n - 1) % n }) {
            if (!m_textures.contains(key_for(index)))
                m_loader->request(m_content.pack, key_for(index));
        }
    }

    SDL_Texture* texture_for(int index)
    {
        if (index < 0)
            return nullptr;
        render::SlideKey const key = key_for(index);
        if (auto it = m_textures.find(key); it != m_textures.end())
            return it->second.get();
        std::optional<render::PreparedSlide> prepared = m_loader->take(key);
        if (!prepared) {
            // Not ready in the background (the first slide, or a jump): compose it here, once.
            render::SlideComposer composer(*m_fonts);
            prepared = m_content.pack ? composer.compose(*m_content.pack, index, key.languages, m_screen)
                                      : composer.compose_message("No content to show", m_content.problem, m_screen);
        }
        TexturePtr texture = m_frame->upload(*prepared);
        SDL_Texture* raw = texture.get();
        // Keep the few slides around the screen: bounded GPU memory on a months-long run.
        while (m_textures.size() >= 4)
            m_textures.erase(m_textures.begin());
        m_textures[key] = std::move(texture);
        return raw;
    }

    void draw(show::ViewState const& view)
    {
        render::Overlay overlay;
        overlay.slide_count = m_content.pack ? int(m_content.pack->slides.size()) : 0;
        SDL_Texture* current = texture_for(m_content.pack ? view.current : 0);
        SDL_Texture* next = view.next >= 0 ? texture_for(view.next) : nullptr;
        m_frame->draw(view, current, next, overlay);
        SDL_RenderPresent(m_renderer.get());
        ++m_frames;
    }

    void update_language()
    {
        if (m_config.language_mode != LanguageMode::Alternate || !m_content.pack)
            return;
        auto const& langs = m_content.pack->meta.languages;
        int const cycles = m_navigator->cycle_count();
        if (cycles == m_seen_cycles || langs.empty())
            return;
        m_seen_cycles = cycles;
        auto it = std::find(langs.begin(), langs.end(), m_language);
        m_language = (it == langs.end() || it + 1 == langs.end()) ? langs.front() : *(it + 1);
        m_dirty = true;
    }

    void switch_language()
    {
        if (!m_content.pack || m_content.pack->meta.languages.size() < 2)
            return;
        auto const& langs = m_content.pack->meta.languages;
        auto it = std::find(langs.begin(), langs.end(), m_language);
        m_language = (it == langs.end() || it + 1 == langs.end()) ? langs.front() : *(it + 1);
        m_dirty = true;
    }

    void wait_for_events(std::uint64_t now)
    {
        int timeout_ms = 0;
        if (!m_navigator->animating(now)) {
            auto deadline = m_navigator->next_deadline_ms(now);
            // Nothing scheduled: still wake now and then (cheap) so a stalled clock can't freeze us.
            std::uint64_t wait = deadline ? (*deadline > now ? *deadline - now : 0) : 60'000;
            if (m_config.run_for_ms)
                wait = std::min<std::uint64_t>(
                    wait, std::max<std::int64_t>(1, *m_config.run_for_ms - std::int64_t(now - m_started_ms)));
            timeout_ms = int(std::min<std::uint64_t>(wait, 60'000));
        } else if (!m_vsync) {
            timeout_ms = 16; // no vsync to pace the animation: about 60 frames per second
        }
        SDL_Event event;
        bool const got = timeout_ms > 0 ? SDL_WaitEventTimeout(&event, timeout_ms) : SDL_PollEvent(&event);
        if (!got)
            return;
        handle(event);
        while (SDL_PollEvent(&event))
            handle(event);
    }

    void handle(SDL_Event const& event)
    {
        std::uint64_t const now = m_clock.now_ms();
        switch (event.type) {
        case SDL_QUIT:
            if (!m_config.kiosk_mode)
                m_running = false;
            break;
        case SDL_WINDOWEVENT:
            if (event.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
                if (auto resized = resize(); !resized)
                    log::error("app", resized.message());
            } else if (event.window.event == SDL_WINDOWEVENT_EXPOSED) {
                m_dirty = true;
            }
            break;
        case SDL_KEYDOWN:
            switch (event.key.keysym.sym) {
            case SDLK_RIGHT:
                m_navigator->go_next(now);
                break;
            case SDLK_LEFT:
                m_navigator->go_previous(now);
                break;
            case SDLK_SPACE:
                m_navigator->set_paused(!m_navigator->paused(), now);
                m_dirty = true;
                break;
            case SDLK_l:
                switch_language();
                break;
            case SDLK_ESCAPE:
            case SDLK_q:
                if (!m_config.kiosk_mode)
                    m_running = false;
                break;
            default:
                break;
            }
            break;
        case SDL_MOUSEBUTTONUP:
            if (event.button.which != SDL_TOUCH_MOUSEID && m_content.pack) {
                int const dot = m_frame->dot_at(event.button.x, event.button.y, int(m_content.pack->slides.size()));
                if (dot >= 0)
                    m_navigator->jump_to(dot, now);
            }
            break;
        default:
            break;
        }
    }

    Config const& m_config;
    Clock& m_clock;
    bool m_sdl_started { false };
    struct SdlQuit {
        bool* started;
        ~SdlQuit()
        {
            if (*started)
                SDL_Quit();
        }
    } m_sdl_quit { &m_sdl_started };
    WindowPtr m_window;
    RendererPtr m_renderer;
    std::unique_ptr<text::FontSet> m_fonts;
    render::ScreenSize m_screen;
    std::unique_ptr<render::FrameRenderer> m_frame;
    std::map<render::SlideKey, TexturePtr> m_textures;
    std::unique_ptr<render::SlideLoader> m_loader;
    LoadedContent m_content;
    std::uint64_t m_generation { 1 };
    std::unique_ptr<show::Navigator> m_navigator;
    std::string m_language;
    int m_seen_cycles { 0 };
    bool m_vsync { false };
    bool m_dirty { true };
    bool m_running { true };
    std::uint64_t m_frames { 0 };
    std::uint64_t m_started_ms { 0 };
};

} // namespace

int App::run_display(Config const& config, Clock& clock)
{
    Display display(config, clock);
    return display.run();
}

} // namespace kiosk::app
