#include "kiosk/update/Minisign.h"

#include "platform/Files.h"
#include "platform/Log.h"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiosk::update {

namespace {

// Field sizes and tags of minisign 0.11 (src/minisign.h there). The binary blobs are packed C
// structs without padding, so the offsets below are the whole format.
constexpr std::string_view untrusted_prefix = "untrusted comment: ";
constexpr std::string_view trusted_prefix = "trusted comment: ";
constexpr std::array<std::uint8_t, 2> alg_ed { 'E', 'd' };
constexpr std::array<std::uint8_t, 2> alg_ed_prehashed { 'E', 'D' };
constexpr std::array<std::uint8_t, 2> kdf_scrypt { 'S', 'c' };
constexpr std::array<std::uint8_t, 2> kdf_none { 0, 0 };
constexpr std::array<std::uint8_t, 2> chk_blake2b { 'B', '2' };

// minisign reads comment lines into 1024- and 8192-byte buffers (prefix and newline included);
// longer lines would be split by it, so they are refused here.
constexpr std::size_t max_untrusted_comment_bytes = 1024 - untrusted_prefix.size() - 2;
constexpr std::size_t max_trusted_comment_bytes = 8192 - trusted_prefix.size() - 2;
constexpr std::size_t max_key_file_bytes = 64 * 1024;

constexpr std::size_t key_id_bytes = 8;
constexpr std::size_t public_blob_bytes = 2 + key_id_bytes + crypto_sign_PUBLICKEYBYTES; // 42
constexpr std::size_t signature_blob_bytes = 2 + key_id_bytes + crypto_sign_BYTES; // 74
constexpr std::size_t salt_bytes = crypto_pwhash_scryptsalsa208sha256_SALTBYTES;
constexpr std::size_t checksum_bytes = crypto_generichash_BYTES; // 32
// key_id || ed25519 secret key || checksum: the part scrypt's stream is XORed over.
constexpr std::size_t encrypted_part_bytes = key_id_bytes + crypto_sign_SECRETKEYBYTES + checksum_bytes; // 104
constexpr std::size_t secret_blob_bytes = 2 + 2 + 2 + salt_bytes + 8 + 8 + encrypted_part_bytes; // 158

// Offsets inside the secret key blob.
constexpr std::size_t sk_kdf_alg = 2;
constexpr std::size_t sk_chk_alg = 4;
constexpr std::size_t sk_salt = 6;
constexpr std::size_t sk_opslimit = sk_salt + salt_bytes;
constexpr std::size_t sk_memlimit = sk_opslimit + 8;
constexpr std::size_t sk_encrypted = sk_memlimit + 8;
constexpr std::size_t sk_key_id = sk_encrypted;
constexpr std::size_t sk_key = sk_key_id + key_id_bytes;
constexpr std::size_t sk_checksum = sk_key + crypto_sign_SECRETKEYBYTES;
static_assert(sk_checksum + checksum_bytes == secret_blob_bytes);

// Bounds on the scrypt cost a secret key file may ask for: minisign's own maximum is the
// "sensitive" level; four times that still finishes, anything more is a damaged or hostile file.
constexpr std::uint64_t max_opslimit = 4ull * crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE;
constexpr std::uint64_t max_memlimit = 4ull * crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE;

void ensure_sodium()
{
    // sodium_init is idempotent and thread-safe; it only fails when no entropy source exists,
    // in which case no key can be made safely at all.
    static bool const ready = sodium_init() >= 0;
    if (!ready)
        std::abort();
}

// Zeroes a buffer of secret bytes when it goes out of scope, on every return path.
template<std::size_t N>
struct WipedBytes {
    std::array<std::uint8_t, N> bytes {};
    WipedBytes() = default;
    WipedBytes(WipedBytes const&) = delete;
    WipedBytes& operator=(WipedBytes const&) = delete;
    ~WipedBytes() { sodium_memzero(bytes.data(), bytes.size()); }
    std::uint8_t* data() { return bytes.data(); }
    static constexpr std::size_t size() { return N; }
};

// A password copy that is wiped when it goes out of scope (std::string may still have left copies
// behind when it grew; this is best effort).
struct WipedString {
    std::string text;
    ~WipedString() { sodium_memzero(text.data(), text.size()); }
};

std::uint64_t load_le64(std::uint8_t const* p)
{
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i)
        value = (value << 8) | p[i];
    return value;
}

void store_le64(std::uint8_t* p, std::uint64_t value)
{
    for (int i = 0; i < 8; ++i) {
        p[i] = std::uint8_t(value & 0xff);
        value >>= 8;
    }
}

std::string to_base64(std::uint8_t const* bytes, std::size_t size)
{
    std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

// Decodes a whole line of padded standard base64 into exactly `expected` bytes.
// `kind` and `line_name` build the messages: "not a minisign signature: second line is not base64".
Result<std::vector<std::uint8_t>> from_base64(
    std::string_view line, std::size_t expected, std::string_view kind, std::string_view line_name)
{
    // Room for whatever the line holds, so a valid line of the wrong kind is reported by its size.
    std::vector<std::uint8_t> bytes(line.size() / 4 * 3 + 3);
    std::size_t decoded = 0;
    char const* end = nullptr;
    if (line.empty())
        return make_error(std::string(kind) + ": " + std::string(line_name) + " is empty");
    if (sodium_base642bin(bytes.data(), bytes.size(), line.data(), line.size(), nullptr, &decoded, &end,
            sodium_base64_VARIANT_ORIGINAL)
            != 0
        || end != line.data() + line.size())
        return make_error(std::string(kind) + ": " + std::string(line_name) + " is not base64");
    if (decoded != expected)
        return make_error(std::string(kind) + ": " + std::string(line_name) + " decodes to " + std::to_string(decoded)
            + " bytes instead of " + std::to_string(expected) + " (truncated or not the right kind of file)");
    bytes.resize(expected);
    return bytes;
}

std::string alg_text(std::uint8_t const* alg)
{
    std::string text;
    for (int i = 0; i < 2; ++i) {
        if (alg[i] >= 0x20 && alg[i] < 0x7f) {
            text += char(alg[i]);
        } else {
            char hex[5];
            std::snprintf(hex, sizeof hex, "\\x%02X", alg[i]);
            text += hex;
        }
    }
    return text;
}

bool equal_tag(std::uint8_t const* bytes, std::array<std::uint8_t, 2> const& tag)
{
    return bytes[0] == tag[0] && bytes[1] == tag[1];
}

char const* const line_names[] = { "first line", "second line", "third line", "fourth line" };

// Splits a minisign text file into its lines. Accepts "\n" and "\r\n" (a file edited on Windows),
// a missing final newline, and trailing empty lines; anything else after `line_count` lines, or a
// NUL byte, is an error.
Result<std::vector<std::string_view>> split_lines(std::string_view text, std::size_t line_count, std::string_view kind)
{
    if (text.empty())
        return make_error(std::string(kind) + ": the file is empty");
    if (text.find('\0') != std::string_view::npos)
        return make_error(std::string(kind) + ": the file contains a NUL byte (binary data, not a text file)");
    std::vector<std::string_view> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t const newline = text.find('\n', pos);
        std::size_t const end = newline == std::string_view::npos ? text.size() : newline;
        std::string_view line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        pos = newline == std::string_view::npos ? text.size() : newline + 1;
    }
    while (lines.size() > line_count && lines.back().find_first_not_of(" \t") == std::string_view::npos)
        lines.pop_back();
    if (lines.size() < line_count)
        return make_error(std::string(kind) + ": the file is truncated: it ends after line "
            + std::to_string(lines.size()) + " of " + std::to_string(line_count));
    if (lines.size() > line_count)
        return make_error(std::string(kind) + ": unexpected text after line " + std::to_string(line_count) + ": '"
            + std::string(lines[line_count].substr(0, 40)) + "'");
    return lines;
}

Result<std::string> comment_after(
    std::string_view line, std::string_view prefix, std::size_t max_bytes, std::string_view kind, std::size_t index)
{
    if (!line.starts_with(prefix))
        return make_error(
            std::string(kind) + ": " + line_names[index] + " does not start with '" + std::string(prefix) + "'");
    std::string_view const comment = line.substr(prefix.size());
    // A carriage return inside a comment (the one ending a CRLF line is already gone) would return
    // the cursor when the comment is printed, so a claim could be shown over by another, and
    // format_signature could not write it back (found by fuzzing). No minisign tool writes one.
    if (comment.find('\r') != std::string_view::npos)
        return make_error(std::string(kind) + ": " + line_names[index] + " contains a carriage return");
    if (comment.size() > max_bytes)
        return make_error(std::string(kind) + ": " + line_names[index] + " is " + std::to_string(comment.size())
            + " bytes long; minisign allows " + std::to_string(max_bytes));
    return std::string(comment);
}

// Only used in assertions: comments are single lines by construction.
[[maybe_unused]] bool has_line_break(std::string_view text)
{
    return text.find_first_of("\r\n") != std::string_view::npos;
}

// BLAKE2b-256 over sig_alg || key_id || secret key: minisign's check that a decryption worked.
std::array<std::uint8_t, checksum_bytes> secret_key_checksum(std::uint8_t const* blob)
{
    std::array<std::uint8_t, checksum_bytes> checksum {};
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, checksum.size());
    crypto_generichash_update(&state, blob, 2);
    crypto_generichash_update(&state, blob + sk_key_id, key_id_bytes);
    crypto_generichash_update(&state, blob + sk_key, crypto_sign_SECRETKEYBYTES);
    crypto_generichash_final(&state, checksum.data(), checksum.size());
    sodium_memzero(&state, sizeof state);
    return checksum;
}

// An Ed25519 secret key is seed || public key. If the seed does not give the stored public key the
// key is damaged; for unencrypted keys, which minisign stores without a checksum, this is the only
// check there is.
bool secret_key_consistent(std::uint8_t const* key)
{
    std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> public_key {};
    WipedBytes<crypto_sign_SECRETKEYBYTES> derived;
    crypto_sign_seed_keypair(public_key.data(), derived.data(), key);
    return sodium_memcmp(derived.data(), key, crypto_sign_SECRETKEYBYTES) == 0;
}

std::string with_path(std::filesystem::path const& path, std::string const& message)
{
    return path.string() + ": " + message;
}

Result<std::string> read_text_file(std::filesystem::path const& path, std::uint64_t max_bytes)
{
    KIOSK_TRY_ASSIGN(auto const bytes, files::read_file(path, max_bytes));
    return std::string(bytes.begin(), bytes.end());
}

bool all_zero(std::uint8_t const* bytes, std::size_t size)
{
    return std::all_of(bytes, bytes + size, [](std::uint8_t b) { return b == 0; });
}

} // namespace

std::string key_id_hex(KeyId const& id)
{
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string text;
    // Little-endian number: the last byte is the most significant digit pair.
    for (std::size_t i = id.size(); i-- > 0;) {
        text += digits[id[i] >> 4];
        text += digits[id[i] & 0x0f];
    }
    return text;
}

Result<PublicKey> parse_public_key(std::string_view file_text)
{
    constexpr std::string_view kind = "not a minisign public key";
    KIOSK_TRY_ASSIGN(auto const lines, split_lines(file_text, 2, kind));
    KIOSK_TRY(comment_after(lines[0], untrusted_prefix, max_untrusted_comment_bytes, kind, 0));
    KIOSK_TRY_ASSIGN(auto const blob, from_base64(lines[1], public_blob_bytes, kind, line_names[1]));
    if (!equal_tag(blob.data(), alg_ed))
        return make_error(std::string(kind) + ": it names signature algorithm '" + alg_text(blob.data())
            + "'; minisign keys use 'Ed'");
    PublicKey key;
    std::copy_n(blob.data() + 2, key_id_bytes, key.key_id.begin());
    std::copy_n(blob.data() + 2 + key_id_bytes, key.key.size(), key.key.begin());
    return key;
}

Result<PublicKey> load_public_key(std::filesystem::path const& path)
{
    KIOSK_TRY_ASSIGN(auto const text, read_text_file(path, max_key_file_bytes));
    auto key = parse_public_key(text);
    if (!key)
        return make_error(with_path(path, key.message()));
    key->source = path.string();
    return key;
}

Result<std::vector<PublicKey>> load_public_keys(std::filesystem::path const& dir)
{
    std::error_code ec;
    std::vector<std::filesystem::path> paths;
    std::filesystem::directory_iterator it(dir, ec);
    if (ec)
        return make_error(dir.string() + ": cannot list the trusted keys: " + ec.message());
    for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
        if (ec)
            return make_error(dir.string() + ": cannot list the trusted keys: " + ec.message());
        if (it->path().extension() == ".pub")
            paths.push_back(it->path());
    }
    // Sorted, so messages listing the keys come out the same on every run.
    std::sort(paths.begin(), paths.end());
    std::vector<PublicKey> keys;
    for (auto const& path : paths) {
        auto key = load_public_key(path);
        if (!key) {
            log::warn("update", "skipping trusted key " + key.message());
            continue;
        }
        keys.push_back(std::move(key).value());
    }
    if (keys.empty())
        return make_error(dir.string()
            + ": holds no valid minisign public key (*.pub); copy the signer's "
              "public key there");
    return keys;
}

Result<SecretKey> parse_secret_key(std::string_view file_text, PasswordProvider const& password)
{
    ensure_sodium();
    constexpr std::string_view kind = "not a minisign secret key";
    KIOSK_TRY_ASSIGN(auto const lines, split_lines(file_text, 2, kind));
    KIOSK_TRY(comment_after(lines[0], untrusted_prefix, max_untrusted_comment_bytes, kind, 0));
    KIOSK_TRY_ASSIGN(auto decoded, from_base64(lines[1], secret_blob_bytes, kind, line_names[1]));
    WipedBytes<secret_blob_bytes> blob;
    std::copy(decoded.begin(), decoded.end(), blob.bytes.begin());
    sodium_memzero(decoded.data(), decoded.size());
    std::uint8_t* const b = blob.data();

    if (!equal_tag(b, alg_ed))
        return make_error("secret key uses signature algorithm '" + alg_text(b) + "'; minisign keys use 'Ed'");
    if (!equal_tag(b + sk_chk_alg, chk_blake2b))
        return make_error("secret key uses checksum '" + alg_text(b + sk_chk_alg) + "'; minisign keys use 'B2'");
    if (equal_tag(b + sk_kdf_alg, kdf_scrypt)) {
        std::uint64_t const opslimit = load_le64(b + sk_opslimit);
        std::uint64_t const memlimit = load_le64(b + sk_memlimit);
        if (opslimit > max_opslimit || memlimit > max_memlimit)
            return make_error("secret key asks for an scrypt cost far above minisign's (opslimit "
                + std::to_string(opslimit) + ", memlimit " + std::to_string(memlimit) + " bytes); the file is damaged");
        std::optional<std::string> given = password ? password() : std::nullopt;
        if (!given)
            return make_error("secret key is encrypted and no password was given");
        WipedString pass { std::move(*given) };
        WipedBytes<encrypted_part_bytes> stream;
        if (crypto_pwhash_scryptsalsa208sha256(stream.data(), stream.size(), pass.text.data(), pass.text.size(),
                b + sk_salt, opslimit, std::size_t(memlimit))
            != 0)
            return make_error("cannot derive the key from the password: scrypt needs " + std::to_string(memlimit >> 20)
                + " MiB of memory, which this machine could not provide");
        for (std::size_t i = 0; i < encrypted_part_bytes; ++i)
            b[sk_encrypted + i] ^= stream.bytes[i];
        auto const checksum = secret_key_checksum(b);
        if (sodium_memcmp(checksum.data(), b + sk_checksum, checksum_bytes) != 0)
            return make_error("wrong password for this secret key");
    } else if (equal_tag(b + sk_kdf_alg, kdf_none)) {
        // `minisign -G -W` leaves the checksum zero; a key whose password was removed with
        // `minisign -C -W` keeps its checksum, which must then hold.
        if (!all_zero(b + sk_checksum, checksum_bytes)) {
            auto const checksum = secret_key_checksum(b);
            if (sodium_memcmp(checksum.data(), b + sk_checksum, checksum_bytes) != 0)
                return make_error("secret key is damaged: its checksum does not match");
        }
    } else {
        return make_error("secret key uses key derivation '" + alg_text(b + sk_kdf_alg)
            + "'; minisign keys use 'Sc' (scrypt) or none");
    }
    if (!secret_key_consistent(b + sk_key))
        return make_error("secret key is damaged: its two halves do not belong together");
    SecretKey key;
    std::copy_n(b + sk_key_id, key_id_bytes, key.key_id.begin());
    std::copy_n(b + sk_key, key.key.size(), key.key.begin());
    return key;
}

Result<SecretKey> load_secret_key(std::filesystem::path const& path, PasswordProvider const& password)
{
    KIOSK_TRY_ASSIGN(auto bytes, files::read_file(path, max_key_file_bytes));
    WipedString text { std::string(bytes.begin(), bytes.end()) };
    sodium_memzero(bytes.data(), bytes.size());
    auto key = parse_secret_key(text.text, password);
    if (!key)
        return make_error(with_path(path, key.message()));
    return key;
}

KeyFiles generate_key_pair(std::string const& password)
{
    return generate_key_pair(password, ScryptLimits {});
}

KeyFiles generate_key_pair(std::string const& password, ScryptLimits limits)
{
    ensure_sodium();
    WipedBytes<secret_blob_bytes> blob;
    std::uint8_t* const b = blob.data();
    std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> public_key {};
    std::copy(alg_ed.begin(), alg_ed.end(), b);
    std::copy(chk_blake2b.begin(), chk_blake2b.end(), b + sk_chk_alg);
    randombytes_buf(b + sk_key_id, key_id_bytes);
    crypto_sign_keypair(public_key.data(), b + sk_key);

    KeyFiles files;
    std::copy_n(b + sk_key_id, key_id_bytes, files.key_id.begin());
    if (password.empty()) {
        // As `minisign -G -W`: no KDF, zero salt and limits, and no checksum.
        std::copy(kdf_none.begin(), kdf_none.end(), b + sk_kdf_alg);
    } else {
        std::copy(kdf_scrypt.begin(), kdf_scrypt.end(), b + sk_kdf_alg);
        randombytes_buf(b + sk_salt, salt_bytes);
        WipedBytes<encrypted_part_bytes> stream;
        // As minisign: halve the cost while the machine cannot provide the memory.
        while (crypto_pwhash_scryptsalsa208sha256(stream.data(), stream.size(), password.data(), password.size(),
                   b + sk_salt, limits.opslimit, std::size_t(limits.memlimit))
            != 0) {
            limits.opslimit /= 2;
            limits.memlimit /= 2;
            if (limits.opslimit < crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_MIN
                || limits.memlimit < crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_MIN)
                std::abort(); // 16 MiB unavailable: nothing else would run either.
        }
        store_le64(b + sk_opslimit, limits.opslimit);
        store_le64(b + sk_memlimit, limits.memlimit);
        auto const checksum = secret_key_checksum(b);
        std::copy(checksum.begin(), checksum.end(), b + sk_checksum);
        for (std::size_t i = 0; i < encrypted_part_bytes; ++i)
            b[sk_encrypted + i] ^= stream.bytes[i];
    }

    std::array<std::uint8_t, public_blob_bytes> public_blob {};
    std::copy(alg_ed.begin(), alg_ed.end(), public_blob.begin());
    std::copy(files.key_id.begin(), files.key_id.end(), public_blob.begin() + 2);
    std::copy(public_key.begin(), public_key.end(), public_blob.begin() + 2 + key_id_bytes);
    files.public_key = std::string(untrusted_prefix) + "minisign public key " + key_id_hex(files.key_id) + "\n"
        + to_base64(public_blob.data(), public_blob.size()) + "\n";
    files.secret_key = std::string(untrusted_prefix)
        + (password.empty() ? "minisign secret key (not encrypted)" : "minisign encrypted secret key") + "\n"
        + to_base64(b, secret_blob_bytes) + "\n";
    return files;
}

Result<Signature> parse_signature(std::string_view file_text)
{
    constexpr std::string_view kind = "not a minisign signature";
    if (file_text.size() > max_signature_file_bytes)
        return make_error("signature file is " + std::to_string(file_text.size()) + " bytes; a minisign signature is "
            + "under " + std::to_string(max_signature_file_bytes / 1024) + " KiB");
    KIOSK_TRY_ASSIGN(auto const lines, split_lines(file_text, 4, kind));
    Signature signature;
    KIOSK_TRY_ASSIGN(
        signature.untrusted_comment, comment_after(lines[0], untrusted_prefix, max_untrusted_comment_bytes, kind, 0));
    KIOSK_TRY_ASSIGN(auto const blob, from_base64(lines[1], signature_blob_bytes, kind, line_names[1]));
    if (equal_tag(blob.data(), alg_ed_prehashed))
        signature.prehashed = true;
    else if (equal_tag(blob.data(), alg_ed))
        signature.prehashed = false;
    else
        return make_error(std::string(kind) + ": it names signature algorithm '" + alg_text(blob.data())
            + "'; minisign signatures use 'ED' (or the legacy 'Ed')");
    std::copy_n(blob.data() + 2, key_id_bytes, signature.key_id.begin());
    std::copy_n(blob.data() + 2 + key_id_bytes, signature.signature.size(), signature.signature.begin());
    KIOSK_TRY_ASSIGN(
        signature.trusted_comment, comment_after(lines[2], trusted_prefix, max_trusted_comment_bytes, kind, 2));
    KIOSK_TRY_ASSIGN(auto const global, from_base64(lines[3], crypto_sign_BYTES, kind, line_names[3]));
    std::copy(global.begin(), global.end(), signature.global_signature.begin());
    return signature;
}

Result<Signature> load_signature(std::filesystem::path const& path)
{
    KIOSK_TRY_ASSIGN(auto const text, read_text_file(path, max_signature_file_bytes));
    auto signature = parse_signature(text);
    if (!signature)
        return make_error(with_path(path, signature.message()));
    return signature;
}

std::string format_signature(Signature const& signature)
{
    // A line break would make a file that parses as something else: the caller's bug.
    assert(!has_line_break(signature.untrusted_comment) && !has_line_break(signature.trusted_comment));
    std::array<std::uint8_t, signature_blob_bytes> blob {};
    auto const& alg = signature.prehashed ? alg_ed_prehashed : alg_ed;
    std::copy(alg.begin(), alg.end(), blob.begin());
    std::copy(signature.key_id.begin(), signature.key_id.end(), blob.begin() + 2);
    std::copy(signature.signature.begin(), signature.signature.end(), blob.begin() + 2 + key_id_bytes);
    return std::string(untrusted_prefix) + signature.untrusted_comment + "\n" + to_base64(blob.data(), blob.size())
        + "\n" + std::string(trusted_prefix) + signature.trusted_comment + "\n"
        + to_base64(signature.global_signature.data(), signature.global_signature.size()) + "\n";
}

Blake2bHasher::Blake2bHasher()
{
    ensure_sodium();
    crypto_generichash_init(&m_state, nullptr, 0, crypto_generichash_BYTES_MAX);
}

void Blake2bHasher::update(std::span<std::uint8_t const> bytes)
{
    assert(!m_finished);
    crypto_generichash_update(&m_state, bytes.data(), bytes.size());
}

Blake2b512 Blake2bHasher::finish()
{
    assert(!m_finished);
    m_finished = true;
    Blake2b512 hash {};
    crypto_generichash_final(&m_state, hash.data(), hash.size());
    return hash;
}

Result<Blake2b512> hash_file(std::filesystem::path const& path)
{
    struct Fd {
        int fd { -1 };
        ~Fd()
        {
            if (fd >= 0)
                ::close(fd);
        }
    };
    Fd file { ::open(path.c_str(), O_RDONLY | O_CLOEXEC) };
    if (file.fd < 0)
        return make_error(path.string() + ": cannot open: " + files::errno_text(errno));
    struct stat st { };
    if (::fstat(file.fd, &st) != 0)
        return make_error(path.string() + ": cannot stat: " + files::errno_text(errno));
    if (!S_ISREG(st.st_mode))
        return make_error(path.string() + ": not a regular file");
    Blake2bHasher hasher;
    std::vector<std::uint8_t> buffer(64 * 1024);
    for (;;) {
        ssize_t const n = ::read(file.fd, buffer.data(), buffer.size());
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return make_error(path.string() + ": read failed: " + files::errno_text(errno));
        }
        if (n == 0)
            break;
        hasher.update(std::span<std::uint8_t const>(buffer.data(), std::size_t(n)));
    }
    return hasher.finish();
}

Signature sign_prehashed(
    Blake2b512 const& file_hash, SecretKey const& key, std::string trusted_comment, std::string untrusted_comment)
{
    ensure_sodium();
    assert(!has_line_break(trusted_comment) && trusted_comment.size() <= max_trusted_comment_bytes);
    assert(!has_line_break(untrusted_comment) && untrusted_comment.size() <= max_untrusted_comment_bytes);
    Signature signature;
    signature.prehashed = true;
    signature.key_id = key.key_id;
    signature.untrusted_comment = std::move(untrusted_comment);
    signature.trusted_comment = std::move(trusted_comment);
    crypto_sign_detached(signature.signature.data(), nullptr, file_hash.data(), file_hash.size(), key.key.data());
    std::vector<std::uint8_t> global_message(signature.signature.begin(), signature.signature.end());
    global_message.insert(global_message.end(), signature.trusted_comment.begin(), signature.trusted_comment.end());
    crypto_sign_detached(
        signature.global_signature.data(), nullptr, global_message.data(), global_message.size(), key.key.data());
    return signature;
}

Status verify_prehashed(Signature const& signature, PublicKey const& key, Blake2b512 const& file_hash,
    std::span<std::uint8_t const> legacy_file_bytes)
{
    ensure_sodium();
    // The trusted comment first: it can be checked from the .minisig alone, and an altered comment
    // is the more specific diagnosis when both parts fail.
    if (auto comment = verify_trusted_comment(signature, key); !comment)
        return comment;
    std::span<std::uint8_t const> const message
        = signature.prehashed ? std::span<std::uint8_t const>(file_hash.data(), file_hash.size()) : legacy_file_bytes;
    if (crypto_sign_verify_detached(signature.signature.data(), message.data(), message.size(), key.key.data()) != 0)
        return make_error("signature does not match the file: the file was altered after signing, or the signature "
                          "belongs to another file");
    return {};
}

Status verify_trusted_comment(Signature const& signature, PublicKey const& key)
{
    ensure_sodium();
    if (signature.key_id != key.key_id)
        return make_error(
            "signature was made by key " + key_id_hex(signature.key_id) + ", not by key " + key_id_hex(key.key_id));
    std::vector<std::uint8_t> message(signature.signature.begin(), signature.signature.end());
    message.insert(message.end(), signature.trusted_comment.begin(), signature.trusted_comment.end());
    if (crypto_sign_verify_detached(signature.global_signature.data(), message.data(), message.size(), key.key.data())
        != 0)
        return make_error("trusted comment does not verify: the signature file was altered");
    return {};
}

Result<PublicKey> find_signer(Signature const& signature, std::vector<PublicKey> const& trusted)
{
    for (auto const& key : trusted) {
        if (key.key_id == signature.key_id)
            return key;
    }
    std::string message = "signature made by key " + key_id_hex(signature.key_id) + " which is not trusted";
    if (trusted.empty()) {
        message += " (no key is trusted)";
    } else {
        message += " (trusted: ";
        for (std::size_t i = 0; i < trusted.size(); ++i) {
            if (i > 0)
                message += ", ";
            message += key_id_hex(trusted[i].key_id);
            if (!trusted[i].source.empty())
                message += " from " + trusted[i].source;
        }
        message += ")";
    }
    return make_error(message);
}

Result<PackClaim> parse_pack_claim(std::string_view trusted_comment)
{
    auto fail = [&](std::string const& why) {
        return make_error("trusted comment '" + std::string(trusted_comment.substr(0, 200)) + "' " + why
            + "; sign packs with `kiosk-pack sign`, or with minisign -t \"pack_id=ID version=N target=PATTERN\"");
    };
    PackClaim claim;
    bool have_pack_id = false;
    bool have_version = false;
    bool have_target = false;
    std::size_t pos = 0;
    while (pos < trusted_comment.size()) {
        std::size_t const start = trusted_comment.find_first_not_of(" \t", pos);
        if (start == std::string_view::npos)
            break;
        std::size_t const end = std::min(trusted_comment.find_first_of(" \t", start), trusted_comment.size());
        std::string_view const token = trusted_comment.substr(start, end - start);
        pos = end;
        std::size_t const equals = token.find('=');
        if (equals == std::string_view::npos || equals == 0)
            return fail("is not a pack claim: '" + std::string(token) + "' is not key=value");
        std::string_view const key = token.substr(0, equals);
        std::string_view const value = token.substr(equals + 1);
        auto once = [&](bool& seen) {
            bool const first = !seen;
            seen = true;
            return first;
        };
        if (key == "pack_id") {
            if (!once(have_pack_id))
                return fail("names pack_id twice");
            if (value.empty())
                return fail("has an empty pack_id");
            claim.pack_id = value;
        } else if (key == "version") {
            if (!once(have_version))
                return fail("names version twice");
            std::int64_t version = 0;
            auto const [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), version);
            if (ec != std::errc {} || ptr != value.data() + value.size() || version < 1 || value.front() == '+')
                return fail("has version '" + std::string(value) + "', not a positive integer");
            claim.version = version;
        } else if (key == "target") {
            if (!once(have_target))
                return fail("names target twice");
            if (value.empty())
                return fail("has an empty target");
            claim.target = value;
        }
        // Other keys are ignored, so later tools can add fields older kiosks do not know.
    }
    if (!have_pack_id)
        return fail("names no pack_id");
    if (!have_version)
        return fail("names no version");
    return claim;
}

std::string format_pack_claim(PackClaim const& claim)
{
    return "pack_id=" + claim.pack_id + " version=" + std::to_string(claim.version) + " target=" + claim.target;
}

bool target_matches(std::string_view pattern, std::string_view device_group)
{
    // fnmatch(3) takes C strings: a NUL inside either would silently shorten it, so no match.
    if (pattern.find('\0') != std::string_view::npos || device_group.find('\0') != std::string_view::npos)
        return false;
    // No flags: '*' also matches '/' and a leading '.', as a device-group name is not a path.
    return ::fnmatch(std::string(pattern).c_str(), std::string(device_group).c_str(), 0) == 0;
}

} // namespace kiosk::update
