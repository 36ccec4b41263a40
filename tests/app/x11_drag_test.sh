#!/usr/bin/env bash
# Drives the real kiosk window under Xvfb with xdotool mouse drags, as a person with a mouse would:
# dragging to the right must bring the previous slide (the last one, 17/17), which auto-rotation
# never shows first. Usage: x11_drag_test.sh KIOSK_BINARY
set -euo pipefail
kiosk=$1
for tool in Xvfb xdotool; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed (make test installs it)"; exit 77; }
done
work=$(mktemp -d)
display_number=$(( 90 + RANDOM % 400 ))
cleanup() {
  [ -n "${kiosk_pid:-}" ] && kill "$kiosk_pid" 2>/dev/null || true
  [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
Xvfb ":$display_number" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -S "/tmp/.X11-unix/X$display_number" ] && break; sleep 0.1; done
export DISPLAY=":$display_number"
unset WAYLAND_DISPLAY
# Hermetic: its own empty config and data folder, no updates (never /etc/kiosk or /var/lib/kiosk).
: >"$work/empty.toml"
"$kiosk" --config "$work/empty.toml" --data-dir "$work/data" --no-updates --windowed 960x540 --run-for 120000 -v \
  >"$work/kiosk.log" 2>&1 &
kiosk_pid=$!
window=$(timeout 60 xdotool search --sync --onlyvisible --name '^Kiosk$' | head -n 1)
# Waits (generously: ASan builds are slow) until the log shows $1; fails the test if it never does.
wait_for_log() {
  for _ in $(seq 600); do grep -q "$1" "$work/kiosk.log" && return 0; sleep 0.1; done
  cat "$work/kiosk.log"; echo "FAIL: no '$1' in the log within 60 s"; exit 1
}
wait_for_log "slide 1/17" # the first frame is on screen
# A drag from left to right across half the window, in small steps like a hand. The first frame
# can come before the X server delivers pointer events to the new window, so drag again until
# the app reports that it saw the drag (at most 20 times).
drag() {
  xdotool mousemove --window "$window" 200 270 mousedown 1
  for x in $(seq 220 20 700); do xdotool mousemove --window "$window" "$x" 272; sleep 0.01; done
  xdotool mouseup 1
}
for _ in $(seq 20); do
  drag
  for _ in $(seq 20); do grep -q "first moved frame" "$work/kiosk.log" && break 2; sleep 0.1; done
done
wait_for_log "slide 17/17"
xdotool key Escape || true
wait "$kiosk_pid" || true
kiosk_pid=
cat "$work/kiosk.log"
grep -q "slide 17/17" "$work/kiosk.log" || { echo "FAIL: the drag did not bring the previous slide"; exit 1; }
grep -q "first moved frame" "$work/kiosk.log" || { echo "FAIL: no moved frame was drawn during the drag"; exit 1; }
echo "PASS: mouse drag under Xvfb paged to the previous slide"
