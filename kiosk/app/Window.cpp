#include "kiosk/app/Window.h"

#include "platform/Log.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <thread>

namespace kiosk::app {

namespace {

std::atomic<bool> g_quit_signal { false };
using SignalHandler = void (*)(int);
SignalHandler g_previous_handlers[2] { nullptr, nullptr };

extern "C" void on_quit_signal(int sig)
{
    g_quit_signal.store(true);
    // SDL's own handler (when SDL_Init installed one) turns the signal into SDL_QUIT at the next
    // pump, which also ends a sleep in SDL_WaitEventTimeout. Chain to it.
    SignalHandler const previous = g_previous_handlers[sig == SIGTERM ? 1 : 0];
    if (previous && previous != SIG_DFL && previous != SIG_IGN && previous != on_quit_signal)
        previous(sig);
}

// After SDL_Init (which installs SDL's handlers when none is set), so both run.
void install_quit_signals()
{
    g_previous_handlers[0] = std::signal(SIGINT, on_quit_signal);
    g_previous_handlers[1] = std::signal(SIGTERM, on_quit_signal);
}

// Mesa's software rasterisers: a GL "GPU" that is really the CPU, slower than SDL's own software
// renderer for what this app draws (docs/performance.md).
bool is_software_gl(std::string_view gl_renderer)
{
    for (char const* name : { "llvmpipe", "softpipe", "Software Rasterizer", "swrast" }) {
        if (gl_renderer.find(name) != std::string_view::npos)
            return true;
    }
    return false;
}

// GL_RENDERER of the renderer's own context (the OpenGL and OpenGL ES 2 renderers make theirs current).
std::string gl_renderer_name()
{
    using GetString = unsigned char const* (*)(unsigned int);
    auto* get_string = reinterpret_cast<GetString>(SDL_GL_GetProcAddress("glGetString"));
    if (!get_string || !SDL_GL_GetCurrentContext())
        return {};
    constexpr unsigned int gl_renderer = 0x1F01; // GL_RENDERER
    unsigned char const* name = get_string(gl_renderer);
    return name ? reinterpret_cast<char const*>(name) : "";
}

// Whether the machine has a GPU the kernel drives: a DRM node (/dev/dri/renderD*, /dev/dri/card*), as
// on a Raspberry Pi with its KMS driver or an Intel NUC. Without one, Mesa's only GL is a software
// rasteriser, and asking for it costs more than it answers: loading llvmpipe (libLLVM, about 100 MB
// of mappings) takes a few hundred milliseconds of the start and stays in the process's memory.
bool has_drm_device()
{
    std::error_code ec;
    for (auto const& entry : std::filesystem::directory_iterator("/dev/dri", ec)) {
        std::string const name = entry.path().filename().string();
        if (name.starts_with("renderD") || name.starts_with("card"))
            return true;
    }
    return false;
}

int driver_index(std::string_view name)
{
    for (int i = 0; i < SDL_GetNumRenderDrivers(); ++i) {
        SDL_RendererInfo info {};
        if (SDL_GetRenderDriverInfo(i, &info) == 0 && name == info.name)
            return i;
    }
    return -1;
}

class SdlWindow final : public Window {
public:
    SdlWindow(Clock const& clock)
        : m_clock(clock)
    {
    }
    ~SdlWindow() override
    {
        m_renderer.reset();
        m_window.reset();
        if (m_sdl_started)
            SDL_Quit();
    }

    Status open(Config const& config)
    {
        // With SDL's offscreen driver a non-accelerated framebuffer saves a full-frame copy on
        // every present (measured for this project); real displays keep SDL's default.
        if (char const* driver = SDL_getenv("SDL_VIDEODRIVER"); driver && std::string_view(driver) == "offscreen")
            SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
            return make_error(std::string("cannot start SDL video: ") + SDL_GetError()
                + " (no display? `kiosk --headless --screenshot out.png` renders offscreen)");
        m_sdl_started = true;
        install_quit_signals();
        SDL_DisableScreenSaver(); // a lobby display never blanks by itself
        Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
        flags |= config.window == WindowMode::Fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : SDL_WINDOW_RESIZABLE;
        int width_px = config.width_px;
        int height_px = config.height_px;
        // Fullscreen covers the display whatever its size: with no window manager (a bare X session,
        // as kiosks often run, or Xvfb) nobody resizes a "fullscreen desktop" window, which would stay
        // at the 1920x1080 default, centred, on a 4K panel.
        SDL_DisplayMode desktop {};
        if (config.window == WindowMode::Fullscreen && SDL_GetDesktopDisplayMode(0, &desktop) == 0 && desktop.w > 0
            && desktop.h > 0) {
            width_px = desktop.w;
            height_px = desktop.h;
        }
        m_window.reset(
            SDL_CreateWindow("Kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width_px, height_px, flags));
        if (!m_window)
            return make_error(std::string("cannot open a window: ") + SDL_GetError());
        if (config.window == WindowMode::Fullscreen)
            SDL_ShowCursor(SDL_DISABLE);
        KIOSK_TRY(create_renderer(config.renderer));
        SDL_RendererInfo info {};
        SDL_GetRendererInfo(m_renderer.get(), &info);
        m_vsync = (info.flags & SDL_RENDERER_PRESENTVSYNC) != 0;
        log::info("app", std::string("renderer: ") + info.name + (m_vsync ? " (vsync)" : "") + "; " + m_why);
        return {};
    }

    SDL_Renderer* renderer() const override { return m_renderer.get(); }
    render::ScreenSize output_size() const override
    {
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(m_renderer.get(), &w, &h);
        return { w, h };
    }
    render::ScreenSize pointer_space() const override
    {
        int w = 0, h = 0;
        SDL_GetWindowSize(m_window.get(), &w, &h);
        return { w, h };
    }
    bool vsync() const override { return m_vsync; }
    void present() override { SDL_RenderPresent(m_renderer.get()); }

    TimeMs now_ms() const override { return m_clock.now_ms(); }
    std::vector<TimedEvent> poll(TimeMs now) override
    {
        std::vector<TimedEvent> out;
        SDL_Event event;
        std::uint32_t const ticks = SDL_GetTicks();
        while (SDL_PollEvent(&event))
            out.push_back({ event, event_time(event.common.timestamp, ticks, now) });
        return out;
    }
    void wait_until(TimeMs deadline_ms) override
    {
        TimeMs const now = m_clock.now_ms();
        if (deadline_ms <= now)
            return;
        // Capped at a minute so nothing can stall forever; the loop simply computes again.
        int const timeout_ms = int(std::min<TimeMs>(deadline_ms - now, 60'000));
        SDL_WaitEventTimeout(nullptr, timeout_ms); // leaves the event queued for poll()
    }

private:
    Status create_renderer(RendererChoice choice)
    {
        Uint32 const accelerated = SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC | SDL_RENDERER_TARGETTEXTURE;
        if (choice == RendererChoice::Software) {
            create_software_renderer();
            m_why = "forced by --renderer software";
        } else if (choice == RendererChoice::OpenGL || choice == RendererChoice::OpenGLES2) {
            char const* name = choice == RendererChoice::OpenGL ? "opengl" : "opengles2";
            int const index = driver_index(name);
            if (index < 0)
                return make_error(std::string("--renderer ") + name + ": this SDL has no such renderer");
            m_renderer.reset(SDL_CreateRenderer(m_window.get(), index, accelerated));
            m_why = std::string("forced by --renderer ") + name;
        } else if (char const* forced = SDL_getenv("SDL_RENDER_DRIVER"); forced && *forced) {
            if (std::string_view(forced) == "software")
                SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0"); // see create_software_renderer()
            m_renderer.reset(SDL_CreateRenderer(m_window.get(), -1, accelerated));
            m_why = std::string("SDL_RENDER_DRIVER=") + forced;
        } else if (!has_drm_device()) {
            create_software_renderer();
            m_why = "auto: no GPU device (/dev/dri has no card or render node), SDL's software renderer";
        } else {
            m_renderer.reset(SDL_CreateRenderer(m_window.get(), -1, accelerated));
            if (m_renderer) {
                std::string const gl = gl_renderer_name();
                if (is_software_gl(gl)) {
                    m_renderer.reset();
                    create_software_renderer();
                    m_why
                        = "auto: the only GL is a software rasteriser (" + gl + "), SDL's software renderer is cheaper";
                } else {
                    m_why = gl.empty() ? "auto: SDL's first accelerated renderer" : "auto: GPU " + gl;
                }
            }
        }
        if (!m_renderer && choice == RendererChoice::Auto) {
            log::warn(
                "app", std::string("no accelerated renderer (") + SDL_GetError() + "); using the software renderer");
            create_software_renderer();
            m_why = "auto: no accelerated renderer";
        }
        if (!m_renderer)
            return make_error(std::string("cannot create a renderer: ") + SDL_GetError());
        return {};
    }

    // SDL's software renderer draws into the window's framebuffer surface. On X11, SDL 2.26 makes
    // that surface a texture of an accelerated renderer when it can (SDL_HINT_FRAMEBUFFER_ACCELERATION
    // unset), so without a GPU every present went through llvmpipe: 17 ms of CPU for a 1080p frame,
    // against 0.4 ms for SDL's plain XShmPutImage (docs/performance.md). The hint is read when the
    // window's framebuffer is first made, i.e. in this SDL_CreateRenderer.
    void create_software_renderer()
    {
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        m_renderer.reset(SDL_CreateRenderer(
            m_window.get(), driver_index("software"), SDL_RENDERER_SOFTWARE | SDL_RENDERER_TARGETTEXTURE));
    }

    Clock const& m_clock;
    bool m_sdl_started { false };
    WindowPtr m_window;
    RendererPtr m_renderer; // before the window is destroyed
    bool m_vsync { false };
    std::string m_why;
};

class HeadlessWindow final : public Window {
public:
    explicit HeadlessWindow(Clock const& clock)
        : m_clock(clock)
    {
    }
    Status open(Config const& config)
    {
        install_quit_signals();
        m_surface.reset(
            SDL_CreateRGBSurfaceWithFormat(0, config.width_px, config.height_px, 32, SDL_PIXELFORMAT_ARGB8888));
        if (!m_surface)
            return make_error(std::string("cannot allocate the offscreen surface: ") + SDL_GetError());
        m_renderer.reset(SDL_CreateSoftwareRenderer(m_surface.get()));
        if (!m_renderer)
            return make_error(std::string("cannot create the software renderer: ") + SDL_GetError());
        log::info("app", "renderer: software (headless, on a surface)");
        return {};
    }

    SDL_Renderer* renderer() const override { return m_renderer.get(); }
    render::ScreenSize output_size() const override { return { m_surface->w, m_surface->h }; }
    render::ScreenSize pointer_space() const override { return output_size(); }
    bool vsync() const override { return false; }
    void present() override { SDL_RenderPresent(m_renderer.get()); }
    TimeMs now_ms() const override { return m_clock.now_ms(); }
    std::vector<TimedEvent> poll(TimeMs) override { return {}; }
    void wait_until(TimeMs deadline_ms) override
    {
        TimeMs const now = m_clock.now_ms();
        if (deadline_ms > now)
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min<TimeMs>(deadline_ms - now, 60'000)));
    }

private:
    Clock const& m_clock;
    SurfacePtr m_surface; // the "panel"
    RendererPtr m_renderer; // destroyed before the surface
};

} // namespace

bool Window::quit_signal_received()
{
    return g_quit_signal.load();
}

TimeMs event_time(std::uint32_t event_ticks, std::uint32_t ticks_now, TimeMs now_ms)
{
    std::uint32_t const age = ticks_now - event_ticks;
    return now_ms - std::min<TimeMs>(age, now_ms);
}

Result<std::unique_ptr<Window>> open_window(Config const& config, Clock const& clock)
{
    // A touch must not also act as a mouse click: SDL would synthesize mouse events from it.
    SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "0");
    SDL_SetHint(SDL_HINT_MOUSE_TOUCH_EVENTS, "0");
    if (config.window == WindowMode::Headless) {
        auto window = std::make_unique<HeadlessWindow>(clock);
        KIOSK_TRY(window->open(config));
        return std::unique_ptr<Window>(std::move(window));
    }
    auto window = std::make_unique<SdlWindow>(clock);
    KIOSK_TRY(window->open(config));
    return std::unique_ptr<Window>(std::move(window));
}

} // namespace kiosk::app
