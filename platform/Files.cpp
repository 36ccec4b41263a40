#include "platform/Files.h"

#include "platform/UntrustedFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiosk::files {

std::string errno_text(int err)
{
    return std::strerror(err);
}

namespace {

// Closes a file descriptor on scope exit.
struct Fd {
    int fd { -1 };
    ~Fd()
    {
        if (fd >= 0)
            ::close(fd);
    }
};

Status write_all(int fd, std::uint8_t const* data, std::size_t size, std::filesystem::path const& path)
{
    while (size > 0) {
        ssize_t const n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return make_error(path.string() + ": write failed: " + errno_text(errno));
        }
        data += n;
        size -= std::size_t(n);
    }
    return {};
}

} // namespace

Result<std::vector<std::uint8_t>> read_file(std::filesystem::path const& path, std::uint64_t max_bytes)
{
    return untrusted::read_regular_file(path, max_bytes);
}

Status fsync_directory(std::filesystem::path const& dir)
{
    Fd d { ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC) };
    if (d.fd < 0)
        return make_error(dir.string() + ": cannot open directory: " + errno_text(errno));
    if (::fsync(d.fd) != 0)
        return make_error(dir.string() + ": fsync failed: " + errno_text(errno));
    return {};
}

Status commit_file(std::filesystem::path const& temp_path, std::filesystem::path const& final_path)
{
    if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
        int const err = errno;
        ::unlink(temp_path.c_str());
        return make_error(final_path.string() + ": cannot rename into place: " + errno_text(err));
    }
    return fsync_directory(final_path.parent_path());
}

Status write_file_atomic(std::filesystem::path const& path, std::span<std::uint8_t const> bytes)
{
    std::filesystem::path const dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::string tmpl = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
    Fd file { ::mkostemp(tmpl.data(), O_CLOEXEC) };
    if (file.fd < 0)
        return make_error(path.string() + ": cannot create a temporary file: " + errno_text(errno));
    std::filesystem::path const temp(tmpl);
    if (auto written = write_all(file.fd, bytes.data(), bytes.size(), temp); !written) {
        ::unlink(tmpl.c_str());
        return written;
    }
    ::fchmod(file.fd, 0644);
    if (::fsync(file.fd) != 0) {
        int const err = errno;
        ::unlink(tmpl.c_str());
        return make_error(path.string() + ": fsync failed: " + errno_text(err));
    }
    return commit_file(temp, path);
}

Status write_file_atomic(std::filesystem::path const& path, std::string const& text)
{
    return write_file_atomic(
        path, std::span<std::uint8_t const>(reinterpret_cast<std::uint8_t const*>(text.data()), text.size()));
}

} // namespace kiosk::files
