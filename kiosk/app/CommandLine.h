#pragma once

// The `kiosk` command line: the flag definitions (CLI11), merged over the config file, which is
// merged over the defaults. main() is parse_command_line then run_command_line; tests call
// parse_command_line directly (tests/app/CommandLineTests.cpp). `kiosk import` has its own
// parser (kiosk/update/ImportCli.h).

#include "kiosk/app/Config.h"
#include "platform/Result.h"

#include <iosfwd>

namespace kiosk::app {

// What the process was asked to do.
enum class Action {
    Display, // the interactive slideshow (fullscreen or --windowed)
    RenderHeadless, // --headless with --screenshot or --preview-dir
    RunScript, // --script FILE
    CheckConfig, // --check-config FILE
    PrintText, // --help or --version: print `text`
};

struct Invocation {
    Action action { Action::Display };
    Config config;
    std::filesystem::path check_config_file; // Action::CheckConfig
    std::string text; // Action::PrintText
    bool verbose { false }; // -v: log debug messages
};

// Reads the flags, then the config file (--config FILE, or /etc/kiosk/kiosk.toml when it exists),
// then applies the flags over it. The error is a usage error a person can act on ("--rotate must
// be 0, 90, 180 or 270, not 45"); config-file problems are not errors but warnings in
// config.warnings, each with its file:line, the default kept. Reads no other file and changes nothing.
Result<Invocation> parse_command_line(int argc, char const* const* argv);

// `kiosk --check-config FILE`: prints each problem of the file as "FILE:LINE: message" and
// returns 1, or prints "FILE: ok" and returns 0.
int check_config(std::filesystem::path const& path, std::ostream& out);

// Does what the invocation asks; returns the process exit code.
int run_command_line(Invocation const& invocation);

} // namespace kiosk::app
