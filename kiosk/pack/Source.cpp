#include "kiosk/pack/Source.h"

#include "kiosk/content/Image.h"
#include "kiosk/content/Text.h"
#include "platform/Files.h"
#include "platform/TomlTypeName.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <toml++/toml.h>

namespace kiosk::pack {

namespace fs = std::filesystem;
using content::Layout;
using content::PackLimits;

std::string Diagnostic::to_string() const
{
    std::string out = file.string();
    if (line > 0)
        out += ":" + std::to_string(line);
    out += ": ";
    if (!field.empty())
        out += field + ": ";
    return out + message;
}

namespace {

constexpr std::uint64_t max_source_image_bytes = 64ull * 1024 * 1024;
constexpr std::uint64_t max_toml_bytes = 1024 * 1024;

// files:: messages start with the path; a Diagnostic already names the file.
std::string without_path(std::string const& message, fs::path const& path)
{
    std::string const prefix = path.string() + ": ";
    return message.starts_with(prefix) ? message.substr(prefix.size()) : message;
}

// Collects problems for one source file and reads typed fields, remembering which keys were used
// so that the rest can be reported as unknown (typos).
class FileReader {
public:
    FileReader(fs::path file, std::vector<Diagnostic>& problems)
        : m_file(std::move(file))
        , m_problems(problems)
    {
    }

    void problem(toml::node const* node, std::string field, std::string message)
    {
        int const line = node ? int(node->source().begin.line) : 0;
        m_problems.push_back({ m_file, line, std::move(field), std::move(message) });
    }

    std::optional<toml::table> parse()
    {
        auto bytes = files::read_file(m_file, max_toml_bytes);
        if (!bytes) {
            m_problems.push_back({ m_file, 0, "", without_path(bytes.message(), m_file) });
            return std::nullopt;
        }
        std::string_view const text(reinterpret_cast<char const*>(bytes->data()), bytes->size());
        if (!content::is_valid_utf8(text)) {
            m_problems.push_back({ m_file, 0, "", "file is not valid UTF-8 (save it as UTF-8)" });
            return std::nullopt;
        }
        try {
            return toml::parse(text, m_file.string());
        } catch (toml::parse_error const& error) {
            m_problems.push_back(
                { m_file, int(error.source().begin.line), "", "TOML syntax: " + std::string(error.description()) });
            return std::nullopt;
        }
    }

    std::optional<std::string> string(toml::table const& table, std::string const& key, std::string const& path,
        bool required, std::size_t max_bytes = PackLimits::max_text_bytes)
    {
        mark(path);
        toml::node const* node = table.get(key);
        if (!node) {
            if (required)
                problem(&table, path, "missing (required)");
            return std::nullopt;
        }
        auto const* value = node->as_string();
        if (!value) {
            problem(node, path, std::string("must be a string, not ") + toml_type_name(*node));
            return std::nullopt;
        }
        std::string text = value->get();
        if (text.size() > max_bytes) {
            problem(node, path,
                "text is " + std::to_string(text.size()) + " bytes, more than " + std::to_string(max_bytes));
            return std::nullopt;
        }
        return text;
    }

    std::optional<std::int64_t> integer(toml::table const& table, std::string const& key, std::string const& path,
        bool required, std::int64_t min, std::int64_t max)
    {
        mark(path);
        toml::node const* node = table.get(key);
        if (!node) {
            if (required)
                problem(&table, path, "missing (required)");
            return std::nullopt;
        }
        auto const* value = node->as_integer();
        if (!value) {
            problem(node, path, std::string("must be an integer, not ") + toml_type_name(*node));
            return std::nullopt;
        }
        if (value->get() < min || value->get() > max) {
            problem(node, path,
                std::to_string(value->get()) + " is outside " + std::to_string(min) + ".." + std::to_string(max));
            return std::nullopt;
        }
        return value->get();
    }

    void mark(std::string const& path) { m_known.insert(path); }

    // Reports every key of `table` (recursively) whose dotted path was never read.
    void report_unknown(toml::table const& table, std::string const& prefix = "")
    {
        for (auto const& [key, node] : table) {
            std::string const path = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
            if (!m_known.contains(path)) {
                problem(&node, path, "unknown field (a typo?)");
                continue;
            }
            if (auto const* sub = node.as_table())
                report_unknown(*sub, path);
            if (auto const* array = node.as_array()) {
                for (std::size_t i = 0; i < array->size(); ++i) {
                    if (auto const* element = (*array)[i].as_table())
                        report_unknown(*element, path + "[]");
                }
            }
        }
    }

    fs::path const& file() const { return m_file; }

private:
    fs::path m_file;
    std::vector<Diagnostic>& m_problems;
    std::set<std::string> m_known;
};

bool is_accent(std::string const& text)
{
    return text.size() == 7 && text[0] == '#' && std::all_of(text.begin() + 1, text.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c));
    });
}

class SourceBuilder {
public:
    SourceBuilder(fs::path dir, BuildOptions const& options, SourceResult& result)
        : m_dir(std::move(dir))
        , m_options(options)
        , m_result(result)
    {
    }

    void read_pack_toml()
    {
        FileReader reader(m_dir / "pack.toml", m_result.problems);
        auto table = reader.parse();
        if (!table)
            return;
        auto& meta = m_result.pack.meta;
        if (auto id = reader.string(*table, "pack_id", "pack_id", true, 64)) {
            bool const valid = !id->empty() && std::all_of(id->begin(), id->end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
            });
            if (valid)
                meta.pack_id = *id;
            else
                reader.problem(table->get("pack_id"), "pack_id", "use letters, digits, '-', '_' and '.' only");
        }
        if (auto version = reader.integer(*table, "version", "version", !m_options.version, 1, INT64_MAX / 2))
            meta.version = *version;
        if (m_options.version)
            meta.version = *m_options.version;
        meta.target = reader.string(*table, "target", "target", false, 128).value_or("*");
        // The target travels in the signature's trusted comment, which is split on spaces.
        if (!std::all_of(meta.target.begin(), meta.target.end(),
                [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("._*?-", c); })
            || meta.target.empty()) {
            reader.problem(table->get("target"), "target",
                "use letters, digits and . _ - with * and ? as wildcards, e.g. \"lobby-*\"");
            meta.target = "*";
        }
        reader.mark("languages");
        if (auto const* langs = table->get_as<toml::array>("languages")) {
            for (auto const& node : *langs) {
                // The same rule the kiosk's reader applies: lowercase BCP 47-style codes.
                auto const* lang = node.as_string();
                bool const valid = lang && lang->get().size() >= 2 && lang->get().size() <= 8
                    && std::all_of(lang->get().begin(), lang->get().end(),
                        [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
                if (valid)
                    meta.languages.push_back(lang->get());
                else
                    reader.problem(
                        &node, "languages", "each language must be a lowercase code such as \"en\" or \"zh\"");
            }
        } else {
            reader.problem(table->get("languages") ? table->get("languages") : &*table, "languages",
                "missing or not an array of language codes, e.g. languages = [\"en\", \"zh\"]");
        }
        if (meta.languages.empty() && m_result.problems.empty())
            reader.problem(&*table, "languages", "lists no language");
        meta.default_language = reader.string(*table, "default_language", "default_language", false, 16)
                                    .value_or(meta.languages.empty() ? "en" : meta.languages[0]);
        if (!meta.languages.empty()
            && std::find(meta.languages.begin(), meta.languages.end(), meta.default_language) == meta.languages.end())
            reader.problem(table->get("default_language"), "default_language", "is not one of 'languages'");
        reader.mark("title");
        if (auto const* title = table->get_as<toml::table>("title")) {
            for (auto const& lang : meta.languages) {
                if (auto text = reader.string(*title, lang, "title." + lang, true, 200))
                    meta.title[lang] = *text;
            }
        } else {
            reader.problem(&*table, "title", "missing: a [title] table with one entry per language");
        }
        if (auto mode = reader.string(*table, "language_mode", "language_mode", false, 16)) {
            if (*mode == "dual" || *mode == "toggle" || *mode == "alternate")
                meta.language_mode = *mode;
            else
                reader.problem(table->get("language_mode"), "language_mode",
                    "must be \"dual\" (both languages), \"toggle\" (a visitor switches) or \"alternate\"");
        }
        meta.display_width_px = m_options.display_width_px;
        meta.display_height_px = m_options.display_height_px;
        meta.created = m_options.created;
        reader.report_unknown(*table);
    }

    void read_slides()
    {
        fs::path const slides_dir = m_dir / "slides";
        std::vector<fs::path> files;
        std::error_code ec;
        for (auto const& entry : fs::directory_iterator(slides_dir, ec)) {
            if (entry.is_regular_file() && entry.path().extension() == ".toml")
                files.push_back(entry.path());
        }
        if (ec) {
            m_result.problems.push_back({ slides_dir, 0, "", "cannot list slides: " + ec.message() });
            return;
        }
        std::sort(files.begin(), files.end());
        if (files.empty())
            m_result.problems.push_back({ slides_dir, 0, "", "no slides (*.toml) found" });
        if (files.size() > std::size_t(PackLimits::max_slides))
            m_result.problems.push_back(
                { slides_dir, 0, "", "more than " + std::to_string(PackLimits::max_slides) + " slides" });
        for (auto const& file : files)
            read_slide(file);
    }

private:
    void read_slide(fs::path const& file)
    {
        FileReader reader(file, m_result.problems);
        auto table = reader.parse();
        if (!table)
            return;
        content::Slide slide;
        slide.id = std::int64_t(m_result.pack.slides.size() + 1);
        slide.name = file.stem().string();
        if (auto layout = reader.string(*table, "layout", "layout", true, 32)) {
            if (auto parsed = content::layout_from_name(*layout))
                slide.layout = *parsed;
            else
                reader.problem(
                    table->get("layout"), "layout", "unknown layout '" + *layout + "' (hero, stats, text, quote)");
        }
        if (auto duration = reader.integer(
                *table, "duration_ms", "duration_ms", true, PackLimits::min_duration_ms, PackLimits::max_duration_ms))
            slide.duration_ms = int(*duration);
        slide.category = reader.string(*table, "category", "category", false, 64).value_or("");
        if (auto accent = reader.string(*table, "accent", "accent", false, 16)) {
            if (is_accent(*accent))
                slide.accent = *accent;
            else
                reader.problem(table->get("accent"), "accent", "must be a colour like \"#1F6FB2\"");
        }
        bool const needs_image = slide.layout == Layout::Hero || slide.layout == Layout::Text;
        if (auto image = reader.string(*table, "image", "image", needs_image, 512))
            slide.media_id = add_image(reader, table->get("image"), *image);

        for (auto const& lang : m_result.pack.meta.languages) {
            reader.mark(lang);
            auto const* text_table = table->get_as<toml::table>(lang);
            if (!text_table) {
                reader.problem(&*table, lang, "missing translation: add a [" + lang + "] table");
                continue;
            }
            content::SlideText text;
            bool const needs_body = slide.layout != Layout::Stats;
            text.kicker = reader.string(*text_table, "kicker", lang + ".kicker", false, 400).value_or("");
            text.title = reader.string(*text_table, "title", lang + ".title", true, 600).value_or("");
            text.body = reader.string(*text_table, "body", lang + ".body", needs_body).value_or("");
            text.caption = reader.string(*text_table, "caption", lang + ".caption", false, 600).value_or("");
            reader.mark(lang + ".stats");
            reader.mark(lang + ".stats[].value");
            reader.mark(lang + ".stats[].label");
            if (auto const* stats = text_table->get_as<toml::array>("stats")) {
                for (auto const& node : *stats) {
                    auto const* stat_table = node.as_table();
                    if (!stat_table) {
                        reader.problem(&node, lang + ".stats", "each entry must be a table with value and label");
                        continue;
                    }
                    content::Stat stat;
                    stat.value = reader.string(*stat_table, "value", lang + ".stats[].value", true, 64).value_or("");
                    stat.label = reader.string(*stat_table, "label", lang + ".stats[].label", true, 400).value_or("");
                    text.stats.push_back(std::move(stat));
                }
                if (text.stats.size() > std::size_t(PackLimits::max_stats))
                    reader.problem(text_table->get("stats"), lang + ".stats",
                        "at most " + std::to_string(PackLimits::max_stats) + " stats per slide");
            }
            if (slide.layout == Layout::Stats && text.stats.size() < 2)
                reader.problem(
                    text_table, lang + ".stats", "a stats slide needs 2 to 4 [[" + lang + ".stats]] entries");
            slide.text[lang] = std::move(text);
        }
        // Same number of stats in every language: the layout pairs them by position.
        std::optional<std::size_t> stat_count;
        for (auto const& [lang, text] : slide.text) {
            if (stat_count && *stat_count != text.stats.size())
                reader.problem(&*table, lang + ".stats", "has a different number of stats than the other language");
            stat_count = text.stats.size();
        }
        reader.report_unknown(*table);
        m_result.slide_files.push_back(file);
        m_result.pack.slides.push_back(std::move(slide));
    }

    std::optional<std::int64_t> add_image(FileReader& reader, toml::node const* node, std::string const& relative)
    {
        fs::path const path = m_dir / relative;
        if (relative.find("..") != std::string::npos || fs::path(relative).is_absolute()) {
            reader.problem(node, "image", "must be a path inside the source folder, like \"images/nanjing.png\"");
            return std::nullopt;
        }
        if (auto known = m_by_path.find(path.lexically_normal()); known != m_by_path.end())
            return known->second;
        auto bytes = files::read_file(path, max_source_image_bytes);
        if (!bytes) {
            reader.problem(node, "image", relative + ": " + without_path(bytes.message(), path));
            return std::nullopt;
        }
        auto image = content::decode_image(*bytes, 16384);
        if (!image) {
            reader.problem(node, "image", relative + ": " + image.message());
            return std::nullopt;
        }
        // Scale down (never up) so the image just covers the display: the kiosk then only crops.
        double const scale = std::max(double(m_options.display_width_px) / image->width_px,
            double(m_options.display_height_px) / image->height_px);
        content::Image scaled = std::move(image.value());
        if (scale < 1.0) {
            int const w = std::max(1, int(std::lround(scaled.width_px * scale)));
            int const h = std::max(1, int(std::lround(scaled.height_px * scale)));
            scaled = content::resize_image(scaled, w, h);
        }
        content::Media media;
        // Re-encoded, never copied: the pack carries only pixels we produced. Opaque images become
        // JPEG (a fifth of stb's PNG size for the same picture); images with transparency stay PNG.
        bool const opaque = std::all_of(scaled.rgba.begin(), scaled.rgba.end(),
            [i = 0](std::uint8_t v) mutable { return (i++ % 4) != 3 || v == 255; });
        media.mime = opaque ? "image/jpeg" : "image/png";
        media.data = opaque ? content::encode_jpeg(scaled, 92) : content::encode_png(scaled);
        media.width_px = scaled.width_px;
        media.height_px = scaled.height_px;
        media.sha256 = content::sha256_hex(media.data);
        // Deduplicated by the hash of what is stored: two files with the same pixels share one row.
        for (auto const& [id, existing] : m_result.pack.media) {
            if (existing.sha256 == media.sha256) {
                m_by_path[path.lexically_normal()] = id;
                return id;
            }
        }
        media.id = std::int64_t(m_result.pack.media.size() + 1);
        std::int64_t const id = media.id;
        m_result.pack.media.emplace(id, std::move(media));
        m_by_path[path.lexically_normal()] = id;
        return id;
    }

    fs::path m_dir;
    BuildOptions const& m_options;
    SourceResult& m_result;
    std::map<fs::path, std::int64_t> m_by_path;
};

} // namespace

SourceResult read_source(fs::path const& source_dir, BuildOptions const& options)
{
    SourceResult result;
    if (!fs::is_directory(source_dir)) {
        result.problems.push_back({ source_dir, 0, "", "not a folder (expected pack.toml and slides/ inside)" });
        return result;
    }
    SourceBuilder builder(source_dir, options, result);
    builder.read_pack_toml();
    builder.read_slides();
    return result;
}

} // namespace kiosk::pack
