//! Turning parsed rings into valid polygons: dropping bad positions, closing rings, skipping
//! degenerate ones, and counting each repair so it can be reported.

use geo::{Coord, LineString, MultiPolygon, Polygon};

/// Counts of what was repaired, for the "problems" report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Repairs {
    pub unclosed_rings_closed: usize,
    pub degenerate_rings_dropped: usize,
    pub invalid_positions_dropped: usize,
    pub duplicate_positions_dropped: usize,
}

impl Repairs {
    pub fn add(&mut self, other: &Repairs) {
        self.unclosed_rings_closed += other.unclosed_rings_closed;
        self.degenerate_rings_dropped += other.degenerate_rings_dropped;
        self.invalid_positions_dropped += other.invalid_positions_dropped;
        self.duplicate_positions_dropped += other.duplicate_positions_dropped;
    }

    /// Plain-words lines, one per kind of repair that happened.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if self.unclosed_rings_closed > 0 {
            lines.push(format!(
                "{} unclosed ring(s) were closed",
                self.unclosed_rings_closed
            ));
        }
        if self.degenerate_rings_dropped > 0 {
            lines.push(format!(
                "{} degenerate ring(s) with fewer than 3 distinct points were dropped",
                self.degenerate_rings_dropped
            ));
        }
        if self.invalid_positions_dropped > 0 {
            lines.push(format!(
                "{} position(s) that were not finite numbers or out of range were dropped",
                self.invalid_positions_dropped
            ));
        }
        lines
    }
}

fn valid_lon_lat(c: &Coord<f64>) -> bool {
    c.x.is_finite()
        && c.y.is_finite()
        && (-180.0..=180.0).contains(&c.x)
        && (-90.0..=90.0).contains(&c.y)
}

/// Cleans one ring; `None` if nothing usable is left.
pub fn repair_ring(ring: Vec<Coord<f64>>, repairs: &mut Repairs) -> Option<LineString<f64>> {
    // Cleaned in place: a clean ring (the usual case) is kept without a copy.
    let mut cleaned = ring;
    let mut kept = 0;
    for i in 0..cleaned.len() {
        let c = cleaned[i];
        if !valid_lon_lat(&c) {
            repairs.invalid_positions_dropped += 1;
            continue;
        }
        if kept > 0 && cleaned[kept - 1] == c {
            repairs.duplicate_positions_dropped += 1;
            continue;
        }
        cleaned[kept] = c;
        kept += 1;
    }
    cleaned.truncate(kept);
    // The closing position is compared separately.
    let closed = cleaned.len() > 1 && cleaned.first() == cleaned.last();
    let distinct = if closed {
        cleaned.len() - 1
    } else {
        cleaned.len()
    };
    if distinct < 3 {
        repairs.degenerate_rings_dropped += 1;
        return None;
    }
    if !closed {
        repairs.unclosed_rings_closed += 1;
        cleaned.push(cleaned[0]);
    }
    Some(LineString::new(cleaned))
}

/// Builds a multipolygon from raw polygons (outer ring first); a polygon whose outer ring is
/// unusable is dropped along with its holes.
pub fn build_multipolygon(
    polygons: Vec<Vec<Vec<Coord<f64>>>>,
    repairs: &mut Repairs,
) -> MultiPolygon<f64> {
    let mut out = Vec::with_capacity(polygons.len());
    for rings in polygons {
        let mut rings = rings.into_iter();
        let Some(outer) = rings.next().and_then(|r| repair_ring(r, repairs)) else {
            continue;
        };
        let holes = rings.filter_map(|r| repair_ring(r, repairs)).collect();
        out.push(Polygon::new(outer, holes));
    }
    MultiPolygon::new(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    #[test]
    fn unclosed_ring_is_closed_and_counted() {
        let mut repairs = Repairs::default();
        let ring = repair_ring(vec![c(0., 0.), c(1., 0.), c(1., 1.)], &mut repairs).unwrap();
        assert_eq!(ring.0.len(), 4);
        assert_eq!(ring.0.first(), ring.0.last());
        assert_eq!(repairs.unclosed_rings_closed, 1);
    }

    #[test]
    fn degenerate_and_nan_rings_are_dropped() {
        let mut repairs = Repairs::default();
        assert!(repair_ring(vec![c(0., 0.), c(1., 0.), c(0., 0.)], &mut repairs).is_none());
        assert!(
            repair_ring(
                vec![c(f64::NAN, 0.), c(1., 0.), c(1., 1.), c(f64::NAN, 0.)],
                &mut repairs
            )
            .is_none()
        );
        assert_eq!(repairs.degenerate_rings_dropped, 2);
        assert_eq!(repairs.invalid_positions_dropped, 2);
    }

    #[test]
    fn holes_survive_and_bad_outer_drops_the_polygon() {
        let mut repairs = Repairs::default();
        let square = vec![c(0., 0.), c(4., 0.), c(4., 4.), c(0., 4.), c(0., 0.)];
        let hole = vec![c(1., 1.), c(2., 1.), c(2., 2.), c(1., 1.)];
        let bad = vec![c(0., 0.), c(0., 0.)];
        let mp = build_multipolygon(
            vec![vec![square, hole.clone()], vec![bad, hole]],
            &mut repairs,
        );
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].interiors().len(), 1);
    }
}
