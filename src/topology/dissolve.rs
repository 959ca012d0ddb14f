//! Dissolve: features grouped into footprints by dropping the arcs between two features of the
//! same group and chaining the rest into rings, so neighbouring footprints share exactly the
//! same border (no slivers, gaps or overlaps), holes and islands kept, rings wound per RFC 7946.

use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::{FastMap, Simplified};

/// One group's dissolved geometry and how many separate pieces of land it has.
#[derive(Clone, Debug)]
pub struct DissolvedGroup {
    pub geometry: MultiPolygon<f64>,
    /// Separate pieces (outer rings): a footprint in two pieces is a fact a planner must see.
    pub parts: usize,
}

impl Default for DissolvedGroup {
    fn default() -> Self {
        DissolvedGroup {
            geometry: MultiPolygon::new(Vec::new()),
            parts: 0,
        }
    }
}

/// A directed boundary edge of a group: an arc walked one way, with its end vertices.
#[derive(Clone, Copy)]
pub(super) struct Edge {
    arc: u32,
    reversed: bool,
    from: u32,
    to: u32,
}

impl Simplified<'_> {
    /// Dissolves features into `groups` groups: `group_of[feature]` is the group a feature
    /// belongs to (`None`: left out). Features must be wound consistently (outer rings
    /// anticlockwise, as the loader leaves them), so that a border two features of a group share
    /// is walked once each way and cancels.
    pub fn dissolve(&self, group_of: &[Option<u32>], groups: usize) -> Vec<DissolvedGroup> {
        let edges = self.boundary_edges(group_of, groups);
        let set = self.arc_set();
        crate::parallel::map(&edges, |edges| set.chain_rings(edges))
    }

    /// Per group, the arcs on its boundary, each walked with the group on its left.
    fn boundary_edges(&self, group_of: &[Option<u32>], groups: usize) -> Vec<Vec<Edge>> {
        // Net walks of each arc per group: +1 forward, −1 backward; a shared inner border nets 0.
        let mut net: Vec<FastMap<u32, i32>> = vec![FastMap::default(); groups];
        for (feature, polygons) in self.topology.features.iter().enumerate() {
            let Some(walks) = group_of
                .get(feature)
                .copied()
                .flatten()
                .and_then(|g| net.get_mut(g as usize))
            else {
                continue;
            };
            for arc_use in polygons.iter().flatten().flatten() {
                *walks.entry(arc_use.arc).or_default() += if arc_use.reversed { -1 } else { 1 };
            }
        }
        let set = self.arc_set();
        net.into_iter().map(|walks| set.edges(walks)).collect()
    }

    fn arc_set(&self) -> ArcSet<'_> {
        ArcSet {
            arcs: &self.arcs,
            points: &self.topology.points,
        }
    }
}

/// Arcs and the points they run through: what rings are chained from.
#[derive(Clone, Copy)]
pub(super) struct ArcSet<'a> {
    pub arcs: &'a [Vec<u32>],
    pub points: &'a [Coord<f64>],
}

impl ArcSet<'_> {
    /// The boundary edges of one group from the net walks of its arcs (+ forward, − backward),
    /// in arc order, so that the same walks always give the same rings.
    pub(super) fn edges(&self, net: impl IntoIterator<Item = (u32, i32)>) -> Vec<Edge> {
        let mut walks: Vec<(u32, i32)> = net.into_iter().filter(|(_, n)| *n != 0).collect();
        walks.sort_unstable();
        let mut edges = Vec::with_capacity(walks.len());
        for (arc, n) in walks {
            let ids = &self.arcs[arc as usize];
            let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
                continue;
            };
            let reversed = n < 0;
            let (from, to) = if reversed {
                (last, first)
            } else {
                (first, last)
            };
            for _ in 0..n.unsigned_abs() {
                edges.push(Edge {
                    arc,
                    reversed,
                    from,
                    to,
                });
            }
        }
        edges
    }

    /// The vertex ids of an edge, in walking order.
    fn edge_ids(&self, edge: &Edge) -> impl Iterator<Item = u32> + '_ {
        let ids = &self.arcs[edge.arc as usize];
        let forward = (!edge.reversed).then(|| ids.iter().copied());
        let backward = edge.reversed.then(|| ids.iter().rev().copied());
        forward
            .into_iter()
            .flatten()
            .chain(backward.into_iter().flatten())
    }

    /// Direction (as a vector) in which an edge leaves its start, and arrives at its end.
    fn edge_directions(&self, edge: &Edge) -> (Coord<f64>, Coord<f64>) {
        let points = &self.points;
        let ids: Vec<u32> = self.edge_ids(edge).collect();
        let at = |i: usize| points[ids[i] as usize];
        let n = ids.len();
        if n < 2 {
            return (Coord { x: 0.0, y: 0.0 }, Coord { x: 0.0, y: 0.0 });
        }
        (at(1) - at(0), at(n - 1) - at(n - 2))
    }

    /// Chains a group's boundary edges into rings and assembles them into polygons: outer rings
    /// anticlockwise, each hole in the smallest outer ring around it, clockwise.
    pub(super) fn chain_rings(&self, edges: &[Edge]) -> DissolvedGroup {
        let mut outgoing: FastMap<u32, Vec<usize>> = FastMap::default();
        for (i, e) in edges.iter().enumerate() {
            outgoing.entry(e.from).or_default().push(i);
        }
        let directions: Vec<(Coord<f64>, Coord<f64>)> =
            edges.iter().map(|e| self.edge_directions(e)).collect();
        let mut used = vec![false; edges.len()];
        let mut rings: Vec<Vec<Coord<f64>>> = Vec::new();
        for start in 0..edges.len() {
            if used[start] {
                continue;
            }
            used[start] = true;
            let mut ring_edges = vec![start];
            let mut current = start;
            loop {
                let at = edges[current].to;
                let arriving = directions[current].1;
                let mut candidates: Vec<usize> = outgoing
                    .get(&at)
                    .map(|list| list.iter().copied().filter(|&i| !used[i]).collect())
                    .unwrap_or_default();
                if at == edges[start].from {
                    candidates.push(start);
                }
                // Where a group touches itself at a point, take the sharpest left turn: the
                // piece whose boundary is being walked stays on the left, and rings stay simple.
                let Some(next) = candidates.into_iter().min_by(|&a, &b| {
                    clockwise_turn(arriving, directions[a].0)
                        .total_cmp(&clockwise_turn(arriving, directions[b].0))
                }) else {
                    break; // an open chain: the input was not a clean partition
                };
                if next == start {
                    break;
                }
                used[next] = true;
                ring_edges.push(next);
                current = next;
            }
            let mut coords: Vec<Coord<f64>> = Vec::new();
            for e in &ring_edges {
                for id in self.edge_ids(&edges[*e]) {
                    let c = self.points[id as usize];
                    if coords.last() != Some(&c) {
                        coords.push(c);
                    }
                }
            }
            if coords.len() >= 4 && coords.first() == coords.last() {
                rings.push(coords);
            }
        }
        assemble(rings)
    }
}

/// How far clockwise one must turn from the way back along the arriving edge to the leaving
/// edge, in (0, 2π]: the smallest is the sharpest left turn.
fn clockwise_turn(arriving: Coord<f64>, leaving: Coord<f64>) -> f64 {
    let back = (-arriving.y).atan2(-arriving.x);
    let out = leaving.y.atan2(leaving.x);
    let turn = (back - out).rem_euclid(std::f64::consts::TAU);
    if turn == 0.0 {
        std::f64::consts::TAU
    } else {
        turn
    }
}

/// Twice the signed area of a closed ring (positive: anticlockwise).
fn signed_area2(ring: &[Coord<f64>]) -> f64 {
    ring.windows(2)
        .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
        .sum()
}

/// Whether `p` is inside the closed ring (even–odd rule).
fn inside(ring: &[Coord<f64>], p: Coord<f64>) -> bool {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x) {
            inside = !inside;
        }
    }
    inside
}

/// Outer rings (anticlockwise) become polygons; each hole (clockwise) goes in the smallest
/// outer ring that holds most of its vertices.
fn assemble(rings: Vec<Vec<Coord<f64>>>) -> DissolvedGroup {
    let mut outers: Vec<(Vec<Coord<f64>>, f64, geo::Rect<f64>)> = Vec::new();
    let mut holes: Vec<Vec<Coord<f64>>> = Vec::new();
    for ring in rings {
        let area = signed_area2(&ring);
        if area > 0.0 {
            let bbox = bbox_of(&ring);
            outers.push((ring, area, bbox));
        } else if area < 0.0 {
            holes.push(ring);
        }
    }
    let mut holes_of: Vec<Vec<LineString<f64>>> = vec![Vec::new(); outers.len()];
    for hole in holes {
        let hole_box = bbox_of(&hole);
        let home = outers
            .iter()
            .enumerate()
            .filter(|(_, (_, _, b))| contains_box(b, &hole_box))
            .filter_map(|(i, (outer, area, _))| {
                let within = hole.iter().filter(|&&p| inside(outer, p)).count();
                (2 * within > hole.len() - 1).then_some((i, *area))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, _)) = home {
            holes_of[i].push(LineString::new(hole));
        }
    }
    let parts = outers.len();
    let polygons = outers
        .into_iter()
        .zip(holes_of)
        .map(|((outer, _, _), holes)| Polygon::new(LineString::new(outer), holes))
        .collect();
    DissolvedGroup {
        geometry: MultiPolygon::new(polygons),
        parts,
    }
}

fn bbox_of(ring: &[Coord<f64>]) -> geo::Rect<f64> {
    let mut min = Coord {
        x: f64::INFINITY,
        y: f64::INFINITY,
    };
    let mut max = Coord {
        x: f64::NEG_INFINITY,
        y: f64::NEG_INFINITY,
    };
    for c in ring {
        min.x = min.x.min(c.x);
        min.y = min.y.min(c.y);
        max.x = max.x.max(c.x);
        max.y = max.y.max(c.y);
    }
    geo::Rect::new(min, max)
}

fn contains_box(outer: &geo::Rect<f64>, inner: &geo::Rect<f64>) -> bool {
    outer.min().x <= inner.min().x
        && outer.min().y <= inner.min().y
        && outer.max().x >= inner.max().x
        && outer.max().y >= inner.max().y
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::Topology;
    use super::*;
    use geo::{Area, BooleanOps, Orient, Winding, orient::Direction};

    fn square(x: f64, y: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                (x, y),
                (x + 1.0, y),
                (x + 1.0, y + 1.0),
                (x, y + 1.0),
                (x, y),
            ]),
            vec![],
        )])
    }

    /// An n × n grid of unit squares, row by row from the bottom left.
    pub(in crate::topology) fn grid(n: usize) -> Vec<MultiPolygon<f64>> {
        (0..n * n)
            .map(|i| square((i % n) as f64, (i / n) as f64))
            .collect()
    }

    fn dissolve(blocks: &[MultiPolygon<f64>], group_of: &[Option<u32>]) -> Vec<DissolvedGroup> {
        let groups = group_of
            .iter()
            .flatten()
            .max()
            .map_or(0, |g| *g as usize + 1);
        let topology = Topology::build(blocks, |c| c);
        topology.full().dissolve(group_of, groups)
    }

    #[test]
    fn a_grid_in_two_halves_gives_two_squares_sharing_one_border() {
        let blocks = grid(4);
        let group_of: Vec<Option<u32>> = (0..16).map(|i| Some(u32::from(i % 4 >= 2))).collect();
        let out = dissolve(&blocks, &group_of);
        assert_eq!(out.len(), 2);
        for g in &out {
            assert_eq!(g.parts, 1);
            assert_eq!(g.geometry.0[0].interiors().len(), 0);
            assert!((g.geometry.unsigned_area() - 8.0).abs() < 1e-9);
            // Anticlockwise outer ring (RFC 7946).
            assert!(g.geometry.0[0].exterior().is_ccw());
        }
        // The border between them: the same vertices in both, walked opposite ways.
        let border = |g: &DissolvedGroup| -> Vec<(i64, i64)> {
            let mut v: Vec<(i64, i64)> = g.geometry.0[0]
                .exterior()
                .0
                .iter()
                .filter(|c| c.x == 2.0)
                .map(|c| (c.x as i64, c.y as i64))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        assert_eq!(border(&out[0]), border(&out[1]));
        assert_eq!(border(&out[0]).len(), 5);
        // No gap, no overlap.
        let overlap = out[0].geometry.intersection(&out[1].geometry);
        assert!(overlap.unsigned_area() < 1e-12);
    }

    #[test]
    fn a_ring_of_blocks_round_another_keeps_its_hole_and_the_enclave_fills_it() {
        let blocks = grid(3);
        // The middle square is an enclave of its own footprint.
        let group_of: Vec<Option<u32>> = (0..9).map(|i| Some(u32::from(i == 4))).collect();
        let out = dissolve(&blocks, &group_of);
        let ring = &out[0];
        assert_eq!(ring.parts, 1);
        assert_eq!(ring.geometry.0[0].interiors().len(), 1);
        assert!((ring.geometry.unsigned_area() - 8.0).abs() < 1e-9);
        // Holes wound clockwise.
        assert!(ring.geometry.0[0].interiors()[0].is_cw());
        let enclave = &out[1];
        assert!((enclave.geometry.unsigned_area() - 1.0).abs() < 1e-9);
        let hole: Vec<Coord<f64>> = ring.geometry.0[0].interiors()[0].0.clone();
        for c in &enclave.geometry.0[0].exterior().0 {
            assert!(hole.contains(c), "the enclave's edge is the hole's edge");
        }
    }

    #[test]
    fn a_footprint_in_two_pieces_and_an_island_count_their_parts() {
        let mut blocks = grid(3);
        blocks.push(square(10.0, 10.0)); // an island far away
        // Group 0: the left column and the right column (apart), and the island.
        let group_of: Vec<Option<u32>> = (0..10)
            .map(|i| match i {
                9 => Some(0),
                i if i % 3 == 1 => Some(1),
                _ => Some(0),
            })
            .collect();
        let out = dissolve(&blocks, &group_of);
        assert_eq!(out[0].parts, 3);
        assert!((out[0].geometry.unsigned_area() - 7.0).abs() < 1e-9);
        assert_eq!(out[1].parts, 1);
    }

    #[test]
    fn blocks_touching_at_a_corner_stay_two_simple_rings() {
        let blocks = vec![square(0.0, 0.0), square(1.0, 1.0), square(1.0, 0.0)];
        let out = dissolve(&blocks, &[Some(0), Some(0), Some(1)]);
        assert_eq!(out[0].parts, 2);
        for polygon in &out[0].geometry.0 {
            // Each ring is one square: 4 corners and the closing point.
            assert_eq!(polygon.exterior().0.len(), 5);
        }
        assert!((out[0].geometry.unsigned_area() - 2.0).abs() < 1e-9);
    }

    #[test]
    fn clockwise_input_is_refused_by_construction_so_it_is_oriented_first() {
        // A caller that orients its blocks gets the same answer whichever way they came.
        let blocks: Vec<MultiPolygon<f64>> = grid(2)
            .into_iter()
            .map(|b| b.orient(Direction::Reversed).orient(Direction::Default))
            .collect();
        let out = dissolve(&blocks, &[Some(0); 4]);
        assert_eq!(out[0].parts, 1);
        assert_eq!(out[0].geometry.0[0].exterior().0.len(), 9);
        assert!((out[0].geometry.unsigned_area() - 4.0).abs() < 1e-9);
    }

    #[test]
    fn blocks_left_out_leave_a_gap_not_a_guess() {
        let blocks = grid(3);
        let group_of: Vec<Option<u32>> = (0..9).map(|i| (i != 4).then_some(0)).collect();
        let out = dissolve(&blocks, &group_of);
        assert_eq!(out[0].geometry.0[0].interiors().len(), 1);
        assert!((out[0].geometry.unsigned_area() - 8.0).abs() < 1e-9);
    }
}
