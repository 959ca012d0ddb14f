#!/usr/bin/env bash
# Footprints' own memory: the resident memory of the real window under Xvfb beside an empty
# eframe window on the same renderer (examples/empty_window.rs), in one run — at start, after a
# postcode search, and after opening the ICB 2026 layer and the builder. Footprints' own share is
# the difference. Needs Xvfb, xdotool and Mesa's Vulkan drivers; builds the release binaries.
# RUNS=N repeats the measurement (typical of several runs: lavapipe's own memory varies);
# SEARCH_SCREENSHOT and SCREENSHOT name PNGs of the window after the search and with the builder.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin footprints --example empty_window
BIN="${CARGO_TARGET_DIR:-target}/release"
export DISPLAY=:93
Xvfb "$DISPLAY" -screen 0 1400x900x24 >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null' EXIT
sleep 1
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR" 2>/dev/null || true

rss_one() { awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
# The process that draws: the app itself, or the child it started on the next graphics backend
# when the first could not open the window (the larger of the two).
rss_mb() {
  local best; best=$(rss_one "$1")
  for child in $(pgrep -P "$1"); do
    local mb; mb=$(rss_one "$child")
    [ "$mb" -gt "$best" ] && best=$mb
  done
  echo "$best"
}
# Waits until the window named $1 is mapped (at most 60 s).
wait_window() {
  for _ in $(seq 120); do
    xdotool search --onlyvisible --name "$1" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "no window named $1" >&2
  return 1
}

for run in $(seq "${RUNS:-1}"); do
  "$BIN/examples/empty_window" >/dev/null 2>&1 &
  PID=$!
  wait_window "Empty window"
  sleep 5
  EMPTY=$(rss_mb $PID)
  kill $PID; wait $PID 2>/dev/null || true

  CONFIG=$(mktemp -d)
  FOOTPRINTS_CONFIG_DIR="$CONFIG" "$BIN/footprints" >/dev/null 2>&1 &
  PID=$!
  wait_window "Footprints"
  sleep 8
  START=$(rss_mb $PID)
  # A postcode typed into the search box, answered from the postcode table (with no window
  # manager the window is given the keyboard first).
  xdotool windowfocus --sync "$(xdotool search --onlyvisible --name Footprints | head -1)"
  xdotool mousemove 1112 10 click 1; sleep 0.5
  xdotool type --delay 30 "B15 2TT"; xdotool key Return
  sleep 5
  SEARCH=$(rss_mb $PID)
  [ -n "${SEARCH_SCREENSHOT:-}" ] && import -window root "$SEARCH_SCREENSHOT"
  # Layers, Add a built-in layer, ICBs of April 2026; then Build, Start from ICBs, April 2026.
  xdotool mousemove 100 12 click 1; sleep 1
  xdotool mousemove 144 107; sleep 1
  xdotool mousemove 500 107; sleep 0.5
  xdotool mousemove 605 107 click 1
  sleep 15
  ICB=$(rss_mb $PID)
  xdotool mousemove 146 12 click 1; sleep 1
  xdotool mousemove 215 52 click 1
  sleep 25
  BUILDER=$(rss_mb $PID)
  [ -n "${SCREENSHOT:-}" ] && import -window root "$SCREENSHOT"
  kill $PID; wait $PID 2>/dev/null || true
  rm -rf "$CONFIG"

  echo "run $run: empty eframe window $EMPTY MB; Footprints at start $START MB (own $((START - EMPTY)) MB), after a postcode search $SEARCH MB (own $((SEARCH - EMPTY)) MB), with ICB 2026 $ICB MB (own $((ICB - EMPTY)) MB), with the builder $BUILDER MB (own $((BUILDER - EMPTY)) MB)"
done
