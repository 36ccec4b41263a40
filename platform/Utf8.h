#pragma once

// UTF-8 encoding of one code point, for the layout and the authoring tool. ICU's header-only
// U8_APPEND does the encoding (no ICU library is linked for it). Validation and decoding of
// untrusted text are in kiosk/content/Text.h.

#include <cstdint>
#include <string>
#include <unicode/utf8.h>

namespace kiosk {

// Appends the UTF-8 encoding of `code_point`. A value that is not a Unicode scalar value (a
// surrogate, or past U+10FFFF) appends nothing.
inline void append_utf8(std::string& out, char32_t code_point)
{
    char buffer[U8_MAX_LENGTH];
    std::int32_t length = 0;
    bool failed = false;
    U8_APPEND(buffer, length, std::int32_t(sizeof buffer), static_cast<UChar32>(code_point), failed);
    if (!failed)
        out.append(buffer, std::size_t(length));
}

} // namespace kiosk
