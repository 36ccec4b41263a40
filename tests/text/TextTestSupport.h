#pragma once

// Shared by the [text] tests: the shipped fonts (real files, as the kiosk uses them) and small
// Unicode helpers for asserting on lines.

#include "kiosk/text/FontSet.h"

#include <unicode/unistr.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace kiosk::text::test {

inline constexpr char const* fonts_dir = KIOSK_SOURCE_DIR "/assets/fonts";

// One FontSet for the test thread, opened once: the fonts are the fixtures.
inline FontSet& fonts()
{
    static FontSet set = [] {
        auto opened = FontSet::open(fonts_dir);
        if (!opened)
            throw std::runtime_error(opened.message());
        return std::move(opened).value();
    }();
    return set;
}

inline std::u32string to_u32(std::string_view utf8)
{
    auto utf16 = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
    std::u32string out;
    for (int32_t i = 0; i < utf16.length(); i = utf16.moveIndex32(i, 1))
        out += static_cast<char32_t>(utf16.char32At(i));
    return out;
}

} // namespace kiosk::text::test
