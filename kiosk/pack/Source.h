#pragma once

// Reads a pack's source folder (docs/authoring.md): pack.toml, slides/*.toml (show order = file-name
// order), images/. Produces a Pack ready to write, or the list of problems found, each naming the
// file, line and field, so an editor can fix them all in one pass.

#include "kiosk/content/Pack.h"

#include <filesystem>
#include <string>
#include <vector>

namespace kiosk::pack {

struct Diagnostic {
    std::filesystem::path file;
    int line { 0 }; // 0 when the problem is about the whole file
    std::string field;
    std::string message;

    // "content/slides/03-letters.toml:12: body: text is not valid UTF-8"
    std::string to_string() const;
};

struct BuildOptions {
    int display_width_px { 1920 };
    int display_height_px { 1080 };
    std::optional<std::int64_t> version; // overrides pack.toml's version
    std::string created; // empty: no timestamp, so builds are reproducible
};

struct SourceResult {
    content::Pack pack;
    std::vector<Diagnostic> problems;
    // Per slide (same order as pack.slides): the source file, for tools that report by file:line.
    std::vector<std::filesystem::path> slide_files;
    bool ok() const { return problems.empty(); }
};

// Reads, validates and converts the source folder. Images are decoded, scaled down to cover the
// display size at most, re-encoded (opaque images as JPEG, images with transparency as PNG) and
// deduplicated by SHA-256.
SourceResult read_source(std::filesystem::path const& source_dir, BuildOptions const& options);

} // namespace kiosk::pack
