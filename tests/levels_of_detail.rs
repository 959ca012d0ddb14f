//! Levels of detail on real ONS boundaries: simplified borders stay shared, and nothing larger
//! than a pixel vanishes.

use crate::common;

use std::collections::HashSet;

use footprints::geo_util::lon_lat_to_world;
use footprints::load::{Progress, load_path};
use footprints::topology::Topology;
use geo::{Area, Coord, MapCoords, MultiPolygon};

fn world(c: Coord<f64>) -> Coord<f64> {
    lon_lat_to_world(c.x, c.y)
}

fn vertex_set(g: &MultiPolygon<f64>) -> HashSet<(u64, u64)> {
    g.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .flat_map(|r| r.0.iter())
        .map(|c| (c.x.to_bits(), c.y.to_bits()))
        .collect()
}

/// Area in screen pixels at `zoom`.
fn pixels(polygon: &geo::Polygon<f64>, zoom: f64) -> f64 {
    let scale = 256.0 * 2f64.powf(zoom);
    polygon.map_coords(world).unsigned_area() * scale * scale
}

fn check_file(relative: &str) {
    let layer = load_path(&common::shared_data(relative), &Progress::default()).unwrap();
    let full: Vec<&MultiPolygon<f64>> = layer.footprints.iter().map(|f| &f.geometry).collect();
    let topology = Topology::build(full.iter().copied(), world);
    let full_vertices: Vec<HashSet<(u64, u64)>> = full.iter().map(|g| vertex_set(g)).collect();
    let neighbours = topology.neighbours();
    let shared_pairs: usize = neighbours.iter().map(Vec::len).sum::<usize>() / 2;
    assert!(
        shared_pairs >= layer.footprints.len(),
        "{relative}: the areas share their borders ({shared_pairs} pairs)"
    );
    let mut counts = Vec::new();
    for zoom in [5.0, 7.0, 9.0, 11.0, 13.0] {
        let tolerance = 0.5 / (256.0 * 2f64.powf(zoom));
        let level = topology.simplify(tolerance);
        let simplified: Vec<MultiPolygon<f64>> =
            (0..full.len()).map(|i| level.geometry(i)).collect();
        let kept: Vec<HashSet<(u64, u64)>> = simplified.iter().map(vertex_set).collect();
        // Every border two neighbours share keeps the same vertices on both sides.
        for (a, list) in neighbours.iter().enumerate() {
            for &b in list.iter().filter(|&&b| b > a) {
                let border: HashSet<_> = full_vertices[a].intersection(&full_vertices[b]).collect();
                let on_a: HashSet<_> = kept[a].iter().filter(|v| border.contains(v)).collect();
                let on_b: HashSet<_> = kept[b].iter().filter(|v| border.contains(v)).collect();
                assert_eq!(
                    on_a, on_b,
                    "{relative} at zoom {zoom}: {} and {} disagree on their border",
                    layer.footprints[a].code, layer.footprints[b].code
                );
            }
        }
        // Every part larger than a pixel keeps an area.
        for (i, (before, after)) in full.iter().zip(&simplified).enumerate() {
            let big = before.0.iter().filter(|p| pixels(p, zoom) >= 1.0).count();
            let kept = after.0.iter().filter(|p| pixels(p, zoom) > 0.0).count();
            assert!(
                kept >= big,
                "{relative} at zoom {zoom}: {} had {big} parts over a pixel and kept {kept}",
                layer.footprints[i].code
            );
        }
        counts.push(level.vertex_count());
    }
    // Coarser levels are simpler: fewer vertices the further out, and far fewer at zoom 5.
    assert!(
        counts.windows(2).all(|w| w[0] <= w[1]),
        "{relative}: {counts:?}"
    );
    let all = topology.full().vertex_count();
    assert!(
        counts[0] * 2 < all,
        "{relative}: {} of {all} kept",
        counts[0]
    );
}

#[test]
fn council_borders_stay_shared_at_every_level() {
    check_file("boundaries/lad2019_england_derived_317.geojson");
}

#[test]
fn ccg_borders_stay_shared_at_every_level() {
    check_file("boundaries/ccg2020_ons_buc_135.geojson");
}
