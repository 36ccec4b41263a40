#pragma once

// What the updater tells the app, in order, for each stick or inbox change it looks at:
//   Detected -> Progress... -> Installed | Refused | Failed
// A refusal from the signature alone comes right after Detected, before any Progress; a stick
// without any pack gives a single Refused. Plain data, safe to move between threads.

#include "kiosk/content/Pack.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <variant>

namespace kiosk::update {

// A pack was found and is about to be checked and copied ("checking the update...").
struct Detected {
    std::filesystem::path file; // the pack, or the folder when it holds several
};

// Copying to local storage; bytes_done grows to bytes_total. Consecutive Progress events are
// merged in the queue, so a slow reader of events only sees the latest.
struct Progress {
    std::uint64_t bytes_done { 0 };
    std::uint64_t bytes_total { 0 };
};

// The pack is not for this display or not acceptable (signature, target, version, content).
// `reason` is a sentence for staff, e.g. "news.kpack: version 3 is not newer than version 3,
// already installed here".
struct Refused {
    std::filesystem::path file; // the pack, or the stick's folder when it holds no pack
    std::string reason;
    // Exactly this version is already the current pack: "up to date" news rather than a problem.
    bool already_installed { false };
};

// The import could not be completed (stick pulled, disk full, I/O error); the old pack stays.
struct Failed {
    std::filesystem::path file;
    std::string reason;
};

// The pack is installed and current in the store. The app activates it at the next slide boundary:
// `pack` is the verified content, already read, so activation needs no disk access.
struct Installed {
    std::filesystem::path path; // in the data directory's packs/
    std::string pack_id;
    std::int64_t version { 0 };
    std::map<std::string, std::string> title; // by language code
    std::size_t slide_count { 0 };
    std::shared_ptr<content::Pack const> pack;
};

using UpdateEvent = std::variant<Detected, Progress, Refused, Failed, Installed>;

} // namespace kiosk::update
