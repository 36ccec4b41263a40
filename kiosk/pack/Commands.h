#pragma once

// The subcommands of `kiosk-pack`, one file each. Each registers itself on the CLI11 app and, when
// chosen, stores its exit code: 0 ok, 1 problems found, 2 usage or input error (docs/authoring.md).

namespace CLI {
class App;
}

namespace kiosk::pack {

enum ExitCode : int {
    exit_ok = 0,
    exit_problems = 1,
    exit_input_error = 2,
};

void add_init_command(CLI::App& app, int& exit_code);
void add_build_command(CLI::App& app, int& exit_code);
void add_keygen_command(CLI::App& app, int& exit_code);
void add_sign_command(CLI::App& app, int& exit_code);
void add_verify_command(CLI::App& app, int& exit_code);
void add_inspect_command(CLI::App& app, int& exit_code);
void add_lint_command(CLI::App& app, int& exit_code);
void add_render_command(CLI::App& app, int& exit_code);
void add_wrap_command(CLI::App& app, int& exit_code);

} // namespace kiosk::pack
