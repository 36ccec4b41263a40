#pragma once

// Config: everything the app is told, from /etc/kiosk/kiosk.toml (or --config FILE) and then the
// command line, which wins (kiosk/app/CommandLine.h). Every key of the file is checked for its
// type and range; a bad key is reported with file:line and its default is kept: a typo must not
// take the display down. `kiosk --check-config FILE` lists the same problems and exits 1.

#include "platform/Result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::app {

enum class LanguageMode {
    Dual, // both languages on every slide, the current one larger
    Toggle, // one language; a visitor switches with the EN / 中文 button
    Alternate, // one language, switching after each full pass through the slides
};

char const* mode_name(LanguageMode mode);
std::optional<LanguageMode> mode_from_name(std::string const& name);

enum class WindowMode {
    Fullscreen,
    Windowed,
    Headless, // no window: render offscreen (screenshots, previews)
};

// Which SDL renderer draws (docs/performance.md). Auto: a GPU-backed one when there is a GPU, SDL's
// software renderer when the only GL is a software rasteriser (llvmpipe, softpipe).
enum class RendererChoice {
    Auto,
    Software,
    OpenGL,
    OpenGLES2,
};

char const* renderer_name(RendererChoice choice);
std::optional<RendererChoice> renderer_from_name(std::string const& name);

struct Config {
    std::filesystem::path config_file;
    std::optional<std::filesystem::path> pack; // --pack; else the data dir's current pack, else built-in
    std::filesystem::path assets_dir; // fonts live in assets_dir/fonts
    std::filesystem::path builtin_pack; // default.kpack
    std::filesystem::path data_dir { "/var/lib/kiosk" };

    WindowMode window { WindowMode::Fullscreen };
    int width_px { 1920 }; // windowed/headless size
    int height_px { 1080 };
    bool kiosk_mode { false }; // Esc does not quit
    RendererChoice renderer { RendererChoice::Auto }; // --renderer, `renderer =`
    std::optional<int> run_for_ms; // quit after this long (tests, measurements)

    // How far the content is turned clockwise on the panel: 0, 90, 180 or 270 (input/Rotation.h).
    int rotation_degrees { 0 };
    // No touch for this long returns the show to auto-rotation and the default language; 0: never.
    int idle_timeout_s { 45 };

    LanguageMode language_mode { LanguageMode::Dual };
    std::string language; // starting/primary language; empty: the pack's default

    // Headless outputs.
    std::optional<std::filesystem::path> screenshot;
    std::optional<int> slide; // 1-based slide for --screenshot
    std::optional<std::filesystem::path> preview_dir;
    std::optional<std::filesystem::path> script; // --script FILE: replay input on a virtual clock

    // Content updates (docs/operations.md). The updater runs when updates_enabled and the data
    // directory can be opened; otherwise the kiosk shows what it has and says why in the log.
    bool updates_enabled { true };
    std::string device_id; // names the report file on sticks; empty: the host name
    std::string device_group; // matched against a pack's signed target, e.g. "lobby-east"
    std::filesystem::path keys_dir { "/etc/kiosk/keys" };
    std::vector<std::filesystem::path> mount_roots { "/media", "/run/media", "/run/kiosk/usb" };
    std::vector<std::filesystem::path> inbox_dirs;
    std::vector<std::string> accepted_pack_ids;
    bool write_reports { true };

    // The status file for monitoring (StatusFile.h), rewritten every 5 s; empty: none.
    std::filesystem::path status_file { "/run/kiosk/status.json" };
    std::vector<std::string> warnings; // config problems, logged at start-up
};

// One problem found in a config file.
struct ConfigProblem {
    int line { 0 }; // 1-based; 0 when it concerns the file as a whole
    int column { 0 }; // 1-based, for a syntax error; 0 otherwise
    std::string key; // the full key, e.g. "update.keys_dir"; empty for a syntax error
    std::string message; // e.g. "rotation must be 0, 90, 180 or 270, not 45"
};

// "FILE:LINE: message" ("FILE:LINE:COLUMN: ..." for a syntax error), for logs and --check-config.
std::string describe(std::filesystem::path const& path, ConfigProblem const& problem);

// Reads a TOML config file into config: each valid key is applied, each bad one is left at its
// default and returned as a problem (unknown key, wrong type, value out of range, unknown enum
// value). After a TOML syntax error nothing is applied and that error is the one problem. The
// error result is for a file that cannot be read at all (missing, not a regular file, too big).
Result<std::vector<ConfigProblem>> read_config_file(std::filesystem::path const& path, Config& config);

// Built-in defaults for this installation: where assets and the built-in pack are.
Config default_config();

// read_config_file for the app's start (keys: docs/operations.md): a missing file at the default
// path is fine, a missing file named by --config is an error; each problem becomes a warning in
// config.warnings that says the default is kept.
Status load_config_file(std::filesystem::path const& path, Config& config, bool must_exist);

} // namespace kiosk::app
