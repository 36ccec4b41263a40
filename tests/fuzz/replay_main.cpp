// Replays files through a fuzz target's LLVMFuzzerTestOneInput without libFuzzer, so a normal
// (gcc, ASan+UBSan on CI) build checks the seed corpus and every saved finding as a CTest test.
//
//   kiosk-fuzz-replay-<target> PATH...   each PATH a file or a folder of files (not recursive)
//
// A failed invariant aborts (see FuzzSupport.h), which fails the test and names the file being
// replayed. A folder that does not exist is skipped (a target may have no findings yet); no input
// at all is an error, because a replay of nothing checks nothing.

#include "FuzzSupport.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace fs = std::filesystem;

namespace {

void replay(fs::path const& file)
{
    std::ifstream in(file, std::ios::binary);
    std::vector<char> const bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.eof() && in.fail()) {
        std::fprintf(stderr, "%s: cannot read\n", file.c_str());
        std::exit(1);
    }
    std::fprintf(stderr, "replaying %s (%zu bytes)\n", file.c_str(), bytes.size());
    LLVMFuzzerTestOneInput(reinterpret_cast<std::uint8_t const*>(bytes.data()), bytes.size());
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        fs::path const path = argv[i];
        std::error_code ec;
        if (fs::is_directory(path, ec)) {
            for (auto const& entry : fs::directory_iterator(path)) {
                if (entry.is_regular_file() && entry.path().filename().string().front() != '.'
                    && entry.path().extension() != ".md")
                    files.push_back(entry.path());
            }
        } else if (fs::is_regular_file(path, ec)) {
            files.push_back(path);
        } else {
            std::fprintf(stderr, "%s: no such file or folder, skipped\n", path.c_str());
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "no inputs to replay\n");
        return 1;
    }
    std::sort(files.begin(), files.end());
    for (auto const& file : files)
        replay(file);
    std::fprintf(stderr, "replayed %zu inputs, every invariant held\n", files.size());
    return 0;
}
