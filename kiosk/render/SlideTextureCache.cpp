#include "kiosk/render/SlideTextureCache.h"

#include "platform/Log.h"

#include <algorithm>

namespace kiosk::render {

SlideTextureCache::SlideTextureCache(Uploader upload, ScreenSize screen, std::size_t budget_bytes)
    : m_upload(std::move(upload))
    , m_screen(screen)
    , m_budget_bytes(budget_bytes)
{
}

SDL_Texture* SlideTextureCache::find(SlideKey const& key)
{
    auto it = m_textures.find(key);
    if (it == m_textures.end())
        return nullptr;
    it->second.last_used = ++m_use_counter;
    return it->second.texture.get();
}

SDL_Texture* SlideTextureCache::upload(SlideKey const& key, PreparedSlide slide)
{
    TexturePtr texture = m_upload(slide);
    if (!texture) {
        ++m_stats.failed_uploads;
        Failed& failed = m_failed[key];
        if (++failed.attempts >= max_attempts) {
            // Give the slide back to the loader: the next pull asks for it afresh.
            log::warn("render",
                "slide " + std::to_string(key.index + 1) + ": upload failed " + std::to_string(failed.attempts)
                    + " times; preparing it again");
            m_failed.erase(key);
        } else {
            failed.slide = std::move(slide);
        }
        return nullptr;
    }
    m_failed.erase(key);
    ++m_stats.uploads;
    SDL_Texture* raw = texture.get();
    m_textures[key] = Entry { std::move(texture), ++m_use_counter };
    return raw;
}

SDL_Texture* SlideTextureCache::put(SlideKey const& key, PreparedSlide slide)
{
    return upload(key, std::move(slide));
}

int SlideTextureCache::pull(SlideLoader& loader, std::span<SlideKey const> wanted, int max_uploads)
{
    int uploaded = 0;
    for (auto const& key : wanted) {
        if (uploaded >= max_uploads)
            break;
        if (m_textures.contains(key))
            continue;
        if (auto failed = m_failed.find(key); failed != m_failed.end()) {
            ++uploaded; // an attempt counts against the bound whether or not it works
            upload(key, std::move(failed->second.slide));
            continue;
        }
        if (std::optional<PreparedSlide> prepared = loader.take(key)) {
            ++uploaded;
            upload(key, std::move(*prepared));
        }
    }
    return uploaded;
}

void SlideTextureCache::pin(std::span<SlideKey const> keys)
{
    m_pinned.assign(keys.begin(), keys.end());
}

void SlideTextureCache::evict()
{
    while (bytes() > m_budget_bytes) {
        auto victim = m_textures.end();
        for (auto it = m_textures.begin(); it != m_textures.end(); ++it) {
            if (std::find(m_pinned.begin(), m_pinned.end(), it->first) != m_pinned.end())
                continue;
            if (victim == m_textures.end() || it->second.last_used < victim->second.last_used)
                victim = it;
        }
        if (victim == m_textures.end())
            return; // everything left is on screen
        m_textures.erase(victim);
        ++m_stats.evictions;
    }
}

void SlideTextureCache::forget_before(std::uint64_t generation)
{
    std::erase_if(m_textures, [&](auto const& entry) { return entry.first.pack_generation < generation; });
    std::erase_if(m_failed, [&](auto const& entry) { return entry.first.pack_generation < generation; });
}

void SlideTextureCache::on_device_reset()
{
    ++m_stats.resets;
    m_textures.clear(); // slides waiting for a retry are CPU surfaces and stay valid
}

void SlideTextureCache::resize(ScreenSize screen, std::size_t budget_bytes)
{
    m_screen = screen;
    m_budget_bytes = budget_bytes;
    m_textures.clear();
    m_failed.clear();
}

} // namespace kiosk::render
