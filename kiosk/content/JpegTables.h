#pragma once

// A guard for a memory-safety bug of the stb_image Debian 12 ships (libstb-dev
// 0.0~git20220908): stbi__build_huffman writes one entry per Huffman code into a 257-entry table
// without checking the count, so a JPEG whose DHT segment declares more than 256 codes in one
// table writes past it (out of bounds; found by fuzzing, tests/fuzz/regressions/image/). Upstream
// stb fixed it in 2.28 ("bad size list"). Checked before stb sees the bytes, in the header
// (stbi_info) and the decode path alike.

#include <cstdint>
#include <span>

namespace kiosk::content {

// False when some DHT segment stb could read declares more than 256 codes in one table. Errs on the
// safe side: after the first frame or scan header every FF C4 in the file counts as a DHT, so a
// damaged file may be refused that stb would have rejected anyway; no valid JPEG is refused (one
// table of a real JPEG holds at most 256 codes, and entropy-coded data never holds FF C4).
bool jpeg_huffman_tables_fit(std::span<std::uint8_t const> bytes);

} // namespace kiosk::content
