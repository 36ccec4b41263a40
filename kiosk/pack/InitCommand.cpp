// `kiosk-pack init DIR`: a new source folder an editor can start from: two example slides in English
// and Chinese, each field explained where it is written, and an image made here (no downloads).

#include "kiosk/content/Image.h"
#include "kiosk/pack/Commands.h"
#include "platform/Files.h"

#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>

namespace kiosk::pack {

namespace {

namespace fs = std::filesystem;

constexpr char const* pack_toml = R"(# pack.toml: what the whole pack is. Edit the values, keep the keys.
# Every slide lives in slides/, one file per slide, shown in file-name order.

# A short name for this content; displays accept packs whose pack_id they know.
pack_id = "my-lobby"

# Raise this number for every pack you hand out: a display refuses a version it already has.
version = 1

# Which displays this pack is for: a device-group pattern, * and ? are wildcards ("lobby-*").
target = "*"

# The languages every slide must have, and the one shown first.
languages = ["en", "zh"]
default_language = "en"

# The pack's title in each language, shown when a display installs it.
[title]
en = "Our institute"
zh = "我们的研究所"
)";

constexpr char const* hero_toml = R"(# A "hero" slide: one big image with text over its darker left part.
# Layouts: hero (image + text), text (text beside an image), stats (2 to 4 big numbers), quote.
layout = "hero"

# How long the slide stands, in milliseconds (1000 to 600000). Leave time to read both languages:
# `kiosk-pack lint` warns when a slide is too short for its text.
duration_ms = 9000

# The image, relative to this folder (PNG or JPEG). Best at the display size (1920x1080) or larger;
# the build scales it down to fit and re-encodes it.
image = "images/welcome.png"

# Optional highlight colour for the kicker and numbers.
accent = "#4FA3E0"

# The text in each language listed in pack.toml. Every language needs the same fields.
[en]
kicker = "Welcome"                  # small line above the title (optional)
title = "Science that connects countries"
body = "Replace this text with a short paragraph: two or three sentences a visitor reads in passing."
caption = "Source: our annual report" # small line at the bottom (optional)

[zh]
kicker = "欢迎"
title = "连接世界的科学"
body = "请在这里写一段简短的介绍：两三句话，让路过的来访者一眼读完。"
caption = "资料来源：年度报告"
)";

constexpr char const* stats_toml = R"(# A "stats" slide: two to four big numbers, each with a label. No image needed.
layout = "stats"
duration_ms = 10000

[en]
title = "A year in numbers"
body = "One sentence that says what the numbers are about."
# One [[en.stats]] block per number; the same count in every language, in the same order.
[[en.stats]]
value = "20+"
label = "partner countries"
[[en.stats]]
value = "615"
label = "visits made and hosted"

[zh]
title = "数说一年"
body = "用一句话说明这些数字的含义。"
[[zh.stats]]
value = "20+"
label = "个合作国家"
[[zh.stats]]
value = "615"
label = "人次出访和来访"
)";

// A calm 1920x1080 gradient with soft rings: a placeholder an editor replaces.
content::Image example_image()
{
    content::Image image;
    image.width_px = 1920;
    image.height_px = 1080;
    image.rgba.resize(std::size_t(image.width_px) * std::size_t(image.height_px) * 4);
    for (int y = 0; y < image.height_px; ++y) {
        for (int x = 0; x < image.width_px; ++x) {
            double const t = double(x) / image.width_px;
            double const ring = std::sin(std::hypot(x - 1450.0, y - 420.0) / 38.0) * 0.5 + 0.5;
            double const glow = std::max(0.0, 1.0 - std::hypot(x - 1450.0, y - 420.0) / 700.0);
            auto* p = &image.rgba[(std::size_t(y) * std::size_t(image.width_px) + std::size_t(x)) * 4];
            p[0] = std::uint8_t(10 + 20 * t + 25 * glow * ring);
            p[1] = std::uint8_t(18 + 50 * t + 60 * glow * ring);
            p[2] = std::uint8_t(32 + 80 * t + 90 * glow * ring);
            p[3] = 255;
        }
    }
    return image;
}

int run_init(fs::path const& dir)
{
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
        std::cerr << dir.string() << ": already exists and is not empty; choose a new folder\n";
        return exit_input_error;
    }
    fs::create_directories(dir / "slides", ec);
    fs::create_directories(dir / "images", ec);
    if (ec) {
        std::cerr << dir.string() << ": cannot create the folder: " << ec.message() << '\n';
        return exit_input_error;
    }
    auto const png = content::encode_png(example_image());
    for (auto const& written : { files::write_file_atomic(dir / "pack.toml", std::string(pack_toml)),
             files::write_file_atomic(dir / "slides/01-welcome.toml", std::string(hero_toml)),
             files::write_file_atomic(dir / "slides/02-numbers.toml", std::string(stats_toml)),
             files::write_file_atomic(dir / "images/welcome.png", png) }) {
        if (!written) {
            std::cerr << "kiosk-pack init: " << written.message() << '\n';
            return exit_input_error;
        }
    }
    std::cout << "Created " << dir.string() << " with two example slides. Next:\n"
              << "  edit " << (dir / "pack.toml").string() << " and the files in " << (dir / "slides").string()
              << "\n  kiosk-pack lint " << dir.string() << "\n  kiosk-pack build " << dir.string()
              << " -o my-lobby.kpack\n";
    return exit_ok;
}

} // namespace

void add_init_command(CLI::App& app, int& exit_code)
{
    auto dir = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("init", "Create a new source folder with two example slides (EN + ZH)");
    cmd->add_option("dir", *dir, "Folder to create (must not exist, or be empty)")->required();
    cmd->callback([dir, &exit_code] { exit_code = run_init(*dir); });
}

} // namespace kiosk::pack
