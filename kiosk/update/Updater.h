#pragma once

// Updater: the app's update thread. It watches the mount table for USB sticks mounted under
// mount_roots and the inbox folders for packs arriving, imports what it finds (Importer), leaves a
// report on writable sticks, and queues UpdateEvents for the app's loop. The slideshow never waits
// for it: the app calls poll_event() once per frame (or when woken) and reacts.
//
// Typical use by the app (the data directory and the rules: docs/operations.md):
//
//   update::Updater updater(update_config, clock);
//   if (auto started = updater.start(); !started) log::error("update", started.message());
//   ...each frame / wake-up:
//   while (auto event = updater.poll_event()) { std::visit(handler, *event); }
//   ...Installed: activate event.pack at the next slide boundary, toast the title.
//   updater.stop(); // or let the destructor do it
//
// Owns its thread, the watchers' descriptors and a wake-up eventfd. poll_event() and stop() may be
// called from any thread; start() and stop() from the owner. The thread never throws; what goes
// wrong becomes a Failed event and a log line. stop() cancels a copy in progress at the next chunk
// (the old pack stays installed) and joins.

#include "kiosk/update/Importer.h"
#include "kiosk/update/UpdateEvent.h"
#include "platform/Clock.h"
#include "platform/Result.h"
#include "platform/WallClock.h"

#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace kiosk::update {

struct UpdaterConfig {
    std::filesystem::path data_dir { "/var/lib/kiosk" };
    std::filesystem::path keys_dir { "/etc/kiosk/keys" };
    // Folders watched for packs (rsync/Syncthing targets); each is treated like a stick's root.
    std::vector<std::filesystem::path> inbox_dirs;
    // A file system mounted strictly below one of these is treated as a stick.
    std::vector<std::filesystem::path> mount_roots { "/media", "/run/media", "/run/kiosk/usb" };
    std::string device_group; // matched against the packs' signed target patterns
    std::string device_id; // names the report file on sticks; empty: the host name
    std::vector<std::string> accepted_pack_ids; // see ImporterConfig
    std::filesystem::path mountinfo { "/proc/self/mountinfo" };
    // Quiet time after a pack or signature arrives in an inbox before importing, so a sync tool
    // that delivers the two files one after the other is seen once, with both.
    std::uint64_t inbox_settle_ms { 2'000 };
    bool write_reports { true }; // kiosk-report-<device_id>.txt on writable sticks
};

class Updater {
public:
    // The clock times the inbox settle delay (a monotonic clock: SteadyClock); the wall clock
    // stamps the reports. Both must outlive the Updater.
    Updater(UpdaterConfig config, Clock const& clock, WallClock const& wall_clock = system_wall_clock());
    ~Updater();
    Updater(Updater const&) = delete;
    Updater& operator=(Updater const&) = delete;

    // Opens the store (cleaning what an interrupted import left), the mount table and the inbox
    // watches, and starts the thread, which first looks at sticks and inboxes already present.
    // Missing inbox folders are logged, not fatal.
    Status start();
    // Cancels a copy in progress, joins the thread. Idempotent.
    void stop();

    // The next event, oldest first; nullopt when there is none. Thread-safe.
    std::optional<UpdateEvent> poll_event();

    // Called on the updater thread right after an event is queued, e.g. to SDL_PushEvent a wake-up
    // for a loop sleeping in SDL_WaitEventTimeout. Set before start().
    void set_wake_callback(std::function<void()> wake) { m_wake_app = std::move(wake); }

    UpdaterConfig const& config() const { return m_config; }

private:
    void run(std::stop_token stop);
    void push(UpdateEvent event);
    enum class Source {
        Stick,
        Inbox,
    };
    void import_folder(std::filesystem::path const& dir, Source source, std::stop_token const& stop);

    UpdaterConfig m_config;
    Clock const& m_clock;
    WallClock const& m_wall_clock;
    std::function<void()> m_wake_app;

    std::mutex m_mutex;
    std::deque<UpdateEvent> m_events; // guarded by m_mutex

    struct Running;
    std::unique_ptr<Running> m_running; // watchers and store, touched by the thread only
    std::jthread m_thread; // last: joined first on destruction
};

} // namespace kiosk::update
