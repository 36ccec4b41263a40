#pragma once

// SlideLoader: a worker thread that composes slides (decodes images, lays out and rasterises text)
// ahead of time, so a transition never waits for a decode. The main thread asks for slides with
// request() and collects finished PreparedSlides with take(); it uploads them to textures itself.
// The worker has its own FontSet (SDL_ttf fonts are not thread-safe).
//
// Owns: the thread (joined in the destructor), a queue of requests and a map of results.

#include "kiosk/render/SlideComposer.h"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace kiosk::render {

struct SlideKey {
    std::uint64_t pack_generation { 0 };
    int index { -1 };
    LanguageOrder languages;
    auto operator<=>(SlideKey const&) const = default;
};

class SlideLoader {
public:
    // fonts: the worker's own FontSet, moved to it.
    SlideLoader(text::FontSet fonts, ScreenSize screen);
    ~SlideLoader();
    SlideLoader(SlideLoader const&) = delete;
    SlideLoader& operator=(SlideLoader const&) = delete;

    // Queues a slide unless it is queued or done already. Newest requests are served first.
    void request(std::shared_ptr<content::Pack const> pack, SlideKey const& key);
    // The finished slide for key, if ready (ownership passes to the caller).
    std::optional<PreparedSlide> take(SlideKey const& key);
    // Drops queued requests and results of older packs.
    void forget_before(std::uint64_t pack_generation);
    // Waits up to timeout_ms (real time) for key to be finished; true when it is ready to take.
    // For the first frame and after a device reset, when there is nothing else to show yet.
    bool wait_for(SlideKey const& key, int timeout_ms);
    // Composes at a new screen size from now on; drops every queued and finished slide (a slide
    // being composed at the old size is discarded when it finishes). Keeps the thread and fonts.
    void resize(ScreenSize screen);

private:
    void run();

    struct Job {
        std::shared_ptr<content::Pack const> pack;
        SlideKey key;
    };

    text::FontSet m_fonts;
    ScreenSize m_screen;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_finished;
    std::uint64_t m_screen_epoch { 0 }; // grows with each resize()
    std::deque<Job> m_jobs;
    std::optional<SlideKey> m_working_on;
    std::map<SlideKey, PreparedSlide> m_done;
    bool m_stopping { false };
    std::thread m_thread; // last: starts after every member it uses exists
};

} // namespace kiosk::render
