#include "kiosk/update/Importer.h"

#include "kiosk/update/Minisign.h"
#include "kiosk/update/PackVerifier.h"
#include "platform/Files.h"
#include "platform/Log.h"
#include "platform/UntrustedFile.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

namespace kiosk::update {

namespace fs = std::filesystem;

namespace {

constexpr char const* log_tag = "import";
constexpr std::size_t max_folder_entries = 10'000;
constexpr std::size_t max_candidates = 32;
// Room left over after a copy, so an import never fills the disk the app also writes its state to.
constexpr std::uint64_t free_space_margin_bytes = 4 * 1024 * 1024;

bool ends_with_ignoring_case(std::string const& text, std::string_view suffix)
{
    if (text.size() < suffix.size())
        return false;
    return std::equal(suffix.begin(), suffix.end(), text.end() - std::ptrdiff_t(suffix.size()), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
}

bool equal_ignoring_case(std::string const& a, std::string const& b)
{
    return a.size() == b.size() && ends_with_ignoring_case(a, b);
}

std::string mb_rounded_up(std::uint64_t bytes)
{
    constexpr std::uint64_t mb = 1024 * 1024;
    return std::to_string((bytes + mb - 1) / mb) + " MB";
}

ImportOutcome make_outcome(ImportOutcome::Kind kind, fs::path file, std::string reason)
{
    ImportOutcome outcome;
    outcome.kind = kind;
    outcome.file = std::move(file);
    outcome.reason = std::move(reason);
    return outcome;
}

ImportOutcome refused(fs::path file, std::string reason)
{
    return make_outcome(ImportOutcome::Kind::Refused, std::move(file), std::move(reason));
}

ImportOutcome failed(fs::path file, std::string reason)
{
    return make_outcome(ImportOutcome::Kind::Failed, std::move(file), std::move(reason));
}

// Messages from checks of the staged copy name the staging path; staff know the file on the stick.
std::string name_source_instead(std::string message, fs::path const& staged, fs::path const& source)
{
    std::string const from = staged.string();
    for (std::size_t at = message.find(from); at != std::string::npos; at = message.find(from, at))
        message.replace(at, from.size(), source.string()), at += source.string().size();
    return message;
}

bool is_stick_gone(int err)
{
    // What reading a file returns once its USB device has been pulled (vfat/exfat report EIO,
    // the block layer ENODEV/ENXIO; ESTALE when the mount itself is torn down).
    return err == EIO || err == ENODEV || err == ENXIO || err == ESTALE || err == ENOMEDIUM;
}

// 0 when every byte is written, else the errno of the failed write.
int write_all(int fd, std::uint8_t const* data, std::size_t size)
{
    while (size > 0) {
        ssize_t const n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        data += n;
        size -= std::size_t(n);
    }
    return 0;
}

// Removes the files of one import from staging/ when it goes out of scope.
class StagingCleanup {
public:
    explicit StagingCleanup(std::vector<fs::path> paths)
        : m_paths(std::move(paths))
    {
    }
    StagingCleanup(StagingCleanup const&) = delete;
    StagingCleanup& operator=(StagingCleanup const&) = delete;
    ~StagingCleanup()
    {
        for (auto const& path : m_paths) {
            if (::unlink(path.c_str()) != 0 && errno != ENOENT)
                log::warn(log_tag, path.string() + ": cannot remove the staged copy: " + files::errno_text(errno));
        }
    }

private:
    std::vector<fs::path> m_paths;
};

} // namespace

char const* import_step_name(ImportStep step)
{
    switch (step) {
    case ImportStep::Locked:
        return "locked";
    case ImportStep::PreChecked:
        return "pre-checked";
    case ImportStep::SignatureStaged:
        return "signature-staged";
    case ImportStep::CopyStarted:
        return "copy-started";
    case ImportStep::CopyFinished:
        return "copy-finished";
    case ImportStep::StagedSynced:
        return "staged-synced";
    case ImportStep::Verified:
        return "verified";
    case ImportStep::MovedIntoPacks:
        return "moved-into-packs";
    case ImportStep::Switched:
        return "switched";
    case ImportStep::Pruned:
        return "pruned";
    }
    return "?";
}

char const* outcome_kind_name(ImportOutcome::Kind kind)
{
    switch (kind) {
    case ImportOutcome::Kind::Installed:
        return "installed";
    case ImportOutcome::Kind::Refused:
        return "refused";
    case ImportOutcome::Kind::Failed:
        return "failed";
    case ImportOutcome::Kind::NoPack:
        return "no pack found";
    }
    return "?";
}

// A NAME.kpack found in a folder; the folder's descriptor is owned by the caller.
struct Importer::Candidate {
    int dir_fd { -1 };
    std::string name;
    std::optional<std::string> signature_name;
    fs::path display; // full path, for messages
};

// A candidate whose signature file passed the pre-check, with both files open.
struct Importer::Accepted {
    Candidate const* candidate { nullptr };
    std::string signature_text; // the exact bytes checked, installed as they are
    SignatureCheck check;
    untrusted::OpenedFile pack;
};

Importer::Importer(Store& store, ImporterConfig config, ImportHooks hooks)
    : m_store(store)
    , m_config(std::move(config))
    , m_hooks(std::move(hooks))
{
    assert(m_hooks.chunk_bytes > 0);
}

void Importer::step(ImportStep reached) const
{
    log::debug(log_tag, std::string("step: ") + import_step_name(reached));
    if (m_hooks.at_step)
        m_hooks.at_step(reached);
}

ImportOutcome Importer::import_file(fs::path const& pack, EventSink const& emit, std::stop_token stop)
{
    fs::path const dir = pack.has_parent_path() ? pack.parent_path() : fs::path(".");
    auto dir_fd = untrusted::open_directory(dir);
    if (!dir_fd)
        return failed(pack, dir_fd.message());
    std::string const name = pack.filename().string();
    struct stat st { };
    if (::fstatat(dir_fd->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return failed(pack, pack.string() + ": " + files::errno_text(errno));
    Candidate candidate { dir_fd->get(), name, name + ".minisig", pack };
    return import_candidates(pack, { candidate }, emit, stop);
}

ImportOutcome Importer::import_from_folder(fs::path const& dir, EventSink const& emit, std::stop_token stop)
{
    auto root_fd = untrusted::open_directory(dir);
    if (!root_fd)
        return failed(dir, root_fd.message());
    std::optional<UniqueFd> kiosk_fd = untrusted::open_subdirectory(root_fd->get(), "kiosk");

    std::vector<Candidate> candidates;
    auto collect = [&](int fd, fs::path const& where) -> Status {
        auto names = untrusted::list_directory(fd, max_folder_entries, where);
        if (!names)
            return names.error();
        std::sort(names->begin(), names->end());
        for (auto const& name : names.value()) {
            if (name.starts_with(".") || !ends_with_ignoring_case(name, ".kpack"))
                continue;
            Candidate candidate { fd, name, std::nullopt, where / name };
            // FAT sticks written on another system may change the case of either name.
            for (auto const& other : names.value()) {
                if (equal_ignoring_case(other, name + ".minisig")) {
                    candidate.signature_name = other;
                    if (other == name + ".minisig")
                        break;
                }
            }
            if (candidates.size() < max_candidates)
                candidates.push_back(std::move(candidate));
        }
        return {};
    };
    if (auto listed = collect(root_fd->get(), dir); !listed)
        return failed(dir, listed.message());
    if (kiosk_fd) {
        if (auto listed = collect(kiosk_fd->get(), dir / "kiosk"); !listed)
            return failed(dir, listed.message());
    }
    if (candidates.empty()) {
        return make_outcome(ImportOutcome::Kind::NoPack, dir,
            "no content pack (*.kpack with its .kpack.minisig) in " + dir.string() + " or its kiosk/ folder");
    }
    return import_candidates(dir, candidates, emit, stop);
}

ImportOutcome Importer::import_candidates(std::filesystem::path const& where, std::vector<Candidate> const& candidates,
    EventSink const& emit, std::stop_token const& stop)
{
    fs::path const first = candidates.front().display;
    if (emit)
        emit(Detected { candidates.size() == 1 ? first : where });
    auto lock = m_store.try_lock_import();
    if (!lock)
        return failed(first, lock.message());
    if (!lock->has_value())
        return failed(first,
            "another import into " + m_store.data_dir().string()
                + " is running (the kiosk app or `kiosk import`); try again when it has finished");
    if (auto cleaned = m_store.clean_staging(); !cleaned)
        log::warn(log_tag, cleaned.message());
    step(ImportStep::Locked);

    auto state = m_store.read_state();
    if (!state)
        return failed(first, state.message() + "; restart the kiosk to recover the store");
    auto keys = load_public_keys(m_config.keys_dir);
    if (!keys)
        return failed(first, "cannot check signatures: " + keys.message());

    std::vector<Accepted> accepted;
    std::vector<ImportOutcome> refusals;
    for (auto const& candidate : candidates) {
        auto checked = pre_check(candidate, state.value(), keys.value());
        if (auto* refusal = std::get_if<ImportOutcome>(&checked))
            refusals.push_back(std::move(*refusal));
        else
            accepted.push_back(std::move(std::get<Accepted>(checked)));
    }

    if (accepted.empty()) {
        if (refusals.size() == 1)
            return refusals.front();
        // Several packs, none for us: the most useful news first.
        for (auto const& refusal : refusals) {
            if (refusal.already_installed)
                return refusal;
        }
        ImportOutcome all = refused(first, "no pack here is for this display: ");
        for (std::size_t i = 0; i < refusals.size(); ++i)
            all.reason += (i ? "; " : "") + refusals[i].reason;
        return all;
    }
    for (auto const& refusal : refusals)
        log::info(log_tag, "skipped: " + refusal.reason);
    auto best = std::max_element(accepted.begin(), accepted.end(),
        [](Accepted const& a, Accepted const& b) { return a.check.claim.version < b.check.claim.version; });
    return stage_verify_install(*best, emit, stop);
}

std::variant<Importer::Accepted, ImportOutcome> Importer::pre_check(
    Candidate const& candidate, StoreState const& state, std::vector<PublicKey> const& keys) const
{
    fs::path const signature_display = candidate.display.string() + ".minisig";
    if (!candidate.signature_name) {
        return refused(candidate.display,
            candidate.display.string() + " has no signature file " + signature_display.filename().string()
                + " next to it; sign the pack and copy both files");
    }
    auto signature_file = untrusted::open_regular_file(
        candidate.dir_fd, *candidate.signature_name, max_signature_file_bytes, signature_display);
    if (!signature_file)
        return refused(candidate.display, signature_file.message());
    auto text = untrusted::read_small_file(signature_file.value());
    if (!text)
        return refused(candidate.display, text.message());
    auto signature = parse_signature(text.value());
    if (!signature)
        return refused(candidate.display, signature_display.string() + ": " + signature.message());
    auto signer = find_signer(signature.value(), keys);
    if (!signer) {
        return refused(candidate.display,
            signature_display.string() + ": " + signer.message() + "; trusted keys are in "
                + m_config.keys_dir.string());
    }
    if (auto comment = verify_trusted_comment(signature.value(), signer.value()); !comment)
        return refused(candidate.display, signature_display.string() + ": " + comment.message());
    auto claim = parse_pack_claim(signature->trusted_comment);
    if (!claim)
        return refused(candidate.display, signature_display.string() + ": " + claim.message());
    std::string const what = candidate.display.filename().string() + " (" + claim->pack_id + " version "
        + std::to_string(claim->version) + ")";
    if (!signature->prehashed) {
        return refused(candidate.display,
            what
                + " is signed in minisign's legacy format; sign it again with `kiosk-pack sign` or a current "
                  "minisign without -l");
    }
    if (!Store::is_safe_pack_id(claim->pack_id)) {
        return refused(candidate.display,
            signature_display.string() + ": pack_id '" + claim->pack_id
                + "' must be 1-64 letters, digits, '-', '_' or '.'");
    }
    if (!target_matches(claim->target, m_config.device_group)) {
        return refused(candidate.display,
            what + " is for displays in group '" + claim->target + "'; this display is in group '"
                + m_config.device_group + "' (device_group in its config)");
    }
    std::vector<std::string> accepted_ids = m_config.accepted_pack_ids;
    if (accepted_ids.empty() && state.current)
        accepted_ids.push_back(state.current->pack_id);
    if (!accepted_ids.empty()
        && std::find(accepted_ids.begin(), accepted_ids.end(), claim->pack_id) == accepted_ids.end()) {
        std::string list;
        for (auto const& id : accepted_ids)
            list += (list.empty() ? "" : ", ") + id;
        return refused(candidate.display,
            what + " is a different pack; this display accepts " + list + " (accepted_pack_ids in its config)");
    }
    auto const rolled_back = state.rolled_back.find(claim->pack_id);
    if (rolled_back != state.rolled_back.end() && rolled_back->second == claim->version) {
        return refused(candidate.display,
            what + " was rolled back on this display after it failed to run; fix it and sign a newer version");
    }
    if (state.current && state.current->pack_id == claim->pack_id && state.current->version == claim->version) {
        ImportOutcome refusal = refused(candidate.display, what + " is already installed on this display");
        refusal.already_installed = true;
        return refusal;
    }
    // Packs only move forward: nothing older than any version this display ever installed. The
    // highest version itself is accepted again when it is not current: it replaces a copy that
    // was found damaged at start-up.
    auto const highest = state.highest_installed.find(claim->pack_id);
    if (highest != state.highest_installed.end() && claim->version < highest->second) {
        return refused(candidate.display,
            what + " is older than version " + std::to_string(highest->second)
                + ", installed here before; packs only move forward, sign version "
                + std::to_string(highest->second + 1) + " or later");
    }
    auto pack = untrusted::open_regular_file(
        candidate.dir_fd, candidate.name, content::PackLimits::max_pack_bytes, candidate.display);
    if (!pack)
        return refused(candidate.display, pack.message());
    if (pack->size_bytes == 0)
        return refused(candidate.display, candidate.display.string() + " is empty");
    return Accepted { &candidate, std::move(text.value()),
        SignatureCheck { std::move(signature.value()), std::move(signer.value()), std::move(claim.value()) },
        std::move(pack.value()) };
}

ImportOutcome Importer::stage_verify_install(Accepted& accepted, EventSink const& emit, std::stop_token const& stop)
{
    fs::path const source = accepted.candidate->display;
    PackClaim const claim = accepted.check.claim;
    std::uint64_t const total = accepted.pack.size_bytes;
    log::info(log_tag,
        "importing " + source.string() + ": " + claim.pack_id + " version " + std::to_string(claim.version) + ", "
            + untrusted::human_size(total));
    step(ImportStep::PreChecked);

    std::string const base = Store::file_name_for(claim.pack_id, claim.version);
    fs::path const staged = m_store.staging_dir() / base;
    fs::path const staged_signature = m_store.staging_dir() / (base + ".minisig");
    // Whatever the outcome, nothing of this import stays in staging/: a refused 500 MB pack, or a
    // stick refused again and again, must not fill the card. (An install renames both files away
    // first; the next start or import clears what a crash left.)
    StagingCleanup const cleanup({ staged, staged_signature });
    if (auto written = files::write_file_atomic(staged_signature, accepted.signature_text); !written)
        return failed(source, written.message());
    step(ImportStep::SignatureStaged);

    std::string const data_dir = m_store.data_dir().string();
    auto no_space = [&] {
        return failed(source,
            "not enough space in " + data_dir + ": need " + mb_rounded_up(total + free_space_margin_bytes) + " for "
                + source.filename().string() + "; free some space or use a smaller pack");
    };
    struct statvfs fs_info { };
    if (::statvfs(m_store.staging_dir().c_str(), &fs_info) == 0) {
        std::uint64_t const free_bytes = std::uint64_t(fs_info.f_bavail) * std::uint64_t(fs_info.f_frsize);
        if (free_bytes < total + free_space_margin_bytes)
            return no_space();
    }

    UniqueFd out(::open(staged.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!out)
        return failed(source, staged.string() + ": cannot create the staged copy: " + files::errno_text(errno));
    step(ImportStep::CopyStarted);

    Blake2bHasher hasher;
    std::vector<std::uint8_t> buffer(std::min<std::uint64_t>(m_hooks.chunk_bytes, total));
    std::uint64_t done = 0;
    while (done < total) {
        if (stop.stop_requested())
            return failed(source, "the import of " + source.string() + " was cancelled: the kiosk is stopping");
        std::size_t const want = std::size_t(std::min<std::uint64_t>(buffer.size(), total - done));
        int const injected = m_hooks.read_error ? m_hooks.read_error(done) : 0;
        ssize_t const n = injected ? -1 : ::pread(accepted.pack.fd.get(), buffer.data(), want, off_t(done));
        if (n < 0) {
            int const err = injected ? injected : errno;
            if (err == EINTR)
                continue;
            if (is_stick_gone(err))
                return failed(source,
                    "the stick was removed during the copy of " + source.filename().string() + " ("
                        + files::errno_text(err) + "); plug it in again and wait for the result");
            return failed(source, source.string() + ": read failed: " + files::errno_text(err));
        }
        if (n == 0)
            return failed(source,
                source.string() + " became shorter during the copy (" + std::to_string(done) + " of "
                    + std::to_string(total) + " bytes); was the stick removed?");
        std::span<std::uint8_t const> const chunk(buffer.data(), std::size_t(n));
        hasher.update(chunk);
        if (int const err = write_all(out.get(), chunk.data(), chunk.size()); err != 0) {
            if (err == ENOSPC || err == EDQUOT)
                return no_space();
            if (err == EFBIG)
                return failed(source,
                    "cannot write " + mb_rounded_up(total) + " into " + data_dir
                        + ": the file size limit of the kiosk process is lower (LimitFSIZE / ulimit -f)");
            return failed(source, staged.string() + ": cannot write the staged copy: " + files::errno_text(err));
        }
        done += std::uint64_t(n);
        if (emit)
            emit(Progress { done, total });
        if (m_hooks.after_chunk)
            m_hooks.after_chunk(done);
    }
    Blake2b512 const copy_hash = hasher.finish();
    step(ImportStep::CopyFinished);

    // The bytes we read and wrote must be the ones signed; a corrupt or swapped file on the stick
    // ends here, before anything parses it.
    if (auto signed_bytes = verify_file_hash(accepted.check, copy_hash, source); !signed_bytes)
        return refused(source, signed_bytes.message());

    if (::fsync(out.get()) != 0) {
        int const err = errno;
        if (err == ENOSPC || err == EDQUOT)
            return no_space();
        return failed(source, staged.string() + ": fsync failed: " + files::errno_text(err));
    }
    out.reset();
    step(ImportStep::StagedSynced);

    // From here on only the staged file counts: hash it again, so what SQLite opens is exactly what
    // the signature covers, even if the write path or the disk changed a byte.
    // A local fault from here on is this display's problem, not the pack's: it is reported as a
    // failure (try again, check the card), never as a refusal of a pack that may well be fine.
    auto local_fault = [&](std::string const& what) {
        return failed(source,
            what + "; this is a problem of this display's storage, not of the pack: nothing was installed, "
                + m_store.describe_installed());
    };
    auto rehash = [&]() -> Result<Blake2b512> {
        if (int const err = m_hooks.io_error ? m_hooks.io_error(IoPoint::ReadStaged) : 0)
            return make_error(staged.string() + ": read failed: " + files::errno_text(err));
        return hash_file(staged);
    };
    auto staged_hash = rehash();
    if (!staged_hash)
        return local_fault("cannot read back the staged copy (" + staged_hash.message() + ")");
    if (staged_hash.value() != copy_hash)
        return local_fault(staged.string() + " differs from the bytes read from " + source.string()
            + " (a failing disk or memory?); the import was stopped");
    if (m_hooks.io_error) {
        if (int const err = m_hooks.io_error(IoPoint::VerifyStaged))
            return local_fault(staged.string() + ": read failed: " + files::errno_text(err));
    }
    auto verified = verify_pack(staged, accepted.check, staged_hash.value());
    if (!verified) {
        // The pack is to blame only if the staged copy still holds exactly the signed bytes;
        // otherwise it changed or could not be read here while SQLite was checking it.
        auto again = rehash();
        if (!again || again.value() != copy_hash)
            return local_fault("the staged copy could not be read back intact while it was checked ("
                + (again ? std::string("it changed on this display's storage") : again.message())
                + "; the check said: " + verified.message() + ")");
        return refused(source, name_source_instead(verified.message(), staged, source));
    }
    step(ImportStep::Verified);

    auto installed = m_store.install(
        staged, staged_signature, claim.pack_id, claim.version, InstallHooks { m_hooks.at_step, m_hooks.io_error });
    if (!installed)
        return failed(source, "cannot install " + source.filename().string() + ": " + installed.message());

    auto pack = std::make_shared<content::Pack const>(std::move(verified.value().pack));
    ImportOutcome outcome = make_outcome(ImportOutcome::Kind::Installed, source,
        "installed " + claim.pack_id + " version " + std::to_string(claim.version) + " ("
            + std::to_string(pack->slides.size()) + " slides)");
    if (!installed->warning.empty())
        outcome.reason += "; warning: " + installed->warning;
    outcome.installed = Installed { m_store.path_of(installed->pack), claim.pack_id, claim.version, pack->meta.title,
        pack->slides.size(), pack };
    log::info(log_tag, outcome.reason + " from " + source.string());
    return outcome;
}

} // namespace kiosk::update
