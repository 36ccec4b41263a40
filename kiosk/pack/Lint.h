#pragma once

// `kiosk-pack lint`: the preflight an editor runs before walking to the displays. It reads a source
// folder (with read_source, so every build error is a lint finding too) or a built .kpack, then lays
// out every slide with the app's own code (render::SlideComposer: the same boxes, fonts and
// fit-to-box) in each language order of the app's dual mode and on each screen asked for, and
// reports what a visitor would suffer: text that does not fit or had to be cut short, characters
// the shipped fonts lack (tofu), images enlarged past their pixels, missing translations and slides
// too short to read. docs/authoring.md lists every message. Dual mode is the tightest: a
// single-language slide (toggle and alternate modes) gets the same or larger boxes for its text.
//
// Findings point at the source: file:line and field for a source folder, slide number, name and
// field for a .kpack. Stateless; uses the caller's FontSet (main thread, like the composer's).

#include "kiosk/render/SlideComposer.h"
#include "kiosk/text/FontSet.h"
#include "platform/Result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::pack {

// Reading-speed heuristic for "too short to read". A visitor reads one language, the one in front,
// so each language is checked as the primary one, counting the text the layout draws large for it
// (title, body or quote, stat values and labels; kickers and captions are glanced at, not read):
// 250 ms per word (240 words a minute, an ordinary silent reading speed) and 120 ms per Chinese
// character (500 a minute, a fast reader: kept lenient, since Chinese reading speeds vary a lot).
// A word is a run of letters or digits between spaces or Chinese characters, so 2017年 is a word
// and a character.
constexpr int lint_ms_per_word = 250;
constexpr int lint_ms_per_cjk_character = 120;

// An image is reported as blurry when the kiosk has to enlarge it by more than this factor: a few
// percent of enlargement cannot be seen.
constexpr double lint_max_upscale = 1.02;

struct LintProblem {
    std::filesystem::path file; // a source file; empty for a .kpack
    int line { 0 }; // 0 when the problem is about the whole file
    int slide { 0 }; // 1-based; 0 when not about one slide (pack.toml, the pack's meta)
    std::string slide_name; // "03-letters"
    std::string field; // "en.body", "zh.stats[2].label", "image", "duration_ms"
    std::string message;

    // "content/slides/03-letters.toml:12: en.body: ..." or "slide 3 (03-letters): en.body: ...".
    std::string to_string() const;
};

enum class Orientation {
    AsDisplay, // the display size as given
    Landscape, // the display turned so that it is wider than high
    Portrait, // turned so that it is higher than wide: a display mounted with rotation 90 or 270
    Both,
};

struct LintOptions {
    // The display to lay out on; none: the pack's display size, or 1920×1080 for a source folder.
    // A source folder's images are scaled for it, as `kiosk-pack build --display` does.
    std::optional<render::ScreenSize> display;
    Orientation orientation { Orientation::AsDisplay };
};

struct LintReport {
    std::vector<LintProblem> problems; // sorted by file and line, or by slide
    int slide_count { 0 };

    bool clean() const { return problems.empty(); }
    // "lint: 3 problems in 2 slides" or "lint: clean, 17 slides".
    std::string summary() const;
};

// Lints a source folder or a .kpack. An error (exit 2) means the input could not be read at all: no
// such path, or a .kpack that does not open. Everything else is a finding in the report.
Result<LintReport> lint(std::filesystem::path const& input, LintOptions const& options, text::FontSet& fonts);

} // namespace kiosk::pack
