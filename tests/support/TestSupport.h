#pragma once

// Shared helpers for tests: temporary folders, a tiny pack source written to disk, running the real
// executables. Header-only so every test executable can use it.

#include "kiosk/content/Image.h"
#include "platform/Files.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace kiosk::test {

// A fresh folder under the build tree, removed at the end of the test.
class TempDir {
public:
    TempDir()
    {
        std::string tmpl = (std::filesystem::path(KIOSK_BUILD_DIR) / "test-tmp-XXXXXX").string();
        if (!::mkdtemp(tmpl.data()))
            std::abort();
        m_path = tmpl;
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(TempDir const&) = delete;
    TempDir& operator=(TempDir const&) = delete;
    std::filesystem::path const& path() const { return m_path; }
    std::filesystem::path operator/(std::string const& name) const { return m_path / name; }

private:
    std::filesystem::path m_path;
};

inline void write_text(std::filesystem::path const& path, std::string const& text)
{
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
}

inline std::string read_text(std::filesystem::path const& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A w×h PNG with a diagonal colour gradient.
inline void write_png(std::filesystem::path const& path, int w, int h)
{
    content::Image image;
    image.width_px = w;
    image.height_px = h;
    image.rgba.resize(std::size_t(w) * std::size_t(h) * 4);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            auto* p = &image.rgba[(std::size_t(y) * std::size_t(w) + std::size_t(x)) * 4];
            p[0] = std::uint8_t(x * 255 / std::max(1, w - 1));
            p[1] = std::uint8_t(y * 255 / std::max(1, h - 1));
            p[2] = 120;
            p[3] = 255;
        }
    }
    auto png = content::encode_png(image);
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<char const*>(png.data()), std::streamsize(png.size()));
}

// A small valid source folder: two slides (hero + stats) in en and zh.
inline void write_sample_source(std::filesystem::path const& dir, int version = 1)
{
    write_text(dir / "pack.toml",
        "pack_id = \"test-pack\"\nversion = " + std::to_string(version)
            + "\ntarget = \"lobby-*\"\ndefault_language = \"en\"\nlanguages = [\"en\", \"zh\"]\n"
              "[title]\nen = \"Test pack\"\nzh = \"测试内容包\"\n");
    write_png(dir / "images/a.png", 320, 180);
    write_text(dir / "slides/01-hero.toml", R"(layout = "hero"
duration_ms = 5000
image = "images/a.png"
[en]
kicker = "Kicker"
title = "International cooperation"
body = "Partners in more than 50 countries and regions."
[zh]
kicker = "标签"
title = "国际合作"
body = "与 50 多个国家和地区的伙伴合作。"
)");
    write_text(dir / "slides/02-stats.toml", R"(layout = "stats"
duration_ms = 7000
[en]
title = "2017 in numbers"
[[en.stats]]
value = "615"
label = "visits in and out"
[[en.stats]]
value = "2,400"
label = "million in funding"
[zh]
title = "2017 年数据"
[[zh.stats]]
value = "615"
label = "人次出访与来访"
[[zh.stats]]
value = "24 亿"
label = "国际合作经费"
)");
}

// Runs a shell command, returns its exit status; stdout+stderr go to `output` if given.
inline int run_command(std::string const& command, std::string* output = nullptr)
{
    std::string const full = command + " 2>&1";
    FILE* pipe = ::popen(full.c_str(), "r");
    if (!pipe)
        return -1;
    char buffer[4096];
    std::string collected;
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
        collected.append(buffer, n);
    int const status = ::pclose(pipe);
    if (output)
        *output = collected;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Decodes a PNG written by the app (test fails if it cannot).
inline content::Image load_png(std::filesystem::path const& path)
{
    auto bytes = files::read_file(path, 64 * 1024 * 1024);
    INFO(path.string());
    REQUIRE(bytes.ok());
    auto image = content::decode_image(*bytes, 8192);
    REQUIRE(image.ok());
    return std::move(image.value());
}

// Fraction of pixels in [x0, x1) x [y0, y1) brighter than `threshold` (max of R, G, B): where text is.
inline double bright_fraction(content::Image const& image, int x0, int y0, int x1, int y1, int threshold = 200)
{
    int bright = 0, total = 0;
    for (int y = y0; y < y1; ++y) {
        for (int x = x0; x < x1; ++x) {
            auto const* p = &image.rgba[(std::size_t(y) * std::size_t(image.width_px) + std::size_t(x)) * 4];
            bright += std::max({ p[0], p[1], p[2] }) > threshold ? 1 : 0;
            ++total;
        }
    }
    return total ? double(bright) / total : 0.0;
}

inline std::string quote(std::filesystem::path const& path)
{
    return "'" + path.string() + "'";
}

// The command line of the real `kiosk`, hermetic: unless `args` names its own, it gets an empty
// config file (so /etc/kiosk/kiosk.toml is never read) and a data folder, both under `dir`
// (so /var/lib/kiosk is never created). Add --no-updates to args where updates are not the point.
inline std::string kiosk_command(std::filesystem::path const& dir, std::string const& args)
{
    std::string command = KIOSK_BIN;
    if (args.find("--config ") == std::string::npos) {
        write_text(dir / "kiosk-empty.toml", "");
        command += " --config " + quote(dir / "kiosk-empty.toml");
    }
    if (args.find("--data-dir ") == std::string::npos)
        command += " --data-dir " + quote(dir / "kiosk-data");
    return command + " " + args;
}

// The real `kiosk` running in the background, hermetic as kiosk_command (an empty config file and
// a data folder under `dir` unless args name theirs), stdout and stderr in dir/kiosk.log. stop()
// (or the destructor) ends it with SIGTERM, as systemd does, and returns its exit status.
class KioskProcess {
public:
    KioskProcess(std::filesystem::path const& dir, std::vector<std::string> args,
        std::vector<std::pair<std::string, std::string>> const& env = {})
        : m_log(dir / "kiosk.log")
    {
        auto const named = [&](char const* flag) { return std::find(args.begin(), args.end(), flag) != args.end(); };
        if (!named("--config")) {
            write_text(dir / "kiosk-empty.toml", "");
            args.insert(args.begin(), { "--config", (dir / "kiosk-empty.toml").string() });
        }
        if (!named("--data-dir"))
            args.insert(args.begin(), { "--data-dir", (dir / "kiosk-data").string() });
        args.insert(args.begin(), KIOSK_BIN);
        std::vector<char*> argv;
        for (auto& arg : args)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        m_pid = ::fork();
        if (m_pid == 0) {
            for (auto const& [name, value] : env)
                ::setenv(name.c_str(), value.c_str(), 1);
            FILE* log = std::fopen(m_log.c_str(), "w");
            if (!log)
                std::_Exit(127);
            ::dup2(::fileno(log), STDOUT_FILENO);
            ::dup2(::fileno(log), STDERR_FILENO);
            ::execv(argv[0], argv.data());
            std::_Exit(127);
        }
        REQUIRE(m_pid > 0);
    }
    ~KioskProcess()
    {
        if (m_pid > 0)
            stop();
    }
    KioskProcess(KioskProcess const&) = delete;
    KioskProcess& operator=(KioskProcess const&) = delete;

    std::string log() const { return read_text(m_log); }

    // Waits until the log holds `text` (true), or the process ended or the bound passed (false).
    bool wait_for_log(std::string const& text, std::chrono::milliseconds timeout = std::chrono::minutes(2))
    {
        auto const deadline = std::chrono::steady_clock::now() + timeout;
        while (log().find(text) == std::string::npos) {
            if (!running() || std::chrono::steady_clock::now() >= deadline)
                return log().find(text) != std::string::npos;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return true;
    }

    // SIGTERM, then waits for the exit (SIGKILL after a minute); the exit status, 128+N for signal N.
    int stop()
    {
        if (m_pid > 0 && running())
            ::kill(m_pid, SIGTERM);
        auto const deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
        while (m_pid > 0 && running()) {
            if (std::chrono::steady_clock::now() >= deadline)
                ::kill(m_pid, SIGKILL);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        m_pid = -1;
        return m_status;
    }

private:
    bool running()
    {
        if (m_pid <= 0)
            return false;
        int status = 0;
        pid_t const done = ::waitpid(m_pid, &status, WNOHANG);
        if (done != m_pid)
            return true;
        m_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        m_pid = 0;
        return false;
    }

    std::filesystem::path m_log;
    pid_t m_pid { -1 };
    int m_status { -1 };
};

// Polls `condition` until it holds or `timeout` passes; true when it held. For waiting on an
// event another process or thread makes (a line in a log, a file appearing): generous bounds,
// since the point is that it happens, not how fast (ASan builds are slow).
template<class Condition>
bool wait_until(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(60))
{
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

} // namespace kiosk::test
