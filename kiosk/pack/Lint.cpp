#include "kiosk/pack/Lint.h"

#include "kiosk/content/PackReader.h"
#include "kiosk/content/Text.h"
#include "kiosk/pack/Source.h"
#include "kiosk/render/SlideComposer.h"
#include "platform/Utf8.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <toml++/toml.h>
#include <tuple>
#include <unicode/uchar.h>

namespace kiosk::pack {

namespace fs = std::filesystem;

std::string LintProblem::to_string() const
{
    std::string out;
    if (!file.empty()) {
        out = file.string();
        if (line > 0)
            out += ":" + std::to_string(line);
    } else if (slide > 0) {
        out = "slide " + std::to_string(slide) + " (" + slide_name + ")";
    } else {
        out = "pack";
    }
    out += ": ";
    if (!field.empty())
        out += field + ": ";
    return out + message;
}

namespace {

std::string plural(std::size_t count, char const* one, char const* many)
{
    return std::to_string(count) + " " + (count == 1 ? one : many);
}

} // namespace

std::string LintReport::summary() const
{
    if (problems.empty())
        return "lint: clean, " + plural(std::size_t(slide_count), "slide", "slides");
    std::set<int> slides;
    bool pack_wide = false;
    for (auto const& problem : problems) {
        if (problem.slide > 0)
            slides.insert(problem.slide);
        else
            pack_wide = true;
    }
    std::string out = "lint: " + plural(problems.size(), "problem", "problems") + " in ";
    if (!slides.empty())
        out += plural(slides.size(), "slide", "slides") + (pack_wide ? " and " : "");
    if (pack_wide)
        out += "the pack settings";
    return out;
}

namespace {

std::string code_point_name(char32_t cp)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(cp));
    return buffer;
}

// The visible strings of one language of a slide, by field name relative to the language
// ("title", "stats[2].label"), in the order the source lists them.
std::vector<std::pair<std::string, std::string const*>> fields_of(content::SlideText const& text)
{
    std::vector<std::pair<std::string, std::string const*>> fields {
        { "kicker", &text.kicker },
        { "title", &text.title },
        { "body", &text.body },
        { "caption", &text.caption },
    };
    for (std::size_t i = 0; i < text.stats.size(); ++i) {
        std::string const prefix = "stats[" + std::to_string(i + 1) + "].";
        fields.push_back({ prefix + "value", &text.stats[i].value });
        fields.push_back({ prefix + "label", &text.stats[i].label });
    }
    return fields;
}

// The source field a composer layer or problem is about. The composer names its text blocks
// "<part>.<lang>" ("title.zh"), "stat.value.<n>" (always the language in front) and
// "stat.label.<lang>.<n>"; the quotation mark belongs to the quote, the primary body.
std::string field_of(std::string const& name, std::string const& primary)
{
    auto starts = [&](std::string_view prefix) { return name.starts_with(prefix); };
    if (starts("stat.value."))
        return primary + ".stats[" + name.substr(11) + "].value";
    if (starts("stat.label.")) {
        std::string const rest = name.substr(11); // "<lang>.<n>"
        auto const dot = rest.rfind('.');
        if (dot != std::string::npos)
            return rest.substr(0, dot) + ".stats[" + rest.substr(dot + 1) + "].label";
    }
    if (name == "quote-mark")
        return primary + ".body";
    if (starts("image"))
        return "image";
    for (std::string_view part : { "kicker.", "title.", "body.", "caption." }) {
        if (starts(part))
            return name.substr(part.size()) + "." + std::string(part.substr(0, part.size() - 1));
    }
    return name;
}

bool is_cjk_character(char32_t cp)
{
    return u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_IDEOGRAPHIC);
}

struct ReadingLoad {
    int words { 0 };
    int cjk_characters { 0 };
    int ms() const { return words * lint_ms_per_word + cjk_characters * lint_ms_per_cjk_character; }
};

// Counts words (runs of letters or digits between spaces and Chinese characters) and Chinese
// characters, as the reading-speed heuristic in Lint.h defines them.
void count_reading(std::string const& text, ReadingLoad& load)
{
    bool in_word = false;
    bool word_has_alnum = false;
    auto end_word = [&] {
        if (in_word && word_has_alnum)
            ++load.words;
        in_word = false;
        word_has_alnum = false;
    };
    for (char32_t cp : content::decode_utf8(text)) {
        auto const c = static_cast<UChar32>(cp);
        if (is_cjk_character(cp)) {
            end_word();
            ++load.cjk_characters;
        } else if (u_isUWhiteSpace(c) || u_charType(c) == U_CONTROL_CHAR) {
            end_word();
        } else {
            in_word = true;
            word_has_alnum = word_has_alnum || u_isalnum(c);
        }
    }
    end_word();
}

std::string const* text_field(content::SlideText const& text, std::string const& relative)
{
    for (auto const& [name, value] : fields_of(text)) {
        if (name == relative)
            return value;
    }
    return nullptr;
}

// Line numbers of a source folder's fields: read_source checks the files; lint re-reads the slide
// files it accepted to point its own findings at the right line.
class SourceLines {
public:
    explicit SourceLines(std::vector<fs::path> files)
        : m_files(std::move(files))
        , m_tables(m_files.size())
    {
    }

    fs::path const& file(std::size_t slide) const { return m_files.at(slide); }

    // The line of `field` ("en.stats[2].label") in the slide's file; for a field the file lacks,
    // the line of the nearest table that holds it ([zh]); 0 if neither is known.
    int line_of(std::size_t slide, std::string const& field)
    {
        toml::table const* root = table(slide);
        if (!root)
            return 0;
        toml::node const* node = root;
        int line = 0;
        std::size_t start = 0;
        while (node && start <= field.size()) {
            std::size_t const dot = field.find('.', start);
            std::string segment = field.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
            std::optional<std::size_t> index;
            if (auto const bracket = segment.find('['); bracket != std::string::npos) {
                index = std::size_t(std::atoi(segment.c_str() + bracket + 1));
                segment.resize(bracket);
            }
            toml::node const* next = nullptr;
            if (auto const* t = node->as_table())
                next = t->get(segment);
            if (next && index) {
                auto const* array = next->as_array();
                next = array && *index >= 1 && *index <= array->size() ? array->get(*index - 1) : nullptr;
            }
            if (!next)
                break;
            node = next;
            if (int const here = int(node->source().begin.line); here > 0)
                line = here;
            if (dot == std::string::npos)
                break;
            start = dot + 1;
        }
        return line;
    }

    // A string value of the slide's top-level table ("image"), or empty.
    std::string string_at(std::size_t slide, std::string const& key)
    {
        toml::table const* root = table(slide);
        if (!root)
            return "";
        auto const* value = root->get_as<std::string>(key);
        return value ? value->get() : "";
    }

private:
    toml::table const* table(std::size_t slide)
    {
        if (slide >= m_files.size())
            return nullptr;
        auto& cached = m_tables[slide];
        if (!cached) {
            try {
                cached = toml::parse_file(m_files[slide].string());
            } catch (toml::parse_error const&) {
                cached = toml::table {}; // read_source already reported it
            }
        }
        return &*cached;
    }

    std::vector<fs::path> m_files;
    std::vector<std::optional<toml::table>> m_tables;
};

// Collects the findings. A finding met in several language orders or on several screens is
// reported once, naming every arrangement it was met in.
class Findings {
public:
    struct Where {
        std::string order; // "en first"; empty when the order does not matter
        std::string screen; // "1920×1080"; empty when the screen does not matter
    };

    void add(int slide, std::string field, std::string message, Where where = {})
    {
        Key key { slide, field, message };
        auto [it, inserted] = m_index.try_emplace(key, m_findings.size());
        if (inserted)
            m_findings.push_back({ slide, std::move(field), std::move(message), {} });
        auto& found = m_findings[it->second];
        if (!where.screen.empty() || !where.order.empty()) {
            bool const known = std::any_of(found.wheres.begin(), found.wheres.end(),
                [&](Where const& w) { return w.order == where.order && w.screen == where.screen; });
            if (!known)
                found.wheres.push_back(std::move(where));
        }
    }

    struct Finding {
        int slide; // 0-based index into pack.slides
        std::string field;
        std::string message;
        std::vector<Where> wheres;

        // "... (en first and zh first at 1920×1080)".
        std::string full_message() const
        {
            if (wheres.empty())
                return message;
            std::vector<std::pair<std::string, std::vector<std::string>>> by_screen;
            for (auto const& where : wheres) {
                auto it = std::find_if(
                    by_screen.begin(), by_screen.end(), [&](auto const& entry) { return entry.first == where.screen; });
                if (it == by_screen.end()) {
                    by_screen.push_back({ where.screen, {} });
                    it = by_screen.end() - 1;
                }
                if (!where.order.empty())
                    it->second.push_back(where.order);
            }
            std::string out = message + " (";
            for (std::size_t s = 0; s < by_screen.size(); ++s) {
                if (s > 0)
                    out += "; ";
                auto const& [screen, orders] = by_screen[s];
                for (std::size_t o = 0; o < orders.size(); ++o)
                    out += (o == 0 ? "" : " and ") + orders[o];
                if (!screen.empty())
                    out += (orders.empty() ? "at " : " at ") + screen;
            }
            return out + ")";
        }
    };

    std::vector<Finding> const& all() const { return m_findings; }

private:
    using Key = std::tuple<int, std::string, std::string>;
    std::map<Key, std::size_t> m_index;
    std::vector<Finding> m_findings;
};

class Linter {
public:
    Linter(content::Pack const& pack, text::FontSet& fonts, Findings& findings)
        : m_pack(pack)
        , m_fonts(fonts)
        , m_findings(findings)
    {
    }

    // A source folder's slides: image file names for messages.
    void set_image_names(std::vector<std::string> names) { m_image_names = std::move(names); }

    void check_translations()
    {
        auto const& languages = m_pack.meta.languages;
        for (std::size_t i = 0; i < m_pack.slides.size(); ++i) {
            auto const& slide = m_pack.slides[i];
            for (auto const& lang : languages) {
                auto const it = slide.text.find(lang);
                if (it == slide.text.end()) {
                    add(i, lang, "missing translation: the slide has no " + lang + " text");
                    continue;
                }
                for (auto const& [field, value] : fields_of(it->second)) {
                    if (!value->empty() || field.starts_with("stats["))
                        continue;
                    for (auto const& [other_lang, other] : slide.text) {
                        std::string const* other_value = text_field(other, field);
                        if (other_lang != lang && other_value && !other_value->empty()) {
                            add(i, lang + "." + field,
                                "missing translation: " + other_lang + "." + field + " is set but " + lang + "." + field
                                    + " is empty");
                            break;
                        }
                    }
                }
                for (auto const& [other_lang, other] : slide.text) {
                    if (other_lang != lang && other.stats.size() != it->second.stats.size()) {
                        add(i, lang + ".stats",
                            "missing translation: " + lang + " has " + std::to_string(it->second.stats.size())
                                + " stats but " + other_lang + " has " + std::to_string(other.stats.size()));
                        break;
                    }
                }
            }
        }
    }

    void check_glyphs()
    {
        for (std::size_t i = 0; i < m_pack.slides.size(); ++i) {
            for (auto const& [lang, text] : m_pack.slides[i].text) {
                for (auto const& [field, value] : fields_of(text)) {
                    std::set<char32_t> reported;
                    for (char32_t cp : content::decode_utf8(*value)) {
                        if (reported.contains(cp))
                            continue;
                        bool const regular = m_fonts.script_of(cp, text::Weight::Regular) != text::Script::Missing;
                        bool const bold = m_fonts.script_of(cp, text::Weight::Bold) != text::Script::Missing;
                        if (regular && bold)
                            continue;
                        reported.insert(cp);
                        std::string character;
                        append_utf8(character, cp);
                        std::string const which = !regular && !bold ? "the shipped fonts"
                            : regular                               ? "the shipped bold fonts"
                                                                    : "the shipped regular fonts";
                        add(i, lang + "." + field,
                            "\"" + character + "\" (" + code_point_name(cp) + ") is not in " + which
                                + ": it would show as a replacement box (tofu)");
                    }
                }
            }
        }
    }

    // Lays every slide out as the app does, in each language order of dual mode, on each screen.
    void check_layout(std::vector<render::ScreenSize> const& screens)
    {
        render::SlideComposer composer(m_fonts);
        auto const& languages = m_pack.meta.languages;
        for (std::size_t s = 0; s < screens.size(); ++s) {
            render::ScreenSize const screen = screens[s];
            for (auto const& primary : languages) {
                render::LanguageOrder order { primary };
                for (auto const& lang : languages) {
                    if (lang != primary)
                        order.push_back(lang);
                }
                Findings::Where const where { languages.size() > 1 ? primary + " first" : "", to_string(screen) };
                for (std::size_t i = 0; i < m_pack.slides.size(); ++i) {
                    render::PreparedSlide const prepared = composer.compose(m_pack, int(i), order, screen);
                    check_prepared(i, prepared, primary, where);
                    if (s == 0)
                        check_duration(i, prepared, primary);
                }
            }
        }
    }

private:
    void add(std::size_t slide, std::string field, std::string message, Findings::Where where = {})
    {
        m_findings.add(int(slide), std::move(field), std::move(message), std::move(where));
    }

    bool has_text(std::size_t slide, std::string const& field) const
    {
        auto const dot = field.find('.');
        return m_pack.slides[slide].text.contains(field.substr(0, dot));
    }

    void check_prepared(
        std::size_t i, render::PreparedSlide const& prepared, std::string const& primary, Findings::Where const& where)
    {
        for (auto const& problem : prepared.problems) {
            auto const colon = problem.find(": ");
            std::string const name = colon == std::string::npos ? "" : problem.substr(0, colon);
            std::string const field = field_of(name, primary);
            // A missing translation is drawn in another language; it is reported as missing.
            if (!name.empty() && field != "image" && !has_text(i, field))
                continue;
            add(i, field, colon == std::string::npos ? problem : problem.substr(colon + 2), where);
        }
        for (auto const& layer : prepared.layers) {
            if (layer.surface && layer.name == "image")
                check_image(i, layer, where);
        }
    }

    // The composer crops the image to the region's aspect (src) and scales that to the region
    // (dst): a crop smaller than the region is enlarged.
    void check_image(std::size_t i, render::Layer const& layer, Findings::Where const& where)
    {
        int const src_w = layer.src.w > 0 ? layer.src.w : layer.surface->w;
        int const src_h = layer.src.w > 0 ? layer.src.h : layer.surface->h;
        double const scale
            = std::max(double(layer.dst.w) / std::max(1, src_w), double(layer.dst.h) / std::max(1, src_h));
        if (scale <= lint_max_upscale)
            return;
        auto const& slide = m_pack.slides[i];
        std::string name = i < m_image_names.size() ? m_image_names[i] : "";
        if (name.empty())
            name = "image " + std::to_string(slide.media_id.value_or(0));
        char factor[32];
        std::snprintf(factor, sizeof factor, "%.1f", scale);
        add(i, "image",
            name + " is " + std::to_string(layer.surface->w) + "×" + std::to_string(layer.surface->h)
                + " px, smaller than the " + std::to_string(layer.dst.w) + "×" + std::to_string(layer.dst.h)
                + " px it fills on screen: enlarged " + factor + "×, it will look blurry; use an image of at least "
                + std::to_string(layer.dst.w) + "×" + std::to_string(layer.dst.h) + " px",
            { "", where.screen });
    }

    // The text drawn for the language in front, against the slide's duration (heuristic in Lint.h).
    void check_duration(std::size_t i, render::PreparedSlide const& prepared, std::string const& primary)
    {
        auto const& slide = m_pack.slides[i];
        auto const text_it = slide.text.find(primary);
        if (text_it == slide.text.end())
            return;
        ReadingLoad load;
        std::set<std::string> counted;
        for (auto const& layer : prepared.layers) {
            std::string const field = field_of(layer.name, primary);
            if (!field.starts_with(primary + ".") || counted.contains(field))
                continue;
            std::string const relative = field.substr(primary.size() + 1);
            if (relative == "kicker" || relative == "caption")
                continue; // glanced at, not read
            counted.insert(field);
            if (std::string const* value = text_field(text_it->second, relative))
                count_reading(*value, load);
        }
        int const needed_ms = load.ms();
        if (slide.duration_ms >= needed_ms)
            return;
        std::string amount;
        if (load.cjk_characters > 0)
            amount = plural(std::size_t(load.cjk_characters), "Chinese character", "Chinese characters") + " at "
                + std::to_string(lint_ms_per_cjk_character) + " ms";
        if (load.words > 0)
            amount += (amount.empty() ? "" : " and ") + plural(std::size_t(load.words), "word", "words") + " at "
                + std::to_string(lint_ms_per_word) + " ms";
        int const suggested_ms = (needed_ms + 499) / 500 * 500;
        add(i, "duration_ms",
            std::to_string(slide.duration_ms) + " ms is too short to read the " + primary + " text: " + amount
                + " need " + std::to_string(needed_ms) + " ms; make it at least " + std::to_string(suggested_ms));
    }

    content::Pack const& m_pack;
    text::FontSet& m_fonts;
    Findings& m_findings;
    std::vector<std::string> m_image_names;
};

// The screens to lay the slides out on: the display, turned as asked.
std::vector<render::ScreenSize> screens_for(render::ScreenSize display, Orientation orientation)
{
    render::ScreenSize const landscape { std::max(display.width_px, display.height_px),
        std::min(display.width_px, display.height_px) };
    render::ScreenSize const portrait { landscape.height_px, landscape.width_px };
    switch (orientation) {
    case Orientation::AsDisplay:
        return { display };
    case Orientation::Landscape:
        return { landscape };
    case Orientation::Portrait:
        return { portrait };
    case Orientation::Both:
        return { landscape, portrait };
    }
    return { display };
}

std::vector<fs::path> slide_files_in(fs::path const& source_dir)
{
    std::vector<fs::path> files;
    std::error_code ec;
    for (auto const& entry : fs::directory_iterator(source_dir / "slides", ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".toml")
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

LintReport lint_source(fs::path const& dir, LintOptions const& options, text::FontSet& fonts)
{
    render::ScreenSize const display = options.display.value_or(render::ScreenSize { 1920, 1080 });
    BuildOptions build;
    build.display_width_px = display.width_px;
    build.display_height_px = display.height_px;
    SourceResult source = read_source(dir, build);

    // Slides are numbered by their place among slides/*.toml, even those read_source could not read.
    std::vector<fs::path> const listed = slide_files_in(dir);
    auto number_of = [&](fs::path const& file) {
        auto const it = std::find(listed.begin(), listed.end(), file);
        return it == listed.end() ? 0 : int(it - listed.begin()) + 1;
    };

    LintReport report;
    report.slide_count = int(listed.size());
    std::set<std::pair<fs::path, std::string>> diagnosed;
    for (auto const& d : source.problems) {
        report.problems.push_back({ d.file, d.line, number_of(d.file), d.file.stem().string(), d.field, d.message });
        diagnosed.insert({ d.file, d.field });
    }

    Findings findings;
    if (!source.pack.meta.languages.empty()) {
        Linter linter(source.pack, fonts, findings);
        SourceLines lines(source.slide_files);
        std::vector<std::string> image_names;
        for (std::size_t i = 0; i < source.slide_files.size(); ++i)
            image_names.push_back(lines.string_at(i, "image"));
        linter.set_image_names(std::move(image_names));
        linter.check_translations();
        linter.check_glyphs();
        linter.check_layout(screens_for(display, options.orientation));
        for (auto const& finding : findings.all()) {
            auto const slide = std::size_t(finding.slide);
            fs::path const& file = lines.file(slide);
            // read_source's own message about a field says it first and best.
            if (diagnosed.contains({ file, finding.field }))
                continue;
            report.problems.push_back({ file, lines.line_of(slide, finding.field), number_of(file),
                source.pack.slides[slide].name, finding.field, finding.full_message() });
        }
    }
    std::stable_sort(report.problems.begin(), report.problems.end(),
        [](LintProblem const& a, LintProblem const& b) { return std::tie(a.file, a.line) < std::tie(b.file, b.line); });
    return report;
}

LintReport lint_pack(content::Pack const& pack, LintOptions const& options, text::FontSet& fonts)
{
    Findings findings;
    Linter linter(pack, fonts, findings);
    linter.check_translations();
    linter.check_glyphs();
    linter.check_layout(screens_for(
        options.display.value_or(render::ScreenSize { pack.meta.display_width_px, pack.meta.display_height_px }),
        options.orientation));
    LintReport report;
    report.slide_count = int(pack.slides.size());
    for (auto const& finding : findings.all()) {
        auto const& slide = pack.slides[std::size_t(finding.slide)];
        report.problems.push_back({ {}, 0, finding.slide + 1, slide.name, finding.field, finding.full_message() });
    }
    std::stable_sort(report.problems.begin(), report.problems.end(),
        [](LintProblem const& a, LintProblem const& b) { return a.slide < b.slide; });
    return report;
}

} // namespace

Result<LintReport> lint(fs::path const& input, LintOptions const& options, text::FontSet& fonts)
{
    std::error_code ec;
    if (fs::is_directory(input, ec))
        return lint_source(input, options, fonts);
    if (!fs::is_regular_file(input, ec))
        return make_error(input.string() + ": no such source folder or .kpack file");
    auto pack = content::read_pack(input, content::IntegrityCheck::Full);
    if (!pack)
        return make_error(pack.message());
    return lint_pack(*pack, options, fonts);
}

} // namespace kiosk::pack
