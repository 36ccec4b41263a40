#include "kiosk/content/PackReader.h"
#include "kiosk/content/PixelSize.h"
#include "kiosk/pack/Commands.h"
#include "kiosk/pack/Source.h"

#include <CLI/CLI.hpp>
#include <iostream>

namespace kiosk::pack {

namespace {

struct BuildArgs {
    std::string source;
    std::string output;
    std::optional<std::int64_t> version;
    std::string display { "1920x1080" };
    std::string created;
    bool force_version { false };
    bool quiet { false };
};

int run_build(BuildArgs const& args)
{
    BuildOptions options;
    auto display = content::parse_pixel_size(args.display, "--display");
    if (!display) {
        std::cerr << "kiosk-pack build: " << display.message() << '\n';
        return exit_input_error;
    }
    options.display_width_px = display->width_px;
    options.display_height_px = display->height_px;
    options.version = args.version;
    options.created = args.created;
    SourceResult result = read_source(args.source, options);
    if (!result.ok()) {
        for (auto const& problem : result.problems)
            std::cerr << problem.to_string() << '\n';
        std::cerr << "kiosk-pack build: " << result.problems.size() << " problem(s); no pack written\n";
        return exit_input_error;
    }
    // The version only grows, so a display can refuse replays of older packs.
    if (!args.force_version && std::filesystem::exists(args.output)) {
        auto existing = content::read_pack(args.output);
        if (existing && existing->meta.version >= result.pack.meta.version) {
            std::cerr << args.output << ": already holds version " << existing->meta.version
                      << "; the new pack has version " << result.pack.meta.version
                      << ". Raise 'version' in pack.toml (or pass --version N), or use "
                      << "--force-version to overwrite anyway\n";
            return exit_input_error;
        }
    }
    if (auto written = content::write_pack(result.pack, args.output); !written) {
        std::cerr << "kiosk-pack build: " << written.message() << '\n';
        return exit_input_error;
    }
    if (!args.quiet) {
        std::cout << args.output << ": pack_id=" << result.pack.meta.pack_id << " version=" << result.pack.meta.version
                  << ", " << result.pack.slides.size() << " slides, " << result.pack.media.size() << " images\n";
    }
    return exit_ok;
}

} // namespace

void add_build_command(CLI::App& app, int& exit_code)
{
    auto args = std::make_shared<BuildArgs>();
    auto* cmd = app.add_subcommand("build", "Validate a source folder and write a content pack");
    cmd->add_option("source", args->source, "Source folder (pack.toml, slides/, images/)")->required();
    cmd->add_option("-o,--output", args->output, "Pack file to write, e.g. lobby.kpack")->required();
    cmd->add_option("--version", args->version, "Pack version (overrides pack.toml); must grow");
    cmd->add_option("--display", args->display, "Display size the images are scaled for, WIDTHxHEIGHT")
        ->capture_default_str();
    cmd->add_option("--created", args->created, "Creation timestamp to record (none by default: reproducible builds)");
    cmd->add_flag("--force-version", args->force_version, "Overwrite OUT even if it holds the same or a newer version");
    cmd->add_flag("-q,--quiet", args->quiet, "Print nothing on success");
    cmd->callback([args, &exit_code] { exit_code = run_build(*args); });
}

} // namespace kiosk::pack
