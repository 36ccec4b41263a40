#pragma once

// File helpers with the durability the kiosk needs: power can fail at any instant, so a file is
// either the old version or the new one, never half written.

#include "platform/Result.h"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace kiosk::files {

// Reads a whole regular file, refusing anything bigger than max_bytes (the error says the size).
// Never blocks on a FIFO and never opens a device: untrusted::read_regular_file.
Result<std::vector<std::uint8_t>> read_file(std::filesystem::path const& path, std::uint64_t max_bytes);

// Writes bytes to `path` atomically: a temp file in the same directory, fsync, rename over `path`,
// fsync the directory. On error the old file (if any) is untouched and the temp file removed.
Status write_file_atomic(std::filesystem::path const& path, std::span<std::uint8_t const> bytes);
Status write_file_atomic(std::filesystem::path const& path, std::string const& text);

// Renames a finished temp file into place with the same guarantees as write_file_atomic.
Status commit_file(std::filesystem::path const& temp_path, std::filesystem::path const& final_path);

// fsyncs a directory so a rename inside it survives a power cut.
Status fsync_directory(std::filesystem::path const& dir);

// strerror(errno) as a std::string, for messages.
std::string errno_text(int err);

} // namespace kiosk::files
