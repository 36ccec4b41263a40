#include "kiosk/render/SlideComposer.h"

#include "kiosk/content/Image.h"
#include "kiosk/text/TextRaster.h"
#include "platform/Log.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace kiosk::render {

namespace {

using text::Align;
using text::BoxStyle;
using text::Weight;

constexpr SDL_Color primary_text { 246, 248, 251, 255 };
constexpr SDL_Color secondary_text { 196, 208, 222, 255 };
constexpr SDL_Color caption_text { 160, 174, 192, 255 };
constexpr SDL_Color default_accent { 92, 170, 230, 255 };

SDL_Color parse_accent(std::string const& hex)
{
    if (hex.size() != 7 || hex[0] != '#')
        return default_accent;
    unsigned value = 0;
    if (std::sscanf(hex.c_str() + 1, "%6x", &value) != 1)
        return default_accent;
    SDL_Color c { Uint8(value >> 16), Uint8(value >> 8), Uint8(value), 255 };
    // Accents are drawn as text on dark backgrounds: lift dark ones so they keep contrast.
    int const luma = (c.r * 299 + c.g * 587 + c.b * 114) / 1000;
    if (luma < 120) {
        auto lift = [](Uint8 v) { return Uint8(v + (255 - v) * 45 / 100); };
        c = { lift(c.r), lift(c.g), lift(c.b), 255 };
    }
    return c;
}

SDL_Color darken(SDL_Color c, int percent_kept)
{
    return { Uint8(c.r * percent_kept / 100), Uint8(c.g * percent_kept / 100), Uint8(c.b * percent_kept / 100), 255 };
}

SurfacePtr make_surface(int w, int h)
{
    SurfacePtr surface(SDL_CreateRGBSurfaceWithFormat(0, std::max(1, w), std::max(1, h), 32, SDL_PIXELFORMAT_ARGB8888));
    if (!surface)
        log::error("render", std::string("cannot allocate a surface: ") + SDL_GetError());
    return surface;
}

// A w×h surface whose alpha ramps from `from` to `to` along x (horizontal) or y: stretched over a
// region it makes a smooth scrim that keeps text readable over any image.
enum class Axis {
    Horizontal,
    Vertical,
};
SurfacePtr gradient(SDL_Color colour, int from_alpha, int to_alpha, Axis axis)
{
    int const steps = 256;
    SurfacePtr surface = axis == Axis::Horizontal ? make_surface(steps, 1) : make_surface(1, steps);
    if (!surface)
        return surface;
    auto* pixels = static_cast<Uint32*>(surface->pixels);
    for (int i = 0; i < steps; ++i) {
        double const t = double(i) / (steps - 1);
        // Smoothstep: no visible band where the scrim ends.
        double const eased = t * t * (3 - 2 * t);
        int const alpha = int(std::lround(from_alpha + (to_alpha - from_alpha) * eased));
        Uint32 const pixel = SDL_MapRGBA(surface->format, colour.r, colour.g, colour.b, Uint8(alpha));
        if (axis == Axis::Horizontal)
            pixels[i] = pixel;
        else
            pixels[i * surface->pitch / 4] = pixel;
    }
    return surface;
}

SurfacePtr solid(SDL_Color colour)
{
    SurfacePtr surface = make_surface(1, 1);
    if (surface)
        *static_cast<Uint32*>(surface->pixels) = SDL_MapRGBA(surface->format, colour.r, colour.g, colour.b, colour.a);
    return surface;
}

enum class Anchor {
    Top,
    Center,
    Bottom,
};

class Builder {
public:
    Builder(text::FontSet& fonts, ScreenSize screen, PreparedSlide& slide)
        : m_fonts(fonts)
        , m_screen(screen)
        , m_slide(slide)
        , m_unit(std::min(screen.width_px, screen.height_px) / 1080.0)
    {
    }

    int px(double design_px) const { return std::max(1, int(std::lround(design_px * m_unit))); }
    double unit() const { return m_unit; }

    void add(SurfacePtr surface, SDL_Rect dst, std::string name, SDL_Rect src = { 0, 0, 0, 0 })
    {
        if (!surface)
            return;
        m_slide.layers.push_back({ std::move(surface), src, dst, std::move(name) });
    }

    // Adds an image scaled to cover `region` (cropped to its aspect, centred).
    bool add_image(content::Media const* media, SDL_Rect region)
    {
        if (!media)
            return false;
        auto image = content::decode_image(media->data, content::PackLimits::max_image_side_px);
        if (!image) {
            m_slide.problems.push_back("image " + std::to_string(media->id) + ": " + image.message());
            return false;
        }
        SurfacePtr surface = make_surface(image->width_px, image->height_px);
        if (!surface)
            return false;
        // RGBA bytes -> the surface's ARGB8888 words.
        SDL_ConvertPixels(image->width_px, image->height_px, SDL_PIXELFORMAT_RGBA32, image->rgba.data(),
            image->width_px * 4, SDL_PIXELFORMAT_ARGB8888, surface->pixels, surface->pitch);
        double const region_aspect = double(region.w) / region.h;
        double const image_aspect = double(image->width_px) / image->height_px;
        SDL_Rect src { 0, 0, image->width_px, image->height_px };
        if (image_aspect > region_aspect) {
            src.w = std::max(1, int(std::lround(image->height_px * region_aspect)));
            src.x = (image->width_px - src.w) / 2;
        } else {
            src.h = std::max(1, int(std::lround(image->width_px / region_aspect)));
            src.y = (image->height_px - src.h) / 2;
        }
        add(std::move(surface), region, "image", src);
        return true;
    }

    struct Item {
        std::string text;
        std::string lang;
        BoxStyle style;
        SDL_Color colour;
        int gap_before_px { 0 };
        std::string name;
        int max_width_px { 0 }; // narrower than the column when > 0 (long lines are hard to read)
    };

    // Lays out items top to bottom in a column. Each item's style.height_px caps its height; the
    // column then takes the items' real heights. Anchor::Top: the column starts at y; Bottom: its
    // last line ends at y; Center: it is centred on y. Returns the column's bottom edge.
    int add_column(std::vector<Item> items, int x, int y, int width, Anchor anchor)
    {
        struct Laid {
            text::TextBlock block;
            Item const* item;
        };
        std::vector<Laid> laid;
        int total = 0;
        for (auto& item : items) {
            if (item.text.empty())
                continue;
            item.style.width_px = item.max_width_px > 0 ? std::min(width, item.max_width_px) : width;
            text::TextBlock block = text::layout_text(m_fonts, item.text, item.lang, item.style);
            if (!block.fits)
                m_slide.problems.push_back(item.name + ": text does not fit its box even at the minimum size");
            else if (block.ellipsized)
                m_slide.problems.push_back(item.name + ": text is cut short with \"…\" even at the minimum size");
            total += (laid.empty() ? 0 : item.gap_before_px) + block.height_px;
            laid.push_back({ std::move(block), &item });
        }
        int cursor = anchor == Anchor::Bottom ? y - total : anchor == Anchor::Center ? y - total / 2 : y;
        bool first = true;
        for (auto const& [block, item] : laid) {
            if (!first)
                cursor += item->gap_before_px;
            first = false;
            text::Rgba const colour { item->colour.r, item->colour.g, item->colour.b, item->colour.a };
            SurfacePtr surface = text::rasterize(m_fonts, block, item->style, colour);
            if (surface) {
                SDL_Rect const dst { x, cursor, surface->w, surface->h }; // read before the move
                add(std::move(surface), dst, item->name);
            }
            cursor += block.height_px;
        }
        return cursor;
    }

    BoxStyle style(double preferred, double minimum, Weight weight, int height_px, int max_lines = 0,
        Align align = Align::Start) const
    {
        BoxStyle s;
        s.preferred_size_px = px(preferred);
        s.min_size_px = px(minimum);
        s.weight = weight;
        s.height_px = height_px;
        s.max_lines = max_lines;
        s.align = align;
        return s;
    }

private:
    text::FontSet& m_fonts;
    ScreenSize m_screen;
    PreparedSlide& m_slide;
    double m_unit;
};

// The title/body stack shared by hero, text and quote slides: primary language large, the other
// languages smaller beneath each part.
std::vector<Builder::Item> text_stack(Builder const& b, content::Slide const& slide, LanguageOrder const& languages,
    SDL_Color accent, int height_px, Align align, double scale = 1.0)
{
    std::vector<Builder::Item> items;
    std::string const& primary = languages.front();
    content::SlideText const& first = slide.text_in(primary);
    bool const dual = languages.size() > 1;
    auto h = [&](double fraction) { return int(height_px * fraction); };
    items.push_back({ first.kicker, primary, b.style(26 * scale, 20, Weight::Bold, h(0.08), 1, align), accent, 0,
        "kicker." + primary });
    items.push_back({ first.title, primary, b.style(62 * scale, 36, Weight::Bold, h(dual ? 0.26 : 0.34), 3, align),
        primary_text, b.px(14), "title." + primary });
    for (std::size_t i = 1; i < languages.size(); ++i) {
        items.push_back({ slide.text_in(languages[i]).title, languages[i],
            b.style(36 * scale, 24, Weight::Regular, h(0.14), 2, align), secondary_text, b.px(8),
            "title." + languages[i] });
    }
    items.push_back({ first.body, primary, b.style(31 * scale, 20, Weight::Regular, h(dual ? 0.30 : 0.45), 0, align),
        primary_text, b.px(30), "body." + primary });
    for (std::size_t i = 1; i < languages.size(); ++i) {
        items.push_back({ slide.text_in(languages[i]).body, languages[i],
            b.style(25 * scale, 18, Weight::Regular, h(0.24), 0, align), secondary_text, b.px(16),
            "body." + languages[i] });
    }
    items.push_back({ first.caption, primary, b.style(20, 16, Weight::Regular, h(0.07), 2, align), caption_text,
        b.px(26), "caption." + primary });
    return items;
}

} // namespace

PreparedSlide SlideComposer::compose(
    content::Pack const& pack, int index, LanguageOrder const& languages, ScreenSize screen)
{
    PreparedSlide out;
    out.index = index;
    out.width_px = screen.width_px;
    out.height_px = screen.height_px;
    if (index < 0 || index >= int(pack.slides.size()) || languages.empty())
        return out;
    content::Slide const& slide = pack.slides[std::size_t(index)];
    SDL_Color const accent = parse_accent(slide.accent);
    out.background = darken(parse_accent(slide.accent), 14);
    Builder b(m_fonts, screen, out);
    int const W = screen.width_px;
    int const H = screen.height_px;
    int const margin = b.px(screen.portrait() ? 72 : 96);
    int const dots_space = b.px(72); // the progress dots sit in the bottom band
    content::Media const* media = pack.media_for(slide);
    SDL_Color const shade { 6, 10, 18, 255 };

    switch (slide.layout) {
    case content::Layout::Hero: {
        if (!screen.portrait()) {
            b.add_image(media, { 0, 0, W, H });
            // Darken the left part where the text stands, and the bottom band of the dots.
            b.add(gradient(shade, 235, 0, Axis::Horizontal), { 0, 0, int(W * 0.68), H }, "scrim");
            b.add(gradient(shade, 0, 170, Axis::Vertical), { 0, H / 2, W, H - H / 2 }, "scrim");
            int const column_w = int(W * 0.47);
            b.add_column(text_stack(b, slide, languages, accent, H - 2 * margin, text::Align::Start), margin,
                H - margin - dots_space / 2, column_w, Anchor::Bottom);
        } else {
            int const image_h = int(H * 0.46);
            b.add_image(media, { 0, 0, W, image_h });
            b.add(gradient(out.background, 0, 255, Axis::Vertical), { 0, image_h / 2, W, image_h - image_h / 2 + 1 },
                "scrim");
            b.add_column(text_stack(b, slide, languages, accent, H - image_h - margin - dots_space, text::Align::Start),
                margin, image_h + b.px(24), W - 2 * margin, Anchor::Top);
        }
        break;
    }
    case content::Layout::Text: {
        if (!screen.portrait()) {
            int const image_x = W / 2;
            b.add_image(media, { image_x, 0, W - image_x, H });
            b.add(gradient(out.background, 255, 0, Axis::Horizontal), { image_x, 0, b.px(140), H }, "scrim");
            int const column_w = image_x - 2 * margin + b.px(40);
            int const column_h = H - 2 * margin - dots_space;
            b.add_column(text_stack(b, slide, languages, accent, column_h, text::Align::Start), margin,
                (H - dots_space / 2) / 2, column_w, Anchor::Center);
        } else {
            int const image_h = int(H * 0.38);
            b.add_image(media, { 0, 0, W, image_h });
            b.add(
                gradient(out.background, 0, 255, Axis::Vertical), { 0, image_h * 2 / 3, W, image_h / 3 + 1 }, "scrim");
            b.add_column(text_stack(b, slide, languages, accent, H - image_h - margin - dots_space, text::Align::Start),
                margin, image_h + b.px(32), W - 2 * margin, Anchor::Top);
        }
        break;
    }
    case content::Layout::Quote: {
        if (b.add_image(media, { 0, 0, W, H }))
            b.add(solid({ shade.r, shade.g, shade.b, 200 }), { 0, 0, W, H }, "scrim");
        int const column_w = screen.portrait() ? W - 2 * margin : int(W * 0.70);
        int const x = (W - column_w) / 2;
        std::string const& primary = languages.front();
        std::vector<Builder::Item> items;
        items.push_back({ slide.text_in(primary).title, primary,
            b.style(30, 22, text::Weight::Bold, b.px(90), 2, Align::Center), primary_text, 0, "title." + primary });
        for (std::size_t i = 1; i < languages.size(); ++i)
            items.push_back({ slide.text_in(languages[i]).title, languages[i],
                b.style(24, 18, text::Weight::Regular, b.px(70), 2, Align::Center), secondary_text, b.px(4),
                "title." + languages[i] });
        items.push_back({ "\u201C", "en", b.style(150, 150, text::Weight::Bold, b.px(200), 1, Align::Center), accent,
            b.px(36), "quote-mark" });
        items.push_back({ slide.text_in(primary).body, primary,
            b.style(44, 26, text::Weight::Regular, int(H * 0.34), 0, Align::Center), primary_text, 0,
            "body." + primary });
        for (std::size_t i = 1; i < languages.size(); ++i)
            items.push_back({ slide.text_in(languages[i]).body, languages[i],
                b.style(30, 20, text::Weight::Regular, int(H * 0.22), 0, Align::Center), secondary_text, b.px(28),
                "body." + languages[i] });
        for (std::size_t i = 0; i < languages.size(); ++i)
            items.push_back({ slide.text_in(languages[i]).caption, languages[i],
                b.style(i == 0 ? 26 : 22, 16, text::Weight::Bold, int(H * 0.08), 2, Align::Center),
                i == 0 ? accent : caption_text, b.px(i == 0 ? 36 : 8), "caption." + languages[i] });
        b.add_column(std::move(items), x, (H - dots_space) / 2, column_w, Anchor::Center);
        break;
    }
    case content::Layout::Stats: {
        if (b.add_image(media, { 0, 0, W, H }))
            b.add(solid({ shade.r, shade.g, shade.b, 215 }), { 0, 0, W, H }, "scrim");
        std::string const& primary = languages.front();
        content::SlideText const& first = slide.text_in(primary);
        std::vector<Builder::Item> head;
        head.push_back(
            { first.kicker, primary, b.style(26, 20, Weight::Bold, b.px(40), 1), accent, 0, "kicker." + primary });
        head.push_back({ first.title, primary, b.style(58, 34, Weight::Bold, int(H * 0.2), 2), primary_text, b.px(12),
            "title." + primary });
        for (std::size_t i = 1; i < languages.size(); ++i)
            head.push_back({ slide.text_in(languages[i]).title, languages[i],
                b.style(34, 22, Weight::Regular, int(H * 0.1), 2), secondary_text, b.px(8), "title." + languages[i] });
        // A short body under the title gives the numbers their context; one line per language.
        int const body_w = screen.portrait() ? 0 : int(W * 0.62);
        head.push_back({ first.body, primary, b.style(28, 20, Weight::Regular, int(H * 0.12), 3), primary_text,
            b.px(18), "body." + primary, body_w });
        for (std::size_t i = 1; i < languages.size(); ++i)
            head.push_back(
                { slide.text_in(languages[i]).body, languages[i], b.style(23, 17, Weight::Regular, int(H * 0.1), 3),
                    secondary_text, b.px(12), "body." + languages[i], body_w });
        int const head_bottom = b.add_column(std::move(head), margin, margin, W - 2 * margin, Anchor::Top);

        std::size_t const n = first.stats.size();
        int const columns = screen.portrait() ? std::min<int>(2, int(n)) : int(std::max<std::size_t>(1, n));
        int const rows = n == 0 ? 0 : (int(n) + columns - 1) / columns;
        int const grid_top = head_bottom + b.px(56);
        int const grid_bottom = H - margin - dots_space - b.px(first.caption.empty() ? 0 : 40);
        int const gap = b.px(48);
        int const cell_w = (W - 2 * margin - gap * (columns - 1)) / std::max(1, columns);
        // Rows no taller than their content needs (a number and three lines of labels), and the
        // grid centred in the space left: tall portrait screens otherwise open empty bands.
        int const room_h = rows == 0 ? 0 : (grid_bottom - grid_top - gap * (rows - 1)) / rows;
        int const cell_h = std::min(room_h, b.px(380));
        int const grid_offset = rows == 0 ? 0 : (grid_bottom - grid_top - (cell_h * rows + gap * (rows - 1))) / 2;
        for (std::size_t i = 0; i < n; ++i) {
            int const col = int(i) % columns;
            int const row = int(i) / columns;
            int const x = margin + col * (cell_w + gap);
            int const y = grid_top + grid_offset + row * (cell_h + gap);
            // An accent rule above each number groups it with its labels.
            b.add(solid(accent), { x, y, b.px(64), b.px(6) }, "rule");
            std::vector<Builder::Item> cell;
            cell.push_back({ first.stats[i].value, primary,
                b.style(screen.portrait() ? 104 : 112, 48, Weight::Bold, int(cell_h * 0.45), 1), accent, 0,
                "stat.value." + std::to_string(i + 1) });
            cell.push_back({ first.stats[i].label, primary, b.style(28, 18, Weight::Regular, int(cell_h * 0.3), 3),
                primary_text, b.px(6), "stat.label." + primary + "." + std::to_string(i + 1) });
            for (std::size_t l = 1; l < languages.size(); ++l) {
                auto const& other = slide.text_in(languages[l]).stats;
                if (i < other.size())
                    cell.push_back(
                        { other[i].label, languages[l], b.style(23, 16, Weight::Regular, int(cell_h * 0.2), 2),
                            secondary_text, b.px(8), "stat.label." + languages[l] + "." + std::to_string(i + 1) });
            }
            b.add_column(std::move(cell), x, y + b.px(24), cell_w, Anchor::Top);
        }
        if (!first.caption.empty())
            b.add_column({ { first.caption, primary, b.style(20, 16, Weight::Regular, b.px(60), 2), caption_text, 0,
                             "caption." + primary } },
                margin, H - margin - dots_space / 2, W - 2 * margin, Anchor::Bottom);
        break;
    }
    }
    for (auto const& problem : out.problems)
        log::warn("render", "slide " + std::to_string(index + 1) + " (" + slide.name + "): " + problem);
    return out;
}

PreparedSlide SlideComposer::compose_message(std::string const& title, std::string const& detail, ScreenSize screen)
{
    PreparedSlide out;
    out.width_px = screen.width_px;
    out.height_px = screen.height_px;
    out.background = { 22, 28, 38, 255 };
    Builder b(m_fonts, screen, out);
    int const margin = b.px(120);
    std::vector<Builder::Item> items;
    items.push_back({ title, "en", b.style(56, 30, Weight::Bold, screen.height_px / 4, 3), primary_text, 0, "title" });
    items.push_back({ detail, "en", b.style(28, 16, Weight::Regular, screen.height_px / 2, 0), secondary_text, b.px(28),
        "detail" });
    b.add_column(std::move(items), margin, margin, screen.width_px - 2 * margin, Anchor::Top);
    return out;
}

} // namespace kiosk::render
