#pragma once

// ScriptRunner: replays a --script (Script.h) against the real display loop on virtual time. It
// drives the same loop as run_display_loop (events, iterate, next_deadline_ms, wait_until) through a
// VirtualWindow, whose wait_until jumps the clock to the loop's deadline: a still slide costs one
// jump, an animation 16 ms steps. Input steps inject SDL events stamped on the virtual clock.
// At the end it logs what the loop did ("script: drew N frames; V ms of virtual time in J sleeps
// (longest L ms); W ms of real time"), which tests read.

#include "kiosk/app/Config.h"
#include "kiosk/app/Script.h"

#include <vector>

namespace kiosk::app {

// Exit code 0, 1 when an `expect` failed, 2 when the script cannot run.
int run_script(Config const& config, std::vector<ScriptStep> const& steps);

} // namespace kiosk::app
