// Fleets feed a display's inbox folder with rsync or Syncthing (docs/operations.md, "Updating from
// a folder"). Whatever the tool does on the way (hidden temporary names, partial files, files
// rewritten in place, renames, the same files delivered again), the running app must install each
// pack exactly once and never a half-written one. These tests drive the real `kiosk` app (SDL's
// offscreen driver) and the real Debian `rsync` into a real inbox, and read what an operator would:
// the journal lines and the data folder's state.

#include "UpdateTestSupport.h"

#include <catch2/catch.hpp>
#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

using namespace kiosk;
using kiosk::test::TempDir;
namespace fs = std::filesystem;

namespace {

// Counts the non-overlapping occurrences of `needle` in `text`.
std::size_t count(std::string const& text, std::string const& needle)
{
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size()))
        ++n;
    return n;
}

// The kiosk app running in an offscreen window on an inbox, its output collected in a log file.
// Ends the app with SIGTERM (a clean stop, as systemd's) when destroyed if it still runs.
class RunningKiosk {
public:
    RunningKiosk(TempDir const& dir, fs::path const& inbox)
        : m_log(dir / "kiosk.log")
    {
        test::write_text(dir / "empty.toml", "");
        std::vector<std::string> args = { KIOSK_BIN, "--windowed", "320x180", "-v", "--run-for", "120000", "--data-dir",
            (dir / "data").string(), "--keys", (dir / "trusted").string(), "--inbox", inbox.string(), "--config",
            (dir / "empty.toml").string(), "--device-group", "lobby-east" };
        std::vector<char*> argv;
        for (auto& arg : args)
            argv.push_back(arg.data());
        argv.push_back(nullptr);

        std::vector<std::string> env_strings = { "SDL_VIDEODRIVER=offscreen", "SDL_RENDER_DRIVER=software" };
        for (char** e = environ; *e; ++e) {
            std::string const entry = *e;
            if (!entry.starts_with("SDL_VIDEODRIVER=") && !entry.starts_with("SDL_RENDER_DRIVER="))
                env_strings.push_back(entry);
        }
        std::vector<char*> envp;
        for (auto& entry : env_strings)
            envp.push_back(entry.data());
        envp.push_back(nullptr);

        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, m_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        int const rc = ::posix_spawn(&m_pid, KIOSK_BIN, &actions, nullptr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        REQUIRE(rc == 0);
    }
    ~RunningKiosk()
    {
        if (m_pid > 0)
            (void)stop();
    }
    RunningKiosk(RunningKiosk const&) = delete;
    RunningKiosk& operator=(RunningKiosk const&) = delete;

    std::string log() const
    {
        std::error_code ec;
        return fs::exists(m_log, ec) ? test::read_text(m_log) : std::string();
    }

    // Waits (up to 60 s: the machine may be busy) until `needle` occurs `times` times in the log.
    bool wait_for(std::string const& needle, std::size_t times = 1) const
    {
        for (int i = 0; i < 1200; ++i) {
            if (count(log(), needle) >= times)
                return true;
            if (exited())
                return count(log(), needle) >= times;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return false;
    }

    // SIGTERM, then the exit status (0: a clean stop).
    int stop()
    {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    bool exited() const
    {
        int status = 0;
        return ::waitpid(m_pid, &status, WNOHANG | WNOWAIT) == m_pid;
    }
    fs::path m_log;
    pid_t m_pid { -1 };
};

// Fails the test, with the app's log, unless `needle` shows up in it `times` times.
void expect_log(RunningKiosk const& kiosk, std::string const& needle, std::size_t times = 1)
{
    if (!kiosk.wait_for(needle, times))
        FAIL("the kiosk did not log '" << needle << "' " << times << " time(s); its log:\n" << kiosk.log());
}

// The inbox's updater has scanned the (still empty) folder: from now on it sees every arrival.
constexpr char const* inbox_watched = "refused: no content pack";

// A source folder `out` holding update.kpack (the sample pack at `version`) and its .minisig,
// signed with dir/staff.key for target "lobby-*", as the machine that feeds the fleet has it.
void make_delivery(TempDir const& dir, int version, fs::path const& out)
{
    fs::create_directories(out);
    fs::path const src = dir / ("src-" + std::to_string(version));
    test::write_sample_source(src, version);
    REQUIRE(test::run_command(std::string(KIOSK_PACK_BIN) + " build " + test::quote(src) + " -o "
                + test::quote(out / "update.kpack") + " --force-version -q")
        == 0);
    REQUIRE(test::run_command(std::string(KIOSK_PACK_BIN) + " sign --key " + test::quote(dir / "staff.key") + " "
                + test::quote(out / "update.kpack"))
        == 0);
}

struct Fleet {
    TempDir dir;
    fs::path inbox = dir / "inbox";
    Fleet()
    {
        fs::create_directories(inbox);
        fs::create_directories(dir / "trusted");
        REQUIRE(
            test::run_command(std::string(KIOSK_PACK_BIN) + " keygen --no-password -o " + test::quote(dir / "staff"))
            == 0);
        fs::copy_file(dir / "staff.pub", dir / "trusted/staff.pub");
    }

    // rsync OPTIONS from/ into the inbox; its output on failure.
    void rsync(fs::path const& from, std::string const& options) const
    {
        std::string output;
        int const rc = test::run_command(
            "rsync " + options + " " + test::quote(from.string() + "/") + " " + test::quote(inbox.string() + "/"),
            &output);
        INFO(output);
        REQUIRE(rc == 0);
    }

    std::string state() const { return test::read_text(dir / "data/state"); }
    bool staging_empty() const
    {
        std::error_code ec;
        return !fs::exists(dir / "data/staging", ec) || fs::is_empty(dir / "data/staging", ec);
    }
};

std::string installed_line(int version)
{
    return "import: installed test-pack version " + std::to_string(version) + " ";
}

} // namespace

TEST_CASE(
    "rsync into the inbox of a running display installs the pack once, also when delivered again", "[update][fleet]")
{
    Fleet fleet;
    make_delivery(fleet.dir, 7, fleet.dir / "out");
    RunningKiosk kiosk(fleet.dir, fleet.inbox);
    expect_log(kiosk, inbox_watched);

    // rsync's default: each file written as a hidden ".update.kpack.XXXXXX", then renamed.
    fleet.rsync(fleet.dir / "out", "-a");
    expect_log(kiosk, installed_line(7));
    // The same files again, rewritten (-I: even though unchanged), and again as rsync would skip
    // them: the installed pack is no news.
    fleet.rsync(fleet.dir / "out", "-a -I");
    expect_log(kiosk, "is already installed");
    fleet.rsync(fleet.dir / "out", "-a");
    CHECK(kiosk.stop() == 0);

    std::string const log = kiosk.log();
    INFO(log);
    CHECK(count(log, installed_line(7)) == 1);
    CHECK(count(log, "[warn]") == 0);
    CHECK(count(log, "[error]") == 0);
    CHECK_THAT(fleet.state(), Catch::Contains("current=test-pack-v7.kpack test-pack 7"));
    CHECK(fleet.staging_empty());
}

TEST_CASE("rsync --partial resuming a broken transfer installs the whole pack once, never the partial file",
    "[update][fleet]")
{
    Fleet fleet;
    make_delivery(fleet.dir, 7, fleet.dir / "out");
    RunningKiosk kiosk(fleet.dir, fleet.inbox);
    expect_log(kiosk, inbox_watched);

    // An interrupted `rsync --partial` leaves what it had under the file's own name (and had not yet
    // sent the .minisig, which sorts after the pack): the first half of update.kpack, moved in.
    std::string const whole = test::read_text(fleet.dir / "out/update.kpack");
    test::write_text(fleet.dir / ".partial", whole.substr(0, whole.size() / 2));
    fs::rename(fleet.dir / ".partial", fleet.inbox / "update.kpack");
    expect_log(kiosk, "has no signature file");

    // The resumed transfer uses the partial file as its basis and completes it.
    fleet.rsync(fleet.dir / "out", "-a --partial");
    expect_log(kiosk, installed_line(7));
    CHECK(kiosk.stop() == 0);

    std::string const log = kiosk.log();
    INFO(log);
    CHECK(count(log, installed_line(7)) == 1);
    CHECK(count(log, "import: installed test-pack") == 1);
    CHECK_THAT(fleet.state(), Catch::Contains("current=test-pack-v7.kpack test-pack 7"));
    CHECK(fleet.staging_empty());
}

TEST_CASE("rsync --inplace rewriting an installed pack with a newer one installs each version once", "[update][fleet]")
{
    Fleet fleet;
    make_delivery(fleet.dir, 6, fleet.dir / "out-6");
    make_delivery(fleet.dir, 7, fleet.dir / "out-7");
    RunningKiosk kiosk(fleet.dir, fleet.inbox);
    expect_log(kiosk, inbox_watched);

    fleet.rsync(fleet.dir / "out-6", "-a --inplace");
    expect_log(kiosk, installed_line(6));
    // --inplace writes into update.kpack itself (no temporary name, no rename), then into the
    // .minisig: the display must take v7 only once both are complete.
    fleet.rsync(fleet.dir / "out-7", "-a --inplace -I");
    expect_log(kiosk, installed_line(7));
    CHECK(kiosk.stop() == 0);

    std::string const log = kiosk.log();
    INFO(log);
    CHECK(count(log, installed_line(6)) == 1);
    CHECK(count(log, installed_line(7)) == 1);
    CHECK_THAT(fleet.state(), Catch::Contains("current=test-pack-v7.kpack test-pack 7"));
    CHECK_THAT(fleet.state(), Catch::Contains("previous=test-pack-v6.kpack test-pack 6"));
    CHECK(fleet.staging_empty());
}

TEST_CASE("Syncthing's temporary files, written in pieces and then renamed, install the pack once", "[update][fleet]")
{
    Fleet fleet;
    make_delivery(fleet.dir, 7, fleet.dir / "out");
    RunningKiosk kiosk(fleet.dir, fleet.inbox);
    expect_log(kiosk, inbox_watched);

    // Syncthing writes ".syncthing.NAME.tmp" (on Windows peers "~syncthing~NAME.tmp") block by
    // block, closing it between blocks, and renames it when complete; here the signature first.
    auto deliver = [&](std::string const& name, std::string const& temp_name) {
        std::string const bytes = test::read_text(fleet.dir / "out" / name);
        fs::path const temp = fleet.inbox / temp_name;
        std::size_t const block = bytes.size() / 3 + 1;
        for (std::size_t at = 0; at < bytes.size(); at += block) {
            std::ofstream out(temp, std::ios::binary | std::ios::app);
            out.write(bytes.data() + at, std::streamsize(std::min(block, bytes.size() - at)));
        }
        fs::rename(temp, fleet.inbox / name);
    };
    deliver("update.kpack.minisig", ".syncthing.update.kpack.minisig.tmp");
    deliver("update.kpack", "~syncthing~update.kpack.tmp");
    expect_log(kiosk, installed_line(7));
    CHECK(kiosk.stop() == 0);

    std::string const log = kiosk.log();
    INFO(log);
    CHECK(count(log, installed_line(7)) == 1);
    CHECK(count(log, "[warn]") == 0);
    CHECK_THAT(fleet.state(), Catch::Contains("current=test-pack-v7.kpack test-pack 7"));
    CHECK(fleet.staging_empty());
}
