#include "kiosk/text/FontSet.h"

#include "platform/Log.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <mutex>
#include <set>
#include <string>
#include <utility>

namespace kiosk::text {

namespace {

// SDL_ttf keeps one FreeType library for all fonts, and FreeType requires FT_New_Face/FT_Done_Face
// (inside TTF_OpenFont/TTF_CloseFont) on a shared library to be serialised; TTF_Init/TTF_Quit keep a
// plain, non-atomic reference count. The loader thread and the main thread each own a FontSet, so
// every open, close, init and quit goes through this one lock. Measuring and rendering with a font
// touch only that font and need no lock.
std::mutex& ttf_mutex()
{
    static std::mutex mutex;
    return mutex;
}

// The size each face is opened at; font() sets the size a caller asks for.
constexpr int initial_size_px = 16;

constexpr std::uint8_t latin_bit = 1;
constexpr std::uint8_t cjk_bit = 2;

char const* file_name(Script script, Weight weight)
{
    if (script == Script::Cjk)
        return weight == Weight::Bold ? "NotoSansSC-Bold.otf" : "NotoSansSC-Regular.otf";
    return weight == Weight::Bold ? "NotoSans-Bold.ttf" : "NotoSans-Regular.ttf";
}

// A code point that is never drawn needs no glyph: line and paragraph separators, tabs (layout turns
// them into spaces or breaks) and default-ignorables such as ZWJ, ZWSP, the soft hyphen and
// variation selectors.
bool needs_no_glyph(char32_t code_point)
{
    auto c = static_cast<UChar32>(code_point);
    return u_charType(c) == U_CONTROL_CHAR || code_point == 0x2028 || code_point == 0x2029
        || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

// Logs each uncovered code point once per process, whichever thread's FontSet meets it first: the
// same slide is laid out again at every size the fit tries and on both threads.
void report_missing(char32_t code_point)
{
    static std::mutex mutex;
    static std::set<char32_t> reported;
    std::lock_guard lock(mutex);
    if (!reported.insert(code_point).second)
        return;
    char hex[16];
    std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(code_point));
    log::warn("text", std::string("no font covers ") + hex + " (drawn as a replacement mark)");
}

} // namespace

Result<FontSet> FontSet::open(std::filesystem::path const& fonts_dir)
{
    FontSet set;
    set.m_dir = fonts_dir;
    {
        std::lock_guard lock(ttf_mutex());
        if (TTF_Init() != 0)
            return make_error(std::string("text: cannot initialise SDL_ttf: ") + TTF_GetError());
        set.m_ttf_initialised = true;
    }

    for (auto script : { Script::Latin, Script::Cjk }) {
        for (auto weight : { Weight::Regular, Weight::Bold }) {
            auto path = fonts_dir / file_name(script, weight);
            FontPtr font;
            {
                std::lock_guard lock(ttf_mutex());
                font.reset(TTF_OpenFont(path.c_str(), initial_size_px));
            }
            if (!font)
                return make_error(path.string() + ": cannot open font: " + TTF_GetError()
                    + " (the kiosk needs NotoSans-Regular.ttf, NotoSans-Bold.ttf, NotoSansSC-Regular.otf and "
                      "NotoSansSC-Bold.otf in this folder)");
            // A wrong file in the right place (e.g. the Latin and CJK files swapped, or an empty subset)
            // would otherwise show up as boxes on the wall; test a letter every subset must contain.
            std::array<char32_t, 4> const probes = script == Script::Latin
                ? std::array<char32_t, 4> { U'A', U'a', U'e', U'0' }
                : std::array<char32_t, 4> { U'中', U'的', U'国', U'，' };
            bool provides_any = false;
            for (char32_t probe : probes)
                provides_any = provides_any || TTF_GlyphIsProvided32(font.get(), probe) != 0;
            if (!provides_any)
                return make_error(path.string() + ": this font has none of the characters it is there for ("
                    + (script == Script::Latin ? "Latin letters" : "common Chinese characters")
                    + "); is it the right file?");
            // Light hinting snaps vertically only: advances then scale with the size, which keeps the
            // fit-to-box search monotonic and measures a subset exactly like the full font.
            TTF_SetFontHinting(font.get(), TTF_HINTING_LIGHT);
            set.face(script, weight) = Face { std::move(font), initial_size_px };
        }
    }

    // U+FFFD is the conventional "something is missing here"; a subset may well have dropped it.
    auto* latin = set.face(Script::Latin, Weight::Regular).font.get();
    auto* cjk = set.face(Script::Cjk, Weight::Regular).font.get();
    if (TTF_GlyphIsProvided32(latin, 0xFFFD)) {
        set.m_replacement_script = Script::Latin;
        set.m_replacement_utf8 = "\xEF\xBF\xBD";
    } else if (TTF_GlyphIsProvided32(cjk, 0xFFFD)) {
        set.m_replacement_script = Script::Cjk;
        set.m_replacement_utf8 = "\xEF\xBF\xBD";
    }
    return set;
}

FontSet::FontSet(FontSet&& other) noexcept
    : m_dir(std::move(other.m_dir))
    , m_coverage_cache(std::move(other.m_coverage_cache))
    , m_replacement_script(other.m_replacement_script)
    , m_replacement_utf8(other.m_replacement_utf8)
    , m_ttf_initialised(std::exchange(other.m_ttf_initialised, false))
{
    for (int s = 0; s < 2; ++s) {
        for (int w = 0; w < 2; ++w)
            m_faces[s][w] = std::exchange(other.m_faces[s][w], Face {});
    }
}

FontSet& FontSet::operator=(FontSet&& other) noexcept
{
    if (this != &other) {
        close_all();
        m_dir = std::move(other.m_dir);
        for (int s = 0; s < 2; ++s) {
            for (int w = 0; w < 2; ++w)
                m_faces[s][w] = std::exchange(other.m_faces[s][w], Face {});
        }
        m_coverage_cache = std::move(other.m_coverage_cache);
        m_replacement_script = other.m_replacement_script;
        m_replacement_utf8 = other.m_replacement_utf8;
        m_ttf_initialised = std::exchange(other.m_ttf_initialised, false);
    }
    return *this;
}

FontSet::~FontSet()
{
    close_all();
}

void FontSet::close_all() noexcept
{
    std::lock_guard lock(ttf_mutex());
    for (auto& by_weight : m_faces) {
        for (auto& each : by_weight)
            each = Face {};
    }
    if (m_ttf_initialised)
        TTF_Quit();
    m_ttf_initialised = false;
}

TTF_Font* FontSet::font(Script script, Weight weight, int size_px)
{
    if (script == Script::Missing)
        script = m_replacement_script;
    size_px = std::max(1, size_px);
    Face& chosen = face(script, weight);
    if (chosen.size_px != size_px) {
        // Sets FreeType's size and HarfBuzz's scale and empties the face's glyph cache; no file is
        // read. Cheap next to opening the face again (an OTF's CFF tables parsed afresh).
        if (TTF_SetFontSize(chosen.font.get(), size_px) == 0)
            chosen.size_px = size_px;
        else
            log::error("text",
                m_dir.string() + "/" + file_name(script, weight) + ": cannot set the size to " + std::to_string(size_px)
                    + " px: " + TTF_GetError() + "; drawing at " + std::to_string(chosen.size_px) + " px");
    }
    return chosen.font.get();
}

std::uint8_t FontSet::coverage(char32_t code_point, Weight weight)
{
    auto key = std::uint64_t { code_point } * 2 + (weight == Weight::Bold ? 1 : 0);
    if (auto it = m_coverage_cache.find(key); it != m_coverage_cache.end())
        return it->second;
    std::uint8_t bits = 0;
    // Coverage does not depend on the size: ask the faces as they are.
    if (TTF_GlyphIsProvided32(face(Script::Latin, weight).font.get(), code_point))
        bits |= latin_bit;
    if (TTF_GlyphIsProvided32(face(Script::Cjk, weight).font.get(), code_point))
        bits |= cjk_bit;
    m_coverage_cache.emplace(key, bits);
    return bits;
}

Script FontSet::script_of(char32_t code_point, Weight weight, Script preferred)
{
    if (needs_no_glyph(code_point))
        return Script::Latin;
    auto bits = coverage(code_point, weight);
    if (preferred == Script::Cjk && (bits & cjk_bit))
        return Script::Cjk;
    if (bits & latin_bit)
        return Script::Latin;
    if (bits & cjk_bit)
        return Script::Cjk;
    report_missing(code_point);
    return Script::Missing;
}

} // namespace kiosk::text
