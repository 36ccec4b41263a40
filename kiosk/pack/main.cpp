// kiosk-pack: the content editor's tool (docs/authoring.md).

#include "kiosk/pack/Commands.h"

#include <CLI/CLI.hpp>

int main(int argc, char** argv)
{
    CLI::App app { "kiosk-pack: build, sign, verify, lint, inspect and preview Kiosk content packs" };
    app.require_subcommand(1);
    int exit_code = kiosk::pack::exit_ok;
    kiosk::pack::add_init_command(app, exit_code);
    kiosk::pack::add_build_command(app, exit_code);
    kiosk::pack::add_keygen_command(app, exit_code);
    kiosk::pack::add_sign_command(app, exit_code);
    kiosk::pack::add_verify_command(app, exit_code);
    kiosk::pack::add_inspect_command(app, exit_code);
    kiosk::pack::add_lint_command(app, exit_code);
    kiosk::pack::add_render_command(app, exit_code);
    kiosk::pack::add_wrap_command(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (CLI::ParseError const& error) {
        int const rc = app.exit(error);
        return rc == 0 ? 0 : kiosk::pack::exit_input_error;
    }
    return exit_code;
}
