#include "platform/Log.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace kiosk::log {

namespace {
std::atomic<Level> g_min_level { Level::Info };
std::mutex g_mutex; // guards stderr lines and the ring
constexpr std::size_t max_ring_line_bytes = 300;
std::array<std::string, ring_capacity> g_ring;
std::size_t g_ring_next { 0 }; // where the next line goes
std::size_t g_ring_size { 0 };

char const* level_name(Level level)
{
    switch (level) {
    case Level::Debug:
        return "debug";
    case Level::Info:
        return "info";
    case Level::Warn:
        return "warn";
    case Level::Error:
        return "error";
    }
    return "?";
}
} // namespace

std::string printable(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    auto escape_byte = [&](unsigned char c) {
        char buffer[8];
        std::snprintf(buffer, sizeof buffer, "\\x%02X", unsigned(c));
        out += buffer;
    };
    std::size_t i = 0;
    while (i < text.size()) {
        auto const c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7F) {
            out += c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : "";
            if (c != '\n' && c != '\r' && c != '\t')
                escape_byte(c);
            ++i;
            continue;
        }
        if (c < 0x80) {
            out += char(c);
            ++i;
            continue;
        }
        std::size_t const length = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
        char32_t cp = length == 2 ? c & 0x1F : length == 3 ? c & 0x0F : c & 0x07;
        bool valid = length != 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k) {
            auto const next = static_cast<unsigned char>(text[i + k]);
            valid = (next & 0xC0) == 0x80;
            cp = (cp << 6) | (next & 0x3F);
        }
        valid = valid && !(length == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)))
            && !(length == 4 && (cp < 0x10000 || cp > 0x10FFFF));
        if (!valid) {
            escape_byte(c);
            ++i;
            continue;
        }
        if (cp <= 0x9F || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            char buffer[16];
            std::snprintf(buffer, sizeof buffer, "\\u{%04X}", unsigned(cp));
            out += buffer;
        } else {
            out.append(text.substr(i, length));
        }
        i += length;
    }
    return out;
}

void set_min_level(Level level)
{
    g_min_level = level;
}

void write(Level level, std::string_view tag, std::string_view message)
{
    if (level < g_min_level.load())
        return;
    // One line per event whatever the message holds: outside text cannot forge log lines or
    // send escape sequences to the terminal.
    std::string const line = printable(message);
    std::lock_guard lock(g_mutex);
    std::fprintf(stderr, "kiosk[%s] %.*s: %s\n", level_name(level), int(tag.size()), tag.data(), line.c_str());
    std::string ring_line = std::string("[") + level_name(level) + "] ";
    ring_line.append(tag).append(": ").append(std::string_view(line).substr(0, max_ring_line_bytes));
    g_ring[g_ring_next] = std::move(ring_line);
    g_ring_next = (g_ring_next + 1) % ring_capacity;
    g_ring_size = std::min(g_ring_size + 1, ring_capacity);
}

std::vector<std::string> recent_lines(std::size_t max_lines)
{
    std::lock_guard lock(g_mutex);
    std::size_t const count = std::min(max_lines, g_ring_size);
    std::vector<std::string> lines;
    lines.reserve(count);
    for (std::size_t i = count; i > 0; --i)
        lines.push_back(g_ring[(g_ring_next + ring_capacity - i) % ring_capacity]);
    return lines;
}

} // namespace kiosk::log
