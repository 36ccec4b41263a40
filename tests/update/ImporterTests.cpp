// The importer against real packs and real minisign signatures: what gets installed, and every way a
// stick can carry something that must be refused. Each refusal leaves the old content installed.

#include "UpdateTestSupport.h"

#include "kiosk/content/Text.h"
#include "kiosk/update/Minisign.h"

#include <fcntl.h>
#include <set>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace kiosk;
using namespace kiosk::test;
using Kind = update::ImportOutcome::Kind;

namespace {

// Installs v1, then imports whatever the stick holds; checks the outcome, that v1 is still what
// the display shows, and that no staging file is left.
void expect_refused_with_v1_kept(UpdateFixture& fixture, std::string const& reason_part, Kind kind = Kind::Refused)
{
    auto const outcome = fixture.import_stick();
    INFO(describe(outcome));
    CHECK(outcome.kind == kind);
    CHECK_THAT(outcome.reason, Catch::Contains(reason_part));
    CHECK(fixture.version_at_boot() == 1);
    CHECK(fixture.staging_is_empty());
}

} // namespace

TEST_CASE("a signed pack on a stick is installed and becomes current", "[update]")
{
    UpdateFixture fixture;
    fixture.put_pack(1);
    std::vector<update::UpdateEvent> events;
    auto const outcome = fixture.import_stick({}, [&](update::UpdateEvent event) { events.push_back(event); });
    INFO(describe(outcome));
    REQUIRE(outcome.kind == Kind::Installed);
    REQUIRE(outcome.installed);
    CHECK(outcome.installed->pack_id == "test-pack");
    CHECK(outcome.installed->version == 1);
    CHECK(outcome.installed->slide_count == 2);
    CHECK(outcome.installed->title.at("zh") == "测试内容包");
    CHECK(outcome.installed->path == fixture.data / "packs/test-pack-v1.kpack");
    CHECK(fs::exists(fixture.data / "packs/test-pack-v1.kpack.minisig"));
    // The installed bytes are the stick's bytes.
    CHECK(read_text(outcome.installed->path) == read_text(fixture.stick / "news.kpack"));
    CHECK(fixture.staging_is_empty());
    CHECK(fixture.version_at_boot() == 1);

    // Detected first, then progress that only grows and ends at the file size.
    REQUIRE(events.size() >= 2);
    CHECK(std::holds_alternative<update::Detected>(events.front()));
    std::uint64_t last = 0;
    for (std::size_t i = 1; i < events.size(); ++i) {
        auto const* progress = std::get_if<update::Progress>(&events[i]);
        REQUIRE(progress);
        CHECK(progress->bytes_done > last);
        last = progress->bytes_done;
        CHECK(progress->bytes_total == fs::file_size(fixture.stick / "news.kpack"));
    }
    CHECK(last == fs::file_size(fixture.stick / "news.kpack"));
}

TEST_CASE("a pack in the stick's kiosk/ folder is found too", "[update]")
{
    UpdateFixture fixture;
    fixture.put_pack(1, "kiosk/lobby.kpack");
    auto const outcome = fixture.import_stick();
    INFO(describe(outcome));
    CHECK(outcome.kind == Kind::Installed);
    CHECK(outcome.file == fixture.stick / "kiosk/lobby.kpack");
}

TEST_CASE("of several packs on a stick the newest acceptable one is installed", "[update]")
{
    UpdateFixture fixture;
    fixture.put_pack(2, "a-news.kpack");
    fixture.put_pack(3, "kiosk/b-news.kpack");
    // For another group: skipped even though it is the newest.
    copy_into(built_pack(4, "test-pack", "stand-*"), fixture.stick / "c-stand.kpack");
    trusted_signer().sign(fixture.stick / "c-stand.kpack", claim_for(4, "test-pack", "stand-*"));
    auto const outcome = fixture.import_stick();
    INFO(describe(outcome));
    REQUIRE(outcome.kind == Kind::Installed);
    CHECK(outcome.installed->version == 3);
}

TEST_CASE("newer versions replace the current pack, keep the previous one and prune the rest", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.install(2);
    fixture.install(3);
    CHECK(fixture.version_at_boot() == 3);
    std::set<std::string> files;
    for (auto const& entry : fs::directory_iterator(fixture.data / "packs"))
        files.insert(entry.path().filename().string());
    CHECK(files
        == std::set<std::string> {
            "test-pack-v2.kpack", "test-pack-v2.kpack.minisig", "test-pack-v3.kpack", "test-pack-v3.kpack.minisig" });
    auto state = fixture.open_store().read_state();
    REQUIRE(state.ok());
    REQUIRE(state->previous);
    CHECK(state->previous->version == 2);
}

TEST_CASE("a stick without packs, or a pack without signature, is refused with the reason", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    write_text(fixture.stick / "holiday.jpg", "not a pack");
    expect_refused_with_v1_kept(fixture, "no content pack", Kind::NoPack);

    copy_into(built_pack(2), fixture.stick / "news.kpack");
    expect_refused_with_v1_kept(fixture, "has no signature file news.kpack.minisig");
}

TEST_CASE("signature-level refusals happen before the pack is copied", "[update]")
{
    UpdateFixture fixture;
    fixture.install(2);
    std::uint64_t copied = 0;
    update::ImportHooks hooks;
    hooks.after_chunk = [&](std::uint64_t done) { copied = done; };
    auto refuse = [&](std::string const& reason_part) {
        auto const outcome = fixture.import_stick(hooks);
        INFO(describe(outcome));
        CHECK(outcome.kind == Kind::Refused);
        CHECK_THAT(outcome.reason, Catch::Contains(reason_part));
        CHECK(copied == 0);
        CHECK(fixture.version_at_boot() == 2);
        fs::remove_all(fixture.stick);
    };

    SECTION("unknown key")
    {
        copy_into(built_pack(3), fixture.stick / "news.kpack");
        stranger_signer().sign(fixture.stick / "news.kpack", claim_for(3));
        refuse("not trusted");
    }
    SECTION("right key, wrong target")
    {
        copy_into(built_pack(3, "test-pack", "stand-*"), fixture.stick / "news.kpack");
        trusted_signer().sign(fixture.stick / "news.kpack", claim_for(3, "test-pack", "stand-*"));
        refuse("is for displays in group 'stand-*'; this display is in group 'lobby-east'");
    }
    SECTION("downgrade")
    {
        fixture.put_pack(1);
        refuse("is older than version 2, installed here before");
    }
    SECTION("same-version replay")
    {
        fixture.put_pack(2);
        auto const outcome = fixture.import_stick(hooks);
        CHECK(outcome.kind == Kind::Refused);
        CHECK(outcome.already_installed);
        CHECK_THAT(outcome.reason, Catch::Contains("already installed"));
        CHECK(copied == 0);
    }
    SECTION("another pack_id than the installed one")
    {
        copy_into(built_pack(5, "other-pack"), fixture.stick / "news.kpack");
        trusted_signer().sign(fixture.stick / "news.kpack", claim_for(5, "other-pack"));
        refuse("this display accepts test-pack");
    }
    SECTION("an altered trusted comment")
    {
        fixture.put_pack(3);
        std::string sig = read_text(fixture.stick / "news.kpack.minisig");
        auto const at = sig.find("version=3");
        REQUIRE(at != std::string::npos);
        sig.replace(at, 9, "version=9");
        write_text(fixture.stick / "news.kpack.minisig", sig);
        refuse("news.kpack.minisig");
    }
    SECTION("flipped bytes in the signature")
    {
        fixture.put_pack(3);
        std::string sig = read_text(fixture.stick / "news.kpack.minisig");
        auto const line2 = sig.find('\n') + 1;
        sig[line2 + 30] = sig[line2 + 30] == 'A' ? 'B' : 'A';
        write_text(fixture.stick / "news.kpack.minisig", sig);
        // The key id is intact, so this fails at the global signature (trusted comment) check.
        auto const outcome = fixture.import_stick(hooks);
        INFO(describe(outcome));
        CHECK(outcome.kind == Kind::Refused);
        CHECK(copied == 0);
        CHECK(fixture.version_at_boot() == 2);
    }
    SECTION("garbage instead of a signature")
    {
        fixture.put_pack(3);
        write_text(fixture.stick / "news.kpack.minisig", "hello\n");
        refuse("news.kpack.minisig");
    }
    SECTION("legacy (non-prehashed) signature")
    {
        copy_into(built_pack(3), fixture.stick / "news.kpack");
        trusted_signer().sign(fixture.stick / "news.kpack", claim_for(3), "-l");
        refuse("legacy format");
    }
    SECTION("a pack_id that is not a safe file name")
    {
        copy_into(built_pack(3), fixture.stick / "news.kpack");
        trusted_signer().sign(fixture.stick / "news.kpack", claim_for(3, "../../etc"));
        refuse("must be 1-64 letters");
    }
}

TEST_CASE("accepted_pack_ids lets a display switch to another pack", "[update]")
{
    UpdateFixture fixture;
    fixture.install(2);
    fixture.config.accepted_pack_ids = { "test-pack", "other-pack" };
    copy_into(built_pack(1, "other-pack"), fixture.stick / "news.kpack");
    trusted_signer().sign(fixture.stick / "news.kpack", claim_for(1, "other-pack"));
    auto const outcome = fixture.import_stick();
    INFO(describe(outcome));
    CHECK(outcome.kind == Kind::Installed);
}

TEST_CASE("a pack whose bytes differ from what was signed is refused after the copy", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.put_pack(2);
    fs::path const pack = fixture.stick / "news.kpack";
    std::uint64_t const size = fs::file_size(pack);

    SECTION("truncated")
    {
        fs::resize_file(pack, size / 2);
        expect_refused_with_v1_kept(fixture, "signature");
    }
    SECTION("a flipped byte in page data")
    {
        flip_byte(pack, size - 100);
        expect_refused_with_v1_kept(fixture, "signature");
    }
    SECTION("a flipped byte in the SQLite header")
    {
        flip_byte(pack, 20);
        expect_refused_with_v1_kept(fixture, "signature");
    }
    SECTION("the signature of another file")
    {
        // A valid signature with a fitting claim, made for different bytes (version 3's file).
        fs::path const other = fixture.tmp / "other.kpack";
        copy_into(built_pack(3), other);
        trusted_signer().sign(other, claim_for(2));
        fs::copy_file(other.string() + ".minisig", pack.string() + ".minisig", fs::copy_options::overwrite_existing);
        expect_refused_with_v1_kept(fixture, "signature");
    }
}

TEST_CASE("validly signed packs that the reader must refuse", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fs::path const pack = fixture.stick / "news.kpack";
    copy_into(built_pack(2), pack);
    std::string expected;

    SECTION("truncated, then signed")
    {
        fs::resize_file(pack, fs::file_size(pack) / 2);
        expected = "news.kpack";
    }
    SECTION("a flipped header byte, then signed")
    {
        flip_byte(pack, 0);
        expected = "news.kpack";
    }
    SECTION("an extra table")
    {
        alter_pack(pack, "CREATE TABLE extra(x)");
        expected = "unexpected table 'extra'";
    }
    SECTION("a trigger")
    {
        alter_pack(pack, "CREATE TRIGGER t AFTER INSERT ON meta BEGIN DELETE FROM slides; END");
        expected = "unexpected trigger 't'";
    }
    SECTION("a view")
    {
        alter_pack(pack, "CREATE VIEW v AS SELECT * FROM meta");
        expected = "unexpected view 'v'";
    }
    SECTION("an image declaring huge dimensions")
    {
        auto db = content::Database::open(pack, content::OpenMode::CreateReadWrite);
        REQUIRE(db.ok());
        auto select = db->prepare("SELECT id FROM media LIMIT 1");
        REQUIRE(select.ok());
        REQUIRE(select->step());
        std::int64_t const id = select->column_int(0);
        // A real 2x2 PNG whose IHDR (width and height, big-endian, bytes 16..23) then claims
        // 10000 x 10000 px: a decoder trusting it would allocate 400 MB per image.
        content::Image tiny;
        tiny.width_px = 2;
        tiny.height_px = 2;
        tiny.rgba.assign(16, 0xFF);
        std::vector<std::uint8_t> png = content::encode_png(tiny);
        for (int field : { 16, 20 }) {
            png[std::size_t(field)] = 0x00;
            png[std::size_t(field) + 1] = 0x00;
            png[std::size_t(field) + 2] = 0x27;
            png[std::size_t(field) + 3] = 0x10;
        }
        auto update = db->prepare(
            "UPDATE media SET data = ?, sha256 = ?, mime = 'image/png', width = 10000, height = 10000 WHERE id = ?");
        REQUIRE(update.ok());
        REQUIRE(update->bind_blob(1, png).bind(2, content::sha256_hex(png)).bind(3, id).run().ok());
        expected = "declares 10000x10000 px";
    }
    SECTION("invalid UTF-8 text")
    {
        alter_pack(pack, "UPDATE slide_text SET text = CAST(X'C328A0' AS TEXT) WHERE field = 'title'");
        expected = "not valid UTF-8";
    }
    SECTION("meta that disagrees with the signed claim")
    {
        copy_into(built_pack(3), pack); // says version 3, signed below as version 2
        expected = "signed claim says version 2 but the pack says version 3";
    }
    trusted_signer().sign(pack, claim_for(2));
    expect_refused_with_v1_kept(fixture, expected);
    // The refusal names the file on the stick, not the staging copy.
    auto const outcome = fixture.import_stick();
    CHECK_THAT(outcome.reason, !Catch::Contains("staging"));
}

TEST_CASE("hostile files on a stick are refused without hanging", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fs::create_directories(fixture.stick);
    fs::path const pack = fixture.stick / "news.kpack";
    std::string expected;

    SECTION("the pack is a symlink to a system file")
    {
        fs::create_symlink("/etc/shadow", pack);
        copy_into(built_pack(2), fixture.tmp / "v2.kpack");
        trusted_signer().sign(fixture.tmp / "v2.kpack", claim_for(2));
        fs::copy_file(fixture.tmp / "v2.kpack.minisig", pack.string() + ".minisig");
        expected = "symbolic link";
    }
    SECTION("the signature is a symlink")
    {
        fixture.put_pack(2);
        fs::rename(pack.string() + ".minisig", fixture.tmp / "real.minisig");
        fs::create_symlink(fixture.tmp / "real.minisig", pack.string() + ".minisig");
        expected = "symbolic link";
    }
    SECTION("the kiosk/ folder is a symlink")
    {
        fs::path const elsewhere = fixture.tmp / "elsewhere";
        copy_into(built_pack(2), elsewhere / "news.kpack");
        trusted_signer().sign(elsewhere / "news.kpack", claim_for(2));
        fs::create_directory_symlink(elsewhere, fixture.stick / "kiosk");
        expected = "no content pack";
    }
    SECTION("the pack is a FIFO")
    {
        fixture.put_pack(2);
        fs::remove(pack);
        REQUIRE(::mkfifo(pack.c_str(), 0644) == 0);
        expected = "named pipe (FIFO)";
    }
    SECTION("the signature is a FIFO")
    {
        fixture.put_pack(2);
        fs::remove(pack.string() + ".minisig");
        REQUIRE(::mkfifo((pack.string() + ".minisig").c_str(), 0644) == 0);
        expected = "named pipe (FIFO)";
    }
    SECTION("the pack is a sparse 20 GB file")
    {
        fixture.put_pack(2);
        fs::resize_file(pack, 20ull * 1024 * 1024 * 1024);
        expected = "is 20480 MB, more than the 512 MB limit";
    }
    SECTION("the signature is huge")
    {
        fixture.put_pack(2);
        fs::resize_file(pack.string() + ".minisig", 10ull * 1024 * 1024);
        expected = "more than the";
    }

    // In a child with a deadline: if anything blocked (a FIFO read), the test fails instead of hanging.
    auto const started = std::chrono::steady_clock::now();
    int const rc = run_in_child_with_timeout(
        [&] {
            auto const outcome = fixture.import_stick();
            bool const ok = outcome.kind != Kind::Installed && outcome.reason.find(expected) != std::string::npos;
            if (!ok)
                std::fprintf(stderr, "unexpected outcome: %s\n", describe(outcome).c_str());
            return ok ? 0 : 1;
        },
        std::chrono::seconds(20));
    CHECK(rc == 0);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
    CHECK(fixture.version_at_boot() == 1);
    CHECK(fixture.staging_is_empty());
}

TEST_CASE("a stick pulled during the copy fails cleanly and keeps the old pack", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.put_pack(2);
    update::ImportHooks hooks;
    hooks.chunk_bytes = 4096;
    int const err = GENERATE(EIO, ENODEV, ENXIO);
    hooks.read_error = [&](std::uint64_t offset) { return offset >= 8192 ? err : 0; };
    auto const outcome = fixture.import_stick(hooks);
    INFO(describe(outcome));
    CHECK(outcome.kind == Kind::Failed);
    CHECK_THAT(outcome.reason, Catch::Contains("the stick was removed during the copy"));
    CHECK(fixture.version_at_boot() == 1);
    // The half copy is gone at the next start (Store::open), and the next try succeeds.
    CHECK(fixture.staging_is_empty());
    auto const again = fixture.import_stick();
    CHECK(again.kind == Kind::Installed);
}

TEST_CASE("a full disk fails with the space needed and keeps the old pack", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    TmpfsMount small(fixture.tmp / "small", "size=8m");
    if (!small.ok()) {
        WARN("skipped: cannot mount a tmpfs here (" << small.error() << "); needs root");
        return;
    }
    // Move the data directory onto the small file system.
    fs::copy(fixture.data, small.path() / "data", fs::copy_options::recursive);
    fixture.data = small.path() / "data";
    REQUIRE(fixture.version_at_boot() == 1);
    fixture.put_pack(2);

    SECTION("known before copying")
    {
        // Fill the disk so the pack and the safety margin cannot fit.
        std::string const filler(5 * 1024 * 1024, 'x');
        std::ofstream(small.path() / "filler", std::ios::binary) << filler;
        auto const outcome = fixture.import_stick();
        INFO(describe(outcome));
        CHECK(outcome.kind == Kind::Failed);
        CHECK_THAT(outcome.reason, Catch::Contains("not enough space in " + fixture.data.string() + ": need"));
    }
    SECTION("running out while copying")
    {
        update::ImportHooks hooks;
        hooks.chunk_bytes = 4096;
        hooks.at_step = [&](update::ImportStep step) {
            // Someone else fills the disk after the free-space check.
            if (step == update::ImportStep::CopyStarted) {
                std::ofstream filler(small.path() / "filler", std::ios::binary);
                std::string const block(4096, 'x');
                for (int i = 0; i < 4096 && filler; ++i)
                    filler << block;
            }
        };
        auto const outcome = fixture.import_stick(hooks);
        INFO(describe(outcome));
        CHECK(outcome.kind == Kind::Failed);
        CHECK_THAT(outcome.reason, Catch::Contains("not enough space in " + fixture.data.string()));
    }
    fs::remove(small.path() / "filler");
    CHECK(fixture.version_at_boot() == 1);
    CHECK(fixture.staging_is_empty());
}

TEST_CASE("a file size limit (RLIMIT_FSIZE) is reported, not a crash", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.put_pack(2);
    int const rc = run_in_child_with_timeout(
        [&] {
            std::signal(SIGXFSZ, SIG_IGN);
            struct rlimit limit {
                16 * 1024, 16 * 1024
            };
            ::setrlimit(RLIMIT_FSIZE, &limit);
            auto const outcome = fixture.import_stick();
            bool const ok = outcome.kind == Kind::Failed && outcome.reason.find("file size limit") != std::string::npos;
            if (!ok)
                std::fprintf(stderr, "unexpected outcome: %s\n", describe(outcome).c_str());
            return ok ? 0 : 1;
        },
        std::chrono::seconds(30));
    CHECK(rc == 0);
    CHECK(fixture.version_at_boot() == 1);
    CHECK(fixture.staging_is_empty());
}

TEST_CASE("only one import runs at a time in a data directory", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.put_pack(2);
    auto store = fixture.open_store();
    auto held = store.try_lock_import();
    REQUIRE(held.ok());
    REQUIRE(held->has_value());
    auto const outcome = fixture.import_stick();
    CHECK(outcome.kind == Kind::Failed);
    CHECK_THAT(outcome.reason, Catch::Contains("another import"));
}

TEST_CASE("an import without trusted keys fails and says where keys go", "[update]")
{
    UpdateFixture fixture;
    fixture.put_pack(1);
    fixture.config.keys_dir = fixture.tmp / "no-keys";
    fs::create_directories(fixture.config.keys_dir);
    auto const outcome = fixture.import_stick();
    CHECK(outcome.kind == Kind::Failed);
    CHECK_THAT(outcome.reason, Catch::Contains(fixture.config.keys_dir.string()));
    CHECK(fixture.version_at_boot() == 0);
}

TEST_CASE("an import cancelled mid-copy (the app stopping) keeps the old pack", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fixture.put_pack(2);
    std::stop_source stop;
    update::ImportHooks hooks;
    hooks.chunk_bytes = 4096;
    hooks.after_chunk = [&](std::uint64_t done) {
        if (done >= 8192)
            stop.request_stop();
    };
    auto store = fixture.open_store();
    update::Importer importer(store, fixture.config, hooks);
    auto const outcome = importer.import_from_folder(fixture.stick, {}, stop.get_token());
    INFO(describe(outcome));
    CHECK(outcome.kind == Kind::Failed);
    CHECK_THAT(outcome.reason, Catch::Contains("cancelled: the kiosk is stopping"));
    CHECK(fixture.version_at_boot() == 1);
    CHECK(fixture.staging_is_empty());
}
