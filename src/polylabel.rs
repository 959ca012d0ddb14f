//! Polylabel: the point of a polygon farthest from its edges (its pole of inaccessibility),
//! where a label fits best, found by a quadtree search.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use geo::{Area, Coord, MultiPolygon, Polygon};

/// Signed distance from `p` to the polygon's edges: positive inside, negative outside.
fn signed_distance(p: Coord<f64>, polygon: &Polygon<f64>) -> f64 {
    let mut inside = false;
    let mut min_d2 = f64::INFINITY;
    for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
        for w in ring.0.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                inside = !inside;
            }
            min_d2 = min_d2.min(crate::geo_util::segment_distance_sq(p, a, b));
        }
    }
    let d = min_d2.sqrt();
    if inside { d } else { -d }
}

struct Cell {
    centre: Coord<f64>,
    half: f64,
    distance: f64,
    potential: f64,
}

impl Cell {
    fn new(centre: Coord<f64>, half: f64, polygon: &Polygon<f64>) -> Self {
        let distance = signed_distance(centre, polygon);
        Self {
            centre,
            half,
            distance,
            potential: distance + half * std::f64::consts::SQRT_2,
        }
    }
}

impl PartialEq for Cell {
    fn eq(&self, other: &Self) -> bool {
        self.potential == other.potential
    }
}
impl Eq for Cell {}
impl PartialOrd for Cell {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Cell {
    fn cmp(&self, other: &Self) -> Ordering {
        self.potential.total_cmp(&other.potential)
    }
}

/// Cells examined per polygon at most: enough to put a label well inside any real boundary,
/// few enough that tens of thousands of polygons take a second.
const MAX_CELLS: usize = 400;

/// The pole of inaccessibility of a polygon (Mapbox's polylabel): the inside point farthest from
/// any edge, to within `precision`, and that distance. Coordinates should be in a conformal
/// projection (e.g. Web Mercator) so that "farthest" matches what the eye sees.
pub fn pole_of_inaccessibility(polygon: &Polygon<f64>, precision: f64) -> (Coord<f64>, f64) {
    use geo::BoundingRect;
    let Some(bbox) = polygon.bounding_rect() else {
        return (Coord { x: 0.0, y: 0.0 }, 0.0);
    };
    let size = bbox.width().min(bbox.height());
    if size <= 0.0 {
        return (bbox.min(), 0.0);
    }
    let half = size / 2.0;
    let mut heap = BinaryHeap::new();
    let mut x = bbox.min().x;
    while x < bbox.max().x {
        let mut y = bbox.min().y;
        while y < bbox.max().y {
            heap.push(Cell::new(
                Coord {
                    x: x + half,
                    y: y + half,
                },
                half,
                polygon,
            ));
            y += size;
        }
        x += size;
    }
    // Start from the centroid (or the box centre) if it is better than any cell.
    let (mut best_centre, mut best_distance) = {
        use geo::Centroid;
        let c = polygon.centroid().map(|p| p.0).unwrap_or(bbox.center());
        (c, signed_distance(c, polygon))
    };
    let box_centre = bbox.center();
    let box_distance = signed_distance(box_centre, polygon);
    if box_distance > best_distance {
        (best_centre, best_distance) = (box_centre, box_distance);
    }
    let mut iterations = 0;
    while let Some(cell) = heap.pop() {
        iterations += 1;
        if cell.distance > best_distance {
            (best_centre, best_distance) = (cell.centre, cell.distance);
        }
        if cell.potential - best_distance <= precision || iterations > MAX_CELLS {
            continue;
        }
        let h = cell.half / 2.0;
        for (dx, dy) in [(-h, -h), (h, -h), (-h, h), (h, h)] {
            heap.push(Cell::new(
                Coord {
                    x: cell.centre.x + dx,
                    y: cell.centre.y + dy,
                },
                h,
                polygon,
            ));
        }
    }
    (best_centre, best_distance.max(0.0))
}

/// Label anchor of a multipolygon: the pole of its largest part. `project` maps lon/lat into
/// the plane the label is measured in.
pub fn label_anchor(
    geometry: &MultiPolygon<f64>,
    project: impl Fn(Coord<f64>) -> Coord<f64>,
) -> Option<(Coord<f64>, f64)> {
    use geo::MapCoords;
    let projected: Vec<Polygon<f64>> = geometry.0.iter().map(|p| p.map_coords(&project)).collect();
    let largest = projected
        .iter()
        .max_by(|a, b| a.unsigned_area().total_cmp(&b.unsigned_area()))?;
    let precision = {
        use geo::BoundingRect;
        largest
            .bounding_rect()
            .map(|r| r.width().max(r.height()) / 100.0)
            .unwrap_or(1e-9)
    };
    Some(pole_of_inaccessibility(largest, precision))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn pole_of_an_l_shape_is_inside_its_wide_part() {
        // An L: a 10×2 bar along the bottom and a 2×10 bar up the left.
        let l = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 2.0), (x: 2.0, y: 2.0), (x: 2.0, y: 10.0), (x: 0.0, y: 10.0), (x: 0.0, y: 0.0)];
        let (p, d) = pole_of_inaccessibility(&l, 0.01);
        assert!(signed_distance(p, &l) > 0.9, "{p:?} is not well inside");
        // The largest circle sits in the corner, touching both outer edges and the inner
        // corner: radius 4 − 2√2.
        assert!((d - (4.0 - 2.0 * 2f64.sqrt())).abs() < 0.02, "{d}");
        // The centroid of an L lies outside it; the pole does not.
        use geo::Centroid;
        let centroid = l.centroid().unwrap().0;
        assert!(signed_distance(centroid, &l) < 0.0 || signed_distance(centroid, &l) < d);
    }

    #[test]
    fn square_pole_is_its_centre() {
        let sq = polygon![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0), (x: 0.0, y: 0.0)];
        let (p, d) = pole_of_inaccessibility(&sq, 0.001);
        assert!((p.x - 2.0).abs() < 0.01 && (p.y - 2.0).abs() < 0.01);
        assert!((d - 2.0).abs() < 0.01);
    }
}
