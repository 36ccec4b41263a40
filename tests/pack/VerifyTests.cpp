// `kiosk-pack verify` (update::verify_pack, the kiosk's own check): what passes, and for each kind
// of tampering, the failure and the message an editor or operator sees.

#include "../support/TestSupport.h"
#include "kiosk/update/Minisign.h"
#include "kiosk/update/PackVerifier.h"

#include <catch2/catch.hpp>
#include <fstream>

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
    result.rc = test::run_command(command + " < /dev/null", &result.output);
    return result;
}

Run kiosk_pack(std::string const& args)
{
    return run(std::string(KIOSK_PACK_BIN) + " " + args);
}

std::string const claim_v1 = "pack_id=test-pack version=1 target=lobby-*";

// A pack built from the sample source and signed with stock minisign by a fresh -W key, as an
// editor who never installed kiosk-pack's signing would do it.
struct SignedPack {
    TempDir dir;
    std::filesystem::path pack { dir / "pack.kpack" };
    std::filesystem::path sig { dir / "pack.kpack.minisig" };
    std::filesystem::path public_key { dir / "editor.pub" };
    std::string key_id;

    SignedPack()
    {
        test::write_sample_source(dir / "src");
        REQUIRE(kiosk_pack("build " + quote(dir / "src") + " -o " + quote(pack)).rc == 0);
        make_key("editor");
        key_id = id_of(public_key);
        sign_with_minisign("editor", pack, claim_v1);
    }

    void make_key(std::string const& name) const
    {
        REQUIRE(
            run("minisign -G -W -p " + quote(dir / (name + ".pub")) + " -s " + quote(dir / (name + ".key"))).rc == 0);
    }

    void sign_with_minisign(std::string const& key, std::filesystem::path const& file, std::string const& comment,
        std::filesystem::path const& sig_file = {}) const
    {
        auto const signed_file = run("minisign -S -s " + quote(dir / (key + ".key")) + " -m " + quote(file)
            + (sig_file.empty() ? "" : " -x " + quote(sig_file)) + " -t '" + comment + "'");
        INFO(signed_file.output);
        REQUIRE(signed_file.rc == 0);
    }

    static std::string id_of(std::filesystem::path const& public_key)
    {
        auto key = update::load_public_key(public_key);
        REQUIRE(key.ok());
        return update::key_id_hex(key->key_id);
    }

    Run verify(std::string const& extra = "") const
    {
        return kiosk_pack("verify --pubkey " + quote(public_key) + " " + quote(pack) + " " + extra);
    }
};

void flip_byte(std::filesystem::path const& path, std::uintmax_t offset)
{
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(std::streamoff(offset));
    char byte = 0;
    file.get(byte);
    file.seekp(std::streamoff(offset));
    file.put(char(byte ^ 0x01));
}

} // namespace

TEST_CASE("a pack signed by stock minisign verifies", "[pack][verify]")
{
    SignedPack signed_pack;
    auto const verified = signed_pack.verify();
    INFO(verified.output);
    CHECK(verified.rc == 0);
    CHECK(verified.output
        == signed_pack.pack.string() + ": OK, signed by key " + signed_pack.key_id + ", " + claim_v1 + "\n");

    // The same through the library the importer uses.
    auto key = update::load_public_key(signed_pack.public_key);
    REQUIRE(key.ok());
    auto pack = update::verify_pack(signed_pack.pack, signed_pack.sig, { key.value() });
    INFO((pack ? "" : pack.message()));
    REQUIRE(pack.ok());
    CHECK(pack->claim.version == 1);
    CHECK(pack->signer_key_id == key->key_id);
    CHECK(pack->pack.slides.size() == 2);

    // A folder of trusted keys, like /etc/kiosk/keys, works as well.
    std::filesystem::create_directories(signed_pack.dir / "keys");
    std::filesystem::copy_file(signed_pack.public_key, signed_pack.dir / "keys/editor.pub");
    CHECK(kiosk_pack("verify --pubkey " + quote(signed_pack.dir / "keys") + " " + quote(signed_pack.pack)).rc == 0);
}

TEST_CASE("one flipped byte anywhere in the pack fails verification", "[pack][verify]")
{
    SignedPack signed_pack;
    auto const size = std::filesystem::file_size(signed_pack.pack);
    REQUIRE(size > 4096);
    // The SQLite header, a byte inside it that SQLite ignores, a page in the middle, the last byte.
    for (std::uintmax_t const offset : { std::uintmax_t(0), std::uintmax_t(72), size / 2, size - 1 }) {
        INFO("offset " << offset);
        std::filesystem::copy_file(
            signed_pack.pack, signed_pack.dir / "original.kpack", std::filesystem::copy_options::overwrite_existing);
        flip_byte(signed_pack.pack, offset);
        auto const verified = signed_pack.verify();
        INFO(verified.output);
        CHECK(verified.rc == 1);
        CHECK_THAT(verified.output,
            Catch::Contains(signed_pack.pack.string() + ": signature does not match the file: the file was altered"));
        CHECK_THAT(verified.output, Catch::Contains("FAILED verification"));
        std::filesystem::copy_file(
            signed_pack.dir / "original.kpack", signed_pack.pack, std::filesystem::copy_options::overwrite_existing);
    }
    CHECK(signed_pack.verify().rc == 0);
}

TEST_CASE("an altered trusted comment fails the global signature", "[pack][verify]")
{
    SignedPack signed_pack;
    std::string text = test::read_text(signed_pack.sig);
    auto const at = text.find("version=1");
    REQUIRE(at != std::string::npos);
    text.replace(at, 9, "version=9");
    test::write_text(signed_pack.sig, text);
    auto const verified = signed_pack.verify();
    INFO(verified.output);
    CHECK(verified.rc == 1);
    CHECK_THAT(verified.output, Catch::Contains("trusted comment does not verify: the signature file was altered"));
}

TEST_CASE("a signature by a key that is not trusted names the key", "[pack][verify]")
{
    SignedPack signed_pack;
    signed_pack.make_key("stranger");
    signed_pack.sign_with_minisign("stranger", signed_pack.pack, claim_v1);
    std::string const stranger = SignedPack::id_of(signed_pack.dir / "stranger.pub");
    auto const verified = signed_pack.verify();
    INFO(verified.output);
    CHECK(verified.rc == 1);
    CHECK_THAT(verified.output, Catch::Contains("signature made by key " + stranger + " which is not trusted"));
    CHECK_THAT(verified.output, Catch::Contains(signed_pack.key_id + " from " + signed_pack.public_key.string()));
}

TEST_CASE("a signature made for another file fails", "[pack][verify]")
{
    SignedPack signed_pack;
    test::write_text(signed_pack.dir / "other.kpack", "some other file");
    signed_pack.sign_with_minisign("editor", signed_pack.dir / "other.kpack", claim_v1);
    auto const verified = signed_pack.verify("--sig " + quote(signed_pack.dir / "other.kpack.minisig"));
    INFO(verified.output);
    CHECK(verified.rc == 1);
    CHECK_THAT(verified.output, Catch::Contains("signature does not match the file"));
}

TEST_CASE("a truncated or garbled .minisig is a clear error", "[pack][verify]")
{
    SignedPack signed_pack;
    std::string const text = test::read_text(signed_pack.sig);

    test::write_text(signed_pack.sig, text.substr(0, text.find("\ntrusted comment") + 1));
    auto truncated = signed_pack.verify();
    INFO(truncated.output);
    CHECK(truncated.rc == 1);
    CHECK_THAT(truncated.output,
        Catch::Contains(
            signed_pack.sig.string() + ": not a minisign signature: the file is truncated: it ends after line 2 of 4"));

    test::write_text(signed_pack.sig, "<html>404 Not Found</html>\n");
    auto garbled = signed_pack.verify();
    INFO(garbled.output);
    CHECK(garbled.rc == 1);
    CHECK_THAT(garbled.output, Catch::Contains("not a minisign signature"));

    test::write_text(signed_pack.sig, std::string(100 * 1024, 'A'));
    auto huge = signed_pack.verify();
    INFO(huge.output);
    CHECK(huge.rc == 1); // refused unread: a real .minisig is about 300 bytes
    CHECK_THAT(huge.output, Catch::Contains("is 100 KB, more than the 64 KB limit"));
}

TEST_CASE("the pack must be what the signed claim says", "[pack][verify]")
{
    SignedPack signed_pack;
    signed_pack.sign_with_minisign("editor", signed_pack.pack, "pack_id=test-pack version=3 target=lobby-*");
    auto const newer = signed_pack.verify();
    INFO(newer.output);
    CHECK(newer.rc == 1);
    CHECK_THAT(newer.output, Catch::Contains("signed claim says version 3 but the pack says version 1"));

    signed_pack.sign_with_minisign("editor", signed_pack.pack, "pack_id=lobby-main version=1 target=lobby-*");
    auto const foreign = signed_pack.verify();
    CHECK(foreign.rc == 1);
    CHECK_THAT(
        foreign.output, Catch::Contains("signed claim says pack_id lobby-main but the pack says pack_id test-pack"));

    signed_pack.sign_with_minisign("editor", signed_pack.pack, "pack_id=test-pack version=1 target=*");
    auto const wider = signed_pack.verify();
    CHECK(wider.rc == 1);
    CHECK_THAT(wider.output, Catch::Contains("signed claim says target * but the pack says target lobby-*"));

    // minisign's default comment (no -t) carries no claim at all.
    auto const plain
        = run("minisign -S -s " + quote(signed_pack.dir / "editor.key") + " -m " + quote(signed_pack.pack));
    REQUIRE(plain.rc == 0);
    auto const no_claim = signed_pack.verify();
    CHECK(no_claim.rc == 1);
    CHECK_THAT(no_claim.output, Catch::Contains("is not a pack claim"));
    CHECK_THAT(no_claim.output, Catch::Contains("kiosk-pack sign"));
}

TEST_CASE("a validly signed file that is not a good pack is refused by the pack checks", "[pack][verify]")
{
    SignedPack signed_pack;
    // Half a pack, signed as it is: the signature holds, the content does not.
    std::filesystem::resize_file(signed_pack.pack, std::filesystem::file_size(signed_pack.pack) / 2);
    signed_pack.sign_with_minisign("editor", signed_pack.pack, claim_v1);
    auto const verified = signed_pack.verify();
    INFO(verified.output);
    CHECK(verified.rc == 1);
    CHECK_THAT(verified.output, Catch::Contains(signed_pack.pack.string()));
    CHECK_THAT(verified.output, !Catch::Contains("signature does not match"));
    CHECK_THAT(verified.output, Catch::Contains("FAILED verification"));
}

TEST_CASE("missing or unreadable inputs are usage errors", "[pack][verify]")
{
    SignedPack signed_pack;
    std::filesystem::remove(signed_pack.sig);
    auto const unsigned_pack = signed_pack.verify();
    CHECK(unsigned_pack.rc == 2);
    CHECK_THAT(unsigned_pack.output, Catch::Contains("pack.kpack.minisig: cannot read the signature (no such file)"));
    CHECK_THAT(unsigned_pack.output, Catch::Contains("kiosk-pack sign --key KEY PACK"));

    auto const no_key
        = kiosk_pack("verify --pubkey " + quote(signed_pack.dir / "nope.pub") + " " + quote(signed_pack.pack));
    CHECK(no_key.rc == 2);
    CHECK_THAT(no_key.output, Catch::Contains("nope.pub: cannot open"));

    auto const no_pack
        = kiosk_pack("verify --pubkey " + quote(signed_pack.public_key) + " " + quote(signed_pack.dir / "gone.kpack"));
    CHECK(no_pack.rc == 2);
    CHECK_THAT(no_pack.output, Catch::Contains("gone.kpack: cannot read the pack (no such file)"));

    auto const secret_as_public
        = kiosk_pack("verify --pubkey " + quote(signed_pack.dir / "editor.key") + " " + quote(signed_pack.pack));
    CHECK(secret_as_public.rc == 2);
    CHECK_THAT(secret_as_public.output, Catch::Contains("not a minisign public key"));

    CHECK(kiosk_pack("verify " + quote(signed_pack.pack)).rc == 2); // --pubkey is required
}

TEST_CASE("the importer's steps: claim from the .minisig alone, then the copied bytes", "[pack][verify]")
{
    SignedPack signed_pack;
    auto key = update::load_public_key(signed_pack.public_key);
    REQUIRE(key.ok());
    auto checked = update::check_signature_file(signed_pack.sig, { key.value() });
    INFO((checked ? "" : checked.message()));
    REQUIRE(checked.ok());
    CHECK(update::format_pack_claim(checked->claim) == claim_v1);

    // Hash while "copying", then finish from the hash.
    update::Blake2bHasher hasher;
    std::string const bytes = test::read_text(signed_pack.pack);
    hasher.update(std::span(reinterpret_cast<std::uint8_t const*>(bytes.data()), bytes.size()));
    auto const hash = hasher.finish();
    auto pack = update::verify_pack(signed_pack.pack, checked.value(), hash);
    INFO((pack ? "" : pack.message()));
    REQUIRE(pack.ok());
    CHECK(pack->pack.meta.pack_id == "test-pack");

    auto other = update::verify_pack(signed_pack.pack, checked.value(), update::Blake2b512 {});
    REQUIRE_FALSE(other.ok());
    CHECK_THAT(other.message(), Catch::Contains("signature does not match the file"));
}
