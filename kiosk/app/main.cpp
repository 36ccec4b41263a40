// kiosk: the display application. See README.md and docs/operations.md.

#include "kiosk/app/CommandLine.h"
#include "kiosk/update/ImportCli.h"
#include "platform/Log.h"

#include <string_view>

int main(int argc, char** argv)
{
    // `kiosk import FILE ...`: the updater's importer, one-shot (docs/operations.md).
    if (argc >= 2 && std::string_view(argv[1]) == "import")
        return kiosk::update::run_import_cli(argc - 1, argv + 1);
    auto invocation = kiosk::app::parse_command_line(argc, argv);
    if (!invocation) {
        kiosk::log::error("app", invocation.message());
        return 2;
    }
    return kiosk::app::run_command_line(*invocation);
}
