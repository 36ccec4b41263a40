#include "platform/MountWatcher.h"

#include "platform/Files.h"

#include <cerrno>
#include <charconv>
#include <fcntl.h>

namespace kiosk {

namespace {

// mountinfo escapes space, tab, newline and backslash in paths as \ooo (three octal digits).
std::string unescape(std::string_view field)
{
    std::string out;
    out.reserve(field.size());
    auto octal = [](char c) { return c >= '0' && c <= '7'; };
    for (std::size_t i = 0; i < field.size(); ++i) {
        if (field[i] == '\\' && i + 3 < field.size() && octal(field[i + 1]) && octal(field[i + 2])
            && octal(field[i + 3])) {
            out.push_back(char(((field[i + 1] - '0') << 6) | ((field[i + 2] - '0') << 3) | (field[i + 3] - '0')));
            i += 3;
            continue;
        }
        out.push_back(field[i]);
    }
    return out;
}

std::vector<std::string_view> split_spaces(std::string_view line)
{
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    while (start < line.size()) {
        std::size_t const end = line.find(' ', start);
        std::string_view const field = line.substr(start, end == std::string_view::npos ? line.npos : end - start);
        if (!field.empty())
            fields.push_back(field);
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    return fields;
}

bool has_option(std::string_view options, std::string_view wanted)
{
    std::size_t start = 0;
    while (start <= options.size()) {
        std::size_t const comma = options.find(',', start);
        if (options.substr(start, comma == std::string_view::npos ? options.npos : comma - start) == wanted)
            return true;
        if (comma == std::string_view::npos)
            break;
        start = comma + 1;
    }
    return false;
}

Result<std::string> read_table(int fd, std::filesystem::path const& path)
{
    // A seq_file: read from offset 0 to EOF each time; pread keeps the descriptor's poll state.
    std::string text;
    char buffer[16 * 1024];
    off_t offset = 0;
    for (;;) {
        ssize_t const n = ::pread(fd, buffer, sizeof buffer, offset);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return make_error(path.string() + ": cannot read the mount table: " + files::errno_text(errno));
        }
        if (n == 0)
            break;
        text.append(buffer, std::size_t(n));
        offset += n;
    }
    return text;
}

} // namespace

std::vector<MountPoint> parse_mountinfo(std::string_view text)
{
    // 36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue
    // (1)(2)(3)   (4)   (5)         (6)           (7...)  - (8)  (9)       (10)
    std::vector<MountPoint> mounts;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t const end = text.find('\n', start);
        std::string_view const line = text.substr(start, end == std::string_view::npos ? text.npos : end - start);
        start = end == std::string_view::npos ? text.size() : end + 1;
        auto const fields = split_spaces(line);
        if (fields.size() < 10)
            continue;
        std::size_t separator = 6;
        while (separator < fields.size() && fields[separator] != "-")
            ++separator;
        if (separator + 2 >= fields.size())
            continue;
        MountPoint mount;
        auto [ptr, ec] = std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), mount.mount_id);
        if (ec != std::errc() || ptr != fields[0].data() + fields[0].size())
            continue;
        mount.path = unescape(fields[4]);
        mount.read_only = has_option(fields[5], "ro");
        mount.fs_type = unescape(fields[separator + 1]);
        mount.source = unescape(fields[separator + 2]);
        mounts.push_back(std::move(mount));
    }
    return mounts;
}

Result<MountWatcher> MountWatcher::open(std::vector<std::filesystem::path> roots, std::filesystem::path mountinfo)
{
    UniqueFd fd(::open(mountinfo.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return make_error(mountinfo.string() + ": cannot watch the mount table: " + files::errno_text(errno));
    for (auto& root : roots)
        root = root.lexically_normal();
    return MountWatcher(std::move(roots), std::move(mountinfo), std::move(fd));
}

bool MountWatcher::under_roots(std::filesystem::path const& path) const
{
    std::filesystem::path const normal = path.lexically_normal();
    for (auto const& root : m_roots) {
        std::filesystem::path const relative = normal.lexically_relative(root);
        if (!relative.empty() && relative != "." && *relative.begin() != "..")
            return true;
    }
    return false;
}

Result<std::vector<MountPoint>> MountWatcher::take_new_mounts()
{
    auto text = read_table(m_fd.get(), m_mountinfo);
    if (!text)
        return text.error();
    std::vector<MountPoint> fresh;
    std::set<int> ids;
    for (auto& mount : parse_mountinfo(text.value())) {
        if (!under_roots(mount.path))
            continue;
        ids.insert(mount.mount_id);
        if (!m_known_ids.contains(mount.mount_id))
            fresh.push_back(std::move(mount));
    }
    m_known_ids = std::move(ids);
    return fresh;
}

} // namespace kiosk
