// `kiosk-pack render PACK -o DIR`: every slide as a PNG, drawn offscreen by the kiosk's own renderer
// (StillRenderer), plus a contact sheet of all of them, for a reviewer who never sees a display.

#include "kiosk/content/PackReader.h"
#include "kiosk/content/PixelSize.h"
#include "kiosk/pack/Commands.h"
#include "kiosk/pack/Fonts.h"
#include "kiosk/pack/Source.h"
#include "kiosk/render/StillRenderer.h"
#include "kiosk/text/TextRaster.h"
#include "platform/Files.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace kiosk::pack {

namespace {

namespace fs = std::filesystem;

struct RenderArgs {
    std::string input;
    std::string output;
    std::string lang { "both" };
    std::string size;
    int rotate { 0 };
    std::string mode { "dual" };
    std::string assets;
};

// The contact sheet's grid, in pixels of the sheet (docs/authoring.md): a header line, then the
// thumbnails in reading order, each with its label under it.
struct SheetGeometry {
    static constexpr int margin_px = 40;
    static constexpr int gap_px = 24;
    static constexpr int header_px = 64;
    static constexpr int label_px = 40;

    int columns { 1 };
    int rows { 1 };
    int thumb_w { 480 };
    int thumb_h { 270 };

    SheetGeometry(int cells, render::ScreenSize screen)
    {
        // Landscape slides four to a row at 480 px; portrait ones six to a row at 270 px: both make a
        // sheet about 2000 px wide, which any image viewer shows whole.
        bool const portrait = screen.portrait();
        thumb_w = portrait ? 270 : 480;
        thumb_h = int(std::lround(double(thumb_w) * screen.height_px / screen.width_px));
        columns = std::clamp(cells, 1, portrait ? 6 : 4);
        rows = std::max(1, (cells + columns - 1) / columns);
    }

    int width_px() const { return 2 * margin_px + columns * thumb_w + (columns - 1) * gap_px; }
    int height_px() const { return 2 * margin_px + header_px + rows * (thumb_h + label_px) + (rows - 1) * gap_px; }
    SDL_Rect cell(int index) const
    {
        int const col = index % columns;
        int const row = index / columns;
        return { margin_px + col * (thumb_w + gap_px), margin_px + header_px + row * (thumb_h + label_px + gap_px),
            thumb_w, thumb_h };
    }
};

struct Thumbnail {
    content::Image image;
    std::string label;
};

SurfacePtr surface_from(content::Image& image)
{
    SurfacePtr view(SDL_CreateRGBSurfaceWithFormatFrom(
        image.rgba.data(), image.width_px, image.height_px, 32, image.width_px * 4, SDL_PIXELFORMAT_RGBA32));
    return view;
}

// Lays out and draws one line of text with the kiosk's text module, left-aligned in `box`.
void draw_label(SDL_Surface* sheet, text::FontSet& fonts, std::string const& label, std::string const& lang,
    SDL_Rect box, int size_px, text::Weight weight, text::Rgba colour)
{
    text::BoxStyle style;
    style.width_px = box.w;
    style.height_px = box.h;
    style.preferred_size_px = size_px;
    style.min_size_px = std::max(8, size_px * 2 / 3);
    style.weight = weight;
    style.max_lines = 1;
    text::TextBlock const block = text::layout_text(fonts, label, lang, style);
    SurfacePtr surface = text::rasterize(fonts, block, style, colour);
    if (!surface)
        return;
    SDL_Rect dst { box.x, box.y + (box.h - surface->h) / 2, surface->w, surface->h };
    SDL_BlitSurface(surface.get(), nullptr, sheet, &dst);
}

Status write_contact_sheet(fs::path const& path, std::vector<Thumbnail>& thumbnails, render::ScreenSize screen,
    std::string const& header, std::string const& header_lang, text::FontSet& fonts)
{
    SheetGeometry const grid(int(thumbnails.size()), screen);
    SurfacePtr sheet(
        SDL_CreateRGBSurfaceWithFormat(0, grid.width_px(), grid.height_px(), 32, SDL_PIXELFORMAT_ARGB8888));
    if (!sheet)
        return make_error(std::string("cannot allocate the contact sheet: ") + SDL_GetError());
    SDL_FillRect(sheet.get(), nullptr, SDL_MapRGB(sheet->format, 22, 26, 34));
    draw_label(sheet.get(), fonts, header, header_lang,
        { SheetGeometry::margin_px, SheetGeometry::margin_px, grid.width_px() - 2 * SheetGeometry::margin_px,
            SheetGeometry::header_px - 16 },
        28, text::Weight::Bold, { 246, 248, 251, 255 });
    for (std::size_t i = 0; i < thumbnails.size(); ++i) {
        SDL_Rect cell = grid.cell(int(i));
        SurfacePtr thumb = surface_from(thumbnails[i].image);
        if (!thumb)
            return make_error(std::string("cannot draw a thumbnail: ") + SDL_GetError());
        SDL_BlitSurface(thumb.get(), nullptr, sheet.get(), &cell);
        draw_label(sheet.get(), fonts, thumbnails[i].label, "en",
            { cell.x, cell.y + grid.thumb_h, grid.thumb_w, SheetGeometry::label_px }, 18, text::Weight::Regular,
            { 196, 208, 222, 255 });
    }
    content::Image image;
    image.width_px = sheet->w;
    image.height_px = sheet->h;
    image.rgba.resize(std::size_t(image.width_px) * std::size_t(image.height_px) * 4);
    SDL_ConvertPixels(sheet->w, sheet->h, sheet->format->format, sheet->pixels, sheet->pitch, SDL_PIXELFORMAT_RGBA32,
        image.rgba.data(), image.width_px * 4);
    for (std::size_t i = 3; i < image.rgba.size(); i += 4)
        image.rgba[i] = 255;
    auto const png = content::encode_png(image);
    if (png.empty())
        return make_error(path.string() + ": PNG encoding failed");
    return files::write_file_atomic(path, png);
}

std::string two_digits(int n)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02d", n);
    return buffer;
}

Result<content::Pack> load(fs::path const& input, std::optional<render::ScreenSize> display)
{
    std::error_code ec;
    if (!fs::is_directory(input, ec))
        return content::read_pack(input);
    // A source folder renders as the pack `build` would make of it, so an editor can look before building.
    BuildOptions options;
    if (display) {
        options.display_width_px = display->width_px;
        options.display_height_px = display->height_px;
    }
    SourceResult source = read_source(input, options);
    if (!source.ok()) {
        std::string message;
        for (auto const& problem : source.problems)
            message += problem.to_string() + "\n";
        return make_error(message + std::to_string(source.problems.size())
            + " problem(s) in the source folder; fix them (kiosk-pack lint lists them all) and render again");
    }
    return std::move(source.pack);
}

int run_render(RenderArgs const& args)
{
    std::optional<render::ScreenSize> size;
    if (!args.size.empty()) {
        auto parsed = content::parse_pixel_size(args.size, "--size");
        if (!parsed) {
            std::cerr << "kiosk-pack render: " << parsed.message() << '\n';
            return exit_input_error;
        }
        size = render::ScreenSize { parsed->width_px, parsed->height_px };
    }
    auto pack = load(args.input, size);
    if (!pack) {
        std::cerr << "kiosk-pack render: " << pack.message() << '\n';
        return exit_input_error;
    }
    auto const& languages = pack->meta.languages;
    std::vector<std::string> fronts;
    if (args.lang == "both")
        fronts = languages;
    else if (std::find(languages.begin(), languages.end(), args.lang) != languages.end())
        fronts = { args.lang };
    if (fronts.empty() || pack->slides.empty()) {
        std::string available;
        for (auto const& lang : languages)
            available += (available.empty() ? "" : ", ") + lang;
        std::cerr << "kiosk-pack render: " << args.input << " has no slides in '" << args.lang
                  << "'; its languages are " << available << " (or use --lang both)\n";
        return exit_input_error;
    }
    render::ScreenSize screen
        = size.value_or(render::ScreenSize { pack->meta.display_width_px, pack->meta.display_height_px });
    // A display turned a quarter shows the portrait layout on the swapped logical size; the PNGs
    // are of the content, upright, as a visitor reads it.
    if (args.rotate == 90 || args.rotate == 270)
        screen = { screen.height_px, screen.width_px };

    auto fonts = open_fonts(args.assets);
    if (!fonts) {
        std::cerr << "kiosk-pack render: " << fonts.message() << '\n';
        return exit_input_error;
    }
    auto still = render::StillRenderer::create(fonts.value(), screen);
    if (!still) {
        std::cerr << "kiosk-pack render: " << still.message() << '\n';
        return exit_input_error;
    }
    fs::path const dir = args.output;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        std::cerr << "kiosk-pack render: cannot create " << dir.string() << ": " << ec.message() << '\n';
        return exit_input_error;
    }

    SheetGeometry const grid(int(pack->slides.size() * fronts.size()), screen);
    std::vector<Thumbnail> thumbnails;
    for (std::size_t i = 0; i < pack->slides.size(); ++i) {
        for (auto const& front : fronts) {
            // Dual mode (the app's default): the language in front large, the others smaller beneath.
            // Single: the one language, as in the app's toggle and alternate modes.
            render::LanguageOrder order { front };
            if (args.mode == "dual") {
                for (auto const& lang : languages) {
                    if (lang != front)
                        order.push_back(lang);
                }
            }
            if (auto drawn = still->draw(*pack, int(i), order); !drawn) {
                std::cerr << "kiosk-pack render: " << drawn.message() << '\n';
                return exit_input_error;
            }
            fs::path const out = dir / ("slide-" + two_digits(int(i) + 1) + "-" + front + ".png");
            if (auto saved = still->save_png(out); !saved) {
                std::cerr << "kiosk-pack render: " << saved.message() << '\n';
                return exit_input_error;
            }
            thumbnails.push_back({ content::resize_image(still->pixels(), grid.thumb_w, grid.thumb_h),
                std::to_string(i + 1) + "  " + pack->slides[i].name + "  (" + front + ")" });
        }
    }
    std::string const header = pack->title_in(pack->meta.default_language) + "  ·  " + pack->meta.pack_id + " v"
        + std::to_string(pack->meta.version) + "  ·  " + std::to_string(pack->slides.size()) + " slides at "
        + to_string(screen) + ", " + args.mode;
    if (auto sheet = write_contact_sheet(
            dir / "contact-sheet.png", thumbnails, screen, header, pack->meta.default_language, fonts.value());
        !sheet) {
        std::cerr << "kiosk-pack render: " << sheet.message() << '\n';
        return exit_input_error;
    }
    std::cout << "Rendered " << thumbnails.size() << " slide images (" << to_string(screen) << ") to " << dir.string()
              << "/slide-NN-<lang>.png and " << (dir / "contact-sheet.png").string() << '\n';
    return exit_ok;
}

} // namespace

void add_render_command(CLI::App& app, int& exit_code)
{
    auto args = std::make_shared<RenderArgs>();
    auto* cmd = app.add_subcommand("render",
        "Draw every slide as a PNG exactly as the kiosk shows it (offscreen), plus contact-sheet.png with all of "
        "them, for review without a display. Exit 0 ok, 2 input error");
    cmd->add_option("pack", args->input, "A .kpack, or a source folder (rendered as `build` would pack it)")
        ->required();
    cmd->add_option("-o,--output", args->output, "Folder for slide-NN-<lang>.png and contact-sheet.png")->required();
    cmd->add_option("--lang", args->lang,
           "The language in front: one of the pack's languages (en, zh), or 'both' for one image per language")
        ->capture_default_str();
    cmd->add_option("--size", args->size, "Display size, WIDTHxHEIGHT (default: the pack's display size)");
    cmd->add_option("--rotate", args->rotate,
           "Degrees the display is turned (as kiosk.toml's rotation): 90 or 270 draw the portrait layout, e.g. "
           "1080x1920, upright")
        ->check(CLI::IsMember({ 0, 90, 180, 270 }))
        ->capture_default_str();
    cmd->add_option("--mode", args->mode,
           "dual: every language on the slide, the one in front larger (the app's default); single: one language "
           "(the app's toggle and alternate modes)")
        ->check(CLI::IsMember({ "dual", "single" }))
        ->capture_default_str();
    cmd->add_option("--assets", args->assets, "Folder holding fonts/ (default: the installed or source assets)");
    cmd->callback([args, &exit_code] { exit_code = run_render(*args); });
}

} // namespace kiosk::pack
