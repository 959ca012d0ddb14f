#!/usr/bin/env bash
# The Windows build, checked under Wine on Debian: the command-line tools answer exactly as the
# Linux build does, and the window opens and draws the map with no graphics backend named.
#
#   scripts/test_windows.sh        # installs what it needs (apt, rustup); about 20 minutes cold
#   PROFILE=dist scripts/test_windows.sh   # the builds scripts/package.sh ships (it runs this)
#
# Wine 8 lacks bcryptprimitives.dll (ProcessPrng), which Windows 10 has: a stand-in built from
# scripts/wine/ goes beside the exe in the test folder only.
set -euo pipefail
cd "$(dirname "$0")/.."
here="$(pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"; [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true' EXIT

need() { command -v "$1" > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"; }; }
need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
need wine wine
need Xvfb xvfb
need import imagemagick
rustup target add x86_64-pc-windows-gnu > /dev/null

profile="${PROFILE:-release}"
cargo build --locked --quiet --profile "$profile"
cargo build --locked --quiet --profile "$profile" --target x86_64-pc-windows-gnu
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$here/$target" ;; esac
# The builds to compare (scripts/package.sh passes the stripped copies it ships).
cp "${WINDOWS_EXE:-$target/x86_64-pc-windows-gnu/$profile/footprints.exe}" "$work/footprints.exe"
cp "${WINDOWS_CLI:-$target/x86_64-pc-windows-gnu/$profile/footprints-cli.exe}" "$work/footprints-cli.exe"
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" \
  scripts/wine/bcryptprimitives.c scripts/wine/bcryptprimitives.def -ladvapi32

export WINEPREFIX="$work/prefix" WINEDEBUG=-all
Xvfb :97 -screen 0 1600x1000x24 > /dev/null 2>&1 &
xvfb=$!
export DISPLAY=:97
wineboot -i > /dev/null 2>&1 || true

linux="${LINUX_BIN:-$target/$profile/footprints}"
# Files are named relative to the work folder, so that both builds print the same path.
cp tests/fixtures/flat_and_square.geojson "$work/"
failed=0
same() { # the Windows exe, a label, then the arguments: its answer must equal the Linux one
  local exe=$1 label=$2; shift 2
  (cd "$work" && wine "$exe" "$@" > "$work/win.out" 2> "$work/win.err") || true
  (cd "$work" && "$linux" "$@" > "$work/linux.out" 2> /dev/null) || true
  tr -d '\r' < "$work/win.out" > "$work/win.txt"
  if cmp -s "$work/win.txt" "$work/linux.out"; then
    echo "same: $label"
  else
    echo "DIFFERENT: $label"; diff "$work/linux.out" "$work/win.txt" | head -5; failed=1
  fi
}
same footprints.exe "which" which "B15 2TT" "SP 06 86" "52.48, -1.89"
same footprints.exe "info --json" info --json flat_and_square.geojson
same footprints.exe "compare --json" compare --json stp2016 icb2022
# The terminal's command line (a console program that runs footprints.exe and waits for it).
same footprints-cli.exe "footprints-cli.exe which" which "B15 2TT" "SP 06 86" "52.48, -1.89"
same footprints-cli.exe "footprints-cli.exe info --json" info --json flat_and_square.geojson

(cd "$work" && wine footprints.exe export --out map.png --force > /dev/null 2>&1) || true
"$linux" export --out "$work/linux.png" --force > /dev/null 2>&1
if cmp -s "$work/map.png" "$work/linux.png"; then echo "same: export --out map.png";
else echo "DIFFERENT: export --out map.png"; failed=1; fi

# The window, with no backend named: DX12 fails under Wine and the next one must draw.
(cd "$work" && RUST_LOG=footprints=info timeout 60 wine footprints.exe > "$work/gui.log" 2>&1) &
sleep 30
import -window root "$work/window.png"
cp "$work/window.png" "${WINDOW_SCREENSHOT:-/tmp/footprints_windows.png}"
if grep -q "drawing with" "$work/gui.log" && grep -q "first frame" "$work/gui.log"; then
  grep -E "could not be opened|drawing with|first frame" "$work/gui.log" | sed 's/^/window: /'
else
  echo "THE WINDOW DID NOT DRAW:"; tail -5 "$work/gui.log"; failed=1
fi
echo "screenshot: ${WINDOW_SCREENSHOT:-/tmp/footprints_windows.png}"
exit "$failed"
