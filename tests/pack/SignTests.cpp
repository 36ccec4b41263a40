// `kiosk-pack keygen` and `kiosk-pack sign`, and their interplay with stock minisign 0.11 in both
// directions: an editor may use either tool, and a kiosk must accept both.

#include "../support/TestSupport.h"
#include "kiosk/update/Minisign.h"

#include <catch2/catch.hpp>
#include <sys/stat.h>

using namespace kiosk;
using kiosk::test::quote;
using kiosk::test::TempDir;

namespace {

struct Run {
    int rc { -1 };
    std::string output; // stdout and stderr
};

Run run(std::string const& command)
{
    Run result;
    result.rc = test::run_command(command, &result.output);
    return result;
}

Run kiosk_pack(std::string const& args)
{
    // stdin from /dev/null: the tool must never wait for a password the test cannot type.
    return run(std::string(KIOSK_PACK_BIN) + " " + args + " < /dev/null");
}

// The sample source (pack_id test-pack, target lobby-*) built into dir/pack.kpack.
std::filesystem::path build_pack(TempDir const& dir, int version = 1)
{
    test::write_sample_source(dir / "src", version);
    auto const pack = dir / "pack.kpack";
    auto const built = kiosk_pack("build " + quote(dir / "src") + " -o " + quote(pack) + " --force-version");
    INFO(built.output);
    REQUIRE(built.rc == 0);
    return pack;
}

std::string key_id_of(std::filesystem::path const& public_key)
{
    auto key = update::load_public_key(public_key);
    REQUIRE(key.ok());
    return update::key_id_hex(key->key_id);
}

std::string const claim_v1 = "pack_id=test-pack version=1 target=lobby-*";

} // namespace

TEST_CASE("keygen --no-password writes a key pair that stock minisign signs with", "[pack][sign]")
{
    TempDir dir;
    auto const pack = build_pack(dir);
    auto const made = kiosk_pack("keygen -o " + quote(dir / "editor") + " --no-password");
    INFO(made.output);
    REQUIRE(made.rc == 0);
    REQUIRE(std::filesystem::exists(dir / "editor.key"));
    REQUIRE(std::filesystem::exists(dir / "editor.pub"));
    std::string const id = key_id_of(dir / "editor.pub");
    CHECK_THAT(made.output, Catch::Contains("Key " + id));
    CHECK_THAT(
        test::read_text(dir / "editor.pub"), Catch::StartsWith("untrusted comment: minisign public key " + id + "\n"));

    // The secret key is readable by its owner only.
    struct stat st { };
    REQUIRE(::stat((dir / "editor.key").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    // An unencrypted key: minisign asks no password (stdin is /dev/null).
    auto const signed_by_minisign = run(
        "minisign -S -s " + quote(dir / "editor.key") + " -m " + quote(pack) + " -t '" + claim_v1 + "' < /dev/null");
    INFO(signed_by_minisign.output);
    REQUIRE(signed_by_minisign.rc == 0);
    auto const verified = kiosk_pack("verify --pubkey " + quote(dir / "editor.pub") + " " + quote(pack));
    INFO(verified.output);
    CHECK(verified.rc == 0);
    CHECK_THAT(verified.output, Catch::Contains(": OK, signed by key " + id + ", " + claim_v1));
}

TEST_CASE("kiosk-pack sign writes a signature stock minisign verifies, with the pack's claim", "[pack][sign]")
{
    TempDir dir;
    auto const pack = build_pack(dir);
    // A stock `minisign -G -W` key, signing with kiosk-pack.
    REQUIRE(run("minisign -G -W -p " + quote(dir / "m.pub") + " -s " + quote(dir / "m.key")).rc == 0);
    auto const signed_pack = kiosk_pack("sign --key " + quote(dir / "m.key") + " " + quote(pack));
    INFO(signed_pack.output);
    REQUIRE(signed_pack.rc == 0);
    CHECK_THAT(signed_pack.output, Catch::Contains("pack.kpack.minisig: signed " + claim_v1));
    REQUIRE(std::filesystem::exists(dir / "pack.kpack.minisig"));
    // The trusted comment is exactly the claim, line three of the .minisig.
    CHECK_THAT(test::read_text(dir / "pack.kpack.minisig"), Catch::Contains("\ntrusted comment: " + claim_v1 + "\n"));

    auto const checked = run("minisign -V -p " + quote(dir / "m.pub") + " -m " + quote(pack));
    INFO(checked.output);
    CHECK(checked.rc == 0);
    CHECK_THAT(checked.output, Catch::Contains("Trusted comment: " + claim_v1));

    // Signing again (e.g. after a rebuild) replaces the signature.
    build_pack(dir, 2);
    REQUIRE(kiosk_pack("sign --key " + quote(dir / "m.key") + " " + quote(pack)).rc == 0);
    auto const again = run("minisign -V -p " + quote(dir / "m.pub") + " -m " + quote(pack));
    CHECK(again.rc == 0);
    CHECK_THAT(again.output, Catch::Contains("Trusted comment: pack_id=test-pack version=2 target=lobby-*"));
}

TEST_CASE("an encrypted key from keygen --password-file works with stock minisign and kiosk-pack sign", "[pack][sign]")
{
    TempDir dir;
    auto const pack = build_pack(dir);
    test::write_text(dir / "password", "lobby display 2017\n");
    auto const made = kiosk_pack("keygen -o " + quote(dir / "office") + " --password-file " + quote(dir / "password"));
    INFO(made.output);
    REQUIRE(made.rc == 0);
    CHECK_THAT(made.output, Catch::Contains("(encrypted)"));

    // Stock minisign reads the password from stdin when stdin is not a terminal.
    auto const by_minisign = run("minisign -S -s " + quote(dir / "office.key") + " -m " + quote(pack) + " -t '"
        + claim_v1 + "' < " + quote(dir / "password"));
    INFO(by_minisign.output);
    REQUIRE(by_minisign.rc == 0);
    auto const verified = kiosk_pack("verify --pubkey " + quote(dir / "office.pub") + " " + quote(pack));
    INFO(verified.output);
    CHECK(verified.rc == 0);

    // Without a terminal and without --password-file there is no way to get the password.
    std::filesystem::remove(dir / "pack.kpack.minisig");
    auto const no_password = kiosk_pack("sign --key " + quote(dir / "office.key") + " " + quote(pack));
    CHECK(no_password.rc == 2);
    CHECK_THAT(no_password.output, Catch::Contains("secret key is encrypted and no password was given"));
    CHECK_THAT(no_password.output, Catch::Contains("--password-file"));
    CHECK_FALSE(std::filesystem::exists(dir / "pack.kpack.minisig"));
}

TEST_CASE("a password-protected stock minisign key signs with kiosk-pack sign --password-file", "[pack][sign]")
{
    TempDir dir;
    auto const pack = build_pack(dir);
    // `minisign -G` asks twice; piped, it reads two lines.
    auto const made = run("printf 'tea and biscuits\\ntea and biscuits\\n' | minisign -G -p " + quote(dir / "m.pub")
        + " -s " + quote(dir / "m.key"));
    INFO(made.output);
    REQUIRE(made.rc == 0);

    test::write_text(dir / "wrong", "coffee\n");
    auto const wrong = kiosk_pack(
        "sign --key " + quote(dir / "m.key") + " --password-file " + quote(dir / "wrong") + " " + quote(pack));
    CHECK(wrong.rc == 2);
    CHECK_THAT(wrong.output, Catch::Contains("wrong password"));
    CHECK_FALSE(std::filesystem::exists(dir / "pack.kpack.minisig"));

    test::write_text(dir / "password", "tea and biscuits\n");
    auto const signed_pack = kiosk_pack(
        "sign --key " + quote(dir / "m.key") + " --password-file " + quote(dir / "password") + " " + quote(pack));
    INFO(signed_pack.output);
    REQUIRE(signed_pack.rc == 0);
    auto const checked = run("minisign -V -p " + quote(dir / "m.pub") + " -m " + quote(pack));
    INFO(checked.output);
    CHECK(checked.rc == 0);
    CHECK_THAT(checked.output, Catch::Contains("Trusted comment: " + claim_v1));
}

TEST_CASE("keygen never overwrites a key and needs a way to get the password", "[pack][sign]")
{
    TempDir dir;
    REQUIRE(kiosk_pack("keygen -o " + quote(dir / "k") + " --no-password").rc == 0);
    std::string const secret = test::read_text(dir / "k.key");

    auto const again = kiosk_pack("keygen -o " + quote(dir / "k") + " --no-password");
    CHECK(again.rc == 2);
    CHECK_THAT(again.output, Catch::Contains("k.key: already exists"));
    CHECK(test::read_text(dir / "k.key") == secret);

    // "-o k.pub" names the same pair, so it is refused too.
    CHECK(kiosk_pack("keygen -o " + quote(dir / "k.pub") + " --no-password").rc == 2);

    // stdin is not a terminal here: no prompt, a clear instruction instead, and no files.
    auto const no_choice = kiosk_pack("keygen -o " + quote(dir / "other"));
    CHECK(no_choice.rc == 2);
    CHECK_THAT(no_choice.output, Catch::Contains("--password-file FILE"));
    CHECK_THAT(no_choice.output, Catch::Contains("--no-password"));
    CHECK_FALSE(std::filesystem::exists(dir / "other.key"));
    CHECK_FALSE(std::filesystem::exists(dir / "other.pub"));

    auto const both = kiosk_pack("keygen -o " + quote(dir / "other") + " --no-password --password-file x");
    CHECK(both.rc == 2);
    CHECK_FALSE(std::filesystem::exists(dir / "other.key"));

    test::write_text(dir / "empty-password", "\n");
    auto const empty
        = kiosk_pack("keygen -o " + quote(dir / "other") + " --password-file " + quote(dir / "empty-password"));
    CHECK(empty.rc == 2);
    CHECK_THAT(empty.output, Catch::Contains("the password is empty"));
    CHECK_FALSE(std::filesystem::exists(dir / "other.key"));
}

TEST_CASE("sign refuses a pack that does not read back", "[pack][sign]")
{
    TempDir dir;
    auto const pack = build_pack(dir);
    REQUIRE(kiosk_pack("keygen -o " + quote(dir / "k") + " --no-password").rc == 0);
    // Half a pack, as left by an interrupted copy.
    auto const size = std::filesystem::file_size(pack);
    std::filesystem::resize_file(pack, size / 2);
    auto const refused = kiosk_pack("sign --key " + quote(dir / "k.key") + " " + quote(pack));
    CHECK(refused.rc == 2);
    CHECK_THAT(refused.output, Catch::Contains("refusing to sign a pack that does not read back"));
    CHECK_FALSE(std::filesystem::exists(dir / "pack.kpack.minisig"));

    auto const no_key = kiosk_pack("sign --key " + quote(dir / "missing.key") + " " + quote(build_pack(dir)));
    CHECK(no_key.rc == 2);
    CHECK_THAT(no_key.output, Catch::Contains("missing.key: cannot open"));

    auto const public_as_secret = kiosk_pack("sign --key " + quote(dir / "k.pub") + " " + quote(pack));
    CHECK(public_as_secret.rc == 2);
    CHECK_THAT(public_as_secret.output, Catch::Contains("not a minisign secret key"));
}

TEST_CASE("every key and signing command explains itself with --help", "[pack][sign]")
{
    for (std::string const command : { "keygen", "sign", "verify", "inspect" }) {
        auto const help = kiosk_pack(command + " --help");
        INFO(command << ": " << help.output);
        CHECK(help.rc == 0);
        CHECK_THAT(help.output, Catch::Contains("Usage:"));
    }
}
