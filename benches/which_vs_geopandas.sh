#!/usr/bin/env bash
# Benchmark: `footprints which --csv` on every English postcode (2.26 million rows: read, assign
# to the 44 footprints, write) against a geopandas spatial join of the same points into the same
# polygons (read + sjoin), side by side in one run. Footprints runs twice: by the lat/lon
# columns, and by the postcode column (each postcode looked up in the built-in postcode table,
# then placed). Prints wall time, rows per second and peak memory for each, and the ratios.
#
#   benches/which_vs_geopandas.sh            # needs: cargo, python3 with geopandas, GNU time
#
set -euo pipefail
cd "$(dirname "$0")/.."
data="${FOOTPRINTS_DATA:-../shared/data}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
zcat "$data/gazetteer/england_postcodes.csv.gz" > "$work/postcodes.csv"
rows=$(($(wc -l < "$work/postcodes.csv") - 1))
polygons="$data/footprints/stp2016_44_footprints_detail.geojson"

measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/$label.out" 2> "$work/$label.err"
  read -r seconds kb < "$work/time"
  echo "$label $seconds $kb"
}

echo "rows: $rows"
ours=$(measure footprints ./target/release/footprints which --csv "$work/postcodes.csv" \
  --lat lat --lon lon --out "$work/assigned.csv" --boundaries "$polygons")
by_postcode=$(measure by_postcode ./target/release/footprints which --csv "$work/postcodes.csv" \
  --column postcode --out "$work/assigned_by_postcode.csv" --boundaries "$polygons")
peer=$(measure geopandas python3 benches/geopandas_sjoin.py "$work/postcodes.csv" "$polygons")
tail -n 1 "$work/footprints.err"
tail -n 1 "$work/by_postcode.err"
cat "$work/geopandas.out"
# Both runs must give every row the same footprint.
if ! cmp -s <(cut -d, -f4- "$work/assigned.csv") <(cut -d, -f4- "$work/assigned_by_postcode.csv"); then
  echo "warning: the postcode-column run placed some rows differently from the lat/lon run" >&2
  diff <(cut -d, -f1,4- "$work/assigned.csv") <(cut -d, -f1,4- "$work/assigned_by_postcode.csv") | head -5 >&2
fi

read -r _ our_s our_kb <<< "$ours"
read -r _ pc_s pc_kb <<< "$by_postcode"
read -r _ peer_s peer_kb <<< "$peer"
python3 - "$rows" "$our_s" "$our_kb" "$pc_s" "$pc_kb" "$peer_s" "$peer_kb" <<'PY'
import sys
rows, our_s, our_kb, pc_s, pc_kb, peer_s, peer_kb = int(sys.argv[1]), *map(float, sys.argv[2:])
print(f"footprints which --csv, lat/lon   : {our_s:6.2f} s  {rows / our_s:12,.0f} rows/s  peak {our_kb / 1024:6.0f} MB  (read + assign + write)")
print(f"footprints which --csv, postcode  : {pc_s:6.2f} s  {rows / pc_s:12,.0f} rows/s  peak {pc_kb / 1024:6.0f} MB  (read + look up + assign + write)")
print(f"geopandas read + sjoin            : {peer_s:6.2f} s  {rows / peer_s:12,.0f} rows/s  peak {peer_kb / 1024:6.0f} MB")
print(f"by lat/lon footprints takes {our_s / peer_s:.2f} of geopandas' time (target: at most 0.20)")
print(f"by postcode footprints takes {pc_s / peer_s:.2f} of geopandas' time (target: at most 0.15, and at most 150 MB)")
PY
