#!/usr/bin/env bash
# Builds what planners download, from a clean checkout on Debian (installing what it needs),
# into dist/:
#   footprints-<version>-windows-x86_64.zip    portable footprints.exe (and footprints-cli.exe
#                                             for terminals), README, licences
#   footprints_<version>_amd64.deb             sudo apt install ./footprints_<version>_amd64.deb
#   footprints-<version>-linux-x86_64.tar.gz   the binary, desktop entry, icon, licences
# then checks them: scripts/test_windows.sh (the exe under Wine, beside the Linux build), and
# the .deb installed into an empty root and asked `footprints which "B15 2TT"`.
#
#   scripts/package.sh               # about 45 minutes cold on 2 cores (two LTO builds, Wine)
#   SKIP_TESTS=1 scripts/package.sh  # the packages only
#
# The data folder (../shared/data or $FOOTPRINTS_DATA) is embedded by the build, as always.
set -euo pipefail
cd "$(dirname "$0")/.."
here="$(pwd)"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)"
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$here/$target" ;; esac
dist="$here/dist"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT

need() { command -v "$1" > /dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2"; }; }
need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
need zip zip
need dpkg-deb dpkg
need desktop-file-validate desktop-file-utils
rustup target add x86_64-pc-windows-gnu > /dev/null

echo "== building (profile dist: LTO, stripped)"
start=$(date +%s)
cargo build --locked --profile dist
echo "linux build: $(( $(date +%s) - start )) s"
start=$(date +%s)
cargo build --locked --profile dist --target x86_64-pc-windows-gnu
echo "windows build: $(( $(date +%s) - start )) s"
# Stripped here as well: cargo's `strip` leaves the symbol table in these LTO builds (4 MB).
mkdir -p "$stage/bin"
linux_bin="$stage/bin/footprints"
windows_exe="$stage/bin/footprints.exe"
windows_cli="$stage/bin/footprints-cli.exe"
strip -o "$linux_bin" "$target/dist/footprints"
x86_64-w64-mingw32-strip -o "$windows_exe" "$target/x86_64-pc-windows-gnu/dist/footprints.exe"
x86_64-w64-mingw32-strip -o "$windows_cli" "$target/x86_64-pc-windows-gnu/dist/footprints-cli.exe"

# The licences every package carries: the program's, Ordnance Survey's for the OSTN15 grid
# built into it, the data's (from the data folder's own LICENCES and README), and a list of the
# crates compiled in with their licences.
licences="$stage/LICENCES"
mkdir -p "$licences/data"
cp LICENSE-MIT LICENSE-APACHE "$licences/"
data_dir="${FOOTPRINTS_DATA:-../shared/data}"
if [ -d "$data_dir/LICENCES" ]; then
  cp "$data_dir"/LICENCES/* "$licences/data/"
  cp "$data_dir/README.md" "$licences/data/DATA_README.md"
fi
cp assets/ostn15/OSTN15_license.txt "$licences/OSTN15_Ordnance_Survey.txt"
cargo tree --locked -e normal --prefix none --format '{p}: {l}' 2> /dev/null \
  | sed 's/ (\*)$//' | sort -u > "$licences/THIRD_PARTY_CRATES.txt"

mkdir -p "$dist"
rm -f "$dist"/footprints*

echo "== Windows zip"
win="$stage/footprints-$version-windows-x86_64"
mkdir -p "$win"
cp "$windows_exe" "$win/footprints.exe"
cp "$windows_cli" "$win/footprints-cli.exe"
cp README.md "$win/"
cp -r "$licences" "$win/"
(cd "$stage" && zip -qr9 "$dist/footprints-$version-windows-x86_64.zip" "$(basename "$win")")

echo "== Linux tarball"
tarball="$stage/footprints-$version-linux-x86_64"
mkdir -p "$tarball"
cp "$linux_bin" README.md assets/linux/footprints.desktop assets/linux/footprints-mime.xml "$tarball/"
cp assets/icon.png "$tarball/footprints.png"
cp -r "$licences" "$tarball/"
tar -C "$stage" -czf "$dist/footprints-$version-linux-x86_64.tar.gz" "$(basename "$tarball")"

echo "== Debian package"
desktop-file-validate assets/linux/footprints.desktop
root="$stage/deb"
install -Dm755 "$linux_bin" "$root/usr/bin/footprints"
install -Dm644 assets/linux/footprints.desktop "$root/usr/share/applications/footprints.desktop"
install -Dm644 assets/icon.png "$root/usr/share/icons/hicolor/256x256/apps/footprints.png"
install -Dm644 assets/linux/footprints-mime.xml "$root/usr/share/mime/packages/footprints.xml"
install -Dm644 README.md "$root/usr/share/doc/footprints/README.md"
cp -r "$licences" "$root/usr/share/doc/footprints/"
{
  echo "Footprints $version: MIT OR Apache-2.0 (LICENCES/LICENSE-MIT, LICENCES/LICENSE-APACHE)."
  echo "OSTN15: Copyright (c) 2016, Ordnance Survey and the Ministry of Defence; BSD licence"
  echo "(LICENCES/OSTN15_Ordnance_Survey.txt). Data: see LICENCES/data/DATA_README.md."
} > "$root/usr/share/doc/footprints/copyright"
mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<EOF
Package: footprints
Version: $version
Architecture: amd64
Maintainer: The Footprints developers <footprints@localhost>
Installed-Size: $(du -sk "$root/usr" | cut -f1)
Depends: libc6 (>= 2.31), libgcc-s1
Recommends: libvulkan1 | libgl1, libegl1, libx11-6, libxcursor1, libxi6, libxrandr2, libxkbcommon-x11-0, libwayland-client0, libwayland-cursor0, libwayland-egl1, xdg-desktop-portal-gtk | xdg-desktop-portal
Section: science
Priority: optional
Description: offline map of England's health and care footprints
 Footprints draws the NHS's planning footprints (STP 2016, ICB 2022 to 2026,
 sub-ICB locations, councils, regions) on a map without a network, shows each
 one's member organisations, lead and population, finds the footprint of a
 postcode, place or grid reference, redraws footprints from LSOA blocks, and
 exports maps and board packs (PNG, SVG, PDF). The command line (footprints
 which, info, compare, export, build) works without a display.
EOF
dpkg-deb --root-owner-group -Zxz --build "$root" "$dist/footprints_${version}_amd64.deb" > /dev/null

echo "== sizes"
ls -l "$linux_bin" "$windows_exe" "$dist"/footprints* | awk '{printf "%10.1f MB  %s\n", $5/1e6, $NF}'

[ -n "${SKIP_TESTS:-}" ] && exit 0

echo "== the .deb, installed into an empty root"
fresh="$stage/fresh-root"
mkdir -p "$fresh/var/lib/dpkg/info" "$fresh/var/lib/dpkg/updates"
touch "$fresh/var/lib/dpkg/status"
dpkg --root="$fresh" --force-depends --force-not-root --force-script-chrootless \
  --log=/dev/null -i "$dist/footprints_${version}_amd64.deb" > /dev/null
answer="$(env -i PATH="$fresh/usr/bin" HOME="$stage" footprints which "B15 2TT")"
echo "$answer"
echo "$answer" | grep -q "Birmingham and Solihull" || { echo "WRONG ANSWER from the installed .deb"; exit 1; }
for f in usr/bin/footprints usr/share/applications/footprints.desktop \
  usr/share/icons/hicolor/256x256/apps/footprints.png usr/share/mime/packages/footprints.xml; do
  [ -e "$fresh/$f" ] || { echo "MISSING from the .deb: /$f"; exit 1; }
done
echo "installed: $(dpkg --root="$fresh" -l footprints | tail -1 | awk '{print $1, $2, $3}')"

echo "== the Windows exe under Wine"
PROFILE=dist WINDOWS_EXE="$windows_exe" WINDOWS_CLI="$windows_cli" LINUX_BIN="$linux_bin" scripts/test_windows.sh
