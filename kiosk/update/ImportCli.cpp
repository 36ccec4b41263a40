#include "kiosk/update/ImportCli.h"

#include "kiosk/update/Importer.h"
#include "kiosk/update/Store.h"
#include "platform/Log.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace kiosk::update {

namespace {

constexpr char const* description
    = "Checks FILE.kpack and FILE.kpack.minisig exactly as the running kiosk checks a USB stick, and "
      "installs the pack as the current one (the running app shows it after its next start, or at "
      "once when it imported the pack itself).";
constexpr char const* footer = "Exit status: 0 installed, 1 refused (the reason is printed), 2 error.\n";

int usage_error(CLI::App const& cli, std::string const& message)
{
    std::fprintf(stderr, "kiosk import: %s\n\n%s", message.c_str(), cli.help().c_str());
    return import_error;
}

} // namespace

int run_import_cli(int argc, char** argv)
{
    std::string file;
    std::string data_dir = "/var/lib/kiosk";
    std::string keys_dir;
    ImporterConfig config;
    bool verbose = false;

    CLI::App cli { description, "kiosk import" };
    // As before CLI11: an option given twice takes the last value (scripts append overrides).
    cli.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    cli.footer(footer);
    // Unknown options and a second pack are reported below in our own words.
    cli.allow_extras();
    cli.add_option("file", file, "The pack, with FILE.kpack.minisig beside it");
    cli.add_option("--data-dir", data_dir, "The kiosk's data folder")->capture_default_str();
    cli.add_option(
        "--keys", keys_dir, "Trusted minisign public keys, *.pub (default " + config.keys_dir.string() + ")");
    cli.add_option("--device-group", config.device_group, "This display's group, matched against the signed target");
    cli.add_option("--accept-pack-id", config.accepted_pack_ids,
        "A pack_id this display accepts, repeatable (default: the installed one's)");
    cli.add_flag("-v,--verbose", verbose, "Log every step");
    try {
        cli.parse(argc, argv);
    } catch (CLI::CallForHelp const&) {
        std::fputs(cli.help().c_str(), stdout);
        return import_installed;
    } catch (CLI::ParseError const& error) {
        return usage_error(cli, error.what());
    }
    if (auto const extras = cli.remaining(); !extras.empty()) {
        std::string const& first = extras.front();
        return usage_error(
            cli, first.starts_with("-") ? "unknown option " + first : "one pack at a time, not also " + first);
    }
    if (file.empty())
        return usage_error(cli, "which pack? give FILE.kpack");
    if (!keys_dir.empty())
        config.keys_dir = keys_dir;
    log::set_min_level(verbose ? log::Level::Debug : log::Level::Warn);

    auto store = Store::open(data_dir);
    if (!store) {
        std::fprintf(stderr, "kiosk import: error: %s\n", store.message().c_str());
        return import_error;
    }
    bool const show_progress = ::isatty(STDERR_FILENO);
    Importer importer(store.value(), config);
    ImportOutcome const outcome = importer.import_file(file, [&](UpdateEvent const& event) {
        if (auto const* progress = std::get_if<Progress>(&event); progress && show_progress && progress->bytes_total)
            std::fprintf(stderr, "\rcopying: %3d%%", int(progress->bytes_done * 100 / progress->bytes_total));
    });
    if (show_progress)
        std::fputs("\r              \r", stderr);

    switch (outcome.kind) {
    case ImportOutcome::Kind::Installed:
        std::printf("%s -> %s\n", outcome.reason.c_str(), outcome.installed->path.c_str());
        return import_installed;
    case ImportOutcome::Kind::Refused:
    case ImportOutcome::Kind::NoPack:
        std::fprintf(stderr, "kiosk import: refused: %s\n", outcome.reason.c_str());
        return import_refused;
    case ImportOutcome::Kind::Failed:
        break;
    }
    std::fprintf(stderr, "kiosk import: error: %s\n", outcome.reason.c_str());
    return import_error;
}

} // namespace kiosk::update
