#pragma once

// Input scripts for `kiosk --script FILE`: a timed list of input events replayed against the real
// app on a virtual clock, so a run is deterministic and takes milliseconds, headless or windowed.
// Tests use it; so can a person reproducing a bug. One command per line, '#' starts a comment:
//
//   wait MS                       let MS milliseconds pass
//   tap X Y                       a finger touches and lifts at window pixel (X, Y) (80 ms)
//   drag X1 Y1 X2 Y2 MS           a finger moves from (X1, Y1) to (X2, Y2) in MS ms, then lifts
//   mousedrag X1 Y1 X2 Y2 MS      the same with the left mouse button
//   click X Y                     a left mouse click
//   longpress X Y MS              a finger touches (X, Y), stays MS ms, then lifts
//   key NAME                      a key press, SDL key names: Left, Right, Space, L, Escape
//   screenshot PATH               save what the panel shows now as PNG
//   expect slide N                fail (exit 1) unless slide N (1-based) is the one on screen
//   expect paused yes|no          fail unless the show is / is not paused
//   expect language CODE          fail unless CODE is the language in front
//   expect service yes|no         fail unless the service overlay is / is not open
//
// Coordinates are pixels of the window (the physical panel), so rotation mapping is exercised.

#include "platform/Result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace kiosk::app {

struct ScriptStep {
    enum class Kind {
        Wait,
        Tap,
        Drag,
        MouseDrag,
        Click,
        LongPress,
        Key,
        Screenshot,
        ExpectSlide,
        ExpectPaused,
        ExpectLanguage,
        ExpectService,
    };
    Kind kind { Kind::Wait };
    int line { 0 };
    double x1 { 0 }, y1 { 0 }, x2 { 0 }, y2 { 0 };
    int ms { 0 };
    int number { 0 };
    std::string text; // key name, path, language, yes/no
};

Result<std::vector<ScriptStep>> parse_script(std::string const& text, std::string const& file_name);
Result<std::vector<ScriptStep>> load_script(std::filesystem::path const& path);

} // namespace kiosk::app
