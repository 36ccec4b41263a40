#pragma once

// SlideStage: the slides on and around the screen, from the loader thread to the frame. Owns the
// SlideLoader (the worker that composes slides) and the SlideTextureCache (their textures). Each
// turn the loop asks it to prepare() the slides the view needs (current, incoming, both
// neighbours): it queues them on the loader and uploads what is finished, a bounded amount.
//
// The main thread never composes a pack slide during a transition: incoming_ready() says whether
// the incoming slide can be drawn, and the loop holds the transition (the outgoing slide stays)
// until it can. Only when there is nothing at all to show (the first frame, after a device reset)
// does draw() wait for the loader, up to first_frame_wait_ms, and then compose the slide itself.
// On virtual time (--script) the loader's work takes no time: the stage waits for it instead.
// Main thread only.

#include "kiosk/app/Screen.h"
#include "kiosk/render/SlideLoader.h"
#include "kiosk/render/SlideTextureCache.h"

#include <memory>

namespace kiosk::app {

// What the show draws from: the pack (null: the message screen), its generation, the language order.
struct SlideSource {
    std::shared_ptr<content::Pack const> pack;
    std::string problem; // the message screen's reasons
    std::uint64_t generation { 1 };
    render::LanguageOrder languages;
    render::SlideKey key(int index) const { return { generation, index, languages }; }
};

class SlideStage {
public:
    // Slides the cache keeps: current, incoming, both neighbours.
    static constexpr std::size_t texture_budget_slides = 4;
    static constexpr int max_uploads_per_turn = 2; // the slides on screen first, then a neighbour
    static constexpr int first_frame_wait_ms = 3'000;

    SlideStage(Screen& screen, text::FontSet& main_fonts, text::FontSet loader_fonts, bool virtual_time);

    void prepare(SlideSource const& source, show::ViewState const& view);
    // Whether view's incoming slide (if any) is uploaded.
    bool incoming_ready(SlideSource const& source, show::ViewState const& view);
    // Draws view and presents; false when the current slide is not available yet (try next turn).
    bool draw(SlideSource const& source, show::ViewState const& view, bool in_transition,
        render::Overlay const& overlay, std::optional<LanguageButton> const& button);

    void resize(render::ScreenSize logical);
    void on_device_reset() { m_textures->on_device_reset(); }
    void forget_before(std::uint64_t generation);
    render::SlideTextureCache const& textures() const { return *m_textures; }

private:
    SDL_Texture* current_texture(SlideSource const& source, int index, bool in_transition);
    bool wait_and_pull(render::SlideKey const& key, int timeout_ms);

    Screen& m_screen;
    text::FontSet& m_main_fonts; // the fallback compose on the main thread
    bool m_virtual_time;
    render::SlideLoader m_loader;
    std::unique_ptr<render::SlideTextureCache> m_textures;
};

} // namespace kiosk::app
