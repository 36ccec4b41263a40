#pragma once

// Opening files on storage a stranger controls: a USB stick, or an inbox folder filled by a sync
// tool. Such a file may be a symlink to /etc/shadow, a FIFO that blocks the first read forever, a
// device node, or a sparse file that claims 20 GB. Everything here works relative to an open
// directory descriptor and never follows a symlink (O_NOFOLLOW on every component we open), opens
// with O_NONBLOCK so a FIFO cannot block, and checks the type and size with fstat on the opened
// descriptor before a byte is read. Errors name the file and say what to do about it.
// Thread-safety: plain functions; descriptors belong to the caller.

#include "platform/Result.h"
#include "platform/UniqueFd.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::untrusted {

struct OpenedFile {
    UniqueFd fd;
    std::uint64_t size_bytes { 0 };
    std::filesystem::path path; // for messages
};

// Opens a directory whose path we trust (a mount point from the kernel's table, a configured
// inbox folder, a path an operator typed), so symlinks in it are followed; everything below it is
// opened with the functions here.
Result<UniqueFd> open_directory(std::filesystem::path const& path);

// Opens the subdirectory `name` of dir_fd without following a symlink; nullopt when there is no
// directory of that name (a file or symlink of that name is treated as absent).
std::optional<UniqueFd> open_subdirectory(int dir_fd, std::string const& name);

// The names in a directory (no "." or ".."), at most max_entries of them so a stick holding a
// million files cannot stall the importer. Entries are not followed or stat'ed.
Result<std::vector<std::string>> list_directory(int dir_fd, std::size_t max_entries, std::filesystem::path const& path);

// Opens `name` in dir_fd for reading if it is a regular file of at most max_bytes; refuses symlinks,
// FIFOs, devices, sockets and directories. display_path is the file's full path, for messages.
Result<OpenedFile> open_regular_file(
    int dir_fd, std::string const& name, std::uint64_t max_bytes, std::filesystem::path const& display_path);

// Opens `path` for reading if it is a regular file of at most max_bytes. For paths an operator or a
// configuration names (a key in /etc/kiosk/keys, a source folder's TOML, a pack given to `kiosk
// import`): symlinks are followed, but a FIFO, device, socket or directory is refused with a
// message, never opened in a way that blocks (a FIFO's open() would wait for a writer forever).
Result<OpenedFile> open_regular_file(std::filesystem::path const& path, std::uint64_t max_bytes);

// The whole file at `path`, through open_regular_file(path, max_bytes).
Result<std::vector<std::uint8_t>> read_regular_file(std::filesystem::path const& path, std::uint64_t max_bytes);

// Reads the whole of a small file opened by open_regular_file (signature files, a few KB).
Result<std::string> read_small_file(OpenedFile const& file);

// "20480 MB", "3.2 MB", "512 bytes": sizes for people.
std::string human_size(std::uint64_t bytes);

} // namespace kiosk::untrusted
