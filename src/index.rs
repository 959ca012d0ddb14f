//! Spatial index of a layer: which footprint contains a point, which are in view, which touch.

use geo::{Coord, Intersects, Point, Rect};
use rstar::primitives::{GeomWithData, Line, Rectangle};
use rstar::{AABB, RTree};

use crate::model::Layer;

type PartBox = GeomWithData<Rectangle<[f64; 2]>, (usize, usize)>;

/// R-tree over the bounding boxes of every polygon part of a layer's hit geometry.
pub struct SpatialIndex {
    parts: RTree<PartBox>,
}

fn aabb(rect: Rect<f64>) -> AABB<[f64; 2]> {
    AABB::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y])
}

impl SpatialIndex {
    pub fn build(layer: &Layer) -> Self {
        use geo::BoundingRect;
        let mut entries = Vec::new();
        for index in 0..layer.footprints.len() {
            for (part, polygon) in layer.hit_geometry(index).0.iter().enumerate() {
                if let Some(rect) = polygon.bounding_rect() {
                    let b = aabb(rect);
                    entries.push(GeomWithData::new(
                        Rectangle::from_corners(b.lower(), b.upper()),
                        (index, part),
                    ));
                }
            }
        }
        Self {
            parts: RTree::bulk_load(entries),
        }
    }

    /// The footprint containing `point` (lon/lat), boundary included. Where footprints
    /// overlap, the one listed first wins.
    pub fn at(&self, layer: &Layer, point: Coord<f64>) -> Option<usize> {
        let p = Point::from(point);
        let mut best: Option<usize> = None;
        for entry in self
            .parts
            .locate_in_envelope_intersecting(&AABB::from_point([point.x, point.y]))
        {
            let (index, part) = entry.data;
            if best.is_some_and(|b| b <= index) {
                continue;
            }
            if let Some(polygon) = layer.hit_geometry(index).0.get(part)
                && polygon.intersects(&p)
            {
                best = Some(index);
            }
        }
        best
    }

    /// Footprints with any part whose bounding box meets `view` (lon/lat), each once.
    pub fn in_view(&self, view: Rect<f64>) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .parts
            .locate_in_envelope_intersecting(&aabb(view))
            .map(|e| e.data.0)
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// For each footprint, the footprints whose boundaries come within `tolerance` degrees of it.
pub fn neighbours(layer: &Layer, tolerance: f64) -> Vec<Vec<usize>> {
    let n = layer.footprints.len();
    let mut segments = Vec::new();
    for index in 0..n {
        for polygon in &layer.hit_geometry(index).0 {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for w in ring.0.windows(2) {
                    segments.push(GeomWithData::new(
                        Line::new([w[0].x, w[0].y], [w[1].x, w[1].y]),
                        index,
                    ));
                }
            }
        }
    }
    let tree = RTree::bulk_load(segments);
    let mut result: Vec<Vec<usize>> = vec![Vec::new(); n];
    let tolerance_2 = tolerance * tolerance;
    for (index, found) in result.iter_mut().enumerate() {
        for polygon in &layer.hit_geometry(index).0 {
            for c in polygon.exterior().0.iter() {
                for other in tree.locate_within_distance([c.x, c.y], tolerance_2) {
                    if other.data != index && !found.contains(&other.data) {
                        found.push(other.data);
                    }
                }
            }
        }
    }
    // Make the relation symmetric (a small footprint's vertices may miss a long edge).
    for a in 0..n {
        for b in result[a].clone() {
            if !result[b].contains(&a) {
                result[b].push(a);
            }
        }
    }
    for list in &mut result {
        list.sort_unstable();
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Crs, FieldChoice, Footprint, LayerSource};
    use geo::{MultiPolygon, polygon};

    fn square(code: &str, x: f64, y: f64) -> Footprint {
        let p = polygon![(x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0), (x: x, y: y)];
        Footprint::new(
            code.into(),
            code.into(),
            MultiPolygon::new(vec![p]),
            Default::default(),
        )
    }

    fn grid_layer() -> Layer {
        // A B . D
        // C . . .
        Layer {
            title: "t".into(),
            source: LayerSource::Embedded("test"),
            footprints: vec![
                square("A", 0.0, 1.0),
                square("B", 1.0, 1.0),
                square("C", 0.0, 0.0),
                square("D", 3.0, 1.0),
            ],
            detail: None,
            fields: FieldChoice::default(),
            property_keys: vec![],
            crs: Crs::Wgs84,
            problems: vec![],
        }
    }

    #[test]
    fn point_lookup_finds_the_containing_square_or_none() {
        let layer = grid_layer();
        let index = SpatialIndex::build(&layer);
        assert_eq!(index.at(&layer, Coord { x: 0.5, y: 1.5 }), Some(0));
        assert_eq!(index.at(&layer, Coord { x: 1.5, y: 1.2 }), Some(1));
        assert_eq!(index.at(&layer, Coord { x: 2.5, y: 1.5 }), None);
        assert_eq!(index.at(&layer, Coord { x: -5.0, y: 50.0 }), None);
    }

    #[test]
    fn holes_are_not_inside() {
        let outer = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0), (x: 0.0, y: 0.0)],
            interiors: [[(x: 1.0, y: 1.0), (x: 3.0, y: 1.0), (x: 3.0, y: 3.0), (x: 1.0, y: 3.0), (x: 1.0, y: 1.0)]],
        );
        let mut layer = grid_layer();
        layer.footprints = vec![Footprint::new(
            "H".into(),
            "H".into(),
            MultiPolygon::new(vec![outer]),
            Default::default(),
        )];
        let index = SpatialIndex::build(&layer);
        assert_eq!(index.at(&layer, Coord { x: 0.5, y: 0.5 }), Some(0));
        assert_eq!(index.at(&layer, Coord { x: 2.0, y: 2.0 }), None);
    }

    #[test]
    fn neighbours_share_an_edge_or_corner() {
        let layer = grid_layer();
        let n = neighbours(&layer, 1e-6);
        assert_eq!(n[0], vec![1, 2]);
        assert_eq!(n[1], vec![0, 2], "B touches C at a corner");
        assert_eq!(n[3], Vec::<usize>::new());
    }
}
