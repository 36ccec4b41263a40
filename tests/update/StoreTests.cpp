// The store's promises at start-up: the pack shown is always whole and signed, a pack that keeps
// the app from running healthily is rolled back, and leftovers of cut-short imports are cleaned.

#include "UpdateTestSupport.h"

#include "kiosk/content/PackReader.h"
#include "kiosk/update/Minisign.h"

using namespace kiosk;
using namespace kiosk::test;
using Kind = update::ImportOutcome::Kind;

TEST_CASE("the state file round-trips and a broken one is reported with its line", "[update]")
{
    update::StoreState state;
    state.current = update::StoredPack { "news-v3.kpack", "news", 3 };
    state.previous = update::StoredPack { "news-v2.kpack", "news", 2 };
    state.current_healthy = false;
    state.unhealthy_boots = 2;
    state.highest_installed["news"] = 4;
    state.rolled_back["news"] = 4;
    auto parsed = update::parse_store_state(update::format_store_state(state), "state");
    REQUIRE(parsed.ok());
    CHECK(parsed->current->file == "news-v3.kpack");
    CHECK(parsed->previous->version == 2);
    CHECK(parsed->unhealthy_boots == 2);
    CHECK(parsed->highest_installed.at("news") == 4);
    CHECK(parsed->rolled_back.at("news") == 4);

    auto broken = update::parse_store_state("format=1\ncurrent=../../etc/passwd news 3\n", "state");
    REQUIRE_FALSE(broken.ok());
    CHECK_THAT(broken.message(), Catch::Contains("state:2"));
    CHECK_FALSE(update::parse_store_state("garbage", "state").ok());
}

TEST_CASE("a fresh data directory shows the built-in pack", "[update]")
{
    UpdateFixture fixture;
    auto store = fixture.open_store();
    CHECK(fs::is_directory(fixture.data / "packs"));
    CHECK(fs::is_directory(fixture.data / "staging"));
    auto const choice = store.choose_pack_at_boot(fixture.config.keys_dir);
    CHECK_FALSE(choice.pack);
    CHECK_FALSE(choice.fell_back);
    CHECK_THAT(choice.reason, Catch::Contains("built-in"));
}

namespace {

// One run of the app as the store sees it: a start (note_boot, then the boot choice), then either
// a clean exit or a death (the Store, and with it run.lock, simply goes away, as in a crash).
enum class RunEnd {
    Clean,
    Crash,
};

update::BootChoice run_once(UpdateFixture& fixture, RunEnd end)
{
    auto store = fixture.open_store();
    REQUIRE(store.note_boot().ok());
    auto choice = store.choose_pack_at_boot(fixture.config.keys_dir);
    if (end == RunEnd::Clean)
        REQUIRE(store.note_clean_exit().ok());
    return choice;
}

} // namespace

TEST_CASE("clean restarts after an update never roll it back", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.install(2);
    // Far more clean starts than max_unhealthy_boots, none of them reaching healthy.
    for (int start = 1; start <= 3 * update::Store::max_unhealthy_boots; ++start) {
        INFO("clean start " << start);
        auto const choice = run_once(fixture, RunEnd::Clean);
        REQUIRE(choice.loaded);
        CHECK(choice.loaded->meta.version == 2);
        CHECK_FALSE(choice.fell_back);
    }
    auto state = fixture.open_store().read_state();
    REQUIRE(state.ok());
    CHECK(state->unhealthy_boots == 0);
    CHECK_FALSE(state->run_in_progress);
    CHECK(state->rolled_back.empty());
}

TEST_CASE("runs that end uncleanly before healthy roll back to the previous pack", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.install(2);
    auto store = fixture.open_store();
    REQUIRE(store.note_healthy("test-pack", 2).ok()); // v2 was fine once: not the one judged below
    fixture.install(3);

    // Clean exits in between do not count, nor do they reset the count of crashes.
    CHECK(run_once(fixture, RunEnd::Clean).loaded->meta.version == 3);
    for (int crash = 1; crash <= update::Store::max_unhealthy_boots; ++crash) {
        INFO("start before crash " << crash);
        auto const choice = run_once(fixture, RunEnd::Crash);
        REQUIRE(choice.loaded);
        CHECK(choice.loaded->meta.version == 3);
        CHECK_FALSE(choice.fell_back);
    }
    // The start after the third unclean end: back to version 2, and it stays there.
    auto const choice = run_once(fixture, RunEnd::Clean);
    REQUIRE(choice.loaded);
    CHECK(choice.loaded->meta.version == 2);
    CHECK(choice.fell_back);
    CHECK_THAT(choice.reason, Catch::Contains("test-pack version 3 ended uncleanly 3 times"));
    CHECK(fixture.version_at_boot() == 2);

    // The rolled-back version is not taken again from the stick that is still plugged in.
    fixture.put_pack(3);
    auto const again = fixture.import_stick();
    CHECK(again.kind == Kind::Refused);
    CHECK_THAT(again.reason, Catch::Contains("was rolled back on this display"));
    // A fixed, newer version is.
    fs::remove_all(fixture.stick);
    fixture.put_pack(4);
    CHECK(fixture.import_stick().kind == Kind::Installed);
}

TEST_CASE("a crash of the old pack's run does not count against a pack imported after it", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    run_once(fixture, RunEnd::Crash); // the marker of that run is left in the state

    SECTION("imported while no app runs (`kiosk import` after the crash)")
    {
        fixture.install(2);
        auto state = fixture.open_store().read_state();
        REQUIRE(state.ok());
        CHECK_FALSE(state->run_in_progress);
        for (int start = 0; start < update::Store::max_unhealthy_boots; ++start)
            run_once(fixture, RunEnd::Clean);
        CHECK(fixture.version_at_boot() == 2);
        CHECK(fixture.open_store().read_state()->unhealthy_boots == 0);
    }
    SECTION("imported by the running app's updater: that run's end still counts")
    {
        auto app = fixture.open_store();
        REQUIRE(app.note_boot().ok()); // holds run.lock: an app is running
        fixture.install(2);
        auto state = app.read_state();
        REQUIRE(state.ok());
        CHECK(state->run_in_progress);
    }
}

TEST_CASE("a pack that reached healthy is never rolled back by later starts", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.install(2);
    {
        auto store = fixture.open_store();
        REQUIRE(store.note_boot().ok());
        REQUIRE(store.note_healthy("test-pack", 2).ok());
    }
    for (int start = 0; start < 2 * update::Store::max_unhealthy_boots; ++start)
        run_once(fixture, RunEnd::Crash);
    CHECK(fixture.version_at_boot() == 2);
}

TEST_CASE("healthy is noted for the pack on screen, not for one installed meanwhile", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    auto store = fixture.open_store();
    REQUIRE(store.note_boot().ok());
    // The app has shown version 1 for a while; meanwhile the updater installed version 2, which the
    // app has not switched to yet. Version 1's healthy must not vouch for version 2.
    fixture.install(2);
    REQUIRE(store.note_healthy("test-pack", 1).ok());
    auto state = store.read_state();
    REQUIRE(state.ok());
    CHECK_FALSE(state->current_healthy);
    REQUIRE(store.note_healthy("test-pack", 2).ok());
    state = store.read_state();
    REQUIRE(state.ok());
    CHECK(state->current_healthy);
}

TEST_CASE("rollback with nothing before it shows the built-in pack", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    for (int start = 0; start < update::Store::max_unhealthy_boots; ++start)
        run_once(fixture, RunEnd::Crash);
    auto const choice = run_once(fixture, RunEnd::Clean);
    CHECK_FALSE(choice.pack);
    CHECK(choice.fell_back);
    CHECK_THAT(choice.reason, Catch::Contains("showing the built-in pack"));
}

TEST_CASE("a corrupt current pack at start falls back to previous, then to built-in", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.install(2);
    fs::path const current = fixture.data / "packs/test-pack-v2.kpack";
    fs::path const previous = fixture.data / "packs/test-pack-v1.kpack";

    SECTION("a flipped byte in the current pack")
    {
        flip_byte(current, fs::file_size(current) - 10);
        auto store = fixture.open_store();
        auto const choice = store.choose_pack_at_boot(fixture.config.keys_dir);
        REQUIRE(choice.loaded);
        CHECK(choice.loaded->meta.version == 1);
        CHECK(choice.fell_back);
        CHECK_THAT(choice.reason, Catch::Contains("test-pack-v2.kpack"));
        // The fallback is written down: the next start goes straight to version 1.
        auto state = store.read_state();
        REQUIRE(state.ok());
        CHECK(state->current->version == 1);
        CHECK_FALSE(state->previous);
    }
    SECTION("current and previous both unusable")
    {
        fs::resize_file(current, 100);
        fs::remove(previous.string() + ".minisig");
        auto store = fixture.open_store();
        auto const choice = store.choose_pack_at_boot(fixture.config.keys_dir);
        CHECK_FALSE(choice.pack);
        CHECK_THAT(choice.reason, Catch::Contains("showing the built-in pack"));
        auto state = store.read_state();
        REQUIRE(state.ok());
        CHECK_FALSE(state->current);
        // Replay protection outlives the packs: version 1 is not accepted again, while version 2
        // may replace its damaged copy.
        fixture.put_pack(1);
        CHECK_THAT(fixture.import_stick().reason, Catch::Contains("older than version 2"));
        fs::remove_all(fixture.stick);
        fixture.put_pack(2);
        CHECK(fixture.import_stick().kind == Kind::Installed);
    }
    SECTION("the signing key is no longer trusted")
    {
        auto store = fixture.open_store();
        auto const choice = store.choose_pack_at_boot(stranger_signer().keys_dir());
        CHECK_FALSE(choice.pack);
        CHECK_THAT(choice.reason, Catch::Contains("not trusted"));
        // Not forgotten: with the key back, the next start shows version 2 again.
        CHECK(fixture.version_at_boot() == 2);
    }
    SECTION("an unreadable state file")
    {
        write_text(fixture.data / "state", "\x01\x02 not a state");
        auto store = fixture.open_store();
        auto const choice = store.choose_pack_at_boot(fixture.config.keys_dir);
        REQUIRE(choice.loaded);
        CHECK(choice.loaded->meta.version == 2);
        // Rewritten, and replay protection survives.
        auto state = store.read_state();
        REQUIRE(state.ok());
        CHECK(state->highest_installed.at("test-pack") == 2);
    }
}

TEST_CASE("opening the store removes leftovers of an interrupted import", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    write_text(fixture.data / "staging/test-pack-v2.kpack", "half a pack");
    write_text(fixture.data / "packs/test-pack-v2.kpack", "moved in, never switched");
    write_text(fixture.data / ".state.tmp-Ab12Cd", "format=1\n");
    auto store = fixture.open_store();
    CHECK(fixture.staging_is_empty());
    CHECK_FALSE(fs::exists(fixture.data / ".state.tmp-Ab12Cd"));
    CHECK_FALSE(fs::exists(fixture.data / "packs/test-pack-v2.kpack"));
    CHECK(fs::exists(fixture.data / "packs/test-pack-v1.kpack"));

    // ...but not while another import holds the lock: those files are its work in progress.
    auto held = store.try_lock_import();
    REQUIRE(held.ok());
    REQUIRE(held->has_value());
    write_text(fixture.data / "staging/busy.kpack", "copying");
    auto other = update::Store::open(fixture.data);
    REQUIRE(other.ok());
    CHECK(fs::exists(fixture.data / "staging/busy.kpack"));
}

TEST_CASE("pack versions from outside are range-checked before any arithmetic", "[update]")
{
    std::string const int64_max = "9223372036854775807";
    UpdateFixture fixture;
    fixture.install(1);

    SECTION("in the state file: refused with the range, recovered from packs/ at the next start")
    {
        std::string state = read_text(fixture.data / "state");
        state += "highest=test-pack " + int64_max + "\n";
        write_text(fixture.data / "state", state);
        auto parsed = fixture.open_store().read_state();
        REQUIRE_FALSE(parsed.ok());
        CHECK_THAT(parsed.message(), Catch::Contains("the version from 1 to 999999999999999"));
        // The next import does no arithmetic on it (UBSan in CI would report an overflow)...
        fixture.put_pack(2);
        auto const refused = fixture.import_stick();
        CHECK(refused.kind == Kind::Failed);
        CHECK_THAT(refused.reason, Catch::Contains("restart the kiosk to recover the store"));
        // ...and a start rebuilds the state from the packs, after which updates flow again.
        CHECK(fixture.version_at_boot() == 1);
        CHECK(fixture.import_stick().kind == Kind::Installed);
        CHECK(fixture.version_at_boot() == 2);
    }
    SECTION("in a signed claim")
    {
        fs::path const pack = fixture.stick / "news.kpack";
        copy_into(built_pack(2), pack);
        trusted_signer().sign(pack, "pack_id=test-pack version=" + int64_max + " target=lobby-*");
        auto const outcome = fixture.import_stick();
        CHECK(outcome.kind == Kind::Refused);
        CHECK_THAT(outcome.reason, Catch::Contains("more than the largest pack version 999999999999999"));
        CHECK(fixture.version_at_boot() == 1);
    }
    SECTION("in a pack's meta")
    {
        for (std::string const& value :
            { int64_max, std::string("9223372036854775808"), std::string("1000000000000000") }) {
            fs::path const pack = fixture.tmp / "meta.kpack";
            copy_into(built_pack(2), pack);
            alter_pack(pack, "UPDATE meta SET value = '" + value + "' WHERE key = 'version'");
            auto read = content::read_pack(pack);
            REQUIRE_FALSE(read.ok());
            CHECK_THAT(read.message(), Catch::Contains("must be a positive integer up to 999999999999999"));
        }
    }
}

TEST_CASE("a data folder gone read-only still shows the installed pack, says so, and takes no imports", "[update]")
{
    UpdateFixture fixture;
    TmpfsMount card(fixture.tmp / "card", "size=16m");
    if (!card.ok()) {
        WARN("skipped: cannot mount a tmpfs here (" << card.error() << "); needs root");
        return;
    }
    fixture.data = card.path() / "data";
    fixture.install(1);
    fixture.install(2);
    REQUIRE(card.remount_read_only());

    auto store = update::Store::open(fixture.data);
    REQUIRE(store.ok());
    CHECK(store->read_only());
    CHECK_THAT(store->read_only_reason(), Catch::Contains("storage is read-only"));
    CHECK(store->note_boot().ok()); // nothing to count on a card that takes no writes
    auto const choice = store->choose_pack_at_boot(fixture.config.keys_dir);
    REQUIRE(choice.loaded);
    CHECK(choice.loaded->meta.version == 2);
    CHECK_THAT(choice.reason, Catch::Contains("storage is read-only"));

    fixture.put_pack(3);
    update::Importer importer(store.value(), fixture.config);
    auto const outcome = importer.import_from_folder(fixture.stick, {});
    CHECK(outcome.kind == Kind::Failed);
    CHECK_THAT(outcome.reason, Catch::Contains("storage is read-only"));

    // The real app on that card: the installed pack, the reason in the log, a clean exit.
    write_text(fixture.tmp / "empty.toml", "");
    std::string output;
    int const rc = run_command("env SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software timeout -s KILL 60 "
            + std::string(KIOSK_BIN) + " --windowed 320x180 --run-for 300 --data-dir " + quote(fixture.data)
            + " --keys " + quote(fixture.config.keys_dir) + " --config " + quote(fixture.tmp / "empty.toml"),
        &output);
    INFO(output);
    CHECK(rc == 0);
    CHECK_THAT(output, Catch::Contains("showing test-pack version 2"));
    CHECK_THAT(output, Catch::Contains("storage is read-only"));
    CHECK_THAT(output, Catch::Contains("updates are off"));
    CHECK_THAT(output, !Catch::Contains("built-in"));
}
