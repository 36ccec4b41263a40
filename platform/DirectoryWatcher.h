#pragma once

// DirectoryWatcher: notices files completed in, or moved into, a few folders (inotify
// IN_CLOSE_WRITE | IN_MOVED_TO). That is how a file "arrives" whatever wrote it: a person copying,
// rsync (writes ".name.XXXXXX", then renames), Syncthing (".syncthing.name.tmp", then renames).
// The caller puts fd() in its poll() set (POLLIN) and calls read_changes() when it fires.
// Owns the inotify descriptor. Not thread-safe: one thread polls it. A folder that is missing at
// open() is reported in problems() and not watched; a watched folder that is deleted stops being
// watched (the caller sees Kind::FolderGone and can say so).

#include "platform/Result.h"
#include "platform/UniqueFd.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kiosk {

struct DirectoryChange {
    enum class Kind {
        FileArrived, // `name` was written and closed, or moved in
        Rescan, // notifications were lost (queue overflow): look at the whole folder again
        FolderGone, // the folder was deleted or moved away and is no longer watched
    };
    Kind kind { Kind::FileArrived };
    std::filesystem::path dir; // the watched folder
    std::string name; // for FileArrived
};

class DirectoryWatcher {
public:
    static Result<DirectoryWatcher> open(std::vector<std::filesystem::path> const& dirs);

    // Poll for POLLIN.
    int fd() const { return m_fd.get(); }

    // Folders that could not be watched, with the reason, e.g. "/srv/inbox: No such file or directory".
    std::vector<std::string> const& problems() const { return m_problems; }

    // Drains pending notifications without blocking.
    Result<std::vector<DirectoryChange>> read_changes();

private:
    explicit DirectoryWatcher(UniqueFd fd)
        : m_fd(std::move(fd))
    {
    }
    UniqueFd m_fd;
    std::map<int, std::filesystem::path> m_watches; // watch descriptor -> folder
    std::vector<std::string> m_problems;
};

} // namespace kiosk
