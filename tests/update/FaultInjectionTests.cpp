// Kill the importer at every step and at many byte offsets of the copy, then start again: the
// display always has the old pack or the new one, whole, and no staging file survives the restart.
// SIGKILL leaves no chance to clean up, like a crash; the fsync/rename order is what makes the same
// hold for a power cut (docs/operations.md, "What a power cut can do").

#include "UpdateTestSupport.h"

#include "kiosk/content/PackReader.h"

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <optional>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

using namespace kiosk;
using namespace kiosk::test;
using Kind = update::ImportOutcome::Kind;

namespace {

// Runs the import of the stick in a child process that kills itself where `hooks` say.
// Returns true when the child died by SIGKILL (the fault was reached).
bool import_in_child_and_kill(UpdateFixture& fixture, update::ImportHooks const& hooks)
{
    std::fflush(nullptr);
    pid_t const pid = ::fork();
    if (pid == 0) {
        auto const outcome = fixture.import_stick(hooks);
        std::_Exit(outcome.kind == Kind::Installed ? 0 : 1);
    }
    REQUIRE(pid > 0);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

// After the crash: what a restart would show is v1 or v2 and reads fully; leftovers are gone; and
// importing again finishes the job.
void check_recovery(UpdateFixture& fixture, std::string const& where)
{
    INFO("killed at " << where);
    auto const version = fixture.version_at_boot(); // Store::open cleans up, like a restart
    CHECK((version == 1 || version == 2));
    CHECK(fixture.staging_is_empty());
    auto state = fixture.open_store().read_state();
    REQUIRE(state.ok());
    REQUIRE(state->current);
    auto whole = content::read_pack(fixture.data / "packs" / state->current->file, content::IntegrityCheck::Full);
    INFO((whole ? std::string() : whole.message()));
    CHECK(whole.ok());
    // Nothing in packs/ but current and previous with their signatures.
    std::set<std::string> expected;
    for (auto const& pack : { state->current, state->previous }) {
        if (pack) {
            expected.insert(pack->file);
            expected.insert(pack->file + ".minisig");
        }
    }
    std::set<std::string> found;
    for (auto const& entry : fs::directory_iterator(fixture.data / "packs"))
        found.insert(entry.path().filename().string());
    CHECK(found == expected);

    auto const again = fixture.import_stick();
    INFO(describe(again));
    CHECK((again.kind == Kind::Installed || again.already_installed));
    CHECK(fixture.version_at_boot() == 2);
}

} // namespace

TEST_CASE("killed at any step, the importer leaves the old or the new pack", "[update][fault]")
{
    auto const step = GENERATE(update::ImportStep::Locked, update::ImportStep::PreChecked,
        update::ImportStep::SignatureStaged, update::ImportStep::CopyStarted, update::ImportStep::CopyFinished,
        update::ImportStep::StagedSynced, update::ImportStep::Verified, update::ImportStep::MovedIntoPacks,
        update::ImportStep::Switched, update::ImportStep::Pruned);
    UpdateFixture fixture;
    fixture.install(1);
    fixture.put_pack(2);
    update::ImportHooks hooks;
    hooks.at_step = [step](update::ImportStep reached) {
        if (reached == step)
            ::raise(SIGKILL);
    };
    REQUIRE(import_in_child_and_kill(fixture, hooks));
    check_recovery(fixture, update::import_step_name(step));
}

TEST_CASE("killed at many byte offsets of the copy, the importer leaves the old pack", "[update][fault]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fs::path const pack = fixture.put_pack(2);
    std::uint64_t const size = fs::file_size(pack);
    // An odd chunk size, so the kills land at offsets that are not page-aligned.
    std::size_t const chunk = 1000;
    std::vector<std::uint64_t> offsets;
    for (std::uint64_t offset = chunk; offset < size; offset += chunk)
        offsets.push_back(offset);
    offsets.push_back(size); // the last byte written, before the hash is checked
    REQUIRE(offsets.size() >= 5);
    for (std::uint64_t const offset : offsets) {
        update::ImportHooks hooks;
        hooks.chunk_bytes = chunk;
        hooks.after_chunk = [offset](std::uint64_t done) {
            if (done >= offset)
                ::raise(SIGKILL);
        };
        REQUIRE(import_in_child_and_kill(fixture, hooks));
        INFO("killed after " << offset << " of " << size << " bytes");
        CHECK(fixture.version_at_boot() == 1);
        CHECK(fixture.staging_is_empty());
    }
    check_recovery(fixture, "the end of the copy loop");
}

TEST_CASE("`kiosk import` killed at moments spread over a whole run leaves the old or the new pack", "[update][fault]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fs::path const pack = fixture.put_pack(2);
    std::string const args[] = { KIOSK_BIN, "import", pack.string(), "--data-dir", fixture.data.string(), "--keys",
        fixture.config.keys_dir.string(), "--device-group", fixture.config.device_group };
    std::vector<char*> argv;
    for (auto const& arg : args)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);

    // Runs `kiosk import` from a data directory holding only v1, killing it after delay_us (or
    // letting it finish when nullopt); returns how long it ran.
    auto run = [&](std::optional<long> delay_us) {
        fs::remove_all(fixture.data);
        fixture.install(1);
        fixture.put_pack(2);
        std::fflush(nullptr);
        auto const started = std::chrono::steady_clock::now();
        pid_t const pid = ::fork();
        if (pid == 0) {
            int const null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, STDERR_FILENO);
            ::dup2(null, STDOUT_FILENO);
            ::execv(argv[0], argv.data());
            std::_Exit(127);
        }
        REQUIRE(pid > 0);
        if (delay_us) {
            ::usleep(useconds_t(*delay_us));
            ::kill(pid, SIGKILL);
        }
        int status = 0;
        REQUIRE(::waitpid(pid, &status, 0) == pid);
        REQUIRE(!(WIFEXITED(status) && WEXITSTATUS(status) == 127));
        if (!delay_us)
            REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
        return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    };
    // Spread the kills over the time a whole import takes here, whatever the machine.
    long const whole_us = long(run(std::nullopt).count());
    bool saw_old = false;
    for (int slice = 0; slice < 16; ++slice) {
        long const delay_us = whole_us * slice / 16;
        run(delay_us);
        INFO("killed after " << delay_us << " of " << whole_us << " us");
        auto const version = fixture.version_at_boot();
        CHECK((version == 1 || version == 2));
        saw_old = saw_old || version == 1;
        CHECK(fixture.staging_is_empty());
    }
    CHECK(saw_old); // at least the first, immediate kill happened before the switch
    check_recovery(fixture, "moments spread over a run");
}

TEST_CASE("local faults are reported as this display's, with what is installed now", "[update][fault]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.put_pack(2);
    update::ImportHooks hooks;

    SECTION("the folder fsync after the switch fails: installed, with a warning, and shown next")
    {
        hooks.io_error = [](update::IoPoint point) { return point == update::IoPoint::SyncAfterSwitch ? EIO : 0; };
        auto const outcome = fixture.import_stick(hooks);
        INFO(describe(outcome));
        CHECK(outcome.kind == Kind::Installed);
        CHECK_THAT(outcome.reason, Catch::Contains("installed test-pack version 2"));
        CHECK_THAT(outcome.reason, Catch::Contains("could not be synced"));
        CHECK_THAT(outcome.reason, !Catch::Contains("cannot install"));
        CHECK(fixture.version_at_boot() == 2);
    }
    SECTION("reading the staged copy back fails: a local failure, not a refusal")
    {
        hooks.io_error = [](update::IoPoint point) { return point == update::IoPoint::ReadStaged ? EIO : 0; };
        auto const outcome = fixture.import_stick(hooks);
        INFO(describe(outcome));
        CHECK(outcome.kind == Kind::Failed);
        CHECK_THAT(outcome.reason, Catch::Contains("cannot read back the staged copy"));
        CHECK_THAT(outcome.reason,
            Catch::Contains("not of the pack: nothing was installed, test-pack version 1 is installed"));
        CHECK(fixture.version_at_boot() == 1);
    }
    SECTION("the staged copy is damaged on this disk while SQLite checks it: a local failure")
    {
        hooks.io_error = [&](update::IoPoint point) {
            if (point == update::IoPoint::VerifyStaged) {
                // Real damage to the verified bytes, as a failing card would do it.
                for (auto const& entry : fs::directory_iterator(fixture.data / "staging")) {
                    if (entry.path().extension() == ".kpack")
                        fs::resize_file(entry.path(), fs::file_size(entry.path()) / 2);
                }
            }
            return 0;
        };
        auto const outcome = fixture.import_stick(hooks);
        INFO(describe(outcome));
        CHECK(outcome.kind == Kind::Failed);
        CHECK_THAT(outcome.reason, Catch::Contains("could not be read back intact"));
        CHECK_THAT(outcome.reason, Catch::Contains("test-pack version 1 is installed"));
        CHECK(fixture.version_at_boot() == 1);
        // The same stick imports once the disk behaves.
        CHECK(fixture.import_stick().kind == Kind::Installed);
    }
}
