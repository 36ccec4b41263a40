#include "kiosk/app/Config.h"

#include "platform/Files.h"
#include "platform/InstallPaths.h"
#include "platform/TomlTypeName.h"

#include <algorithm>
#include <cstdint>
#include <toml++/toml.h>

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

Config default_config()
{
    Config config;
    config.config_file = "/etc/kiosk/kiosk.toml";
    config.assets_dir = install::first_existing(install::assets_dir_candidates());
    config.builtin_pack = install::first_existing(install::builtin_pack_candidates());
    return config;
}

namespace {

// The largest config file read: a real one is a few hundred bytes.
constexpr std::uint64_t max_config_bytes = 1024 * 1024;

// The check of one key: applies a good value to config, or returns what is wrong with it.
using KeyCheck = std::optional<std::string> (*)(std::string const& name, toml::node const& node, Config& config);

std::string wrong_type(std::string const& name, toml::node const& node, std::string_view wanted)
{
    return "'" + name + "' has the wrong type (" + toml_type_name(node) + "); it takes " + std::string(wanted);
}

std::optional<std::string> read_string(std::string const& name, toml::node const& node, std::string& out)
{
    auto const* text = node.as_string();
    if (!text)
        return wrong_type(name, node, "a string in double quotes");
    out = text->get();
    return std::nullopt;
}

std::optional<std::string> read_path(std::string const& name, toml::node const& node, fs::path& out)
{
    std::string text;
    if (auto problem = read_string(name, node, text))
        return problem;
    if (text.empty())
        return "'" + name + "' must name a file or folder, not be empty";
    out = text;
    return std::nullopt;
}

std::optional<std::string> read_bool(std::string const& name, toml::node const& node, bool& out)
{
    auto const* flag = node.as_boolean();
    if (!flag)
        return wrong_type(name, node, "true or false");
    out = flag->get();
    return std::nullopt;
}

std::optional<std::string> read_integer(std::string const& name, toml::node const& node, std::int64_t& out)
{
    auto const* number = node.as_integer();
    if (!number)
        return wrong_type(name, node, "a whole number");
    out = number->get();
    return std::nullopt;
}

std::optional<std::string> read_strings(std::string const& name, toml::node const& node, std::vector<std::string>& out)
{
    auto const* array = node.as_array();
    if (!array)
        return wrong_type(name, node, "a list of strings, e.g. [\"a\", \"b\"]");
    std::vector<std::string> values;
    for (std::size_t i = 0; i < array->size(); ++i) {
        auto const* text = (*array)[i].as_string();
        if (!text)
            return "'" + name + "' must hold strings only; entry " + std::to_string(i + 1) + " is "
                + toml_type_name((*array)[i]);
        values.push_back(text->get());
    }
    out = std::move(values);
    return std::nullopt;
}

std::optional<std::string> read_paths(std::string const& name, toml::node const& node, std::vector<fs::path>& out)
{
    std::vector<std::string> values;
    if (auto problem = read_strings(name, node, values))
        return problem;
    out.assign(values.begin(), values.end());
    return std::nullopt;
}

struct KeySpec {
    std::string_view name; // full name: "rotation", "update.keys_dir"
    KeyCheck check;
};

// Every key of kiosk.toml (docs/operations.md lists the same, with the defaults).
constexpr KeySpec key_specs[] = {
    { "language_mode",
        [](std::string const& name, toml::node const& node, Config& config) -> std::optional<std::string> {
            std::string text;
            if (auto problem = read_string(name, node, text))
                return problem;
            auto mode = mode_from_name(text);
            if (!mode)
                return "language_mode must be \"dual\", \"toggle\" or \"alternate\", not \"" + text + "\"";
            config.language_mode = *mode;
            return std::nullopt;
        } },
    { "language",
        [](std::string const& name, toml::node const& node, Config& config) {
            return read_string(name, node, config.language);
        } },
    { "rotation",
        [](std::string const& name, toml::node const& node, Config& config) -> std::optional<std::string> {
            std::int64_t degrees = 0;
            if (auto problem = read_integer(name, node, degrees))
                return problem;
            if (degrees != 0 && degrees != 90 && degrees != 180 && degrees != 270)
                return "rotation must be 0, 90, 180 or 270, not " + std::to_string(degrees);
            config.rotation_degrees = int(degrees);
            return std::nullopt;
        } },
    { "idle_timeout_s",
        [](std::string const& name, toml::node const& node, Config& config) -> std::optional<std::string> {
            std::int64_t seconds = 0;
            if (auto problem = read_integer(name, node, seconds))
                return problem;
            if (seconds < 0 || seconds > 86'400)
                return "idle_timeout_s must be 0..86400 (0: never), not " + std::to_string(seconds);
            config.idle_timeout_s = int(seconds);
            return std::nullopt;
        } },
    { "renderer",
        [](std::string const& name, toml::node const& node, Config& config) -> std::optional<std::string> {
            std::string text;
            if (auto problem = read_string(name, node, text))
                return problem;
            auto choice = renderer_from_name(text);
            if (!choice)
                return "renderer must be \"auto\", \"software\", \"opengl\" or \"opengles2\", not \"" + text + "\"";
            config.renderer = *choice;
            return std::nullopt;
        } },
    { "kiosk_mode",
        [](std::string const& name, toml::node const& node, Config& config) {
            return read_bool(name, node, config.kiosk_mode);
        } },
    { "data_dir",
        [](std::string const& name, toml::node const& node, Config& config) {
            return read_path(name, node, config.data_dir);
        } },
    { "pack",
        [](std::string const& name, toml::node const& node, Config& config) -> std::optional<std::string> {
            fs::path pack;
            if (auto problem = read_path(name, node, pack))
                return problem;
            config.pack = pack;
            return std::nullopt;
        } },
    { "assets_dir",
        [](std::string const& name, toml::node const& node, Config& config) {
            return read_path(name, node, config.assets_dir);
        } },
    { "builtin_pack",
        [](std::string const& name, toml::node const& node, Config& config) {
            return read_path(name, node, config.builtin_pack);
        } },
    { "status_file", // "" turns the status file off
        [](std::string const& name, toml::node const& node, Config& config) -> std::optional<std::string> {
            std::string text;
            if (auto problem = read_string(name, node, text))
                return problem;
            config.status_file = text;
            return std::nullopt;
        } },
    { "device_id",
        [](std::string const& name, toml::node const& node, Config& config) {
            return read_string(name, node, config.device_id);
        } },
    { "device_group",
        [](std::string const& name, toml::node const& node, Config& config) {
            return read_string(name, node, config.device_group);
        } },
    { "update.enabled",
        [](std::string const& name, toml::node const& node, Config& config) {
            return read_bool(name, node, config.updates_enabled);
        } },
    { "update.keys_dir",
        [](std::string const& name, toml::node const& node, Config& config) {
            return read_path(name, node, config.keys_dir);
        } },
    { "update.mount_roots",
        [](std::string const& name, toml::node const& node, Config& config) {
            return read_paths(name, node, config.mount_roots);
        } },
    { "update.inbox_dirs",
        [](std::string const& name, toml::node const& node, Config& config) {
            return read_paths(name, node, config.inbox_dirs);
        } },
    { "update.accepted_pack_ids",
        [](std::string const& name, toml::node const& node, Config& config) {
            return read_strings(name, node, config.accepted_pack_ids);
        } },
    { "update.write_reports",
        [](std::string const& name, toml::node const& node, Config& config) {
            return read_bool(name, node, config.write_reports);
        } },
};

// Levenshtein distance, for "did you mean": key names are short, so the quadratic table is tiny.
std::size_t edit_distance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t const above = row[j];
            row[j] = std::min({ row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1) });
            diagonal = above;
        }
    }
    return row[b.size()];
}

// The known key a typo most likely meant: close in spelling, or the same name in another table
// ("keys_dir" at the top for "update.keys_dir").
std::string suggestion_for(std::string const& full_name)
{
    auto const last_part = [](std::string_view name) {
        auto const dot = name.rfind('.');
        return dot == std::string_view::npos ? name : name.substr(dot + 1);
    };
    std::string_view best;
    std::size_t best_distance = 3; // at most two edits away
    for (auto const& spec : key_specs) {
        std::size_t distance = edit_distance(full_name, spec.name);
        if (last_part(full_name) == last_part(spec.name))
            distance = 0;
        if (distance < best_distance)
            best = spec.name, best_distance = distance;
    }
    if (best.empty())
        return "";
    auto const dot = best.find('.');
    if (dot != std::string_view::npos && full_name.find('.') == std::string::npos)
        return " (did you mean '" + std::string(best.substr(dot + 1)) + "' in the [" + std::string(best.substr(0, dot))
            + "] table?)";
    return " (did you mean '" + std::string(best) + "'?)";
}

bool is_table_name(std::string const& name)
{
    return std::any_of(std::begin(key_specs), std::end(key_specs),
        [&](KeySpec const& spec) { return spec.name.starts_with(name + "."); });
}

void check_table(toml::table const& table, std::string const& prefix, Config& config, std::vector<ConfigProblem>& out)
{
    for (auto const& [key, node] : table) {
        std::string const name = prefix + std::string(key.str());
        auto const& where = key.source().begin;
        // The line is enough for a key; a column is given only for syntax errors.
        ConfigProblem problem { int(where.line), 0, name, "" };
        if (is_table_name(name)) {
            if (auto const* inner = node.as_table()) {
                check_table(*inner, name + ".", config, out);
            } else {
                problem.message = wrong_type(name, node, "a table: [" + name + "] on a line of its own");
                out.push_back(std::move(problem));
            }
            continue;
        }
        auto const spec = std::find_if(std::begin(key_specs), std::end(key_specs),
            [&](KeySpec const& candidate) { return candidate.name == name; });
        if (spec == std::end(key_specs)) {
            problem.message = "unknown key '" + name + "'" + suggestion_for(name);
            out.push_back(std::move(problem));
            continue;
        }
        // A bad value leaves config as it was: each check assigns only after validating.
        if (auto message = spec->check(name, node, config)) {
            problem.message = std::move(*message);
            out.push_back(std::move(problem));
        }
    }
}

} // namespace

std::string describe(fs::path const& path, ConfigProblem const& problem)
{
    std::string where = path.string();
    if (problem.line > 0) {
        where += ":" + std::to_string(problem.line);
        if (problem.column > 0)
            where += ":" + std::to_string(problem.column);
    }
    return where + ": " + problem.message;
}

Result<std::vector<ConfigProblem>> read_config_file(fs::path const& path, Config& config)
{
    KIOSK_TRY_ASSIGN(auto const bytes, files::read_file(path, max_config_bytes));
    std::string_view const text(reinterpret_cast<char const*>(bytes.data()), bytes.size());
    std::vector<ConfigProblem> problems;
    toml::table table;
    try {
        table = toml::parse(text, path.string());
    } catch (toml::parse_error const& error) {
        auto const& where = error.source().begin;
        problems.push_back({ int(where.line), int(where.column), "",
            "not valid TOML: " + std::string(error.description())
                + " (nothing in this file is used until it is fixed; see docs/operations.md)" });
        return problems;
    }
    // Parse into a copy so that a bad key can never leave a half-applied value behind.
    Config updated = config;
    check_table(table, "", updated, problems);
    // toml++ keeps a table's keys sorted by name; a person reads the file from the top.
    std::stable_sort(problems.begin(), problems.end(),
        [](ConfigProblem const& a, ConfigProblem const& b) { return a.line < b.line; });
    config = std::move(updated);
    return problems;
}

Status load_config_file(fs::path const& path, Config& config, bool must_exist)
{
    std::error_code ec;
    if (!fs::exists(path, ec) && !must_exist)
        return {};
    auto problems = read_config_file(path, config);
    if (!problems) {
        // Named by --config: the operator asked for this file, so not finding it is an error. The
        // default path is only read when it exists: a broken one must not keep the display dark.
        if (must_exist)
            return problems.error();
        config.warnings.push_back(problems.message() + "; every setting keeps its default");
        return {};
    }
    for (auto const& problem : *problems) {
        bool const syntax = problem.key.empty();
        config.warnings.push_back(
            describe(path, problem) + (syntax ? "; every setting keeps its default" : "; the default is kept"));
    }
    return {};
}

} // namespace kiosk::app
