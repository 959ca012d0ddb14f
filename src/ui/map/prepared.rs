//! A layer prepared for drawing: meshes and outlines at each level of detail, grouped in
//! spatial chunks, with label anchors, neighbours and the point locator.

use super::*;

/// Where a footprint's label goes and how much room it has.
#[derive(Clone, Copy, Debug)]
pub struct Anchor {
    pub position: Coord<f64>,
    /// Radius of the free circle around it, in Web Mercator world units (0..1 = the world).
    pub room: f64,
}

/// Footprints grouped by where they are, so that only groups in view are drawn.
pub(super) struct Chunks {
    /// The mesh-space bounds of each chunk, indexed by chunk.
    pub(super) tree: RTree<GeomWithData<Rectangle<[f32; 2]>, usize>>,
    /// The chunk of each footprint.
    pub(super) of_footprint: Vec<usize>,
    pub(super) count: usize,
}

/// Footprints per chunk, roughly: small enough to cull usefully, big enough to draw in few calls.
pub(super) const FOOTPRINTS_PER_CHUNK: usize = 400;

impl Chunks {
    /// Cuts the layer's extent into a grid and puts each footprint in the cell of its centre.
    pub(super) fn new(layer: &Layer) -> Self {
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
    pub(super) fn in_view(&self, view: Rect) -> Vec<usize> {
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
pub(super) struct LevelMeshes {
    /// Drawn below this zoom (the finest level: at every zoom above the others).
    pub(super) below_zoom: f64,
    /// Per footprint, its rings in mesh space (for the outline of the selection).
    pub(super) rings: Vec<Vec<Vec<Pos2>>>,
    /// Per footprint, its fill mesh in white (tinted for highlights).
    pub(super) meshes: Vec<Mesh>,
    /// Per chunk, the fills in the footprints' colours.
    pub(super) fills: Vec<Vec<Drawables>>,
    /// Per chunk, the boundaries, each shared border once.
    pub(super) outlines_light: Vec<Vec<Drawables>>,
    pub(super) outlines_dark: Vec<Vec<Drawables>>,
    /// For a layer shown over the active one: boundaries alone, in a colour of their own.
    pub(super) outlines_other: Vec<Vec<Drawables>>,
    /// Boundary vertices at this level, for the benchmark.
    pub(super) vertices: usize,
}

impl LevelMeshes {
    /// `outlines` are the boundary lines (lon/lat), each with the footprint whose chunk it goes in.
    pub(super) fn new(
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
pub(super) fn fills_of(meshes: &[Mesh], colours: &[Rgb], chunks: &Chunks) -> Vec<Vec<Drawables>> {
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
pub(super) const LEVEL_ZOOMS: [f64; 4] = [7.0, 9.0, 11.0, 13.0];

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

pub(super) fn ms_since(t: std::time::Instant) -> f64 {
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
    pub(super) levels: Vec<LevelMeshes>,
    pub(super) chunks: Chunks,
    /// Label anchors, for finding those in view.
    pub(super) anchor_tree: RTree<GeomWithData<[f64; 2], usize>>,
    /// Footprints with an anchor, roomiest first: at national zoom only the first few can
    /// hold a label at all.
    pub(super) by_room: Vec<usize>,
    /// Fast point-in-footprint lookups (the same answers as `footprints which`).
    pub locator: crate::lookup::PointLocator,
    /// Area of each footprint in km², from its geometry.
    pub areas_km2: Vec<f64>,
    /// Properties with numbers in most features (choices for a choropleth).
    pub numeric_properties: Vec<String>,
    /// The median label room (world units): how small a typical area is.
    pub(super) typical_room: f64,
    pub timings: PrepareTimings,
    /// Drawn on the map (the layers panel's tick box).
    pub visible: bool,
    /// 0..1, the layers panel's slider.
    pub opacity: f32,
}

/// Neighbour tolerance in degrees (about 30–50 m): enough for boundaries that were generalised
/// separately, too little to join footprints across an estuary.
pub(super) const NEIGHBOUR_TOLERANCE: f64 = 0.0004;

/// Up to this many footprints, neighbours are also found by nearness, for files whose borders
/// were drawn separately and do not share vertices exactly.
pub(super) const NEAR_NEIGHBOURS_UP_TO: usize = 5000;

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
    pub(super) fn prepare_drawing(
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

    pub(super) fn level(&self, zoom: f64) -> &LevelMeshes {
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
