#include "kiosk/content/Text.h"

#include <sodium.h>

namespace kiosk::content {

namespace {

// Length of the sequence starting at text[i] and its code point, or 0 when malformed
// (RFC 3629: shortest form only, no surrogates, at most U+10FFFF).
std::size_t decode_one(std::string_view text, std::size_t i, char32_t& out)
{
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char const b0 = byte(i);
    if (b0 < 0x80) {
        out = b0;
        return 1;
    }
    std::size_t len = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2, cp = b0 & 0x1F, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, cp = b0 & 0x0F, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > text.size())
        return 0;
    for (std::size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    out = cp;
    return len;
}

} // namespace

bool is_valid_utf8(std::string_view text)
{
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        std::size_t const len = decode_one(text, i, cp);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

std::vector<char32_t> decode_utf8(std::string_view text)
{
    std::vector<char32_t> out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        char32_t cp = 0;
        std::size_t const len = decode_one(text, i, cp);
        if (len == 0) {
            out.push_back(U'\uFFFD');
            ++i;
        } else {
            out.push_back(cp);
            i += len;
        }
    }
    return out;
}

std::string sha256_hex(std::span<std::uint8_t const> bytes)
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, bytes.data(), bytes.size());
    char hex[2 * sizeof digest + 1]; // sodium_bin2hex writes a terminating NUL
    return sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
}

} // namespace kiosk::content
