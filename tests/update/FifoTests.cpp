// A named pipe (FIFO) where a file is expected blocks open() until a writer comes, which on a
// display is never. Every entry point that opens a file someone else put there is driven with a
// real mkfifo in place of each file it reads: it must finish, say which file is a FIFO, and go on
// with what it can. Each command runs under timeout(1) with SIGKILL, so a hang fails the test
// instead of hanging the run.

#include "UpdateTestSupport.h"

#include <sys/stat.h>

using namespace kiosk;
using namespace kiosk::test;

namespace {

constexpr int killed_at_deadline = 128 + 9;

void make_fifo(fs::path const& path)
{
    fs::create_directories(path.parent_path());
    std::error_code ignored;
    fs::remove(path, ignored);
    REQUIRE(::mkfifo(path.c_str(), 0644) == 0);
}

int run_bounded(std::string const& command, std::string& output)
{
    return run_command("timeout -s KILL 60 " + command, &output);
}

std::string pack_tool()
{
    return std::string(KIOSK_PACK_BIN);
}

} // namespace

TEST_CASE("a FIFO among the trusted keys or in place of the pack does not block `kiosk import`", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fs::path const pack = fixture.put_pack(2);
    // A copy of the trusted keys with a FIFO beside them.
    fs::path const keys = fixture.tmp / "keys";
    fs::create_directories(keys);
    for (auto const& entry : fs::directory_iterator(fixture.config.keys_dir))
        fs::copy_file(entry.path(), keys / entry.path().filename());
    make_fifo(keys / "evil.pub");
    std::string const import = std::string(KIOSK_BIN) + " import --data-dir " + quote(fixture.data) + " --keys "
        + quote(keys) + " --device-group lobby-east ";
    std::string output;

    SECTION("the FIFO key is skipped with a message; the real key still works")
    {
        int const rc = run_bounded(import + quote(pack), output);
        INFO(output);
        CHECK(rc == 0);
        CHECK_THAT(output, Catch::Contains("evil.pub is a named pipe (FIFO)"));
        CHECK(fixture.version_at_boot() == 2);
    }
    SECTION("the pack named on the command line is a FIFO")
    {
        fs::path const fifo = fixture.tmp / "fifo.kpack";
        make_fifo(fifo);
        fs::copy_file(pack.string() + ".minisig", fifo.string() + ".minisig");
        int const rc = run_bounded(import + quote(fifo), output);
        INFO(output);
        CHECK(rc != killed_at_deadline);
        CHECK(rc != 0);
        CHECK_THAT(output, Catch::Contains("named pipe (FIFO)"));
        CHECK(fixture.version_at_boot() == 1);
    }
}

TEST_CASE("FIFOs in the data folder and among the keys do not block the app's start", "[update][app]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.install(2);
    fs::path const keys = fixture.tmp / "keys";
    fs::create_directories(keys);
    for (auto const& entry : fs::directory_iterator(fixture.config.keys_dir))
        fs::copy_file(entry.path(), keys / entry.path().filename());
    make_fifo(keys / "evil.pub");
    std::string expected_pack;

    SECTION("the current pack's signature is a FIFO: the previous pack is shown")
    {
        make_fifo(fixture.data / "packs/test-pack-v2.kpack.minisig");
        expected_pack = "showing test-pack version 1";
    }
    SECTION("the state file is a FIFO: the newest pack is shown")
    {
        make_fifo(fixture.data / "state");
        expected_pack = "showing test-pack version 2";
    }
    write_text(fixture.tmp / "empty.toml", "");
    std::string output;
    int const rc = run_bounded("env SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software " + std::string(KIOSK_BIN)
            + " --windowed 320x180 --run-for 300 --data-dir " + quote(fixture.data) + " --keys " + quote(keys)
            + " --config " + quote(fixture.tmp / "empty.toml"),
        output);
    INFO(output);
    CHECK(rc == 0);
    CHECK_THAT(output, Catch::Contains("named pipe (FIFO)"));
    CHECK_THAT(output, Catch::Contains(expected_pack));
}

TEST_CASE("a FIFO in a source folder or given as a key does not block kiosk-pack", "[update][pack]")
{
    TempDir tmp;
    fs::path const source = tmp / "src";
    write_sample_source(source);
    std::string command;
    std::string fifo_name;

    SECTION("build: pack.toml is a FIFO")
    {
        make_fifo(source / "pack.toml");
        command = pack_tool() + " build " + quote(source) + " -o " + quote(tmp / "out.kpack");
        fifo_name = "pack.toml";
    }
    SECTION("build: a slide is a FIFO")
    {
        make_fifo(source / "slides/03-fifo.toml");
        command = pack_tool() + " build " + quote(source) + " -o " + quote(tmp / "out.kpack");
        fifo_name = "03-fifo.toml";
    }
    SECTION("build: an image is a FIFO")
    {
        make_fifo(source / "images/a.png");
        command = pack_tool() + " build " + quote(source) + " -o " + quote(tmp / "out.kpack");
        fifo_name = "a.png";
    }
    SECTION("lint: a slide is a FIFO")
    {
        make_fifo(source / "slides/03-fifo.toml");
        command = pack_tool() + " lint " + quote(source);
        fifo_name = "03-fifo.toml";
    }
    SECTION("verify: the public key is a FIFO")
    {
        make_fifo(tmp / "key.pub");
        command = pack_tool() + " verify --pubkey " + quote(tmp / "key.pub") + " " + quote(built_pack(1));
        fifo_name = "key.pub";
    }
    SECTION("sign: the secret key is a FIFO")
    {
        make_fifo(tmp / "secret.key");
        copy_into(built_pack(1), tmp / "p.kpack");
        command = pack_tool() + " sign --key " + quote(tmp / "secret.key") + " " + quote(tmp / "p.kpack");
        fifo_name = "secret.key";
    }
    std::string output;
    int const rc = run_bounded(command + " </dev/null", output);
    INFO(command << "\n" << output);
    CHECK(rc != killed_at_deadline);
    CHECK(rc != 0);
    CHECK_THAT(output, Catch::Contains(fifo_name));
    CHECK_THAT(output, Catch::Contains("named pipe (FIFO)"));
}
