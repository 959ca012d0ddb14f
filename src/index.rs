//! Spatial index of a layer: which footprint contains a point, which are in view, which touch.

use geo::{Coord, Intersects, Point, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
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
}

/// For each footprint, the footprints it touches: those with a boundary vertex within about
/// `tolerance` degrees of one of its own. Boundaries cut from one topology (as ONS files are)
/// share their vertices, so this finds every shared edge and corner in linear time.
pub fn neighbours(layer: &Layer, tolerance: f64) -> Vec<Vec<usize>> {
    use std::collections::HashMap;
    let n = layer.footprints.len();
    let tolerance = tolerance.max(1e-12);
    let cell_of = |c: &geo::Coord<f64>| {
        (
            (c.x / tolerance).floor() as i64,
            (c.y / tolerance).floor() as i64,
        )
    };
    let mut cells: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
    for index in 0..n {
        for polygon in &layer.hit_geometry(index).0 {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for c in &ring.0 {
                    let list = cells.entry(cell_of(c)).or_default();
                    if list.last() != Some(&(index as u32)) && !list.contains(&(index as u32)) {
                        list.push(index as u32);
                    }
                }
            }
        }
    }
    let mut result: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (&(x, y), here) in &cells {
        for dx in -1..=1 {
            for dy in -1..=1 {
                let Some(there) = cells.get(&(x + dx, y + dy)) else {
                    continue;
                };
                for &a in here {
                    for &b in there {
                        if a != b {
                            result[a as usize].push(b as usize);
                        }
                    }
                }
            }
        }
    }
    for list in &mut result {
        list.sort_unstable();
        list.dedup();
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
            source: LayerSource::Made("test"),
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
            lsoa_2021_make_up: None,
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
