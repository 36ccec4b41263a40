#pragma once

// RAII types for SDL2 and SDL2_ttf handles. One header per C library (STYLE.md).

#include "platform/Handles.h"
#include <SDL.h>
#include <SDL_ttf.h>

namespace kiosk {

using WindowPtr = Owned<SDL_Window, SDL_DestroyWindow>;
using RendererPtr = Owned<SDL_Renderer, SDL_DestroyRenderer>;
using TexturePtr = Owned<SDL_Texture, SDL_DestroyTexture>;
using SurfacePtr = Owned<SDL_Surface, SDL_FreeSurface>;
using FontPtr = Owned<TTF_Font, TTF_CloseFont>;

} // namespace kiosk
