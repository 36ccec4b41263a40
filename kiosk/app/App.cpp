#include "kiosk/app/App.h"

#include "kiosk/app/Display.h"
#include "kiosk/app/ScriptRunner.h"
#include "kiosk/content/PackReader.h"
#include "kiosk/render/StillRenderer.h"
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

BootContent choose_content_at_boot(Config const& config)
{
    BootContent boot;
    if (!config.pack && config.updates_enabled) {
        auto opened = update::Store::open(config.data_dir);
        if (opened) {
            boot.store.emplace(std::move(opened.value()));
            if (auto booted = boot.store->note_boot(); !booted)
                log::warn("update", booted.message());
            update::BootChoice choice = boot.store->choose_pack_at_boot(config.keys_dir);
            log::info("update", choice.reason);
            if (choice.pack && choice.loaded) {
                boot.content.pack = choice.loaded;
                boot.content.source = *choice.pack;
                boot.from_store = true;
                return boot;
            }
        } else {
            log::warn("update", opened.message() + "; updates are off until that is fixed");
        }
    }
    boot.content = load_content(config);
    return boot;
}

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

namespace {

// Renders one still slide offscreen, exactly as the loop draws it, and saves it.
Status render_still(text::FontSet& fonts, LoadedContent const& loaded, int index, render::LanguageOrder const& order,
    render::ScreenSize screen, fs::path const& out)
{
    auto still = render::StillRenderer::create(fonts, screen);
    if (!still)
        return still.error();
    if (loaded.pack) {
        auto drawn = still->draw(*loaded.pack, index, order);
        if (!drawn)
            return drawn.error();
    } else {
        KIOSK_TRY(still->draw_message("No content to show", loaded.problem));
    }
    return still->save_png(out);
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
    // Stills show the content upright: with --rotate 90 or 270, the portrait layout of the panel.
    bool const sideways = config.rotation_degrees == 90 || config.rotation_degrees == 270;
    render::ScreenSize const screen = sideways ? render::ScreenSize { config.height_px, config.width_px }
                                               : render::ScreenSize { config.width_px, config.height_px };
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
        auto saved = render_still(fonts.value(), loaded, slide - 1,
            language_order(pack, effective_language_mode(config, pack), lang), screen, *config.screenshot);
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
            auto saved = render_still(fonts.value(), loaded, i,
                language_order(pack, effective_language_mode(config, pack), primary), screen, out);
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

int run_display_loop(Config const& config, Window& window)
{
    auto created = Display::create(config, window, window.now_ms());
    if (!created) {
        log::error("app", created.message());
        return 2;
    }
    Display& display = *created.value();
    while (!display.quit_requested()) {
        TimeMs const now = window.now_ms();
        for (auto const& event : window.poll(now))
            display.event(event, now);
        display.iterate(now);
        if (display.quit_requested())
            break;
        window.wait_until(display.next_deadline_ms(now));
    }
    display.quit(window.now_ms());
    return 0;
}

int App::run_display(Config const& config, Clock& clock)
{
    auto window = open_window(config, clock);
    if (!window) {
        log::error("app", window.message());
        return 2;
    }
    return run_display_loop(config, *window.value());
}

int App::run_script(Config const& config)
{
    auto steps = load_script(*config.script);
    if (!steps) {
        log::error("script", steps.message());
        return 2;
    }
    return app::run_script(config, steps.value());
}

} // namespace kiosk::app
