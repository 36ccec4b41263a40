#include "platform/InstallPaths.h"

namespace kiosk::install {

namespace fs = std::filesystem;

fs::path executable_dir()
{
    std::error_code ec;
    fs::path const exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}

std::vector<fs::path> assets_dir_candidates()
{
    std::vector<fs::path> candidates;
    if (fs::path const exe_dir = executable_dir(); !exe_dir.empty())
        candidates.push_back(exe_dir / "../share/kiosk/assets");
    candidates.push_back(KIOSK_INSTALL_DATA_DIR "/assets");
    candidates.push_back(KIOSK_SOURCE_ASSETS_DIR);
    return candidates;
}

std::vector<fs::path> builtin_pack_candidates()
{
    std::vector<fs::path> candidates;
    if (fs::path const exe_dir = executable_dir(); !exe_dir.empty()) {
        candidates.push_back(exe_dir / "default.kpack");
        candidates.push_back(exe_dir / "../share/kiosk/default.kpack");
    }
    candidates.push_back(KIOSK_INSTALL_DATA_DIR "/default.kpack");
    candidates.push_back(KIOSK_BUILD_DIR "/default.kpack");
    return candidates;
}

fs::path first_existing(std::vector<fs::path> const& candidates)
{
    for (auto const& candidate : candidates) {
        std::error_code ec;
        if (fs::exists(candidate, ec))
            return candidate;
    }
    return candidates.back();
}

} // namespace kiosk::install
