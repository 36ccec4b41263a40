// `kiosk-pack keygen` and `kiosk-pack sign`: minisign-compatible keys and signatures, so an editor
// can use either this tool or stock minisign, and a kiosk verifies both the same way.

#include "kiosk/content/PackReader.h"
#include "kiosk/pack/Commands.h"
#include "kiosk/update/Minisign.h"
#include "platform/Files.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <iostream>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace kiosk::pack {

namespace {

// minisign reads at most 1023 bytes of password; a longer one could not be typed into it.
constexpr std::size_t max_password_bytes = 1023;

// Terminal settings saved while echo is off, so a Ctrl-C at the prompt leaves a usable terminal.
termios g_saved_terminal {};

void restore_terminal_and_reraise(int signal_number)
{
    ::tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_terminal);
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

// Turns off echo on the terminal on stdin for its lifetime.
class EchoOff {
public:
    EchoOff()
    {
        if (::tcgetattr(STDIN_FILENO, &g_saved_terminal) != 0)
            return;
        termios quiet = g_saved_terminal;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        quiet.c_lflag |= tcflag_t(ECHONL);
        struct sigaction action { };
        action.sa_handler = restore_terminal_and_reraise;
        ::sigemptyset(&action.sa_mask);
        ::sigaction(SIGINT, &action, &m_old_int);
        ::sigaction(SIGTERM, &action, &m_old_term);
        m_active = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    ~EchoOff()
    {
        if (m_active)
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved_terminal);
        ::sigaction(SIGINT, &m_old_int, nullptr);
        ::sigaction(SIGTERM, &m_old_term, nullptr);
    }
    EchoOff(EchoOff const&) = delete;
    EchoOff& operator=(EchoOff const&) = delete;

private:
    struct sigaction m_old_int { };
    struct sigaction m_old_term { };
    bool m_active { false };
};

bool stdin_is_terminal()
{
    return ::isatty(STDIN_FILENO) == 1;
}

// One line typed on the terminal without echo; nullopt at end of input.
std::optional<std::string> prompt_password(char const* prompt)
{
    std::cerr << prompt << std::flush;
    std::string line;
    {
        EchoOff echo_off;
        if (!std::getline(std::cin, line))
            return std::nullopt;
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

// The first line of a password file, as stock minisign reads a password piped on stdin, so the
// same file works for `minisign -S ... < FILE`.
Result<std::string> read_password_file(std::string const& path)
{
    KIOSK_TRY_ASSIGN(auto bytes, files::read_file(path, 64 * 1024));
    std::string text(bytes.begin(), bytes.end());
    sodium_memzero(bytes.data(), bytes.size());
    std::string password = text.substr(0, text.find('\n'));
    sodium_memzero(text.data(), text.size());
    if (!password.empty() && password.back() == '\r')
        password.pop_back();
    if (password.size() > max_password_bytes)
        return make_error(path + ": the password is longer than minisign's limit of "
            + std::to_string(max_password_bytes) + " bytes");
    return password;
}

void wipe(std::string& secret)
{
    sodium_memzero(secret.data(), secret.size());
    secret.clear();
}

// Creates `path` (never overwriting), writes `text`, fsyncs it. On error nothing is left behind.
Status create_file_exclusive(std::filesystem::path const& path, std::string const& text, mode_t mode)
{
    int const fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return make_error(path.string() + ": cannot create: " + files::errno_text(errno));
    std::string error;
    // The umask can only remove bits; fchmod makes sure the secret key is never readable by others
    // even when it was created through an unusual ACL default.
    if (::fchmod(fd, mode) != 0)
        error = "cannot set permissions: " + files::errno_text(errno);
    std::size_t done = 0;
    while (error.empty() && done < text.size()) {
        ssize_t const n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            error = "write failed: " + files::errno_text(errno);
        else
            done += std::size_t(n);
    }
    if (error.empty() && ::fsync(fd) != 0)
        error = "fsync failed: " + files::errno_text(errno);
    if (::close(fd) != 0 && error.empty())
        error = "close failed: " + files::errno_text(errno);
    if (!error.empty()) {
        ::unlink(path.c_str());
        return make_error(path.string() + ": " + error);
    }
    return {};
}

struct KeygenArgs {
    std::string name;
    std::string password_file;
    bool no_password { false };
};

int run_keygen(KeygenArgs const& args)
{
    // "-o lobby.key" and "-o lobby" mean the same pair.
    std::filesystem::path base = args.name;
    if (base.extension() == ".key" || base.extension() == ".pub")
        base.replace_extension();
    std::filesystem::path const secret_path = base.string() + ".key";
    std::filesystem::path const public_path = base.string() + ".pub";
    for (auto const& path : { secret_path, public_path }) {
        std::error_code ec;
        if (std::filesystem::symlink_status(path, ec).type() != std::filesystem::file_type::not_found) {
            std::cerr << path.string() << ": already exists; keygen never overwrites a key (a lost secret key "
                      << "cannot sign again, a replaced one locks out every kiosk that trusts it). Choose "
                      << "another name or move the old pair away first\n";
            return exit_input_error;
        }
    }
    std::filesystem::path const dir = base.parent_path().empty() ? "." : base.parent_path();
    if (!std::filesystem::is_directory(dir)) {
        std::cerr << dir.string() << ": no such directory for the key files\n";
        return exit_input_error;
    }

    std::string password;
    if (args.no_password) {
        password.clear();
    } else if (!args.password_file.empty()) {
        auto read = read_password_file(args.password_file);
        if (!read) {
            std::cerr << "kiosk-pack keygen: " << read.message() << '\n';
            return exit_input_error;
        }
        password = std::move(read).value();
        if (password.empty()) {
            std::cerr << args.password_file << ": the password is empty; use --no-password for a key without one\n";
            return exit_input_error;
        }
    } else if (stdin_is_terminal()) {
        std::cerr << "The secret key will be encrypted with a password (it is asked for each time you sign).\n";
        auto first = prompt_password("Password: ");
        auto second = first ? prompt_password("Password (again): ") : std::nullopt;
        if (!first || !second) {
            std::cerr << "kiosk-pack keygen: no password entered; nothing written\n";
            return exit_input_error;
        }
        bool const same = *first == *second;
        wipe(*second);
        if (!same || first->empty()) {
            wipe(*first);
            std::cerr << "kiosk-pack keygen: "
                      << (same ? "the password is empty; use --no-password for a key without one"
                               : "the two passwords differ")
                      << "; nothing written\n";
            return exit_input_error;
        }
        password = std::move(*first);
    } else {
        std::cerr << "kiosk-pack keygen: stdin is not a terminal, so no password can be asked for; pass "
                     "--password-file FILE (first line is the password) or --no-password\n";
        return exit_input_error;
    }

    if (!password.empty())
        std::cerr << "Deriving the encryption key from the password (scrypt, a few seconds)...\n";
    update::KeyFiles key = update::generate_key_pair(password);
    wipe(password);

    auto secret_written = create_file_exclusive(secret_path, key.secret_key, 0600);
    wipe(key.secret_key);
    if (!secret_written) {
        std::cerr << "kiosk-pack keygen: " << secret_written.message() << '\n';
        return exit_input_error;
    }
    if (auto public_written = create_file_exclusive(public_path, key.public_key, 0644); !public_written) {
        ::unlink(secret_path.c_str()); // a secret key without its public half would only confuse
        std::cerr << "kiosk-pack keygen: " << public_written.message() << '\n';
        return exit_input_error;
    }
    if (auto synced = files::fsync_directory(dir); !synced)
        std::cerr << "kiosk-pack keygen: warning: " << synced.message() << '\n';

    std::cout << "Key " << update::key_id_hex(key.key_id) << ":\n"
              << "  " << secret_path.string() << "  secret key"
              << (args.no_password ? " (NOT encrypted: protect the file itself)" : " (encrypted)")
              << "; keep it off the kiosks, sign with: kiosk-pack sign --key " << secret_path.string() << " PACK\n"
              << "  " << public_path.string() << "  public key; copy it to /etc/kiosk/keys/ on every kiosk\n";
    return exit_ok;
}

struct SignArgs {
    std::string key;
    std::string password_file;
    std::string pack;
};

// The claim must survive the round trip through the trusted comment: a space or control character
// in pack_id or target would make the kiosk read a different claim than the one meant.
Status check_claim_round_trip(update::PackClaim const& claim)
{
    auto const clean = [](std::string const& value) {
        return !value.empty() && std::none_of(value.begin(), value.end(), [](char c) {
            return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
        });
    };
    if (!clean(claim.pack_id))
        return make_error("pack_id '" + claim.pack_id
            + "' contains a space or control character; a signed claim "
              "cannot carry it");
    if (!clean(claim.target))
        return make_error("target '" + claim.target
            + "' contains a space or control character; a signed claim cannot "
              "carry it (use a pattern such as lobby-*)");
    return {};
}

int run_sign(SignArgs const& args)
{
    std::filesystem::path const pack_path = args.pack;
    std::filesystem::path const sig_path = pack_path.string() + ".minisig";

    // The bytes signed are the bytes checked: hash, check the pack, hash again.
    auto hash_before = update::hash_file(pack_path);
    if (!hash_before) {
        std::cerr << "kiosk-pack sign: " << hash_before.message() << '\n';
        return exit_input_error;
    }
    auto pack = content::read_pack(pack_path, content::IntegrityCheck::Full);
    if (!pack) {
        std::cerr << "kiosk-pack sign: refusing to sign a pack that does not read back: " << pack.message() << '\n';
        return exit_input_error;
    }
    update::PackClaim const claim { pack->meta.pack_id, pack->meta.version, pack->meta.target };
    if (auto clean = check_claim_round_trip(claim); !clean) {
        std::cerr << pack_path.string() << ": " << clean.message() << '\n';
        return exit_input_error;
    }

    std::optional<std::string> password_from_file;
    if (!args.password_file.empty()) {
        auto read = read_password_file(args.password_file);
        if (!read) {
            std::cerr << "kiosk-pack sign: " << read.message() << '\n';
            return exit_input_error;
        }
        password_from_file = std::move(read).value();
    }
    bool password_asked = false;
    auto const password = [&]() -> std::optional<std::string> {
        password_asked = true;
        std::optional<std::string> given;
        if (password_from_file)
            given = password_from_file;
        else if (stdin_is_terminal())
            given = prompt_password("Password for the secret key: ");
        if (given)
            std::cerr << "Decrypting the secret key (scrypt, a few seconds)...\n";
        return given;
    };
    auto key = update::load_secret_key(args.key, password);
    if (password_from_file)
        wipe(*password_from_file);
    if (!key) {
        std::cerr << "kiosk-pack sign: " << key.message();
        if (password_asked && args.password_file.empty() && !stdin_is_terminal())
            std::cerr << " (stdin is not a terminal: pass --password-file FILE)";
        std::cerr << '\n';
        return exit_input_error;
    }

    auto hash_after = update::hash_file(pack_path);
    if (!hash_after || hash_after.value() != hash_before.value()) {
        std::cerr << "kiosk-pack sign: " << pack_path.string() << " changed while it was being signed; try again\n";
        return exit_input_error;
    }
    std::string const trusted_comment = update::format_pack_claim(claim);
    update::Signature const signature = update::sign_prehashed(hash_after.value(), key.value(), trusted_comment,
        "signature from kiosk-pack secret key " + update::key_id_hex(key->key_id));

    // An Ed25519 secret key ends with its public key: check the signature before writing it, so a
    // damaged key can never produce a .minisig that no kiosk accepts.
    update::PublicKey self;
    self.key_id = key->key_id;
    std::copy(key->key.end() - 32, key->key.end(), self.key.begin());
    if (auto checked = update::verify_prehashed(signature, self, hash_after.value()); !checked) {
        std::cerr << "kiosk-pack sign: the new signature does not verify (" << checked.message()
                  << "); the secret key is damaged\n";
        return exit_input_error;
    }
    if (auto written = files::write_file_atomic(sig_path, update::format_signature(signature)); !written) {
        std::cerr << "kiosk-pack sign: " << written.message() << '\n';
        return exit_input_error;
    }
    std::cout << sig_path.string() << ": signed " << trusted_comment << " with key " << update::key_id_hex(key->key_id)
              << '\n';
    return exit_ok;
}

} // namespace

void add_keygen_command(CLI::App& app, int& exit_code)
{
    auto args = std::make_shared<KeygenArgs>();
    auto* cmd = app.add_subcommand("keygen",
        "Make a signing key pair NAME.key (secret) and NAME.pub (public), in minisign's formats. "
        "Asks for a password on the terminal unless --password-file or --no-password is given");
    cmd->add_option("-o,--output", args->name, "Base name of the key files, e.g. keys/lobby")->required();
    auto* file = cmd->add_option("--password-file", args->password_file,
        "Encrypt the secret key with the password on the first line of this file");
    auto* none = cmd->add_flag("--no-password", args->no_password,
        "Do not encrypt the secret key (as minisign -W); then the file itself must be kept safe");
    file->excludes(none);
    cmd->callback([args, &exit_code] { exit_code = run_keygen(*args); });
}

void add_sign_command(CLI::App& app, int& exit_code)
{
    auto args = std::make_shared<SignArgs>();
    auto* cmd = app.add_subcommand("sign",
        "Check a pack and sign it: writes PACK.minisig with the trusted comment "
        "'pack_id=<id> version=<n> target=<pattern>' taken from the pack");
    cmd->add_option("--key", args->key, "Secret key file (from kiosk-pack keygen or minisign -G)")->required();
    cmd->add_option("--password-file", args->password_file,
        "Password of an encrypted key, first line of this file (else asked on the terminal)");
    cmd->add_option("pack", args->pack, "Pack file to sign, e.g. lobby.kpack")->required();
    cmd->callback([args, &exit_code] { exit_code = run_sign(*args); });
}

} // namespace kiosk::pack
