#pragma once

// MountWatcher: notices file systems mounted under a few roots (/media, /run/media, /run/kiosk/usb),
// i.e. a USB stick that udev, udisks or our own mount helper has just mounted. It reads the kernel's
// mount table (/proc/self/mountinfo), whose descriptor reports POLLPRI|POLLERR whenever the table
// changes: the caller puts fd() in its poll() set and calls take_new_mounts() when it fires, so no
// thread ever busy-loops. Owns the mountinfo descriptor. Not thread-safe: one thread polls it.
// On error (the table cannot be read) take_new_mounts() returns the message and keeps the last state.

#include "platform/Result.h"
#include "platform/UniqueFd.h"

#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

struct MountPoint {
    int mount_id { 0 }; // unique per mount: a stick pulled and plugged in again gets a new one
    std::filesystem::path path; // where it is mounted
    std::string source; // the device, e.g. /dev/sdb1
    std::string fs_type; // vfat, exfat, ext4, ...
    bool read_only { false };
};

// Parses the text of /proc/<pid>/mountinfo (proc(5)); lines it cannot parse are skipped.
// Octal escapes in paths ("\040" for a space) are decoded.
std::vector<MountPoint> parse_mountinfo(std::string_view text);

class MountWatcher {
public:
    // Watches for mounts strictly below one of `roots`. The first take_new_mounts() returns the ones
    // already there, so a stick plugged in before the kiosk started is seen too.
    static Result<MountWatcher> open(
        std::vector<std::filesystem::path> roots, std::filesystem::path mountinfo = "/proc/self/mountinfo");

    // Poll for POLLPRI | POLLERR.
    int fd() const { return m_fd.get(); }

    // Re-reads the table and returns mounts under the roots that were not there at the previous
    // call. Mounts that went away are forgotten.
    Result<std::vector<MountPoint>> take_new_mounts();

private:
    MountWatcher(std::vector<std::filesystem::path> roots, std::filesystem::path mountinfo, UniqueFd fd)
        : m_roots(std::move(roots))
        , m_mountinfo(std::move(mountinfo))
        , m_fd(std::move(fd))
    {
    }
    bool under_roots(std::filesystem::path const& path) const;

    std::vector<std::filesystem::path> m_roots;
    std::filesystem::path m_mountinfo;
    UniqueFd m_fd;
    std::set<int> m_known_ids;
};

} // namespace kiosk
