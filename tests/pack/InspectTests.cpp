// `kiosk-pack inspect`: the round trip build -> sign -> inspect (text and JSON) -> verify, as an
// editor runs it, and JSON that a script can parse whatever the pack or signature contains.

#include "../support/TestSupport.h"
#include "kiosk/update/Minisign.h"

#include <catch2/catch.hpp>
#include <map>
#include <stdexcept>

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

// Just enough of a strict JSON parser (RFC 8259) to check the output is well-formed and to look
// values up; any deviation fails the test with the position.
struct Json {
    enum class Kind { Null, Bool, Number, String, Array, Object };
    Kind kind { Kind::Null };
    bool boolean { false };
    double number { 0 };
    std::string string;
    std::vector<Json> array;
    std::map<std::string, Json> object;

    Json const& operator[](std::string const& key) const
    {
        INFO("key " << key);
        REQUIRE(kind == Kind::Object);
        auto it = object.find(key);
        REQUIRE(it != object.end());
        return it->second;
    }
    Json const& operator[](std::size_t index) const
    {
        REQUIRE(kind == Kind::Array);
        REQUIRE(index < array.size());
        return array[index];
    }
};

class JsonParser {
public:
    explicit JsonParser(std::string const& text)
        : m_text(text)
    {
    }

    Json parse_document()
    {
        Json value = parse_value();
        skip_space();
        check(m_pos == m_text.size(), "trailing text");
        return value;
    }

private:
    // Thrown, so Catch reports the failing test with the message and position.
    void check(bool condition, char const* what) const
    {
        if (!condition)
            throw std::runtime_error("invalid JSON at byte " + std::to_string(m_pos) + ": " + what);
    }
    void skip_space()
    {
        while (m_pos < m_text.size() && std::string_view(" \t\r\n").find(m_text[m_pos]) != std::string_view::npos)
            ++m_pos;
    }
    char peek()
    {
        skip_space();
        check(m_pos < m_text.size(), "unexpected end");
        return m_text[m_pos];
    }
    void expect(char c)
    {
        check(peek() == c, "unexpected character");
        ++m_pos;
    }
    void expect_word(std::string_view word)
    {
        check(m_text.compare(m_pos, word.size(), word) == 0, "unknown literal");
        m_pos += word.size();
    }
    Json parse_value()
    {
        Json value;
        char const c = peek();
        if (c == '{') {
            value.kind = Json::Kind::Object;
            ++m_pos;
            if (peek() != '}') {
                for (;;) {
                    check(peek() == '"', "object key is not a string");
                    std::string key = parse_string();
                    expect(':');
                    check(!value.object.contains(key), "duplicate key");
                    value.object[key] = parse_value();
                    if (peek() == '}')
                        break;
                    expect(',');
                }
            }
            expect('}');
        } else if (c == '[') {
            value.kind = Json::Kind::Array;
            ++m_pos;
            if (peek() != ']') {
                for (;;) {
                    value.array.push_back(parse_value());
                    if (peek() == ']')
                        break;
                    expect(',');
                }
            }
            expect(']');
        } else if (c == '"') {
            value.kind = Json::Kind::String;
            value.string = parse_string();
        } else if (c == 't' || c == 'f') {
            value.kind = Json::Kind::Bool;
            value.boolean = c == 't';
            expect_word(value.boolean ? "true" : "false");
        } else if (c == 'n') {
            expect_word("null");
        } else {
            value.kind = Json::Kind::Number;
            std::size_t const start = m_pos;
            while (m_pos < m_text.size()
                && std::string_view("-+.eE0123456789").find(m_text[m_pos]) != std::string_view::npos)
                ++m_pos;
            check(m_pos > start, "expected a value");
            value.number = std::stod(m_text.substr(start, m_pos - start));
        }
        return value;
    }
    std::string parse_string()
    {
        expect('"');
        std::string out;
        for (;;) {
            check(m_pos < m_text.size(), "unterminated string");
            auto const c = static_cast<unsigned char>(m_text[m_pos++]);
            check(c >= 0x20, "raw control character in a string");
            if (c == '"')
                return out;
            if (c != '\\') {
                out += char(c);
                continue;
            }
            check(m_pos < m_text.size(), "unterminated escape");
            char const escape = m_text[m_pos++];
            switch (escape) {
            case '"':
            case '\\':
            case '/':
                out += escape;
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                check(m_pos + 4 <= m_text.size(), "short \\u escape");
                unsigned const cp = unsigned(std::stoul(m_text.substr(m_pos, 4), nullptr, 16));
                m_pos += 4;
                check(cp < 0x80, "non-ASCII \\u escape"); // the writer escapes only ASCII control characters
                out += char(cp);
                break;
            }
            default:
                check(false, "invalid escape");
            }
        }
    }

    std::string const& m_text;
    std::size_t m_pos { 0 };
};

Json parse_json(std::string const& text)
{
    INFO(text);
    return JsonParser(text).parse_document();
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
    Json const json = parse_json(json_run.output);
    CHECK(json["pack_id"].string == "test-pack");
    CHECK(json["version"].number == 1);
    CHECK(json["target"].string == "lobby-*");
    REQUIRE(json["languages"].array.size() == 2);
    CHECK(json["languages"][0].string == "en");
    CHECK(json["languages"][1].string == "zh");
    CHECK(json["default_language"].string == "en");
    CHECK(json["title"]["zh"].string == "测试内容包");
    CHECK(json["file_bytes"].number == double(std::filesystem::file_size(pack)));
    CHECK(json["media"]["count"].number == 1);
    CHECK(json["media"]["total_bytes"].number > 0);
    auto const& slides = json["slides"];
    REQUIRE(slides.array.size() == 2);
    CHECK(slides[0]["position"].number == 1);
    CHECK(slides[0]["name"].string == "01-hero");
    CHECK(slides[0]["layout"].string == "hero");
    CHECK(slides[0]["duration_ms"].number == 5000);
    CHECK(slides[0]["title"]["en"].string == "International cooperation");
    CHECK(slides[0]["title"]["zh"].string == "国际合作");
    CHECK(slides[1]["layout"].string == "stats");
    CHECK(slides[1]["duration_ms"].number == 7000);
    CHECK(slides[1]["title"]["zh"].string == "2017 年数据");
    CHECK(json["signature"]["key_id"].string == id);
    CHECK(json["signature"]["trusted_comment"].string == claim_v1);
    CHECK_FALSE(json["signature"]["verified"].boolean);

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
    CHECK(parse_json(json_run.output)["signature"].kind == Json::Kind::Null);
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
    Json const json = parse_json(json_run.output);
    CHECK(json["title"]["en"].string == R"(Say "hi" \ to C:\kiosk)");
    CHECK_THAT(json["signature"]["trusted_comment"].string, Catch::StartsWith("timestamp:"));
    CHECK_THAT(json["signature"]["trusted_comment"].string, Catch::Contains("\tfile:p.kpack"));

    // An unverified trusted comment may hold anything: malformed UTF-8 becomes U+FFFD, control
    // characters are escaped, and the output stays valid JSON.
    std::string sig = test::read_text(dir / "p.kpack.minisig");
    auto const comment_start = sig.find("\ntrusted comment: ") + 18;
    sig.replace(comment_start, sig.find('\n', comment_start) - comment_start, "caf\xe9 \x01 done");
    test::write_text(dir / "p.kpack.minisig", sig);
    auto const odd = kiosk_pack("inspect --json " + quote(pack));
    REQUIRE(odd.rc == 0);
    CHECK_THAT(odd.output, Catch::Contains(R"(\u0001)"));
    CHECK(parse_json(odd.output)["signature"]["trusted_comment"].string == "caf\uFFFD \x01 done");

    // A damaged .minisig beside the pack is reported, not fatal, and still valid JSON.
    test::write_text(dir / "p.kpack.minisig", "untrusted comment: \x01\xff\n");
    auto const damaged = kiosk_pack("inspect --json " + quote(pack));
    REQUIRE(damaged.rc == 0);
    CHECK_THAT(parse_json(damaged.output)["signature"]["error"].string, Catch::Contains("truncated"));
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
