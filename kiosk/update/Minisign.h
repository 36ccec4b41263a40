#pragma once

// The minisign signature format (https://jedisct1.github.io/minisign/), implemented with libsodium,
// so packs can be signed by `kiosk-pack sign` or by stock `minisign`, and verified by either.
//
//   public key file:  "untrusted comment: ...\n" + base64("Ed" || key_id[8] || ed25519_pk[32])
//   secret key file:  "untrusted comment: ...\n" + base64("Ed" || kdf_alg[2] ("Sc" scrypt / "\0\0" none)
//                      || chk_alg[2] ("B2") || kdf_salt[32] || opslimit[8] || memlimit[8]
//                      || (key_id[8] || ed25519_sk[64] || checksum[32]) XOR scrypt stream)
//   signature file:   "untrusted comment: ...\n" + base64("ED" || key_id[8] || sig[64]) + "\n"
//                      + "trusted comment: ...\n" + base64(global_sig[64]) + "\n"
//   "ED": sig = Ed25519(BLAKE2b-512(file)); global_sig = Ed25519(sig || trusted_comment).
//   Legacy "Ed" (sig over the raw file) is verified too, never produced.
//
// Every function is pure or reads only the files it is given; thread-safe.
// Errors name what failed: "signature made by key 7A3F... which is not trusted".

#include "platform/Result.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <sodium.h>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::update {

using KeyId = std::array<std::uint8_t, 8>;
using Blake2b512 = std::array<std::uint8_t, 64>;

// minisign prints key ids as 16 uppercase hex digits of the little-endian 64-bit number.
std::string key_id_hex(KeyId const& id);

struct PublicKey {
    KeyId key_id {};
    std::array<std::uint8_t, 32> key {};
    std::string source; // file it came from, for messages
};

// Wiped from memory when destroyed, so a secret key does not linger in freed heap or stack.
struct SecretKey {
    KeyId key_id {};
    std::array<std::uint8_t, 64> key {};
    ~SecretKey() { sodium_memzero(key.data(), key.size()); }
};

struct Signature {
    bool prehashed { true }; // "ED" (BLAKE2b-512 prehash) vs legacy "Ed"
    KeyId key_id {};
    std::array<std::uint8_t, 64> signature {};
    std::string untrusted_comment;
    std::string trusted_comment;
    std::array<std::uint8_t, 64> global_signature {};
};

Result<PublicKey> parse_public_key(std::string_view file_text);
Result<PublicKey> load_public_key(std::filesystem::path const& path);
// Every *.pub in dir; unreadable ones are skipped with a logged warning. Error if none is valid.
Result<std::vector<PublicKey>> load_public_keys(std::filesystem::path const& dir);

// Asked for the password of an encrypted secret key; nullopt: none available (error).
using PasswordProvider = std::function<std::optional<std::string>()>;
Result<SecretKey> parse_secret_key(std::string_view file_text, PasswordProvider const& password);
Result<SecretKey> load_secret_key(std::filesystem::path const& path, PasswordProvider const& password);

struct KeyFiles {
    std::string public_key; // contents of NAME.pub
    std::string secret_key; // contents of NAME.key
    KeyId key_id {};
};
// A new key pair in minisign's file formats; encrypted with scrypt when password is non-empty.
KeyFiles generate_key_pair(std::string const& password);

// scrypt cost of an encrypted secret key. minisign uses `sensitive` (1 GiB, a few seconds), halved
// while the machine cannot provide the memory; the chosen limits are stored in the key file, so
// any limits decrypt with stock minisign. Lower limits are for unit tests only.
struct ScryptLimits {
    std::uint64_t opslimit { crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE };
    std::uint64_t memlimit { crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE };
};
KeyFiles generate_key_pair(std::string const& password, ScryptLimits limits);

// A .minisig bigger than this is refused before it is parsed (a real one is about 300 bytes).
constexpr std::size_t max_signature_file_bytes = 64 * 1024;

Result<Signature> parse_signature(std::string_view file_text);
// Reads (bounded by max_signature_file_bytes) and parses a .minisig; errors start with its path.
Result<Signature> load_signature(std::filesystem::path const& path);
std::string format_signature(Signature const& signature);

// Streaming BLAKE2b-512, so an importer can hash while it copies.
class Blake2bHasher {
public:
    Blake2bHasher();
    void update(std::span<std::uint8_t const> bytes);
    Blake2b512 finish();

private:
    crypto_generichash_state m_state {};
    bool m_finished { false };
};

Result<Blake2b512> hash_file(std::filesystem::path const& path);

// Signs a file's prehash; returns the .minisig contents.
Signature sign_prehashed(Blake2b512 const& file_hash, SecretKey const& key, std::string trusted_comment,
    std::string untrusted_comment = "signature from kiosk-pack");

// Checks the global signature (trusted comment) and the file signature against `key`. For legacy
// "Ed" signatures pass the whole file in legacy_file_bytes. Error says which part failed.
Status verify_prehashed(Signature const& signature, PublicKey const& key, Blake2b512 const& file_hash,
    std::span<std::uint8_t const> legacy_file_bytes = {});

// Only the global signature: the trusted comment is authentic. Needs no file bytes, so an importer
// can read the claim from the .minisig before copying the pack. verify_prehashed includes this.
Status verify_trusted_comment(Signature const& signature, PublicKey const& key);

// The key among `trusted` whose id matches the signature's, or an error naming the unknown id.
Result<PublicKey> find_signer(Signature const& signature, std::vector<PublicKey> const& trusted);

// The trusted comment `kiosk-pack sign` writes: "pack_id=<id> version=<n> target=<pattern>"
// (space-separated key=value; unknown keys ignored).
struct PackClaim {
    std::string pack_id;
    std::int64_t version { 0 };
    std::string target { "*" };
};
Result<PackClaim> parse_pack_claim(std::string_view trusted_comment);
std::string format_pack_claim(PackClaim const& claim);

// Shell-style glob match (fnmatch(3)) of a device group against a pack's target pattern: '*', '?'
// and bracket classes such as 'stand-[1-3]'.
bool target_matches(std::string_view pattern, std::string_view device_group);

} // namespace kiosk::update
