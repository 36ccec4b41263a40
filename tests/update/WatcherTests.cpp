// The updater thread end to end: packs arriving in an inbox folder the way rsync and Syncthing
// deliver them, and sticks appearing in the mount table, with the report left on the stick.

#include "UpdateTestSupport.h"

#include "kiosk/update/Report.h"
#include "kiosk/update/Updater.h"
#include "platform/Clock.h"
#include "platform/DirectoryWatcher.h"
#include "platform/MountWatcher.h"

#include <poll.h>

using namespace kiosk;
using namespace kiosk::test;

namespace {

// Collects events until one of type Final (or Refused/Failed) arrives, waiting at most `timeout`
// (generous: the point is that it arrives, not how fast).
std::vector<update::UpdateEvent> wait_for_result(
    update::Updater& updater, std::chrono::seconds timeout = std::chrono::seconds(60))
{
    std::vector<update::UpdateEvent> events;
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        while (auto event = updater.poll_event()) {
            events.push_back(*event);
            if (!std::holds_alternative<update::Detected>(*event) && !std::holds_alternative<update::Progress>(*event))
                return events;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return events;
}

std::string describe(update::UpdateEvent const& event)
{
    if (auto const* refused = std::get_if<update::Refused>(&event))
        return "Refused: " + refused->reason;
    if (auto const* failed = std::get_if<update::Failed>(&event))
        return "Failed: " + failed->reason;
    if (auto const* installed = std::get_if<update::Installed>(&event))
        return "Installed: " + installed->pack_id + " " + std::to_string(installed->version);
    return "Detected/Progress";
}

update::UpdaterConfig updater_config(UpdateFixture const& fixture)
{
    update::UpdaterConfig config;
    config.data_dir = fixture.data;
    config.keys_dir = fixture.config.keys_dir;
    config.device_group = fixture.config.device_group;
    config.device_id = "lobby-3";
    config.mount_roots = { fixture.tmp / "usb" };
    config.inbox_settle_ms = 200;
    return config;
}

// Drops a file into a folder the way rsync does: write a hidden temp name, then rename.
void deliver(fs::path const& from, fs::path const& dir)
{
    fs::path const temp = dir / ("." + from.filename().string() + ".XXXXXX");
    fs::copy_file(from, temp, fs::copy_options::overwrite_existing);
    fs::rename(temp, dir / from.filename());
}

} // namespace

TEST_CASE("mountinfo lines parse into mount points, escapes decoded", "[update]")
{
    auto const mounts = parse_mountinfo(
        "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
        "97 30 8:17 / /run/kiosk/usb/MY\\040STICK ro,nosuid,nodev,noexec shared:1 - vfat /dev/sdb1 ro,fmask=0022\n"
        "garbage line\n");
    REQUIRE(mounts.size() == 2);
    CHECK(mounts[1].mount_id == 97);
    CHECK(mounts[1].path == "/run/kiosk/usb/MY STICK");
    CHECK(mounts[1].read_only);
    CHECK(mounts[1].fs_type == "vfat");
    CHECK(mounts[1].source == "/dev/sdb1");
    CHECK_FALSE(mounts[0].read_only);
}

TEST_CASE("a signed pack synced into an inbox folder is installed", "[update][threads]")
{
    UpdateFixture fixture;
    fs::create_directories(fixture.tmp / "inbox");
    auto config = updater_config(fixture);
    config.inbox_dirs = { fixture.tmp / "inbox" };
    SteadyClock clock;
    update::Updater updater(config, clock);
    auto started = updater.start();
    INFO((started ? std::string() : started.message()));
    REQUIRE(started.ok());

    fs::path const pack = fixture.put_pack(1);
    deliver(pack.string() + ".minisig", fixture.tmp / "inbox");
    deliver(pack, fixture.tmp / "inbox");
    auto const events = wait_for_result(updater);
    REQUIRE_FALSE(events.empty());
    INFO(describe(events.back()));
    REQUIRE(std::holds_alternative<update::Installed>(events.back()));
    auto const& installed = std::get<update::Installed>(events.back());
    CHECK(installed.version == 1);
    REQUIRE(installed.pack);
    CHECK(installed.pack->slides.size() == 2);
    CHECK(std::holds_alternative<update::Detected>(events.front()));
    // No report in an inbox: that is for sticks.
    CHECK_FALSE(fs::exists(fixture.tmp / "inbox" / update::report_file_name("lobby-3")));

    // A newer version replacing the files in place is picked up too.
    fs::path const v2 = fixture.put_pack(2);
    deliver(v2.string() + ".minisig", fixture.tmp / "inbox");
    deliver(v2, fixture.tmp / "inbox");
    auto const second = wait_for_result(updater);
    REQUIRE_FALSE(second.empty());
    INFO(describe(second.back()));
    REQUIRE(std::holds_alternative<update::Installed>(second.back()));
    CHECK(std::get<update::Installed>(second.back()).version == 2);
    updater.stop();
    CHECK(fixture.version_at_boot() == 2);

    // After a restart the folder still holds version 2: that is no news, so nothing is shown.
    update::Updater restarted(config, clock);
    REQUIRE(restarted.start().ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(4 * config.inbox_settle_ms));
    restarted.stop();
    auto const news = restarted.poll_event();
    INFO((news ? describe(*news) : std::string("no event")));
    CHECK_FALSE(news);
}

TEST_CASE("a stick mounted under a mount root is imported and gets a report", "[update][threads]")
{
    UpdateFixture fixture;
    fixture.install(1);
    // The stick: a small file system holding the pack, prepared aside, then bind-mounted under the
    // watched root so it appears in the mount table all at once, as a real mount does.
    TmpfsMount prepared(fixture.tmp / "prepared", "size=4m");
    if (!prepared.ok()) {
        WARN("skipped: cannot mount a tmpfs here (" << prepared.error() << "); needs root");
        return;
    }
    fixture.stick = prepared.path();
    fixture.put_pack(2, "kiosk/news.kpack");
    bool const read_only = GENERATE(false, true);
    if (read_only)
        REQUIRE(prepared.remount_read_only());

    SteadyClock clock;
    FakeWallClock wall_clock(1'714'555'800); // 2024-05-01T09:30:00Z
    update::Updater updater(updater_config(fixture), clock, wall_clock);
    REQUIRE(updater.start().ok());
    fs::path const mount_point = fixture.tmp / "usb/STICK";
    fs::create_directories(mount_point);
    REQUIRE(::mount(prepared.path().c_str(), mount_point.c_str(), nullptr, MS_BIND, nullptr) == 0);
    auto const events = wait_for_result(updater);
    updater.stop();
    ::umount2(mount_point.c_str(), MNT_DETACH);

    REQUIRE_FALSE(events.empty());
    INFO(describe(events.back()));
    REQUIRE(std::holds_alternative<update::Installed>(events.back()));
    CHECK(std::get<update::Installed>(events.back()).path.parent_path() == fixture.data / "packs");
    CHECK(fixture.version_at_boot() == 2);

    fs::path const report = prepared.path() / "kiosk-report-lobby-3.txt";
    if (read_only) {
        CHECK_FALSE(fs::exists(report));
    } else {
        REQUIRE(fs::exists(report));
        std::string const text = read_text(report);
        CHECK_THAT(text, Catch::Contains("Device:       lobby-3 (group lobby-east)"));
        CHECK_THAT(text, Catch::Contains("Time:         2024-05-01T09:30:00Z"));
        CHECK_THAT(text, Catch::Contains("Pack file:    kiosk/news.kpack"));
        CHECK_THAT(text, Catch::Contains("Result:       INSTALLED"));
        CHECK_THAT(text, Catch::Contains("Now showing:  test-pack version 2"));
        // Only the report was written: no temp file left beside it.
        for (auto const& entry : fs::directory_iterator(prepared.path()))
            CHECK_FALSE(entry.path().filename().string().starts_with("."));
    }
}

TEST_CASE("a refusal is reported on the stick too", "[update][threads]")
{
    UpdateFixture fixture;
    fixture.install(2);
    fixture.put_pack(2);
    update::ImportReport report;
    auto const outcome = fixture.import_stick();
    REQUIRE(outcome.kind == update::ImportOutcome::Kind::Refused);
    report.device_id = "lobby/3 east"; // unsafe characters in a file name
    report.unix_time_s = 0;
    report.stick_root = fixture.stick;
    report.kind = outcome.kind;
    report.file = outcome.file;
    report.reason = outcome.reason;
    REQUIRE(update::write_report(fixture.stick, report.device_id, update::format_report(report)).ok());
    std::string const text = read_text(fixture.stick / "kiosk-report-lobby_3_east.txt");
    CHECK_THAT(text, Catch::Contains("Result:       REFUSED"));
    CHECK_THAT(text, Catch::Contains("is already installed"));
    CHECK_THAT(text, Catch::Contains("Now showing:  the built-in pack"));
}

TEST_CASE("the mount watcher's descriptor fires on a mount and lists only new mounts under its roots", "[update]")
{
    TempDir tmp;
    auto watcher = MountWatcher::open({ tmp / "usb" });
    REQUIRE(watcher.ok());
    auto initial = watcher->take_new_mounts();
    REQUIRE(initial.ok());
    CHECK(initial->empty());
    TmpfsMount stick(tmp / "usb/A", "size=1m");
    if (!stick.ok()) {
        WARN("skipped: cannot mount a tmpfs here (" << stick.error() << "); needs root");
        return;
    }
    struct pollfd fd {
        watcher->fd(), POLLPRI, 0
    };
    CHECK(::poll(&fd, 1, 10'000) == 1);
    auto fresh = watcher->take_new_mounts();
    REQUIRE(fresh.ok());
    REQUIRE(fresh->size() == 1);
    CHECK(fresh->front().path == tmp / "usb/A");
    CHECK(fresh->front().fs_type == "tmpfs");
    auto again = watcher->take_new_mounts();
    REQUIRE(again.ok());
    CHECK(again->empty());
}
