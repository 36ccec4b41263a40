#pragma once

// Store: the kiosk's data directory (/var/lib/kiosk by default) and the one place that decides
// which installed pack is "current". Layout:
//
//   state          which pack is current and previous, the boot counter, replay protection
//                  (key=value text, replaced atomically: temp + fsync + rename + fsync dir)
//   packs/         <pack_id>-v<version>.kpack and .kpack.minisig: current and previous only
//   staging/       an import in progress; anything found here at start-up is stale and deleted
//   import.lock    held for a whole import (the app's updater or `kiosk import`, never both)
//   state.lock     held for each short read-modify-write of `state`
//   run.lock       held by the running app (see Rollback)
//
// Power can fail at any instant. Renames into packs/ happen before `state` is switched, and the
// switch is a single atomic rename, so `state` always names whole, fsynced files: the old pack or
// the new one. Files in packs/ or staging/ that `state` does not name are leftovers of an import
// that was cut short, and are removed by the next import or start-up.
//
// Rollback: the app calls note_boot() at every start, note_clean_exit() when it stops on purpose
// (SIGTERM from systemd, Esc, --run-for) and note_healthy() once a newly activated pack has run
// for a while. note_boot() marks a run as in progress; a start that finds the previous run still
// marked knows that run ended uncleanly (a crash, a hang killed by the watchdog, a power loss),
// and only such a run counts against a pack that has not reached healthy. A pack whose runs ended
// uncleanly max_unhealthy_boots times is rolled back to `previous` (and never accepted again at
// that version); with no usable previous, the built-in pack is shown. Clean restarts never count,
// however many. choose_pack_at_boot() also falls back when the current pack fails its signature
// or read_pack: never a black screen.
//
// The app holds run.lock (flock) from note_boot() until the Store is destroyed, so an install by
// `kiosk import` can tell a running app (whose run marker is live) from the marker of a run that
// died (stale: it belongs to the pack being replaced and does not count against the new one).
//
// Thread-safety: a Store holds only paths (and, once note_boot() ran, the run lock); every method
// locks what it touches, so the app's main thread and the updater thread (and other processes)
// may each use their own Store on one data directory at the same time. Errors are Results with a
// message naming the path and the problem.

#include "kiosk/content/Pack.h"
#include "kiosk/update/ImportStep.h"
#include "platform/FileLock.h"
#include "platform/Result.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace kiosk::update {

// A pack installed in packs/.
struct StoredPack {
    std::string file; // "cas-news-v3.kpack", inside packs/
    std::string pack_id;
    std::int64_t version { 0 };
};

struct StoreState {
    std::optional<StoredPack> current;
    std::optional<StoredPack> previous;
    bool current_healthy { false }; // note_healthy() was called since `current` was activated
    // Runs of `current` that ended uncleanly (crash, hang, power loss) before it reached healthy.
    int unhealthy_boots { 0 };
    // note_boot() was called and no note_clean_exit() since: if a start finds this set, the run
    // before it ended uncleanly.
    bool run_in_progress { false };
    // The highest version ever installed per pack_id: a replayed or downgraded pack is refused even
    // after a rollback or a corrupt pack sent the display back to an older one.
    std::map<std::string, std::int64_t> highest_installed;
    // The last version of each pack_id that was rolled back, for a refusal message that says so.
    std::map<std::string, std::int64_t> rolled_back;
};

// What the app shows after a start.
struct BootChoice {
    std::optional<std::filesystem::path> pack; // nullopt: the built-in pack
    // The pack as read (read_pack, quick integrity check) when `pack` is set, so the app need not
    // read it a second time.
    std::shared_ptr<content::Pack const> loaded;
    std::string reason; // for the log: what was chosen and why, including any fallback
    bool fell_back { false }; // a rollback or a broken current pack made this choice
};

using StepHook = std::function<void(ImportStep)>;
// Returns an errno to fail the operation at that point with, 0 to carry on (tests only).
using IoFaultHook = std::function<int(IoPoint)>;

struct InstallHooks {
    StepHook at_step;
    IoFaultHook io_error;
};

// A pack made current. `warning` is set when it is current but something after the switch failed
// (the next start shows it, yet a power cut soon after might not keep it).
struct Installation {
    StoredPack pack;
    std::string warning;
};

enum class StoreAccess {
    // The app and the importer: creates the layout, cleans leftovers, writes the state. Falls
    // back to ReadOnly by itself when the data folder cannot be written (a card gone read-only).
    ReadWrite,
    // Looking only (`kiosk --headless` showing what the display shows): never creates, locks,
    // cleans or writes anything; a missing folder is an empty store.
    ReadOnly,
};

class Store {
public:
    // Unclean ends (crash, hang, power loss) a pack may have before note_healthy(); the next start
    // after that rolls back. Clean exits are never counted.
    static constexpr int max_unhealthy_boots = 3;
    // What "healthy" should mean to the app (docs/operations.md): the new pack has been shown for
    // this long without the app crashing.
    static constexpr std::uint64_t suggested_healthy_after_ms = 5 * 60 * 1000;

    // Creates the directory layout if needed and, unless an import is running right now, removes
    // what an interrupted import left behind (staging files, packs the state does not name).
    // With ReadWrite on a folder that cannot be written (EROFS, EACCES), the store opens read-only
    // instead: the installed pack is still shown, starts are not counted, imports fail at once.
    static Result<Store> open(std::filesystem::path data_dir, StoreAccess access = StoreAccess::ReadWrite);

    // True when nothing can be written: asked for, or the storage refused writes. Then
    // read_only_reason() is a sentence for the log and the service overlay ("storage is
    // read-only ...").
    bool read_only() const { return m_read_only; }
    std::string const& read_only_reason() const { return m_read_only_reason; }

    std::filesystem::path const& data_dir() const { return m_data_dir; }
    std::filesystem::path packs_dir() const { return m_data_dir / "packs"; }
    std::filesystem::path staging_dir() const { return m_data_dir / "staging"; }
    std::filesystem::path path_of(StoredPack const& pack) const { return packs_dir() / pack.file; }
    std::filesystem::path signature_path_of(StoredPack const& pack) const;

    // The state as on disk; an empty state when nothing was ever installed.
    Result<StoreState> read_state() const;

    // The app, once at every start (before choose_pack_at_boot): marks a run as in progress and,
    // when the previous run was still marked (it ended uncleanly) and the current pack has not
    // reached healthy, counts that against the pack. Takes run.lock for the life of this Store.
    Status note_boot();
    // The app, when it stops on purpose (SIGTERM, Esc, --run-for): clears the run marker, so this
    // run is never counted as unhealthy.
    Status note_clean_exit();
    // The app, once the pack it shows (pack_id, version from its meta) has been shown for
    // suggested_healthy_after_ms. Only the current pack of the state is marked: if the updater
    // installed a newer one meanwhile, that one still has to prove itself. A no-op for the
    // built-in pack and for a pack already healthy.
    Status note_healthy(std::string const& pack_id, std::int64_t version);
    // The pack to show now: the current one unless it has used up its starts (rollback) or fails
    // its signature (trusted keys in keys_dir) or read_pack; then previous; then the built-in.
    // A rollback or a damaged pack is written to the state, so it sticks; a pack whose key is no
    // longer trusted is skipped but kept, and shown again if the key comes back. Never fails: the
    // worst case is the built-in pack.
    BootChoice choose_pack_at_boot(std::filesystem::path const& keys_dir);

    // --- For the importer ---

    // The import lock; nullopt when another import holds it.
    Result<std::optional<FileLock>> try_lock_import() const;
    // Deletes everything in staging/. Only with the import lock held.
    Status clean_staging() const;
    // Moves a verified, fsynced staged pack and its signature into packs/, makes it current (the
    // old current becomes previous) and prunes older packs. Only with the import lock held. An
    // error says what is installed now; a failure after the switch took is not an error but an
    // Installation with a warning.
    Result<Installation> install(std::filesystem::path const& staged_pack,
        std::filesystem::path const& staged_signature, std::string const& pack_id, std::int64_t version,
        InstallHooks const& hooks = {});
    // "test-pack version 3 is installed", or that the built-in pack is shown: for messages.
    std::string describe_installed() const;

    // "<pack_id>-v<version>.kpack"; pack_id must satisfy is_safe_pack_id.
    static std::string file_name_for(std::string const& pack_id, std::int64_t version);
    // Letters, digits, '-', '_', '.', 1..64 characters, not starting with '.': what kiosk-pack
    // accepts, and safe as part of a file name.
    static bool is_safe_pack_id(std::string const& pack_id);

private:
    explicit Store(std::filesystem::path data_dir)
        : m_data_dir(std::move(data_dir))
    {
    }
    std::filesystem::path state_path() const { return m_data_dir / "state"; }
    Result<FileLock> lock_state() const;
    Status write_state(StoreState const& state) const;
    // Under the state lock: reads the state, lets `change` edit it, writes it if `change` says so.
    Status modify_state(std::function<bool(StoreState&)> const& change) const;
    // Removes files in packs/ that `state` does not name. Only with the import lock held.
    void prune(StoreState const& state) const;

    std::filesystem::path m_data_dir;
    std::optional<FileLock> m_run_lock; // set by note_boot(): this process is the running app
    bool m_read_only { false };
    std::string m_read_only_reason;
};

// The state file's text and back (exposed for tests).
std::string format_store_state(StoreState const& state);
Result<StoreState> parse_store_state(std::string_view text, std::string const& where);

} // namespace kiosk::update
