//! Fast "which footprint contains this point?": a grid over the layer whose cells are either
//! wholly inside one footprint, wholly outside all, or on a boundary; boundary cells test only
//! the polygons that reach them, each with its edges bucketed into horizontal bands.
//! Millions of points a second on one core.

use geo::{BoundingRect, Coord, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree, RTreeObject};

use crate::model::Layer;

/// One polygon (outer ring and holes) with its edges bucketed by latitude band.
struct BandedPolygon {
    footprint: u32,
    min_y: f64,
    band_height: f64,
    /// Edges as (x0, y0, x1, y1).
    edges: Vec<[f64; 4]>,
    /// For band `b`, `band_edges[band_starts[b]..band_starts[b + 1]]` are the edges crossing it.
    band_starts: Vec<u32>,
    band_edges: Vec<u32>,
}

impl BandedPolygon {
    fn new(footprint: u32, polygon: &Polygon<f64>) -> Option<Self> {
        let bbox = polygon.bounding_rect()?;
        let mut edges = Vec::new();
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            for w in ring.0.windows(2) {
                if w[0].y != w[1].y {
                    edges.push([w[0].x, w[0].y, w[1].x, w[1].y]);
                }
            }
        }
        let bands = (edges.len() / 4).clamp(1, 4096);
        let height = (bbox.height() / bands as f64).max(f64::MIN_POSITIVE);
        let band_of = |y: f64| (((y - bbox.min().y) / height) as usize).min(bands - 1);
        let mut counts = vec![0u32; bands + 1];
        for e in &edges {
            let (lo, hi) = (band_of(e[1].min(e[3])), band_of(e[1].max(e[3])));
            for c in &mut counts[lo..=hi] {
                *c += 1;
            }
        }
        let mut band_starts = Vec::with_capacity(bands + 1);
        let mut total = 0u32;
        for c in &counts[..bands] {
            band_starts.push(total);
            total += c;
        }
        band_starts.push(total);
        let mut fill = band_starts.clone();
        let mut band_edges = vec![0u32; total as usize];
        for (i, e) in edges.iter().enumerate() {
            let (lo, hi) = (band_of(e[1].min(e[3])), band_of(e[1].max(e[3])));
            for slot in &mut fill[lo..=hi] {
                band_edges[*slot as usize] = i as u32;
                *slot += 1;
            }
        }
        Some(Self {
            footprint,
            min_y: bbox.min().y,
            band_height: height,
            edges,
            band_starts,
            band_edges,
        })
    }

    /// Even-odd crossing test (holes and self-intersections handled alike).
    fn contains(&self, x: f64, y: f64) -> bool {
        let bands = self.band_starts.len() - 1;
        let offset = (y - self.min_y) / self.band_height;
        if !(0.0..=bands as f64).contains(&offset) {
            return false;
        }
        let band = (offset as usize).min(bands - 1);
        let (start, end) = (
            self.band_starts[band] as usize,
            self.band_starts[band + 1] as usize,
        );
        let mut inside = false;
        for &i in &self.band_edges[start..end] {
            let [x0, y0, x1, y1] = self.edges[i as usize];
            if (y0 > y) != (y1 > y) && x < (x1 - x0) * (y - y0) / (y1 - y0) + x0 {
                inside = !inside;
            }
        }
        inside
    }
}

const OUTSIDE: u32 = u32::MAX;
const BOUNDARY_FLAG: u32 = 1 << 31;

/// Point-in-footprint lookups for one layer.
pub struct PointLocator {
    min: Coord<f64>,
    cell: f64,
    nx: usize,
    ny: usize,
    /// Per cell: OUTSIDE, a footprint index, or BOUNDARY_FLAG | index into `candidate_starts`.
    cells: Vec<u32>,
    candidate_starts: Vec<u32>,
    /// Polygon indices, in footprint order.
    candidates: Vec<u32>,
    polygons: Vec<BandedPolygon>,
}

impl PointLocator {
    /// Builds the locator over the layer's hit-testing geometry.
    pub fn build(layer: &Layer) -> Self {
        let mut polygons = Vec::new();
        for index in 0..layer.footprints.len() {
            for polygon in &layer.hit_geometry(index).0 {
                if let Some(banded) = BandedPolygon::new(index as u32, polygon) {
                    polygons.push(banded);
                }
            }
        }
        let boxes = polygon_boxes(&polygons);
        // The hit geometry may reach beyond the drawn (simplified) geometry's box.
        let Some(bbox) = boxes
            .iter()
            .map(|b| {
                let e = b.geom().envelope();
                geo::Rect::new(
                    Coord {
                        x: e.lower()[0],
                        y: e.lower()[1],
                    },
                    Coord {
                        x: e.upper()[0],
                        y: e.upper()[1],
                    },
                )
            })
            .reduce(crate::geo_util::union_rect)
        else {
            return Self::empty();
        };
        let vertices: usize = polygons.iter().map(|p| p.edges.len()).sum();
        let grid = Grid::over(bbox, vertices);
        let boundary = boundary_cells(layer, &polygons, &grid);
        let tree = RTree::bulk_load(boxes);
        let mut cells = vec![OUTSIDE; grid.nx * grid.ny];
        let mut candidate_starts = vec![0u32];
        let mut candidates = Vec::new();
        for y in 0..grid.ny {
            for x in 0..grid.nx {
                let x0 = grid.min.x + x as f64 * grid.cell;
                let y0 = grid.min.y + y as f64 * grid.cell;
                let i = y * grid.nx + x;
                if boundary[i] {
                    let envelope = AABB::from_corners([x0, y0], [x0 + grid.cell, y0 + grid.cell]);
                    let mut found: Vec<u32> = tree
                        .locate_in_envelope_intersecting(&envelope)
                        .map(|g| g.data)
                        .collect();
                    if found.is_empty() {
                        continue;
                    }
                    found.sort_unstable_by_key(|&p| (polygons[p as usize].footprint, p));
                    cells[i] = BOUNDARY_FLAG | (candidate_starts.len() as u32 - 1);
                    candidates.extend(found);
                    candidate_starts.push(candidates.len() as u32);
                } else {
                    let (cx, cy) = (x0 + grid.cell / 2.0, y0 + grid.cell / 2.0);
                    let owner = tree
                        .locate_all_at_point(&[cx, cy])
                        .filter(|g| polygons[g.data as usize].contains(cx, cy))
                        .map(|g| polygons[g.data as usize].footprint)
                        .min();
                    if let Some(footprint) = owner {
                        cells[i] = footprint;
                    }
                }
            }
        }
        Self {
            min: grid.min,
            cell: grid.cell,
            nx: grid.nx,
            ny: grid.ny,
            cells,
            candidate_starts,
            candidates,
            polygons,
        }
    }

    fn empty() -> Self {
        Self {
            min: Coord { x: 0.0, y: 0.0 },
            cell: 1.0,
            nx: 0,
            ny: 0,
            cells: Vec::new(),
            candidate_starts: vec![0],
            candidates: Vec::new(),
            polygons: Vec::new(),
        }
    }

    /// The footprint containing the lon/lat point; where footprints overlap, the first listed.
    pub fn locate(&self, point: Coord<f64>) -> Option<usize> {
        let fx = (point.x - self.min.x) / self.cell;
        let fy = (point.y - self.min.y) / self.cell;
        if !(fx >= 0.0 && fy >= 0.0 && (fx as usize) < self.nx && (fy as usize) < self.ny) {
            return None;
        }
        let value = self.cells[fy as usize * self.nx + fx as usize];
        if value == OUTSIDE {
            return None;
        }
        if value & BOUNDARY_FLAG == 0 {
            return Some(value as usize);
        }
        let k = (value & !BOUNDARY_FLAG) as usize;
        let (start, end) = (
            self.candidate_starts[k] as usize,
            self.candidate_starts[k + 1] as usize,
        );
        self.candidates[start..end]
            .iter()
            .map(|&p| &self.polygons[p as usize])
            .find(|p| p.contains(point.x, point.y))
            .map(|p| p.footprint as usize)
    }

    /// Locates many points, on every core.
    pub fn locate_all(&self, points: &[Coord<f64>]) -> Vec<Option<usize>> {
        crate::parallel::map(points, |p| self.locate(*p))
    }
}

/// Each polygon's bounding box, keyed by its index.
fn polygon_boxes(polygons: &[BandedPolygon]) -> Vec<GeomWithData<Rectangle<[f64; 2]>, u32>> {
    polygons
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (mut min_x, mut max_x) = (f64::INFINITY, f64::NEG_INFINITY);
            let (mut min_y, mut max_y) = (f64::INFINITY, f64::NEG_INFINITY);
            for e in &p.edges {
                min_x = min_x.min(e[0].min(e[2]));
                max_x = max_x.max(e[0].max(e[2]));
                min_y = min_y.min(e[1].min(e[3]));
                max_y = max_y.max(e[1].max(e[3]));
            }
            GeomWithData::new(
                Rectangle::from_corners([min_x, min_y], [max_x, max_y]),
                i as u32,
            )
        })
        .collect()
}

/// The locator's grid: square cells over the layer's box, about two per vertex.
struct Grid {
    min: Coord<f64>,
    cell: f64,
    nx: usize,
    ny: usize,
}

impl Grid {
    fn over(bbox: geo::Rect<f64>, vertices: usize) -> Grid {
        let target_cells = (vertices * 2).clamp(4_096, 1 << 20) as f64;
        let (w, h) = (bbox.width().max(1e-9), bbox.height().max(1e-9));
        let cell = (w * h / target_cells).sqrt();
        Grid {
            min: bbox.min(),
            cell,
            nx: ((w / cell).ceil() as usize).max(1),
            ny: ((h / cell).ceil() as usize).max(1),
        }
    }

    /// The cell column of `x`, clamped to the grid.
    fn column(&self, x: f64) -> usize {
        (((x - self.min.x) / self.cell) as isize).clamp(0, self.nx as isize - 1) as usize
    }

    /// The cell row of `y`, clamped to the grid.
    fn row(&self, y: f64) -> usize {
        (((y - self.min.y) / self.cell) as isize).clamp(0, self.ny as isize - 1) as usize
    }

    /// Marks the cells of rows `y0..=y1`, columns `x0..=x1`.
    fn mark(&self, cells: &mut [bool], (x0, x1): (usize, usize), (y0, y1): (usize, usize)) {
        for y in y0..=y1 {
            cells[y * self.nx + x0..=y * self.nx + x1].fill(true);
        }
    }
}

/// Cells touched by any edge: there a point needs the exact test.
fn boundary_cells(layer: &Layer, polygons: &[BandedPolygon], grid: &Grid) -> Vec<bool> {
    let mut boundary = vec![false; grid.nx * grid.ny];
    for p in polygons {
        for e in &p.edges {
            let columns = (grid.column(e[0].min(e[2])), grid.column(e[0].max(e[2])));
            let rows = (grid.row(e[1].min(e[3])), grid.row(e[1].max(e[3])));
            grid.mark(&mut boundary, columns, rows);
        }
    }
    // Horizontal edges were dropped from the crossing test but still bound cells.
    for index in 0..layer.footprints.len() {
        for polygon in &layer.hit_geometry(index).0 {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for w in ring.0.windows(2).filter(|w| w[0].y == w[1].y) {
                    let row = grid.row(w[0].y);
                    let columns = (
                        grid.column(w[0].x.min(w[1].x)),
                        grid.column(w[0].x.max(w[1].x)),
                    );
                    grid.mark(&mut boundary, columns, (row, row));
                }
            }
        }
    }
    boundary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::SpatialIndex;
    use crate::model::{Crs, FieldChoice, Footprint, LayerSource};
    use geo::{MultiPolygon, polygon};

    fn layer(footprints: Vec<Footprint>) -> Layer {
        Layer {
            title: "t".into(),
            source: LayerSource::Made("test"),
            footprints,
            detail: None,
            fields: FieldChoice::default(),
            property_keys: vec![],
            crs: Crs::Wgs84,
            problems: vec![],
            lsoa_2021_make_up: None,
        }
    }

    fn footprint(code: &str, polygon: Polygon<f64>) -> Footprint {
        Footprint::new(
            code.into(),
            code.into(),
            MultiPolygon::new(vec![polygon]),
            Default::default(),
        )
    }

    #[test]
    fn agrees_with_the_plain_index_on_a_grid_of_points() {
        // A square with a hole, a triangle beside it, and a star whose edges cross.
        let holed = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0), (x: 0.0, y: 0.0)],
            interiors: [[(x: 1.0, y: 1.0), (x: 3.0, y: 1.0), (x: 3.0, y: 3.0), (x: 1.0, y: 3.0), (x: 1.0, y: 1.0)]],
        );
        let triangle =
            polygon![(x: 4.0, y: 0.0), (x: 7.0, y: 0.0), (x: 4.0, y: 3.5), (x: 4.0, y: 0.0)];
        let star = polygon![(x: 5.0, y: 4.0), (x: 6.0, y: 7.0), (x: 7.0, y: 4.0), (x: 4.5, y: 6.0), (x: 7.5, y: 6.0), (x: 5.0, y: 4.0)];
        let layer = layer(vec![
            footprint("H", holed),
            footprint("T", triangle),
            footprint("S", star),
        ]);
        let locator = PointLocator::build(&layer);
        let index = SpatialIndex::build(&layer);
        let mut disagreements = 0;
        for i in 0..=160 {
            for j in 0..=160 {
                let p = Coord {
                    x: -0.5 + i as f64 * 0.05 + 0.0013,
                    y: -0.5 + j as f64 * 0.05 + 0.0007,
                };
                let fast = locator.locate(p);
                // The plain index uses geo's winding rule; the star's middle differs under even-odd.
                let slow = index.at(&layer, p);
                if fast != slow && !(slow == Some(2) && fast.is_none()) {
                    disagreements += 1;
                }
            }
        }
        assert_eq!(disagreements, 0);
        assert_eq!(
            locator.locate(Coord { x: 2.0, y: 2.0 }),
            None,
            "inside the hole"
        );
        assert_eq!(locator.locate(Coord { x: 0.5, y: 0.5 }), Some(0));
        assert_eq!(locator.locate(Coord { x: 4.5, y: 0.5 }), Some(1));
        assert_eq!(locator.locate(Coord { x: 100.0, y: 0.5 }), None);
        assert_eq!(
            locator.locate(Coord {
                x: f64::NAN,
                y: 0.5
            }),
            None
        );
    }

    #[test]
    fn batch_matches_single_lookups() {
        let square = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0), (x: 0.0, y: 0.0)];
        let layer = layer(vec![footprint("A", square)]);
        let locator = PointLocator::build(&layer);
        let points: Vec<Coord<f64>> = (0..1000)
            .map(|i| Coord {
                x: i as f64 / 500.0 - 0.5,
                y: 0.5,
            })
            .collect();
        let batch = locator.locate_all(&points);
        let single: Vec<_> = points.iter().map(|p| locator.locate(*p)).collect();
        assert_eq!(batch, single);
        assert_eq!(batch.iter().filter(|r| r.is_some()).count(), 500);
    }
}
