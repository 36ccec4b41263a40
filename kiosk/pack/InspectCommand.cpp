// `kiosk-pack inspect`: what a pack holds, for an editor (text) or a script (--json), plus the
// signature lying beside it, shown but not verified (that is `kiosk-pack verify`'s job).

#include "kiosk/content/PackReader.h"
#include "kiosk/pack/Commands.h"
#include "kiosk/update/Minisign.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

namespace kiosk::pack {

namespace {

struct InspectArgs {
    std::string pack;
    bool json { false };
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
    out << path.string() << '\n';
    out << "  pack_id:    " << meta.pack_id << '\n';
    out << "  version:    " << meta.version << '\n';
    out << "  target:     " << meta.target << '\n';
    out << "  languages:  ";
    for (std::size_t i = 0; i < meta.languages.size(); ++i)
        out << (i ? ", " : "") << meta.languages[i];
    out << " (default " << meta.default_language << ")\n";
    bool first_title = true;
    for (auto const& lang : meta.languages) {
        if (auto it = meta.title.find(lang); it != meta.title.end()) {
            out << (first_title ? "  title:      " : "              ") << lang << ": " << it->second << '\n';
            first_title = false;
        }
    }
    if (!meta.created.empty())
        out << "  created:    " << meta.created << '\n';
    out << "  display:    " << meta.display_width_px << 'x' << meta.display_height_px << '\n';
    out << "  media:      " << pack.media.size() << (pack.media.size() == 1 ? " image, " : " images, ")
        << stats.media_bytes << " bytes\n";
    out << "  file:       " << stats.file_bytes << " bytes\n";
    out << "  slides:     " << pack.slides.size() << '\n';
    std::size_t name_width = 4;
    for (auto const& slide : pack.slides)
        name_width = std::max(name_width, slide.name.size());
    for (std::size_t i = 0; i < pack.slides.size(); ++i) {
        auto const& slide = pack.slides[i];
        char head[64];
        std::snprintf(head, sizeof head, "    %3zu  ", i + 1);
        out << head << slide.name << std::string(name_width - slide.name.size() + 2, ' ');
        std::string layout = content::layout_name(slide.layout);
        layout.resize(std::max<std::size_t>(layout.size(), 6), ' ');
        out << layout << "  " << seconds_text(slide.duration_ms) << '\n';
        for (auto const& lang : meta.languages) {
            if (auto it = slide.text.find(lang); it != slide.text.end())
                out << "         " << lang << ": " << it->second.title << '\n';
        }
    }
    if (!signature) {
        out << "  signature:  none (no " << path.filename().string() << ".minisig beside the pack)\n";
    } else if (!signature->signature) {
        out << "  signature:  " << signature->path.string() << " cannot be read: " << signature->error << '\n';
    } else {
        out << "  signature:  " << signature->path.string() << ", key "
            << update::key_id_hex(signature->signature->key_id) << ", not verified (use kiosk-pack verify)\n";
        out << "              trusted comment: " << signature->signature->trusted_comment << '\n';
    }
}

void print_json(content::Pack const& pack, std::filesystem::path const& path, PackStats const& stats,
    std::optional<SignatureInfo> const& signature)
{
    // ordered_json keeps the keys in the order written here, which is the order a person reads.
    using Json = nlohmann::ordered_json;
    auto const& meta = pack.meta;
    auto titles = [&](auto const& by_language, auto title_of) {
        Json out = Json::object();
        for (auto const& lang : meta.languages) {
            if (auto it = by_language.find(lang); it != by_language.end())
                out[lang] = title_of(it->second);
        }
        return out;
    };
    Json slides = Json::array();
    for (std::size_t i = 0; i < pack.slides.size(); ++i) {
        auto const& slide = pack.slides[i];
        slides.push_back({
            { "position", i + 1 },
            { "name", slide.name },
            { "layout", content::layout_name(slide.layout) },
            { "category", slide.category },
            { "duration_ms", slide.duration_ms },
            { "title", titles(slide.text, [](content::SlideText const& text) { return text.title; }) },
        });
    }
    Json signature_json = nullptr;
    if (signature) {
        signature_json = { { "file", signature->path.string() }, { "verified", false } };
        if (signature->signature) {
            signature_json["key_id"] = update::key_id_hex(signature->signature->key_id);
            signature_json["trusted_comment"] = signature->signature->trusted_comment;
            signature_json["untrusted_comment"] = signature->signature->untrusted_comment;
        } else {
            signature_json["error"] = signature->error;
        }
    }
    Json const json = {
        { "file", path.string() },
        { "file_bytes", stats.file_bytes },
        { "pack_id", meta.pack_id },
        { "version", meta.version },
        { "target", meta.target },
        { "languages", meta.languages },
        { "default_language", meta.default_language },
        { "title", titles(meta.title, [](std::string const& title) { return title; }) },
        { "created", meta.created },
        { "display", { { "width_px", meta.display_width_px }, { "height_px", meta.display_height_px } } },
        { "media", { { "count", pack.media.size() }, { "total_bytes", stats.media_bytes } } },
        { "slides", std::move(slides) },
        { "signature", std::move(signature_json) },
    };
    // Two-space indent, UTF-8 kept as is (not \u-escaped), control characters escaped. Only an
    // unverified .minisig comment can hold malformed UTF-8: `replace` writes U+FFFD for it, so the
    // output is always valid JSON.
    std::cout << json.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
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
        std::cerr << "kiosk-pack inspect: " << pack.message() << '\n';
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
