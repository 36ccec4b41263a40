#pragma once

// FileLock: an advisory lock (flock) on a lock file, held until the object is destroyed. Used to
// keep two writers of the same data directory apart: the app's updater thread and `kiosk import`
// run by an operator, or two threads of one process (flock locks belong to the open file, so two
// opens in one process exclude each other too). The kernel drops the lock when the process dies,
// so a killed importer never leaves a stale lock behind.

#include "platform/Result.h"
#include "platform/UniqueFd.h"

#include <filesystem>
#include <optional>

namespace kiosk {

enum class LockWait {
    Block, // wait until the lock is free
    DontBlock, // give up at once when someone else holds it
};

class FileLock {
public:
    // Creates the lock file if needed. With LockWait::DontBlock, nullopt means "held by someone
    // else"; an error means the lock file itself could not be opened or locked.
    static Result<std::optional<FileLock>> acquire(std::filesystem::path const& path, LockWait wait);

private:
    explicit FileLock(UniqueFd fd)
        : m_fd(std::move(fd))
    {
    }
    UniqueFd m_fd;
};

} // namespace kiosk
