//! The map view: the walkers widget with the offline basemap and a layer's footprints drawn as
//! GPU meshes tessellated once, plus labels, hover, click, zoom buttons, scale bar and credits.

use std::sync::Arc;

use egui::emath::TSTransform;
use egui::{Align2, Color32, FontId, Pos2, Rect, Response, Sense, Shape, Stroke, Ui, pos2, vec2};
use geo::{Coord, MultiPolygon, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use walkers::{Drawable, Drawables, Line, MapMemory, Mesh, Projector, lon_lat};

use crate::basemap::{Basemap, CutEdge, Place};
use crate::geo_util::{lon_lat_to_world, metres_per_pixel, nice_distance};
use crate::index::neighbours;
use crate::model::Layer;
use crate::render::colour::{FOOTPRINT_PALETTE, Rgb, colour_graph};
use crate::render::labels::{LabelCandidate, ScreenBox, label_anchor, place_labels};
use crate::ui::Action;
use crate::ui::theme::{self, Theme};

/// Meshes are stored in Web Mercator pixels at this zoom, relative to [`ORIGIN`].
const MESH_ZOOM: f64 = 10.0;
/// Fixed origin of mesh space (the middle of Great Britain), so f32 keeps its precision.
const ORIGIN: (f64, f64) = (-2.5, 54.0);

fn mesh_scale() -> f64 {
    crate::geo_util::world_pixels(MESH_ZOOM)
}

/// Lon/lat into mesh space.
pub fn to_mesh_space(c: Coord<f64>) -> Pos2 {
    let o = lon_lat_to_world(ORIGIN.0, ORIGIN.1);
    let w = lon_lat_to_world(c.x, c.y);
    let s = mesh_scale();
    pos2(((w.x - o.x) * s) as f32, ((w.y - o.y) * s) as f32)
}

/// From mesh space onto the screen for the projector's current view.
fn mesh_transform(projector: &Projector) -> TSTransform {
    let origin = projector.project(lon_lat(ORIGIN.0, ORIGIN.1));
    TSTransform {
        scaling: 2f64.powf(projector.zoom() - MESH_ZOOM) as f32,
        translation: origin,
    }
}

fn colour(rgb: Rgb, alpha: u8) -> Color32 {
    Color32::from_rgba_unmultiplied(rgb.0, rgb.1, rgb.2, alpha)
}

fn lyon_ring(ring: &geo::LineString<f64>) -> Vec<lyon_path::geom::Point<f32>> {
    let mut points: Vec<_> = ring
        .0
        .iter()
        .map(|c| {
            let p = to_mesh_space(*c);
            lyon_path::geom::point(p.x, p.y)
        })
        .collect();
    // lyon closes polygons itself.
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    points
}

/// Triangulates a polygon (holes included, even-odd so self-intersections still fill).
fn tessellate(polygon: &Polygon<f64>, fill: Color32) -> Option<Mesh> {
    let exterior = lyon_ring(polygon.exterior());
    let interiors: Vec<_> = polygon.interiors().iter().map(lyon_ring).collect();
    walkers::tessellate_polygon(&exterior, &interiors, fill).ok()
}

fn tessellate_multi(geometry: &MultiPolygon<f64>, fill: Color32) -> Mesh {
    let mut mesh = Mesh::default();
    for polygon in &geometry.0 {
        if let Some(part) = tessellate(polygon, fill) {
            mesh.append(&part);
        }
    }
    mesh
}

fn rings_in_mesh_space(geometry: &MultiPolygon<f64>) -> Vec<Vec<Pos2>> {
    geometry
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|ring| ring.0.iter().map(|c| to_mesh_space(*c)).collect())
        .collect()
}

/// Where a footprint's label goes and how much room it has.
#[derive(Clone, Copy, Debug)]
pub struct Anchor {
    pub position: Coord<f64>,
    /// Radius of the free circle around it, in Web Mercator world units (0..1 = the world).
    pub room: f64,
}

/// Footprints grouped by where they are, so that only groups in view are drawn.
struct Chunks {
    /// The mesh-space bounds of each chunk, indexed by chunk.
    tree: RTree<GeomWithData<Rectangle<[f32; 2]>, usize>>,
    /// The chunk of each footprint.
    of_footprint: Vec<usize>,
    count: usize,
}

/// Footprints per chunk, roughly: small enough to cull usefully, big enough to draw in few calls.
const FOOTPRINTS_PER_CHUNK: usize = 400;

impl Chunks {
    /// Cuts the layer's extent into a grid and puts each footprint in the cell of its centre.
    fn new(layer: &Layer) -> Self {
        let boxes: Vec<Rect> = layer
            .footprints
            .iter()
            .map(|f| {
                let a = to_mesh_space(f.bbox.min());
                let b = to_mesh_space(f.bbox.max());
                Rect::from_two_pos(a, b)
            })
            .collect();
        let extent = boxes
            .iter()
            .copied()
            .reduce(Rect::union)
            .unwrap_or(Rect::NOTHING);
        let side = (layer.footprints.len() / FOOTPRINTS_PER_CHUNK)
            .max(1)
            .isqrt()
            .clamp(1, 16);
        let cell = |b: &Rect| -> usize {
            let c = b.center();
            let fx = ((c.x - extent.min.x) / extent.width().max(1e-6)).clamp(0.0, 0.999);
            let fy = ((c.y - extent.min.y) / extent.height().max(1e-6)).clamp(0.0, 0.999);
            (fy * side as f32) as usize * side + (fx * side as f32) as usize
        };
        let of_cell: Vec<usize> = boxes.iter().map(cell).collect();
        // Number the cells that have footprints, in order.
        let mut number = vec![usize::MAX; side * side];
        let mut count = 0;
        for &c in &of_cell {
            if number[c] == usize::MAX {
                number[c] = count;
                count += 1;
            }
        }
        let of_footprint: Vec<usize> = of_cell.iter().map(|&c| number[c]).collect();
        let mut bounds = vec![Rect::NOTHING; count];
        for (b, &chunk) in boxes.iter().zip(&of_footprint) {
            bounds[chunk] = bounds[chunk].union(*b);
        }
        let tree = RTree::bulk_load(
            bounds
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    GeomWithData::new(
                        Rectangle::from_corners([b.min.x, b.min.y], [b.max.x, b.max.y]),
                        i,
                    )
                })
                .collect(),
        );
        Self {
            tree,
            of_footprint,
            count,
        }
    }

    /// The chunks that overlap `view` (a rectangle in mesh space).
    fn in_view(&self, view: Rect) -> Vec<usize> {
        let envelope = AABB::from_corners([view.min.x, view.min.y], [view.max.x, view.max.y]);
        let mut found: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&envelope)
            .map(|e| e.data)
            .collect();
        found.sort_unstable();
        found
    }
}

/// Meshes and outlines of every footprint at one level of detail.
struct LevelMeshes {
    /// Drawn below this zoom (the finest level: at every zoom above the others).
    below_zoom: f64,
    /// Per footprint, its rings in mesh space (for the outline of the selection).
    rings: Vec<Vec<Vec<Pos2>>>,
    /// Per footprint, its fill mesh in white (tinted for highlights).
    meshes: Vec<Mesh>,
    /// Per chunk, the fills in the footprints' colours.
    fills: Vec<Vec<Drawables>>,
    /// Per chunk, the boundaries, each shared border once.
    outlines_light: Vec<Vec<Drawables>>,
    outlines_dark: Vec<Vec<Drawables>>,
    /// For a layer shown over the active one: boundaries alone, in a colour of their own.
    outlines_other: Vec<Vec<Drawables>>,
    /// Boundary vertices at this level, for the benchmark.
    vertices: usize,
}

impl LevelMeshes {
    /// `outlines` are the boundary lines (lon/lat), each with the footprint whose chunk it goes in.
    fn new(
        below_zoom: f64,
        geometries: &[MultiPolygon<f64>],
        outlines: Vec<(usize, Vec<Coord<f64>>)>,
        colours: &[Rgb],
        chunks: &Chunks,
    ) -> Self {
        let meshes: Vec<Mesh> =
            crate::parallel::map(geometries, |g| tessellate_multi(g, Color32::WHITE));
        let rings: Vec<Vec<Vec<Pos2>>> = crate::parallel::map(geometries, rings_in_mesh_space);
        let vertices = outlines.iter().map(|(_, line)| line.len()).sum();
        let mut lines_by_chunk: Vec<Vec<Vec<Pos2>>> = vec![Vec::new(); chunks.count];
        for (owner, line) in outlines {
            let chunk = chunks.of_footprint.get(owner).copied().unwrap_or(0);
            if let Some(lines) = lines_by_chunk.get_mut(chunk) {
                lines.push(line.into_iter().map(to_mesh_space).collect());
            }
        }
        let outline = |color: Color32, width: f32| -> Vec<Vec<Drawables>> {
            lines_by_chunk
                .iter()
                .map(|lines| {
                    drawables(vec![Drawable::Lines(
                        lines
                            .iter()
                            .map(|points| Line {
                                points: points.clone(),
                                width,
                                color,
                                dasharray: Vec::new(),
                            })
                            .collect(),
                    )])
                })
                .collect()
        };
        Self {
            below_zoom,
            fills: fills_of(&meshes, colours, chunks),
            outlines_light: outline(theme::LIGHT.outline, 1.0),
            outlines_dark: outline(theme::DARK.outline, 1.0),
            outlines_other: outline(theme::OTHER_LAYER_OUTLINE, 2.0),
            rings,
            meshes,
            vertices,
        }
    }
}

/// The fill of every footprint in its colour, a little transparent so the basemap shows,
/// grouped by chunk.
fn fills_of(meshes: &[Mesh], colours: &[Rgb], chunks: &Chunks) -> Vec<Vec<Drawables>> {
    let mut by_chunk: Vec<Vec<Drawable>> = (0..chunks.count).map(|_| Vec::new()).collect();
    for ((mesh, &c), &chunk) in meshes.iter().zip(colours).zip(&chunks.of_footprint) {
        if let Some(list) = by_chunk.get_mut(chunk) {
            list.push(Drawable::Fill(tinted(mesh, colour(c, 190))));
        }
    }
    by_chunk.into_iter().map(drawables).collect()
}

/// From this zoom on, a layer with finer geometry is drawn with it.
pub const DETAIL_ZOOM: f64 = 8.5;

/// Levels of detail for layers without their own: each is drawn below its zoom, and is
/// simplified to half a pixel at that zoom.
const LEVEL_ZOOMS: [f64; 4] = [7.0, 9.0, 11.0, 13.0];

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

fn ms_since(t: std::time::Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// A layer made ready to draw and query: index, neighbours, colours, labels and meshes.
pub struct PreparedLayer {
    pub layer: Layer,
    pub neighbours: Vec<Vec<usize>>,
    /// Fill colour per footprint (see [`PreparedLayer::restyle`]).
    pub colours: Vec<Rgb>,
    pub anchors: Vec<Option<Anchor>>,
    /// Short label per footprint (footprint number, else initials or the code).
    pub short_labels: Vec<String>,
    /// Levels of detail, coarsest first.
    levels: Vec<LevelMeshes>,
    chunks: Chunks,
    /// Label anchors, for finding those in view.
    anchor_tree: RTree<GeomWithData<[f64; 2], usize>>,
    /// Footprints with an anchor, roomiest first: at national zoom only the first few can
    /// hold a label at all.
    by_room: Vec<usize>,
    /// Fast point-in-footprint lookups (the same answers as `footprints which`).
    pub locator: crate::lookup::PointLocator,
    /// Area of each footprint in km², from its geometry.
    pub areas_km2: Vec<f64>,
    /// Properties with numbers in most features (choices for a choropleth).
    pub numeric_properties: Vec<String>,
    /// The median label room (world units): how small a typical area is.
    typical_room: f64,
    pub timings: PrepareTimings,
    /// Drawn on the map (the layers panel's tick box).
    pub visible: bool,
    /// 0..1, the layers panel's slider.
    pub opacity: f32,
}

/// Neighbour tolerance in degrees (about 30–50 m): enough for boundaries that were generalised
/// separately, too little to join footprints across an estuary.
const NEIGHBOUR_TOLERANCE: f64 = 0.0004;

/// Up to this many footprints, neighbours are also found by nearness, for files whose borders
/// were drawn separately and do not share vertices exactly.
const NEAR_NEIGHBOURS_UP_TO: usize = 5000;

impl PreparedLayer {
    /// Does the heavy work (index, levels of detail, neighbours, tessellation); call off the UI
    /// thread.
    pub fn new(layer: Layer, short_labels: Vec<String>) -> Self {
        let progress = crate::load::Progress::default();
        match Self::new_cancellable(layer, short_labels, &progress) {
            Some(prepared) => prepared,
            None => unreachable!("nothing cancels a private progress"),
        }
    }

    /// As [`PreparedLayer::new`], reporting each step to `progress` and giving up (`None`) at the
    /// next step once it is cancelled.
    pub fn new_cancellable(
        layer: Layer,
        short_labels: Vec<String>,
        progress: &crate::load::Progress,
    ) -> Option<Self> {
        // The point index, areas and choropleth choices need only the layer: build them beside
        // the levels of detail.
        let layer_ref = &layer;
        let (side, drawing) = std::thread::scope(|scope| {
            let side = scope.spawn(move || {
                let t = std::time::Instant::now();
                let locator = crate::lookup::PointLocator::build(layer_ref);
                let areas_km2: Vec<f64> = (0..layer_ref.footprints.len())
                    .map(|i| {
                        use geo::ChamberlainDuquetteArea;
                        layer_ref
                            .hit_geometry(i)
                            .chamberlain_duquette_unsigned_area()
                            / 1e6
                    })
                    .collect();
                let numeric = crate::render::style::numeric_properties(layer_ref);
                (locator, areas_km2, numeric, ms_since(t))
            });
            let drawing = Self::prepare_drawing(layer_ref, progress);
            (side.join(), drawing)
        });
        let drawing = drawing?;
        let (locator, areas_km2, numeric_properties, index_ms) = match side {
            Ok(side) => side,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let (neighbours, colours, anchors, levels, chunks, anchor_tree, mut timings) = drawing;
        timings.index_ms += index_ms;
        let by_room = {
            let mut by_room: Vec<usize> = (0..anchors.len())
                .filter(|&i| anchors[i].is_some())
                .collect();
            let room = |i: usize| anchors[i].map_or(0.0, |a| a.room);
            by_room.sort_by(|&a, &b| room(b).total_cmp(&room(a)).then(a.cmp(&b)));
            by_room
        };
        Some(Self {
            neighbours,
            colours,
            typical_room: {
                let mut rooms: Vec<f64> = anchors.iter().flatten().map(|a| a.room).collect();
                rooms.sort_by(f64::total_cmp);
                rooms.get(rooms.len() / 2).copied().unwrap_or(0.0)
            },
            anchors,
            short_labels,
            levels,
            chunks,
            anchor_tree,
            by_room,
            locator,
            areas_km2,
            numeric_properties,
            layer,
            timings,
            visible: true,
            opacity: 1.0,
        })
    }

    #[allow(clippy::type_complexity)]
    fn prepare_drawing(
        layer: &Layer,
        progress: &crate::load::Progress,
    ) -> Option<(
        Vec<Vec<usize>>,
        Vec<Rgb>,
        Vec<Option<Anchor>>,
        Vec<LevelMeshes>,
        Chunks,
        RTree<GeomWithData<[f64; 2], usize>>,
        PrepareTimings,
    )> {
        use crate::load::Stage;
        let step = |stage: Stage| {
            progress.set_stage(stage);
            (!progress.cancelled()).then_some(())
        };
        let mut timings = PrepareTimings::default();
        let chunks = Chunks::new(layer);
        let world = |c: Coord<f64>| lon_lat_to_world(c.x, c.y);

        // Levels of detail: the layer's own two, or simplified from its shared arcs.
        let t = std::time::Instant::now();
        let mesh_space = |c: Coord<f64>| {
            let p = to_mesh_space(c);
            Coord {
                x: p.x as f64,
                y: p.y as f64,
            }
        };
        let mut plans: Vec<(f64, Vec<MultiPolygon<f64>>, Vec<(usize, Vec<Coord<f64>>)>)> =
            Vec::new();
        let mut topology_neighbours = None;
        match &layer.detail {
            Some(detail) => {
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
                let coarse: Vec<MultiPolygon<f64>> = layer
                    .footprints
                    .iter()
                    .map(|f| f.geometry.clone())
                    .collect();
                let coarse_lines = rings_of(&coarse);
                plans.push((DETAIL_ZOOM, coarse, coarse_lines));
                let fine_lines = rings_of(detail);
                plans.push((f64::INFINITY, detail.clone(), fine_lines));
            }
            None => {
                step(Stage::Arcs)?;
                let topology = crate::topology::Topology::build(
                    layer.footprints.iter().map(|f| &f.geometry),
                    mesh_space,
                );
                timings.topology_ms = ms_since(t);
                step(Stage::Simplifying)?;
                let t = std::time::Instant::now();
                let full = topology.full();
                let full_vertices = full.vertex_count();
                let mut finer_vertices = full_vertices;
                let mut simplified = Vec::new();
                // Finest first, so a level too close to the next finer one can be skipped.
                for &zoom in LEVEL_ZOOMS.iter().rev() {
                    step(Stage::Simplifying)?;
                    let tolerance = 0.5 * 2f64.powf(MESH_ZOOM - zoom);
                    let level = topology.simplify(tolerance);
                    let vertices = level.vertex_count();
                    if (vertices as f64) < 0.7 * finer_vertices as f64 {
                        finer_vertices = vertices;
                        simplified.push((zoom, level));
                    }
                }
                simplified.reverse();
                simplified.push((f64::INFINITY, full));
                let indices: Vec<usize> = (0..topology.feature_count()).collect();
                for (zoom, level) in simplified {
                    let geometries = crate::parallel::map(&indices, |&i| level.geometry(i));
                    plans.push((zoom, geometries, level.arcs().collect()));
                }
                timings.simplify_ms = ms_since(t);
                topology_neighbours = Some(topology.neighbours());
            }
        }

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

        // Label anchors on the finest simplified level: the same places, far fewer vertices.
        let t = std::time::Instant::now();
        // (A layer with its own detail is labelled on its drawing geometry, which is coarse.)
        let anchor_geometries = match &layer.detail {
            Some(_) => plans.first(),
            None => plans.iter().rev().nth(1).or(plans.last()),
        }
        .map(|(_, g, _)| g);
        let indices: Vec<usize> = (0..layer.footprints.len()).collect();
        let anchors: Vec<Option<Anchor>> = crate::parallel::map(&indices, |&i| {
            let geometry = anchor_geometries
                .and_then(|g| g.get(i))
                .filter(|g| !g.0.is_empty())
                .unwrap_or(&layer.footprints[i].geometry);
            label_anchor(geometry, world).map(|(w, room)| Anchor {
                position: crate::geo_util::world_to_lon_lat(w),
                room,
            })
        });
        timings.anchors_ms = ms_since(t);

        let t = std::time::Instant::now();
        let mut levels: Vec<LevelMeshes> = Vec::with_capacity(plans.len());
        for (zoom, geometries, lines) in plans {
            step(Stage::Tessellating)?;
            levels.push(LevelMeshes::new(
                zoom,
                &geometries,
                lines,
                &colours,
                &chunks,
            ));
        }
        timings.meshes_ms = ms_since(t);

        let t = std::time::Instant::now();
        let anchor_tree = RTree::bulk_load(
            anchors
                .iter()
                .enumerate()
                .filter_map(|(i, a)| a.map(|a| GeomWithData::new([a.position.x, a.position.y], i)))
                .collect(),
        );
        timings.index_ms = ms_since(t);
        step(Stage::Done)?;
        Some((
            neighbours,
            colours,
            anchors,
            levels,
            chunks,
            anchor_tree,
            timings,
        ))
    }

    /// Which level of detail is drawn at `zoom`.
    pub fn level_index(&self, zoom: f64) -> usize {
        self.levels
            .iter()
            .position(|l| zoom < l.below_zoom)
            .unwrap_or(self.levels.len().saturating_sub(1))
    }

    fn level(&self, zoom: f64) -> &LevelMeshes {
        &self.levels[self.level_index(zoom).min(self.levels.len() - 1)]
    }

    /// The zoom each level is drawn below, and its boundary vertices (shared borders once).
    pub fn levels_summary(&self) -> Vec<(f64, usize)> {
        self.levels
            .iter()
            .map(|l| (l.below_zoom, l.vertices))
            .collect()
    }

    /// Footprints whose label anchor is inside `bounds` (lon/lat) with at least `min_room`
    /// (world units) around it, in no particular order. Looks through whichever is fewer: the
    /// footprints roomy enough, or those in view.
    pub fn labelled_in(&self, bounds: geo::Rect<f64>, min_room: f64) -> Vec<usize> {
        let room = |i: usize| {
            self.anchors
                .get(i)
                .copied()
                .flatten()
                .map_or(0.0, |a| a.room)
        };
        let roomy = self.by_room.partition_point(|&i| room(i) >= min_room);
        if roomy <= 4096 {
            return self.by_room[..roomy]
                .iter()
                .copied()
                .filter(|&i| {
                    self.anchors[i].is_some_and(|a| {
                        let p = a.position;
                        (bounds.min().x..=bounds.max().x).contains(&p.x)
                            && (bounds.min().y..=bounds.max().y).contains(&p.y)
                    })
                })
                .collect();
        }
        let envelope = AABB::from_corners(
            [bounds.min().x, bounds.min().y],
            [bounds.max().x, bounds.max().y],
        );
        self.anchor_tree
            .locate_in_envelope(&envelope)
            .map(|e| e.data)
            .filter(|&i| room(i) >= min_room)
            .collect()
    }

    /// Drawables for a highlight over one footprint at `zoom`.
    pub fn highlight(&self, index: usize, zoom: f64, color: Color32) -> Option<Drawables> {
        let mesh = self.level(zoom).meshes.get(index)?;
        drawables(vec![Drawable::Fill(tinted(mesh, color))])
            .into_iter()
            .next()
    }

    pub fn fill_colour(&self, index: usize) -> Rgb {
        self.colours
            .get(index)
            .copied()
            .unwrap_or(crate::render::style::NO_DATA)
    }

    /// Recolours every footprint (one colour each, in layer order).
    pub fn restyle(&mut self, colours: Vec<Rgb>) {
        if colours.len() != self.layer.footprints.len() || colours == self.colours {
            return;
        }
        for level in &mut self.levels {
            level.fills = fills_of(&level.meshes, &colours, &self.chunks);
        }
        self.colours = colours;
    }
}

/// Bytes of GPU buffer one group of drawables may take: well under wgpu's 256 MB limit.
const GPU_BUDGET: usize = 64 << 20;

/// Approximate GPU bytes of a run of lines (walkers' line vertices are about 48 bytes, and each
/// segment takes four of them and six indices).
fn line_bytes(line: &Line) -> usize {
    line.points.len().saturating_sub(1) * (4 * 48 + 6 * 4)
}

/// Approximate GPU bytes of a drawable.
fn gpu_bytes(d: &Drawable) -> usize {
    match d {
        Drawable::Fill(mesh) => mesh.vertices.len() * 12 + mesh.indices.len() * 4,
        Drawable::Lines(lines) => lines.iter().map(line_bytes).sum(),
    }
}

/// Splits items, in order, into groups whose sizes add up to at most [`GPU_BUDGET`] (an item
/// larger than the budget gets a group of its own).
fn split_by_budget<T>(
    items: impl IntoIterator<Item = T>,
    size: impl Fn(&T) -> usize,
) -> Vec<Vec<T>> {
    let mut groups = Vec::new();
    let mut group = Vec::new();
    let mut bytes = 0;
    for item in items {
        let s = size(&item);
        if bytes + s > GPU_BUDGET && !group.is_empty() {
            groups.push(std::mem::take(&mut group));
            bytes = 0;
        }
        bytes += s;
        group.push(item);
    }
    if !group.is_empty() {
        groups.push(group);
    }
    groups
}

/// Drawables for walkers' GPU renderer, leaving out empty meshes and lines (an empty buffer
/// cannot be uploaded) and split into groups small enough for one GPU buffer each.
fn drawables(items: Vec<Drawable>) -> Vec<Drawables> {
    let mut pieces: Vec<Drawable> = Vec::new();
    for d in items {
        match d {
            Drawable::Fill(mesh) => {
                if !mesh.is_empty() && !mesh.vertices.is_empty() {
                    pieces.push(Drawable::Fill(mesh));
                }
            }
            // Long runs of lines are cut into runs that fit the budget on their own.
            Drawable::Lines(lines) => pieces.extend(
                split_by_budget(
                    lines
                        .into_iter()
                        .filter(|l| l.points.windows(2).any(|w| w[0] != w[1])),
                    line_bytes,
                )
                .into_iter()
                .map(Drawable::Lines),
            ),
        }
    }
    split_by_budget(pieces, gpu_bytes)
        .into_iter()
        .map(Drawables::new)
        .collect()
}

fn tinted(mesh: &Mesh, color: Color32) -> Mesh {
    Mesh {
        vertices: mesh
            .vertices
            .iter()
            .map(|v| walkers::Vertex {
                position: v.position,
                color,
            })
            .collect(),
        indices: mesh.indices.clone(),
    }
}

/// Bands along the stretches where the basemap's land was cut to a box, going from clear to
/// the sea's colour, so that France ends in a haze at the data's edge rather than a straight
/// coast. Over the sea a band is the sea's colour on the sea, so it does not show.
fn cut_fade(cut: Option<&(geo::Rect<f64>, Vec<CutEdge>)>, sea: Color32) -> Mesh {
    use crate::basemap::{CUT_FADE_DEGREES, CUT_FADE_OUTSIDE};
    let mut mesh = Mesh::default();
    let Some((extent, edges)) = cut else {
        return mesh;
    };
    let extent = *extent;
    // Each band runs from a little outside the side, opaque up to the side, then clear
    // `CUT_FADE_DEGREES` inside it.
    let stops = [
        (-CUT_FADE_OUTSIDE, true),
        (0.0, true),
        (CUT_FADE_DEGREES, false),
    ];
    for edge in edges {
        let at = |inward: f64, along: f64| edge.fade_point(extent, inward, along);
        for pair in stops.windows(2) {
            let [(from, from_opaque), (to, to_opaque)] = [pair[0], pair[1]];
            let colour = |opaque: bool| if opaque { sea } else { Color32::TRANSPARENT };
            let base = mesh.vertices.len() as u32;
            for (point, color) in [
                (at(from, 0.0), colour(from_opaque)),
                (at(from, 1.0), colour(from_opaque)),
                (at(to, 1.0), colour(to_opaque)),
                (at(to, 0.0), colour(to_opaque)),
            ] {
                mesh.vertices.push(walkers::Vertex {
                    position: to_mesh_space(point),
                    color,
                });
            }
            mesh.indices
                .extend([base, base + 1, base + 2, base, base + 2, base + 3]);
        }
    }
    mesh
}

/// The basemap tessellated for both themes.
pub struct PreparedBasemap {
    light: Vec<Drawables>,
    dark: Vec<Drawables>,
    pub places: Vec<Place>,
    /// Country name labels (name, position).
    countries: Vec<(String, Coord<f64>)>,
    empty: bool,
}

impl PreparedBasemap {
    pub fn new(basemap: &Basemap) -> Self {
        // Where the land was cut to a box, found once for both themes.
        let cut = basemap.cut_edges();
        let build = |style: &Theme| {
            let mut land = Mesh::default();
            for mp in &basemap.land {
                land.append(&tessellate_multi(mp, style.land));
            }
            for (name, mp) in &basemap.countries {
                let fill = if name == "England" {
                    style.england
                } else {
                    style.land
                };
                land.append(&tessellate_multi(mp, fill));
            }
            let mut lakes = Mesh::default();
            for mp in &basemap.lakes {
                lakes.append(&tessellate_multi(mp, style.water));
            }
            let line = |points: &geo::LineString<f64>, width: f32, color: Color32| Line {
                points: points.0.iter().map(|c| to_mesh_space(*c)).collect(),
                width,
                color,
                dasharray: Vec::new(),
            };
            let mut lines: Vec<Line> = Vec::new();
            lines.extend(basemap.rivers.iter().map(|l| line(l, 1.0, style.water)));
            lines.extend(basemap.coastline.iter().map(|l| line(l, 1.0, style.coast)));
            let mut borders: Vec<Line> = basemap
                .countries
                .iter()
                .flat_map(|(_, mp)| mp.0.iter().map(|p| p.exterior()))
                .map(|ring| Line {
                    dasharray: vec![4.0, 3.0],
                    ..line(ring, 0.8, style.border)
                })
                .collect();
            borders.extend(basemap.borders.iter().map(|l| Line {
                dasharray: vec![4.0, 3.0],
                ..line(l, 0.8, style.border)
            }));
            drawables(vec![
                Drawable::Fill(land),
                Drawable::Fill(lakes),
                Drawable::Lines(lines),
                Drawable::Lines(borders),
                Drawable::Fill(cut_fade(cut.as_ref(), style.sea)),
            ])
        };
        let countries = basemap
            .countries
            .iter()
            .filter_map(|(name, mp)| {
                label_anchor(mp, |c| lon_lat_to_world(c.x, c.y))
                    .map(|(w, _)| (name.to_uppercase(), crate::geo_util::world_to_lon_lat(w)))
            })
            .collect();
        Self {
            light: build(&theme::LIGHT),
            dark: build(&theme::DARK),
            places: basemap.places.clone(),
            countries,
            empty: basemap.is_empty(),
        }
    }
}

/// A walkers layer that draws prepared meshes with the view's transform: all of `drawables`,
/// and of `chunked` only the chunks in view.
/// A layer drawn by chunk: its chunks, its groups of drawables (each per chunk), its opacity,
/// and the part of the screen it is kept to (for the swipe).
type ChunkedLayer<'a> = (&'a Chunks, Vec<&'a [Vec<Drawables>]>, f32, Rect);

struct MeshLayer<'a> {
    drawables: Vec<&'a Drawables>,
    chunked: Vec<ChunkedLayer<'a>>,
    extra: Vec<Drawables>,
}

impl walkers::Layer for MeshLayer<'_> {
    fn draw(&mut self, canvas: &mut walkers::Canvas, projector: &Projector) {
        let transform = mesh_transform(projector);
        for d in &self.drawables {
            canvas.add_drawables((*d).clone().with_transform(transform));
        }
        let screen = projector.clip_rect();
        for (chunks, groups, opacity, clip) in &self.chunked {
            let visible = chunks.in_view(transform.inverse() * clip.intersect(screen));
            for group in groups {
                for &chunk in &visible {
                    for d in group.get(chunk).into_iter().flatten() {
                        canvas.add_drawables(
                            d.clone()
                                .with_transform(transform)
                                .with_transparency(*opacity)
                                .with_clip_rect(*clip),
                        );
                    }
                }
            }
        }
        for d in self.extra.drain(..) {
            canvas.add_drawables(d.with_transform(transform));
        }
    }
}

/// A layer's fills, and its outlines where its areas are big enough on screen to tell apart
/// (otherwise thousands of small areas would be drawn as solid ink).
fn filled_groups(prepared: &PreparedLayer, zoom: f64, dark: bool) -> Vec<&[Vec<Drawables>]> {
    let level = prepared.level(zoom);
    let typical_px = prepared.typical_room * crate::geo_util::world_pixels(zoom);
    let mut groups: Vec<&[Vec<Drawables>]> = vec![&level.fills];
    if typical_px >= 2.5 {
        groups.push(if dark {
            &level.outlines_dark
        } else {
            &level.outlines_light
        });
    }
    groups
}

/// What the map needs to draw a frame.
pub struct MapInput<'a> {
    /// The layer that answers clicks and is labelled (drawn among `layers` if visible).
    pub layer: Option<&'a PreparedLayer>,
    /// Every visible layer, bottom first.
    pub layers: Vec<&'a PreparedLayer>,
    /// Two layers to swipe between: the older left of the divider, the newer right, and where
    /// the divider is (0..1 across the map).
    pub swipe: Option<(&'a PreparedLayer, &'a PreparedLayer, f32)>,
    pub basemap: &'a PreparedBasemap,
    pub selected: Option<usize>,
    pub hovered: Option<usize>,
    pub hover_drawables: Option<&'a Drawables>,
    pub show_labels: bool,
    pub show_places: bool,
    pub dark: bool,
    /// Extra credit line for online tiles, e.g. "© OpenStreetMap contributors".
    pub tile_credit: Option<&'a str>,
    /// Population per footprint for the hover tooltip, with its source, if known.
    pub population_of: &'a dyn Fn(usize) -> Option<String>,
    /// The search result's pin.
    pub pin: Option<Coord<f64>>,
    pub legend: &'a crate::render::style::Legend,
    /// Zoom buttons (hidden while presenting).
    pub controls: bool,
    pub label_mode: crate::render::style::LabelMode,
}

/// The map's current view, for fitting and for tests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapView {
    pub rect: Rect,
    pub centre: Coord<f64>,
    pub zoom: f64,
}

impl MapView {
    /// Screen position of a lon/lat point.
    pub fn screen_pos(&self, lon: f64, lat: f64) -> Pos2 {
        let scale = crate::geo_util::world_pixels(self.zoom);
        let c = lon_lat_to_world(self.centre.x, self.centre.y);
        let p = lon_lat_to_world(lon, lat);
        self.rect.center() + vec2(((p.x - c.x) * scale) as f32, ((p.y - c.y) * scale) as f32)
    }

    /// Lon/lat bounds of what is visible.
    pub fn bounds(&self) -> geo::Rect<f64> {
        let scale = crate::geo_util::world_pixels(self.zoom);
        let c = lon_lat_to_world(self.centre.x, self.centre.y);
        let half_w = self.rect.width() as f64 / 2.0 / scale;
        let half_h = self.rect.height() as f64 / 2.0 / scale;
        let nw = crate::geo_util::world_to_lon_lat(Coord {
            x: c.x - half_w,
            y: c.y - half_h,
        });
        let se = crate::geo_util::world_to_lon_lat(Coord {
            x: c.x + half_w,
            y: c.y + half_h,
        });
        geo::Rect::new(nw, se)
    }
}

/// What happened on the map this frame.
#[derive(Debug, Default)]
pub struct MapOutput {
    /// Footprint under the pointer.
    pub hovered: Option<usize>,
    /// A click: `Some(None)` when it hit no footprint.
    pub clicked: Option<Option<usize>>,
    /// Where the click was (lon/lat).
    pub clicked_at: Option<Coord<f64>>,
    /// The swipe divider was dragged here (0..1 across the map).
    pub swipe_to: Option<f32>,
    pub action: Option<Action>,
    pub view: Option<MapView>,
    /// A right-click: where on the map, and where on the screen.
    pub context: Option<(Coord<f64>, Pos2)>,
}

/// Shows the map and returns what the user did.
pub fn map_ui(
    ui: &mut Ui,
    memory: &mut MapMemory,
    tiles: Option<&mut dyn walkers::Tiles>,
    input: &MapInput,
) -> MapOutput {
    let style = theme::of(input.dark);
    let rect = ui.available_rect_before_wrap();
    ui.painter().rect_filled(rect, 0.0, style.sea);

    let centre = memory.detached().unwrap_or(lon_lat(ORIGIN.0, ORIGIN.1));
    let memory_zoom = memory.zoom();
    let basemap_drawables = if input.dark {
        &input.basemap.dark
    } else {
        &input.basemap.light
    };
    let mut map = walkers::Map::new(None, memory, centre)
        .zoom_with_ctrl(false)
        .double_click_to_zoom(true)
        .with_layer(
            MeshLayer {
                drawables: basemap_drawables.iter().collect(),
                chunked: Vec::new(),
                extra: Vec::new(),
            },
            1.0,
        );
    if let Some(tiles) = tiles {
        map = map.with_layer(tiles, 1.0);
    }
    // The active layer filled; every other visible layer over it as outlines only, in the
    // panel's order, so that boundaries of other years can be read against it. The hover
    // highlight goes on top.
    let active = input.layer.filter(|l| l.visible);
    let level_groups = |prepared| filled_groups(prepared, memory_zoom, input.dark);
    let chunked: Vec<_> = if let Some((left, right, at)) = input.swipe {
        let divider = rect.left() + rect.width() * at.clamp(0.0, 1.0);
        let left_rect = Rect::from_min_max(rect.min, pos2(divider, rect.max.y));
        let right_rect = Rect::from_min_max(pos2(divider, rect.min.y), rect.max);
        vec![
            (&left.chunks, level_groups(left), 1.0, left_rect),
            (&right.chunks, level_groups(right), 1.0, right_rect),
        ]
    } else {
        let others = input
            .layers
            .iter()
            .copied()
            .filter(|l| !active.is_some_and(|a| std::ptr::eq(*l, a)))
            .map(|prepared| {
                let outlines: Vec<&[Vec<Drawables>]> =
                    vec![&prepared.level(memory_zoom).outlines_other];
                (
                    &prepared.chunks,
                    outlines,
                    prepared.opacity.clamp(0.0, 1.0),
                    rect,
                )
            });
        active
            .map(|a| (&a.chunks, level_groups(a), a.opacity.clamp(0.0, 1.0), rect))
            .into_iter()
            .chain(others)
            .collect()
    };
    if !chunked.is_empty() {
        map = map.with_layer(
            MeshLayer {
                drawables: Vec::new(),
                chunked,
                extra: input.hover_drawables.cloned().into_iter().collect(),
            },
            1.0,
        );
    }
    let inner = map.show(ui, |ui, response, projector, memory| {
        map_overlay_ui(ui, response, projector, memory, input)
    });
    inner.inner
}

fn map_overlay_ui(
    ui: &mut Ui,
    response: &Response,
    projector: &Projector,
    memory: &MapMemory,
    input: &MapInput,
) -> MapOutput {
    let rect = response.rect;
    let painter = ui.painter().with_clip_rect(rect);
    let zoom = projector.zoom();
    let centre = memory
        .detached()
        .map(|p| Coord { x: p.x(), y: p.y() })
        .unwrap_or(Coord {
            x: ORIGIN.0,
            y: ORIGIN.1,
        });
    let view = MapView { rect, centre, zoom };
    let mut output = MapOutput {
        view: Some(view),
        ..MapOutput::default()
    };

    let hit = |pos: Pos2| -> Option<usize> {
        let prepared = input.layer?;
        let p = projector.unproject(pos.to_vec2());
        prepared.locator.locate(Coord { x: p.x(), y: p.y() })
    };
    let dragging = response.dragged();
    if let Some(pos) = response.hover_pos()
        && !dragging
    {
        output.hovered = hit(pos);
    }
    if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        output.clicked = Some(hit(pos));
        let p = projector.unproject(pos.to_vec2());
        output.clicked_at = Some(Coord { x: p.x(), y: p.y() });
    }
    if response.secondary_clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        let p = projector.unproject(pos.to_vec2());
        output.context = Some((Coord { x: p.x(), y: p.y() }, pos));
    }

    let transform = mesh_transform(projector);
    let text_colour = theme::of(input.dark).label;
    let halo_colour = theme::of(input.dark).label_halo;

    // Selection outline, over the fills.
    if let (Some(prepared), Some(selected)) = (input.layer, input.selected)
        && let Some(rings) = prepared.level(zoom).rings.get(selected)
    {
        for ring in rings {
            let points: Vec<Pos2> = ring.iter().map(|p| transform * *p).collect();
            painter.add(Shape::line(points.clone(), Stroke::new(5.0, halo_colour)));
            painter.add(Shape::line(points, Stroke::new(2.5, text_colour)));
        }
    }

    let mut occupied: Vec<ScreenBox> = Vec::new();
    if input.label_mode != crate::render::style::LabelMode::None {
        // In a swipe each side is labelled from its own layer; otherwise the chosen layer.
        let sides: Vec<(&PreparedLayer, Rect)> = match input.swipe {
            Some((left, right, at)) => {
                let x = rect.left() + rect.width() * at.clamp(0.0, 1.0);
                vec![
                    (left, Rect::from_min_max(rect.min, pos2(x, rect.max.y))),
                    (right, Rect::from_min_max(pos2(x, rect.min.y), rect.max)),
                ]
            }
            None => input.layer.map(|l| (l, rect)).into_iter().collect(),
        };
        for (prepared, clip) in sides {
            let selected = input
                .layer
                .is_some_and(|active| std::ptr::eq(active, prepared))
                .then_some(input.selected)
                .flatten();
            occupied.extend(footprint_labels(
                &painter.with_clip_rect(clip),
                prepared,
                projector,
                input,
                selected,
                text_colour,
                halo_colour,
            ));
        }
    }
    if input.show_places {
        place_labels_ui(
            &painter,
            input.basemap,
            projector,
            &mut occupied,
            input.dark,
        );
    }

    // Tooltip for the hovered footprint.
    if let (Some(prepared), Some(hovered)) = (input.layer, output.hovered)
        && let Some(footprint) = prepared.layer.footprints.get(hovered)
    {
        let population = (input.population_of)(hovered);
        response.clone().on_hover_ui_at_pointer(|ui| {
            ui.strong(&footprint.name);
            ui.label(population.unwrap_or_else(|| "Population not known".to_string()));
        });
    }

    if let Some(pin) = input.pin {
        let tip = projector.project(lon_lat(pin.x, pin.y)).to_pos2();
        let head = tip - vec2(0.0, 22.0);
        painter.add(Shape::convex_polygon(
            vec![tip, head + vec2(-7.0, 4.0), head + vec2(7.0, 4.0)],
            Color32::from_rgb(200, 30, 40),
            Stroke::new(1.5, Color32::WHITE),
        ));
        painter.circle(
            head,
            8.0,
            Color32::from_rgb(200, 30, 40),
            Stroke::new(1.5, Color32::WHITE),
        );
        painter.circle_filled(head, 3.0, Color32::WHITE);
    }

    if let Some((left, right, at)) = input.swipe {
        let x = rect.left() + rect.width() * at.clamp(0.0, 1.0);
        let handle = Rect::from_center_size(pos2(x, rect.center().y), vec2(28.0, 44.0));
        let grip = ui.interact(
            Rect::from_min_max(pos2(x - 8.0, rect.top()), pos2(x + 8.0, rect.bottom())),
            ui.scope_id().with("swipe divider"),
            Sense::drag(),
        );
        if grip.dragged()
            && let Some(p) = grip.interact_pointer_pos()
        {
            output.swipe_to = Some(((p.x - rect.left()) / rect.width()).clamp(0.02, 0.98));
        }
        painter.line_segment(
            [pos2(x, rect.top()), pos2(x, rect.bottom())],
            Stroke::new(3.0, Color32::WHITE),
        );
        painter.rect_filled(handle, 6.0, Color32::from_rgb(40, 40, 48));
        let c = handle.center();
        for side in [-1.0f32, 1.0] {
            painter.add(Shape::convex_polygon(
                vec![
                    c + vec2(side * 9.0, 0.0),
                    c + vec2(side * 3.0, -6.0),
                    c + vec2(side * 3.0, 6.0),
                ],
                Color32::WHITE,
                Stroke::NONE,
            ));
        }
        for (title, anchor, align) in [
            (
                &left.layer.title,
                pos2(x - 10.0, rect.top() + 12.0),
                Align2::RIGHT_TOP,
            ),
            (
                &right.layer.title,
                pos2(x + 10.0, rect.top() + 12.0),
                Align2::LEFT_TOP,
            ),
        ] {
            let galley =
                painter.layout_no_wrap(title.clone(), FontId::proportional(13.0), text_colour);
            let at = align.anchor_size(anchor, galley.size());
            painter.rect_filled(at.expand(4.0), 4.0, halo_colour);
            painter.galley(at.min, galley, text_colour);
        }
    }
    legend_ui(&painter, rect, input.legend, input.dark);
    if input.controls {
        output.action = map_controls_ui(ui, rect, input);
    }
    scale_bar(&painter, rect, centre.y, zoom, text_colour, halo_colour);
    attribution(ui, rect, input);
    if input.basemap.empty && input.layer.is_none() {
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            "No map data built in",
            FontId::proportional(16.0),
            text_colour,
        );
    }
    output
}

fn halo_text(
    painter: &egui::Painter,
    galley: Arc<egui::Galley>,
    pos: Pos2,
    text: Color32,
    halo: Color32,
) {
    for offset in [
        vec2(-1.0, 0.0),
        vec2(1.0, 0.0),
        vec2(0.0, -1.0),
        vec2(0.0, 1.0),
        vec2(-1.0, -1.0),
        vec2(1.0, 1.0),
        vec2(-1.0, 1.0),
        vec2(1.0, -1.0),
    ] {
        painter.galley_with_override_text_color(pos + offset, galley.clone(), halo);
    }
    painter.galley_with_override_text_color(pos, galley, text);
}

/// Labels of one layer, inside the painter's clip rect; `selected` is the layer's selected
/// area (labelled first).
fn footprint_labels(
    painter: &egui::Painter,
    prepared: &PreparedLayer,
    projector: &Projector,
    input: &MapInput,
    selected: Option<usize>,
    text_colour: Color32,
    halo_colour: Color32,
) -> Vec<ScreenBox> {
    let rect = painter.clip_rect().intersect(projector.clip_rect());
    let world_px = crate::geo_util::world_pixels(projector.zoom());
    let font = FontId::proportional(13.0);
    let short_font = FontId::proportional(12.0);
    let mut galleys = Vec::new();
    let mut candidates = Vec::new();
    // Only anchors in view with room for a label, roomiest first, and never more than a screen
    // can hold: at national zoom a file of 30,000 areas lays out no text at all.
    let area = rect.expand(100.0);
    let corner = |p: Pos2| {
        let c = projector.unproject(p.to_vec2());
        Coord { x: c.x(), y: c.y() }
    };
    let bounds = geo::Rect::new(corner(area.left_top()), corner(area.right_bottom()));
    let mut in_view: Vec<(usize, Anchor, f32)> = prepared
        .labelled_in(bounds, 6.0 / world_px)
        .into_iter()
        .filter_map(|id| {
            let anchor = prepared.anchors.get(id).copied().flatten()?;
            let room = (anchor.room * world_px) as f32;
            (room >= 6.0).then_some((id, anchor, room))
        })
        .collect();
    in_view.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let most = ((rect.area() / 2500.0) as usize).clamp(50, 600);
    if let Some(selected) = selected
        && let Some(at) = in_view.iter().position(|c| c.0 == selected)
    {
        let chosen = in_view.remove(at);
        in_view.insert(0, chosen);
    }
    in_view.truncate(most);
    for (id, anchor, room) in in_view {
        let Some(footprint) = prepared.layer.footprints.get(id) else {
            continue;
        };
        let pos = projector
            .project(lon_lat(anchor.position.x, anchor.position.y))
            .to_pos2();
        let (long_text, short_text) = match input.label_mode {
            crate::render::style::LabelMode::Name => {
                (footprint.name.clone(), prepared.short_labels[id].clone())
            }
            crate::render::style::LabelMode::Number => {
                (prepared.short_labels[id].clone(), String::new())
            }
            crate::render::style::LabelMode::Code | crate::render::style::LabelMode::None => {
                (footprint.code.clone(), String::new())
            }
        };
        // Wrap long names, but never inside a word.
        let longest_word = long_text
            .split_whitespace()
            .max_by_key(|w| w.chars().count())
            .unwrap_or("");
        let word_width = painter
            .layout_no_wrap(longest_word.to_string(), font.clone(), text_colour)
            .size()
            .x;
        let wrap = (room * 2.2).clamp(60.0, 220.0).max(word_width + 2.0);
        let name = painter.layout(long_text, font.clone(), text_colour, wrap);
        let short = painter.layout_no_wrap(short_text, short_font.clone(), text_colour);
        let mut forms = vec![(name.size().x, name.size().y)];
        if !short.is_empty() {
            forms.push((short.size().x, short.size().y));
        }
        candidates.push(LabelCandidate {
            id,
            x: pos.x,
            y: pos.y,
            forms,
            room,
            priority: room + if selected == Some(id) { 1e6 } else { 0.0 },
        });
        galleys.push((id, name, short));
    }
    let placed = place_labels(candidates, 1.15, 4.0);
    let galleys: std::collections::HashMap<usize, (Arc<egui::Galley>, Arc<egui::Galley>)> = galleys
        .into_iter()
        .map(|(id, name, short)| (id, (name, short)))
        .collect();
    let mut boxes = Vec::with_capacity(placed.len());
    for label in placed {
        let Some((name, short)) = galleys.get(&label.id) else {
            continue;
        };
        let galley = if label.form == 0 {
            name.clone()
        } else {
            short.clone()
        };
        halo_text(
            painter,
            galley,
            pos2(label.bounds.min_x, label.bounds.min_y),
            text_colour,
            halo_colour,
        );
        boxes.push(label.bounds);
    }
    boxes
}

fn place_labels_ui(
    painter: &egui::Painter,
    basemap: &PreparedBasemap,
    projector: &Projector,
    occupied: &mut Vec<ScreenBox>,
    dark: bool,
) {
    let rect = projector.clip_rect();
    let zoom = projector.zoom();
    let colour = theme::of(dark).place;
    let halo = theme::of(dark).place_halo;
    if zoom < 7.5 {
        for (name, position) in &basemap.countries {
            if name == "ENGLAND" {
                continue; // covered by the footprints
            }
            let pos = projector.project(lon_lat(position.x, position.y)).to_pos2();
            let galley = painter.layout_no_wrap(name.clone(), FontId::proportional(12.0), colour);
            let b = ScreenBox::centred(pos.x, pos.y, galley.size().x, galley.size().y);
            if rect.contains(pos) && !occupied.iter().any(|o| o.overlaps(&b)) {
                halo_text(painter, galley, pos2(b.min_x, b.min_y), colour, halo);
                occupied.push(b);
            }
        }
    }
    let mut drawn = 0;
    for place in basemap.places.iter().filter(|p| p.min_zoom() <= zoom) {
        if drawn >= 250 {
            break;
        }
        let pos = projector
            .project(lon_lat(place.position.x, place.position.y))
            .to_pos2();
        if !rect.contains(pos) {
            continue;
        }
        let galley = painter.layout_no_wrap(place.name.clone(), FontId::proportional(11.0), colour);
        let size = galley.size();
        let b = ScreenBox {
            min_x: pos.x + 4.0,
            min_y: pos.y - size.y / 2.0,
            max_x: pos.x + 4.0 + size.x,
            max_y: pos.y + size.y / 2.0,
        };
        let dot = ScreenBox::centred(pos.x, pos.y, 5.0, 5.0);
        if occupied.iter().any(|o| o.overlaps(&b) || o.overlaps(&dot)) {
            continue;
        }
        painter.circle(pos, 2.2, colour, Stroke::new(1.0, halo));
        halo_text(painter, galley, pos2(b.min_x, b.min_y), colour, halo);
        occupied.push(b);
        occupied.push(dot);
        drawn += 1;
    }
}

fn map_controls_ui(ui: &mut Ui, rect: Rect, input: &MapInput) -> Option<Action> {
    let mut action = None;
    let size = vec2(30.0, 30.0);
    let mut top = rect.left_top() + vec2(10.0, 10.0);
    let mut button = |ui: &mut Ui, text: &str, tip: &str, enabled: bool| -> bool {
        let r = Rect::from_min_size(top, size);
        top.y += size.y + 4.0;
        ui.put(r, egui::Button::new(egui::RichText::new(text).size(16.0)))
            .on_hover_text(tip)
            .clicked()
            && enabled
    };
    if button(ui, "+", "Zoom in (+)", true) {
        action = Some(Action::ZoomIn);
    }
    if button(ui, "−", "Zoom out (−)", true) {
        action = Some(Action::ZoomOut);
    }
    if button(ui, "🏠", "Fit England (Home)", true) {
        action = Some(Action::FitAll);
    }
    if input.selected.is_some() && button(ui, "🔍", "Zoom to the selected footprint (Z)", true) {
        action = Some(Action::ZoomToSelection);
    }
    action
}

/// The legend in the lower left, above the scale bar.
pub fn legend_ui(
    painter: &egui::Painter,
    rect: Rect,
    legend: &crate::render::style::Legend,
    dark: bool,
) {
    if legend.entries.is_empty() {
        return;
    }
    let text = theme::of(dark).legend_text;
    let background = theme::of(dark).legend_background;
    let title = painter.layout_no_wrap(legend.title.clone(), FontId::proportional(13.0), text);
    let rows: Vec<_> = legend
        .entries
        .iter()
        .map(|e| painter.layout_no_wrap(e.label.clone(), FontId::proportional(12.0), text))
        .collect();
    let row_h = 18.0;
    let width = rows
        .iter()
        .map(|g| g.size().x + 26.0)
        .fold(title.size().x, f32::max)
        + 16.0;
    let height = title.size().y + 6.0 + row_h * rows.len() as f32 + 12.0;
    let frame = Rect::from_min_size(
        rect.left_bottom() + vec2(10.0, -44.0 - height),
        vec2(width, height),
    );
    painter.rect_filled(frame, 4.0, background);
    let mut y = frame.top() + 6.0;
    painter.galley(pos2(frame.left() + 8.0, y), title.clone(), text);
    y += title.size().y + 6.0;
    for (entry, galley) in legend.entries.iter().zip(rows) {
        let Rgb(r, g, b) = entry.colour;
        let swatch = Rect::from_min_size(pos2(frame.left() + 8.0, y + 2.0), vec2(16.0, 12.0));
        painter.rect_filled(swatch, 2.0, Color32::from_rgb(r, g, b));
        painter.rect_stroke(
            swatch,
            2.0,
            Stroke::new(0.5, text),
            egui::StrokeKind::Inside,
        );
        painter.galley(pos2(swatch.right() + 6.0, y), galley, text);
        y += row_h;
    }
}

fn scale_bar(
    painter: &egui::Painter,
    rect: Rect,
    lat: f64,
    zoom: f64,
    text: Color32,
    halo: Color32,
) {
    let mpp = metres_per_pixel(lat, zoom);
    let metres = nice_distance(mpp * 140.0);
    if metres <= 0.0 {
        return;
    }
    let width = (metres / mpp) as f32;
    let left = rect.left_bottom() + vec2(12.0, -14.0);
    let right = left + vec2(width, 0.0);
    let stroke_halo = Stroke::new(4.0, halo);
    let stroke = Stroke::new(2.0, text);
    for s in [stroke_halo, stroke] {
        painter.line_segment([left, right], s);
        painter.line_segment([left, left - vec2(0.0, 6.0)], s);
        painter.line_segment([right, right - vec2(0.0, 6.0)], s);
    }
    let label = if metres >= 1000.0 {
        format!("{} km", metres / 1000.0)
    } else {
        format!("{metres} m")
    };
    let galley = painter.layout_no_wrap(label, FontId::proportional(11.0), text);
    let pos = left + vec2(width / 2.0 - galley.size().x / 2.0, -8.0 - galley.size().y);
    halo_text(painter, galley, pos, text, halo);
}

fn attribution(ui: &mut Ui, rect: Rect, input: &MapInput) {
    let mut text = String::from(crate::SHORT_ATTRIBUTION);
    if let Some(credit) = input.tile_credit {
        text = format!("{credit} · {text}");
    }
    let font = FontId::proportional(10.5);
    let galley = ui
        .painter()
        .layout(text, font, ui.visuals().text_color(), rect.width() * 0.6);
    let margin = vec2(6.0, 3.0);
    let size = galley.size() + margin * 2.0;
    let area = Rect::from_min_size(rect.right_bottom() - size, size);
    let bg = ui.visuals().extreme_bg_color.gamma_multiply(0.85);
    ui.painter().rect_filled(area, 3.0, bg);
    ui.painter()
        .galley(area.min + margin, galley, ui.visuals().text_color());
    ui.interact(area, ui.scope_id().with("attribution"), Sense::hover())
        .on_hover_text("Full data sources and licences: Help, About Footprints and its data");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlines_too_big_for_one_gpu_buffer_are_split() {
        // 400,000 segments: about 86 MB as one buffer, past the budget, so several groups.
        let line = |i: usize| Line {
            points: (0..101).map(|k| pos2(k as f32, i as f32)).collect(),
            width: 1.0,
            color: Color32::BLACK,
            dasharray: Vec::new(),
        };
        let groups = drawables(vec![Drawable::Lines((0..4_000).map(line).collect())]);
        assert!(groups.len() >= 2, "{} groups", groups.len());
    }

    #[test]
    fn empty_meshes_and_lines_never_reach_the_gpu() {
        // An empty buffer makes wgpu panic; a build without basemap data produces just that.
        assert!(drawables(vec![Drawable::Fill(Mesh::default())]).is_empty());
        let flat = Line {
            points: vec![pos2(1.0, 1.0), pos2(1.0, 1.0)],
            width: 1.0,
            color: Color32::BLACK,
            dasharray: Vec::new(),
        };
        assert!(
            drawables(vec![
                Drawable::Lines(vec![flat.clone()]),
                Drawable::Lines(Vec::new())
            ])
            .is_empty()
        );
        let square = Mesh::rect(
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
            Color32::RED,
        );
        assert_eq!(
            drawables(vec![Drawable::Fill(square), Drawable::Lines(vec![flat])]).len(),
            1
        );
    }
}
