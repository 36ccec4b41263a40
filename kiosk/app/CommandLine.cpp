#include "kiosk/app/CommandLine.h"

#include "kiosk/app/App.h"
#include "kiosk/content/PixelSize.h"
#include "platform/Clock.h"
#include "platform/Log.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace kiosk::app {

namespace {

// The flags as typed; empty / unset means "not given", so the config file's value stands.
struct Flags {
    std::string config_file;
    std::string check_config;
    std::string pack;
    std::string assets;
    std::string windowed;
    bool fullscreen { false };
    bool kiosk_mode { false };
    std::string mode;
    std::string lang;
    std::string renderer;
    bool headless { false };
    std::string screenshot;
    int slide { 0 };
    std::string size;
    std::string preview_dir;
    std::string script;
    std::optional<int> rotate;
    std::string data_dir;
    std::string keys_dir;
    std::vector<std::string> inboxes;
    std::string device_group;
    bool no_updates { false };
    std::optional<int> run_for_ms;
    std::optional<std::string> status_file;
    bool verbose { false };
};

void define_flags(CLI::App& cli, Flags& flags)
{
    cli.add_option("--config", flags.config_file, "Config file (default /etc/kiosk/kiosk.toml when it exists)");
    cli.add_option("--check-config", flags.check_config,
        "Check a config file: print each problem with its line and key, exit 1 if there is one");
    cli.add_option("--pack", flags.pack,
        "Content pack to show, bypassing the data folder and updates (default: the data folder's current pack, else "
        "the built-in demo pack)");
    cli.add_option("--assets", flags.assets, "Assets folder holding fonts/ (default: found next to the program)");
    cli.add_option("--windowed", flags.windowed, "Run in a window of WIDTHxHEIGHT instead of fullscreen");
    cli.add_flag("--fullscreen", flags.fullscreen, "Fullscreen on the whole display (the default)");
    cli.add_flag("--kiosk", flags.kiosk_mode, "Kiosk mode: Esc and window close do not quit");
    cli.add_option("--mode", flags.mode, "Language mode: dual, toggle or alternate");
    cli.add_option("--lang", flags.lang, "Starting language, e.g. en or zh");
    cli.add_option("--renderer", flags.renderer, "auto (default), software, opengl or opengles2");
    cli.add_flag("--headless", flags.headless, "Render offscreen, no window (with --screenshot or --preview-dir)");
    cli.add_option("--screenshot", flags.screenshot, "Headless: write one slide as PNG to this file");
    cli.add_option("--slide", flags.slide, "Headless: 1-based slide number for --screenshot")
        ->check(CLI::PositiveNumber);
    cli.add_option("--size", flags.size, "Headless: image size WIDTHxHEIGHT (default 1920x1080)");
    cli.add_option("--preview-dir", flags.preview_dir, "Headless: write every slide as DIR/slide-NN-<lang>.png");
    cli.add_option(
        "--script", flags.script, "Replay an input script (see docs) on a virtual clock; with --headless, offscreen");
    cli.add_option("--rotate", flags.rotate, "Content rotation on the panel, clockwise: 0, 90, 180 or 270");
    cli.add_option("--data-dir", flags.data_dir, "Installed packs and update state (default /var/lib/kiosk)");
    cli.add_option("--keys", flags.keys_dir, "Trusted public keys folder (default /etc/kiosk/keys)");
    cli.add_option("--inbox", flags.inboxes, "Watch this folder for signed packs (repeatable)");
    cli.add_option("--device-group", flags.device_group, "This display's group, matched against pack targets");
    cli.add_flag("--no-updates", flags.no_updates, "Do not watch sticks or inboxes for updates");
    cli.add_option("--run-for", flags.run_for_ms, "Quit after this many milliseconds (tests, measurements)");
    cli.add_option(
        "--status-file", flags.status_file, "Status JSON for monitoring (default /run/kiosk/status.json; \"\": none)");
    cli.add_flag("-v,--verbose", flags.verbose, "Log debug messages");
}

// The flags over the config: a flag given wins, a flag not given leaves the file's value.
Status apply_flags(Flags const& flags, Config& config)
{
    if (!flags.pack.empty())
        config.pack = flags.pack;
    if (!flags.data_dir.empty())
        config.data_dir = flags.data_dir;
    if (flags.status_file)
        config.status_file = *flags.status_file;
    if (flags.kiosk_mode)
        config.kiosk_mode = true;
    if (!flags.lang.empty())
        config.language = flags.lang;
    if (!flags.device_group.empty())
        config.device_group = flags.device_group;
    if (!flags.keys_dir.empty())
        config.keys_dir = flags.keys_dir;
    config.inbox_dirs.insert(config.inbox_dirs.end(), flags.inboxes.begin(), flags.inboxes.end());
    if (flags.no_updates)
        config.updates_enabled = false;
    if (!flags.assets.empty())
        config.assets_dir = flags.assets;
    if (flags.run_for_ms)
        config.run_for_ms = flags.run_for_ms;
    if (!flags.renderer.empty()) {
        auto const choice = renderer_from_name(flags.renderer);
        if (!choice)
            return make_error("--renderer must be auto, software, opengl or opengles2, not '" + flags.renderer + "'");
        config.renderer = *choice;
    }
    if (!flags.mode.empty()) {
        auto const mode = mode_from_name(flags.mode);
        if (!mode)
            return make_error("--mode must be dual, toggle or alternate, not '" + flags.mode + "'");
        config.language_mode = *mode;
    }
    if (!flags.windowed.empty()) {
        KIOSK_TRY_ASSIGN(auto const size, content::parse_pixel_size(flags.windowed, "--windowed"));
        config.width_px = size.width_px, config.height_px = size.height_px;
        config.window = WindowMode::Windowed;
    }
    if (flags.fullscreen)
        config.window = WindowMode::Fullscreen;
    if (!flags.size.empty()) {
        KIOSK_TRY_ASSIGN(auto const size, content::parse_pixel_size(flags.size, "--size"));
        config.width_px = size.width_px, config.height_px = size.height_px;
    }
    if (flags.slide > 0)
        config.slide = flags.slide;
    if (!flags.screenshot.empty())
        config.screenshot = flags.screenshot;
    if (!flags.preview_dir.empty())
        config.preview_dir = flags.preview_dir;
    if (flags.rotate) {
        int const degrees = *flags.rotate;
        if (degrees != 0 && degrees != 90 && degrees != 180 && degrees != 270)
            return make_error("--rotate must be 0, 90, 180 or 270, not " + std::to_string(degrees));
        config.rotation_degrees = degrees;
    }
    if (!flags.script.empty()) {
        config.script = flags.script;
        if (flags.headless)
            config.window = WindowMode::Headless;
    }
    return {};
}

Action action_of(Flags const& flags, Config const& config)
{
    if (config.script)
        return Action::RunScript;
    if (flags.headless || config.screenshot || config.preview_dir)
        return Action::RenderHeadless;
    return Action::Display;
}

} // namespace

Result<Invocation> parse_command_line(int argc, char const* const* argv)
{
    Invocation invocation;
    Flags flags;
    CLI::App cli { "kiosk: bilingual slideshow for lobby and conference displays" };
    cli.set_version_flag("--version", "kiosk " KIOSK_VERSION);
    define_flags(cli, flags);
    try {
        cli.parse(argc, argv);
    } catch (CLI::CallForHelp const&) {
        invocation.action = Action::PrintText;
        invocation.text = cli.help();
        return invocation;
    } catch (CLI::CallForVersion const& version) {
        invocation.action = Action::PrintText;
        invocation.text = std::string(version.what()) + "\n";
        return invocation;
    } catch (CLI::ParseError const& error) {
        return make_error(std::string(error.what()) + " (kiosk --help lists the options)");
    }
    invocation.verbose = flags.verbose;
    if (!flags.check_config.empty()) {
        invocation.action = Action::CheckConfig;
        invocation.check_config_file = flags.check_config;
        return invocation;
    }

    Config& config = invocation.config;
    config = default_config();
    bool const explicit_config = !flags.config_file.empty();
    KIOSK_TRY(load_config_file(
        explicit_config ? std::filesystem::path(flags.config_file) : config.config_file, config, explicit_config));
    if (explicit_config)
        config.config_file = flags.config_file;
    KIOSK_TRY(apply_flags(flags, config));
    invocation.action = action_of(flags, config);
    if (invocation.action == Action::RenderHeadless && !config.screenshot && !config.preview_dir)
        return make_error("--headless needs --screenshot FILE or --preview-dir DIR");
    return invocation;
}

int check_config(std::filesystem::path const& path, std::ostream& out)
{
    Config config = default_config();
    auto problems = read_config_file(path, config);
    if (!problems) {
        out << problems.message() << '\n';
        return 1;
    }
    for (auto const& problem : *problems)
        out << describe(path, problem) << '\n';
    if (problems->empty()) {
        out << path.string() << ": ok\n";
        return 0;
    }
    out << path.string() << ": " << problems->size() << (problems->size() == 1 ? " problem" : " problems")
        << "; at start each bad key keeps its default\n";
    return 1;
}

int run_command_line(Invocation const& invocation)
{
    if (invocation.verbose)
        log::set_min_level(log::Level::Debug);
    for (auto const& warning : invocation.config.warnings)
        log::warn("config", warning);
    switch (invocation.action) {
    case Action::PrintText:
        std::cout << invocation.text;
        return 0;
    case Action::CheckConfig:
        return check_config(invocation.check_config_file, std::cout);
    case Action::RunScript:
        return App::run_script(invocation.config);
    case Action::RenderHeadless:
        return App::render_headless(invocation.config);
    case Action::Display:
        break;
    }
    SteadyClock clock;
    return App::run_display(invocation.config, clock);
}

} // namespace kiosk::app
