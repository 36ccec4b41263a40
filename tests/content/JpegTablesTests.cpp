#include "kiosk/content/Image.h"
#include "kiosk/content/JpegTables.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

using namespace kiosk::content;

namespace {

std::vector<std::uint8_t> read_bytes(std::filesystem::path const& path)
{
    std::ifstream in(path, std::ios::binary);
    return { std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>() };
}

std::filesystem::path const fuzz_dir = std::filesystem::path(KIOSK_SOURCE_DIR) / "tests/fuzz";

} // namespace

// The fuzz finding in tests/fuzz/regressions/image/: 9 bytes whose Huffman table declares 264
// codes made stb_image write past its 257-entry table while only reading the header.
TEST_CASE("A JPEG whose Huffman table declares more than 256 codes is refused before stb reads it", "[content]")
{
    auto const bytes = read_bytes(fuzz_dir / "regressions/image/jpeg-dht-more-than-256-codes");
    REQUIRE(bytes.size() == 9);
    CHECK_FALSE(jpeg_huffman_tables_fit(bytes));
    auto const info = probe_image(bytes);
    REQUIRE_FALSE(info);
    CHECK(info.message().find("Huffman table declares more than 256 codes") != std::string::npos);
    CHECK_FALSE(decode_image(bytes, 64));

    // The same table after the frame header, where stb meets it while decoding scans.
    std::vector<std::uint8_t> late { 0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11,
        0x00 };
    late.insert(late.end(), bytes.begin() + 2, bytes.end());
    CHECK_FALSE(jpeg_huffman_tables_fit(late));
}

TEST_CASE("Real JPEGs keep their Huffman tables", "[content]")
{
    int jpegs = 0;
    for (auto const& entry : std::filesystem::directory_iterator(fuzz_dir / "corpus/image")) {
        if (entry.path().extension() != ".jpeg")
            continue;
        auto const bytes = read_bytes(entry.path());
        INFO(entry.path());
        CHECK(jpeg_huffman_tables_fit(bytes));
        CHECK(decode_image(bytes, 64));
        ++jpegs;
    }
    // A table of 256 codes, the most one may hold, still fits: 255 codes of 9 bits and one of 10.
    std::vector<std::uint8_t> full { 0xFF, 0xD8, 0xFF, 0xC4, 0x01, 0x13, 0x10 };
    std::vector<std::uint8_t> counts(16, 0);
    counts[8] = 255;
    counts[9] = 1;
    full.insert(full.end(), counts.begin(), counts.end());
    full.resize(full.size() + 256, 0);
    CHECK(jpeg_huffman_tables_fit(full));
    CHECK(jpegs >= 3);
}
