// The running app takes an update: a signed pack synced into its inbox folder is copied, verified
// and shown at the next slide boundary, without a restart; a pack signed by a stranger is refused
// and the old content stays on screen.

#include "../support/TestSupport.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using kiosk::test::TempDir;

namespace {

// Builds the sample pack at `version`, signed with the key at dir/NAME.key.
void make_signed_pack(TempDir const& dir, std::string const& key_name, int version, std::filesystem::path const& out)
{
    test::write_sample_source(dir / ("src-" + std::to_string(version)), version);
    REQUIRE(
        test::run_command(std::string(KIOSK_PACK_BIN) + " build "
            + test::quote(dir / ("src-" + std::to_string(version))) + " -o " + test::quote(out) + " --force-version")
        == 0);
    REQUIRE(test::run_command(std::string(KIOSK_PACK_BIN) + " sign --key " + test::quote(dir / (key_name + ".key"))
                + " " + test::quote(out))
        == 0);
}

// Runs the app in a window on SDL's offscreen driver, delivers `pack` (and its signature) into
// the inbox once the show is running, the way rsync does (temporary name, then rename), and stops
// the app when its log shows `done_when`. Waits for events, not for time: the bounds are generous.
std::string run_with_delivery(TempDir const& dir, std::filesystem::path const& pack, std::string const& done_when)
{
    auto const inbox = dir / "inbox";
    test::KioskProcess kiosk(dir.path(),
        { "--windowed", "640x360", "-v", "--run-for", "300000", "--data-dir", (dir / "data").string(), "--keys",
            (dir / "trusted").string(), "--device-group", "lobby-east", "--inbox", inbox.string() },
        { { "SDL_VIDEODRIVER", "offscreen" }, { "SDL_RENDER_DRIVER", "software" } });
    // The first slide of the built-in pack on screen: the app and its updater are running.
    CHECK(kiosk.wait_for_log("slide 1/"));
    std::filesystem::copy_file(pack.string() + ".minisig", inbox / "update.kpack.minisig");
    std::filesystem::copy_file(pack, inbox / ".update.part");
    std::filesystem::rename(inbox / ".update.part", inbox / "update.kpack");
    CHECK(kiosk.wait_for_log(done_when));
    CHECK(kiosk.stop() == 0);
    return kiosk.log();
}

} // namespace

TEST_CASE("a signed pack arriving in the inbox is installed and shown without a restart", "[update][render][threads]")
{
    TempDir dir;
    std::filesystem::create_directories(dir / "inbox");
    std::filesystem::create_directories(dir / "trusted");
    REQUIRE(
        test::run_command(std::string(KIOSK_PACK_BIN) + " keygen --no-password -o " + test::quote(dir / "staff")) == 0);
    std::filesystem::copy_file(dir / "staff.pub", dir / "trusted/staff.pub");
    make_signed_pack(dir, "staff", 7, dir / "update.kpack");

    // The switch comes at the next slide boundary: the new pack's first slide is then on screen.
    std::string const log = run_with_delivery(dir, dir / "update.kpack", "slide 1/2 (01-hero)");
    INFO(log);
    CHECK_THAT(log, Catch::Contains("installed test-pack version 7"));
    CHECK_THAT(log, Catch::Contains("Updated to Test pack v7 \xE2\x80\x94 2 slides"));
    CHECK_THAT(log, Catch::Contains("slide 1/2 (01-hero)"));
    CHECK(std::filesystem::exists(dir / "data/packs/test-pack-v7.kpack"));
}

TEST_CASE("a pack signed by an unknown key is refused and the old content stays", "[update][render][threads]")
{
    TempDir dir;
    std::filesystem::create_directories(dir / "inbox");
    std::filesystem::create_directories(dir / "trusted");
    REQUIRE(
        test::run_command(std::string(KIOSK_PACK_BIN) + " keygen --no-password -o " + test::quote(dir / "staff")) == 0);
    REQUIRE(test::run_command(std::string(KIOSK_PACK_BIN) + " keygen --no-password -o " + test::quote(dir / "stranger"))
        == 0);
    std::filesystem::copy_file(dir / "staff.pub", dir / "trusted/staff.pub");
    make_signed_pack(dir, "stranger", 7, dir / "evil.kpack");

    std::string const log = run_with_delivery(dir, dir / "evil.kpack", "not trusted");
    INFO(log);
    CHECK_THAT(log, Catch::Contains("not trusted") || Catch::Contains("unknown key") || Catch::Contains("untrusted"));
    CHECK_THAT(log, !Catch::Contains("Updated to"));
    CHECK_FALSE(std::filesystem::exists(dir / "data/packs/test-pack-v7.kpack"));
}
