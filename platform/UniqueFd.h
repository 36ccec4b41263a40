#pragma once

// UniqueFd owns a POSIX file descriptor and closes it when it goes out of scope (STYLE.md: RAII for
// every handle). Move-only. Take ownership right after open()/socket()/inotify_init(), even when the
// call failed: a UniqueFd holding -1 is harmless.

#include <unistd.h>
#include <utility>

namespace kiosk {

class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd)
        : m_fd(fd)
    {
    }
    ~UniqueFd() { reset(); }

    UniqueFd(UniqueFd&& other) noexcept
        : m_fd(std::exchange(other.m_fd, -1))
    {
    }
    UniqueFd& operator=(UniqueFd&& other) noexcept
    {
        if (this != &other)
            reset(std::exchange(other.m_fd, -1));
        return *this;
    }
    UniqueFd(UniqueFd const&) = delete;
    UniqueFd& operator=(UniqueFd const&) = delete;

    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    explicit operator bool() const { return valid(); }

    int release() { return std::exchange(m_fd, -1); }
    void reset(int fd = -1)
    {
        // close() errors are not actionable here: the descriptor is gone either way, and writers
        // that care about durability fsync before closing.
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }

private:
    int m_fd { -1 };
};

} // namespace kiosk
