// The status file for monitoring, written by the real kiosk binary in a window on SDL's offscreen
// driver: its facts, its refresh, and that a status file that cannot be written never stops the show.

#include "../support/TestSupport.h"
#include "kiosk/update/Minisign.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace kiosk;
using kiosk::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string run_windowed(TempDir const& dir, std::string const& args, int* status)
{
    test::write_text(dir / "empty.toml", "");
    std::string output;
    *status = test::run_command("SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software " + std::string(KIOSK_BIN)
            + " --windowed 640x360 --no-updates --data-dir " + test::quote(dir / "data") + " --config "
            + test::quote(dir / "empty.toml") + " --keys " + test::quote(dir / "keys") + " " + args,
        &output);
    return output;
}

std::size_t count(std::string const& text, std::string const& what)
{
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size()))
        ++n;
    return n;
}

} // namespace

TEST_CASE("the status file holds the display's facts as JSON", "[app]")
{
    TempDir dir;
    fs::create_directories(dir / "keys");
    REQUIRE(
        test::run_command(std::string(KIOSK_PACK_BIN) + " keygen --no-password -o " + test::quote(dir / "staff")) == 0);
    fs::copy_file(dir / "staff.pub", dir / "keys/staff.pub");
    auto const key = update::load_public_key(dir / "staff.pub");
    REQUIRE(key);
    int rc = -1;
    std::string const out = run_windowed(
        dir, "--run-for 6500 --device-group lobby --status-file " + test::quote(dir / "status.json"), &rc);
    INFO(out);
    REQUIRE(rc == 0);
    std::string const text = test::read_text(dir / "status.json");
    INFO(text);
    auto const status = nlohmann::json::parse(text);
    CHECK(status["app_version"] == KIOSK_VERSION);
    CHECK_FALSE(status["device_id"].get<std::string>().empty());
    CHECK(status["content_source"] == "built-in pack");
    CHECK(status["showing"]["slides"].get<int>() >= 10);
    CHECK_FALSE(status["showing"]["id"].get<std::string>().empty());
    CHECK(status["trusted_keys"] == nlohmann::json::array({ update::key_id_hex(key->key_id) }));
    CHECK(status["display"]["mode"] == "windowed");
    CHECK(status["display"]["width_px"] == 640);
    CHECK(status["display"]["height_px"] == 360);
    CHECK(status["display"]["rotation_degrees"] == 0);
    CHECK(status["display"]["renderer"].get<std::string>().find("software") != std::string::npos);
    CHECK(status["frames"]["drawn"].get<int>() >= 1);
    CHECK(status["storage"]["data_dir"] == (dir / "data").string());
    CHECK(status["storage"]["free_bytes"].get<std::int64_t>() > 0);
    CHECK(status["log"].is_array());
    CHECK(status["log"].size() <= 20);
    // Written at the first turn and again 5 s later: the second one says so.
    CHECK(status["uptime_s"].get<int>() == 5);
    // Atomic writes leave no temporary file behind.
    for (auto const& entry : fs::directory_iterator(dir.path()))
        if (entry.path().filename().string().find("status") != std::string::npos)
            CHECK(entry.path().filename() == "status.json");
}

TEST_CASE("a status file that cannot be written is logged once and the show goes on", "[app]")
{
    TempDir dir;
    // The path is a folder (as a mistyped config would make it), then a folder that does not exist.
    fs::create_directories(dir / "status-is-a-folder");
    for (fs::path const& path : { dir / "status-is-a-folder", dir / "no/such/folder/status.json" }) {
        int rc = -1;
        std::string const out = run_windowed(dir, "--run-for 12500 --status-file " + test::quote(path), &rc);
        INFO(out);
        CHECK(rc == 0);
        // Three writes were due (0, 5 and 10 s): one warning.
        CHECK(count(out, "cannot write the status file") == 1);
        CHECK(count(out, "[warn]") == 1);
        // The show went on: the first crossfade ran (slide 1 stands for 10 s).
        auto const at = out.find("drew ");
        REQUIRE(at != std::string::npos);
        CHECK(std::stoi(out.substr(at + 5)) > 20);
    }
}
