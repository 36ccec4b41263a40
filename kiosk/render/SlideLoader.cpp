#include "kiosk/render/SlideLoader.h"

#include "kiosk/render/SlideFlattener.h"
#include "platform/Log.h"

#include <algorithm>
#include <utility>

namespace kiosk::render {

SlideLoader::SlideLoader(text::FontSet fonts, ScreenSize screen)
    : m_fonts(std::move(fonts))
    , m_screen(screen)
    , m_thread([this] { run(); })
{
}

SlideLoader::~SlideLoader()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void SlideLoader::request(std::shared_ptr<content::Pack const> pack, SlideKey const& key)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_done.contains(key) || m_working_on == key)
            return;
        auto queued = std::find_if(m_jobs.begin(), m_jobs.end(), [&](Job const& job) { return job.key == key; });
        if (queued != m_jobs.end())
            m_jobs.erase(queued);
        m_jobs.push_front({ std::move(pack), key });
        // Bounded memory: slides far from the screen are not worth preparing any more.
        while (m_jobs.size() > 4)
            m_jobs.pop_back();
        while (m_done.size() > 4)
            m_done.erase(m_done.begin());
    }
    m_wake.notify_one();
}

std::optional<PreparedSlide> SlideLoader::take(SlideKey const& key)
{
    std::lock_guard lock(m_mutex);
    auto it = m_done.find(key);
    if (it == m_done.end())
        return std::nullopt;
    PreparedSlide slide = std::move(it->second);
    m_done.erase(it);
    return slide;
}

void SlideLoader::forget_before(std::uint64_t pack_generation)
{
    std::lock_guard lock(m_mutex);
    std::erase_if(m_jobs, [&](Job const& job) { return job.key.pack_generation < pack_generation; });
    std::erase_if(m_done, [&](auto const& entry) { return entry.first.pack_generation < pack_generation; });
}

bool SlideLoader::wait_for(SlideKey const& key, int timeout_ms)
{
    std::unique_lock lock(m_mutex);
    return m_finished.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
        return m_stopping || m_done.contains(key);
    }) && m_done.contains(key);
}

void SlideLoader::resize(ScreenSize screen)
{
    std::lock_guard lock(m_mutex);
    m_screen = screen;
    ++m_screen_epoch;
    m_jobs.clear();
    m_done.clear();
}

void SlideLoader::run()
{
    SlideComposer composer(m_fonts);
    // Each composed slide is flattened here, so that the main thread's upload is one copy and the
    // software renderer can blend crossfades itself (SlideFlattener.h). Made again after a resize.
    std::optional<SlideFlattener> flattener;
    bool flattener_failed = false;
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [&] { return m_stopping || !m_jobs.empty(); });
        if (m_stopping)
            return;
        Job job = std::move(m_jobs.front());
        m_jobs.pop_front();
        m_working_on = job.key;
        ScreenSize const screen = m_screen;
        std::uint64_t const epoch = m_screen_epoch;
        lock.unlock();
        PreparedSlide slide = composer.compose(*job.pack, job.key.index, job.key.languages, screen);
        if (!flattener || flattener->screen().width_px != screen.width_px
            || flattener->screen().height_px != screen.height_px) {
            flattener.reset();
            if (auto made = SlideFlattener::create(screen))
                flattener.emplace(std::move(made.value()));
            else if (!std::exchange(flattener_failed, true))
                log::warn("render", made.message() + "; slides are uploaded layer by layer");
        }
        if (flattener) {
            if (auto flat = flattener->flatten(slide); !flat)
                log::warn("render", flat.message() + "; uploaded layer by layer");
        }
        lock.lock();
        m_working_on.reset();
        if (epoch == m_screen_epoch)
            m_done[job.key] = std::move(slide);
        m_finished.notify_all();
    }
}

} // namespace kiosk::render
