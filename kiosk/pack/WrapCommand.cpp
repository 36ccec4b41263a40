// `kiosk-pack wrap`: how the kiosk breaks a text into lines at one size and width (text::wrap_lines,
// the same ICU + kinsoku breaking the slides use), one line per output line. For editors trying a
// wording, and for tests.

#include "kiosk/pack/Commands.h"
#include "kiosk/pack/Fonts.h"
#include "kiosk/text/TextLayout.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace kiosk::pack {

namespace {

struct WrapArgs {
    std::string lang;
    int width_px { 0 };
    int size_px { 0 };
    bool bold { false };
    std::string text;
    std::string assets;
};

int run_wrap(WrapArgs const& args)
{
    auto fonts = open_fonts(args.assets);
    if (!fonts) {
        std::cerr << "kiosk-pack wrap: " << fonts.message() << '\n';
        return exit_input_error;
    }
    auto const lines = text::wrap_lines(fonts.value(), args.text, args.lang, args.width_px, args.size_px,
        args.bold ? text::Weight::Bold : text::Weight::Regular);
    for (auto const& line : lines)
        std::cout << line << '\n';
    return exit_ok;
}

} // namespace

void add_wrap_command(CLI::App& app, int& exit_code)
{
    auto args = std::make_shared<WrapArgs>();
    auto* cmd = app.add_subcommand(
        "wrap", "Print how the kiosk breaks TEXT into lines at one font size and line width, one line per output line");
    cmd->add_option("--lang", args->lang, "Language of the text: en or zh (Chinese line-breaking rules)")
        ->required()
        ->check(CLI::IsMember({ "en", "zh" }));
    cmd->add_option("--width-px", args->width_px, "Line width in pixels")->required()->check(CLI::Range(1, 16384));
    cmd->add_option("--size", args->size_px, "Font size in pixels")->required()->check(CLI::Range(1, 1000));
    cmd->add_flag("--bold", args->bold, "Use the bold fonts (titles, kickers, stat values)");
    cmd->add_option("text", args->text, "The text; a line break (newline) in it starts a paragraph")->required();
    cmd->add_option("--assets", args->assets, "Folder holding fonts/ (default: the installed or source assets)");
    cmd->callback([args, &exit_code] { exit_code = run_wrap(*args); });
}

} // namespace kiosk::pack
