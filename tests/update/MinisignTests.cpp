// The minisign format, bit for bit: files made by stock minisign 0.11 parse and verify, files made
// here are what minisign makes, and every kind of damage is refused with a message that says what.

#include "../support/TestSupport.h"
#include "kiosk/update/Minisign.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using namespace kiosk::update;
using kiosk::test::TempDir;

namespace {

// Made with stock minisign 0.11: `minisign -G -W -p fx.pub -s fx.key`, then
// `minisign -S -s fx.key -m msg -t "pack_id=lobby version=7 target=lobby-*"` (prehashed, "ED") and
// the same with -l (legacy "Ed"), where msg holds fixture_message.
constexpr std::string_view fixture_message = "a kiosk content pack\n";
constexpr std::string_view fixture_public_key = "untrusted comment: minisign public key DFDD6A3C64165BD4\n"
                                                "RWTUWxZkPGrd38sd4jxoE/VTT2J5/drBna4+kprOqK3Sa4ZwmAU5LUGJ\n";
constexpr std::string_view fixture_secret_key
    = "untrusted comment: minisign encrypted secret key\n"
      "RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1FsWZDxq3d8xYUI+uVFPdrRMwQAZN6jR4d6XJM5r"
      "ltGw3QpafVOnDssd4jxoE/VTT2J5/drBna4+kprOqK3Sa4ZwmAU5LUGJAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
constexpr std::string_view fixture_signature
    = "untrusted comment: signature from minisign secret key\n"
      "RUTUWxZkPGrd3yciIr2w2i4OxsFReCwbB/XMRf1FSccZymkzLSL46rNXNrBG/fXSeEcjcGBH1aBh/mD+673fWGCvUQaA7KsYswk=\n"
      "trusted comment: pack_id=lobby version=7 target=lobby-*\n"
      "Go9chwHXS2BfPxAxkrquLQT75iSkMmEkuDJlD6BwaxyGrYIDt2zMmmYfIV9VRGAJwoez7ZlLP3/LLJbtFCzcCg==\n";
constexpr std::string_view fixture_legacy_signature
    = "untrusted comment: signature from minisign secret key\n"
      "RWTUWxZkPGrd39s2ExbfeTXj3mCT7gwlwsA5f2lY1FFOGfBXEqQm2J8Jj9zdZ3lrh3qBeG98enszQtRA5YxH+5NT2ChKX4v3jgk=\n"
      "trusted comment: pack_id=lobby version=7 target=lobby-*\n"
      "E6FQfDz2yb7/LUDXGf8omtwGReC3K2hV7tdx4WOHl1lO9lJ3jRCmFUEVK06ZrnptdhfNOtUZ2RT+NfeNq0YuAA==\n";

// scrypt at its minimum cost: the format is the same as minisign's 1 GiB default, the test fast.
constexpr ScryptLimits cheap_limits { crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN,
    crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN };

std::span<std::uint8_t const> bytes_of(std::string_view text)
{
    return { reinterpret_cast<std::uint8_t const*>(text.data()), text.size() };
}

Blake2b512 hash_of(std::string_view text)
{
    Blake2bHasher hasher;
    hasher.update(bytes_of(text));
    return hasher.finish();
}

std::optional<std::string> no_password()
{
    return std::nullopt;
}

// The second line of a minisign file, i.e. the base64 blob.
std::string second_line(std::string const& text)
{
    auto const start = text.find('\n') + 1;
    return text.substr(start, text.find('\n', start) - start);
}

std::string replace_line(std::string const& text, int index, std::string const& line)
{
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto const end = text.find('\n', pos);
        lines.push_back(text.substr(pos, end - pos));
        pos = end + 1;
    }
    lines[std::size_t(index)] = line;
    std::string out;
    for (auto const& l : lines)
        out += l + "\n";
    return out;
}

} // namespace

TEST_CASE("a stock minisign public key, secret key and signature parse and verify", "[update][minisign]")
{
    auto key = parse_public_key(fixture_public_key);
    INFO((key ? "" : key.message()));
    REQUIRE(key.ok());
    // minisign prints the little-endian key number in uppercase hex; so must we, or no editor
    // could match the id on screen with the one in their key file.
    CHECK(key_id_hex(key->key_id) == "DFDD6A3C64165BD4");

    auto signature = parse_signature(fixture_signature);
    REQUIRE(signature.ok());
    CHECK(signature->prehashed);
    CHECK(signature->key_id == key->key_id);
    CHECK(signature->trusted_comment == "pack_id=lobby version=7 target=lobby-*");
    CHECK(signature->untrusted_comment == "signature from minisign secret key");
    CHECK(verify_prehashed(signature.value(), key.value(), hash_of(fixture_message)).ok());

    // The secret key of `minisign -W` is not encrypted: no password is asked for.
    auto secret = parse_secret_key(fixture_secret_key, no_password);
    INFO((secret ? "" : secret.message()));
    REQUIRE(secret.ok());
    CHECK(secret->key_id == key->key_id);
    // Our signature with their key verifies with their public key.
    auto ours = sign_prehashed(hash_of(fixture_message), secret.value(), signature->trusted_comment);
    CHECK(verify_prehashed(ours, key.value(), hash_of(fixture_message)).ok());
    // Ed25519 is deterministic: the same key, message and comment give minisign's exact bytes.
    CHECK(ours.signature == signature->signature);
    CHECK(ours.global_signature == signature->global_signature);
}

TEST_CASE("a legacy (non-prehashed) minisign signature verifies over the whole file", "[update][minisign]")
{
    auto key = parse_public_key(fixture_public_key);
    auto signature = parse_signature(fixture_legacy_signature);
    REQUIRE(key.ok());
    REQUIRE(signature.ok());
    CHECK_FALSE(signature->prehashed);
    CHECK(verify_prehashed(signature.value(), key.value(), Blake2b512 {}, bytes_of(fixture_message)).ok());
    auto wrong = verify_prehashed(signature.value(), key.value(), Blake2b512 {}, bytes_of("another file\n"));
    REQUIRE_FALSE(wrong.ok());
    CHECK_THAT(wrong.message(), Catch::Contains("signature does not match the file"));
    // Formatting keeps the algorithm: "Ed" stays "Ed".
    CHECK(format_signature(signature.value()) == fixture_legacy_signature);
}

TEST_CASE("format_signature writes exactly what minisign writes", "[update][minisign]")
{
    auto signature = parse_signature(fixture_signature);
    REQUIRE(signature.ok());
    CHECK(format_signature(signature.value()) == fixture_signature);
}

TEST_CASE("damaged signature files are refused with what is wrong", "[update][minisign]")
{
    std::string const good(fixture_signature);

    SECTION("empty")
    {
        auto parsed = parse_signature("");
        REQUIRE_FALSE(parsed.ok());
        CHECK_THAT(parsed.message(), Catch::Contains("the file is empty"));
    }
    SECTION("truncated after two lines")
    {
        auto const cut = good.substr(0, good.find('\n', good.find('\n') + 1) + 1);
        auto parsed = parse_signature(cut);
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.message() == "not a minisign signature: the file is truncated: it ends after line 2 of 4");
    }
    SECTION("truncated inside the last line")
    {
        auto parsed = parse_signature(good.substr(0, good.size() - 30));
        REQUIRE_FALSE(parsed.ok());
        CHECK_THAT(parsed.message(), Catch::Contains("fourth line"));
    }
    SECTION("second line is not base64")
    {
        auto parsed = parse_signature(replace_line(good, 1, "this is not base64 at all!"));
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.message() == "not a minisign signature: second line is not base64");
    }
    SECTION("second line is base64 of the wrong size")
    {
        auto parsed = parse_signature(replace_line(good, 1, "RUTUWxZkPGrd3w=="));
        REQUIRE_FALSE(parsed.ok());
        CHECK_THAT(parsed.message(), Catch::Contains("second line decodes to 10 bytes instead of 74"));
    }
    SECTION("unknown algorithm")
    {
        // "XX" followed by the rest of a real signature blob.
        std::string line = second_line(good);
        line.replace(0, 4, "WFhU"); // base64 of "XXT": the first two bytes become "XX"
        auto parsed = parse_signature(replace_line(good, 1, line));
        REQUIRE_FALSE(parsed.ok());
        CHECK_THAT(parsed.message(), Catch::Contains("algorithm 'XX'"));
    }
    SECTION("a public key where the signature should be")
    {
        auto parsed = parse_signature(replace_line(good, 1, second_line(std::string(fixture_public_key))));
        REQUIRE_FALSE(parsed.ok());
        CHECK_THAT(parsed.message(), Catch::Contains("second line decodes to 42 bytes instead of 74"));
    }
    SECTION("no trusted comment prefix")
    {
        auto parsed = parse_signature(replace_line(good, 2, "pack_id=lobby version=7 target=lobby-*"));
        REQUIRE_FALSE(parsed.ok());
        CHECK(parsed.message() == "not a minisign signature: third line does not start with 'trusted comment: '");
    }
    SECTION("no untrusted comment prefix")
    {
        auto parsed = parse_signature(replace_line(good, 0, "hello"));
        REQUIRE_FALSE(parsed.ok());
        CHECK_THAT(parsed.message(), Catch::Contains("first line does not start with 'untrusted comment: '"));
    }
    SECTION("text after the fourth line")
    {
        auto parsed = parse_signature(good + "extra line\n");
        REQUIRE_FALSE(parsed.ok());
        CHECK_THAT(parsed.message(), Catch::Contains("unexpected text after line 4"));
    }
    SECTION("over 64 KiB")
    {
        std::string huge = good;
        huge.insert(good.find('\n'), std::string(70 * 1024, 'x'));
        auto parsed = parse_signature(huge);
        REQUIRE_FALSE(parsed.ok());
        CHECK_THAT(parsed.message(), Catch::Contains("under 64 KiB"));
    }
    SECTION("a NUL byte")
    {
        std::string with_nul = good;
        with_nul[5] = '\0';
        auto parsed = parse_signature(with_nul);
        REQUIRE_FALSE(parsed.ok());
        CHECK_THAT(parsed.message(), Catch::Contains("NUL byte"));
    }
}

TEST_CASE("Windows line endings and a missing final newline are accepted", "[update][minisign]")
{
    std::string crlf;
    for (char c : fixture_signature) {
        if (c == '\n')
            crlf += '\r';
        crlf += c;
    }
    auto parsed = parse_signature(crlf);
    REQUIRE(parsed.ok());
    CHECK(parsed->trusted_comment == "pack_id=lobby version=7 target=lobby-*");
    auto key = parse_public_key(fixture_public_key);
    REQUIRE(key.ok());
    CHECK(verify_prehashed(parsed.value(), key.value(), hash_of(fixture_message)).ok());

    std::string no_final_newline(fixture_signature);
    no_final_newline.pop_back();
    CHECK(parse_signature(no_final_newline).ok());
}

TEST_CASE("verification says which part failed", "[update][minisign]")
{
    auto key = parse_public_key(fixture_public_key);
    auto signature = parse_signature(fixture_signature);
    REQUIRE(key.ok());
    REQUIRE(signature.ok());

    SECTION("the file changed")
    {
        auto result = verify_prehashed(signature.value(), key.value(), hash_of("a kiosk content pacK\n"));
        REQUIRE_FALSE(result.ok());
        CHECK_THAT(result.message(), Catch::StartsWith("signature does not match the file"));
    }
    SECTION("the trusted comment changed")
    {
        Signature altered = signature.value();
        altered.trusted_comment = "pack_id=lobby version=8 target=lobby-*";
        auto result = verify_prehashed(altered, key.value(), hash_of(fixture_message));
        REQUIRE_FALSE(result.ok());
        CHECK(result.message() == "trusted comment does not verify: the signature file was altered");
        CHECK_FALSE(verify_trusted_comment(altered, key.value()).ok());
        CHECK(verify_trusted_comment(signature.value(), key.value()).ok());
    }
    SECTION("another key")
    {
        auto other = parse_public_key(generate_key_pair("").public_key);
        REQUIRE(other.ok());
        auto result = verify_prehashed(signature.value(), other.value(), hash_of(fixture_message));
        REQUIRE_FALSE(result.ok());
        CHECK_THAT(result.message(), Catch::Contains("signature was made by key DFDD6A3C64165BD4"));
    }
}

TEST_CASE("find_signer names the unknown key and the trusted ones", "[update][minisign]")
{
    auto signature = parse_signature(fixture_signature);
    REQUIRE(signature.ok());
    auto other = parse_public_key(generate_key_pair("").public_key);
    REQUIRE(other.ok());
    other->source = "/etc/kiosk/keys/office.pub";
    auto found = find_signer(signature.value(), { other.value() });
    REQUIRE_FALSE(found.ok());
    CHECK_THAT(found.message(), Catch::StartsWith("signature made by key DFDD6A3C64165BD4 which is not trusted"));
    CHECK_THAT(found.message(), Catch::Contains(key_id_hex(other->key_id) + " from /etc/kiosk/keys/office.pub"));

    auto key = parse_public_key(fixture_public_key);
    REQUIRE(key.ok());
    auto signer = find_signer(signature.value(), { other.value(), key.value() });
    REQUIRE(signer.ok());
    CHECK(signer->key == key->key);
}

TEST_CASE("an unencrypted key pair has minisign -W's layout and signs", "[update][minisign]")
{
    KeyFiles files = generate_key_pair("");
    CHECK_THAT(
        files.public_key, Catch::StartsWith("untrusted comment: minisign public key " + key_id_hex(files.key_id)));
    auto key = parse_public_key(files.public_key);
    auto secret = parse_secret_key(files.secret_key, no_password);
    REQUIRE(key.ok());
    REQUIRE(secret.ok());
    CHECK(secret->key_id == files.key_id);
    // kdf "\0\0", checksum "B2", zero salt and limits: what stock minisign writes for -W.
    CHECK_THAT(second_line(files.secret_key), Catch::StartsWith("RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    auto signature = sign_prehashed(hash_of("pack bytes"), secret.value(), "pack_id=a version=1 target=*");
    auto parsed = parse_signature(format_signature(signature));
    REQUIRE(parsed.ok());
    CHECK(verify_prehashed(parsed.value(), key.value(), hash_of("pack bytes")).ok());
}

TEST_CASE("an encrypted secret key needs its password", "[update][minisign]")
{
    KeyFiles files = generate_key_pair("correct horse", cheap_limits);
    CHECK_THAT(second_line(files.secret_key), Catch::StartsWith("RWRTY0Iy")); // "Ed" "Sc" "B2"

    auto right = parse_secret_key(files.secret_key, [] { return std::optional<std::string>("correct horse"); });
    INFO((right ? "" : right.message()));
    REQUIRE(right.ok());
    CHECK(right->key_id == files.key_id);

    auto wrong = parse_secret_key(files.secret_key, [] { return std::optional<std::string>("battery staple"); });
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.message() == "wrong password for this secret key");

    auto none = parse_secret_key(files.secret_key, no_password);
    REQUIRE_FALSE(none.ok());
    CHECK(none.message() == "secret key is encrypted and no password was given");
}

TEST_CASE("stock minisign signs with a key encrypted here", "[update][minisign]")
{
    TempDir dir;
    KeyFiles files = generate_key_pair("s3cret", cheap_limits);
    test::write_text(dir / "k.key", files.secret_key);
    test::write_text(dir / "k.pub", files.public_key);
    test::write_text(dir / "password", "s3cret\n");
    test::write_text(dir / "file", "payload");
    std::string output;
    int const rc = test::run_command("minisign -S -s " + test::quote(dir / "k.key") + " -m " + test::quote(dir / "file")
            + " -t 'pack_id=a version=1 target=*' < " + test::quote(dir / "password"),
        &output);
    INFO(output);
    REQUIRE(rc == 0);
    auto signature = parse_signature(test::read_text(dir / "file.minisig"));
    auto key = parse_public_key(files.public_key);
    REQUIRE(signature.ok());
    REQUIRE(key.ok());
    CHECK(verify_prehashed(signature.value(), key.value(), hash_of("payload")).ok());
}

TEST_CASE("a damaged secret key is refused", "[update][minisign]")
{
    KeyFiles files = generate_key_pair("");
    std::string line = second_line(files.secret_key);
    // Change a character inside the Ed25519 key (well past the 54-byte header).
    std::size_t const at = 100;
    line[at] = line[at] == 'A' ? 'B' : 'A';
    auto damaged = parse_secret_key("untrusted comment: x\n" + line + "\n", no_password);
    REQUIRE_FALSE(damaged.ok());
    CHECK_THAT(damaged.message(), Catch::Contains("secret key is damaged"));

    auto not_a_key = parse_secret_key(fixture_public_key, no_password);
    REQUIRE_FALSE(not_a_key.ok());
    CHECK_THAT(not_a_key.message(), Catch::Contains("decodes to 42 bytes instead of 158"));
}

TEST_CASE("BLAKE2b-512 streams in any chunks and matches the whole-file hash", "[update][minisign]")
{
    TempDir dir;
    std::string content;
    for (int i = 0; i < 200'000; ++i)
        content += char('a' + i % 26);
    test::write_text(dir / "big", content);
    Blake2bHasher chunked;
    for (std::size_t pos = 0; pos < content.size(); pos += 4099)
        chunked.update(bytes_of(std::string_view(content).substr(pos, 4099)));
    Blake2b512 const streamed = chunked.finish();
    CHECK(streamed == hash_of(content));
    auto from_file = hash_file(dir / "big");
    REQUIRE(from_file.ok());
    CHECK(from_file.value() == streamed);
    Blake2b512 one_shot {};
    crypto_generichash(one_shot.data(), one_shot.size(), bytes_of(content).data(), content.size(), nullptr, 0);
    CHECK(one_shot == streamed);

    auto missing = hash_file(dir / "missing");
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.message(), Catch::Contains("missing: cannot open"));
}

TEST_CASE("pack claims parse strictly and round-trip", "[update][minisign]")
{
    auto claim = parse_pack_claim("pack_id=lobby version=12 target=lobby-*");
    REQUIRE(claim.ok());
    CHECK(claim->pack_id == "lobby");
    CHECK(claim->version == 12);
    CHECK(claim->target == "lobby-*");
    CHECK(format_pack_claim(claim.value()) == "pack_id=lobby version=12 target=lobby-*");

    auto defaulted = parse_pack_claim("version=3  pack_id=x\tsigned_by=office");
    REQUIRE(defaulted.ok());
    CHECK(defaulted->target == "*");
    CHECK(defaulted->version == 3);

    auto const refused = [](std::string_view comment) {
        auto parsed = parse_pack_claim(comment);
        REQUIRE_FALSE(parsed.ok());
        return parsed.message();
    };
    CHECK_THAT(refused("pack_id=lobby"), Catch::Contains("names no version"));
    CHECK_THAT(refused("version=2"), Catch::Contains("names no pack_id"));
    CHECK_THAT(refused("pack_id=a version=2x"), Catch::Contains("version '2x', not a positive integer"));
    CHECK_THAT(refused("pack_id=a version=0"), Catch::Contains("not a positive integer"));
    CHECK_THAT(refused("pack_id=a version=-4"), Catch::Contains("not a positive integer"));
    CHECK_THAT(refused("pack_id=a version=99999999999999999999"), Catch::Contains("not a positive integer"));
    CHECK_THAT(refused("pack_id=a pack_id=b version=1"), Catch::Contains("names pack_id twice"));
    // minisign's default comment, when someone forgot -t: the hint says how to sign instead.
    auto const forgot = refused("timestamp:1700000000\tfile:lobby.kpack\thashed");
    CHECK_THAT(forgot, Catch::Contains("is not key=value"));
    CHECK_THAT(forgot, Catch::Contains("kiosk-pack sign"));
}

TEST_CASE("target patterns match device groups like a shell glob", "[update][minisign]")
{
    CHECK(target_matches("*", "anything"));
    CHECK(target_matches("*", ""));
    CHECK(target_matches("lobby-*", "lobby-east"));
    CHECK(target_matches("lobby-*", "lobby-"));
    CHECK_FALSE(target_matches("lobby-*", "stand-1"));
    CHECK(target_matches("stand-?", "stand-3"));
    CHECK_FALSE(target_matches("stand-?", "stand-12"));
    CHECK(target_matches("*-east-*", "lobby-east-2"));
    CHECK_FALSE(target_matches("lobby", "lobby-east"));
    CHECK(target_matches("a*b*c", "axxbyyc"));
    CHECK_FALSE(target_matches("a*b*c", "axxbyy"));
    CHECK(target_matches("stand-[1-3]", "stand-2"));
    CHECK_FALSE(target_matches("stand-[1-3]", "stand-4"));
    // A NUL would shorten the C string fnmatch sees: "lobby" must not match "lobby\0-east".
    CHECK_FALSE(target_matches("lobby", std::string_view("lobby\0-east", 11)));
}

TEST_CASE("a folder of trusted keys loads every valid .pub and skips the rest", "[update][minisign]")
{
    TempDir dir;
    test::write_text(dir / "keys/office.pub", std::string(fixture_public_key));
    test::write_text(dir / "keys/broken.pub", "untrusted comment: x\nnot a key\n");
    test::write_text(dir / "keys/readme.txt", "not a key either");
    auto keys = load_public_keys(dir / "keys");
    REQUIRE(keys.ok());
    REQUIRE(keys->size() == 1);
    CHECK(key_id_hex(keys->front().key_id) == "DFDD6A3C64165BD4");
    CHECK(keys->front().source == (dir / "keys/office.pub").string());

    std::filesystem::create_directories(dir / "empty");
    auto none = load_public_keys(dir / "empty");
    REQUIRE_FALSE(none.ok());
    CHECK_THAT(none.message(), Catch::Contains("holds no valid minisign public key"));

    auto loaded = load_public_key(dir / "keys/broken.pub");
    REQUIRE_FALSE(loaded.ok());
    CHECK_THAT(loaded.message(), Catch::StartsWith((dir / "keys/broken.pub").string() + ": not a minisign public key"));
}
