#include "platform/DirectoryWatcher.h"

#include "platform/Files.h"

#include <cerrno>
#include <cstring>
#include <sys/inotify.h>

namespace kiosk {

Result<DirectoryWatcher> DirectoryWatcher::open(std::vector<std::filesystem::path> const& dirs)
{
    UniqueFd fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    if (!fd)
        return make_error(std::string("cannot watch inbox folders: inotify: ") + files::errno_text(errno));
    DirectoryWatcher watcher(std::move(fd));
    for (auto const& dir : dirs) {
        // IN_ONLYDIR: refuse to watch a file; IN_DONT_FOLLOW is not used because an operator may
        // well point the inbox at a symlinked folder, and the path comes from trusted config.
        int const wd = ::inotify_add_watch(
            watcher.m_fd.get(), dir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR);
        if (wd < 0) {
            watcher.m_problems.push_back(
                dir.string() + ": cannot watch this inbox folder: " + files::errno_text(errno));
            continue;
        }
        watcher.m_watches[wd] = dir;
    }
    return watcher;
}

Result<std::vector<DirectoryChange>> DirectoryWatcher::read_changes()
{
    std::vector<DirectoryChange> changes;
    alignas(struct inotify_event) char buffer[16 * 1024];
    for (;;) {
        ssize_t const n = ::read(m_fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN)
                break;
            return make_error(std::string("reading inbox folder notifications failed: ") + files::errno_text(errno));
        }
        if (n == 0)
            break;
        std::size_t offset = 0;
        while (offset + sizeof(struct inotify_event) <= std::size_t(n)) {
            struct inotify_event header { };
            std::memcpy(&header, buffer + offset, sizeof header);
            char const* name_start = buffer + offset + sizeof header;
            std::size_t const name_room = std::min<std::size_t>(header.len, std::size_t(n) - offset - sizeof header);
            std::string const name(name_start, ::strnlen(name_start, name_room));
            offset += sizeof header + header.len;

            if (header.mask & IN_Q_OVERFLOW) {
                for (auto const& [wd, dir] : m_watches)
                    changes.push_back({ DirectoryChange::Kind::Rescan, dir, {} });
                continue;
            }
            auto it = m_watches.find(header.wd);
            if (it == m_watches.end())
                continue;
            if (header.mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
                if (header.mask & IN_IGNORED)
                    m_watches.erase(it);
                else
                    changes.push_back({ DirectoryChange::Kind::FolderGone, it->second, {} });
                // A moved folder keeps its watch under its new name, which is not the configured
                // inbox any more: drop it (the kernel then sends IN_IGNORED).
                if (header.mask & IN_MOVE_SELF)
                    ::inotify_rm_watch(m_fd.get(), header.wd);
                continue;
            }
            if (!name.empty())
                changes.push_back({ DirectoryChange::Kind::FileArrived, it->second, name });
        }
    }
    return changes;
}

} // namespace kiosk
