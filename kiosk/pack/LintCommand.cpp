// `kiosk-pack lint SRC|PACK`: the preflight before a pack goes to the displays (kiosk/pack/Lint.h).

#include "kiosk/content/PixelSize.h"
#include "kiosk/pack/Commands.h"
#include "kiosk/pack/Fonts.h"
#include "kiosk/pack/Lint.h"
#include "platform/Log.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace kiosk::pack {

namespace {

struct LintArgs {
    std::string input;
    std::string display;
    std::string orientation;
    std::string assets;
};

int run_lint(LintArgs const& args)
{
    LintOptions options;
    if (!args.display.empty()) {
        auto parsed = content::parse_pixel_size(args.display, "--display");
        if (!parsed) {
            std::cerr << "kiosk-pack lint: " << parsed.message() << '\n';
            return exit_input_error;
        }
        options.display = render::ScreenSize { parsed->width_px, parsed->height_px };
    }
    if (args.orientation == "landscape")
        options.orientation = Orientation::Landscape;
    else if (args.orientation == "portrait")
        options.orientation = Orientation::Portrait;
    else if (args.orientation == "both")
        options.orientation = Orientation::Both;

    auto fonts = open_fonts(args.assets);
    if (!fonts) {
        std::cerr << "kiosk-pack lint: " << fonts.message() << '\n';
        return exit_input_error;
    }
    // Lint reports what it finds itself; the composer's warnings in the log would only repeat it.
    log::set_min_level(log::Level::Error);
    auto report = lint(args.input, options, fonts.value());
    if (!report) {
        std::cerr << "kiosk-pack lint: " << report.message() << '\n';
        return exit_input_error;
    }
    for (auto const& problem : report->problems)
        std::cout << problem.to_string() << '\n';
    std::cout << report->summary() << '\n';
    return report->clean() ? exit_ok : exit_problems;
}

} // namespace

void add_lint_command(CLI::App& app, int& exit_code)
{
    auto args = std::make_shared<LintArgs>();
    auto* cmd = app.add_subcommand("lint",
        "Check a source folder or a .kpack before it goes to the displays: missing translations, text that does "
        "not fit or is cut short, characters the fonts lack, blurry images, slides too short to read, typos. "
        "Exit 0 clean, 1 problems found, 2 input error");
    cmd->add_option("input", args->input, "Source folder (pack.toml, slides/, images/) or a built .kpack")->required();
    cmd->add_option("--display", args->display,
        "Display size to check, WIDTHxHEIGHT (default: the pack's display size; 1920x1080 for a source folder, "
        "whose images are then scaled for it as `build --display` would)");
    cmd->add_option("--orientation", args->orientation,
           "Check the display turned to landscape, portrait or both (a display mounted with rotation 90 or 270 "
           "shows the portrait layout)")
        ->check(CLI::IsMember({ "landscape", "portrait", "both" }));
    cmd->add_option("--assets", args->assets, "Folder holding fonts/ (default: the installed or source assets)");
    cmd->callback([args, &exit_code] { exit_code = run_lint(*args); });
}

} // namespace kiosk::pack
