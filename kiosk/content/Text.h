#pragma once

// Small text utilities shared by the reader, the authoring tool and the layout.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::content {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
bool is_valid_utf8(std::string_view text);

// Decodes well-formed UTF-8 into code points (call is_valid_utf8 first for untrusted input;
// malformed bytes decode as U+FFFD).
std::vector<char32_t> decode_utf8(std::string_view text);

// Lowercase hex SHA-256 of bytes (libsodium). UTF-8 encoding is in platform/Utf8.h.
std::string sha256_hex(std::span<std::uint8_t const> bytes);

} // namespace kiosk::content
