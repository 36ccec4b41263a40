// kiosk.toml as an operator writes it: every kind of mistake is reported with its line and key
// and keeps that key's default, and `kiosk --check-config` lists them all.

#include "../support/TestSupport.h"
#include "kiosk/app/CommandLine.h"
#include "kiosk/app/Config.h"

#include <catch2/catch.hpp>
#include <sstream>

using namespace kiosk;
using kiosk::test::TempDir;

namespace {

struct Checked {
    int rc { -1 };
    std::string output;
};

Checked check(std::filesystem::path const& path)
{
    std::ostringstream out;
    Checked result;
    result.rc = app::check_config(path, out);
    result.output = out.str();
    return result;
}

std::vector<app::ConfigProblem> problems_of(std::filesystem::path const& path, app::Config& config)
{
    auto problems = app::read_config_file(path, config);
    REQUIRE(problems.ok());
    return problems.value();
}

} // namespace

TEST_CASE("a clean config file is ok and every key is applied", "[app][config]")
{
    TempDir dir;
    test::write_text(dir / "kiosk.toml", R"(language_mode = "toggle"
language = "zh"
rotation = 90
idle_timeout_s = 0
kiosk_mode = true
data_dir = "/srv/kiosk"
device_id = "lobby-3"
device_group = "lobby-east"

[update]
enabled = false
keys_dir = "/srv/keys"
mount_roots = ["/mnt"]
inbox_dirs = ["/srv/inbox"]
accepted_pack_ids = ["news"]
write_reports = false
)");
    auto const checked = check(dir / "kiosk.toml");
    CHECK(checked.rc == 0);
    CHECK(checked.output == (dir / "kiosk.toml").string() + ": ok\n");

    app::Config config;
    CHECK(problems_of(dir / "kiosk.toml", config).empty());
    CHECK(config.language_mode == app::LanguageMode::Toggle);
    CHECK(config.language == "zh");
    CHECK(config.rotation_degrees == 90);
    CHECK(config.idle_timeout_s == 0);
    CHECK(config.kiosk_mode);
    CHECK(config.data_dir == "/srv/kiosk");
    CHECK(config.device_id == "lobby-3");
    CHECK(config.device_group == "lobby-east");
    CHECK_FALSE(config.updates_enabled);
    CHECK(config.keys_dir == "/srv/keys");
    CHECK(config.mount_roots == std::vector<std::filesystem::path> { "/mnt" });
    CHECK(config.inbox_dirs == std::vector<std::filesystem::path> { "/srv/inbox" });
    CHECK(config.accepted_pack_ids == std::vector<std::string> { "news" });
    CHECK_FALSE(config.write_reports);
}

TEST_CASE("an empty config file is ok and keeps every default", "[app][config]")
{
    TempDir dir;
    test::write_text(dir / "kiosk.toml", "");
    CHECK(check(dir / "kiosk.toml").rc == 0);
    app::Config config;
    CHECK(problems_of(dir / "kiosk.toml", config).empty());
    CHECK(config.rotation_degrees == 0);
    CHECK(config.data_dir == "/var/lib/kiosk");
}

TEST_CASE("each kind of mistake is reported with its line and key, and the default kept", "[app][config]")
{
    TempDir dir;
    struct Case {
        char const* toml;
        char const* expected; // after "kiosk.toml:LINE: "
        int line;
    };
    Case const cases[] = {
        { "\nrotaton = 90\n", "unknown key 'rotaton' (did you mean 'rotation'?)", 2 },
        { "keys_dir = \"/k\"\n", "unknown key 'keys_dir' (did you mean 'keys_dir' in the [update] table?)", 1 },
        { "[update]\nenable = false\n", "unknown key 'update.enable' (did you mean 'update.enabled'?)", 2 },
        { "[display]\nwidth = 3\n", "unknown key 'display'", 1 },
        { "kiosk_mode = \"yes\"\n", "'kiosk_mode' has the wrong type (a string); it takes true or false", 1 },
        { "rotation = \"90\"\n", "'rotation' has the wrong type (a string); it takes a whole number", 1 },
        { "rotation = 45\n", "rotation must be 0, 90, 180 or 270, not 45", 1 },
        { "idle_timeout_s = -1\n", "idle_timeout_s must be 0..86400 (0: never), not -1", 1 },
        { "idle_timeout_s = 2.5\n", "'idle_timeout_s' has the wrong type (a decimal number)", 1 },
        { "renderer = \"vulkan\"\n",
            "renderer must be \"auto\", \"software\", \"opengl\" or \"opengles2\", not \"vulkan\"", 1 },
        { "language_mode = \"duel\"\n", "language_mode must be \"dual\", \"toggle\" or \"alternate\", not \"duel\"",
            1 },
        { "data_dir = \"\"\n", "'data_dir' must name a file or folder, not be empty", 1 },
        { "update = true\n", "'update' has the wrong type (true/false); it takes a table", 1 },
        { "[update]\ninbox_dirs = \"/srv/in\"\n", "'update.inbox_dirs' has the wrong type (a string)", 2 },
        { "[update]\nmount_roots = [\"/a\", 3]\n", "'update.mount_roots' must hold strings only; entry 2 is an integer",
            2 },
    };
    for (auto const& c : cases) {
        INFO(c.toml);
        test::write_text(dir / "kiosk.toml", c.toml);
        auto const checked = check(dir / "kiosk.toml");
        CHECK(checked.rc == 1);
        CHECK_THAT(checked.output,
            Catch::Contains((dir / "kiosk.toml").string() + ":" + std::to_string(c.line) + ": " + c.expected));
        CHECK_THAT(checked.output, Catch::Contains(": 1 problem;"));

        app::Config config;
        auto const problems = problems_of(dir / "kiosk.toml", config);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].line == c.line);
        // The default of every key stands.
        app::Config const defaults;
        CHECK(config.rotation_degrees == defaults.rotation_degrees);
        CHECK(config.idle_timeout_s == defaults.idle_timeout_s);
        CHECK(config.kiosk_mode == defaults.kiosk_mode);
        CHECK(config.data_dir == defaults.data_dir);
        CHECK(config.language_mode == defaults.language_mode);
        CHECK(config.mount_roots == defaults.mount_roots);
        CHECK(config.inbox_dirs == defaults.inbox_dirs);
        CHECK(config.updates_enabled == defaults.updates_enabled);
    }
}

TEST_CASE("several problems in one file are all reported, in file order, and good keys still apply", "[app][config]")
{
    TempDir dir;
    test::write_text(dir / "kiosk.toml", R"(rotation = 45
device_group = "lobby-east"
kiosk_mode = 1
colour = "blue"
[update]
keys_dir = "/srv/keys"
write_reports = "no"
)");
    auto const checked = check(dir / "kiosk.toml");
    INFO(checked.output);
    CHECK(checked.rc == 1);
    std::string const file = (dir / "kiosk.toml").string();
    auto const at = [&](int line) { return checked.output.find(file + ":" + std::to_string(line) + ": "); };
    REQUIRE(at(1) != std::string::npos);
    REQUIRE(at(3) != std::string::npos);
    REQUIRE(at(4) != std::string::npos);
    REQUIRE(at(7) != std::string::npos);
    CHECK(at(1) < at(3));
    CHECK(at(3) < at(4));
    CHECK(at(4) < at(7));
    CHECK_THAT(checked.output, Catch::Contains(": 4 problems;"));

    app::Config config;
    CHECK(problems_of(dir / "kiosk.toml", config).size() == 4);
    CHECK(config.device_group == "lobby-east");
    CHECK(config.keys_dir == "/srv/keys");
    CHECK(config.rotation_degrees == 0);
    CHECK(config.write_reports);
}

TEST_CASE("a TOML syntax error says where and what, and nothing of the file is used", "[app][config]")
{
    TempDir dir;
    test::write_text(dir / "kiosk.toml", "rotation = 90\ndevice_group = lobby-east\n");
    auto const checked = check(dir / "kiosk.toml");
    INFO(checked.output);
    CHECK(checked.rc == 1);
    CHECK_THAT(checked.output, Catch::StartsWith((dir / "kiosk.toml").string() + ":2:"));
    CHECK_THAT(checked.output, Catch::Contains("not valid TOML"));
    CHECK_THAT(checked.output, Catch::Contains("nothing in this file is used"));
    app::Config config;
    CHECK(problems_of(dir / "kiosk.toml", config).size() == 1);
    CHECK(config.rotation_degrees == 0); // line 1 was fine, but a broken file is not half applied
}

TEST_CASE("garbage bytes, a missing file and a folder are reported, never a crash", "[app][config]")
{
    TempDir dir;
    std::string garbage;
    for (int i = 0; i < 512; ++i)
        garbage += char((i * 37 + 11) % 256);
    test::write_text(dir / "garbage.toml", garbage);
    auto const bad = check(dir / "garbage.toml");
    INFO(bad.output);
    CHECK(bad.rc == 1);
    CHECK_THAT(bad.output, Catch::Contains("garbage.toml:"));
    CHECK_THAT(bad.output, Catch::Contains("not valid TOML"));

    auto const missing = check(dir / "missing.toml");
    CHECK(missing.rc == 1);
    CHECK_THAT(missing.output, Catch::Contains("missing.toml: cannot open: No such file or directory"));

    std::filesystem::create_directories(dir / "folder.toml");
    auto const folder = check(dir / "folder.toml");
    CHECK(folder.rc == 1);
    CHECK_THAT(folder.output, Catch::Contains("folder.toml: not a regular file"));
}

TEST_CASE("at start a bad key is a warning with file:line and the app still starts", "[app][config]")
{
    TempDir dir;
    test::write_text(dir / "kiosk.toml", "rotation = 45\ndevice_group = \"east\"\n");
    app::Config config;
    REQUIRE(app::load_config_file(dir / "kiosk.toml", config, true).ok());
    REQUIRE(config.warnings.size() == 1);
    CHECK(config.warnings[0]
        == (dir / "kiosk.toml").string() + ":1: rotation must be 0, 90, 180 or 270, not 45; the default is kept");
    CHECK(config.device_group == "east");

    // A missing file: fine at the default path, an error when --config named it.
    app::Config quiet;
    CHECK(app::load_config_file(dir / "none.toml", quiet, false).ok());
    CHECK(quiet.warnings.empty());
    CHECK_FALSE(app::load_config_file(dir / "none.toml", quiet, true).ok());
}

TEST_CASE("kiosk --check-config exits 0 for a clean file and 1 with the problems", "[app][config]")
{
    TempDir dir;
    test::write_text(dir / "good.toml", "rotation = 180\n");
    test::write_text(dir / "bad.toml", "rotation = 180\nrotaton = 90\n");
    std::string output;
    CHECK(
        test::run_command(std::string(KIOSK_BIN) + " --check-config " + test::quote(dir / "good.toml"), &output) == 0);
    CHECK(output == (dir / "good.toml").string() + ": ok\n");
    CHECK(test::run_command(std::string(KIOSK_BIN) + " --check-config " + test::quote(dir / "bad.toml"), &output) == 1);
    CHECK_THAT(output, Catch::Contains("bad.toml:2: unknown key 'rotaton' (did you mean 'rotation'?)"));
}
