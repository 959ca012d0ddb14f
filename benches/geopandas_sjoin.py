"""The peer for `footprints which --csv`: a geopandas spatial join of the same points into the
same polygons (read + sjoin), as a planner's Python script would do it."""
import sys
import time

import geopandas as gpd
import pandas as pd

points_csv, polygons = sys.argv[1], sys.argv[2]
started = time.perf_counter()
table = pd.read_csv(points_csv)
points = gpd.GeoDataFrame(
    table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs="EPSG:4326"
)
footprints = gpd.read_file(polygons)[["STP17CD", "name_2016", "geometry"]]
joined = gpd.sjoin(points, footprints, how="left", predicate="within")
elapsed = time.perf_counter() - started
placed = joined["STP17CD"].notna().sum()
print(f"geopandas: {len(table)} rows, {placed} placed, {elapsed:.2f} s")
