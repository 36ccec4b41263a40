#include "kiosk/content/PackReader.h"

#include "kiosk/content/Image.h"
#include "kiosk/content/PixelSize.h"
#include "kiosk/content/Schema.h"
#include "kiosk/content/Sqlite.h"
#include "kiosk/content/Text.h"
#include "platform/Files.h"

#include <algorithm>
#include <charconv>
#include <fcntl.h>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace kiosk::content {

namespace {

std::vector<std::string> split_commas(std::string const& text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t const comma = text.find(',', start);
        std::string const part = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!part.empty())
            out.push_back(part);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

std::optional<std::int64_t> parse_int(std::string const& text)
{
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// The message of a failed status, or `otherwise` when it succeeded (a query that returned no row).
std::string message_of(Status const& status, std::string otherwise)
{
    return status ? std::move(otherwise) : status.message();
}

bool is_language_code(std::string const& code)
{
    return code.size() >= 2 && code.size() <= 8
        && std::all_of(code.begin(), code.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
}

class Reader {
public:
    Reader(Database& db, std::string where)
        : m_db(db)
        , m_where(std::move(where))
    {
    }

    Error fail(std::string const& what) const { return make_error(m_where + ": " + what); }

    Status check_structure(IntegrityCheck check)
    {
        auto version = m_db.prepare("PRAGMA user_version");
        if (!version)
            return fail("not a content pack (" + version.message() + ")");
        if (!version->step())
            return fail("not a content pack (" + message_of(version->status(), "no user_version") + ")");
        if (version->column_int(0) != pack_format_version)
            return fail("pack format version " + std::to_string(version->column_int(0)) + ", this kiosk reads version "
                + std::to_string(pack_format_version));

        auto integrity = m_db.prepare(check == IntegrityCheck::Full ? "PRAGMA integrity_check" : "PRAGMA quick_check");
        if (!integrity)
            return fail("integrity check failed: " + integrity.message());
        if (!integrity->step())
            return fail("integrity check failed: " + message_of(integrity->status(), "no result"));
        if (std::string const verdict = integrity->column_text(0); verdict != "ok")
            return fail("integrity check failed: " + verdict);

        // Exactly the expected tables and their automatic indexes: no triggers, views, virtual tables.
        KIOSK_TRY_ASSIGN(auto objects, m_db.prepare("SELECT type, name, tbl_name FROM sqlite_schema ORDER BY name"));
        std::set<std::string> seen;
        while (objects.step()) {
            std::string const type = objects.column_text(0);
            std::string const name = objects.column_text(1);
            std::string const table = objects.column_text(2);
            bool const known_table = std::any_of(schema::tables.begin(), schema::tables.end(),
                [&](auto const& object) { return object.type == type && object.name == name; });
            bool const auto_index = type == "index" && name.starts_with("sqlite_autoindex_" + table + "_")
                && std::any_of(schema::tables.begin(), schema::tables.end(),
                    [&](auto const& object) { return object.name == table; });
            if (!known_table && !auto_index)
                return fail("unexpected " + type + " '" + name
                    + "' in the pack; a pack holds only the tables of "
                      "docs/pack-format.md");
            if (known_table)
                seen.insert(name);
        }
        KIOSK_TRY(objects.status());
        for (auto const& object : schema::tables) {
            if (!seen.contains(std::string(object.name)))
                return fail("missing table '" + std::string(object.name) + "'");
        }
        return {};
    }

    Status read_meta(PackMeta& meta)
    {
        KIOSK_TRY_ASSIGN(auto stmt, m_db.prepare("SELECT key, value FROM meta"));
        std::map<std::string, std::string> values;
        while (stmt.step()) {
            std::string key = stmt.column_text(0);
            std::string value = stmt.column_text(1);
            if (!is_valid_utf8(key) || !is_valid_utf8(value) || value.size() > PackLimits::max_text_bytes)
                return fail("meta '" + key + "' is not valid bounded UTF-8 text");
            values[std::move(key)] = std::move(value);
        }
        KIOSK_TRY(stmt.status());
        auto required = [&](char const* key) -> Result<std::string> {
            auto it = values.find(key);
            if (it == values.end() || it->second.empty())
                return fail(std::string("meta is missing '") + key + "'");
            return it->second;
        };
        KIOSK_TRY_ASSIGN(meta.pack_id, required("pack_id"));
        KIOSK_TRY_ASSIGN(std::string const version_text, required("version"));
        auto version = parse_int(version_text);
        if (!version || *version < 1)
            return fail("meta 'version' must be a positive integer, not '" + version_text + "'");
        meta.version = *version;
        KIOSK_TRY_ASSIGN(std::string const languages, required("languages"));
        meta.languages = split_commas(languages);
        for (auto const& lang : meta.languages) {
            if (!is_language_code(lang))
                return fail("meta 'languages' has an invalid language code '" + lang + "'");
        }
        if (meta.languages.empty())
            return fail("meta 'languages' is empty");
        meta.default_language = values.contains("default_language") ? values["default_language"] : meta.languages[0];
        if (std::find(meta.languages.begin(), meta.languages.end(), meta.default_language) == meta.languages.end())
            return fail("meta 'default_language' " + meta.default_language + " is not among the pack's languages");
        if (values.contains("target"))
            meta.target = values["target"];
        if (values.contains("created"))
            meta.created = values["created"];
        if (auto it = values.find("language_mode"); it != values.end()) {
            if (it->second != "dual" && it->second != "toggle" && it->second != "alternate")
                return fail("meta 'language_mode' must be dual, toggle or alternate, not '" + it->second + "'");
            meta.language_mode = it->second;
        }
        for (auto const& lang : meta.languages) {
            if (auto it = values.find("title." + lang); it != values.end())
                meta.title[lang] = it->second;
        }
        if (auto it = values.find("display"); it != values.end()) {
            auto display = parse_pixel_size(it->second, "meta 'display'");
            if (!display)
                return fail(display.message());
            meta.display_width_px = display->width_px;
            meta.display_height_px = display->height_px;
        }
        return {};
    }

    Status read_media(std::map<std::int64_t, Media>& media)
    {
        KIOSK_TRY_ASSIGN(
            auto stmt, m_db.prepare("SELECT id, sha256, mime, width, height, data FROM media ORDER BY id"));
        while (stmt.step()) {
            Media item;
            item.id = stmt.column_int(0);
            item.sha256 = stmt.column_text(1);
            item.mime = stmt.column_text(2);
            std::string const label = "media " + std::to_string(item.id);
            if (stmt.column_type(5) != SQLITE_BLOB)
                return fail(label + ": data is not a blob");
            item.data = stmt.column_blob(5);
            if (sha256_hex(item.data) != item.sha256)
                return fail(label + ": SHA-256 of the image data does not match the recorded hash");
            auto info = probe_image(item.data);
            if (!info)
                return fail(label + ": " + info.message());
            if (info->mime != item.mime)
                return fail(label + ": recorded as " + item.mime + " but the data is " + info->mime);
            if (info->width_px > PackLimits::max_image_side_px || info->height_px > PackLimits::max_image_side_px)
                return fail(label + ": image declares " + std::to_string(info->width_px) + "x"
                    + std::to_string(info->height_px) + " px, more than the limit of "
                    + std::to_string(PackLimits::max_image_side_px) + " px per side");
            if (info->width_px != stmt.column_int(3) || info->height_px != stmt.column_int(4))
                return fail(label + ": recorded size differs from the image header");
            item.width_px = info->width_px;
            item.height_px = info->height_px;
            media.emplace(item.id, std::move(item));
        }
        KIOSK_TRY(stmt.status());
        return {};
    }

    Status read_slides(Pack& pack)
    {
        KIOSK_TRY_ASSIGN(auto stmt,
            m_db.prepare("SELECT id, name, layout, category, duration_ms, accent, media_id FROM slides "
                         "ORDER BY position"));
        while (stmt.step()) {
            if (pack.slides.size() >= std::size_t(PackLimits::max_slides))
                return fail("more than " + std::to_string(PackLimits::max_slides) + " slides");
            Slide slide;
            slide.id = stmt.column_int(0);
            slide.name = stmt.column_text(1);
            if (!is_valid_utf8(slide.name) || slide.name.size() > 200)
                return fail("slide " + std::to_string(slide.id) + ": name is not valid UTF-8");
            std::string const label = "slide " + std::to_string(pack.slides.size() + 1) + " (" + slide.name + ")";
            std::string const layout = stmt.column_text(2);
            auto parsed = layout_from_name(layout);
            if (!parsed)
                return fail(label + ": unknown layout '" + layout + "'");
            slide.layout = *parsed;
            slide.category = stmt.column_text(3);
            if (!is_valid_utf8(slide.category) || slide.category.size() > PackLimits::max_text_bytes)
                return fail(label + ": category is not valid UTF-8 of at most "
                    + std::to_string(PackLimits::max_text_bytes) + " bytes");
            std::int64_t const duration = stmt.column_int(4);
            if (duration < PackLimits::min_duration_ms || duration > PackLimits::max_duration_ms)
                return fail(label + ": duration_ms " + std::to_string(duration) + " is outside "
                    + std::to_string(PackLimits::min_duration_ms) + ".." + std::to_string(PackLimits::max_duration_ms));
            slide.duration_ms = int(duration);
            slide.accent = stmt.column_text(5);
            if (!slide.accent.empty() && !is_valid_utf8(slide.accent))
                return fail(label + ": accent is not valid UTF-8");
            if (!stmt.column_is_null(6)) {
                slide.media_id = stmt.column_int(6);
                if (!pack.media.contains(*slide.media_id))
                    return fail(label + ": refers to missing media " + std::to_string(*slide.media_id));
            }
            pack.slides.push_back(std::move(slide));
        }
        KIOSK_TRY(stmt.status());
        if (pack.slides.empty())
            return fail("the pack has no slides");
        return {};
    }

    Status read_texts(Pack& pack)
    {
        KIOSK_TRY_ASSIGN(auto stmt,
            m_db.prepare("SELECT slide_id, lang, field, text FROM slide_text ORDER BY slide_id, lang, field"));
        std::map<std::int64_t, Slide*> by_id;
        for (auto& slide : pack.slides)
            by_id[slide.id] = &slide;
        while (stmt.step()) {
            std::int64_t const slide_id = stmt.column_int(0);
            std::string const lang = stmt.column_text(1);
            std::string const field = stmt.column_text(2);
            std::string text = stmt.column_text(3);
            auto it = by_id.find(slide_id);
            if (it == by_id.end())
                return fail("text for missing slide " + std::to_string(slide_id));
            Slide& slide = *it->second;
            std::string const label = "slide " + slide.name + " [" + lang + "] " + field;
            if (std::find(pack.meta.languages.begin(), pack.meta.languages.end(), lang) == pack.meta.languages.end())
                return fail(label + ": language not listed in meta 'languages'");
            if (!is_valid_utf8(text))
                return fail(label + ": text is not valid UTF-8");
            if (text.size() > PackLimits::max_text_bytes)
                return fail(label + ": text is longer than " + std::to_string(PackLimits::max_text_bytes) + " bytes");
            SlideText& slide_text = slide.text[lang];
            if (field == "kicker")
                slide_text.kicker = std::move(text);
            else if (field == "title")
                slide_text.title = std::move(text);
            else if (field == "body")
                slide_text.body = std::move(text);
            else if (field == "caption")
                slide_text.caption = std::move(text);
            else if (field.starts_with("stat.")) {
                // stat.<n>.value / stat.<n>.label, n = 1..max_stats
                auto const dot = field.find('.', 5);
                std::int64_t const index
                    = dot == std::string::npos ? 0 : parse_int(field.substr(5, dot - 5)).value_or(0);
                std::string const part = dot == std::string::npos ? "" : field.substr(dot + 1);
                if (index < 1 || index > PackLimits::max_stats || (part != "value" && part != "label"))
                    return fail(label + ": unknown field");
                auto const slot = std::size_t(index - 1);
                if (slide_text.stats.size() <= slot)
                    slide_text.stats.resize(slot + 1);
                (part == "value" ? slide_text.stats[slot].value : slide_text.stats[slot].label) = std::move(text);
            } else {
                return fail(label + ": unknown field");
            }
        }
        KIOSK_TRY(stmt.status());
        for (auto const& slide : pack.slides) {
            if (slide.text.empty())
                return fail("slide " + slide.name + " has no text in any language");
        }
        return {};
    }

private:
    Database& m_db;
    std::string m_where;
};

} // namespace

Result<Pack> read_pack(std::filesystem::path const& path, IntegrityCheck check)
{
    struct stat st { };
    if (::stat(path.c_str(), &st) != 0)
        return make_error(path.string() + ": cannot open pack: " + files::errno_text(errno));
    if (!S_ISREG(st.st_mode))
        return make_error(path.string() + ": not a regular file");
    if (std::uint64_t(st.st_size) > PackLimits::max_pack_bytes)
        return make_error(path.string() + ": pack is larger than the limit of "
            + std::to_string(PackLimits::max_pack_bytes) + " bytes");
    KIOSK_TRY_ASSIGN(auto db, Database::open(path, OpenMode::ReadOnlyUntrusted));
    Reader reader(db, path.string());
    Pack pack;
    KIOSK_TRY(reader.check_structure(check));
    KIOSK_TRY(reader.read_meta(pack.meta));
    KIOSK_TRY(reader.read_media(pack.media));
    KIOSK_TRY(reader.read_slides(pack));
    KIOSK_TRY(reader.read_texts(pack));
    return pack;
}

namespace {

Status insert_text(
    Statement& stmt, std::int64_t slide_id, std::string const& lang, std::string const& field, std::string const& text)
{
    if (text.empty())
        return {};
    return stmt.bind(1, slide_id).bind(2, lang).bind(3, field).bind(4, text).run();
}

std::string join_commas(std::vector<std::string> const& parts)
{
    std::string out;
    for (auto const& part : parts)
        out += (out.empty() ? "" : ",") + part;
    return out;
}

Status write_contents(Database& db, Pack const& pack)
{
    KIOSK_TRY(db.exec("PRAGMA page_size=4096; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"));
    KIOSK_TRY(db.exec("PRAGMA user_version=" + std::to_string(pack_format_version)));
    Transaction transaction(db);
    KIOSK_TRY(transaction.begin());
    KIOSK_TRY(db.exec(schema::create_sql));

    KIOSK_TRY_ASSIGN(auto meta, db.prepare("INSERT INTO meta(key, value) VALUES(?, ?)"));
    std::map<std::string, std::string> values {
        { "pack_id", pack.meta.pack_id },
        { "version", std::to_string(pack.meta.version) },
        { "target", pack.meta.target },
        { "languages", join_commas(pack.meta.languages) },
        { "default_language", pack.meta.default_language },
        { "display", std::to_string(pack.meta.display_width_px) + "x" + std::to_string(pack.meta.display_height_px) },
    };
    if (!pack.meta.created.empty())
        values["created"] = pack.meta.created;
    if (!pack.meta.language_mode.empty())
        values["language_mode"] = pack.meta.language_mode;
    for (auto const& [lang, title] : pack.meta.title)
        values["title." + lang] = title;
    for (auto const& [key, value] : values)
        KIOSK_TRY(meta.bind(1, key).bind(2, value).run());

    KIOSK_TRY_ASSIGN(
        auto media, db.prepare("INSERT INTO media(id, sha256, mime, width, height, data) VALUES(?, ?, ?, ?, ?, ?)"));
    for (auto const& [id, item] : pack.media) {
        KIOSK_TRY(media.bind(1, id)
                      .bind(2, item.sha256)
                      .bind(3, item.mime)
                      .bind(4, std::int64_t(item.width_px))
                      .bind(5, std::int64_t(item.height_px))
                      .bind_blob(6, item.data)
                      .run());
    }

    KIOSK_TRY_ASSIGN(auto slides,
        db.prepare("INSERT INTO slides(id, position, name, layout, category, duration_ms, accent, media_id) "
                   "VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
    KIOSK_TRY_ASSIGN(auto texts, db.prepare("INSERT INTO slide_text(slide_id, lang, field, text) VALUES(?, ?, ?, ?)"));
    std::int64_t position = 0;
    for (auto const& slide : pack.slides) {
        ++position;
        slides.bind(1, slide.id)
            .bind(2, position)
            .bind(3, slide.name)
            .bind(4, layout_name(slide.layout))
            .bind(5, slide.category)
            .bind(6, std::int64_t(slide.duration_ms))
            .bind(7, slide.accent);
        if (slide.media_id)
            slides.bind(8, *slide.media_id);
        else
            slides.bind_null(8);
        KIOSK_TRY(slides.run());
        for (auto const& [lang, text] : slide.text) {
            KIOSK_TRY(insert_text(texts, slide.id, lang, "kicker", text.kicker));
            KIOSK_TRY(insert_text(texts, slide.id, lang, "title", text.title));
            KIOSK_TRY(insert_text(texts, slide.id, lang, "body", text.body));
            KIOSK_TRY(insert_text(texts, slide.id, lang, "caption", text.caption));
            for (std::size_t i = 0; i < text.stats.size(); ++i) {
                std::string const prefix = "stat." + std::to_string(i + 1) + ".";
                KIOSK_TRY(insert_text(texts, slide.id, lang, prefix + "value", text.stats[i].value));
                KIOSK_TRY(insert_text(texts, slide.id, lang, prefix + "label", text.stats[i].label));
            }
        }
    }
    return transaction.commit();
}

} // namespace

Status write_pack(Pack const& pack, std::filesystem::path const& path)
{
    std::filesystem::path const dir = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    std::filesystem::path const temp = dir / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()));
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    {
        KIOSK_TRY_ASSIGN(auto db, Database::open(temp, OpenMode::CreateReadWrite));
        if (auto written = write_contents(db, pack); !written) {
            std::filesystem::remove(temp, ignored);
            return written;
        }
    }
    // The connection is closed: now make the bytes durable, then move them into place.
    int const fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
    return files::commit_file(temp, path);
}

} // namespace kiosk::content
