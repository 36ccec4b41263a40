// `kiosk --headless --screenshot` with a data folder shows what that display shows: its installed
// pack (as the store chooses it at a start), not the built-in demo, and it changes nothing there.

#include "UpdateTestSupport.h"

using namespace kiosk;
using namespace kiosk::test;

namespace {

std::string screenshot(UpdateFixture const& fixture, std::string const& args, fs::path const& out)
{
    write_text(fixture.tmp / "empty.toml", "");
    std::string output;
    int const rc = run_command(std::string(KIOSK_BIN) + " --headless --size 320x180 --config "
            + quote(fixture.tmp / "empty.toml") + " --screenshot " + quote(out) + " " + args,
        &output);
    INFO(output);
    CHECK(rc == 0);
    return read_text(out);
}

std::string listing(fs::path const& dir)
{
    std::string out;
    for (auto const& entry : fs::recursive_directory_iterator(dir))
        out += entry.path().string() + " " + std::to_string(entry.is_regular_file() ? entry.file_size() : 0) + "\n";
    return out;
}

} // namespace

TEST_CASE("a headless screenshot with --data-dir shows the installed pack and writes nothing", "[update][app]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.install(2);
    std::string const before = listing(fixture.data);
    std::string const state_before = read_text(fixture.data / "state");

    std::string const installed = screenshot(fixture,
        "--data-dir " + quote(fixture.data) + " --keys " + quote(fixture.config.keys_dir), fixture.tmp / "d.png");
    std::string const direct
        = screenshot(fixture, "--pack " + quote(fixture.data / "packs/test-pack-v2.kpack"), fixture.tmp / "p.png");
    std::string const builtin = screenshot(fixture, "--no-updates", fixture.tmp / "b.png");
    REQUIRE_FALSE(installed.empty());
    CHECK(installed == direct); // the installed pack's first slide, exactly
    CHECK(installed != builtin);

    // Looking changes nothing: no start counted, no lock files, no cleanup.
    CHECK(listing(fixture.data) == before);
    CHECK(read_text(fixture.data / "state") == state_before);

    SECTION("a data folder that does not exist: the built-in pack, and the folder is not created")
    {
        fs::path const missing = fixture.tmp / "no-such-data";
        std::string const shot = screenshot(fixture,
            "--data-dir " + quote(missing) + " --keys " + quote(fixture.config.keys_dir), fixture.tmp / "m.png");
        CHECK(shot == builtin);
        CHECK_FALSE(fs::exists(missing));
    }
}
