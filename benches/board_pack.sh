#!/usr/bin/env bash
# Benchmark: the board pack (`footprints export --pack`) for the 44 footprints of 2016 and the
# 36 ICBs of April 2026, A4 and A3: wall time, peak memory and file size, best of three runs
# each (target: the 45-page A4 pack of the 44 in at most 5 s and 15 MB).
#
#   benches/board_pack.sh      # needs: cargo, GNU time
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet

printf '%-10s %-5s %6s %9s %10s %8s\n' layer paper pages seconds "peak MB" "file MB"
for layer in stp2016 icb2026; do
  for paper in a4 a3; do
    best=""
    for _ in 1 2 3; do
      /usr/bin/time -f "%e %M" -o "$work/time" target/release/footprints export --pack \
        --force --layer "$layer" --paper "$paper" --out "$work/pack.pdf" 2> "$work/err"
      read -r seconds kb < "$work/time"
      if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $seconds < ${best%% *} else 1)"; then
        best="$seconds $kb"
      fi
    done
    pages=$(grep -o '([0-9]* pages' "$work/err" | tr -d '( pages')
    bytes=$(stat -c %s "$work/pack.pdf")
    read -r seconds kb <<< "$best"
    printf '%-10s %-5s %6s %9s %10.0f %8.1f\n' "$layer" "$paper" "$pages" "$seconds" \
      "$(echo "$kb / 1024" | bc -l)" "$(echo "$bytes / 1048576" | bc -l)"
  done
done
