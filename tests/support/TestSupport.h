#pragma once

// Shared helpers for tests: temporary folders, a tiny pack source written to disk, running the real
// executables. Header-only so every test executable can use it.

#include "kiosk/content/Image.h"
#include "platform/Files.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

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

} // namespace kiosk::test
