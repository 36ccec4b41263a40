// kiosk-bench: the in-process figures of `make bench` (tests/bench/bench.py, docs/performance.md).
// Not a test: machines here are shared and noisy, so it prints medians and percentiles measured in
// one run and never asserts a time.
//
//   kiosk-bench [PACK] [--size WxH] [--json OUT]
//       Offscreen (software renderer into a surface, no window): pack open, slide composition, text
//       layout (cold: a fresh FontSet; warm), upload, still and crossfade frames.
//   kiosk-bench [PACK] --layout-only
//       Opens the fonts and lays out the text of every slide once (callgrind: instructions, not time).
//   kiosk-bench [PACK] --frames RENDERER [--json OUT] [--count N] [--layered]
//       In a real fullscreen window on $DISPLAY (run it under Xvfb at the size to measure) with SDL's
//       render driver RENDERER (software, opengl, opengles2): the present floor (copy one full-screen
//       texture, present), crossfade frames, drag frames, and the stall of a slide change (the frame
//       that starts a crossfade to a slide whose texture is not uploaded yet, as the app does it).
//       Frame times are wall-clock from the start of drawing to the return of SDL_RenderPresent;
//       cpu_ms_per_frame is the process's CPU time (all threads: llvmpipe renders on several) per frame.
//       Slides are flattened first, as the loader thread does (--layered: uploaded layer by layer).

#include "kiosk/content/PackReader.h"
#include "kiosk/render/Crossfade.h"
#include "kiosk/render/FrameRenderer.h"
#include "kiosk/render/SlideComposer.h"
#include "kiosk/render/SlideFlattener.h"
#include "kiosk/text/FontSet.h"
#include "kiosk/text/TextLayout.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace kiosk;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median_ms(int runs, std::function<void()> const& work)
{
    std::vector<double> samples;
    for (int i = 0; i < runs; ++i) {
        auto const start = Clock::now();
        work();
        samples.push_back(ms_since(start));
    }
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

double percentile(std::vector<double> samples, double p)
{
    if (samples.empty())
        return 0;
    std::sort(samples.begin(), samples.end());
    auto const index = std::size_t(std::lround(p * double(samples.size() - 1)));
    return samples[std::min(index, samples.size() - 1)];
}

double process_cpu_ms()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return (double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3);
}

long max_rss_kib()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// Flat name -> number results, printed as they come and written as one JSON object.
class Results {
public:
    void add(std::string const& name, double value, char const* unit)
    {
        m_values.emplace_back(name, value);
        std::printf("  %-40s %10.2f %s\n", name.c_str(), value, unit);
    }
    bool write(std::string const& path) const
    {
        std::FILE* out = std::fopen(path.c_str(), "w");
        if (!out)
            return false;
        std::fprintf(out, "{\n");
        for (std::size_t i = 0; i < m_values.size(); ++i)
            std::fprintf(out, "  \"%s\": %.3f%s\n", m_values[i].first.c_str(), m_values[i].second,
                i + 1 < m_values.size() ? "," : "");
        std::fprintf(out, "}\n");
        return std::fclose(out) == 0;
    }

private:
    std::vector<std::pair<std::string, double>> m_values;
};

// Lays out every text box of a slide as a hero slide does (kicker, titles, bodies, caption of each
// language, in a column 45 % of the screen wide): the text work of one slide without its image.
void layout_slide(text::FontSet& fonts, content::Slide const& slide, render::ScreenSize screen)
{
    double const unit = std::min(screen.width_px, screen.height_px) / 1080.0;
    auto style = [&](double preferred, double minimum, text::Weight weight, double height_fraction, int max_lines) {
        text::BoxStyle s;
        s.width_px = int(screen.width_px * 0.45);
        s.height_px = int(screen.height_px * height_fraction);
        s.preferred_size_px = int(std::lround(preferred * unit));
        s.min_size_px = int(std::lround(minimum * unit));
        s.weight = weight;
        s.max_lines = max_lines;
        return s;
    };
    bool primary = true;
    for (auto const& [lang, texts] : slide.text) {
        double const scale = primary ? 1.0 : 0.6;
        (void)text::layout_text(fonts, texts.kicker, lang, style(26, 20, text::Weight::Bold, 0.05, 1));
        (void)text::layout_text(fonts, texts.title, lang, style(62 * scale, 24, text::Weight::Bold, 0.18, 3));
        (void)text::layout_text(fonts, texts.body, lang, style(31 * scale, 18, text::Weight::Regular, 0.22, 0));
        (void)text::layout_text(fonts, texts.caption, lang, style(20, 16, text::Weight::Regular, 0.05, 2));
        primary = false;
    }
}

int run_offscreen(content::Pack const& pack, std::string const& pack_path, render::ScreenSize screen, Results& out)
{
    double const open_quick = median_ms(5, [&] { (void)content::read_pack(pack_path).value(); });
    double const open_full
        = median_ms(5, [&] { (void)content::read_pack(pack_path, content::IntegrityCheck::Full).value(); });
    out.add("pack_open_quick_ms", open_quick, "ms");
    out.add("pack_open_full_ms", open_full, "ms");

    int const n = int(pack.slides.size());
    // Cold: what the first slide of a start pays, fonts opened by a fresh FontSet included (median
    // of 5 fresh FontSets).
    std::vector<double> open_ms, cold_ms;
    for (int run = 0; run < 5; ++run) {
        auto const cold_start = Clock::now();
        auto cold_fonts = text::FontSet::open(KIOSK_SOURCE_DIR "/assets/fonts");
        if (!cold_fonts) {
            std::fprintf(stderr, "%s\n", cold_fonts.message().c_str());
            return 2;
        }
        open_ms.push_back(ms_since(cold_start));
        layout_slide(cold_fonts.value(), pack.slides.front(), screen);
        cold_ms.push_back(ms_since(cold_start));
    }
    out.add("font_open_ms", percentile(open_ms, 0.5), "ms");
    out.add("layout_cold_first_slide_ms", percentile(cold_ms, 0.5), "ms (fonts opened, first slide laid out)");

    auto fonts = text::FontSet::open(KIOSK_SOURCE_DIR "/assets/fonts");
    render::SlideComposer composer(fonts.value());
    // Warm the fonts once, as a running kiosk has.
    for (int i = 0; i < n; ++i)
        (void)composer.compose(pack, i, { "en", "zh" }, screen);
    std::vector<double> layout_ms;
    for (auto const& slide : pack.slides)
        layout_ms.push_back(median_ms(3, [&] { layout_slide(fonts.value(), slide, screen); }));
    out.add("layout_ms_per_slide", percentile(layout_ms, 0.5), "ms (median over slides)");

    std::vector<double> compose_ms;
    for (int i = 0; i < n; ++i) {
        for (auto order : { render::LanguageOrder { "en", "zh" }, render::LanguageOrder { "zh", "en" } })
            compose_ms.push_back(median_ms(3, [&] { (void)composer.compose(pack, i, order, screen); }));
    }
    out.add("compose_ms_p50", percentile(compose_ms, 0.5), "ms (decode image, lay out and rasterise text)");
    out.add("compose_ms_max", percentile(compose_ms, 1.0), "ms");

    SurfacePtr target(
        SDL_CreateRGBSurfaceWithFormat(0, screen.width_px, screen.height_px, 32, SDL_PIXELFORMAT_ARGB8888));
    RendererPtr renderer(SDL_CreateSoftwareRenderer(target.get()));
    render::FrameRenderer frame(renderer.get(), screen);
    render::PreparedSlide prepared = composer.compose(pack, 0, { "en", "zh" }, screen);
    render::PreparedSlide prepared_next = composer.compose(pack, 1 % n, { "en", "zh" }, screen);
    TexturePtr current;
    out.add("upload_ms", median_ms(5, [&] { current = frame.upload(prepared); }), "ms (software renderer)");
    TexturePtr next = frame.upload(prepared_next);
    render::Overlay overlay;
    overlay.slide_count = n;
    show::ViewState still;
    out.add(
        "offscreen_still_frame_ms", median_ms(30, [&] { frame.draw(still, current.get(), nullptr, overlay); }), "ms");
    show::ViewState fade;
    fade.next = 1 % n;
    fade.motion = show::Motion::Fade;
    fade.progress = 0.5;
    out.add("offscreen_crossfade_frame_ms",
        median_ms(30, [&] { frame.draw(fade, current.get(), next.get(), overlay); }), "ms");

    // The physical floor of a frame on this machine: copy one full frame, and blend two into a third
    // with kiosk/render/Crossfade (what the software crossfade costs before presenting).
    auto frame_surface = [&](Uint8 value) {
        SurfacePtr s(SDL_CreateRGBSurfaceWithFormat(0, screen.width_px, screen.height_px, 32, SDL_PIXELFORMAT_RGB888));
        std::memset(s->pixels, value, std::size_t(s->pitch) * std::size_t(s->h));
        return s;
    };
    SurfacePtr frame_a = frame_surface(40), frame_b = frame_surface(200), frame_out = frame_surface(0);
    std::size_t const frame_bytes = std::size_t(frame_a->pitch) * std::size_t(frame_a->h);
    out.add("frame_copy_ms", median_ms(30, [&] { std::memcpy(frame_out->pixels, frame_a->pixels, frame_bytes); }),
        "ms (memcpy of one frame)");
    int alpha = 0;
    out.add("own_crossfade_blend_ms",
        median_ms(30, [&] { (void)render::blend_surfaces(*frame_a, *frame_b, Uint8(++alpha * 8), *frame_out); }),
        "ms (render::blend_surfaces, two frames into a third)");
    out.add("bench_peak_rss_mb", double(max_rss_kib()) / 1024.0, "MiB");
    return 0;
}

// The frames of a real window. SDL picks the renderer named by SDL_HINT_RENDER_DRIVER.
int run_frames(content::Pack const& pack, std::string const& renderer_name, int count, bool layered, Results& out)
{
    SDL_SetHint(SDL_HINT_RENDER_DRIVER, renderer_name.c_str());
    // As the app does (app/Window.cpp): SDL's software renderer presents with the X server's
    // shared-memory copy, not through an OpenGL texture (llvmpipe here).
    if (renderer_name == "software")
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        std::fprintf(stderr, "kiosk-bench: cannot start SDL video: %s\n", SDL_GetError());
        return 2;
    }
    // The display's own size: without a window manager (Xvfb here, a bare X session on a kiosk)
    // nobody enlarges a "fullscreen desktop" window to the screen.
    SDL_DisplayMode desktop {};
    if (SDL_GetDesktopDisplayMode(0, &desktop) != 0) {
        std::fprintf(stderr, "kiosk-bench: cannot read the display size: %s\n", SDL_GetError());
        return 2;
    }
    WindowPtr window(SDL_CreateWindow(
        "kiosk-bench", 0, 0, desktop.w, desktop.h, SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_ALLOW_HIGHDPI));
    if (!window) {
        std::fprintf(stderr, "kiosk-bench: cannot open a window: %s\n", SDL_GetError());
        return 2;
    }
    Uint32 const flags = renderer_name == "software" ? SDL_RENDERER_SOFTWARE | SDL_RENDERER_TARGETTEXTURE
                                                     : SDL_RENDERER_ACCELERATED | SDL_RENDERER_TARGETTEXTURE;
    RendererPtr renderer(SDL_CreateRenderer(window.get(), -1, flags));
    if (!renderer) {
        std::fprintf(stderr, "kiosk-bench: no %s renderer: %s\n", renderer_name.c_str(), SDL_GetError());
        return 3;
    }
    SDL_RendererInfo info {};
    SDL_GetRendererInfo(renderer.get(), &info);
    if (renderer_name != info.name) {
        std::fprintf(stderr, "kiosk-bench: asked for %s, SDL gave %s\n", renderer_name.c_str(), info.name);
        return 3;
    }
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer.get(), &w, &h);
    render::ScreenSize const screen { w, h };
    std::printf("kiosk-bench: %s renderer, %dx%d window\n", info.name, w, h);

    auto fonts = text::FontSet::open(KIOSK_SOURCE_DIR "/assets/fonts");
    if (!fonts) {
        std::fprintf(stderr, "%s\n", fonts.message().c_str());
        return 2;
    }
    render::SlideComposer composer(fonts.value());
    render::FrameRenderer frame(renderer.get(), screen);
    int const n = int(pack.slides.size());
    std::vector<render::PreparedSlide> prepared;
    auto flattener = render::SlideFlattener::create(screen);
    if (!flattener) {
        std::fprintf(stderr, "kiosk-bench: %s\n", flattener.message().c_str());
        return 2;
    }
    for (int i = 0; i < std::min(n, 6); ++i) {
        render::PreparedSlide slide = composer.compose(pack, i, { "en", "zh" }, screen);
        // As the loader thread hands slides over: flat, unless --layered measures the old way.
        if (!layered)
            (void)flattener->flatten(slide);
        prepared.push_back(std::move(slide));
    }
    TexturePtr a = frame.upload(prepared[0]);
    TexturePtr b = frame.upload(prepared[1 % prepared.size()]);
    render::Overlay overlay;
    overlay.slide_count = n;

    auto pump = [] {
        SDL_Event event;
        while (SDL_PollEvent(&event)) { }
    };
    // Runs `count` frames of `draw`, returning each frame's wall time; adds CPU per frame.
    auto measure = [&](std::string const& name, std::function<void(int)> const& draw) {
        for (int i = 0; i < 5; ++i) { // warm-up: the first presents allocate the window's buffers
            draw(i);
            SDL_RenderPresent(renderer.get());
        }
        std::vector<double> samples;
        double const cpu_before = process_cpu_ms();
        auto const wall_before = Clock::now();
        for (int i = 0; i < count; ++i) {
            pump();
            auto const start = Clock::now();
            draw(i);
            SDL_RenderPresent(renderer.get());
            samples.push_back(ms_since(start));
        }
        double const wall = ms_since(wall_before);
        double const cpu = process_cpu_ms() - cpu_before;
        out.add(name + "_frame_ms_p50", percentile(samples, 0.5), "ms");
        out.add(name + "_frame_ms_p99", percentile(samples, 0.99), "ms");
        out.add(name + "_frame_ms_max", percentile(samples, 1.0), "ms");
        out.add(name + "_cpu_ms_per_frame", cpu / count, "ms CPU");
        out.add(name + "_fps", count * 1000.0 / wall, "fps (frames back to back)");
        return percentile(samples, 0.5);
    };

    SDL_Rect const full { 0, 0, w, h };
    double const floor_ms = measure("present_floor", [&](int) {
        SDL_SetTextureBlendMode(a.get(), SDL_BLENDMODE_NONE);
        SDL_RenderCopy(renderer.get(), a.get(), nullptr, &full);
    });
    measure("crossfade", [&](int i) {
        show::ViewState view;
        view.next = 1;
        view.motion = show::Motion::Fade;
        view.progress = double(i % 48 + 1) / 49.0;
        frame.draw(view, a.get(), b.get(), overlay);
    });
    measure("drag", [&](int i) {
        show::ViewState view;
        view.next = 1;
        view.motion = show::Motion::Slide;
        // A finger moving left and back, 40 px per frame.
        double const phase = double(i % 48) / 47.0;
        view.offset = -0.5 * (phase < 0.5 ? phase * 2 : 2 - phase * 2);
        frame.draw(view, a.get(), b.get(), overlay);
    });
    out.add("present_floor_ms", floor_ms, "ms");

    // Slide changes: the still frame before it, the frame that starts the crossfade (which must
    // have the next slide's texture, uploaded now as the app does when it is not cached), the frames
    // after. Composition happened on the loader thread and is not counted.
    std::vector<double> stall;
    for (std::size_t change = 0; change < 5; ++change) {
        render::PreparedSlide const& incoming = prepared[(change + 2) % prepared.size()];
        std::vector<double> around;
        for (int i = -2; i < 4; ++i) {
            auto const start = Clock::now();
            show::ViewState view;
            if (i == 0)
                b = frame.upload(incoming);
            if (i >= 0) {
                view.next = 1;
                view.motion = show::Motion::Fade;
                view.progress = (i + 1) / 50.0;
            }
            frame.draw(view, a.get(), i >= 0 ? b.get() : nullptr, overlay);
            SDL_RenderPresent(renderer.get());
            around.push_back(ms_since(start));
        }
        stall.push_back(*std::max_element(around.begin(), around.end()));
        std::swap(a, b);
    }
    out.add("slide_switch_stall_ms", percentile(stall, 0.5), "ms (median of 5 changes, the longest frame each)");
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    std::string pack_path = KIOSK_BUILD_DIR "/default.kpack";
    render::ScreenSize screen { 1920, 1080 };
    std::string json_path;
    std::string frames_renderer;
    int count = 240;
    bool layout_only = false;
    bool layered = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--size") == 0 && i + 1 < argc)
            std::sscanf(argv[++i], "%dx%d", &screen.width_px, &screen.height_px);
        else if (std::strcmp(argv[i], "--json") == 0 && i + 1 < argc)
            json_path = argv[++i];
        else if (std::strcmp(argv[i], "--frames") == 0 && i + 1 < argc)
            frames_renderer = argv[++i];
        else if (std::strcmp(argv[i], "--layered") == 0)
            layered = true;
        else if (std::strcmp(argv[i], "--layout-only") == 0)
            layout_only = true;
        else if (std::strcmp(argv[i], "--count") == 0 && i + 1 < argc)
            count = std::max(10, std::atoi(argv[++i]));
        else
            pack_path = argv[i];
    }
    auto pack = content::read_pack(pack_path);
    if (!pack) {
        std::fprintf(stderr, "kiosk-bench: %s\n", pack.message().c_str());
        return 2;
    }
    if (pack->slides.size() < 2) {
        std::fprintf(stderr, "kiosk-bench: %s: needs at least 2 slides\n", pack_path.c_str());
        return 2;
    }
    Results results;
    int rc = 0;
    if (layout_only) {
        // What a slide show's text costs from a cold start, in one pass: for callgrind, whose
        // instruction counts do not depend on the machine's load.
        auto fonts = text::FontSet::open(KIOSK_SOURCE_DIR "/assets/fonts");
        if (!fonts) {
            std::fprintf(stderr, "%s\n", fonts.message().c_str());
            return 2;
        }
        auto const start = Clock::now();
        for (auto const& slide : pack->slides)
            layout_slide(fonts.value(), slide, screen);
        results.add("layout_all_slides_cold_ms", ms_since(start), "ms");
    } else if (frames_renderer.empty()) {
        std::printf("kiosk-bench: %s (%zu slides) offscreen at %dx%d\n", pack_path.c_str(), pack->slides.size(),
            screen.width_px, screen.height_px);
        rc = run_offscreen(pack.value(), pack_path, screen, results);
    } else {
        rc = run_frames(pack.value(), frames_renderer, count, layered, results);
    }
    if (rc == 0 && !json_path.empty() && !results.write(json_path)) {
        std::fprintf(stderr, "kiosk-bench: cannot write %s\n", json_path.c_str());
        return 2;
    }
    return rc;
}
