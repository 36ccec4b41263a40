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

// Runs the app in a window on SDL's offscreen driver for `run_ms`, delivering `pack` (and its
// signature) into the inbox once the first slide is on screen, the way rsync does (temporary name, then rename).
std::string run_with_delivery(TempDir const& dir, std::filesystem::path const& pack, int run_ms)
{
    std::string const inbox = test::quote(dir / "inbox");
    test::write_text(dir / "empty.toml", ""); // hermetic: never /etc/kiosk/kiosk.toml
    std::string const script = "SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software " + std::string(KIOSK_BIN)
        + " --windowed 640x360 -v --config " + test::quote(dir / "empty.toml") + " --run-for " + std::to_string(run_ms)
        + " --data-dir " + test::quote(dir / "data") + " --keys " + test::quote(dir / "trusted")
        + " --device-group lobby-east --inbox " + inbox + " > " + test::quote(dir / "kiosk.log") + " 2>&1 &\n"
        + "pid=$!\n"
        // Deliver once the show is on screen (polled, at most 30 s), as rsync would into a running display.
        + "for i in $(seq 300); do grep -q 'show: slide' " + test::quote(dir / "kiosk.log")
        + " && break; sleep 0.1; done\n" + "cp " + test::quote(pack.string() + ".minisig") + " " + inbox
        + "/update.kpack.minisig\n" + "cp " + test::quote(pack) + " " + inbox + "/.update.part && mv " + inbox
        + "/.update.part " + inbox + "/update.kpack\n" + "wait $pid\n";
    test::write_text(dir / "run.sh", script);
    test::run_command("bash " + test::quote(dir / "run.sh"));
    return test::read_text(dir / "kiosk.log");
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

    // The demo's first slide stands for 10 s: the switch comes at that boundary, inside 13 s.
    std::string const log = run_with_delivery(dir, dir / "update.kpack", 13'000);
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

    std::string const log = run_with_delivery(dir, dir / "evil.kpack", 4'000);
    INFO(log);
    CHECK_THAT(log, Catch::Contains("not trusted") || Catch::Contains("unknown key") || Catch::Contains("untrusted"));
    CHECK_THAT(log, !Catch::Contains("Updated to"));
    CHECK_FALSE(std::filesystem::exists(dir / "data/packs/test-pack-v7.kpack"));
}
