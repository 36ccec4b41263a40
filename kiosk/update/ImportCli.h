#pragma once

// `kiosk import FILE ...`: the app's importer, once, from the command line (operators, scripts,
// tests). Usage and exit codes are in usage_text() and docs/operations.md.

namespace kiosk::update {

enum ImportExitCode : int {
    import_installed = 0,
    import_refused = 1, // the pack is not acceptable here (signature, target, version, content)
    import_error = 2, // usage error, or the import could not finish (I/O, space, lock, keys)
};

// argv[0] is "import"; the rest are its arguments. Prints the result on stdout and the reason of
// a refusal or error on stderr.
int run_import_cli(int argc, char** argv);

} // namespace kiosk::update
