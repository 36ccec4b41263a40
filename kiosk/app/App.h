#pragma once

// App: wires the modules and owns the loop (SDL3's init / event / iterate / quit shape on SDL2).
// Renders on change: while a slide stands still the loop sleeps in SDL_WaitEventTimeout until the
// next deadline; transitions are paced by vsync. Never shows a black screen: without a usable pack
// it shows the built-in pack, and without that a screen saying what is wrong.

#include "kiosk/app/Config.h"
#include "kiosk/content/Pack.h"
#include "kiosk/render/FrameRenderer.h"
#include "kiosk/render/SlideLoader.h"
#include "kiosk/show/Navigator.h"
#include "kiosk/update/Store.h"
#include "platform/Clock.h"

#include <map>
#include <memory>

namespace kiosk::app {

// The pack on screen and where it came from.
struct LoadedContent {
    std::shared_ptr<content::Pack const> pack; // null: nothing usable, show `problem`
    std::filesystem::path source;
    std::string problem; // why an earlier choice was skipped (shown in the log; on screen if no pack)
};

// Tries the configured pack, then the built-in one. Each failure is logged with its reason.
LoadedContent load_content(Config const& config);

// What the interactive display shows at start (docs/architecture.md, the fallback chain): an
// explicit --pack wins (testing a pack by hand); else the store's choice, which already applied
// rollback and damage checks; else the built-in pack; else a message screen.
struct BootContent {
    LoadedContent content;
    std::optional<update::Store> store; // open when updates are on and the data directory opened
    bool from_store { false }; // content is the store's pack (its health is reported)
};
BootContent choose_content_at_boot(Config const& config);

// The language in front at start and after the idle timeout: --lang / config, else the pack's default.
std::string starting_language(Config const& config, content::Pack const* pack);

// The language mode in force: the pack's own when it sets one, else the display's configuration.
LanguageMode effective_language_mode(Config const& config, content::Pack const* pack);

// Which languages a slide shows, most prominent first: all of the pack's in dual mode, else one.
render::LanguageOrder language_order(content::Pack const* pack, LanguageMode mode, std::string const& primary);

class App {
public:
    // Headless rendering: --screenshot or --preview-dir. Returns the process exit code.
    static int render_headless(Config const& config);
    // The interactive display. Returns the process exit code.
    static int run_display(Config const& config, Clock& clock);
    // --script FILE: replays input on a virtual clock (headless or windowed).
    static int run_script(Config const& config);
};

} // namespace kiosk::app
