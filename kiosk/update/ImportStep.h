#pragma once

// The steps of an import, in order. Tests hook them to kill the importer at each one and check that
// the store still holds the old pack or the new one, whole (tests/update/FaultInjectionTests.cpp).

namespace kiosk::update {

enum class ImportStep {
    Locked, // the data directory's import lock is held and stale staging files are gone
    PreChecked, // the .minisig is authentic and its claim acceptable; nothing copied yet
    SignatureStaged, // the .minisig bytes are in staging/
    CopyStarted, // the staged pack file exists, empty
    CopyFinished, // every byte is in staging/ and was hashed on the way, not yet fsynced
    StagedSynced, // the staged pack is fsynced
    Verified, // staged copy re-hashed, signature checked, read_pack(Full) passed, meta == claim
    MovedIntoPacks, // both files renamed into packs/, the state still names the old pack
    Switched, // the state names the new pack: the commit point
    Pruned, // packs other than current and previous removed
};

char const* import_step_name(ImportStep step);

// Where tests inject a local I/O fault (ImportHooks::io_error); production leaves the hook empty.
enum class IoPoint {
    ReadStaged, // reading the staged copy back to hash it
    VerifyStaged, // just before SQLite opens the staged copy (a hook may damage it here)
    SyncAfterSwitch, // the directory fsync after `state` was renamed into place
};

} // namespace kiosk::update
