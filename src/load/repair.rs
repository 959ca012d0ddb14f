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
    /// Rings turned round to RFC 7946's order (outer rings anticlockwise, holes clockwise).
    pub rings_rewound: usize,
    /// Rings whose edges cross or touch each other (kept as given).
    pub self_intersecting_rings: usize,
    /// Features with areas that also held points or lines (those were ignored).
    pub features_with_points_or_lines: usize,
}

impl Repairs {
    pub fn add(&mut self, other: &Repairs) {
        self.unclosed_rings_closed += other.unclosed_rings_closed;
        self.degenerate_rings_dropped += other.degenerate_rings_dropped;
        self.invalid_positions_dropped += other.invalid_positions_dropped;
        self.duplicate_positions_dropped += other.duplicate_positions_dropped;
        self.rings_rewound += other.rings_rewound;
        self.self_intersecting_rings += other.self_intersecting_rings;
        self.features_with_points_or_lines += other.features_with_points_or_lines;
    }

    /// Plain-words lines, one per kind of repair that happened.
    pub fn describe(&self) -> Vec<String> {
        [
            (self.unclosed_rings_closed, "unclosed ring(s) were closed"),
            (
                self.degenerate_rings_dropped,
                "degenerate ring(s) with fewer than 3 distinct points were dropped",
            ),
            (
                self.invalid_positions_dropped,
                "position(s) that were not finite numbers or out of range were dropped",
            ),
            (
                self.rings_rewound,
                "ring(s) were wound the other way round and were turned to RFC 7946's order (outer rings anticlockwise)",
            ),
            (
                self.self_intersecting_rings,
                "ring(s) cross themselves; they are drawn as given, and a point where they overlap counts as outside",
            ),
            (
                self.features_with_points_or_lines,
                "feature(s) also held points or lines, which were ignored (only areas are drawn)",
            ),
        ]
        .into_iter()
        .filter(|&(count, _)| count > 0)
        .map(|(count, what)| format!("{count} {what}"))
        .collect()
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
        let Some(mut outer) = rings.next().and_then(|r| repair_ring(r, repairs)) else {
            continue;
        };
        orient(&mut outer, true, repairs);
        let mut holes = Vec::new();
        for r in rings {
            if let Some(mut hole) = repair_ring(r, repairs) {
                orient(&mut hole, false, repairs);
                holes.push(hole);
            }
        }
        out.push(Polygon::new(outer, holes));
    }
    MultiPolygon::new(out)
}

/// Twice the signed area of a closed ring: positive when it runs anticlockwise.
fn signed_area_2(ring: &[Coord<f64>]) -> f64 {
    ring.windows(2)
        .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
        .sum()
}

/// Turns a ring to run anticlockwise (`outer`) or clockwise (a hole), counting the turn, and
/// counts it if it crosses itself.
fn orient(ring: &mut LineString<f64>, outer: bool, repairs: &mut Repairs) {
    let area = signed_area_2(&ring.0);
    if area != 0.0 && (area > 0.0) != outer {
        ring.0.reverse();
        repairs.rings_rewound += 1;
    }
    if crosses_itself(&ring.0) {
        repairs.self_intersecting_rings += 1;
    }
}

/// Orientation of `c` from the line `a`→`b`: positive to the left, zero on it.
fn turn(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> f64 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

fn on_segment(a: Coord<f64>, b: Coord<f64>, p: Coord<f64>) -> bool {
    p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) && p.y >= a.y.min(b.y) && p.y <= a.y.max(b.y)
}

/// Whether segments `a`–`b` and `c`–`d` meet (crossing, touching or overlapping).
fn segments_meet(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>, d: Coord<f64>) -> bool {
    let (d1, d2) = (turn(c, d, a), turn(c, d, b));
    let (d3, d4) = (turn(a, b, c), turn(a, b, d));
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    {
        return true;
    }
    (d1 == 0.0 && on_segment(c, d, a))
        || (d2 == 0.0 && on_segment(c, d, b))
        || (d3 == 0.0 && on_segment(a, b, c))
        || (d4 == 0.0 && on_segment(a, b, d))
}

/// Whether a closed ring's edges meet anywhere but where neighbouring edges share a vertex: a
/// sweep from west to east, testing each edge only against edges whose extents overlap it.
pub fn crosses_itself(ring: &[Coord<f64>]) -> bool {
    let n = ring.len().saturating_sub(1); // edges; the last position repeats the first
    if n < 4 {
        return false;
    }
    // Each edge's west and east ends, worked out once; edges in order of their west end.
    let mut order: Vec<(f64, f64, usize)> = (0..n)
        .map(|i| {
            let (a, b) = (ring[i].x, ring[i + 1].x);
            (a.min(b), a.max(b), i)
        })
        .collect();
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut active: Vec<(f64, usize)> = Vec::new();
    for &(start, end, edge) in &order {
        active.retain(|&(other_end, _)| other_end >= start);
        for &(_, other) in &active {
            let adjacent = edge.abs_diff(other) == 1 || edge.abs_diff(other) == n - 1;
            if adjacent {
                continue;
            }
            if segments_meet(ring[edge], ring[edge + 1], ring[other], ring[other + 1]) {
                return true;
            }
        }
        active.push((end, edge));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    fn ring(points: &[(f64, f64)]) -> Vec<Coord<f64>> {
        points.iter().map(|&(x, y)| c(x, y)).collect()
    }

    #[test]
    fn a_bow_tie_crosses_itself_and_a_square_does_not() {
        let square = ring(&[(0., 0.), (1., 0.), (1., 1.), (0., 1.), (0., 0.)]);
        assert!(!crosses_itself(&square));
        let bow_tie = ring(&[(0., 0.), (1., 1.), (1., 0.), (0., 1.), (0., 0.)]);
        assert!(crosses_itself(&bow_tie));
        // A figure of eight touching itself at one vertex.
        let eight = ring(&[
            (0., 0.),
            (1., 1.),
            (2., 0.),
            (2., 2.),
            (1., 1.),
            (0., 2.),
            (0., 0.),
        ]);
        assert!(crosses_itself(&eight));
        // Many vertices, none crossing: a fine circle.
        let circle: Vec<Coord<f64>> = (0..=1000)
            .map(|i| {
                let t = i as f64 / 1000.0 * std::f64::consts::TAU;
                c(t.cos(), t.sin())
            })
            .collect();
        assert!(!crosses_itself(&circle));
    }

    #[test]
    fn rings_are_turned_to_rfc_7946_order_and_counted() {
        let mut repairs = Repairs::default();
        let clockwise = ring(&[(0., 0.), (0., 4.), (4., 4.), (4., 0.), (0., 0.)]);
        let anticlockwise_hole = ring(&[(1., 1.), (2., 1.), (2., 2.), (1., 2.), (1., 1.)]);
        let mp = build_multipolygon(vec![vec![clockwise, anticlockwise_hole]], &mut repairs);
        assert!(signed_area_2(&mp.0[0].exterior().0) > 0.0);
        assert!(signed_area_2(&mp.0[0].interiors()[0].0) < 0.0);
        assert_eq!(repairs.rings_rewound, 2);
        assert_eq!(repairs.self_intersecting_rings, 0);
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
