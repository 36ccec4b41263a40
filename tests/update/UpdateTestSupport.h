#pragma once

// Fixtures for the update tests: real packs built by kiosk-pack, real signatures made by stock
// minisign, real files in a stick folder and a data directory. Packs and keys are made once per
// test run and copied into each test's folder.

#include "../support/TestSupport.h"
#include "kiosk/content/Sqlite.h"
#include "kiosk/update/Importer.h"
#include "kiosk/update/Store.h"
#include "platform/Log.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <sys/mount.h>
#include <thread>

namespace kiosk::test {

namespace fs = std::filesystem;

// Every import logs a few info lines; in tests only warnings and errors are worth reading.
inline bool const update_tests_log_quietly = [] {
    log::set_min_level(log::Level::Warn);
    return true;
}();

// A minisign key pair made by stock minisign; keys_dir holds only its public key.
class Signer {
public:
    explicit Signer(std::string const& name)
    {
        fs::create_directories(m_dir / "keys");
        m_secret = m_dir / (name + ".key");
        std::string output;
        int const rc = run_command(
            "minisign -G -W -f -p " + quote(m_dir / "keys" / (name + ".pub")) + " -s " + quote(m_secret), &output);
        if (rc != 0)
            FAIL("minisign -G failed (is minisign installed?): " << output);
    }
    fs::path keys_dir() const { return m_dir / "keys"; }

    // Writes pack + ".minisig" with the trusted comment `claim`; extra: e.g. "-l" (legacy format).
    void sign(fs::path const& pack, std::string const& claim, std::string const& extra = "") const
    {
        std::string output;
        int const rc = run_command("minisign -S " + extra + " -s " + quote(m_secret) + " -m " + quote(pack) + " -x "
                + quote(pack.string() + ".minisig") + " -t " + quote_text(claim),
            &output);
        if (rc != 0)
            FAIL("minisign -S failed: " << output);
    }

    static std::string quote_text(std::string const& text) { return "'" + text + "'"; }

private:
    TempDir m_dir;
    fs::path m_secret;
};

inline Signer const& trusted_signer()
{
    static Signer const signer("trusted");
    return signer;
}

inline Signer const& stranger_signer()
{
    static Signer const signer("stranger");
    return signer;
}

inline std::string claim_for(
    int version, std::string const& pack_id = "test-pack", std::string const& target = "lobby-*")
{
    return "pack_id=" + pack_id + " version=" + std::to_string(version) + " target=" + target;
}

// A pack built by the real kiosk-pack from the sample source, cached per (pack_id, version, target).
inline fs::path built_pack(int version, std::string const& pack_id = "test-pack", std::string const& target = "lobby-*")
{
    static TempDir cache;
    static std::map<std::string, fs::path> built;
    std::string const key = pack_id + "-" + std::to_string(version) + "-" + target;
    if (auto it = built.find(key); it != built.end())
        return it->second;
    fs::path const source = cache / ("src-" + key);
    write_sample_source(source, version);
    std::string toml = read_text(source / "pack.toml");
    auto replace = [&](std::string const& from, std::string const& to) {
        auto const at = toml.find(from);
        REQUIRE(at != std::string::npos);
        toml.replace(at, from.size(), to);
    };
    replace("pack_id = \"test-pack\"", "pack_id = \"" + pack_id + "\"");
    replace("target = \"lobby-*\"", "target = \"" + target + "\"");
    write_text(source / "pack.toml", toml);
    fs::path const out = cache / (key + ".kpack");
    std::string output;
    int const rc = run_command(std::string(KIOSK_PACK_BIN) + " build " + quote(source) + " -o " + quote(out), &output);
    INFO(output);
    REQUIRE(rc == 0);
    built[key] = out;
    return out;
}

inline void copy_into(fs::path const& from, fs::path const& to)
{
    fs::create_directories(to.parent_path());
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

// Opens a copy of a pack for writing and runs SQL on it (to make packs that a signer signs validly
// but the reader must refuse).
inline void alter_pack(fs::path const& pack, std::string const& sql)
{
    auto db = content::Database::open(pack, content::OpenMode::CreateReadWrite);
    REQUIRE(db.ok());
    auto done = db->exec(sql);
    INFO((done ? std::string() : done.message()));
    REQUIRE(done.ok());
}

inline void flip_byte(fs::path const& file, std::uint64_t offset)
{
    std::string bytes = read_text(file);
    REQUIRE(offset < bytes.size());
    bytes[offset] = char(bytes[offset] ^ 0x5A);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

// Runs fn in a forked child and waits at most timeout; returns the child's exit status, or -1 when
// it had to be killed (hung). Keeps a hang (a FIFO blocking a read) from hanging the test run.
inline int run_in_child_with_timeout(std::function<int()> const& fn, std::chrono::seconds timeout)
{
    std::fflush(nullptr);
    pid_t const pid = ::fork();
    if (pid == 0) {
        int const code = fn();
        std::_Exit(code);
    }
    REQUIRE(pid > 0);
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        int status = 0;
        pid_t const done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

// A small tmpfs mounted for a test (we run as root in CI); unmounted at the end. `ok()` is false
// when mounting is not permitted here; tests then say so and skip.
class TmpfsMount {
public:
    TmpfsMount(fs::path path, std::string const& options)
        : m_path(std::move(path))
    {
        fs::create_directories(m_path);
        m_mounted = ::mount("tmpfs", m_path.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0;
        if (!m_mounted)
            m_error = std::strerror(errno);
    }
    ~TmpfsMount()
    {
        if (m_mounted)
            ::umount2(m_path.c_str(), MNT_DETACH);
    }
    TmpfsMount(TmpfsMount const&) = delete;
    TmpfsMount& operator=(TmpfsMount const&) = delete;
    bool ok() const { return m_mounted; }
    std::string const& error() const { return m_error; }
    fs::path const& path() const { return m_path; }
    bool remount_read_only()
    {
        return ::mount(nullptr, m_path.c_str(), nullptr, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr) == 0;
    }

private:
    fs::path m_path;
    bool m_mounted { false };
    std::string m_error;
};

inline std::string describe(update::ImportOutcome const& outcome)
{
    return std::string(update::outcome_kind_name(outcome.kind)) + ": " + outcome.reason;
}

// A test's world: a data directory, a stick folder, trusted keys, this display's group.
struct UpdateFixture {
    TempDir tmp;
    fs::path data = tmp / "data";
    fs::path stick = tmp / "stick";
    update::ImporterConfig config { trusted_signer().keys_dir(), "lobby-east", {} };

    // Puts a signed pack of `version` on the stick as `name` (default news.kpack).
    fs::path put_pack(int version, std::string const& name = "news.kpack", std::string const& claim = "")
    {
        fs::path const target = stick / name;
        copy_into(built_pack(version), target);
        trusted_signer().sign(target, claim.empty() ? claim_for(version) : claim);
        return target;
    }

    update::Store open_store() const
    {
        auto store = update::Store::open(data);
        INFO((store ? std::string() : store.message()));
        REQUIRE(store.ok());
        return std::move(store).value();
    }

    update::ImportOutcome import_stick(update::ImportHooks hooks = {}, update::EventSink const& sink = {})
    {
        auto store = open_store();
        update::Importer importer(store, config, std::move(hooks));
        auto outcome = importer.import_from_folder(stick, sink);
        // Whatever happened, the import leaves nothing in staging/ (checked before anything else
        // opens the store, which would clean up after it).
        INFO(describe(outcome));
        CHECK(staging_is_empty());
        return outcome;
    }

    update::ImportOutcome install(int version)
    {
        fs::remove_all(stick);
        put_pack(version);
        auto outcome = import_stick();
        INFO(outcome.reason);
        REQUIRE(outcome.kind == update::ImportOutcome::Kind::Installed);
        fs::remove_all(stick);
        return outcome;
    }

    // The version the display would show after a restart (0: the built-in pack), checked the way
    // the app checks it: signature, read_pack.
    std::int64_t version_at_boot()
    {
        auto store = open_store();
        auto choice = store.choose_pack_at_boot(config.keys_dir);
        if (!choice.pack)
            return 0;
        REQUIRE(choice.loaded);
        return choice.loaded->meta.version;
    }

    bool staging_is_empty() const { return fs::is_empty(data / "staging"); }
};

} // namespace kiosk::test
