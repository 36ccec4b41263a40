#pragma once

// TextCache: laid-out, rasterised text blocks, made once per key and kept, so that no frame lays out
// or rasterises text. The loader thread fills it for the next and previous slides (with its own
// FontSet) while the main thread reads what it needs and uploads the surfaces as textures.
//
// Owns: the cached blocks and their surfaces, shared with readers through shared_ptr, so an entry
// evicted (or the cache cleared) while the main thread still uploads it stays alive until released.
// Bounded by bytes (surface pixels plus text), least recently used evicted first; an entry larger than
// the whole budget is still returned, and kept only until the next insertion.
// Thread-safety: every member function may be called from any thread; one mutex guards the map and
// is never held while laying out or rasterising. Entries are immutable once inserted.
// Errors: an entry whose surface could not be allocated is returned with a null surface and not kept.

#include "kiosk/text/TextRaster.h"

#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace kiosk::text {

// Everything that identifies a block within one content pack. The text itself is not part of the key:
// clear() the cache when another pack becomes current.
struct TextKey {
    std::string slide_id;
    std::string lang; // "en", "zh"
    std::string box; // the layout's name for the box, e.g. "title", "body", "stat.2.label"
    int size_px { 0 }; // the box's preferred size
    int width_px { 0 };
    auto operator<=>(TextKey const&) const = default;
};

struct CachedText {
    TextBlock block;
    SurfacePtr surface; // ARGB8888, box width × block height; see rasterize()
};

class TextCache {
public:
    explicit TextCache(std::size_t max_bytes);

    // The block for key, or null; marks it recently used.
    std::shared_ptr<CachedText const> find(TextKey const& key);

    // The block for key, laid out and rasterised now with `fonts` (the calling thread's FontSet) if
    // it is not cached yet. If another thread inserted it meanwhile, that one is kept and returned.
    std::shared_ptr<CachedText const> get_or_make(
        TextKey const& key, FontSet& fonts, std::string_view utf8, BoxStyle const& box, Rgba colour);

    // Adds a block made elsewhere (replacing one with the same key) and returns it.
    std::shared_ptr<CachedText const> insert(TextKey key, CachedText text);

    void clear();
    std::size_t bytes() const;
    std::size_t size() const;

    // What an entry counts against the budget.
    static std::size_t cost_of(CachedText const& text);

private:
    struct Entry {
        std::shared_ptr<CachedText const> text;
        std::size_t bytes { 0 };
        std::list<TextKey>::iterator recency; // position in m_recency
    };

    void evict_locked(std::size_t keep_at_least);

    mutable std::mutex m_mutex;
    std::size_t m_max_bytes;
    std::size_t m_bytes { 0 };
    std::map<TextKey, Entry> m_entries;
    std::list<TextKey> m_recency; // most recently used first
};

} // namespace kiosk::text
