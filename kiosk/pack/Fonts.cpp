#include "kiosk/pack/Fonts.h"

#include "platform/InstallPaths.h"

namespace kiosk::pack {

Result<text::FontSet> open_fonts(std::filesystem::path const& assets_dir)
{
    auto const candidates = install::assets_dir_candidates();
    auto const dir = assets_dir.empty() ? install::first_existing(candidates) : assets_dir;
    auto fonts = text::FontSet::open(dir / "fonts");
    if (fonts || !assets_dir.empty())
        return fonts;
    std::string message = fonts.message() + " (looked in";
    for (auto const& candidate : candidates)
        message += " " + (candidate / "fonts").string();
    return make_error(message + "; pass --assets DIR for a folder holding fonts/)");
}

} // namespace kiosk::pack
