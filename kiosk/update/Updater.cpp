#include "kiosk/update/Updater.h"

#include "kiosk/update/Report.h"
#include "kiosk/update/Store.h"
#include "platform/DirectoryWatcher.h"
#include "platform/Files.h"
#include "platform/Log.h"
#include "platform/MountWatcher.h"
#include "platform/UniqueFd.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <map>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <utility>

namespace kiosk::update {

namespace fs = std::filesystem;

namespace {

constexpr char const* log_tag = "update";
// Bounds the queue if the app stops reading: Progress events merge, and at most this many others
// wait; beyond that the oldest are dropped (they are also in the log).
constexpr std::size_t max_queued_events = 256;

bool is_pack_related(std::string const& name)
{
    auto lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
        [](unsigned char c) { return char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
    return !name.starts_with(".") && (lower.ends_with(".kpack") || lower.ends_with(".kpack.minisig"));
}

std::string host_name()
{
    char name[HOST_NAME_MAX + 1] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0')
        return "kiosk";
    return name;
}

} // namespace

struct Updater::Running {
    Store store;
    MountWatcher mounts;
    DirectoryWatcher inboxes;
    UniqueFd wake;
    // Inbox folders to import once quiet: folder -> deadline on m_clock.
    std::map<fs::path, std::uint64_t> pending_inboxes;
};

Updater::Updater(UpdaterConfig config, Clock const& clock, WallClock const& wall_clock)
    : m_config(std::move(config))
    , m_clock(clock)
    , m_wall_clock(wall_clock)
{
    if (m_config.device_id.empty())
        m_config.device_id = host_name();
}

Updater::~Updater()
{
    stop();
}

Status Updater::start()
{
    assert(!m_thread.joinable());
    auto store = Store::open(m_config.data_dir);
    if (!store)
        return store.error();
    if (store->read_only())
        return make_error("updates are off: " + store->read_only_reason());
    auto mounts = MountWatcher::open(m_config.mount_roots, m_config.mountinfo);
    if (!mounts)
        return mounts.error();
    auto inboxes = DirectoryWatcher::open(m_config.inbox_dirs);
    if (!inboxes)
        return inboxes.error();
    for (auto const& problem : inboxes->problems())
        log::warn(log_tag, problem);
    UniqueFd wake(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (!wake)
        return make_error(std::string("cannot start the updater: eventfd: ") + files::errno_text(errno));

    m_running = std::make_unique<Running>(Running {
        std::move(store.value()), std::move(mounts.value()), std::move(inboxes.value()), std::move(wake), {} });
    std::uint64_t const now = m_clock.now_ms();
    for (auto const& dir : m_config.inbox_dirs)
        m_running->pending_inboxes[dir] = now;
    m_thread = std::jthread([this](std::stop_token stop) { run(stop); });
    return {};
}

void Updater::stop()
{
    if (!m_thread.joinable())
        return;
    m_thread.request_stop();
    std::uint64_t const one = 1;
    [[maybe_unused]] ssize_t const written = ::write(m_running->wake.get(), &one, sizeof one);
    m_thread.join();
    m_running.reset();
}

std::optional<UpdateEvent> Updater::poll_event()
{
    std::lock_guard lock(m_mutex);
    if (m_events.empty())
        return std::nullopt;
    UpdateEvent event = std::move(m_events.front());
    m_events.pop_front();
    return event;
}

void Updater::push(UpdateEvent event)
{
    {
        std::lock_guard lock(m_mutex);
        if (std::holds_alternative<Progress>(event) && !m_events.empty()
            && std::holds_alternative<Progress>(m_events.back())) {
            m_events.back() = std::move(event);
        } else {
            if (m_events.size() >= max_queued_events)
                m_events.pop_front();
            m_events.push_back(std::move(event));
        }
    }
    if (m_wake_app)
        m_wake_app();
}

void Updater::import_folder(fs::path const& dir, Source source, std::stop_token const& stop)
{
    Store& store = m_running->store;
    Importer importer(store, ImporterConfig { m_config.keys_dir, m_config.device_group, m_config.accepted_pack_ids });
    // An inbox still holding the installed pack is no news: its Detected is held back until the
    // import turns out to be more than a quiet "already installed".
    std::optional<UpdateEvent> held_back;
    auto sink = [&](UpdateEvent event) {
        if (source == Source::Inbox && std::holds_alternative<Detected>(event)) {
            held_back = std::move(event);
            return;
        }
        if (held_back)
            push(*std::exchange(held_back, std::nullopt));
        push(std::move(event));
    };
    ImportOutcome const outcome = importer.import_from_folder(dir, sink, stop);

    bool const quiet
        = source == Source::Inbox && (outcome.kind == ImportOutcome::Kind::NoPack || outcome.already_installed);
    if (held_back && !quiet)
        push(*std::exchange(held_back, std::nullopt));
    switch (outcome.kind) {
    case ImportOutcome::Kind::Installed:
        push(*outcome.installed);
        break;
    case ImportOutcome::Kind::Refused:
    case ImportOutcome::Kind::NoPack:
        (quiet ? log::debug : log::warn)(log_tag, "refused: " + outcome.reason);
        if (!quiet)
            push(Refused { outcome.file, outcome.reason, outcome.already_installed });
        break;
    case ImportOutcome::Kind::Failed:
        log::error(log_tag, "failed: " + outcome.reason);
        push(Failed { outcome.file, outcome.reason });
        break;
    }

    if (source != Source::Stick || !m_config.write_reports || stop.stop_requested())
        return;
    ImportReport report;
    report.device_id = m_config.device_id;
    report.device_group = m_config.device_group;
    report.unix_time_s = m_wall_clock.unix_time_s();
    report.stick_root = dir;
    report.kind = outcome.kind;
    report.file = outcome.file;
    report.reason = outcome.reason;
    if (auto state = store.read_state())
        report.now_showing = state->current;
    if (auto written = write_report(dir, m_config.device_id, format_report(report)); !written)
        log::info(log_tag, written.message());
    else
        log::info(log_tag, "report written to " + (dir / report_file_name(m_config.device_id)).string());
}

void Updater::run(std::stop_token stop)
{
    Running& running = *m_running;
    bool mounts_changed = true; // the first pass picks up sticks already mounted
    while (!stop.stop_requested()) {
        if (mounts_changed) {
            mounts_changed = false;
            auto fresh = running.mounts.take_new_mounts();
            if (!fresh) {
                log::error(log_tag, fresh.message());
            } else {
                for (auto const& mount : fresh.value()) {
                    if (stop.stop_requested())
                        break;
                    log::info(log_tag,
                        "stick mounted at " + mount.path.string() + " (" + mount.source + ", " + mount.fs_type
                            + (mount.read_only ? ", read-only" : "") + ")");
                    import_folder(mount.path, Source::Stick, stop);
                }
            }
        }

        std::uint64_t const now = m_clock.now_ms();
        for (auto it = running.pending_inboxes.begin();
             it != running.pending_inboxes.end() && !stop.stop_requested();) {
            if (it->second > now) {
                ++it;
                continue;
            }
            fs::path const dir = it->first;
            it = running.pending_inboxes.erase(it);
            import_folder(dir, Source::Inbox, stop);
        }
        if (stop.stop_requested())
            break;

        int timeout_ms = -1;
        std::uint64_t const after = m_clock.now_ms();
        for (auto const& [dir, deadline] : running.pending_inboxes) {
            int const wait = deadline <= after ? 0 : int(std::min<std::uint64_t>(deadline - after, INT_MAX));
            timeout_ms = timeout_ms < 0 ? wait : std::min(timeout_ms, wait);
        }
        struct pollfd fds[3] = {
            { running.wake.get(), POLLIN, 0 },
            { running.mounts.fd(), POLLPRI, 0 },
            { running.inboxes.fd(), POLLIN, 0 },
        };
        int const ready = ::poll(fds, 3, timeout_ms);
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            log::error(log_tag, std::string("poll failed: ") + files::errno_text(errno) + "; the updater stops");
            push(Failed { {}, "the update watcher stopped: " + files::errno_text(errno) });
            return;
        }
        if (fds[0].revents & POLLIN) {
            std::uint64_t count = 0;
            [[maybe_unused]] ssize_t const drained = ::read(running.wake.get(), &count, sizeof count);
        }
        if (fds[1].revents & (POLLPRI | POLLERR))
            mounts_changed = true;
        if (fds[2].revents & POLLIN) {
            auto changes = running.inboxes.read_changes();
            if (!changes) {
                log::error(log_tag, changes.message());
                continue;
            }
            std::uint64_t const deadline = m_clock.now_ms() + m_config.inbox_settle_ms;
            for (auto const& change : changes.value()) {
                switch (change.kind) {
                case DirectoryChange::Kind::FileArrived:
                    if (is_pack_related(change.name))
                        running.pending_inboxes[change.dir] = deadline;
                    break;
                case DirectoryChange::Kind::Rescan:
                    running.pending_inboxes[change.dir] = deadline;
                    break;
                case DirectoryChange::Kind::FolderGone:
                    log::warn(log_tag,
                        change.dir.string()
                            + ": the inbox folder was removed or moved; it is no longer watched "
                              "(recreate it and restart the kiosk)");
                    running.pending_inboxes.erase(change.dir);
                    break;
                }
            }
        }
    }
}

} // namespace kiosk::update
