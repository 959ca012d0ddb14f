#!/usr/bin/env bash
# Benchmark: the 33,755 LSOA 2021 blocks dissolved into the 36 ICBs of April 2026, end to end
# (read the blocks and the lookup, assign, dissolve, write GeoJSON), side by side in one run with
# mapshaper (-i, -join, -dissolve, -o) and geopandas (read_file, merge, dissolve, to_file).
# Footprints runs twice: reading the same GeoJSON file as the peers (--blocks), and with its
# built-in blocks. Then the outputs are checked against mapshaper's: the same 36 codes, and
# each ICB's area within 0.5 %.
#
#   benches/dissolve_vs_peers.sh     # needs: cargo, node with `npm install mapshaper` (found on
#                                    # PATH or in $MAPSHAPER_DIR/node_modules/.bin), python3
#                                    # with geopandas, GNU time
#
set -euo pipefail
cd "$(dirname "$0")/.."
data="${FOOTPRINTS_DATA:-../shared/data}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mapshaper="$(command -v mapshaper || echo "${MAPSHAPER_DIR:-.}/node_modules/.bin/mapshaper")"

cargo build --release --quiet
blocks="$data/perf/england_lsoa2021_bsc_wgs84.geojson"
lookup="$data/lookups/lsoa21_sicbl26_icb26_nhser26_derived.csv"

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/$label.out" 2> "$work/$label.err" \
    || { cat "$work/$label.err" >&2; exit 1; }
  read -r seconds kb < "$work/time"
  echo "$seconds $kb"
}

# Warm the file cache so that no one pays for the first read.
cat "$blocks" "$lookup" > /dev/null

ours=$(measure footprints ./target/release/footprints build --blocks "$blocks" \
  --assign "$lookup" --block-column LSOA21CD --group-column ICB26CD --out "$work/footprints.geojson")
built_in=$(measure built_in ./target/release/footprints build \
  --assign "$lookup" --group-column ICB26CD --out "$work/built_in.geojson")
mapshaper_t=$(measure mapshaper "$mapshaper" -i "$blocks" \
  -join "$lookup" keys=LSOA21CD,LSOA21CD fields=ICB26CD,ICB26NM string-fields=ICB26CD \
  -dissolve ICB26CD,ICB26NM -o "$work/mapshaper.geojson")
geopandas_t=$(measure geopandas python3 - "$blocks" "$lookup" "$work/geopandas.geojson" <<'PY'
import sys
import geopandas as gpd, pandas as pd
blocks, lookup, out = sys.argv[1:]
g = gpd.read_file(blocks)
l = pd.read_csv(lookup, usecols=["LSOA21CD", "ICB26CD", "ICB26NM"])
g.merge(l, on="LSOA21CD").dissolve(by=["ICB26CD", "ICB26NM"]).reset_index().to_file(out, driver="GeoJSON")
PY
)

python3 - "$work" $ours $built_in $mapshaper_t $geopandas_t <<'PY'
import sys
import geopandas as gpd
work = sys.argv[1]
(our_s, our_kb, bi_s, bi_kb, ms_s, ms_kb, gp_s, gp_kb) = map(float, sys.argv[2:])
fastest = min(ms_s, gp_s)
rows = [
    ("footprints build --blocks FILE", our_s, our_kb),
    ("footprints build (built-in blocks)", bi_s, bi_kb),
    ("mapshaper -join -dissolve", ms_s, ms_kb),
    ("geopandas merge + dissolve", gp_s, gp_kb),
]
for label, s, kb in rows:
    print(f"{label:36s} {s:6.2f} s  peak {kb / 1024:6.0f} MB")
print(f"footprints (same file) takes {our_s / fastest:.2f} of the faster peer's time "
      f"(target: at most 0.25, aiming for 0.10); built-in blocks {bi_s / fastest:.2f}")

# The same 36 ICBs, each with the same area as mapshaper's (equal-area grid, EPSG:27700).
def areas(name, code="code"):
    g = gpd.read_file(f"{work}/{name}.geojson").to_crs(27700)
    return dict(zip(g[code], g.area))
ms = areas("mapshaper", "ICB26CD")
for name in ["footprints", "built_in"]:
    ours = areas(name)
    assert sorted(ours) == sorted(ms) and len(ours) == 36, (name, sorted(ours), sorted(ms))
    worst = max(abs(ours[c] / ms[c] - 1) for c in ms)
    print(f"{name}: the same 36 codes as mapshaper; largest area difference {worst * 100:.4f} % (limit 0.5 %)")
    assert worst < 0.005
gp = areas("geopandas", "ICB26CD")
worst = max(abs(gp[c] / ms[c] - 1) for c in ms)
print(f"geopandas against mapshaper: largest area difference {worst * 100:.4f} %")
PY
