#include "kiosk/update/Store.h"

#include "kiosk/content/PackReader.h"
#include "kiosk/update/Minisign.h"
#include "kiosk/update/PackVerifier.h"
#include "platform/Files.h"
#include "platform/Log.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <set>
#include <utility>

namespace kiosk::update {

namespace fs = std::filesystem;

namespace {

constexpr char const* log_tag = "store";

std::optional<std::int64_t> parse_int(std::string_view text)
{
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// A pack version read from disk: in 1..PackLimits::max_version, so that no later arithmetic on it
// (the "sign version N+1" advice) can overflow.
std::optional<std::int64_t> parse_version(std::string_view text)
{
    auto value = parse_int(text);
    if (!value || *value < 1 || *value > content::PackLimits::max_version)
        return std::nullopt;
    return value;
}

std::vector<std::string_view> words(std::string_view text)
{
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t const end = text.find(' ', start);
        std::string_view const word = text.substr(start, end == std::string_view::npos ? text.npos : end - start);
        if (!word.empty())
            out.push_back(word);
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    return out;
}

std::string describe(StoredPack const& pack)
{
    return pack.pack_id + " version " + std::to_string(pack.version);
}

// "cas-news-v3.kpack" -> {cas-news, 3}; nullopt for anything else.
std::optional<StoredPack> parse_pack_file_name(std::string const& name)
{
    if (!name.ends_with(".kpack"))
        return std::nullopt;
    std::string const stem = name.substr(0, name.size() - 6);
    std::size_t const dash = stem.rfind("-v");
    if (dash == std::string::npos)
        return std::nullopt;
    auto version = parse_version(std::string_view(stem).substr(dash + 2));
    std::string const pack_id = stem.substr(0, dash);
    if (!version || !Store::is_safe_pack_id(pack_id))
        return std::nullopt;
    return StoredPack { name, pack_id, *version };
}

// A stranded state after a corrupt state file: the installed packs, newest first, all given one
// clean start (a pack that ran before the state broke should not be rolled back for it).
StoreState recover_state_from(fs::path const& packs_dir)
{
    std::vector<StoredPack> found;
    std::error_code ec;
    for (fs::directory_iterator it(packs_dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (auto pack = parse_pack_file_name(it->path().filename().string()))
            found.push_back(*pack);
    }
    std::sort(found.begin(), found.end(), [](auto const& a, auto const& b) { return a.version > b.version; });
    StoreState state;
    for (auto const& pack : found)
        state.highest_installed[pack.pack_id] = std::max(state.highest_installed[pack.pack_id], pack.version);
    if (!found.empty())
        state.current = found[0];
    if (found.size() > 1)
        state.previous = found[1];
    state.current_healthy = true;
    return state;
}

} // namespace

std::string format_store_state(StoreState const& state)
{
    std::string text = "# Kiosk pack store (docs/operations.md). Replaced atomically by kiosk; edit only while it is "
                       "stopped.\nformat=1\n";
    auto pack_line = [&](char const* key, std::optional<StoredPack> const& pack) {
        if (pack)
            text += std::string(key) + "=" + pack->file + " " + pack->pack_id + " " + std::to_string(pack->version)
                + "\n";
    };
    pack_line("current", state.current);
    pack_line("previous", state.previous);
    text += std::string("current_healthy=") + (state.current_healthy ? "yes" : "no") + "\n";
    text += "unhealthy_boots=" + std::to_string(state.unhealthy_boots) + "\n";
    text += std::string("run_in_progress=") + (state.run_in_progress ? "yes" : "no") + "\n";
    for (auto const& [pack_id, version] : state.highest_installed)
        text += "highest=" + pack_id + " " + std::to_string(version) + "\n";
    for (auto const& [pack_id, version] : state.rolled_back)
        text += "rolled_back=" + pack_id + " " + std::to_string(version) + "\n";
    return text;
}

Result<StoreState> parse_store_state(std::string_view text, std::string const& where)
{
    StoreState state;
    bool seen_format = false;
    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t const end = text.find('\n', start);
        std::string_view const line = text.substr(start, end == std::string_view::npos ? text.npos : end - start);
        start = end == std::string_view::npos ? text.size() : end + 1;
        ++line_number;
        if (line.empty() || line[0] == '#')
            continue;
        auto fail = [&](std::string const& what) {
            return make_error(where + ":" + std::to_string(line_number) + ": " + what);
        };
        std::size_t const equals = line.find('=');
        if (equals == std::string_view::npos)
            return fail("expected key=value");
        std::string_view const key = line.substr(0, equals);
        std::string_view const value = line.substr(equals + 1);
        auto const parts = words(value);
        if (key == "format") {
            if (value != "1")
                return fail("unknown state format '" + std::string(value) + "'");
            seen_format = true;
        } else if (key == "current" || key == "previous") {
            auto version = parts.size() == 3 ? parse_version(parts[2]) : std::nullopt;
            if (!version)
                return fail(std::string(key) + " must be '<file> <pack_id> <version>', the version from 1 to "
                    + std::to_string(content::PackLimits::max_version));
            StoredPack pack { std::string(parts[0]), std::string(parts[1]), *version };
            if (!Store::is_safe_pack_id(pack.pack_id) || pack.file != Store::file_name_for(pack.pack_id, pack.version))
                return fail(std::string(key) + " names an unexpected file '" + pack.file + "'");
            (key == "current" ? state.current : state.previous) = pack;
        } else if (key == "current_healthy") {
            if (value != "yes" && value != "no")
                return fail("current_healthy must be yes or no");
            state.current_healthy = value == "yes";
        } else if (key == "run_in_progress") {
            if (value != "yes" && value != "no")
                return fail("run_in_progress must be yes or no");
            state.run_in_progress = value == "yes";
        } else if (key == "unhealthy_boots") {
            auto count = parse_int(value);
            if (!count || *count < 0 || *count > 1'000'000)
                return fail("unhealthy_boots must be a small count");
            state.unhealthy_boots = int(*count);
        } else if (key == "highest" || key == "rolled_back") {
            auto version = parts.size() == 2 ? parse_version(parts[1]) : std::nullopt;
            if (!version || !Store::is_safe_pack_id(std::string(parts[0])))
                return fail(std::string(key) + " must be '<pack_id> <version>', the version from 1 to "
                    + std::to_string(content::PackLimits::max_version));
            (key == "highest" ? state.highest_installed : state.rolled_back)[std::string(parts[0])] = *version;
        }
        // Unknown keys are ignored: a newer kiosk may add some, and an older one must still boot.
    }
    if (!seen_format)
        return make_error(where + ": not a kiosk state file (no format line)");
    return state;
}

bool Store::is_safe_pack_id(std::string const& pack_id)
{
    return !pack_id.empty() && pack_id.size() <= 64 && pack_id[0] != '.'
        && std::all_of(pack_id.begin(), pack_id.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                   || c == '.';
           });
}

std::string Store::file_name_for(std::string const& pack_id, std::int64_t version)
{
    return pack_id + "-v" + std::to_string(version) + ".kpack";
}

fs::path Store::signature_path_of(StoredPack const& pack) const
{
    return packs_dir() / (pack.file + ".minisig");
}

namespace {

bool is_write_refused(int err)
{
    return err == EROFS || err == EACCES || err == EPERM;
}

} // namespace

Result<Store> Store::open(fs::path data_dir, StoreAccess access)
{
    Store store(std::move(data_dir));
    if (access == StoreAccess::ReadOnly) {
        store.m_read_only = true;
        store.m_read_only_reason = store.m_data_dir.string() + " is opened read-only (looking only)";
        return store;
    }
    auto go_read_only = [&](fs::path const& where, int err) {
        store.m_read_only = true;
        store.m_read_only_reason = "storage is read-only: " + where.string() + " cannot be written ("
            + files::errno_text(err) + "); the installed pack is shown, updates are off until it is writable again";
        log::warn(log_tag, store.m_read_only_reason);
    };
    for (auto const& dir : { store.m_data_dir, store.packs_dir(), store.staging_dir() }) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec && is_write_refused(ec.value())) {
            go_read_only(dir, ec.value());
            return store;
        }
        if (ec)
            return make_error(dir.string() + ": cannot create the kiosk's data folder: " + ec.message());
    }
    // The folders exist; a card that went read-only (or a folder the kiosk user may not write)
    // shows up here, before any lock file is opened for writing.
    if (::access(store.m_data_dir.c_str(), W_OK) != 0 && is_write_refused(errno)) {
        go_read_only(store.m_data_dir, errno);
        return store;
    }
    // Another process (`kiosk import`) may be importing right now: then its staging files and its
    // fresh packs are not leftovers, and it cleans up after itself.
    auto import_lock = store.try_lock_import();
    if (!import_lock)
        return import_lock.error();
    if (import_lock->has_value()) {
        if (auto cleaned = store.clean_staging(); !cleaned)
            log::warn(log_tag, cleaned.message());
        // Prune only against a state we could read: a corrupt one is recovered from packs/.
        if (auto state = store.read_state())
            store.prune(state.value());
        // A temp file of a state write cut short (files::write_file_atomic names it so).
        if (auto state_lock = store.lock_state()) {
            std::error_code ec;
            for (fs::directory_iterator it(store.m_data_dir, ec), end; !ec && it != end; it.increment(ec)) {
                if (it->path().filename().string().starts_with(".state.tmp-")) {
                    std::error_code ignored;
                    fs::remove(it->path(), ignored);
                }
            }
        }
    }
    return store;
}

Result<StoreState> Store::read_state() const
{
    std::error_code ec;
    if (!fs::exists(state_path(), ec))
        return StoreState {};
    auto bytes = files::read_file(state_path(), 64 * 1024);
    if (!bytes)
        return bytes.error();
    return parse_store_state(
        std::string_view(reinterpret_cast<char const*>(bytes->data()), bytes->size()), state_path().string());
}

Result<FileLock> Store::lock_state() const
{
    auto lock = FileLock::acquire(m_data_dir / "state.lock", LockWait::Block);
    if (!lock)
        return lock.error();
    return std::move(lock.value().value());
}

Result<std::optional<FileLock>> Store::try_lock_import() const
{
    if (m_read_only)
        return make_error("cannot import into " + m_data_dir.string() + ": " + m_read_only_reason);
    return FileLock::acquire(m_data_dir / "import.lock", LockWait::DontBlock);
}

Status Store::write_state(StoreState const& state) const
{
    return files::write_file_atomic(state_path(), format_store_state(state));
}

Status Store::modify_state(std::function<bool(StoreState&)> const& change) const
{
    if (m_read_only)
        return {}; // nothing can be counted or marked; the state as it is decides
    auto lock = lock_state();
    if (!lock)
        return lock.error();
    auto state = read_state();
    if (!state)
        return state.error();
    if (!change(state.value()))
        return {};
    return write_state(state.value());
}

Status Store::note_boot()
{
    if (!m_run_lock && !m_read_only) {
        auto run_lock = FileLock::acquire(m_data_dir / "run.lock", LockWait::DontBlock);
        if (!run_lock)
            return run_lock.error();
        if (!run_lock->has_value())
            log::warn(log_tag, "another kiosk app is running on " + m_data_dir.string());
        else
            m_run_lock = std::move(run_lock.value());
    }
    return modify_state([](StoreState& state) {
        bool const counted = state.run_in_progress && state.current && !state.current_healthy;
        if (counted) {
            state.unhealthy_boots += 1;
            log::warn(log_tag,
                "the last run of " + describe(*state.current)
                    + " ended without a clean exit (a crash, a hang stopped by the watchdog, or a power loss) before "
                      "it ran healthily: "
                    + std::to_string(state.unhealthy_boots) + " of " + std::to_string(max_unhealthy_boots)
                    + " before it is rolled back");
        }
        if (state.run_in_progress && !counted)
            return false;
        state.run_in_progress = true;
        return true;
    });
}

Status Store::note_clean_exit()
{
    return modify_state([](StoreState& state) { return std::exchange(state.run_in_progress, false); });
}

Status Store::note_healthy(std::string const& pack_id, std::int64_t version)
{
    return modify_state([&](StoreState& state) {
        if (!state.current || state.current_healthy || state.current->pack_id != pack_id
            || state.current->version != version)
            return false;
        state.current_healthy = true;
        state.unhealthy_boots = 0;
        log::info(log_tag, describe(*state.current) + " runs healthily; it stays installed");
        return true;
    });
}

namespace {

// The checks a stored pack must pass before it is shown: its signature by a key still trusted,
// the pack itself (quick integrity check: the full one ran at import), and the claim.
struct StoredPackCheck {
    std::optional<content::Pack> pack; // set when it may be shown
    std::string problem;
    // The files themselves are bad (as opposed to a key missing from the trusted keys, which an
    // operator may put back): such a pack is dropped from the state for good.
    bool damaged { false };
};

StoredPackCheck check_stored_pack(
    Store const& store, StoredPack const& stored, Result<std::vector<PublicKey>> const& keys)
{
    fs::path const path = store.path_of(stored);
    auto damaged = [](std::string problem) { return StoredPackCheck { std::nullopt, std::move(problem), true }; };
    if (!keys)
        return { std::nullopt, path.string() + ": cannot check its signature: " + keys.message(), false };
    auto signature = load_signature(store.signature_path_of(stored));
    if (!signature)
        return damaged(signature.message());
    if (auto signer = find_signer(signature.value(), keys.value()); !signer)
        return { std::nullopt, store.signature_path_of(stored).string() + ": " + signer.message(), false };
    auto checked = verify_signature(path, store.signature_path_of(stored), keys.value());
    if (!checked)
        return damaged(checked.message());
    if (checked->claim.pack_id != stored.pack_id || checked->claim.version != stored.version)
        return damaged(path.string() + ": its signature claims " + checked->claim.pack_id + " version "
            + std::to_string(checked->claim.version) + ", not " + describe(stored));
    auto pack = content::read_pack(path, content::IntegrityCheck::Quick);
    if (!pack)
        return damaged(pack.message());
    if (auto agreed = check_claim(checked->claim, pack->meta); !agreed)
        return damaged(path.string() + ": " + agreed.message());
    return { std::move(pack.value()), {}, false };
}

} // namespace

BootChoice Store::choose_pack_at_boot(fs::path const& keys_dir)
{
    BootChoice choice;
    std::vector<std::string> notes;
    // Without the lock the choice is still made; it is just not written down.
    std::optional<Result<FileLock>> lock;
    if (m_read_only)
        notes.push_back(m_read_only_reason);
    else if (lock = lock_state(); !*lock)
        notes.push_back(lock->message());
    bool const can_write = lock && lock->ok();

    bool changed = false;
    StoreState state;
    if (auto read = read_state()) {
        state = std::move(read.value());
    } else {
        notes.push_back(read.message() + "; using the newest pack found in " + packs_dir().string());
        state = recover_state_from(packs_dir());
        changed = true;
    }

    if (state.current && !state.current_healthy && state.unhealthy_boots >= max_unhealthy_boots) {
        notes.push_back(describe(*state.current) + " ended uncleanly " + std::to_string(state.unhealthy_boots)
            + " times (a crash, a hang or a power loss) before it ran healthily; rolled back");
        state.rolled_back[state.current->pack_id] = state.current->version;
        state.current = std::exchange(state.previous, std::nullopt);
        state.current_healthy = false;
        state.unhealthy_boots = 0;
        changed = true;
        choice.fell_back = true;
    }

    auto const keys = load_public_keys(keys_dir);
    std::vector<StoredPack> candidates;
    for (auto const& pack : { state.current, state.previous }) {
        if (pack)
            candidates.push_back(*pack);
    }
    for (auto const& candidate : candidates) {
        auto checked = check_stored_pack(*this, candidate, keys);
        if (checked.pack) {
            choice.pack = path_of(candidate);
            choice.loaded = std::make_shared<content::Pack const>(std::move(*checked.pack));
            notes.push_back("showing " + describe(candidate));
            break;
        }
        notes.push_back(checked.problem + "; not shown");
        choice.fell_back = true;
        if (!checked.damaged)
            continue; // shown again once its key is trusted again
        // Damaged files stay damaged: forget the pack, so later starts and imports do not count on it.
        if (state.current && state.current->file == candidate.file) {
            state.current = std::exchange(state.previous, std::nullopt);
            state.current_healthy = false;
            state.unhealthy_boots = 0;
        } else if (state.previous && state.previous->file == candidate.file) {
            state.previous.reset();
        }
        changed = true;
    }
    if (!choice.pack)
        notes.push_back("showing the built-in pack");

    if (changed && can_write) {
        if (auto written = write_state(state); !written)
            notes.push_back(written.message());
    }
    for (auto const& note : notes)
        choice.reason += (choice.reason.empty() ? "" : "; ") + note;
    (choice.fell_back ? log::warn : log::info)(log_tag, choice.reason);
    return choice;
}

Status Store::clean_staging() const
{
    std::error_code ec;
    std::string problems;
    for (fs::directory_iterator it(staging_dir(), ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code remove_ec;
        fs::remove_all(it->path(), remove_ec);
        if (remove_ec)
            problems += (problems.empty() ? "" : "; ") + it->path().string() + ": " + remove_ec.message();
        else
            log::info(log_tag, "removed the stale staging file " + it->path().string());
    }
    if (ec)
        return make_error(staging_dir().string() + ": cannot clean: " + ec.message());
    if (!problems.empty())
        return make_error("cannot remove stale staging files: " + problems);
    return {};
}

void Store::prune(StoreState const& state) const
{
    std::set<std::string> keep;
    for (auto const& pack : { state.current, state.previous }) {
        if (pack) {
            keep.insert(pack->file);
            keep.insert(pack->file + ".minisig");
        }
    }
    std::error_code ec;
    for (fs::directory_iterator it(packs_dir(), ec), end; !ec && it != end; it.increment(ec)) {
        std::string const name = it->path().filename().string();
        if (keep.contains(name))
            continue;
        std::error_code remove_ec;
        fs::remove_all(it->path(), remove_ec);
        if (remove_ec)
            log::warn(log_tag, it->path().string() + ": cannot remove an old pack: " + remove_ec.message());
        else
            log::info(log_tag, "removed " + it->path().string() + " (neither current nor previous)");
    }
}

std::string Store::describe_installed() const
{
    auto state = read_state();
    if (!state)
        return "what is installed is unknown (" + state.message() + ")";
    return state->current ? describe(*state->current) + " is installed" : "the built-in pack is shown";
}

Result<Installation> Store::install(fs::path const& staged_pack, fs::path const& staged_signature,
    std::string const& pack_id, std::int64_t version, InstallHooks const& hooks)
{
    auto const& hook = hooks.at_step;
    // Every failure before the switch leaves the old pack: say so, with what that is.
    auto not_installed
        = [&](std::string const& what) { return make_error(what + "; nothing changed: " + describe_installed()); };
    assert(is_safe_pack_id(pack_id) && version >= 1);
    StoredPack const installed { file_name_for(pack_id, version), pack_id, version };
    fs::path const pack_path = path_of(installed);
    fs::path const signature_path = signature_path_of(installed);

    // Both renames stay within one file system (staging/ and packs/ are siblings), so each is
    // atomic; the state, switched afterwards, is what makes the pack current.
    if (::rename(staged_signature.c_str(), signature_path.c_str()) != 0)
        return not_installed(
            signature_path.string() + ": cannot move the signature into place: " + files::errno_text(errno));
    if (::rename(staged_pack.c_str(), pack_path.c_str()) != 0)
        return not_installed(pack_path.string() + ": cannot move the pack into place: " + files::errno_text(errno));
    if (auto synced = files::fsync_directory(packs_dir()); !synced)
        return not_installed(synced.message());
    if (hook)
        hook(ImportStep::MovedIntoPacks);

    StoreState state;
    std::string warning;
    {
        auto lock = lock_state();
        if (!lock)
            return not_installed(lock.message());
        if (auto read = read_state()) {
            state = std::move(read.value());
        } else {
            // The new pack was verified a moment ago: it is a better current than a guess.
            log::warn(log_tag, read.message() + "; starting a new state with " + describe(installed));
            state = StoreState {};
        }
        if (state.current && state.current->file != installed.file)
            state.previous = state.current;
        state.current = installed;
        state.current_healthy = false;
        state.unhealthy_boots = 0;
        // A run marker left by an app that is no longer running (it crashed before this install)
        // is about the pack being replaced: the new one must not start with a count against it.
        if (state.run_in_progress && !m_run_lock) {
            auto app_running = FileLock::acquire(m_data_dir / "run.lock", LockWait::DontBlock);
            if (app_running && app_running->has_value())
                state.run_in_progress = false;
        }
        state.highest_installed[pack_id] = std::max(state.highest_installed[pack_id], version);
        std::optional<StoredPack> const replaced = state.previous;
        Status switched = write_state(state);
        if (switched && hooks.io_error) {
            if (int const err = hooks.io_error(IoPoint::SyncAfterSwitch))
                switched = make_error(m_data_dir.string() + ": fsync failed: " + files::errno_text(err));
        }
        if (!switched) {
            // write_state renames first and syncs the folder last: the switch may have taken.
            // What the state says now is what the next start shows.
            auto now = read_state();
            if (!now || !now->current || now->current->file != installed.file)
                return not_installed("cannot switch to " + describe(installed) + ": " + switched.message());
            warning = describe(installed) + " is installed and shown from the next start, but the data folder "
                + "could not be synced (" + switched.message() + "): a power cut in the next seconds may bring back "
                + (replaced ? describe(*replaced) : std::string("the previous content"));
            log::warn(log_tag, warning);
        }
    }
    if (hook)
        hook(ImportStep::Switched);
    log::info(log_tag,
        "installed " + describe(installed) + (state.previous ? "; previous: " + describe(*state.previous) : ""));

    prune(state);
    if (hook)
        hook(ImportStep::Pruned);
    return Installation { installed, warning };
}

} // namespace kiosk::update
