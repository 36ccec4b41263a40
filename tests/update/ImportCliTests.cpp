// `kiosk import`: the same importer for operators and scripts, with exit codes 0/1/2 and the reason
// on stderr.

#include "UpdateTestSupport.h"

using namespace kiosk;
using namespace kiosk::test;

namespace {

int kiosk_import(UpdateFixture const& fixture, fs::path const& pack, std::string* output, std::string const& extra = "")
{
    return run_command(std::string(KIOSK_BIN) + " import " + quote(pack) + " --data-dir " + quote(fixture.data)
            + " --keys " + quote(fixture.config.keys_dir) + " --device-group " + fixture.config.device_group + " "
            + extra,
        output);
}

} // namespace

TEST_CASE("kiosk import installs, refuses and fails with exit codes 0, 1 and 2", "[update][cli]")
{
    UpdateFixture fixture;
    fs::path const v2 = fixture.put_pack(2);
    std::string output;

    int rc = kiosk_import(fixture, v2, &output);
    INFO(output);
    CHECK(rc == 0);
    CHECK_THAT(output, Catch::Contains("installed test-pack version 2 (2 slides)"));
    CHECK(fixture.version_at_boot() == 2);

    // The same pack again: refused, with the reason.
    rc = kiosk_import(fixture, v2, &output);
    CHECK(rc == 1);
    CHECK_THAT(output, Catch::Contains("refused: news.kpack (test-pack version 2) is already installed"));

    // An older one.
    fs::path const v1 = fixture.put_pack(1, "old.kpack");
    rc = kiosk_import(fixture, v1, &output);
    CHECK(rc == 1);
    CHECK_THAT(output, Catch::Contains("is older than version 2, installed here before"));

    // Wrong group.
    rc = kiosk_import(fixture, fixture.put_pack(3, "new.kpack"), &output, "--device-group stand-3");
    CHECK(rc == 1);
    CHECK_THAT(output, Catch::Contains("this display is in group 'stand-3'"));

    // Errors: a missing file, a bad option.
    rc = kiosk_import(fixture, fixture.stick / "missing.kpack", &output);
    CHECK(rc == 2);
    CHECK_THAT(output, Catch::Contains("missing.kpack"));
    rc = run_command(std::string(KIOSK_BIN) + " import --frobnicate", &output);
    CHECK(rc == 2);
    CHECK_THAT(output, Catch::Contains("unknown option --frobnicate"));
    rc = run_command(std::string(KIOSK_BIN) + " import " + quote(v2) + " --data-dir " + quote(fixture.data) + " --keys "
            + quote(fixture.tmp / "nowhere"),
        &output);
    CHECK(rc == 2);
    CHECK_THAT(output, Catch::Contains("cannot check signatures"));
    CHECK(fixture.version_at_boot() == 2);
}
