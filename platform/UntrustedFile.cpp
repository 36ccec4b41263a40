#include "platform/UntrustedFile.h"

#include "platform/Files.h"
#include "platform/Handles.h"

#include <cerrno>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

namespace kiosk::untrusted {

namespace {

using DirPtr = Owned<DIR, ::closedir>;

std::string describe_type(mode_t mode)
{
    if (S_ISLNK(mode))
        return "a symbolic link; copy the file itself, links are not followed";
    if (S_ISFIFO(mode))
        return "a named pipe (FIFO), not a regular file";
    if (S_ISDIR(mode))
        return "a directory, not a file";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device node, not a regular file";
    if (S_ISSOCK(mode))
        return "a socket, not a regular file";
    return "not a regular file";
}

} // namespace

std::string human_size(std::uint64_t bytes)
{
    constexpr std::uint64_t kb = 1024;
    constexpr std::uint64_t mb = 1024 * kb;
    if (bytes < 10 * kb)
        return std::to_string(bytes) + " bytes";
    if (bytes < mb)
        return std::to_string((bytes + kb - 1) / kb) + " KB";
    if (bytes < 10 * mb) {
        char text[32];
        std::snprintf(text, sizeof text, "%.1f MB", double(bytes) / double(mb));
        return text;
    }
    return std::to_string((bytes + mb - 1) / mb) + " MB";
}

Result<UniqueFd> open_directory(std::filesystem::path const& path)
{
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        return make_error(path.string() + ": cannot open folder: " + files::errno_text(errno));
    return fd;
}

std::optional<UniqueFd> open_subdirectory(int dir_fd, std::string const& name)
{
    UniqueFd fd(::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!fd)
        return std::nullopt;
    return fd;
}

Result<std::vector<std::string>> list_directory(int dir_fd, std::size_t max_entries, std::filesystem::path const& path)
{
    // fdopendir takes ownership of its descriptor: give it a fresh one so dir_fd stays usable.
    int const own_fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (own_fd < 0)
        return make_error(path.string() + ": cannot list folder: " + files::errno_text(errno));
    DirPtr dir(::fdopendir(own_fd));
    if (!dir) {
        int const err = errno;
        ::close(own_fd);
        return make_error(path.string() + ": cannot list folder: " + files::errno_text(err));
    }
    std::vector<std::string> names;
    for (;;) {
        errno = 0;
        struct dirent const* entry = ::readdir(dir.get());
        if (!entry) {
            if (errno != 0)
                return make_error(path.string() + ": cannot list folder: " + files::errno_text(errno));
            break;
        }
        std::string name = entry->d_name;
        if (name == "." || name == "..")
            continue;
        if (names.size() >= max_entries)
            break;
        names.push_back(std::move(name));
    }
    return names;
}

namespace {

enum class Links {
    Follow,
    Refuse,
};

Result<OpenedFile> open_checked(
    int dir_fd, char const* name, Links links, std::uint64_t max_bytes, std::filesystem::path const& display_path)
{
    // Look before opening: opening a device node can have side effects even with O_NONBLOCK.
    struct stat before { };
    if (::fstatat(dir_fd, name, &before, links == Links::Refuse ? AT_SYMLINK_NOFOLLOW : 0) != 0)
        return make_error(display_path.string() + (links == Links::Follow ? ": cannot open: " : ": cannot read: ")
            + files::errno_text(errno));
    if (!S_ISREG(before.st_mode))
        return make_error(display_path.string() + " is " + describe_type(before.st_mode));

    OpenedFile file;
    file.path = display_path;
    int const flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (links == Links::Refuse ? O_NOFOLLOW : 0);
    file.fd = UniqueFd(::openat(dir_fd, name, flags));
    if (!file.fd) {
        if (errno == ELOOP && links == Links::Refuse)
            return make_error(display_path.string() + " is " + describe_type(S_IFLNK));
        return make_error(display_path.string() + ": cannot open: " + files::errno_text(errno));
    }
    // The entry may have been swapped between fstatat and openat: judge what we actually opened.
    struct stat st { };
    if (::fstat(file.fd.get(), &st) != 0)
        return make_error(display_path.string() + ": cannot stat: " + files::errno_text(errno));
    if (!S_ISREG(st.st_mode))
        return make_error(display_path.string() + " is " + describe_type(st.st_mode));
    if (st.st_size < 0 || std::uint64_t(st.st_size) > max_bytes)
        return make_error(display_path.string() + " is " + human_size(std::uint64_t(st.st_size)) + ", more than the "
            + human_size(max_bytes) + " limit");
    file.size_bytes = std::uint64_t(st.st_size);
    return file;
}

} // namespace

Result<OpenedFile> open_regular_file(
    int dir_fd, std::string const& name, std::uint64_t max_bytes, std::filesystem::path const& display_path)
{
    return open_checked(dir_fd, name.c_str(), Links::Refuse, max_bytes, display_path);
}

Result<OpenedFile> open_regular_file(std::filesystem::path const& path, std::uint64_t max_bytes)
{
    return open_checked(AT_FDCWD, path.c_str(), Links::Follow, max_bytes, path);
}

Result<std::vector<std::uint8_t>> read_regular_file(std::filesystem::path const& path, std::uint64_t max_bytes)
{
    auto file = open_regular_file(path, max_bytes);
    if (!file)
        return file.error();
    std::vector<std::uint8_t> bytes(std::size_t(file->size_bytes));
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t const n = ::pread(file->fd.get(), bytes.data() + done, bytes.size() - done, off_t(done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return make_error(path.string() + ": read failed: " + files::errno_text(errno));
        }
        if (n == 0)
            return make_error(path.string() + ": file shrank while being read");
        done += std::size_t(n);
    }
    return bytes;
}

Result<std::string> read_small_file(OpenedFile const& file)
{
    std::string text(file.size_bytes, '\0');
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t const n = ::pread(file.fd.get(), text.data() + done, text.size() - done, off_t(done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return make_error(file.path.string() + ": read failed: " + files::errno_text(errno));
        }
        if (n == 0)
            break;
        done += std::size_t(n);
    }
    text.resize(done);
    return text;
}

} // namespace kiosk::untrusted
