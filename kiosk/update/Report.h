#pragma once

// The import report left on a USB stick, so the staff member who walks a stick from display to
// display can see afterwards which displays took the update and why others did not:
// kiosk-report-<device id>.txt in the stick's root, one file per display, replaced on each visit.
// It is the only file the kiosk ever writes to a stick, written as temp + fsync + rename so a stick
// pulled too early holds the old report or the new one. A read-only stick (the default mount, see
// docs/operations.md) is not an error: write_report says so and the caller logs it.

#include "kiosk/update/Importer.h"
#include "kiosk/update/Store.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace kiosk::update {

struct ImportReport {
    std::string device_id;
    std::string device_group;
    std::int64_t unix_time_s { 0 };
    std::filesystem::path stick_root;
    ImportOutcome::Kind kind { ImportOutcome::Kind::Failed };
    std::filesystem::path file; // the pack looked at
    std::string reason;
    std::optional<StoredPack> now_showing; // the store's current pack after the import; nullopt: built-in
};

std::string format_report(ImportReport const& report);

// "kiosk-report-lobby-3.txt"; characters unsafe in a FAT file name become '_'.
std::string report_file_name(std::string const& device_id);

Status write_report(std::filesystem::path const& stick_root, std::string const& device_id, std::string const& text);

} // namespace kiosk::update
