#pragma once

// SlideTextureCache: the slide textures of the display loop. Each slide is one screen-sized render
// target texture (FrameRenderer::upload), keyed like the loader's work (pack generation, index,
// language order). The cache
// - pulls finished slides from the SlideLoader and uploads at most `max_uploads` per call, the
//   slides the frame needs first, so one frame never uploads a whole pack;
// - keeps the textures within a byte budget, evicting the least recently used ones but never one
//   the current frame draws (`pin`);
// - never keeps a failed upload as an empty texture: the prepared slide is kept and the upload is
//   tried again on the next call, up to a few times, after which the slide is asked of the loader
//   afresh;
// - forgets every texture on a render device or render targets reset (SDL_RENDER_DEVICE_RESET,
//   SDL_RENDER_TARGETS_RESET: a target texture's pixels are lost), so they are prepared and
//   uploaded again.
// It never composes a slide itself: composing is the loader thread's job. Main thread only (SDL).

#include "kiosk/render/FrameRenderer.h"
#include "kiosk/render/SlideLoader.h"

#include <functional>
#include <map>
#include <memory>
#include <span>

namespace kiosk::render {

class SlideTextureCache {
public:
    // Turns a prepared slide into a texture; null when SDL fails. Tests inject faults here.
    using Uploader = std::function<TexturePtr(PreparedSlide const&)>;

    struct Stats {
        std::uint64_t uploads { 0 }; // successful uploads
        std::uint64_t failed_uploads { 0 };
        std::uint64_t evictions { 0 };
        std::uint64_t resets { 0 };
    };

    // budget_bytes: how much texture memory slides may hold (4 bytes per pixel). The textures the
    // current frame draws are kept even above it.
    SlideTextureCache(Uploader upload, ScreenSize screen, std::size_t budget_bytes);
    static std::size_t bytes_per_slide(ScreenSize screen)
    {
        return std::size_t(screen.width_px) * screen.height_px * 4;
    }

    // The texture for key, or null when it is not uploaded yet. Counts as a use for the LRU order.
    SDL_Texture* find(SlideKey const& key);
    bool contains(SlideKey const& key) const { return m_textures.contains(key); }

    // Uploads what the loader has finished of `wanted` (most important first) and retries failed
    // uploads, at most max_uploads in all. Returns how many textures were uploaded.
    int pull(SlideLoader& loader, std::span<SlideKey const> wanted, int max_uploads);
    // Uploads a slide composed elsewhere (the message screen); returns the texture or null.
    SDL_Texture* put(SlideKey const& key, PreparedSlide slide);

    // Marks the textures the next frame draws; eviction never frees them.
    void pin(std::span<SlideKey const> keys);
    // Frees least recently used textures until the cache is within its budget.
    void evict();
    // Drops every texture of a pack generation older than `generation`.
    void forget_before(std::uint64_t generation);
    // The renderer lost its textures' contents (device or targets reset): forget them all.
    void on_device_reset();
    // The screen size changed: every texture has the wrong size, and the budget is for the new one.
    void resize(ScreenSize screen, std::size_t budget_bytes);

    std::size_t count() const { return m_textures.size(); }
    std::size_t bytes() const { return m_textures.size() * bytes_per_slide(m_screen); }
    std::size_t budget_bytes() const { return m_budget_bytes; }
    bool waiting_for_retry(SlideKey const& key) const { return m_failed.contains(key); }
    Stats const& stats() const { return m_stats; }

private:
    struct Entry {
        TexturePtr texture;
        std::uint64_t last_used { 0 };
    };
    struct Failed {
        PreparedSlide slide;
        int attempts { 0 };
    };
    SDL_Texture* upload(SlideKey const& key, PreparedSlide slide);

    static constexpr int max_attempts = 3;
    Uploader m_upload;
    ScreenSize m_screen;
    std::size_t m_budget_bytes;
    std::map<SlideKey, Entry> m_textures;
    std::map<SlideKey, Failed> m_failed; // uploads to try again
    std::vector<SlideKey> m_pinned;
    std::uint64_t m_use_counter { 0 };
    Stats m_stats;
};

} // namespace kiosk::render
