#include "kiosk/update/PackVerifier.h"

#include "kiosk/content/PackReader.h"
#include "platform/Files.h"

namespace kiosk::update {

namespace {

std::string prefixed(std::filesystem::path const& path, std::string const& message)
{
    return path.string() + ": " + message;
}

// Only the signature has looked at the bytes so far; now SQLite may open them.
Result<VerifiedPack> read_signed_pack(std::filesystem::path const& pack, SignatureCheck const& checked)
{
    auto read = content::read_pack(pack, content::IntegrityCheck::Full);
    if (!read)
        return read.error();
    if (auto agreed = check_claim(checked.claim, read->meta); !agreed)
        return make_error(prefixed(pack, agreed.message()));
    VerifiedPack verified;
    verified.claim = checked.claim;
    verified.signer_key_id = checked.signer.key_id;
    verified.pack = std::move(read).value();
    return verified;
}

} // namespace

Result<SignatureCheck> check_signature_file(std::filesystem::path const& sig, std::vector<PublicKey> const& trusted)
{
    auto signature = load_signature(sig);
    if (!signature)
        return signature.error();
    auto signer = find_signer(signature.value(), trusted);
    if (!signer)
        return make_error(prefixed(sig, signer.message()));
    // The global signature covers the file signature and the comment, not the file: the claim is
    // authentic from here on, while the file itself is checked in verify_file_hash.
    if (auto comment = verify_trusted_comment(signature.value(), signer.value()); !comment)
        return make_error(prefixed(sig, comment.message()));
    auto claim = parse_pack_claim(signature->trusted_comment);
    if (!claim)
        return make_error(prefixed(sig, claim.message()));
    return SignatureCheck { std::move(signature).value(), std::move(signer).value(), std::move(claim).value() };
}

Status verify_file_hash(SignatureCheck const& checked, Blake2b512 const& file_hash, std::filesystem::path const& pack)
{
    if (!checked.signature.prehashed)
        return make_error(prefixed(pack,
            "its signature is in minisign's legacy format, which cannot be checked while copying; sign it again "
            "with `kiosk-pack sign` or a current minisign (without -l)"));
    if (auto verified = verify_prehashed(checked.signature, checked.signer, file_hash); !verified)
        return make_error(prefixed(pack, verified.message()));
    return {};
}

Result<SignatureCheck> verify_signature(
    std::filesystem::path const& pack, std::filesystem::path const& sig, std::vector<PublicKey> const& trusted)
{
    auto checked = check_signature_file(sig, trusted);
    if (!checked)
        return checked.error();
    if (checked->signature.prehashed) {
        auto hash = hash_file(pack);
        if (!hash)
            return hash.error();
        if (auto verified = verify_file_hash(checked.value(), hash.value(), pack); !verified)
            return verified.error();
        return checked;
    }
    // Legacy "Ed": Ed25519 over the whole file, so the file is held in memory (bounded).
    auto bytes = files::read_file(pack, content::PackLimits::max_pack_bytes);
    if (!bytes)
        return bytes.error();
    if (auto verified = verify_prehashed(checked->signature, checked->signer, Blake2b512 {}, bytes.value()); !verified)
        return make_error(prefixed(pack, verified.message()));
    return checked;
}

Result<VerifiedPack> verify_pack(
    std::filesystem::path const& pack, std::filesystem::path const& sig, std::vector<PublicKey> const& trusted)
{
    auto checked = verify_signature(pack, sig, trusted);
    if (!checked)
        return checked.error();
    return read_signed_pack(pack, checked.value());
}

Result<VerifiedPack> verify_pack(
    std::filesystem::path const& pack, SignatureCheck const& checked, Blake2b512 const& file_hash)
{
    if (auto verified = verify_file_hash(checked, file_hash, pack); !verified)
        return verified.error();
    return read_signed_pack(pack, checked);
}

Status check_claim(PackClaim const& claim, content::PackMeta const& meta)
{
    if (claim.pack_id != meta.pack_id)
        return make_error("signed claim says pack_id " + claim.pack_id + " but the pack says pack_id " + meta.pack_id);
    if (claim.version != meta.version)
        return make_error("signed claim says version " + std::to_string(claim.version) + " but the pack says version "
            + std::to_string(meta.version));
    if (claim.target != meta.target)
        return make_error("signed claim says target " + claim.target + " but the pack says target " + meta.target);
    return {};
}

} // namespace kiosk::update
