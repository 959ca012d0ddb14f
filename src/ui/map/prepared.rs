//! A layer prepared for drawing: its [`Analysis`] (levels of detail, neighbours, colours,
//! anchors, locator) with each level tessellated into meshes and outlines, grouped in spatial
//! chunks.

use super::*;
use crate::analysis::{Analysis, ms_since};
pub use crate::analysis::{Anchor, DETAIL_ZOOM, PrepareTimings};

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

/// A layer made ready to draw and query: index, neighbours, colours, labels and meshes.
pub struct PreparedLayer {
    /// Shared with background jobs (board packs, comparisons, people figures) rather than
    /// copied; changed through `Arc::make_mut`, which copies only while a job still holds it.
    pub layer: std::sync::Arc<Layer>,
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
    /// Area of each footprint in km² ([`crate::facts::areas_km2`]).
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
    /// People per footprint from LSOA 2021, once worked out in the background.
    pub statistics: Option<std::sync::Arc<crate::blocks::layer_statistics::LayerStatistics>>,
}

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
        use crate::load::Stage;
        let Analysis {
            levels: plans,
            neighbours,
            colours,
            anchors,
            by_room,
            typical_room,
            locator,
            areas_km2,
            numeric_properties,
            mut timings,
        } = Analysis::new(&layer, progress)?;
        let step = |stage: Stage| {
            progress.set_stage(stage);
            (!progress.cancelled()).then_some(())
        };
        let t = std::time::Instant::now();
        let chunks = Chunks::new(&layer);
        let mut levels: Vec<LevelMeshes> = Vec::with_capacity(plans.len());
        for plan in plans {
            step(Stage::Tessellating)?;
            levels.push(LevelMeshes::new(
                plan.below_zoom,
                &plan.geometries,
                plan.lines,
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
        timings.index_ms += ms_since(t);
        step(Stage::Done)?;
        Some(Self {
            neighbours,
            colours,
            typical_room,
            anchors,
            short_labels,
            levels,
            chunks,
            anchor_tree,
            by_room,
            locator,
            areas_km2,
            numeric_properties,
            layer: std::sync::Arc::new(layer),
            timings,
            visible: true,
            opacity: 1.0,
            statistics: None,
        })
    }

    /// The layer's facts (lead, people, members, area, region): what every output says.
    pub fn facts<'a>(
        &'a self,
        stp2016: &'a crate::details::DetailsCatalog,
    ) -> crate::facts::LayerFacts<'a> {
        crate::facts::LayerFacts::new(
            &self.layer,
            stp2016,
            self.statistics.as_deref(),
            &self.areas_km2,
        )
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

    /// Drawables for a highlight over several footprints at `zoom` (a builder's unit).
    pub fn highlight_many(&self, indices: &[usize], zoom: f64, color: Color32) -> Vec<Drawables> {
        let meshes = &self.level(zoom).meshes;
        drawables(
            indices
                .iter()
                .filter_map(|&i| meshes.get(i))
                .map(|mesh| Drawable::Fill(tinted(mesh, color)))
                .collect(),
        )
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
        // Only the chunks holding a footprint whose colour changed are filled again (a block
        // moved in the builder touches one or two of them).
        let mut affected = vec![false; self.chunks.count];
        let mut any = 0;
        for (i, (new, old)) in colours.iter().zip(&self.colours).enumerate() {
            if new != old
                && let Some(chunk) = self.chunks.of_footprint.get(i)
                && !affected[*chunk]
            {
                affected[*chunk] = true;
                any += 1;
            }
        }
        for level in &mut self.levels {
            if any * 2 > self.chunks.count || level.fills.len() != self.chunks.count {
                level.fills = fills_of(&level.meshes, &colours, &self.chunks);
                continue;
            }
            let mut by_chunk: Vec<Vec<Drawable>> = vec![Vec::new(); self.chunks.count];
            for ((mesh, &c), &chunk) in level
                .meshes
                .iter()
                .zip(&colours)
                .zip(&self.chunks.of_footprint)
            {
                if affected[chunk] {
                    by_chunk[chunk].push(Drawable::Fill(tinted(mesh, colour(c, 190))));
                }
            }
            for (chunk, list) in by_chunk.into_iter().enumerate() {
                if affected[chunk] {
                    level.fills[chunk] = drawables(list);
                }
            }
        }
        self.colours = colours;
    }
}
