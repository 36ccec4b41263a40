#pragma once

// Reads and validates a .kpack file into a Pack. Every byte is treated as hostile: the file is opened
// read-only with SQLite's defensive settings, its schema must be exactly format version 1, every
// field is bounded, every string must be valid UTF-8, every image's hash must match and its header
// must declare bounded dimensions. The signature is checked elsewhere (update/), before this runs.
// On error the message names the file and the first problem found; no partial Pack is returned.

#include "kiosk/content/Pack.h"
#include "platform/Result.h"

#include <filesystem>

namespace kiosk::content {

enum class IntegrityCheck {
    Quick, // PRAGMA quick_check: enough at start-up
    Full, // PRAGMA integrity_check: for `kiosk-pack verify` and imports
};

Result<Pack> read_pack(std::filesystem::path const& path, IntegrityCheck check = IntegrityCheck::Quick);

// Writes a Pack as a new .kpack atomically (temp file + fsync + rename): an interrupted write never
// leaves a half pack at `path`. The output depends only on the Pack: same Pack, same bytes.
Status write_pack(Pack const& pack, std::filesystem::path const& path);

} // namespace kiosk::content
