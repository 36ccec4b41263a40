// ICU's raw line break opportunities against Unicode's own test data, LineBreakTest.txt (Debian
// package unicode-data). This checks the layer TextLayout builds on, with the same iterator it uses
// (createLineInstance(Locale("zh"))); TextLayout's clreq rules on top are tested in
// LineBreakingTests.cpp.

#include <catch2/catch.hpp>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr char const* line_break_test_path = "/usr/share/unicode/auxiliary/LineBreakTest.txt";

struct Sample {
    std::vector<UChar32> code_points;
    std::set<size_t> breaks; // code point indices with a "÷" before them, the end included
};

// "× 0023 × 0020 ÷ 0023 ÷	# comment": "÷" (U+00F7) marks a break opportunity, "×" (U+00D7) none.
bool parse(std::string const& line, Sample& sample)
{
    auto data = line.substr(0, line.find('#'));
    std::istringstream tokens(data);
    std::string token;
    while (tokens >> token) {
        if (token == "\u00F7")
            sample.breaks.insert(sample.code_points.size());
        else if (token != "\u00D7")
            sample.code_points.push_back(static_cast<UChar32>(std::stoul(token, nullptr, 16)));
    }
    sample.breaks.erase(0); // "÷" at the start of text is implied by UAX #14 (LB2 says ×); ICU never reports 0
    return !sample.code_points.empty();
}

std::set<size_t> icu_breaks(icu::BreakIterator& breaker, std::vector<UChar32> const& code_points)
{
    icu::UnicodeString text;
    std::vector<size_t> index_of;
    for (size_t i = 0; i < code_points.size(); ++i) {
        while (index_of.size() <= static_cast<size_t>(text.length()))
            index_of.push_back(i);
        text.append(code_points[i]);
    }
    while (index_of.size() <= static_cast<size_t>(text.length()))
        index_of.push_back(code_points.size());
    breaker.setText(text);
    std::set<size_t> breaks;
    for (int32_t at = breaker.next(); at != icu::BreakIterator::DONE; at = breaker.next())
        breaks.insert(index_of[static_cast<size_t>(at)]);
    return breaks;
}

} // namespace

TEST_CASE("ICU's line breaker agrees with Unicode's LineBreakTest.txt", "[text]")
{
    if (!std::filesystem::exists(line_break_test_path)) {
        WARN("SKIPPED: " << line_break_test_path << " not found; install the Debian package unicode-data");
        return;
    }
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> breaker(icu::BreakIterator::createLineInstance(icu::Locale("zh"), status));
    REQUIRE(U_SUCCESS(status));

    std::ifstream file(line_break_test_path);
    std::string line;
    size_t total = 0;
    size_t passed = 0;
    while (std::getline(file, line)) {
        Sample sample;
        if (!parse(line, sample))
            continue;
        ++total;
        if (icu_breaks(*breaker, sample.code_points) == sample.breaks)
            ++passed;
    }
    WARN("LineBreakTest: " << passed << "/" << total << " pass");
    REQUIRE(total > 1000);
    // ICU 72 implements Unicode 15.0, the version of Debian 12's file, and passes 7632 of 7654 (the
    // same with the root locale: zh has no tailoring of its own here). The 22 misses are ICU keeping
    // number-like sequences together where the file's simpler LB25 breaks: "-#", ",0", "a.2 ". A drop
    // below 99% means a different ICU or data file; look at what changed before lowering this.
    REQUIRE(static_cast<double>(passed) >= 0.99 * static_cast<double>(total));
}
