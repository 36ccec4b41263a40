#include "kiosk/content/JpegTables.h"

#include <cstddef>

namespace kiosk::content {

namespace {

// Reads past the end as 0, as stb's stbi__get8 does.
struct Bytes {
    std::span<std::uint8_t const> data;
    std::uint8_t at(std::size_t i) const { return i < data.size() ? data[i] : 0; }
    int be16(std::size_t i) const { return (at(i) << 8) | at(i + 1); }
};

// The DHT segment whose length field starts at `pos`, walked the way stbi__process_marker reads
// it: tables while the length lasts, each a class/id byte, 16 code counts and the values.
bool dht_fits(Bytes const& bytes, std::size_t pos)
{
    int length = bytes.be16(pos) - 2;
    pos += 2;
    while (length > 0) {
        int const q = bytes.at(pos++);
        if ((q >> 4) > 1 || (q & 15) > 3)
            return true; // stb stops with "bad DHT header" before building anything
        int codes = 0;
        for (int i = 0; i < 16; ++i)
            codes += bytes.at(pos++);
        if (codes > 256)
            return false;
        pos += std::size_t(codes);
        length -= 17 + codes;
    }
    return true;
}

bool is_frame_or_scan(std::uint8_t marker)
{
    return marker == 0xDA || (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC);
}

} // namespace

bool jpeg_huffman_tables_fit(std::span<std::uint8_t const> data)
{
    Bytes const bytes { data };
    // The header, segment by segment as stbi__decode_jpeg_header walks it (skipping stray bytes
    // between segments, as its marker search does), up to the first frame or scan header.
    std::size_t i = 2; // after SOI
    while (i < data.size()) {
        if (data[i++] != 0xFF)
            continue;
        while (i < data.size() && data[i] == 0xFF)
            ++i; // fill bytes
        if (i >= data.size())
            return true;
        std::uint8_t const marker = data[i++];
        if (is_frame_or_scan(marker))
            break;
        bool const segment = marker == 0xC4 || marker == 0xDB || marker == 0xDD || (marker >= 0xE0 && marker <= 0xEF)
            || marker == 0xFE;
        if (!segment)
            return true; // stb stops at an unknown marker ("unknown marker"), having built nothing more
        if (marker == 0xC4 && !dht_fits(bytes, i))
            return false;
        int const length = bytes.be16(i);
        if (length < 2)
            return true; // stb refuses the segment
        i += std::size_t(length);
    }
    // From the frame header on, stb reads markers wherever its scan decoding finds an FF followed
    // by a marker byte: check every FF C4.
    for (std::size_t k = i - 1; k + 1 < data.size(); ++k) {
        if (data[k] == 0xFF && data[k + 1] == 0xC4 && !dht_fits(bytes, k + 2))
            return false;
    }
    return true;
}

} // namespace kiosk::content
