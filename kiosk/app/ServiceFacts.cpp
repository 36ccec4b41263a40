#include "kiosk/app/ServiceFacts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <toml++/toml.h>

namespace kiosk::app {

namespace {

// A frame drawn longer than this after the previous one starts a new animation.
constexpr show::TimeMs animation_gap_ms = 250;

std::string pack_text(std::optional<PackFacts> const& pack)
{
    if (!pack)
        return "none";
    std::string text = pack->id + " v" + std::to_string(pack->version);
    if (pack->slides >= 0)
        text += ", " + std::to_string(pack->slides) + " slides";
    return text;
}

std::string fixed(double value, int decimals)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

toml::table pack_table(PackFacts const& pack)
{
    toml::table table { { "id", pack.id }, { "version", pack.version } };
    if (pack.slides >= 0)
        table.insert("slides", pack.slides);
    return table;
}

toml::array string_array(std::vector<std::string> const& strings)
{
    toml::array array;
    for (auto const& s : strings)
        array.push_back(s);
    return array;
}

} // namespace

void FrameStats::presented(show::TimeMs now_ms, bool moving)
{
    ++m_frames;
    bool const continues = m_last_ms && now_ms - *m_last_ms <= animation_gap_ms && m_last_moving;
    if (continues) {
        m_intervals_ms.push_back(now_ms - *m_last_ms);
        if (m_intervals_ms.size() > window_frames)
            m_intervals_ms.pop_front();
        ++m_run_frames;
    } else {
        m_run_start_ms = now_ms;
        m_run_frames = 1;
    }
    // The frame that ends an animation (a still picture after moving ones) closes the run.
    if (continues && !moving && m_run_frames >= 2 && now_ms > m_run_start_ms)
        m_last_transition_fps = double(m_run_frames - 1) * 1000.0 / double(now_ms - m_run_start_ms);
    m_last_ms = now_ms;
    m_last_moving = moving;
}

std::optional<double> FrameStats::percentile_ms(double p) const
{
    if (m_intervals_ms.empty())
        return std::nullopt;
    std::vector<show::TimeMs> sorted(m_intervals_ms.begin(), m_intervals_ms.end());
    std::sort(sorted.begin(), sorted.end());
    // Nearest rank.
    auto const rank = std::size_t(std::ceil(p / 100.0 * double(sorted.size())));
    return double(sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1]);
}

std::string format_uptime(show::TimeMs ms)
{
    std::uint64_t const s = ms / 1000;
    char buffer[48];
    std::uint64_t const days = s / 86'400;
    std::snprintf(
        buffer, sizeof buffer, "%02u:%02u:%02u", unsigned(s / 3600 % 24), unsigned(s / 60 % 60), unsigned(s % 60));
    return days ? std::to_string(days) + " d " + buffer : std::string(buffer);
}

std::string format_bytes(std::uint64_t bytes)
{
    if (bytes >= 1'000'000'000)
        return fixed(double(bytes) / 1e9, 1) + " GB";
    if (bytes >= 1'000'000)
        return fixed(double(bytes) / 1e6, 1) + " MB";
    return std::to_string(bytes / 1000) + " kB";
}

std::vector<std::pair<std::string, std::string>> fact_rows(ServiceFacts const& f)
{
    std::vector<std::pair<std::string, std::string>> rows;
    rows.emplace_back("Device", f.device_id);
    rows.emplace_back("App version", f.app_version);
    rows.emplace_back("Showing", pack_text(f.showing) + " (" + f.content_source + ")");
    rows.emplace_back("Installed", f.store_problem.empty() ? pack_text(f.installed) : f.store_problem);
    rows.emplace_back("Previous", f.store_problem.empty() ? pack_text(f.previous) : "\u2013");
    rows.emplace_back(
        "Free storage", (f.free_bytes ? format_bytes(*f.free_bytes) : std::string("unknown")) + " in " + f.data_dir);
    rows.emplace_back("Last import", f.last_import.empty() ? "none since start" : f.last_import);
    std::string keys;
    for (auto const& id : f.key_ids)
        keys += (keys.empty() ? "" : ", ") + id;
    if (keys.empty())
        keys = "none in " + f.keys_dir;
    if (f.key_problems.size() == 1)
        keys += " (" + f.key_problems.front() + ")";
    else if (!f.key_problems.empty())
        keys += " (" + std::to_string(f.key_problems.size()) + " unreadable, e.g. " + f.key_problems.front() + ")";
    rows.emplace_back("Trusted keys", keys);
    rows.emplace_back("Display",
        f.display_mode + " " + std::to_string(f.width_px) + "\u00d7" + std::to_string(f.height_px) + ", rotated "
            + std::to_string(f.rotation_degrees) + "\u00b0");
    rows.emplace_back("Renderer", f.renderer);
    rows.emplace_back("Uptime", format_uptime(f.uptime_ms));
    std::string frames = std::to_string(f.frames) + " drawn";
    if (f.frame_p50_ms && f.frame_p99_ms)
        frames += "; frame time p50 " + fixed(*f.frame_p50_ms, 0) + " ms, p99 " + fixed(*f.frame_p99_ms, 0) + " ms";
    if (f.last_transition_fps)
        frames += "; last transition " + fixed(*f.last_transition_fps, 0) + " fps";
    rows.emplace_back("Frames", frames);
    if (!f.config_warnings.empty())
        rows.emplace_back(
            "Config", std::to_string(f.config_warnings.size()) + " problem(s): " + f.config_warnings.front());
    return rows;
}

std::string facts_json(ServiceFacts const& f, std::int64_t unix_time_s)
{
    toml::table root;
    root.insert("time", unix_time_s);
    root.insert("device_id", f.device_id);
    root.insert("app_version", f.app_version);
    root.insert("content_source", f.content_source);
    if (f.showing)
        root.insert("showing", pack_table(*f.showing));
    if (f.installed)
        root.insert("installed", pack_table(*f.installed));
    if (f.previous)
        root.insert("previous", pack_table(*f.previous));
    if (!f.store_problem.empty())
        root.insert("store_problem", f.store_problem);
    toml::table storage { { "data_dir", f.data_dir } };
    if (f.free_bytes)
        storage.insert("free_bytes", std::int64_t(*f.free_bytes));
    root.insert("storage", std::move(storage));
    root.insert("last_import", f.last_import);
    root.insert("trusted_keys", string_array(f.key_ids));
    root.insert("key_problems", string_array(f.key_problems));
    root.insert("display",
        toml::table { { "mode", f.display_mode }, { "width_px", f.width_px }, { "height_px", f.height_px },
            { "rotation_degrees", f.rotation_degrees }, { "renderer", f.renderer } });
    root.insert("uptime_s", std::int64_t(f.uptime_ms / 1000));
    toml::table frames { { "drawn", std::int64_t(f.frames) } };
    if (f.frame_p50_ms)
        frames.insert("p50_ms", *f.frame_p50_ms);
    if (f.frame_p99_ms)
        frames.insert("p99_ms", *f.frame_p99_ms);
    if (f.last_transition_fps)
        frames.insert("last_transition_fps", std::round(*f.last_transition_fps * 10) / 10);
    root.insert("frames", std::move(frames));
    root.insert("config_warnings", string_array(f.config_warnings));
    root.insert("log", string_array(f.log_lines));
    std::ostringstream out;
    out << toml::json_formatter { root } << "\n";
    return out.str();
}

} // namespace kiosk::app
