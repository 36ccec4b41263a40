#pragma once

// Shared by the fuzz targets (tests/fuzz/fuzz_*.cpp): reading structured values from the fuzzer's
// bytes, checking invariants, and a private temporary folder for targets that need files.
// Works with libFuzzer (clang) and with replay_main.cpp (any compiler), so it uses nothing from
// clang's <fuzzer/FuzzedDataProvider.h>.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <string_view>
#include <unistd.h>

// libFuzzer calls this once per input; replay_main.cpp calls it once per file.
extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size);

namespace kiosk::fuzz {

// An invariant that a mutant broke: print what and where, then abort so that libFuzzer saves the
// input as a crash (and a replay test fails).
[[noreturn]] inline void invariant_failed(char const* what, std::string const& detail, char const* file, int line)
{
    std::fprintf(
        stderr, "%s:%d: fuzz invariant failed: %s%s%s\n", file, line, what, detail.empty() ? "" : ": ", detail.c_str());
    std::abort();
}

#define KIOSK_FUZZ_CHECK(condition, detail)                                                                            \
    do {                                                                                                               \
        if (!(condition))                                                                                              \
            ::kiosk::fuzz::invariant_failed(#condition, (detail), __FILE__, __LINE__);                                 \
    } while (false)

// KIOSK_FUZZ_VERBOSE=1 makes targets say what each input did (accepted, refused and why, the
// gestures produced), to check that a seed reaches the code it was written for.
inline bool verbose()
{
    static bool const on = std::getenv("KIOSK_FUZZ_VERBOSE") != nullptr;
    return on;
}

// Consumes the fuzzer's bytes front to back; past the end every read returns zeros, so a short
// input is still a valid (small) case.
class ByteReader {
public:
    ByteReader(std::uint8_t const* data, std::size_t size)
        : m_bytes(data, size)
    {
    }

    bool empty() const { return m_pos >= m_bytes.size(); }
    std::size_t remaining() const { return empty() ? 0 : m_bytes.size() - m_pos; }

    std::uint8_t byte() { return empty() ? 0 : m_bytes[m_pos++]; }
    std::uint16_t u16() { return std::uint16_t(byte() | (byte() << 8)); }
    std::uint32_t u32() { return std::uint32_t(u16()) | (std::uint32_t(u16()) << 16); }
    std::uint64_t u64() { return std::uint64_t(u32()) | (std::uint64_t(u32()) << 32); }
    bool flag() { return (byte() & 1) != 0; }

    // An integer in [low, high] (inclusive), from as few bytes as the range needs.
    std::int64_t in_range(std::int64_t low, std::int64_t high)
    {
        auto const span = std::uint64_t(high - low);
        std::uint64_t raw = span <= 0xFF ? byte() : span <= 0xFFFF ? u16() : span <= 0xFFFF'FFFF ? u32() : u64();
        return low + std::int64_t(span == UINT64_MAX ? raw : raw % (span + 1));
    }

    // A real number in [low, high], 16 bits of resolution.
    double unit_range(double low, double high) { return low + (high - low) * (double(u16()) / 65535.0); }

    // Everything not read yet.
    std::string_view rest()
    {
        if (empty())
            return {};
        std::string_view out(reinterpret_cast<char const*>(m_bytes.data() + m_pos), m_bytes.size() - m_pos);
        m_pos = m_bytes.size();
        return out;
    }

private:
    std::span<std::uint8_t const> m_bytes;
    std::size_t m_pos { 0 };
};

// A folder of this process's own under $TMPDIR (make fuzz points TMPDIR into build-fuzz/), removed
// when the process ends normally. Targets clear it after every input.
class TempDir {
public:
    explicit TempDir(std::string const& name)
    {
        char const* base = std::getenv("TMPDIR");
        std::string templ = std::string(base && *base ? base : "/tmp") + "/kiosk-fuzz-" + name + "-XXXXXX";
        if (!::mkdtemp(templ.data())) {
            std::perror("kiosk fuzz: mkdtemp");
            std::abort();
        }
        m_path = templ;
    }
    ~TempDir()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    TempDir(TempDir const&) = delete;
    TempDir& operator=(TempDir const&) = delete;

    std::filesystem::path const& path() const { return m_path; }

    std::filesystem::path write(std::string const& name, std::uint8_t const* data, std::size_t size) const
    {
        auto const file = m_path / name;
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<char const*>(data), std::streamsize(size));
        out.close();
        if (!out) {
            std::fprintf(stderr, "kiosk fuzz: cannot write %s\n", file.c_str());
            std::abort();
        }
        return file;
    }

    // Removes whatever the last input left (a pack's -journal or -wal, written files).
    void clear() const
    {
        std::error_code ignored;
        for (auto const& entry : std::filesystem::directory_iterator(m_path, ignored))
            std::filesystem::remove_all(entry.path(), ignored);
    }

private:
    std::filesystem::path m_path;
};

// True when text is well-formed UTF-8 (an independent check, not the module's own validator).
inline bool well_formed_utf8(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        auto const c = std::uint8_t(text[i]);
        std::size_t length = 0;
        char32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            length = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + length > text.size())
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            auto const cc = std::uint8_t(text[i + k]);
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        bool const overlong
            = (length == 2 && cp < 0x80) || (length == 3 && cp < 0x800) || (length == 4 && cp < 0x10000);
        if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

} // namespace kiosk::fuzz
