#pragma once

// Importer: takes a signed pack from a folder a stranger may control (a USB stick, an inbox folder
// kept in sync by rsync or Syncthing) into the Store. The steps (docs/operations.md):
//
//   1. Pre-check from the .minisig alone: a trusted key, an authentic trusted comment naming
//      pack_id, version and target, the target matching this display's group, an accepted pack_id,
//      a version newer than anything installed before. Refused before a byte of the pack is read.
//   2. Stage: copy to staging/ while hashing (BLAKE2b-512), reporting progress. No timeouts: a slow
//      stick is fine; a pulled stick, a full disk or a cancelled import end with a clear message.
//   3. Verify the staged copy only, never the stick again (RAUC's CVE-2020-25860 was re-reading
//      after the check): the signature over the hash taken while copying, then fsync, re-hash the
//      staged file and require the same hash, then PackVerifier's verify_pack (read_pack with the
//      full integrity check, meta equal to the signed claim).
//   4. Install through Store::install (rename into packs/, atomic switch of `current`, prune).
//
// Files on the stick are opened without following symlinks, without blocking on FIFOs, and are
// size-checked before copying (platform/UntrustedFile.h).
//
// Thread-safety: an Importer is used by one thread at a time; imports into one data directory are
// serialised by the Store's import lock (a second one fails at once with a message). Every outcome
// is returned, never thrown; nothing is installed unless the outcome is Installed.

#include "kiosk/update/ImportStep.h"
#include "kiosk/update/Minisign.h"
#include "kiosk/update/Store.h"
#include "kiosk/update/UpdateEvent.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <variant>
#include <vector>

namespace kiosk::update {

struct ImporterConfig {
    std::filesystem::path keys_dir { "/etc/kiosk/keys" }; // trusted minisign public keys (*.pub)
    std::string device_group; // matched against the signed target pattern; empty matches only "*"
    // The pack_ids this display accepts. Empty: the installed pack's pack_id, or any pack_id while
    // only the built-in pack is shown (the first import decides what the display shows).
    std::vector<std::string> accepted_pack_ids;
};

// Fault points for tests (tests/update/); production code leaves them empty.
struct ImportHooks {
    StepHook at_step; // called as each ImportStep is reached
    std::function<void(std::uint64_t bytes_done)> after_chunk; // after each chunk is written
    // Returns an errno to fail the read at `offset` with, 0 to read normally (a stick pulled).
    std::function<int(std::uint64_t offset)> read_error;
    // Returns an errno to fail a local operation with (IoPoint), 0 to carry on.
    IoFaultHook io_error;
    std::size_t chunk_bytes { 1024 * 1024 };
};

struct ImportOutcome {
    enum class Kind {
        Installed,
        Refused, // the pack is not acceptable here; nothing changed
        Failed, // could not finish (I/O, space, lock, keys); nothing changed
        NoPack, // the folder holds no *.kpack at all
    };
    Kind kind { Kind::Failed };
    std::filesystem::path file; // the pack looked at, or the folder
    std::string reason; // Refused / Failed / NoPack: a sentence for staff
    bool already_installed { false }; // Refused because exactly this version is the current pack
    std::optional<Installed> installed; // Kind::Installed
};

using EventSink = std::function<void(UpdateEvent)>;

class Importer {
public:
    Importer(Store& store, ImporterConfig config, ImportHooks hooks = {});

    // Looks for NAME.kpack with NAME.kpack.minisig in `dir` and in `dir`/kiosk/, and imports the
    // best one for this display (the highest acceptable version). Hidden files ("._news.kpack" from
    // macOS) are ignored. `emit` receives Detected (the pack, or `dir` when it holds several) once
    // a pack is found, then Progress while copying; the outcome is returned, not emitted.
    ImportOutcome import_from_folder(
        std::filesystem::path const& dir, EventSink const& emit, std::stop_token stop = {});

    // Imports one pack file; its signature is the same path + ".minisig".
    ImportOutcome import_file(std::filesystem::path const& pack, EventSink const& emit, std::stop_token stop = {});

private:
    struct Candidate;
    struct Accepted;
    ImportOutcome import_candidates(std::filesystem::path const& where, std::vector<Candidate> const& candidates,
        EventSink const& emit, std::stop_token const& stop);
    // The checks that need only the .minisig (and the pack's type and size): a refusal, or both
    // files open and the claim authenticated.
    std::variant<Accepted, ImportOutcome> pre_check(
        Candidate const& candidate, StoreState const& state, std::vector<PublicKey> const& keys) const;
    ImportOutcome stage_verify_install(Accepted& accepted, EventSink const& emit, std::stop_token const& stop);
    void step(ImportStep reached) const;

    Store& m_store;
    ImporterConfig m_config;
    ImportHooks m_hooks;
};

char const* outcome_kind_name(ImportOutcome::Kind kind);

} // namespace kiosk::update
