// Fuzz target: the pack reader and validator (kiosk/content/PackReader), the code that reads a
// stranger's .kpack at import (IntegrityCheck::Full) and at every start. The input is the whole
// file: it is written to a temporary file and opened with read_pack, as the importer does after
// the signature check (a signed pack is still untrusted input: keys leak, tools have bugs).
//
// Contract (PackReader.h, Pack.h, docs/pack-format.md), checked on every pack the reader accepts:
// - every field is within PackLimits, every string is well-formed UTF-8 of bounded length, every
//   image is PNG/JPEG with the recorded hash, size and type, every reference resolves;
// - what the reader accepts, write_pack can write and read_pack reads back unchanged (a display
//   that re-packs or copies a pack never turns a good pack into a refused one);
// and on every pack it refuses: the message names the file.

#include "PackChecks.h"

#include <cstdio>

using namespace kiosk::content;

namespace {

kiosk::fuzz::TempDir& temp_dir()
{
    static kiosk::fuzz::TempDir dir("pack");
    return dir;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    auto& dir = temp_dir();
    auto const path = dir.write("input.kpack", data, size);
    auto const pack = read_pack(path, IntegrityCheck::Full);
    if (kiosk::fuzz::verbose())
        std::fprintf(stderr, "  %s\n",
            pack ? ("accepted, " + std::to_string(pack->slides.size()) + " slides").c_str()
                 : ("refused: " + pack.message()).c_str());
    if (!pack) {
        KIOSK_FUZZ_CHECK(
            pack.message().starts_with(path.string()), "a refusal that does not name the file: " + pack.message());
    } else {
        kiosk::fuzz::check_accepted_pack(pack.value(), dir);
    }
    dir.clear();
    return 0;
}
