// kiosk: the display application. See README.md and docs/operations.md.

#include "kiosk/app/App.h"
#include "kiosk/update/ImportCli.h"
#include "platform/Log.h"

#include <CLI/CLI.hpp>
#include <cstdio>

namespace {

bool parse_size(std::string const& text, int& width, int& height)
{
    return std::sscanf(text.c_str(), "%dx%d", &width, &height) == 2 && width >= 64 && height >= 64 && width <= 8192
        && height <= 8192;
}

} // namespace

int main(int argc, char** argv)
{
    // `kiosk import FILE ...`: the updater's importer, one-shot (docs/operations.md).
    if (argc >= 2 && std::string_view(argv[1]) == "import")
        return kiosk::update::run_import_cli(argc - 1, argv + 1);
    using namespace kiosk;
    app::Config config = app::default_config();
    CLI::App cli { "kiosk: bilingual slideshow for lobby and conference displays" };
    cli.set_version_flag("--version", "kiosk " KIOSK_VERSION);
    std::string config_file;
    std::string pack;
    std::string windowed;
    std::string size;
    std::string mode;
    std::string screenshot;
    std::string preview_dir;
    std::string assets;
    int slide = 0;
    bool headless = false;
    bool fullscreen = false;
    bool verbose = false;
    cli.add_option("--config", config_file, "Config file (default /etc/kiosk/kiosk.toml when it exists)");
    cli.add_option("--pack", pack,
        "Content pack to show, bypassing the data folder and updates (default: the data folder's current pack, else "
        "the built-in demo pack)");
    cli.add_option("--assets", assets, "Assets folder holding fonts/ (default: found next to the program)");
    cli.add_option("--windowed", windowed, "Run in a window of WIDTHxHEIGHT instead of fullscreen");
    cli.add_flag("--fullscreen", fullscreen, "Fullscreen on the whole display (the default)");
    bool kiosk_mode = false;
    cli.add_flag("--kiosk", kiosk_mode, "Kiosk mode: Esc and window close do not quit");
    cli.add_option("--mode", mode, "Language mode: dual, toggle or alternate");
    std::string lang;
    cli.add_option("--lang", lang, "Starting language, e.g. en or zh");
    std::string renderer;
    cli.add_option("--renderer", renderer, "auto (default), software, opengl or opengles2");
    cli.add_flag("--headless", headless, "Render offscreen, no window (with --screenshot or --preview-dir)");
    cli.add_option("--screenshot", screenshot, "Headless: write one slide as PNG to this file");
    cli.add_option("--slide", slide, "Headless: 1-based slide number for --screenshot")->check(CLI::PositiveNumber);
    cli.add_option("--size", size, "Headless: image size WIDTHxHEIGHT (default 1920x1080)");
    cli.add_option("--preview-dir", preview_dir, "Headless: write every slide as DIR/slide-NN-<lang>.png");
    std::string script;
    std::optional<int> rotate;
    cli.add_option(
        "--script", script, "Replay an input script (see docs) on a virtual clock; with --headless, offscreen");
    cli.add_option("--rotate", rotate, "Content rotation on the panel, clockwise: 0, 90, 180 or 270");
    std::string data_dir;
    std::string keys_dir;
    std::vector<std::string> inboxes;
    bool no_updates = false;
    cli.add_option("--data-dir", data_dir, "Installed packs and update state (default /var/lib/kiosk)");
    cli.add_option("--keys", keys_dir, "Trusted public keys folder (default /etc/kiosk/keys)");
    cli.add_option("--inbox", inboxes, "Watch this folder for signed packs (repeatable)");
    std::string device_group;
    cli.add_option("--device-group", device_group, "This display's group, matched against pack targets");
    cli.add_flag("--no-updates", no_updates, "Do not watch sticks or inboxes for updates");
    cli.add_option("--run-for", config.run_for_ms, "Quit after this many milliseconds (tests, measurements)");
    std::optional<std::string> status_file;
    cli.add_option(
        "--status-file", status_file, "Status JSON for monitoring (default /run/kiosk/status.json; \"\": none)");
    cli.add_flag("-v,--verbose", verbose, "Log debug messages");
    try {
        cli.parse(argc, argv);
    } catch (CLI::ParseError const& error) {
        int const rc = cli.exit(error);
        return rc == 0 ? 0 : 2;
    }
    if (verbose)
        log::set_min_level(log::Level::Debug);

    bool const explicit_config = !config_file.empty();
    if (auto loaded = app::load_config_file(
            explicit_config ? std::filesystem::path(config_file) : config.config_file, config, explicit_config);
        !loaded) {
        log::error("config", loaded.message());
        return 2;
    }
    for (auto const& warning : config.warnings)
        log::warn("config", warning);

    if (!pack.empty())
        config.pack = pack;
    if (!data_dir.empty())
        config.data_dir = data_dir;
    if (status_file)
        config.status_file = *status_file;
    if (kiosk_mode)
        config.kiosk_mode = true;
    if (!lang.empty())
        config.language = lang;
    if (!device_group.empty())
        config.device_group = device_group;
    if (!keys_dir.empty())
        config.keys_dir = keys_dir;
    for (auto const& inbox : inboxes)
        config.inbox_dirs.push_back(inbox);
    if (no_updates)
        config.updates_enabled = false;
    if (!assets.empty())
        config.assets_dir = assets;
    if (!mode.empty()) {
        auto parsed = app::mode_from_name(mode);
        if (!parsed) {
            log::error("app", "--mode must be dual, toggle or alternate, not '" + mode + "'");
            return 2;
        }
        config.language_mode = *parsed;
    }
    if (!renderer.empty()) {
        auto parsed = app::renderer_from_name(renderer);
        if (!parsed) {
            log::error("app", "--renderer must be auto, software, opengl or opengles2, not '" + renderer + "'");
            return 2;
        }
        config.renderer = *parsed;
    }
    if (!windowed.empty()) {
        if (!parse_size(windowed, config.width_px, config.height_px)) {
            log::error("app", "--windowed must be WIDTHxHEIGHT, e.g. 1280x720, not '" + windowed + "'");
            return 2;
        }
        config.window = app::WindowMode::Windowed;
    }
    if (fullscreen)
        config.window = app::WindowMode::Fullscreen;
    if (!size.empty() && !parse_size(size, config.width_px, config.height_px)) {
        log::error("app", "--size must be WIDTHxHEIGHT, e.g. 1080x1920, not '" + size + "'");
        return 2;
    }
    if (slide > 0)
        config.slide = slide;
    if (!screenshot.empty())
        config.screenshot = screenshot;
    if (!preview_dir.empty())
        config.preview_dir = preview_dir;

    if (rotate) {
        if (*rotate != 0 && *rotate != 90 && *rotate != 180 && *rotate != 270) {
            log::error("app", "--rotate must be 0, 90, 180 or 270, not " + std::to_string(*rotate));
            return 2;
        }
        config.rotation_degrees = *rotate;
    }
    if (!script.empty()) {
        config.script = script;
        if (headless) {
            config.window = app::WindowMode::Headless;
            if (size.empty() && windowed.empty())
                config.width_px = 1920, config.height_px = 1080;
        }
        return app::App::run_script(config);
    }
    if (headless || config.screenshot || config.preview_dir) {
        if (!config.screenshot && !config.preview_dir) {
            log::error("app", "--headless needs --screenshot FILE or --preview-dir DIR");
            return 2;
        }
        if (size.empty() && windowed.empty())
            config.width_px = 1920, config.height_px = 1080;
        return app::App::render_headless(config);
    }
    SteadyClock clock;
    return app::App::run_display(config, clock);
}
