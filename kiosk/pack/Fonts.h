#pragma once

// The shipped fonts for the pack tool's commands that lay out slides (render, lint, wrap), found
// where the tool is installed (platform/InstallPaths.h) unless --assets names the folder.

#include "kiosk/text/FontSet.h"
#include "platform/Result.h"

#include <filesystem>

namespace kiosk::pack {

// FontSet::open(assets/fonts) for assets_dir, or when it is empty for the first installed assets
// folder; the error says where it looked and how to point the tool elsewhere.
Result<text::FontSet> open_fonts(std::filesystem::path const& assets_dir);

} // namespace kiosk::pack
