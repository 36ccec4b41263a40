#include "kiosk/app/Config.h"

#include <toml++/toml.h>
#include <unistd.h>

namespace kiosk::app {

namespace fs = std::filesystem;

char const* mode_name(LanguageMode mode)
{
    switch (mode) {
    case LanguageMode::Dual:
        return "dual";
    case LanguageMode::Toggle:
        return "toggle";
    case LanguageMode::Alternate:
        return "alternate";
    }
    return "dual";
}

std::optional<LanguageMode> mode_from_name(std::string const& name)
{
    for (auto mode : { LanguageMode::Dual, LanguageMode::Toggle, LanguageMode::Alternate }) {
        if (name == mode_name(mode))
            return mode;
    }
    return std::nullopt;
}

char const* renderer_name(RendererChoice choice)
{
    switch (choice) {
    case RendererChoice::Auto:
        return "auto";
    case RendererChoice::Software:
        return "software";
    case RendererChoice::OpenGL:
        return "opengl";
    case RendererChoice::OpenGLES2:
        return "opengles2";
    }
    return "auto";
}

std::optional<RendererChoice> renderer_from_name(std::string const& name)
{
    for (auto choice :
        { RendererChoice::Auto, RendererChoice::Software, RendererChoice::OpenGL, RendererChoice::OpenGLES2 }) {
        if (name == renderer_name(choice))
            return choice;
    }
    return std::nullopt;
}

namespace {

fs::path executable_dir()
{
    std::error_code ec;
    fs::path const exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}

// The first candidate that exists, else the first candidate (so the error names a sensible path).
fs::path first_existing(std::vector<fs::path> const& candidates)
{
    for (auto const& candidate : candidates) {
        std::error_code ec;
        if (!candidate.empty() && fs::exists(candidate, ec))
            return candidate;
    }
    return candidates.front();
}

} // namespace

Config default_config()
{
    Config config;
    config.config_file = "/etc/kiosk/kiosk.toml";
    fs::path const exe_dir = executable_dir();
    // Installed: <prefix>/bin/kiosk with <prefix>/share/kiosk; in the build tree: build/kiosk with
    // build/default.kpack and the source tree's assets/.
    config.assets_dir = first_existing(
        { exe_dir / "../share/kiosk/assets", KIOSK_INSTALL_DATA_DIR "/assets", KIOSK_SOURCE_ASSETS_DIR });
    config.builtin_pack = first_existing({ exe_dir / "default.kpack", exe_dir / "../share/kiosk/default.kpack",
        KIOSK_INSTALL_DATA_DIR "/default.kpack", KIOSK_BUILD_DIR "/default.kpack" });
    return config;
}

Status load_config_file(fs::path const& path, Config& config, bool must_exist)
{
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        if (must_exist)
            return make_error(path.string() + ": config file not found");
        return {};
    }
    toml::table table;
    try {
        table = toml::parse_file(path.string());
    } catch (toml::parse_error const& error) {
        // The whole file is unusable; keep every default and say where the syntax broke.
        config.warnings.push_back(path.string() + ":" + std::to_string(error.source().begin.line) + ": "
            + std::string(error.description()) + " (config ignored, defaults used)");
        return {};
    }
    auto warn = [&](toml::node const& node, std::string const& message) {
        config.warnings.push_back(path.string() + ":" + std::to_string(node.source().begin.line) + ": " + message);
    };
    auto string_list = [&](toml::node const& node, std::string const& name) {
        std::vector<std::string> out;
        auto const* array = node.as_array();
        if (!array) {
            warn(node, "'" + name + "' must be a list of strings; keeping the default");
            return std::optional<std::vector<std::string>>();
        }
        for (auto const& element : *array) {
            if (auto const* text = element.as_string())
                out.push_back(text->get());
            else
                warn(element, "'" + name + "' must hold strings only; entry ignored");
        }
        return std::optional(out);
    };
    auto read_update_table = [&](toml::table const& update) {
        for (auto const& [key, node] : update) {
            std::string const name(key.str());
            if (name == "keys_dir" && node.is_string()) {
                config.keys_dir = node.as_string()->get();
            } else if (name == "mount_roots" || name == "inbox_dirs") {
                if (auto list = string_list(node, name)) {
                    auto& target = name == "mount_roots" ? config.mount_roots : config.inbox_dirs;
                    target.assign(list->begin(), list->end());
                }
            } else if (name == "accepted_pack_ids") {
                if (auto list = string_list(node, name))
                    config.accepted_pack_ids = *list;
            } else if (name == "write_reports" && node.is_boolean()) {
                config.write_reports = node.as_boolean()->get();
            } else if (name == "enabled" && node.is_boolean()) {
                config.updates_enabled = node.as_boolean()->get();
            } else if (name == "keys_dir" || name == "write_reports" || name == "enabled") {
                warn(node, "'update." + name + "' has the wrong type; keeping the default");
            } else {
                warn(node, "unknown key 'update." + name + "' ignored");
            }
        }
    };
    for (auto const& [key, node] : table) {
        std::string const name(key.str());
        if (name == "update" && node.is_table()) {
            read_update_table(*node.as_table());
            continue;
        }
        if ((name == "device_id" || name == "device_group") && node.is_string()) {
            (name == "device_id" ? config.device_id : config.device_group) = node.as_string()->get();
            continue;
        }
        if (name == "pack" && node.is_string()) {
            config.pack = fs::path(node.as_string()->get());
        } else if (name == "data_dir" && node.is_string()) {
            config.data_dir = node.as_string()->get();
        } else if (name == "assets_dir" && node.is_string()) {
            config.assets_dir = node.as_string()->get();
        } else if (name == "status_file" && node.is_string()) {
            config.status_file = node.as_string()->get();
        } else if (name == "builtin_pack" && node.is_string()) {
            config.builtin_pack = node.as_string()->get();
        } else if (name == "language_mode" && node.is_string()) {
            if (auto mode = mode_from_name(node.as_string()->get()))
                config.language_mode = *mode;
            else
                warn(node,
                    "language_mode must be \"dual\", \"toggle\" or \"alternate\"; keeping \""
                        + std::string(mode_name(config.language_mode)) + "\"");
        } else if (name == "renderer" && node.is_string()) {
            if (auto choice = renderer_from_name(node.as_string()->get()))
                config.renderer = *choice;
            else
                warn(node,
                    "renderer must be \"auto\", \"software\", \"opengl\" or \"opengles2\"; keeping \""
                        + std::string(renderer_name(config.renderer)) + "\"");
        } else if (name == "language" && node.is_string()) {
            config.language = node.as_string()->get();
        } else if (name == "kiosk_mode" && node.is_boolean()) {
            config.kiosk_mode = node.as_boolean()->get();
        } else if (name == "rotation" && node.is_integer()) {
            auto const degrees = node.as_integer()->get();
            if (degrees == 0 || degrees == 90 || degrees == 180 || degrees == 270)
                config.rotation_degrees = int(degrees);
            else
                warn(node, "rotation must be 0, 90, 180 or 270; keeping " + std::to_string(config.rotation_degrees));
        } else if (name == "idle_timeout_s" && node.is_integer()) {
            auto const seconds = node.as_integer()->get();
            if (seconds >= 0 && seconds <= 86'400)
                config.idle_timeout_s = int(seconds);
            else
                warn(node, "idle_timeout_s must be 0..86400; keeping " + std::to_string(config.idle_timeout_s));
        } else if (name == "pack" || name == "data_dir" || name == "assets_dir" || name == "builtin_pack"
            || name == "language_mode" || name == "rotation" || name == "idle_timeout_s" || name == "update"
            || name == "device_id" || name == "device_group" || name == "language" || name == "kiosk_mode"
            || name == "renderer" || name == "status_file") {
            warn(node, "'" + name + "' has the wrong type; keeping the default");
        } else {
            warn(node, "unknown key '" + name + "' ignored");
        }
    }
    return {};
}

} // namespace kiosk::app
