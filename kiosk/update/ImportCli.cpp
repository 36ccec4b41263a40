#include "kiosk/update/ImportCli.h"

#include "kiosk/update/Importer.h"
#include "kiosk/update/Store.h"
#include "platform/Log.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <unistd.h>

namespace kiosk::update {

namespace {

constexpr char const* usage_text
    = "usage: kiosk import FILE.kpack [--data-dir DIR] [--keys DIR] [--device-group GROUP]\n"
      "                    [--accept-pack-id ID]... [--verbose]\n"
      "\n"
      "Checks FILE.kpack and FILE.kpack.minisig exactly as the running kiosk checks a USB stick, and\n"
      "installs the pack as the current one (the running app shows it after its next start, or at\n"
      "once when it imported the pack itself).\n"
      "\n"
      "  --data-dir DIR        the kiosk's data folder (default /var/lib/kiosk)\n"
      "  --keys DIR            trusted minisign public keys, *.pub (default /etc/kiosk/keys)\n"
      "  --device-group GROUP  this display's group, matched against the signed target\n"
      "  --accept-pack-id ID   a pack_id this display accepts (default: the installed one's)\n"
      "  --verbose             log every step\n"
      "\n"
      "Exit status: 0 installed, 1 refused (the reason is printed), 2 error.\n";

int usage_error(std::string const& message)
{
    std::fprintf(stderr, "kiosk import: %s\n\n%s", log::printable(message).c_str(), usage_text);
    return import_error;
}

} // namespace

int run_import_cli(int argc, char** argv)
{
    std::filesystem::path file;
    std::filesystem::path data_dir = "/var/lib/kiosk";
    ImporterConfig config;
    bool verbose = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view const arg = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc)
                return false;
            out = argv[++i];
            return true;
        };
        std::string text;
        if (arg == "-h" || arg == "--help") {
            std::fputs(usage_text, stdout);
            return import_installed;
        } else if (arg == "--data-dir") {
            if (!value(text))
                return usage_error("--data-dir needs a folder");
            data_dir = text;
        } else if (arg == "--keys") {
            if (!value(text))
                return usage_error("--keys needs a folder");
            config.keys_dir = text;
        } else if (arg == "--device-group") {
            if (!value(text))
                return usage_error("--device-group needs a group name");
            config.device_group = text;
        } else if (arg == "--accept-pack-id") {
            if (!value(text))
                return usage_error("--accept-pack-id needs a pack_id");
            config.accepted_pack_ids.push_back(text);
        } else if (arg == "-v" || arg == "--verbose") {
            verbose = true;
        } else if (arg.starts_with("-")) {
            return usage_error("unknown option " + std::string(arg));
        } else if (file.empty()) {
            file = std::string(arg);
        } else {
            return usage_error("one pack at a time, not also " + std::string(arg));
        }
    }
    if (file.empty())
        return usage_error("which pack? give FILE.kpack");
    log::set_min_level(verbose ? log::Level::Debug : log::Level::Warn);

    auto store = Store::open(data_dir);
    if (!store) {
        std::fprintf(stderr, "kiosk import: error: %s\n", log::printable(store.message()).c_str());
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
        std::printf("%s -> %s\n", log::printable(outcome.reason).c_str(),
            log::printable(outcome.installed->path.string()).c_str());
        return import_installed;
    case ImportOutcome::Kind::Refused:
    case ImportOutcome::Kind::NoPack:
        std::fprintf(stderr, "kiosk import: refused: %s\n", log::printable(outcome.reason).c_str());
        return import_refused;
    case ImportOutcome::Kind::Failed:
        break;
    }
    std::fprintf(stderr, "kiosk import: error: %s\n", log::printable(outcome.reason).c_str());
    return import_error;
}

} // namespace kiosk::update
