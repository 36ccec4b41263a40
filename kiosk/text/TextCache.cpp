#include "kiosk/text/TextCache.h"

namespace kiosk::text {

TextCache::TextCache(std::size_t max_bytes)
    : m_max_bytes(max_bytes)
{
}

std::size_t TextCache::cost_of(CachedText const& text)
{
    std::size_t bytes = sizeof(CachedText);
    if (text.surface)
        bytes += static_cast<std::size_t>(text.surface->pitch) * static_cast<std::size_t>(text.surface->h);
    for (auto const& line : text.block.lines) {
        bytes += sizeof(Line) + line.utf8.size();
        for (auto const& run : line.runs)
            bytes += sizeof(Run) + run.utf8.size();
    }
    return bytes;
}

std::shared_ptr<CachedText const> TextCache::find(TextKey const& key)
{
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(key);
    if (it == m_entries.end())
        return nullptr;
    m_recency.splice(m_recency.begin(), m_recency, it->second.recency);
    return it->second.text;
}

std::shared_ptr<CachedText const> TextCache::get_or_make(
    TextKey const& key, FontSet& fonts, std::string_view utf8, BoxStyle const& box, Rgba colour)
{
    if (auto cached = find(key))
        return cached;
    // Made without the lock: a layout with its fit search and the rasterising take milliseconds, and
    // the main thread must not wait for the loader's work.
    CachedText made;
    made.block = layout_text(fonts, utf8, key.lang, box);
    made.surface = rasterize(fonts, made.block, box, colour);
    if (!made.surface)
        return std::make_shared<CachedText const>(std::move(made));

    std::lock_guard lock(m_mutex);
    if (auto it = m_entries.find(key); it != m_entries.end()) {
        m_recency.splice(m_recency.begin(), m_recency, it->second.recency);
        return it->second.text;
    }
    auto bytes = cost_of(made);
    auto text = std::make_shared<CachedText const>(std::move(made));
    m_recency.push_front(key);
    m_entries.emplace(key, Entry { text, bytes, m_recency.begin() });
    m_bytes += bytes;
    evict_locked(1);
    return text;
}

std::shared_ptr<CachedText const> TextCache::insert(TextKey key, CachedText made)
{
    auto bytes = cost_of(made);
    auto text = std::make_shared<CachedText const>(std::move(made));
    std::lock_guard lock(m_mutex);
    if (auto it = m_entries.find(key); it != m_entries.end()) {
        m_bytes -= it->second.bytes;
        m_recency.erase(it->second.recency);
        m_entries.erase(it);
    }
    m_recency.push_front(key);
    m_entries.emplace(std::move(key), Entry { text, bytes, m_recency.begin() });
    m_bytes += bytes;
    evict_locked(1);
    return text;
}

void TextCache::evict_locked(std::size_t keep_at_least)
{
    while (m_bytes > m_max_bytes && m_entries.size() > keep_at_least) {
        auto it = m_entries.find(m_recency.back());
        m_bytes -= it->second.bytes;
        m_entries.erase(it);
        m_recency.pop_back();
    }
}

void TextCache::clear()
{
    std::lock_guard lock(m_mutex);
    m_entries.clear();
    m_recency.clear();
    m_bytes = 0;
}

std::size_t TextCache::bytes() const
{
    std::lock_guard lock(m_mutex);
    return m_bytes;
}

std::size_t TextCache::size() const
{
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

} // namespace kiosk::text
