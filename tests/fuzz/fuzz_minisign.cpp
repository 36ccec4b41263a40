// Fuzz target: the minisign file parsers (kiosk/update/Minisign), which read a USB stick's .minisig
// and the .pub files of /etc/kiosk/keys before anything is trusted. One input is offered to every
// parser, as the text of a file:
// - parse_public_key, parse_secret_key (no password: a hostile scrypt cost must be refused before
//   any password is asked for), parse_signature, parse_pack_claim;
// - a signature that parses has single-line comments and survives format_signature -> parse_signature unchanged, and
// its
//   checks against a real key run (a mutant that still verifies must be the seed's own claim);
// - a claim that parses survives format_pack_claim -> parse_pack_claim unchanged;
// - target_matches (fnmatch(3)) agrees with a plain dynamic-programming glob matcher on (first
//   line, second line) of the input, for patterns of '*', '?' and ordinary characters.

#include "FuzzSupport.h"

#include "kiosk/update/Minisign.h"

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace kiosk::update;

namespace {

// The same glob as target_matches ('*' any run, '?' one byte), written the slow, obvious way.
bool reference_glob(std::string_view pattern, std::string_view text)
{
    // matches[j]: pattern[0..i) matches text[0..j).
    std::vector<char> matches(text.size() + 1, 0);
    matches[0] = 1;
    for (char const p : pattern) {
        std::vector<char> next(text.size() + 1, 0);
        if (p == '*') {
            char any = 0;
            for (std::size_t j = 0; j <= text.size(); ++j) {
                any = char(any | matches[j]);
                next[j] = any;
            }
        } else {
            for (std::size_t j = 1; j <= text.size(); ++j)
                next[j] = char(matches[j - 1] && (p == '?' || p == text[j - 1]));
        }
        matches = std::move(next);
    }
    return matches[text.size()] != 0;
}

// A real key from the seed corpus (tests/fuzz/corpus/minisign/kiosk-pack.pub): signatures the
// mutator leaves intact verify against it.
PublicKey const& seed_key()
{
    static PublicKey const key = [] {
        auto parsed = parse_public_key("untrusted comment: minisign public key B5F40BF95296AFFD\n"
                                       "RWT9r5ZS+Qv0tcSc4zaW5gMmruOu1asji1NzS4pwtaNxsw1wXIWHb1ek\n");
        if (!parsed)
            kiosk::fuzz::invariant_failed("the seed public key parses", parsed.message(), __FILE__, __LINE__);
        return parsed.value();
    }();
    return key;
}

void check_signature(Signature const& signature)
{
    // Comments are single lines (Minisign.cpp asserts it before writing one back).
    KIOSK_FUZZ_CHECK(signature.untrusted_comment.find_first_of("\r\n") == std::string::npos
            && signature.trusted_comment.find_first_of("\r\n") == std::string::npos,
        "a parsed comment holds a line break");
    auto const again = parse_signature(format_signature(signature));
    KIOSK_FUZZ_CHECK(again.ok(), "a parsed signature formats into a file that does not parse: " + again.message());
    KIOSK_FUZZ_CHECK(again->prehashed == signature.prehashed && again->key_id == signature.key_id
            && again->signature == signature.signature && again->untrusted_comment == signature.untrusted_comment
            && again->trusted_comment == signature.trusted_comment
            && again->global_signature == signature.global_signature,
        "format_signature -> parse_signature changed the signature");
    KIOSK_FUZZ_CHECK(key_id_hex(signature.key_id).size() == 16, key_id_hex(signature.key_id));

    // The checks an importer runs; they must fail cleanly on anything the key did not sign.
    std::vector<PublicKey> const trusted { seed_key() };
    auto const signer = find_signer(signature, trusted);
    if (signer) {
        auto const claim_ok = verify_trusted_comment(signature, signer.value());
        Blake2b512 zero_hash {};
        auto const file_ok = verify_prehashed(signature, signer.value(), zero_hash);
        KIOSK_FUZZ_CHECK(!file_ok, "a signature verified over a file nobody signed");
        (void)claim_ok;
    } else {
        KIOSK_FUZZ_CHECK(!signer.message().empty(), "find_signer failed without saying why");
    }
}

void check_claim(std::string_view text)
{
    auto const claim = parse_pack_claim(text);
    if (!claim) {
        KIOSK_FUZZ_CHECK(!claim.message().empty(), "a refused claim without a message");
        return;
    }
    KIOSK_FUZZ_CHECK(!claim->pack_id.empty() && claim->version >= 1 && !claim->target.empty(),
        "an accepted claim with an empty pack_id or target, or a version below 1");
    auto const again = parse_pack_claim(format_pack_claim(claim.value()));
    KIOSK_FUZZ_CHECK(again.ok(), "a parsed claim formats into one that does not parse: " + again.message());
    KIOSK_FUZZ_CHECK(
        again->pack_id == claim->pack_id && again->version == claim->version && again->target == claim->target,
        "format_pack_claim -> parse_pack_claim changed the claim");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view const text(reinterpret_cast<char const*>(data), size);

    if (auto key = parse_public_key(text); key)
        KIOSK_FUZZ_CHECK(key_id_hex(key->key_id).size() == 16, "");
    else
        KIOSK_FUZZ_CHECK(!key.message().empty(), "a refused key without a message");

    // No password on offer: an encrypted key is refused (after its cost was checked).
    auto secret = parse_secret_key(text, [] { return std::optional<std::string>(); });
    KIOSK_FUZZ_CHECK(secret.ok() || !secret.message().empty(), "a refused secret key without a message");

    if (auto signature = parse_signature(text); signature) {
        check_signature(*signature);
        check_claim(signature->trusted_comment);
    } else {
        KIOSK_FUZZ_CHECK(!signature.message().empty(), "a refused signature without a message");
    }

    check_claim(text.substr(0, std::min<std::size_t>(text.size(), 10'000)));
    if (kiosk::fuzz::verbose())
        std::fprintf(stderr, "  public key %d, secret key %d, signature %d, claim %d\n", parse_public_key(text).ok(),
            secret.ok(), parse_signature(text).ok(), parse_pack_claim(text).ok());

    // Device groups and target patterns are short names; the reference matcher is quadratic.
    auto const newline = text.find('\n');
    std::string_view const pattern = text.substr(0, std::min<std::size_t>(newline, 200));
    std::string_view const group
        = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1, 200);
    // target_matches is fnmatch(3): bracket classes and backslash escapes have their meaning there,
    // and a NUL never matches (it would cut the C string short); the reference knows '*' and '?'.
    bool const plain = pattern.find_first_of(std::string_view("[\\\0", 3)) == std::string_view::npos
        && group.find('\0') == std::string_view::npos;
    if (plain)
        KIOSK_FUZZ_CHECK(target_matches(pattern, group) == reference_glob(pattern, group),
            "target_matches('" + std::string(pattern) + "', '" + std::string(group) + "') disagrees with a plain glob");
    return 0;
}
