#include "kiosk/update/Report.h"

#include "platform/Files.h"
#include "platform/UniqueFd.h"
#include "platform/WallClock.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace kiosk::update {

namespace fs = std::filesystem;

std::string report_file_name(std::string const& device_id)
{
    std::string safe = device_id.empty() ? std::string("unnamed") : device_id.substr(0, 64);
    std::replace_if(
        safe.begin(), safe.end(),
        [](char c) {
            return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '.');
        },
        '_');
    return "kiosk-report-" + safe + ".txt";
}

std::string format_report(ImportReport const& report)
{
    std::string result;
    switch (report.kind) {
    case ImportOutcome::Kind::Installed:
        result = "INSTALLED";
        break;
    case ImportOutcome::Kind::Refused:
        result = "REFUSED";
        break;
    case ImportOutcome::Kind::Failed:
        result = "FAILED";
        break;
    case ImportOutcome::Kind::NoPack:
        result = "NO PACK FOUND";
        break;
    }
    fs::path shown = report.file.lexically_relative(report.stick_root);
    if (shown.empty() || shown.string().starts_with(".."))
        shown = report.file;
    // CRLF: the report is opened on whatever laptop the stick goes back to, Notepad included.
    std::string text;
    auto line = [&](std::string const& label, std::string const& value) { text += label + value + "\r\n"; };
    line("Kiosk import report", "");
    line("Device:       ",
        report.device_id + (report.device_group.empty() ? "" : " (group " + report.device_group + ")"));
    line("Time:         ", format_utc(report.unix_time_s));
    line("Pack file:    ", shown.string());
    line("Result:       ", result);
    line("Why:          ", report.reason);
    line("Now showing:  ",
        report.now_showing ? report.now_showing->pack_id + " version " + std::to_string(report.now_showing->version)
                           : std::string("the built-in pack"));
    return text;
}

Status write_report(fs::path const& stick_root, std::string const& device_id, std::string const& text)
{
    std::string const name = report_file_name(device_id);
    fs::path const where = stick_root / name;
    UniqueFd dir(::open(stick_root.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!dir)
        return make_error(where.string() + ": report not written: " + files::errno_text(errno));
    std::string const temp = "." + name + ".tmp";
    auto open_temp = [&] {
        return UniqueFd(
            ::openat(dir.get(), temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644));
    };
    UniqueFd file = open_temp();
    if (!file && errno == EEXIST) {
        // Left by a stick pulled mid-write (or planted: O_EXCL|O_NOFOLLOW never writes through it).
        ::unlinkat(dir.get(), temp.c_str(), 0);
        file = open_temp();
    }
    if (!file) {
        if (errno == EROFS)
            return make_error(where.string() + ": report not written: the stick is mounted read-only");
        return make_error(where.string() + ": report not written: " + files::errno_text(errno));
    }
    auto give_up = [&](std::string const& what) {
        int const err = errno;
        ::unlinkat(dir.get(), temp.c_str(), 0);
        return make_error(where.string() + ": report not written: " + what + ": " + files::errno_text(err));
    };
    char const* data = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        ssize_t const n = ::write(file.get(), data, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return give_up("write failed");
        }
        data += n;
        left -= std::size_t(n);
    }
    if (::fsync(file.get()) != 0)
        return give_up("fsync failed");
    file.reset();
    if (::renameat(dir.get(), temp.c_str(), dir.get(), name.c_str()) != 0)
        return give_up("rename failed");
    if (::fsync(dir.get()) != 0)
        return make_error(where.string() + ": report written but the folder fsync failed: " + files::errno_text(errno));
    return {};
}

} // namespace kiosk::update
