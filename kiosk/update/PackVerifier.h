#pragma once

// The one verification of a signed content pack, shared by `kiosk-pack verify` and the app's
// importer, so both accept and refuse exactly the same packs.
//
// Order matters: the signature is checked first, over the raw bytes of the file, and nothing else
// reads those bytes before it passes; only then does SQLite open the pack (content::read_pack with
// a full integrity check, schema, media hashes, UTF-8), and finally the pack's own meta must agree
// with the claim in the signed trusted comment ("pack_id=<id> version=<n> target=<pattern>").
//
// The steps are exposed separately for the importer: check_signature_file() authenticates the
// claim from the .minisig alone (the trusted comment is covered by the global signature), so a
// foreign or older pack is refused before a byte of it is copied; the importer then hashes while
// it copies and finishes with verify_pack(staged, checked, hash).
//
// Every function is stateless, reads only the files named, and is thread-safe. Errors name the
// file and the failed check: "lobby.kpack: signature does not match the file: ...".

#include "kiosk/content/Pack.h"
#include "kiosk/update/Minisign.h"
#include "platform/Result.h"

#include <filesystem>
#include <vector>

namespace kiosk::update {

// A .minisig whose trusted comment is authentic and names a pack. Whether the signature also
// covers a given file is a separate check (verify_file_hash).
struct SignatureCheck {
    Signature signature;
    PublicKey signer;
    PackClaim claim;
};

struct VerifiedPack {
    PackClaim claim; // as signed
    KeyId signer_key_id {};
    content::Pack pack;
};

// Parses `sig` (bounded), finds its key among `trusted`, verifies the global signature over the
// trusted comment and parses that as a PackClaim. Does not read the pack.
Result<SignatureCheck> check_signature_file(std::filesystem::path const& sig, std::vector<PublicKey> const& trusted);

// Checks that the signature covers a file whose BLAKE2b-512 is `file_hash`; `pack` only names the
// file in messages. Legacy (non-prehashed) signatures cannot be checked from a hash and are refused.
Status verify_file_hash(SignatureCheck const& checked, Blake2b512 const& file_hash, std::filesystem::path const& pack);

// check_signature_file, then the signature over the bytes of `pack` (legacy "Ed" signatures too).
Result<SignatureCheck> verify_signature(
    std::filesystem::path const& pack, std::filesystem::path const& sig, std::vector<PublicKey> const& trusted);

// The whole verification: signature, then content::read_pack(IntegrityCheck::Full), then the
// pack's pack_id, version and target against the signed claim.
Result<VerifiedPack> verify_pack(
    std::filesystem::path const& pack, std::filesystem::path const& sig, std::vector<PublicKey> const& trusted);

// The same for a caller that hashed `pack` itself while writing it (the importer's staged copy):
// verify_file_hash first, then read_pack and the claim comparison.
Result<VerifiedPack> verify_pack(
    std::filesystem::path const& pack, SignatureCheck const& checked, Blake2b512 const& file_hash);

// Empty when the pack's meta agrees with the claim; otherwise the first difference, e.g.
// "signed claim says version 3 but the pack says version 2".
Status check_claim(PackClaim const& claim, content::PackMeta const& meta);

} // namespace kiosk::update
