//! What a layer's geometry tells before anything is drawn: levels of detail simplified from
//! shared arcs, neighbours, colours so that neighbours differ, label anchors, areas, the point
//! locator and numeric properties. Plain Rust; the map turns the levels into meshes.

use geo::{Coord, MultiPolygon};

use crate::colour::{FOOTPRINT_PALETTE, Rgb, colour_graph};
use crate::geo_util::{lon_lat_to_world, world_pixels};
use crate::index::neighbours;
use crate::load::{Progress, Stage};
use crate::model::Layer;
use crate::polylabel::label_anchor;

/// Where a footprint's label goes and how much room it has.
#[derive(Clone, Copy, Debug)]
pub struct Anchor {
    pub position: Coord<f64>,
    /// Radius of the free circle around it, in Web Mercator world units (0..1 = the world).
    pub room: f64,
}

/// From this zoom on, a layer with finer geometry is drawn with it.
pub const DETAIL_ZOOM: f64 = 8.5;

/// Levels of detail for layers without their own: each is drawn below its zoom, and is
/// simplified to half a pixel at that zoom.
pub const LEVEL_ZOOMS: [f64; 4] = [7.0, 9.0, 11.0, 13.0];

/// Neighbour tolerance in degrees (about 30–50 m): enough for boundaries that were generalised
/// separately, too little to join footprints across an estuary.
pub const NEIGHBOUR_TOLERANCE: f64 = 0.0004;

/// Up to this many footprints, neighbours are also found by nearness, for files whose borders
/// were drawn separately and do not share vertices exactly.
pub const NEAR_NEIGHBOURS_UP_TO: usize = 5000;

/// How long each step of preparing a layer took, for the benchmark.
#[derive(Clone, Debug, Default)]
pub struct PrepareTimings {
    pub topology_ms: f64,
    pub simplify_ms: f64,
    pub neighbours_ms: f64,
    pub anchors_ms: f64,
    pub meshes_ms: f64,
    pub index_ms: f64,
}

pub fn ms_since(t: std::time::Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// One level of detail: every footprint's geometry, and the boundary lines (lon/lat), each
/// shared border once, with the footprint it belongs to.
pub struct LevelPlan {
    /// Drawn below this zoom (the finest level: at every zoom).
    pub below_zoom: f64,
    pub geometries: Vec<MultiPolygon<f64>>,
    pub lines: Vec<(usize, Vec<Coord<f64>>)>,
}

/// A layer's analysis.
pub struct Analysis {
    /// Levels of detail, coarsest first.
    pub levels: Vec<LevelPlan>,
    pub neighbours: Vec<Vec<usize>>,
    /// One colour a footprint, neighbours different.
    pub colours: Vec<Rgb>,
    pub anchors: Vec<Option<Anchor>>,
    /// Footprints with an anchor, roomiest first.
    pub by_room: Vec<usize>,
    /// The median label room (world units): how small a typical area is.
    pub typical_room: f64,
    /// Fast point-in-footprint lookups (the same answers as `footprints which`).
    pub locator: crate::lookup::PointLocator,
    /// Area of each footprint in km² ([`crate::facts::areas_km2`]).
    pub areas_km2: Vec<f64>,
    /// Properties with numbers in most features (choices for a choropleth).
    pub numeric_properties: Vec<String>,
    pub timings: PrepareTimings,
}

impl Analysis {
    /// Analyses `layer`, reporting each step to `progress`; `None` once it is cancelled.
    pub fn new(layer: &Layer, progress: &Progress) -> Option<Analysis> {
        // The point index, areas and choropleth choices need only the layer: built beside the
        // levels of detail.
        let (side, geometric) = std::thread::scope(|scope| {
            let side = scope.spawn(|| {
                let t = std::time::Instant::now();
                let locator = crate::lookup::PointLocator::build(layer);
                let areas_km2 = crate::facts::areas_km2(layer);
                let numeric = layer.numeric_properties();
                (locator, areas_km2, numeric, ms_since(t))
            });
            let geometric = geometric_analysis(layer, progress);
            (side.join(), geometric)
        });
        let (levels, neighbours, colours, anchors, mut timings) = geometric?;
        let (locator, areas_km2, numeric_properties, index_ms) = match side {
            Ok(side) => side,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        timings.index_ms += index_ms;
        let room = |i: usize| anchors[i].map_or(0.0, |a| a.room);
        let mut by_room: Vec<usize> = (0..anchors.len())
            .filter(|&i| anchors[i].is_some())
            .collect();
        by_room.sort_by(|&a, &b| room(b).total_cmp(&room(a)).then(a.cmp(&b)));
        let mut rooms: Vec<f64> = anchors.iter().flatten().map(|a| a.room).collect();
        rooms.sort_by(f64::total_cmp);
        let typical_room = rooms.get(rooms.len() / 2).copied().unwrap_or(0.0);
        Some(Analysis {
            levels,
            neighbours,
            colours,
            anchors,
            by_room,
            typical_room,
            locator,
            areas_km2,
            numeric_properties,
            timings,
        })
    }
}

type Geometric = (
    Vec<LevelPlan>,
    Vec<Vec<usize>>,
    Vec<Rgb>,
    Vec<Option<Anchor>>,
    PrepareTimings,
);

/// Levels of detail, neighbours, colours and label anchors.
fn geometric_analysis(layer: &Layer, progress: &Progress) -> Option<Geometric> {
    let step = |stage: Stage| {
        progress.set_stage(stage);
        (!progress.cancelled()).then_some(())
    };
    let mut timings = PrepareTimings::default();
    let (levels, topology_neighbours) = level_plans(layer, &step, &mut timings)?;

    step(Stage::Labelling)?;
    let t = std::time::Instant::now();
    let neighbours = match topology_neighbours {
        Some(exact) if layer.footprints.len() > NEAR_NEIGHBOURS_UP_TO => exact,
        Some(exact) => {
            let mut near = neighbours(layer, NEIGHBOUR_TOLERANCE);
            for (list, more) in near.iter_mut().zip(exact) {
                list.extend(more);
                list.sort_unstable();
                list.dedup();
            }
            near
        }
        None => neighbours(layer, NEIGHBOUR_TOLERANCE),
    };
    timings.neighbours_ms = ms_since(t);
    let colours: Vec<Rgb> = colour_graph(&neighbours, FOOTPRINT_PALETTE.len())
        .into_iter()
        .map(|c| FOOTPRINT_PALETTE[c])
        .collect();

    let t = std::time::Instant::now();
    let anchors = label_anchors(layer, &levels);
    timings.anchors_ms = ms_since(t);
    Some((levels, neighbours, colours, anchors, timings))
}

/// The levels of detail: the layer's own two (coarse, then its finer detail), or simplified
/// from its shared arcs; with the exact neighbours the arcs give.
#[allow(clippy::type_complexity)]
fn level_plans(
    layer: &Layer,
    step: &dyn Fn(Stage) -> Option<()>,
    timings: &mut PrepareTimings,
) -> Option<(Vec<LevelPlan>, Option<Vec<Vec<usize>>>)> {
    let rings_of = |geometries: &[MultiPolygon<f64>]| {
        geometries
            .iter()
            .enumerate()
            .flat_map(|(i, g)| {
                g.0.iter()
                    .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                    .map(move |r| (i, r.0.clone()))
            })
            .collect::<Vec<_>>()
    };
    if let Some(detail) = &layer.detail {
        let coarse: Vec<MultiPolygon<f64>> = layer
            .footprints
            .iter()
            .map(|f| f.geometry.clone())
            .collect();
        let coarse_lines = rings_of(&coarse);
        let fine_lines = rings_of(detail);
        let levels = vec![
            LevelPlan {
                below_zoom: DETAIL_ZOOM,
                geometries: coarse,
                lines: coarse_lines,
            },
            LevelPlan {
                below_zoom: f64::INFINITY,
                geometries: detail.clone(),
                lines: fine_lines,
            },
        ];
        return Some((levels, None));
    }
    step(Stage::Arcs)?;
    let t = std::time::Instant::now();
    // Tolerances are measured in Web Mercator world units (0..1 = the world).
    let world = |c: Coord<f64>| lon_lat_to_world(c.x, c.y);
    let topology =
        crate::topology::Topology::build(layer.footprints.iter().map(|f| &f.geometry), world);
    timings.topology_ms = ms_since(t);
    step(Stage::Simplifying)?;
    let t = std::time::Instant::now();
    let full = topology.full();
    let mut finer_vertices = full.vertex_count();
    let mut simplified = Vec::new();
    // Finest first, so a level too close to the next finer one can be skipped.
    for &zoom in LEVEL_ZOOMS.iter().rev() {
        step(Stage::Simplifying)?;
        let level = topology.simplify(0.5 / world_pixels(zoom));
        let vertices = level.vertex_count();
        if (vertices as f64) < 0.7 * finer_vertices as f64 {
            finer_vertices = vertices;
            simplified.push((zoom, level));
        }
    }
    simplified.reverse();
    simplified.push((f64::INFINITY, full));
    let indices: Vec<usize> = (0..topology.feature_count()).collect();
    let levels = simplified
        .into_iter()
        .map(|(below_zoom, level)| LevelPlan {
            below_zoom,
            geometries: crate::parallel::map(&indices, |&i| level.geometry(i)),
            lines: level.arcs().collect(),
        })
        .collect();
    timings.simplify_ms = ms_since(t);
    Some((levels, Some(topology.neighbours())))
}

/// Label anchors on the finest simplified level: the same places, far fewer vertices. (A layer
/// with its own detail is labelled on its drawing geometry, which is coarse.)
fn label_anchors(layer: &Layer, levels: &[LevelPlan]) -> Vec<Option<Anchor>> {
    let world = |c: Coord<f64>| lon_lat_to_world(c.x, c.y);
    let anchor_geometries = match &layer.detail {
        Some(_) => levels.first(),
        None => levels.iter().rev().nth(1).or(levels.last()),
    }
    .map(|level| &level.geometries);
    let indices: Vec<usize> = (0..layer.footprints.len()).collect();
    crate::parallel::map(&indices, |&i| {
        let geometry = anchor_geometries
            .and_then(|g| g.get(i))
            .filter(|g| !g.0.is_empty())
            .unwrap_or(&layer.footprints[i].geometry);
        label_anchor(geometry, world).map(|(w, room)| Anchor {
            position: crate::geo_util::world_to_lon_lat(w),
            room,
        })
    })
}
