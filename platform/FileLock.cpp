#include "platform/FileLock.h"

#include "platform/Files.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/file.h>

namespace kiosk {

Result<std::optional<FileLock>> FileLock::acquire(std::filesystem::path const& path, LockWait wait)
{
    UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd)
        return make_error(path.string() + ": cannot open lock file: " + files::errno_text(errno));
    int const operation = LOCK_EX | (wait == LockWait::DontBlock ? LOCK_NB : 0);
    while (::flock(fd.get(), operation) != 0) {
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK)
            return std::optional<FileLock>();
        return make_error(path.string() + ": cannot lock: " + files::errno_text(errno));
    }
    return std::optional<FileLock>(FileLock(std::move(fd)));
}

} // namespace kiosk
