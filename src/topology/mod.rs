//! Boundaries as shared arcs: simplification that keeps neighbours' common borders identical,
//! and dissolving areas into footprints (`dissolve.rs`) on the same arcs.
//!
//! Rings are cut into arcs where three or more areas meet (junctions); an arc two areas share is
//! stored once, simplified once, and used by both, so no level of detail can open a gap or a
//! sliver between neighbours. Vertices are matched exactly, as ONS boundary files (cut from one
//! topology) share theirs.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use geo::{Coord, LineString, MultiPolygon, Polygon};

use crate::geo_util::segment_distance_sq;

mod dissolve;
mod live;
pub use dissolve::DissolvedGroup;
pub use live::{LiveDissolve, Xorshift};

/// A fast hash for integer keys (the multiply-rotate hash rustc uses); the keys here are vertex
/// bits and ids, not chosen by an adversary.
#[derive(Default)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// One use of an arc in a ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ArcUse {
    arc: u32,
    reversed: bool,
}

/// A layer's boundaries as arcs between junctions.
pub struct Topology {
    /// Every distinct vertex, as given (lon/lat).
    points: Vec<Coord<f64>>,
    /// The same vertices projected into the space tolerances are measured in.
    projected: Vec<Coord<f64>>,
    /// Each arc's vertices (indices into `points`), from one junction to the next.
    arcs: Vec<Vec<u32>>,
    /// The first feature that uses each arc.
    arc_owner: Vec<u32>,
    /// Arcs that share both end points with another arc (they must not collapse to one edge).
    arc_paired: Vec<bool>,
    /// Per feature, per polygon, per ring (outer first): the arcs that make it.
    features: Vec<Vec<Vec<Vec<ArcUse>>>>,
    /// Junctions used by more than one feature: the pairs of features that touch there.
    touching: Vec<(u32, u32)>,
}

impl Topology {
    /// Builds the arcs of `geometries` (one per feature); `project` maps a vertex into the space
    /// in which [`Topology::simplify`]'s tolerance is measured.
    pub fn build<'a>(
        geometries: impl IntoIterator<Item = &'a MultiPolygon<f64>>,
        project: impl Fn(Coord<f64>) -> Coord<f64>,
    ) -> Self {
        let (points, rings_by_feature) = intern_rings(geometries);
        let projected: Vec<Coord<f64>> = points.iter().map(|&c| project(c)).collect();
        let junction = find_junctions(points.len(), &rings_by_feature);
        let Arcs {
            arcs,
            arc_owner,
            features,
            junction_users,
        } = cut_into_arcs(rings_by_feature, &junction);
        let arc_paired = paired_arcs(&arcs);
        let touching = touching_pairs(&junction_users);
        Self {
            points,
            projected,
            arcs,
            arc_owner,
            arc_paired,
            features,
            touching,
        }
    }

    pub fn feature_count(&self) -> usize {
        self.features.len()
    }

    pub fn arc_count(&self) -> usize {
        self.arcs.len()
    }

    /// For each feature, the features whose boundaries meet it at a shared vertex (a border or a
    /// corner), in index order.
    pub fn neighbours(&self) -> Vec<Vec<usize>> {
        let mut result = vec![Vec::new(); self.features.len()];
        for &(a, b) in &self.touching {
            result[a as usize].push(b as usize);
            result[b as usize].push(a as usize);
        }
        for list in &mut result {
            list.sort_unstable();
            list.dedup();
        }
        result
    }

    /// Simplifies every arc once (Douglas–Peucker, ends fixed) to within `tolerance` in the
    /// projected space. An arc that closes on itself keeps at least a triangle, and an arc that
    /// shares both ends with another keeps at least one inner vertex, so no ring collapses.
    pub fn simplify(&self, tolerance: f64) -> Simplified<'_> {
        let tolerance_sq = tolerance * tolerance;
        let arcs = self
            .arcs
            .iter()
            .zip(&self.arc_paired)
            .map(|(arc, &paired)| self.simplify_arc(arc, paired, tolerance_sq))
            .collect();
        Simplified {
            topology: self,
            arcs,
        }
    }

    /// Every arc at full detail.
    pub fn full(&self) -> Simplified<'_> {
        Simplified {
            topology: self,
            arcs: self.arcs.clone(),
        }
    }

    fn simplify_arc(&self, arc: &[u32], paired: bool, tolerance_sq: f64) -> Vec<u32> {
        let n = arc.len();
        if n <= 2 {
            return arc.to_vec();
        }
        let at = |i: usize| self.projected[arc[i] as usize];
        let mut keep = vec![false; n];
        keep[0] = true;
        keep[n - 1] = true;
        let mut stack = Vec::new();
        let closed = arc[0] == arc[n - 1];
        if closed {
            // Split the loop at the vertex farthest from its start, and keep a third vertex.
            let far = (1..n - 1)
                .max_by(|&a, &b| {
                    segment_distance_sq(at(a), at(0), at(0)).total_cmp(&segment_distance_sq(
                        at(b),
                        at(0),
                        at(0),
                    ))
                })
                .unwrap_or(1);
            keep[far] = true;
            let third = (1..n - 1).filter(|&i| i != far).max_by(|&a, &b| {
                segment_distance_sq(at(a), at(0), at(far)).total_cmp(&segment_distance_sq(
                    at(b),
                    at(0),
                    at(far),
                ))
            });
            if let Some(third) = third {
                keep[third] = true;
            }
            stack.push((0, far));
            stack.push((far, n - 1));
        } else {
            if paired {
                let far = (1..n - 1)
                    .max_by(|&a, &b| {
                        segment_distance_sq(at(a), at(0), at(n - 1))
                            .total_cmp(&segment_distance_sq(at(b), at(0), at(n - 1)))
                    })
                    .unwrap_or(1);
                keep[far] = true;
                stack.push((0, far));
                stack.push((far, n - 1));
            } else {
                stack.push((0, n - 1));
            }
        }
        while let Some((first, last)) = stack.pop() {
            if last <= first + 1 {
                continue;
            }
            let (a, b) = (at(first), at(last));
            let mut worst = (first, 0.0);
            for i in first + 1..last {
                let d = segment_distance_sq(at(i), a, b);
                if d > worst.1 {
                    worst = (i, d);
                }
            }
            if worst.1 > tolerance_sq {
                keep[worst.0] = true;
                stack.push((first, worst.0));
                stack.push((worst.0, last));
            }
        }
        arc.iter()
            .zip(keep)
            .filter_map(|(&id, k)| k.then_some(id))
            .collect()
    }
}

/// Every arc of a [`Topology`] at one level of detail.
pub struct Simplified<'a> {
    topology: &'a Topology,
    arcs: Vec<Vec<u32>>,
}

impl Simplified<'_> {
    /// Vertices kept, counting each shared arc once.
    pub fn vertex_count(&self) -> usize {
        self.arcs.iter().map(|a| a.len().saturating_sub(1)).sum()
    }

    /// Each arc once, as positions (lon/lat), with the first feature that uses it.
    pub fn arcs(&self) -> impl Iterator<Item = (usize, Vec<Coord<f64>>)> + '_ {
        self.arcs
            .iter()
            .zip(&self.topology.arc_owner)
            .map(|(arc, &owner)| {
                (
                    owner as usize,
                    arc.iter()
                        .map(|&id| self.topology.points[id as usize])
                        .collect(),
                )
            })
    }

    /// One feature's geometry at this level. Rings left with fewer than three distinct vertices
    /// are dropped, and a polygon whose outer ring is dropped goes with it.
    pub fn geometry(&self, feature: usize) -> MultiPolygon<f64> {
        let Some(polygons) = self.topology.features.get(feature) else {
            return MultiPolygon::new(Vec::new());
        };
        let mut out = Vec::with_capacity(polygons.len());
        for rings in polygons {
            let mut built: Vec<LineString<f64>> = Vec::with_capacity(rings.len());
            for (index, uses) in rings.iter().enumerate() {
                let mut ids: Vec<u32> = Vec::new();
                for u in uses {
                    let arc = &self.arcs[u.arc as usize];
                    let mut push = |id: u32| {
                        if ids.last() != Some(&id) {
                            ids.push(id);
                        }
                    };
                    if u.reversed {
                        arc.iter().rev().for_each(|&id| push(id));
                    } else {
                        arc.iter().for_each(|&id| push(id));
                    }
                }
                if ids.len() > 1 && ids.first() == ids.last() {
                    ids.pop();
                }
                let distinct = {
                    let mut sorted = ids.clone();
                    sorted.sort_unstable();
                    sorted.dedup();
                    sorted.len()
                };
                if distinct < 3 {
                    if index == 0 {
                        break;
                    }
                    continue;
                }
                let mut coords: Vec<Coord<f64>> = ids
                    .iter()
                    .map(|&id| self.topology.points[id as usize])
                    .collect();
                coords.push(coords[0]);
                built.push(LineString::new(coords));
            }
            if !built.is_empty() {
                let exterior = built.remove(0);
                out.push(Polygon::new(exterior, built));
            }
        }
        MultiPolygon::new(out)
    }
}

/// Vertex ids per ring, per polygon, per feature.
type FeatureRings = Vec<Vec<Vec<Vec<u32>>>>;

/// Interns vertices (matched exactly); rings become lists of vertex ids without the closing
/// repeat or repeated vertices, and rings of fewer than three are dropped.
fn intern_rings<'a>(
    geometries: impl IntoIterator<Item = &'a MultiPolygon<f64>>,
) -> (Vec<Coord<f64>>, FeatureRings) {
    let mut ids: FastMap<(u64, u64), u32> = FastMap::default();
    let mut points: Vec<Coord<f64>> = Vec::new();
    let mut rings_by_feature: Vec<Vec<Vec<Vec<u32>>>> = Vec::new();
    for geometry in geometries {
        let mut polygons = Vec::with_capacity(geometry.0.len());
        for polygon in &geometry.0 {
            let mut rings = Vec::with_capacity(1 + polygon.interiors().len());
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let mut list: Vec<u32> = Vec::with_capacity(ring.0.len());
                for c in &ring.0 {
                    if !(c.x.is_finite() && c.y.is_finite()) {
                        continue;
                    }
                    let key = (c.x.to_bits(), c.y.to_bits());
                    let id = *ids.entry(key).or_insert_with(|| {
                        points.push(*c);
                        (points.len() - 1) as u32
                    });
                    if list.last() != Some(&id) {
                        list.push(id);
                    }
                }
                while list.len() > 1 && list.first() == list.last() {
                    list.pop();
                }
                if list.len() >= 3 {
                    rings.push(list);
                } else if rings.is_empty() {
                    break; // no outer ring: the polygon is dropped
                }
            }
            if !rings.is_empty() {
                polygons.push(rings);
            }
        }
        rings_by_feature.push(polygons);
    }
    (points, rings_by_feature)
}

/// Junctions: vertices whose neighbours along the boundary differ between their uses, and in
/// each ring without one (an island, an enclave and the hole it fills) its smallest vertex id,
/// which every ring using the same loop shares.
fn find_junctions(point_count: usize, rings_by_feature: &FeatureRings) -> Vec<bool> {
    const NONE: u32 = u32::MAX;
    let mut seen_with: Vec<(u32, u32)> = vec![(NONE, NONE); point_count];
    let mut junction: Vec<bool> = vec![false; point_count];
    for ring in rings_by_feature.iter().flatten().flatten() {
        let n = ring.len();
        for i in 0..n {
            let here = ring[i] as usize;
            let (prev, next) = (ring[(i + n - 1) % n], ring[(i + 1) % n]);
            let pair = (prev.min(next), prev.max(next));
            if seen_with[here].0 == NONE {
                seen_with[here] = pair;
            } else if seen_with[here] != pair {
                junction[here] = true;
            }
        }
    }
    drop(seen_with);
    for ring in rings_by_feature.iter().flatten().flatten() {
        if !ring.iter().any(|&id| junction[id as usize])
            && let Some(&smallest) = ring.iter().min()
        {
            junction[smallest as usize] = true;
        }
    }

    junction
}

/// Rings cut at junctions.
struct Arcs {
    arcs: Vec<Vec<u32>>,
    arc_owner: Vec<u32>,
    features: Vec<Vec<Vec<Vec<ArcUse>>>>,
    /// Per junction, the features whose rings pass through it.
    junction_users: FastMap<u32, Vec<u32>>,
}

/// Cuts every ring into arcs from junction to junction, each arc stored once whichever way
/// round it is met.
fn cut_into_arcs(rings_by_feature: FeatureRings, junction: &[bool]) -> Arcs {
    let mut arcs: Vec<Vec<u32>> = Vec::new();
    let mut arc_owner: Vec<u32> = Vec::new();
    let mut by_start: FastMap<(u32, u32), ArcUse> = FastMap::default();
    let mut junction_users: FastMap<u32, Vec<u32>> = FastMap::default();
    let mut features = Vec::with_capacity(rings_by_feature.len());
    for (feature, polygons) in rings_by_feature.into_iter().enumerate() {
        let feature = feature as u32;
        let mut out_polygons = Vec::with_capacity(polygons.len());
        for rings in polygons {
            let mut out_rings = Vec::with_capacity(rings.len());
            for ring in rings {
                let n = ring.len();
                let Some(start) = ring.iter().position(|&id| junction[id as usize]) else {
                    continue;
                };
                let mut uses = Vec::new();
                let mut arc = vec![ring[start]];
                for step in 1..=n {
                    let id = ring[(start + step) % n];
                    arc.push(id);
                    if junction[id as usize] {
                        let users = junction_users.entry(arc[0]).or_default();
                        if users.last() != Some(&feature) {
                            users.push(feature);
                        }
                        let found = by_start.get(&(arc[0], arc[1])).copied();
                        let arc_use = match found {
                            Some(existing) => existing,
                            None => {
                                let index = arcs.len() as u32;
                                let last = arc.len() - 1;
                                by_start.insert(
                                    (arc[0], arc[1]),
                                    ArcUse {
                                        arc: index,
                                        reversed: false,
                                    },
                                );
                                by_start
                                    .entry((arc[last], arc[last - 1]))
                                    .or_insert(ArcUse {
                                        arc: index,
                                        reversed: true,
                                    });
                                arcs.push(arc.clone());
                                arc_owner.push(feature);
                                ArcUse {
                                    arc: index,
                                    reversed: false,
                                }
                            }
                        };
                        uses.push(arc_use);
                        arc.clear();
                        arc.push(id);
                    }
                }
                out_rings.push(uses);
            }
            if !out_rings.is_empty() {
                out_polygons.push(out_rings);
            }
        }
        features.push(out_polygons);
    }

    Arcs {
        arcs,
        arc_owner,
        features,
        junction_users,
    }
}

/// Arcs that share both end points with another arc (they must not collapse to one edge).
fn paired_arcs(arcs: &[Vec<u32>]) -> Vec<bool> {
    let mut ends: FastMap<(u32, u32), u32> = FastMap::default();
    for arc in arcs {
        if let (Some(&a), Some(&b)) = (arc.first(), arc.last()) {
            *ends.entry((a.min(b), a.max(b))).or_default() += 1;
        }
    }
    arcs.iter()
        .map(|arc| match (arc.first(), arc.last()) {
            (Some(&a), Some(&b)) => ends.get(&(a.min(b), a.max(b))).copied().unwrap_or(0) > 1,
            _ => false,
        })
        .collect()
}

/// The pairs of features that meet at a junction, sorted.
fn touching_pairs(junction_users: &FastMap<u32, Vec<u32>>) -> Vec<(u32, u32)> {
    let mut touching = Vec::new();
    for users in junction_users.values() {
        for (i, &a) in users.iter().enumerate() {
            for &b in &users[i + 1..] {
                if a != b {
                    touching.push((a.min(b), a.max(b)));
                }
            }
        }
    }
    touching.sort_unstable();
    touching.dedup();

    touching
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, polygon};

    fn identity(c: Coord<f64>) -> Coord<f64> {
        c
    }

    /// Two squares sharing a wiggly border from (1,0) to (1,2).
    fn two_with_wiggly_border() -> Vec<MultiPolygon<f64>> {
        let border: Vec<(f64, f64)> = (0..=20)
            .map(|i| {
                let y = i as f64 * 0.1;
                (1.0 + if i % 2 == 0 { 0.0 } else { 0.01 }, y)
            })
            .collect();
        let mut left = vec![(0.0, 0.0)];
        left.extend(border.iter().copied());
        left.push((0.0, 2.0));
        left.push((0.0, 0.0));
        let mut right = vec![(2.0, 0.0), (2.0, 2.0)];
        right.extend(border.iter().rev().copied());
        right.push((2.0, 0.0));
        let ring = |v: Vec<(f64, f64)>| {
            MultiPolygon::new(vec![Polygon::new(
                LineString::from(
                    v.into_iter()
                        .map(|(x, y)| Coord { x, y })
                        .collect::<Vec<_>>(),
                ),
                vec![],
            )])
        };
        vec![ring(left), ring(right)]
    }

    fn border_of(g: &MultiPolygon<f64>) -> Vec<Coord<f64>> {
        let mut v: Vec<Coord<f64>> = g.0[0]
            .exterior()
            .0
            .iter()
            .copied()
            .filter(|c| (c.x - 1.0).abs() < 0.05)
            .collect();
        v.sort_by(|a, b| a.y.total_cmp(&b.y));
        v.dedup();
        v
    }

    #[test]
    fn shared_border_is_one_arc_and_simplifies_identically_for_both() {
        let shapes = two_with_wiggly_border();
        let topology = Topology::build(&shapes, identity);
        assert_eq!(topology.neighbours(), vec![vec![1], vec![0]]);
        for tolerance in [0.0, 0.005, 0.02, 0.5] {
            let level = topology.simplify(tolerance);
            let (a, b) = (level.geometry(0), level.geometry(1));
            assert_eq!(border_of(&a), border_of(&b), "tolerance {tolerance}");
            // No gap or overlap: together they still cover the 2×2 square exactly.
            let total = a.unsigned_area() + b.unsigned_area();
            assert!((total - 4.0).abs() < 1e-9, "{tolerance}: {total}");
        }
        // The wiggle (0.01) goes at a tolerance above it and stays below it.
        assert!(border_of(&topology.simplify(0.02).geometry(0)).len() < 4);
        assert_eq!(border_of(&topology.simplify(0.005).geometry(0)).len(), 21);
    }

    #[test]
    fn an_island_keeps_a_triangle_at_any_tolerance() {
        let island = MultiPolygon::new(vec![polygon![
            (x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.5, y: 1.2), (x: 0.0, y: 1.0), (x: 0.0, y: 0.0)
        ]]);
        let topology = Topology::build([&island], identity);
        let level = topology.simplify(100.0);
        let g = level.geometry(0);
        assert_eq!(g.0.len(), 1);
        assert_eq!(g.0[0].exterior().0.len(), 4, "a closed triangle");
        assert!(g.unsigned_area() > 0.3);
    }

    #[test]
    fn an_enclave_and_the_hole_it_fills_stay_matched() {
        let outer = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0), (x: 0.0, y: 0.0)],
            interiors: [[(x: 4.0, y: 4.0), (x: 5.0, y: 3.9), (x: 6.0, y: 4.0), (x: 6.0, y: 6.0), (x: 4.0, y: 6.0), (x: 4.0, y: 4.0)]],
        );
        let enclave = polygon![(x: 4.0, y: 4.0), (x: 4.0, y: 6.0), (x: 6.0, y: 6.0), (x: 6.0, y: 4.0), (x: 5.0, y: 3.9), (x: 4.0, y: 4.0)];
        let shapes = [
            MultiPolygon::new(vec![outer]),
            MultiPolygon::new(vec![enclave]),
        ];
        let topology = Topology::build(&shapes, identity);
        assert_eq!(topology.neighbours(), vec![vec![1], vec![0]]);
        for tolerance in [0.0, 0.2, 5.0] {
            let level = topology.simplify(tolerance);
            let (a, b) = (level.geometry(0), level.geometry(1));
            let mut hole: Vec<_> = a.0[0].interiors()[0].0.clone();
            let mut filled: Vec<_> = b.0[0].exterior().0.clone();
            for v in [&mut hole, &mut filled] {
                v.sort_by(|p, q| p.x.total_cmp(&q.x).then(p.y.total_cmp(&q.y)));
                v.dedup();
            }
            assert_eq!(hole, filled, "tolerance {tolerance}");
            let total = a.unsigned_area() + b.unsigned_area();
            assert!((total - 100.0).abs() < 1e-9, "{tolerance}: {total}");
        }
    }

    #[test]
    fn corner_touching_areas_are_neighbours() {
        let a = MultiPolygon::new(vec![
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0), (x: 0.0, y: 0.0)],
        ]);
        let b = MultiPolygon::new(vec![
            polygon![(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0), (x: 1.0, y: 1.0)],
        ]);
        let c = MultiPolygon::new(vec![
            polygon![(x: 5.0, y: 5.0), (x: 6.0, y: 5.0), (x: 6.0, y: 6.0), (x: 5.0, y: 5.0)],
        ]);
        let topology = Topology::build([&a, &b, &c], identity);
        assert_eq!(topology.neighbours(), vec![vec![1], vec![0], vec![]]);
    }
}
