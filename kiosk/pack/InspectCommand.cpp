// `kiosk-pack inspect`: what a pack holds, for an editor (text) or a script (--json), plus the
// signature lying beside it, shown but not verified (that is `kiosk-pack verify`'s job).

#include "kiosk/content/PackReader.h"
#include "kiosk/content/Text.h"
#include "kiosk/pack/Commands.h"
#include "kiosk/update/Minisign.h"
#include "platform/Log.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

namespace kiosk::pack {

namespace {

struct InspectArgs {
    std::string pack;
    bool json { false };
};

// A JSON string literal (RFC 8259). UTF-8 passes through unchanged; control characters are escaped;
// malformed UTF-8 (possible only in an unverified .minisig comment) becomes U+FFFD, so the output
// is always valid JSON.
std::string json_string(std::string_view text)
{
    std::string valid;
    if (!content::is_valid_utf8(text)) {
        for (char32_t cp : content::decode_utf8(text))
            content::append_utf8(valid, cp);
        text = valid;
    }
    std::string out = "\"";
    for (char const c : text) {
        auto const byte = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        default:
            if (byte < 0x20 || byte == 0x7f) {
                char escaped[8];
                std::snprintf(escaped, sizeof escaped, "\\u%04x", unsigned(byte));
                out += escaped;
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return out;
}

// Writes one JSON value with two-space indentation; keeps track of commas so callers cannot forget
// one. Misuse (a value without a key inside an object) is a programmer error.
class JsonWriter {
public:
    explicit JsonWriter(std::ostream& out)
        : m_out(out)
    {
    }

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }

    JsonWriter& key(std::string_view name)
    {
        separate();
        m_out << json_string(name) << ": ";
        m_after_key = true;
        return *this;
    }
    void value(std::string_view text) { scalar(json_string(text)); }
    void value(char const* text) { value(std::string_view(text)); }
    void value(std::int64_t number) { scalar(std::to_string(number)); }
    void value(bool flag) { scalar(flag ? "true" : "false"); }
    void null() { scalar("null"); }
    void finish() { m_out << '\n'; }

private:
    void separate()
    {
        if (m_after_key) {
            m_after_key = false;
            return;
        }
        if (!m_first.empty()) {
            m_out << (m_first.back() ? "\n" : ",\n") << std::string(m_first.size() * 2, ' ');
            m_first.back() = false;
        }
    }
    void scalar(std::string const& text)
    {
        separate();
        m_out << text;
    }
    void open(char bracket)
    {
        separate();
        m_out << bracket;
        m_first.push_back(true);
    }
    void close(char bracket)
    {
        bool const empty = m_first.back();
        m_first.pop_back();
        if (!empty)
            m_out << '\n' << std::string(m_first.size() * 2, ' ');
        m_out << bracket;
    }

    std::ostream& m_out;
    std::vector<bool> m_first; // per open bracket: nothing written inside it yet
    bool m_after_key { false };
};

struct PackStats {
    std::uint64_t media_bytes { 0 };
    std::uint64_t file_bytes { 0 };
};

// The .minisig beside the pack, read but not verified.
struct SignatureInfo {
    std::filesystem::path path;
    std::optional<update::Signature> signature;
    std::string error; // when the file exists but cannot be parsed
};

std::optional<SignatureInfo> signature_beside(std::filesystem::path const& pack)
{
    SignatureInfo info;
    info.path = pack.string() + ".minisig";
    std::error_code ec;
    if (!std::filesystem::exists(info.path, ec))
        return std::nullopt;
    auto signature = update::load_signature(info.path);
    if (signature)
        info.signature = std::move(signature).value();
    else
        info.error = signature.message();
    return info;
}

std::string seconds_text(int duration_ms)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", duration_ms / 1000.0);
    return text;
}

void print_text(content::Pack const& pack, std::filesystem::path const& path, PackStats const& stats,
    std::optional<SignatureInfo> const& signature)
{
    auto const& meta = pack.meta;
    std::ostream& out = std::cout;
    out << log::printable(path.string()) << '\n';
    out << "  pack_id:    " << log::printable(meta.pack_id) << '\n';
    out << "  version:    " << meta.version << '\n';
    out << "  target:     " << log::printable(meta.target) << '\n';
    out << "  languages:  ";
    for (std::size_t i = 0; i < meta.languages.size(); ++i)
        out << (i ? ", " : "") << log::printable(meta.languages[i]);
    out << " (default " << log::printable(meta.default_language) << ")\n";
    bool first_title = true;
    for (auto const& lang : meta.languages) {
        if (auto it = meta.title.find(lang); it != meta.title.end()) {
            out << (first_title ? "  title:      " : "              ") << log::printable(lang) << ": "
                << log::printable(it->second) << '\n';
            first_title = false;
        }
    }
    if (!meta.created.empty())
        out << "  created:    " << log::printable(meta.created) << '\n';
    out << "  display:    " << meta.display_width_px << 'x' << meta.display_height_px << '\n';
    out << "  media:      " << pack.media.size() << (pack.media.size() == 1 ? " image, " : " images, ")
        << stats.media_bytes << " bytes\n";
    out << "  file:       " << stats.file_bytes << " bytes\n";
    out << "  slides:     " << pack.slides.size() << '\n';
    std::vector<std::string> names;
    std::size_t name_width = 4;
    for (auto const& slide : pack.slides) {
        names.push_back(log::printable(slide.name));
        name_width = std::max(name_width, names.back().size());
    }
    for (std::size_t i = 0; i < pack.slides.size(); ++i) {
        auto const& slide = pack.slides[i];
        char head[64];
        std::snprintf(head, sizeof head, "    %3zu  ", i + 1);
        out << head << names[i] << std::string(name_width - names[i].size() + 2, ' ');
        std::string layout = content::layout_name(slide.layout);
        layout.resize(std::max<std::size_t>(layout.size(), 6), ' ');
        out << layout << "  " << seconds_text(slide.duration_ms) << '\n';
        for (auto const& lang : meta.languages) {
            if (auto it = slide.text.find(lang); it != slide.text.end())
                out << "         " << log::printable(lang) << ": " << log::printable(it->second.title) << '\n';
        }
    }
    if (!signature) {
        out << "  signature:  none (no " << path.filename().string() << ".minisig beside the pack)\n";
    } else if (!signature->signature) {
        out << "  signature:  " << log::printable(signature->path.string())
            << " cannot be read: " << log::printable(signature->error) << '\n';
    } else {
        out << "  signature:  " << log::printable(signature->path.string()) << ", key "
            << update::key_id_hex(signature->signature->key_id) << ", not verified (use kiosk-pack verify)\n";
        out << "              trusted comment: " << log::printable(signature->signature->trusted_comment) << '\n';
    }
}

void print_json(content::Pack const& pack, std::filesystem::path const& path, PackStats const& stats,
    std::optional<SignatureInfo> const& signature)
{
    auto const& meta = pack.meta;
    JsonWriter json(std::cout);
    json.begin_object();
    json.key("file").value(path.string());
    json.key("file_bytes").value(std::int64_t(stats.file_bytes));
    json.key("pack_id").value(meta.pack_id);
    json.key("version").value(meta.version);
    json.key("target").value(meta.target);
    json.key("languages").begin_array();
    for (auto const& lang : meta.languages)
        json.value(lang);
    json.end_array();
    json.key("default_language").value(meta.default_language);
    json.key("title").begin_object();
    for (auto const& lang : meta.languages) {
        if (auto it = meta.title.find(lang); it != meta.title.end())
            json.key(lang).value(it->second);
    }
    json.end_object();
    json.key("created").value(meta.created);
    json.key("display").begin_object();
    json.key("width_px").value(std::int64_t(meta.display_width_px));
    json.key("height_px").value(std::int64_t(meta.display_height_px));
    json.end_object();
    json.key("media").begin_object();
    json.key("count").value(std::int64_t(pack.media.size()));
    json.key("total_bytes").value(std::int64_t(stats.media_bytes));
    json.end_object();
    json.key("slides").begin_array();
    for (std::size_t i = 0; i < pack.slides.size(); ++i) {
        auto const& slide = pack.slides[i];
        json.begin_object();
        json.key("position").value(std::int64_t(i + 1));
        json.key("name").value(slide.name);
        json.key("layout").value(content::layout_name(slide.layout));
        json.key("category").value(slide.category);
        json.key("duration_ms").value(std::int64_t(slide.duration_ms));
        json.key("title").begin_object();
        for (auto const& lang : meta.languages) {
            if (auto it = slide.text.find(lang); it != slide.text.end())
                json.key(lang).value(it->second.title);
        }
        json.end_object();
        json.end_object();
    }
    json.end_array();
    json.key("signature");
    if (!signature) {
        json.null();
    } else {
        json.begin_object();
        json.key("file").value(signature->path.string());
        json.key("verified").value(false);
        if (signature->signature) {
            json.key("key_id").value(update::key_id_hex(signature->signature->key_id));
            json.key("trusted_comment").value(signature->signature->trusted_comment);
            json.key("untrusted_comment").value(signature->signature->untrusted_comment);
        } else {
            json.key("error").value(signature->error);
        }
        json.end_object();
    }
    json.end_object();
    json.finish();
}

int run_inspect(InspectArgs const& args)
{
    std::filesystem::path const path = args.pack;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        std::cerr << path.string() << ": no such pack file\n";
        return exit_input_error;
    }
    auto pack = content::read_pack(path, content::IntegrityCheck::Full);
    if (!pack) {
        std::cerr << "kiosk-pack inspect: " << log::printable(pack.message()) << '\n';
        return exit_input_error;
    }
    PackStats stats;
    stats.file_bytes = std::filesystem::file_size(path, ec);
    for (auto const& [id, media] : pack->media)
        stats.media_bytes += media.data.size();
    auto const signature = signature_beside(path);
    if (args.json)
        print_json(pack.value(), path, stats, signature);
    else
        print_text(pack.value(), path, stats, signature);
    return exit_ok;
}

} // namespace

void add_inspect_command(CLI::App& app, int& exit_code)
{
    auto args = std::make_shared<InspectArgs>();
    auto* cmd = app.add_subcommand("inspect",
        "Show what a pack holds: meta, languages, titles, slides, media, and the signature beside it "
        "(not verified; see verify)");
    cmd->add_option("pack", args->pack, "Pack file, e.g. lobby.kpack")->required();
    cmd->add_flag("--json", args->json, "Print one JSON object instead of text");
    cmd->callback([args, &exit_code] { exit_code = run_inspect(*args); });
}

} // namespace kiosk::pack
