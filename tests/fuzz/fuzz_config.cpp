// Fuzz target: the config parser (kiosk/app/Config), through load_config_file as the app calls it
// for /etc/kiosk/kiosk.toml. The input is the file's text. Contract (Config.h): a bad line never
// takes the display down, so for any text that exists as a file
// - loading succeeds (problems become warnings, defaults are kept) and throws nothing;
// - every warning names the file and a line ("PATH:LINE: ...");
// - every setting holds a value the app can use: rotation 0/90/180/270, idle timeout 0..86400 s,
//   a known language mode, positive window size;
// - loading the same file again gives the same warnings (no state leaks between loads).

#include "FuzzSupport.h"

#include "kiosk/app/Config.h"

#include <charconv>

using kiosk::app::Config;

namespace {

kiosk::fuzz::TempDir& temp_dir()
{
    static kiosk::fuzz::TempDir dir("config");
    return dir;
}

void check_config(Config const& config, std::string const& path)
{
    for (auto const& warning : config.warnings) {
        KIOSK_FUZZ_CHECK(warning.starts_with(path + ":"), "a warning that does not name the file: " + warning);
        std::string_view const rest = std::string_view(warning).substr(path.size() + 1);
        int line = 0;
        auto const [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), line);
        KIOSK_FUZZ_CHECK(ec == std::errc() && line >= 1 && end != rest.data() + rest.size() && *end == ':',
            "a warning without a line number: " + warning);
    }
    int const r = config.rotation_degrees;
    KIOSK_FUZZ_CHECK(r == 0 || r == 90 || r == 180 || r == 270, "rotation " + std::to_string(r));
    KIOSK_FUZZ_CHECK(config.idle_timeout_s >= 0 && config.idle_timeout_s <= 86'400,
        "idle_timeout_s " + std::to_string(config.idle_timeout_s));
    KIOSK_FUZZ_CHECK(kiosk::app::mode_from_name(kiosk::app::mode_name(config.language_mode)) == config.language_mode,
        "an unknown language mode");
    KIOSK_FUZZ_CHECK(config.width_px > 0 && config.height_px > 0, "window size");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    auto& dir = temp_dir();
    auto const path = dir.write("kiosk.toml", data, size);
    Config first = kiosk::app::default_config();
    try {
        auto const status = kiosk::app::load_config_file(path, first, true);
        KIOSK_FUZZ_CHECK(status.ok(), "loading an existing config file failed: " + status.message());
        check_config(first, path.string());
        Config second = kiosk::app::default_config();
        auto const again = kiosk::app::load_config_file(path, second, true);
        KIOSK_FUZZ_CHECK(again.ok() && second.warnings == first.warnings, "a second load of the same file differs");
    } catch (std::exception const& error) {
        kiosk::fuzz::invariant_failed("load_config_file throws nothing", error.what(), __FILE__, __LINE__);
    }
    dir.clear();
    return 0;
}
