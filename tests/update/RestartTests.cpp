// The real `kiosk` app started and stopped the way a display is: clean stops (--run-for, as
// SIGTERM from systemd or Esc end the loop) never cost an update, however often; runs killed
// before the pack reached healthy (SIGKILL: a crash, the watchdog, a power cut) roll it back after
// Store::max_unhealthy_boots of them.

#include "UpdateTestSupport.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace kiosk;
using namespace kiosk::test;

namespace {

// The app in a window on SDL's offscreen driver with this test's data folder, keys and an empty
// config, its log (verbose: it names each slide shown) in `log_path`. Returns the child's pid.
pid_t start_app(UpdateFixture const& fixture, std::uint64_t run_for_ms, fs::path const& log_path)
{
    fs::path const config = fixture.tmp / "empty.toml";
    if (!fs::exists(config))
        write_text(config, "");
    std::vector<std::string> const args
        = { KIOSK_BIN, "-v", "--windowed", "320x180", "--run-for", std::to_string(run_for_ms), "--data-dir",
              fixture.data.string(), "--keys", fixture.config.keys_dir.string(), "--config", config.string() };
    std::vector<char*> argv;
    for (auto const& arg : args)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    // Gone before the child starts: a poll must never read the previous run's log.
    fs::remove(log_path);
    std::fflush(nullptr);
    pid_t const pid = ::fork();
    if (pid == 0) {
        int const log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        ::dup2(log, STDERR_FILENO);
        ::dup2(log, STDOUT_FILENO);
        ::setenv("SDL_VIDEODRIVER", "offscreen", 1);
        ::setenv("SDL_RENDER_DRIVER", "software", 1);
        ::execv(argv[0], argv.data());
        std::_Exit(127);
    }
    REQUIRE(pid > 0);
    return pid;
}

int wait_exit_code(pid_t pid)
{
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Polls the log until it holds `text` (generous bound: a slow CI machine under ASan).
bool wait_for_log(fs::path const& log_path, std::string const& text)
{
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        if (read_text(log_path).find(text) != std::string::npos)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

} // namespace

TEST_CASE("the real app: five clean restarts after an update keep it", "[update][app]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.install(2);
    fs::path const log = fixture.tmp / "kiosk.log";
    for (int start = 1; start <= 5; ++start) {
        INFO("clean start " << start << "\n" << read_text(log));
        CHECK(wait_exit_code(start_app(fixture, 300, log)) == 0);
        CHECK_THAT(read_text(log), Catch::Contains("showing test-pack version 2"));
        CHECK_THAT(read_text(log), !Catch::Contains("rolled back"));
    }
    CHECK(fixture.version_at_boot() == 2);
    auto state = fixture.open_store().read_state();
    REQUIRE(state.ok());
    CHECK(state->unhealthy_boots == 0);
    CHECK_FALSE(state->run_in_progress);
    // And the update is still welcome: the same version is "already installed", not "rolled back".
    fixture.put_pack(2);
    auto const again = fixture.import_stick();
    CHECK(again.already_installed);
}

TEST_CASE("the real app: three runs killed before healthy roll the update back", "[update][app]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.install(2);
    fs::path const log = fixture.tmp / "kiosk.log";
    for (int crash = 1; crash <= update::Store::max_unhealthy_boots; ++crash) {
        pid_t const pid = start_app(fixture, 600'000, log);
        bool const showing = wait_for_log(log, "showing test-pack version 2");
        // Killed once it draws: the pack was on screen, but not long enough to count as healthy.
        bool const drew = showing && wait_for_log(log, "slide 1/");
        ::kill(pid, SIGKILL);
        CHECK(wait_exit_code(pid) == 128 + SIGKILL);
        INFO("start before crash " << crash << "\n" << read_text(log));
        REQUIRE(showing);
        CHECK(drew);
    }
    CHECK(wait_exit_code(start_app(fixture, 300, log)) == 0);
    INFO(read_text(log));
    CHECK_THAT(read_text(log), Catch::Contains("test-pack version 2 ended uncleanly 3 times"));
    CHECK_THAT(read_text(log), Catch::Contains("showing test-pack version 1"));
    CHECK(fixture.version_at_boot() == 1);
}
