// `kiosk-pack inspect`: the round trip build -> sign -> inspect (text and JSON) -> verify, as an
// editor runs it, and JSON that a script can parse whatever the pack or signature contains.

#include "../support/TestSupport.h"
#include "kiosk/update/Minisign.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace kiosk;
using kiosk::test::quote;
using kiosk::test::TempDir;

namespace {

struct Run {
    int rc { -1 };
    std::string output;
};

Run run(std::string const& command)
{
    Run result;
    result.rc = test::run_command(command + " < /dev/null", &result.output);
    return result;
}

Run kiosk_pack(std::string const& args)
{
    return run(std::string(KIOSK_PACK_BIN) + " " + args);
}

// Parses with nlohmann's strict RFC 8259 parser: malformed output fails the test with the text.
nlohmann::json parse_json(std::string const& text)
{
    INFO(text);
    auto json = nlohmann::json::parse(text, nullptr, false);
    REQUIRE_FALSE(json.is_discarded());
    return json;
}

std::string const claim_v1 = "pack_id=test-pack version=1 target=lobby-*";

} // namespace

TEST_CASE("build, sign, inspect and verify a pack", "[pack][inspect]")
{
    TempDir dir;
    test::write_sample_source(dir / "src");
    auto const pack = dir / "lobby.kpack";
    REQUIRE(kiosk_pack("build " + quote(dir / "src") + " -o " + quote(pack)).rc == 0);
    REQUIRE(kiosk_pack("keygen -o " + quote(dir / "editor") + " --no-password").rc == 0);
    auto key = update::load_public_key(dir / "editor.pub");
    REQUIRE(key.ok());
    std::string const id = update::key_id_hex(key->key_id);
    REQUIRE(kiosk_pack("sign --key " + quote(dir / "editor.key") + " " + quote(pack)).rc == 0);

    auto const text = kiosk_pack("inspect " + quote(pack));
    INFO(text.output);
    REQUIRE(text.rc == 0);
    for (std::string const& expected : std::vector<std::string> {
             "pack_id:    test-pack\n",
             "version:    1\n",
             "target:     lobby-*\n",
             "languages:  en, zh (default en)\n",
             "title:      en: Test pack\n",
             "zh: 测试内容包\n",
             "slides:     2\n",
             "01-hero",
             "hero",
             "5.0 s",
             "en: International cooperation\n",
             "zh: 国际合作\n",
             "02-stats",
             "stats",
             "7.0 s",
             "zh: 2017 年数据\n",
             "media:      1 image, ",
             "file:       " + std::to_string(std::filesystem::file_size(pack)) + " bytes\n",
             "key " + id + ", not verified",
             "trusted comment: " + claim_v1 + "\n",
         }) {
        CHECK_THAT(text.output, Catch::Contains(expected));
    }

    auto const json_run = kiosk_pack("inspect --json " + quote(pack));
    REQUIRE(json_run.rc == 0);
    auto const json = parse_json(json_run.output);
    CHECK(json.at("pack_id").get<std::string>() == "test-pack");
    CHECK(json.at("version") == 1);
    CHECK(json.at("target").get<std::string>() == "lobby-*");
    REQUIRE(json.at("languages").size() == 2);
    CHECK(json.at("languages").at(0).get<std::string>() == "en");
    CHECK(json.at("languages").at(1).get<std::string>() == "zh");
    CHECK(json.at("default_language").get<std::string>() == "en");
    CHECK(json.at("title").at("zh").get<std::string>() == "测试内容包");
    CHECK(json.at("file_bytes") == double(std::filesystem::file_size(pack)));
    CHECK(json.at("media").at("count") == 1);
    CHECK(json.at("media").at("total_bytes") > 0);
    auto const& slides = json.at("slides");
    REQUIRE(slides.size() == 2);
    CHECK(slides.at(0).at("position") == 1);
    CHECK(slides.at(0).at("name").get<std::string>() == "01-hero");
    CHECK(slides.at(0).at("layout").get<std::string>() == "hero");
    CHECK(slides.at(0).at("duration_ms") == 5000);
    CHECK(slides.at(0).at("title").at("en").get<std::string>() == "International cooperation");
    CHECK(slides.at(0).at("title").at("zh").get<std::string>() == "国际合作");
    CHECK(slides.at(1).at("layout").get<std::string>() == "stats");
    CHECK(slides.at(1).at("duration_ms") == 7000);
    CHECK(slides.at(1).at("title").at("zh").get<std::string>() == "2017 年数据");
    CHECK(json.at("signature").at("key_id").get<std::string>() == id);
    CHECK(json.at("signature").at("trusted_comment").get<std::string>() == claim_v1);
    CHECK(json.at("signature").at("verified") == false);

    auto const verified = kiosk_pack("verify --pubkey " + quote(dir / "editor.pub") + " " + quote(pack));
    INFO(verified.output);
    CHECK(verified.rc == 0);
    CHECK_THAT(verified.output, Catch::Contains("OK, signed by key " + id + ", " + claim_v1));
}

TEST_CASE("inspect without a signature says so", "[pack][inspect]")
{
    TempDir dir;
    test::write_sample_source(dir / "src");
    auto const pack = dir / "p.kpack";
    REQUIRE(kiosk_pack("build " + quote(dir / "src") + " -o " + quote(pack)).rc == 0);
    auto const text = kiosk_pack("inspect " + quote(pack));
    CHECK(text.rc == 0);
    CHECK_THAT(text.output, Catch::Contains("signature:  none"));
    auto const json_run = kiosk_pack("inspect --json " + quote(pack));
    REQUIRE(json_run.rc == 0);
    CHECK(parse_json(json_run.output).at("signature").is_null());
}

TEST_CASE("inspect --json escapes whatever the pack and the signature hold", "[pack][inspect]")
{
    TempDir dir;
    test::write_sample_source(dir / "src");
    // Quotes and a backslash in a title, through a TOML literal string.
    std::string toml = test::read_text(dir / "src/pack.toml");
    toml.replace(toml.find("en = \"Test pack\""), 16, R"(en = 'Say "hi" \ to C:\kiosk')");
    test::write_text(dir / "src/pack.toml", toml);
    auto const pack = dir / "p.kpack";
    auto const built = kiosk_pack("build " + quote(dir / "src") + " -o " + quote(pack));
    INFO(built.output);
    REQUIRE(built.rc == 0);
    // minisign's default trusted comment holds tabs; the signature is shown unverified anyway.
    REQUIRE(run("minisign -G -W -p " + quote(dir / "m.pub") + " -s " + quote(dir / "m.key")).rc == 0);
    REQUIRE(run("minisign -S -s " + quote(dir / "m.key") + " -m " + quote(pack)).rc == 0);

    auto const json_run = kiosk_pack("inspect --json " + quote(pack));
    REQUIRE(json_run.rc == 0);
    CHECK_THAT(json_run.output, Catch::Contains(R"("en": "Say \"hi\" \\ to C:\\kiosk")"));
    auto const json = parse_json(json_run.output);
    CHECK(json.at("title").at("en").get<std::string>() == R"(Say "hi" \ to C:\kiosk)");
    CHECK_THAT(json.at("signature").at("trusted_comment").get<std::string>(), Catch::StartsWith("timestamp:"));
    CHECK_THAT(json.at("signature").at("trusted_comment").get<std::string>(), Catch::Contains("\tfile:p.kpack"));

    // An unverified trusted comment may hold anything: malformed UTF-8 becomes U+FFFD, control
    // characters are escaped, and the output stays valid JSON.
    std::string sig = test::read_text(dir / "p.kpack.minisig");
    auto const comment_start = sig.find("\ntrusted comment: ") + 18;
    sig.replace(comment_start, sig.find('\n', comment_start) - comment_start, "caf\xe9 \x01 done");
    test::write_text(dir / "p.kpack.minisig", sig);
    auto const odd = kiosk_pack("inspect --json " + quote(pack));
    REQUIRE(odd.rc == 0);
    CHECK_THAT(odd.output, Catch::Contains(R"(\u0001)"));
    CHECK(parse_json(odd.output).at("signature").at("trusted_comment").get<std::string>() == "caf\uFFFD \x01 done");

    // A damaged .minisig beside the pack is reported, not fatal, and still valid JSON.
    test::write_text(dir / "p.kpack.minisig", "untrusted comment: \x01\xff\n");
    auto const damaged = kiosk_pack("inspect --json " + quote(pack));
    REQUIRE(damaged.rc == 0);
    CHECK_THAT(parse_json(damaged.output).at("signature").at("error").get<std::string>(), Catch::Contains("truncated"));
    auto const damaged_text = kiosk_pack("inspect " + quote(pack));
    CHECK_THAT(damaged_text.output, Catch::Contains("p.kpack.minisig cannot be read"));
}

TEST_CASE("inspect refuses what is not a pack", "[pack][inspect]")
{
    TempDir dir;
    test::write_text(dir / "notes.kpack", "just some notes\n");
    auto const refused = kiosk_pack("inspect " + quote(dir / "notes.kpack"));
    CHECK(refused.rc == 2);
    CHECK_THAT(refused.output, Catch::Contains("notes.kpack"));
    auto const missing = kiosk_pack("inspect " + quote(dir / "missing.kpack"));
    CHECK(missing.rc == 2);
    CHECK_THAT(missing.output, Catch::Contains("missing.kpack: no such pack file"));
}
