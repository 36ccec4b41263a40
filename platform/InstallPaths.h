#pragma once

// Where this installation keeps its read-only files (fonts, the built-in pack), for the app and
// the pack tool alike. Installed: <prefix>/bin/kiosk with <prefix>/share/kiosk/; run from the
// build tree: build/kiosk with build/default.kpack and the source tree's assets/. The candidates
// are tried in order; the paths compiled in come from CMake (CMAKE_INSTALL_PREFIX, the source and
// build folders).

#include <filesystem>
#include <vector>

namespace kiosk::install {

// The folder of the running executable (/proc/self/exe); empty when it cannot be read.
std::filesystem::path executable_dir();

// Candidates for the assets folder (the one holding fonts/).
std::vector<std::filesystem::path> assets_dir_candidates();

// Candidates for the built-in pack, default.kpack.
std::vector<std::filesystem::path> builtin_pack_candidates();

// The first candidate that exists, else the last one (so an error names a sensible path).
std::filesystem::path first_existing(std::vector<std::filesystem::path> const& candidates);

} // namespace kiosk::install
