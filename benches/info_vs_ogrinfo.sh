#!/usr/bin/env bash
# Benchmark: `footprints info` against GDAL's `ogrinfo -ro -al -so` on the same boundary files,
# side by side in one run, best of three runs each (the file is in the page cache for both).
# Then `footprints bench` on the largest file: load stages, frame CPU times and peak memory.
#
#   benches/info_vs_ogrinfo.sh [FILE...]   # needs: cargo, gdal-bin (ogrinfo), GNU time
#
# Default files: every GeoJSON in ../shared/data/perf (or $FOOTPRINTS_DATA/perf).
set -euo pipefail
cd "$(dirname "$0")/.."
data="${FOOTPRINTS_DATA:-../shared/data}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ $# -eq 0 ]; then
  set -- "$data"/perf/*.geojson
fi
cargo build --release --quiet

best_of_three() { # label, command... → "seconds kb" of the fastest run
  local label=$1; shift
  local best=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/$label.out" 2> "$work/$label.err"
    read -r seconds kb < "$work/time"
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $seconds < ${best%% *} else 1)"; then
      best="$seconds $kb"
    fi
  done
  echo "$best"
}

printf '%-42s %10s %10s %8s %10s %10s\n' file footprints ogrinfo ratio "ours MB" "GDAL MB"
for file in "$@"; do
  read -r our_s our_kb <<< "$(best_of_three ours ./target/release/footprints info "$file")"
  read -r gdal_s gdal_kb <<< "$(best_of_three gdal ogrinfo -ro -al -so "$file")"
  python3 - "$(basename "$file")" "$our_s" "$our_kb" "$gdal_s" "$gdal_kb" <<'PY'
import sys
name, our_s, our_kb, gdal_s, gdal_kb = sys.argv[1], *map(float, sys.argv[2:])
print(f"{name:42s} {our_s:9.2f}s {gdal_s:9.2f}s {our_s / gdal_s:8.2f} {our_kb / 1024:10.0f} {gdal_kb / 1024:10.0f}")
PY
done
echo "(target: footprints info takes at most 0.50 of ogrinfo's time; aim 0.20)"

largest=$(ls -S "$@" | head -n 1)
echo
echo "footprints bench $largest"
./target/release/footprints bench "$largest"
