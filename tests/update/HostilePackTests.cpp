// Validly signed packs built to cost the display as much as possible: images whose decoding would
// take minutes or gigabytes, a schema whose tables have the right names but another definition,
// text fields of any length. Each is refused at import with a message that says what and where,
// with bounded work (CPU time and peak memory of the importing process are measured), and leaves
// the old pack on screen and nothing in staging/.

#include "UpdateTestSupport.h"

#include "kiosk/content/PackReader.h"
#include "kiosk/content/Text.h"

#include <set>
#include <sys/resource.h>
#include <sys/wait.h>

using namespace kiosk;
using namespace kiosk::test;
using Kind = update::ImportOutcome::Kind;

namespace {

// --- Real hostile image bytes, made by hand ---

// Deflate's bits go out least significant first; Huffman codes most significant bit first.
class BitWriter {
public:
    void bits(std::uint32_t value, int count)
    {
        for (int i = 0; i < count; ++i)
            bit((value >> i) & 1);
    }
    void huffman(std::uint32_t code, int length)
    {
        for (int i = length - 1; i >= 0; --i)
            bit((code >> i) & 1);
    }
    std::vector<std::uint8_t> finish()
    {
        if (m_used)
            m_out.push_back(m_byte);
        return std::move(m_out);
    }

private:
    void bit(std::uint32_t b)
    {
        m_byte = std::uint8_t(m_byte | (b << m_used));
        if (++m_used == 8) {
            m_out.push_back(m_byte);
            m_byte = 0;
            m_used = 0;
        }
    }
    std::vector<std::uint8_t> m_out;
    std::uint8_t m_byte { 0 };
    int m_used { 0 };
};

// A valid zlib stream of `count` zero bytes: one fixed-Huffman block, a literal 0 then copies of
// 258 bytes at distance 1 (13 bits per 258 bytes: a gigabyte fits in 6 MB).
std::vector<std::uint8_t> zlib_of_zeros(std::uint64_t count)
{
    BitWriter w;
    w.bits(1, 1); // BFINAL
    w.bits(1, 2); // BTYPE = fixed Huffman
    std::uint64_t left = count;
    auto literal_zero = [&] { w.huffman(0x30, 8); };
    if (left > 0) {
        literal_zero();
        --left;
    }
    while (left >= 258) {
        w.huffman(0xC5, 8); // length code 285: 258 bytes
        w.huffman(0, 5); // distance code 0: distance 1
        left -= 258;
    }
    for (; left > 0; --left)
        literal_zero();
    w.huffman(0, 7); // end of block
    std::vector<std::uint8_t> out { 0x78, 0x01 };
    auto block = w.finish();
    out.insert(out.end(), block.begin(), block.end());
    std::uint32_t const adler = (std::uint32_t(count % 65521) << 16) | 1u; // a = 1, b = count
    for (int shift : { 24, 16, 8, 0 })
        out.push_back(std::uint8_t(adler >> shift));
    return out;
}

std::uint32_t crc32(std::uint8_t const* data, std::size_t size, std::uint32_t crc = 0xFFFFFFFFu)
{
    for (std::size_t i = 0; i < size; ++i) {
        crc ^= data[i];
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc;
}

void put_be32(std::vector<std::uint8_t>& out, std::uint32_t value)
{
    for (int shift : { 24, 16, 8, 0 })
        out.push_back(std::uint8_t(value >> shift));
}

void png_chunk(std::vector<std::uint8_t>& out, char const* type, std::vector<std::uint8_t> const& data)
{
    put_be32(out, std::uint32_t(data.size()));
    std::size_t const start = out.size();
    out.insert(out.end(), type, type + 4);
    out.insert(out.end(), data.begin(), data.end());
    put_be32(out, crc32(&out[start], out.size() - start) ^ 0xFFFFFFFFu);
}

// A PNG of w x h px, bit depth `bits`, RGBA, whose image data inflates to `stream_bytes` zeros (a
// valid, all-transparent image when stream_bytes is what the size needs).
std::vector<std::uint8_t> zero_png(std::uint32_t w, std::uint32_t h, int bits, std::uint64_t stream_bytes)
{
    std::vector<std::uint8_t> png { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
    std::vector<std::uint8_t> header;
    put_be32(header, w);
    put_be32(header, h);
    header.insert(header.end(), { std::uint8_t(bits), 6, 0, 0, 0 });
    png_chunk(png, "IHDR", header);
    png_chunk(png, "IDAT", zlib_of_zeros(stream_bytes));
    png_chunk(png, "IEND", {});
    return png;
}

std::uint64_t png_rgba_stream_bytes(std::uint64_t w, std::uint64_t h, int bits)
{
    return h * (1 + w * 4 * std::uint64_t(bits) / 8);
}

// A progressive grayscale JPEG of w x h px with one DC scan and `ac_scans` AC scans that carry no
// entropy-coded bytes at all: each one still makes a decoder visit every block of the image.
std::vector<std::uint8_t> progressive_jpeg(int w, int h, int ac_scans)
{
    std::vector<std::uint8_t> out { 0xFF, 0xD8 };
    auto segment = [&](std::uint8_t marker, std::vector<std::uint8_t> const& body) {
        out.insert(out.end(), { 0xFF, marker, std::uint8_t((body.size() + 2) >> 8), std::uint8_t(body.size() + 2) });
        out.insert(out.end(), body.begin(), body.end());
    };
    std::vector<std::uint8_t> quant { 0x00 };
    quant.resize(65, 1);
    segment(0xDB, quant);
    segment(0xC2, { 8, std::uint8_t(h >> 8), std::uint8_t(h), std::uint8_t(w >> 8), std::uint8_t(w), 1, 1, 0x11, 0 });
    // One code of length 1 in each table: DC difference category 0, AC end-of-block.
    std::vector<std::uint8_t> dc { 0x00, 1 }, ac { 0x10, 1 };
    dc.resize(17, 0);
    ac.resize(17, 0);
    dc.push_back(0x00);
    ac.push_back(0x00);
    segment(0xC4, dc);
    segment(0xC4, ac);
    segment(0xDA, { 1, 1, 0x00, 0, 0, 0x00 }); // DC first scan
    out.insert(out.end(), { 0x00 }); // its entropy-coded data: DC differences of 0
    for (int i = 0; i < ac_scans; ++i)
        segment(0xDA, { 1, 1, 0x00, 1, 63, 0x00 });
    out.insert(out.end(), { 0xFF, 0xD9 });
    return out;
}

// --- Running the import with its cost measured ---

struct Measured {
    int exit_code { -1 }; // 0: refused with the expected text; -1: killed at the deadline
    double cpu_s { 0 };
    long max_rss_mb { 0 };
};

// Imports the stick in a child process (so a stall cannot hang the test run) and reports the
// child's CPU time and peak memory.
Measured import_measured(UpdateFixture& fixture, std::string const& expected)
{
    std::fflush(nullptr);
    pid_t const pid = ::fork();
    if (pid == 0) {
        auto const outcome = fixture.import_stick();
        bool const ok = outcome.kind == Kind::Refused && outcome.reason.find(expected) != std::string::npos;
        if (!ok)
            std::fprintf(stderr, "unexpected outcome: %s\n", describe(outcome).c_str());
        std::_Exit(ok ? 0 : 1);
    }
    REQUIRE(pid > 0);
    Measured measured;
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    for (;;) {
        int status = 0;
        struct rusage usage { };
        pid_t const done = ::wait4(pid, &status, WNOHANG, &usage);
        if (done == pid) {
            measured.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            measured.cpu_s = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
            measured.max_rss_mb = usage.ru_maxrss / 1024;
            return measured;
        }
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            return measured;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

// Replaces the pack's first image with `data` (hash and recorded size made to match, so only the
// cost of decoding is wrong).
void replace_first_image(fs::path const& pack, std::vector<std::uint8_t> const& data, std::string const& mime)
{
    auto info = content::probe_image(data);
    REQUIRE(info.ok());
    auto db = content::Database::open(pack, content::OpenMode::CreateReadWrite);
    REQUIRE(db.ok());
    auto update = db->prepare("UPDATE media SET data = ?, sha256 = ?, mime = ?, width = ?, height = ? "
                              "WHERE id = (SELECT min(id) FROM media)");
    REQUIRE(update.ok());
    REQUIRE(update->bind_blob(1, data)
                .bind(2, content::sha256_hex(data))
                .bind(3, mime)
                .bind(4, std::int64_t(info->width_px))
                .bind(5, std::int64_t(info->height_px))
                .run()
                .ok());
}

std::string repeated(std::size_t bytes)
{
    return std::string(bytes, 'x');
}

} // namespace

TEST_CASE("the hand-made images are real: within bounds they decode", "[update]")
{
    // The generators above make files a decoder accepts; only the sizes make them hostile.
    auto png = content::decode_image(zero_png(64, 48, 8, png_rgba_stream_bytes(64, 48, 8)));
    INFO((png ? std::string() : png.message()));
    REQUIRE(png.ok());
    CHECK(png->width_px == 64);
    auto png16 = content::decode_image(zero_png(64, 48, 16, png_rgba_stream_bytes(64, 48, 16)));
    CHECK(png16.ok());
    auto jpeg = content::decode_image(progressive_jpeg(64, 48, 9));
    INFO((jpeg ? std::string() : jpeg.message()));
    REQUIRE(jpeg.ok());
    CHECK(jpeg->height_px == 48);
}

TEST_CASE("a signed pack whose images would cost minutes or gigabytes to decode is refused at import", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fs::path const pack = fixture.stick / "news.kpack";
    copy_into(built_pack(2), pack);
    std::string expected;

    SECTION("a PNG whose data inflates to 1 GB for a 64 x 64 image")
    {
        replace_first_image(pack, zero_png(64, 64, 8, 1ull << 30), "image/png");
        expected = "inflates beyond the 16448 bytes its declared size needs";
    }
    SECTION("a 16-bit 8192 x 8192 PNG")
    {
        replace_first_image(pack, zero_png(8192, 8192, 16, png_rgba_stream_bytes(8192, 8192, 16)), "image/png");
        expected = "image is 8192x8192 px (67108864 pixels), more than the limit of 16777216 pixels";
    }
    SECTION("a 16-bit PNG within the pixel limit that needs too much memory")
    {
        replace_first_image(pack, zero_png(4000, 3000, 16, png_rgba_stream_bytes(4000, 3000, 16)), "image/png");
        expected = "with 16-bit channels: decoding it needs 92 MB, more than the limit of 64 MB";
    }
    SECTION("a progressive JPEG with 5000 empty scans")
    {
        replace_first_image(pack, progressive_jpeg(2048, 2048, 5000), "image/jpeg");
        expected = "JPEG has more than 64 scans";
    }
    trusted_signer().sign(pack, claim_for(2));
    auto const measured = import_measured(fixture, expected);
    // Work, not speed: a refusal from the headers and a bounded inflate takes a fraction of a
    // second and tens of MB; the unbounded decodes took minutes and up to 4.6 GB.
    INFO("import used " << measured.cpu_s << " s CPU, " << measured.max_rss_mb << " MB peak");
    CHECK(measured.exit_code == 0);
    CHECK(measured.cpu_s < 10.0);
    CHECK(measured.max_rss_mb < 600);
    CHECK(fixture.version_at_boot() == 1);
}

TEST_CASE("a signed pack whose tables have the right names but another definition is refused", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fs::path const pack = fixture.stick / "news.kpack";
    copy_into(built_pack(2), pack);
    std::string table;

    SECTION("a generated column")
    {
        alter_pack(pack, "ALTER TABLE slide_text ADD COLUMN shout TEXT AS (upper(text)) VIRTUAL");
        table = "slide_text";
    }
    SECTION("the same columns with a CHECK constraint")
    {
        alter_pack(pack,
            "CREATE TABLE m2 (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL CHECK (length(value) < 100000));"
            "INSERT INTO m2 SELECT * FROM meta; DROP TABLE meta; ALTER TABLE m2 RENAME TO meta;");
        table = "meta";
    }
    SECTION("a column with another collation")
    {
        alter_pack(pack,
            "CREATE TABLE m2 (key TEXT PRIMARY KEY NOT NULL COLLATE NOCASE, value TEXT NOT NULL);"
            "INSERT INTO m2 SELECT * FROM meta; DROP TABLE meta; ALTER TABLE m2 RENAME TO meta;");
        table = "meta";
    }
    trusted_signer().sign(pack, claim_for(2));
    auto const measured = import_measured(fixture, "table '" + table + "' is not defined as in docs/pack-format.md");
    CHECK(measured.exit_code == 0);
    CHECK(measured.cpu_s < 10.0);
    CHECK(fixture.version_at_boot() == 1);
}

TEST_CASE("a pack laid out differently but defining exactly the schema is read", "[update]")
{
    // The comparison is of the definition, not of the whitespace a writer happened to use.
    TempDir tmp;
    fs::path const pack = tmp / "p.kpack";
    copy_into(built_pack(2), pack);
    alter_pack(pack,
        "CREATE TABLE m2 (key TEXT PRIMARY KEY NOT NULL,\n\t\tvalue   TEXT  NOT NULL);"
        "INSERT INTO m2 SELECT * FROM meta; DROP TABLE meta; ALTER TABLE m2 RENAME TO meta;");
    auto read = content::read_pack(pack, content::IntegrityCheck::Full);
    INFO((read ? std::string() : read.message()));
    CHECK(read.ok());
}

TEST_CASE("every text and meta field of a signed pack is bounded", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fs::path const pack = fixture.stick / "news.kpack";
    copy_into(built_pack(2), pack);
    std::string expected;

    SECTION("a title of 201 bytes")
    {
        alter_pack(pack, "UPDATE meta SET value = '" + repeated(201) + "' WHERE key = 'title.en'");
        expected = "meta 'title.en' is not UTF-8 text of at most 200 bytes";
    }
    SECTION("an unknown meta key with a long value")
    {
        alter_pack(pack, "INSERT INTO meta VALUES ('note', '" + repeated(3000) + "')");
        expected = "meta 'note' is not UTF-8 text of at most 256 bytes";
    }
    SECTION("a long meta key")
    {
        alter_pack(pack, "INSERT INTO meta VALUES ('" + repeated(65) + "', 'x')");
        expected = "is not UTF-8 of at most 64 bytes";
    }
    SECTION("too many meta keys")
    {
        std::string sql;
        for (int i = 0; i < 70; ++i)
            sql += "INSERT INTO meta VALUES ('extra." + std::to_string(i) + "', 'x');";
        alter_pack(pack, sql);
        expected = "meta has more than 64 keys";
    }
    SECTION("too many languages")
    {
        alter_pack(pack, "UPDATE meta SET value = 'en,zh,aa,bb,cc,dd,ee,ff,gg' WHERE key = 'languages'");
        expected = "more than 8 languages";
    }
    SECTION("a pack_id that is no file name")
    {
        alter_pack(pack, "UPDATE meta SET value = 'test-pack/../x' WHERE key = 'pack_id'");
        expected = "meta 'pack_id' must be 1-64 letters";
    }
    SECTION("a slide name of 201 bytes")
    {
        alter_pack(pack, "UPDATE slides SET name = '" + repeated(201) + "' WHERE position = 1");
        expected = "name is not UTF-8 of at most 200 bytes";
    }
    SECTION("a long category")
    {
        alter_pack(pack, "UPDATE slides SET category = '" + repeated(65) + "' WHERE position = 1");
        expected = "category is not UTF-8 of at most 64 bytes";
    }
    SECTION("a long accent")
    {
        alter_pack(pack, "UPDATE slides SET accent = '" + repeated(17) + "' WHERE position = 1");
        expected = "accent is not UTF-8 of at most 16 bytes";
    }
    SECTION("a long language code in slide_text")
    {
        alter_pack(pack, "UPDATE slide_text SET lang = '" + repeated(300) + "' WHERE rowid = 1");
        expected = "text with an unknown language or field";
    }
    trusted_signer().sign(pack, claim_for(2));
    auto const measured = import_measured(fixture, expected);
    CHECK(measured.exit_code == 0);
    CHECK(fixture.version_at_boot() == 1);
}

TEST_CASE("what verify checks is what the display shows: no -wal or -shm is read or written", "[update]")
{
    UpdateFixture fixture;
    fixture.install(1);
    fs::path const pack = fixture.stick / "news.kpack";
    copy_into(built_pack(2), pack);

    SECTION("a signed WAL-mode pack with an unsigned -wal beside it is refused")
    {
        {
            // Switch the copy to WAL and leave a change in its -wal (no checkpoint while open):
            // the main file says one thing, the -wal another.
            auto db = content::Database::open(pack, content::OpenMode::CreateReadWrite);
            REQUIRE(db.ok());
            REQUIRE(db->exec("PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;").ok());
            REQUIRE(db->exec("UPDATE slide_text SET text = 'UNSIGNED TEXT FROM THE WAL' WHERE field = 'title'").ok());
            fs::copy_file(pack.string() + "-wal", fixture.tmp / "held-wal");
            fs::copy_file(pack, fixture.tmp / "held-main", fs::copy_options::overwrite_existing);
        }
        fs::copy_file(fixture.tmp / "held-main", pack, fs::copy_options::overwrite_existing);
        fs::copy_file(fixture.tmp / "held-wal", pack.string() + "-wal", fs::copy_options::overwrite_existing);
        trusted_signer().sign(pack, claim_for(2));

        std::string output;
        int const rc = run_command(std::string(KIOSK_PACK_BIN) + " verify --pubkey "
                + quote(fixture.config.keys_dir / "trusted.pub") + " " + quote(pack),
            &output);
        INFO(output);
        CHECK(rc != 0);
        CHECK_THAT(output, Catch::Contains("WAL journal mode"));
        // inspect reads the same file the same way: it never shows the -wal's text.
        std::string inspected;
        run_command(std::string(KIOSK_PACK_BIN) + " inspect " + quote(pack), &inspected);
        INFO(inspected);
        CHECK_THAT(inspected, !Catch::Contains("UNSIGNED TEXT FROM THE WAL"));
        CHECK_THAT(inspected, Catch::Contains("WAL journal mode"));
        auto const measured = import_measured(fixture, "WAL journal mode");
        CHECK(measured.exit_code == 0);
        CHECK(fixture.version_at_boot() == 1);
    }
    SECTION("reading a pack creates nothing beside it")
    {
        auto read = content::read_pack(pack, content::IntegrityCheck::Full);
        REQUIRE(read.ok());
        std::set<std::string> names;
        for (auto const& entry : fs::directory_iterator(fixture.stick))
            names.insert(entry.path().filename().string());
        CHECK(names == std::set<std::string> { "news.kpack" });
    }
}
