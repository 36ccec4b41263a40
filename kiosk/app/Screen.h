#pragma once

// Screen: what the loop draws on, given the window. Owns the FrameRenderer, the upright target a
// rotated panel is drawn through, and the on-screen language button (its labels are textures made
// once per size), and draws the service panel on top when it is open. Knows the two coordinate spaces: physical (the
// panel, what the window renders to) and logical (the content, upright; swapped axes at 90° and 270°).
//
// draw() composes one frame from textures the caller already has (it never composes or uploads a
// slide) and presents it. Device reset and resize rebuild what depends on the renderer or the size.
// Main thread only. Errors (SDL failing to make a texture) are returned with SDL's message.

#include "kiosk/app/GestureToNavigator.h"
#include "kiosk/app/Window.h"
#include "kiosk/input/Rotation.h"
#include "kiosk/render/FrameRenderer.h"
#include "kiosk/text/FontSet.h"

#include <map>
#include <memory>
#include <vector>

namespace kiosk::app {

// The EN / 中文 button of toggle mode: the pack's languages, the one in front.
struct LanguageButton {
    std::vector<std::string> languages;
    std::string current;
};

class Screen {
public:
    Screen(Window& window, text::FontSet& fonts, input::Rotation rotation);

    // (Re)reads the output size and rebuilds what depends on it or on the renderer.
    Status rebuild();

    render::ScreenSize physical() const { return m_physical; }
    render::ScreenSize logical() const { return m_logical; }
    input::Rotation rotation() const { return m_rotation; }
    render::FrameRenderer& frame() { return *m_frame; }

    // The controls a tap can hit, for the input translator.
    OnScreenControls controls(int slide_count, bool language_button) const;
    // A text line as a texture (the update toast), sized for this screen.
    TexturePtr text_texture(std::string const& text, double size_at_1080p, int max_lines, double width_fraction);

    // Draws view from the given textures (null: not available) plus the overlay and the language
    // button, turns it onto the panel, and presents.
    void draw(show::ViewState const& view, SDL_Texture* current, SDL_Texture* next, render::Overlay const& overlay,
        std::optional<LanguageButton> const& button);
    // The service panel (ServiceOverlay, not owned), drawn centred over everything; null: none.
    void set_service_panel(SDL_Texture* panel) { m_service_panel = panel; }

private:
    SDL_Rect language_button_rect() const;
    SDL_Texture* language_label(std::string const& lang);
    void draw_language_button(LanguageButton const& button);

    Window& m_window;
    text::FontSet& m_fonts;
    input::Rotation m_rotation;
    render::ScreenSize m_physical;
    render::ScreenSize m_logical;
    std::unique_ptr<render::FrameRenderer> m_frame;
    TexturePtr m_logical_target; // only when rotated: frames are drawn upright here, then turned
    std::map<std::string, TexturePtr> m_language_labels;
    SDL_Texture* m_service_panel { nullptr };
};

} // namespace kiosk::app
