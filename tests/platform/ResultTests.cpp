// KIOSK_TRY and KIOSK_TRY_ASSIGN propagate the first error unchanged and stop there.

#include "platform/Result.h"

#include <catch2/catch.hpp>
#include <string>

using namespace kiosk;

namespace {

Result<int> parse_digit(char c)
{
    if (c < '0' || c > '9')
        return make_error(std::string("'") + c + "' is not a digit");
    return c - '0';
}

Result<int> sum_digits(std::string const& text, int& steps)
{
    int sum = 0;
    for (char c : text) {
        KIOSK_TRY_ASSIGN(int const digit, parse_digit(c));
        ++steps;
        sum += digit;
    }
    return sum;
}

Status all_digits(std::string const& text)
{
    int steps = 0;
    KIOSK_TRY(sum_digits(text, steps));
    return {};
}

} // namespace

TEST_CASE("KIOSK_TRY_ASSIGN yields the value or returns the first error", "[platform]")
{
    int steps = 0;
    auto const sum = sum_digits("123", steps);
    REQUIRE(sum.ok());
    CHECK(sum.value() == 6);
    CHECK(steps == 3);

    steps = 0;
    auto const bad = sum_digits("1x2y", steps);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.message() == "'x' is not a digit");
    CHECK(steps == 1); // stopped at the first error

    // Into an existing variable, and through a Status-returning function.
    int target = 0;
    auto assign = [&]() -> Status {
        KIOSK_TRY_ASSIGN(target, parse_digit('7'));
        return {};
    };
    CHECK(assign().ok());
    CHECK(target == 7);
    CHECK(all_digits("42").ok());
    CHECK(all_digits("4z").message() == "'z' is not a digit");
}
