#include "kiosk/app/StatusFile.h"

#include "platform/Files.h"
#include "platform/Log.h"

namespace kiosk::app {

StatusFile::StatusFile(std::filesystem::path path, Origin origin)
    : m_path(std::move(path))
{
    std::error_code error;
    if (!m_path.empty() && origin == Origin::Default && !std::filesystem::is_directory(m_path.parent_path(), error)) {
        log::info("status", "no status file: " + m_path.parent_path().string() + " does not exist");
        m_path.clear();
    }
    if (!m_path.empty())
        m_next_ms = 0; // at the first turn
}

bool StatusFile::due(show::TimeMs now_ms) const
{
    return m_next_ms && now_ms >= *m_next_ms;
}

std::optional<show::TimeMs> StatusFile::next_deadline_ms() const
{
    return m_next_ms;
}

void StatusFile::write(std::string const& json, show::TimeMs now_ms)
{
    if (m_path.empty())
        return;
    m_next_ms = now_ms + interval_ms;
    if (auto written = files::write_file_atomic(m_path, json); !written) {
        ++m_failures;
        if (!m_failing)
            log::warn("status", "cannot write the status file (the show goes on; logged once): " + written.message());
        m_failing = true;
        return;
    }
    ++m_writes;
    if (m_failing)
        log::info("status", "the status file " + m_path.string() + " is written again");
    m_failing = false;
}

} // namespace kiosk::app
