#include "kiosk/pack/StillRenderer.h"

#include "kiosk/show/Navigator.h"

#include <cstdio>

namespace kiosk::pack {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> fonts_dir_candidates(fs::path const& assets_dir)
{
    if (!assets_dir.empty())
        return { assets_dir / "fonts" };
    std::vector<fs::path> candidates;
    std::error_code ec;
    fs::path const exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec)
        candidates.push_back(exe.parent_path().parent_path() / "share/kiosk/assets/fonts");
    candidates.push_back(fs::path(KIOSK_SOURCE_ASSETS_DIR) / "fonts");
    return candidates;
}

} // namespace

fs::path find_fonts_dir(fs::path const& assets_dir)
{
    auto const candidates = fonts_dir_candidates(assets_dir);
    for (auto const& dir : candidates) {
        std::error_code ec;
        if (fs::is_directory(dir, ec))
            return dir;
    }
    return candidates.back();
}

Result<text::FontSet> open_fonts(fs::path const& assets_dir)
{
    auto fonts = text::FontSet::open(find_fonts_dir(assets_dir));
    if (fonts)
        return fonts;
    std::string message = fonts.message();
    if (assets_dir.empty()) {
        message += " (looked in";
        for (auto const& dir : fonts_dir_candidates(assets_dir))
            message += " " + dir.string();
        message += "; pass --assets DIR for a folder holding fonts/)";
    }
    return make_error(message);
}

std::optional<render::ScreenSize> parse_screen_size(std::string const& text)
{
    int width = 0;
    int height = 0;
    char trailing = 0;
    if (std::sscanf(text.c_str(), "%dx%d%c", &width, &height, &trailing) != 2)
        return std::nullopt;
    if (width < 16 || height < 16 || width > 8192 || height > 8192)
        return std::nullopt;
    return render::ScreenSize { width, height };
}

std::string to_string(render::ScreenSize screen)
{
    return std::to_string(screen.width_px) + "×" + std::to_string(screen.height_px);
}

} // namespace kiosk::pack
