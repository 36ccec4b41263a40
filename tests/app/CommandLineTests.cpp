// The `kiosk` command line without running the binary: flags over the config file over the
// defaults, the action chosen, and usage errors that say what to type instead.

#include "../support/TestSupport.h"
#include "kiosk/app/CommandLine.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using kiosk::test::TempDir;

namespace {

Result<app::Invocation> parse(std::vector<std::string> args)
{
    args.insert(args.begin(), "kiosk");
    std::vector<char const*> argv;
    for (auto const& arg : args)
        argv.push_back(arg.c_str());
    return app::parse_command_line(int(argv.size()), argv.data());
}

} // namespace

TEST_CASE("flags win over the config file, which wins over the defaults", "[app][cli]")
{
    TempDir dir;
    test::write_text(dir / "kiosk.toml",
        "rotation = 90\ndevice_group = \"from-file\"\nlanguage_mode = \"toggle\"\n[update]\ninbox_dirs = [\"/a\"]\n");
    auto parsed = parse({ "--config", (dir / "kiosk.toml").string(), "--device-group", "from-flag", "--inbox", "/b",
        "--data-dir", (dir / "data").string(), "--windowed", "1280x720", "--no-updates", "--renderer", "software" });
    REQUIRE(parsed.ok());
    auto const& config = parsed->config;
    CHECK(parsed->action == app::Action::Display);
    CHECK(config.rotation_degrees == 90); // from the file
    CHECK(config.language_mode == app::LanguageMode::Toggle);
    CHECK(config.device_group == "from-flag"); // the flag wins
    CHECK(config.inbox_dirs == std::vector<std::filesystem::path> { "/a", "/b" }); // --inbox adds
    CHECK(config.data_dir == dir / "data");
    CHECK(config.window == app::WindowMode::Windowed);
    CHECK(config.width_px == 1280);
    CHECK(config.height_px == 720);
    CHECK_FALSE(config.updates_enabled);
    CHECK(config.renderer == app::RendererChoice::Software);
    CHECK(config.warnings.empty());
}

TEST_CASE("the action follows the flags", "[app][cli]")
{
    TempDir dir;
    test::write_text(dir / "empty.toml", "");
    std::string const cfg = (dir / "empty.toml").string();

    auto headless = parse({ "--config", cfg, "--headless", "--screenshot", "s.png", "--size", "1080x1920" });
    REQUIRE(headless.ok());
    CHECK(headless->action == app::Action::RenderHeadless);
    CHECK(headless->config.width_px == 1080);
    CHECK(headless->config.height_px == 1920);

    auto script = parse({ "--config", cfg, "--headless", "--script", "s.txt" });
    REQUIRE(script.ok());
    CHECK(script->action == app::Action::RunScript);
    CHECK(script->config.window == app::WindowMode::Headless);

    auto checking = parse({ "--check-config", "/some/kiosk.toml" });
    REQUIRE(checking.ok());
    CHECK(checking->action == app::Action::CheckConfig);
    CHECK(checking->check_config_file == "/some/kiosk.toml");

    auto help = parse({ "--help" });
    REQUIRE(help.ok());
    CHECK(help->action == app::Action::PrintText);
    CHECK_THAT(help->text, Catch::Contains("--check-config"));

    auto version = parse({ "--version" });
    REQUIRE(version.ok());
    CHECK(version->action == app::Action::PrintText);
    CHECK(version->text == "kiosk " KIOSK_VERSION "\n");
}

TEST_CASE("usage errors say what is wrong and what would be right", "[app][cli]")
{
    TempDir dir;
    test::write_text(dir / "empty.toml", "");
    std::string const cfg = (dir / "empty.toml").string();
    struct Case {
        std::vector<std::string> args;
        char const* expected;
    };
    Case const cases[] = {
        { { "--config", cfg, "--rotate", "45" }, "--rotate must be 0, 90, 180 or 270, not 45" },
        { { "--config", cfg, "--mode", "duel" }, "--mode must be dual, toggle or alternate, not 'duel'" },
        { { "--config", cfg, "--renderer", "vulkan" }, "--renderer must be auto, software, opengl or opengles2" },
        { { "--config", cfg, "--windowed", "big" }, "--windowed must be WIDTHxHEIGHT" },
        { { "--config", cfg, "--size", "8x8" }, "--size must be WIDTHxHEIGHT with each side 16 to 8192 px" },
        { { "--config", cfg, "--headless" }, "--headless needs --screenshot FILE or --preview-dir DIR" },
        { { "--config", cfg, "--frobnicate" }, "--frobnicate" },
        { { "--config", (dir / "missing.toml").string() }, "missing.toml: cannot open" },
    };
    for (auto const& c : cases) {
        auto parsed = parse(c.args);
        INFO(c.expected);
        REQUIRE_FALSE(parsed.ok());
        CHECK_THAT(parsed.message(), Catch::Contains(c.expected));
    }
}

TEST_CASE("config problems become warnings and the command line still parses", "[app][cli]")
{
    TempDir dir;
    test::write_text(dir / "kiosk.toml", "rotation = 45\n");
    auto parsed = parse({ "--config", (dir / "kiosk.toml").string() });
    REQUIRE(parsed.ok());
    REQUIRE(parsed->config.warnings.size() == 1);
    CHECK_THAT(parsed->config.warnings[0], Catch::Contains("kiosk.toml:1: rotation must be 0, 90, 180 or 270"));
    CHECK(parsed->config.rotation_degrees == 0);
}
