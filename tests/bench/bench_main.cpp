// kiosk-bench: measures what docs/performance.md reports. Not a test: machines here are shared and
// noisy, so it prints medians and ratios measured in one run, never asserts a time.
//
//   build/tests/kiosk-bench [PACK] [--size WxH]

#include "kiosk/content/PackReader.h"
#include "kiosk/render/FrameRenderer.h"
#include "kiosk/render/SlideComposer.h"
#include "kiosk/text/FontSet.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace kiosk;
using Clock = std::chrono::steady_clock;

namespace {

double median_ms(int runs, std::function<void()> const& work)
{
    std::vector<double> samples;
    for (int i = 0; i < runs; ++i) {
        auto const start = Clock::now();
        work();
        samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

long max_rss_kib()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

} // namespace

int main(int argc, char** argv)
{
    std::string pack_path = KIOSK_BUILD_DIR "/default.kpack";
    render::ScreenSize screen { 1920, 1080 };
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--size") == 0 && i + 1 < argc)
            std::sscanf(argv[++i], "%dx%d", &screen.width_px, &screen.height_px);
        else
            pack_path = argv[i];
    }
    std::printf("kiosk-bench: %s at %dx%d\n", pack_path.c_str(), screen.width_px, screen.height_px);

    content::Pack pack;
    double const open_quick = median_ms(5, [&] { pack = content::read_pack(pack_path).value(); });
    double const open_full
        = median_ms(5, [&] { (void)content::read_pack(pack_path, content::IntegrityCheck::Full).value(); });
    std::printf("open + validate pack (%zu slides): %.1f ms quick_check, %.1f ms integrity_check\n", pack.slides.size(),
        open_quick, open_full);

    auto fonts = text::FontSet::open(KIOSK_SOURCE_DIR "/assets/fonts");
    if (!fonts) {
        std::fprintf(stderr, "%s\n", fonts.message().c_str());
        return 2;
    }
    render::SlideComposer composer(fonts.value());
    int const n = int(pack.slides.size());
    // Warm the font cache once, as a running kiosk has.
    for (int i = 0; i < n; ++i)
        (void)composer.compose(pack, i, { "en", "zh" }, screen);

    std::vector<double> compose_ms;
    for (int i = 0; i < n; ++i) {
        for (auto order : { render::LanguageOrder { "en", "zh" }, render::LanguageOrder { "zh", "en" } })
            compose_ms.push_back(median_ms(3, [&] { (void)composer.compose(pack, i, order, screen); }));
    }
    std::sort(compose_ms.begin(), compose_ms.end());
    std::printf("compose a slide (decode image, lay out and rasterise all text): median %.1f ms, max %.1f ms\n",
        compose_ms[compose_ms.size() / 2], compose_ms.back());

    SurfacePtr target(
        SDL_CreateRGBSurfaceWithFormat(0, screen.width_px, screen.height_px, 32, SDL_PIXELFORMAT_ARGB8888));
    RendererPtr renderer(SDL_CreateSoftwareRenderer(target.get()));
    render::FrameRenderer frame(renderer.get(), screen);
    render::PreparedSlide prepared = composer.compose(pack, 0, { "en", "zh" }, screen);
    render::PreparedSlide prepared_next = composer.compose(pack, 1, { "en", "zh" }, screen);
    TexturePtr current;
    double const upload = median_ms(5, [&] { current = frame.upload(prepared); });
    TexturePtr next = frame.upload(prepared_next);
    render::Overlay overlay;
    overlay.slide_count = n;
    show::ViewState still;
    double const cached_frame = median_ms(30, [&] { frame.draw(still, current.get(), nullptr, overlay); });
    show::ViewState fade;
    fade.next = 1;
    fade.motion = show::Motion::Fade;
    fade.progress = 0.5;
    double const fade_frame = median_ms(30, [&] { frame.draw(fade, current.get(), next.get(), overlay); });
    // What a renderer without a slide cache pays per frame: lay out, rasterise, upload, draw.
    double const uncached_frame = median_ms(5, [&] {
        render::PreparedSlide again = composer.compose(pack, 0, { "en", "zh" }, screen);
        TexturePtr texture = frame.upload(again);
        frame.draw(still, texture.get(), nullptr, overlay);
    });
    std::printf("upload a prepared slide into its texture (software renderer): %.1f ms\n", upload);
    std::printf(
        "frame from cached textures, software renderer: still %.2f ms, crossfade %.2f ms\n", cached_frame, fade_frame);
    std::printf("frame re-composing the slide every time (no cache): %.1f ms = %.0fx the cached still frame\n",
        uncached_frame, uncached_frame / std::max(0.001, cached_frame));
    std::printf("peak resident memory of this benchmark: %.1f MiB\n", max_rss_kib() / 1024.0);
    return 0;
}
