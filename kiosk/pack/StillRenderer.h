#pragma once

// The pack tool's view of a display: the shipped fonts, found the way the tool is installed, and
// render::StillRenderer, which draws still slides offscreen exactly as the kiosk does, so that
// `kiosk-pack render` shows an editor the pixels a visitor will see and `kiosk-pack lint` judges the
// same layout.

#include "kiosk/content/Image.h"
#include "kiosk/render/SlideComposer.h"
#include "kiosk/render/StillRenderer.h"
#include "kiosk/text/FontSet.h"
#include "platform/Result.h"
#include "platform/Sdl.h"

#include <filesystem>
#include <memory>
#include <optional>

namespace kiosk::pack {

// The folder holding the fonts: assets_dir/fonts when assets_dir is given (--assets), else the
// installed tool's <exe>/../share/kiosk/assets/fonts, else the source tree's assets/fonts (a tool
// run from its build tree).
std::filesystem::path find_fonts_dir(std::filesystem::path const& assets_dir);

// FontSet::open(find_fonts_dir(assets_dir)), with a message that says where else it looked.
Result<text::FontSet> open_fonts(std::filesystem::path const& assets_dir);

// "1920x1080" -> 1920×1080 (each side 16..8192 px, as `kiosk-pack build --display` accepts).
std::optional<render::ScreenSize> parse_screen_size(std::string const& text);

// "1920×1080", for messages.
std::string to_string(render::ScreenSize screen);

// Still slides as the kiosk draws them live in render/; the pack tool uses them under this name.
using StillRenderer = render::StillRenderer;

} // namespace kiosk::pack
