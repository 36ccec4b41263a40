// `kiosk-pack verify`: exactly the check a kiosk makes before importing a pack (update::verify_pack),
// so an editor learns on the desk what the display would refuse in the lobby.

#include "kiosk/pack/Commands.h"
#include "kiosk/update/PackVerifier.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <unistd.h>

namespace kiosk::pack {

namespace {

struct VerifyArgs {
    std::vector<std::string> public_keys;
    std::string pack;
    std::string sig;
};

// A file the command cannot read is a usage error (exit 2), not a failed verification (exit 1).
bool readable_file(std::filesystem::path const& path, char const* what, char const* hint)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec) || ::access(path.c_str(), R_OK) != 0) {
        std::cerr << path.string() << ": cannot read the " << what
                  << (std::filesystem::exists(path, ec) ? " (not a readable file)" : " (no such file)") << hint << '\n';
        return false;
    }
    return true;
}

// A folder is read like a kiosk's /etc/kiosk/keys (every *.pub in it); a file is one key.
Result<std::vector<update::PublicKey>> load_trusted(std::filesystem::path const& source)
{
    std::error_code ec;
    if (std::filesystem::is_directory(source, ec))
        return update::load_public_keys(source);
    KIOSK_TRY_ASSIGN(auto key, update::load_public_key(source));
    return std::vector<update::PublicKey> { std::move(key) };
}

int run_verify(VerifyArgs const& args)
{
    std::vector<update::PublicKey> trusted;
    for (auto const& source : args.public_keys) {
        auto keys = load_trusted(source);
        if (!keys) {
            std::cerr << "kiosk-pack verify: " << keys.message() << '\n';
            return exit_input_error;
        }
        trusted.insert(trusted.end(), keys->begin(), keys->end());
    }
    std::filesystem::path const pack = args.pack;
    std::filesystem::path const sig = args.sig.empty() ? pack.string() + ".minisig" : args.sig;
    if (!readable_file(pack, "pack", ""))
        return exit_input_error;
    if (!readable_file(sig, "signature", "; sign the pack with: kiosk-pack sign --key KEY PACK"))
        return exit_input_error;

    auto verified = update::verify_pack(pack, sig, trusted);
    if (!verified) {
        std::cerr << verified.message() << '\n' << pack.string() << ": FAILED verification\n";
        return exit_problems;
    }
    std::cout << pack.string() << ": OK, signed by key " << update::key_id_hex(verified->signer_key_id) << ", "
              << update::format_pack_claim(verified->claim) << '\n';
    return exit_ok;
}

} // namespace

void add_verify_command(CLI::App& app, int& exit_code)
{
    auto args = std::make_shared<VerifyArgs>();
    auto* cmd = app.add_subcommand("verify",
        "Verify a pack as a kiosk would: signature by a trusted key, trusted comment, pack integrity, and "
        "that the pack's pack_id/version/target match the signed claim. Exit 0 OK, 1 failed, 2 unreadable input");
    cmd->add_option("--pubkey", args->public_keys,
           "Trusted public key (.pub), or a folder of them like /etc/kiosk/keys; may be repeated")
        ->required()
        ->allow_extra_args(false); // one value per --pubkey, so "--pubkey K PACK" keeps PACK positional
    cmd->add_option("pack", args->pack, "Pack file, e.g. lobby.kpack")->required();
    cmd->add_option("--sig", args->sig, "Signature file (default: PACK.minisig)");
    cmd->callback([args, &exit_code] { exit_code = run_verify(*args); });
}

} // namespace kiosk::pack
