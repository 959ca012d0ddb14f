//! A dissolve kept up to date while features move between groups: each group keeps the net
//! walks of its arcs, a move changes only the moved features' arcs in the two groups it
//! touches, and only those groups are chained into rings again — the same rings a full
//! dissolve gives.

use std::sync::Arc;

use super::dissolve::{ArcSet, DissolvedGroup};
use super::{FastMap, Topology};

/// Groups of a topology's features, dissolved, kept current as features move.
pub struct LiveDissolve {
    topology: Arc<Topology>,
    group_of: Vec<Option<u32>>,
    /// Per group: arc → net walks (+1 forward, −1 backward).
    walks: Vec<FastMap<u32, i32>>,
    dissolved: Vec<DissolvedGroup>,
    /// Groups whose rings are out of date.
    dirty: Vec<bool>,
}

impl LiveDissolve {
    /// Dissolves `topology`'s features into `groups` groups by `group_of`.
    pub fn new(topology: Arc<Topology>, group_of: Vec<Option<u32>>, groups: usize) -> Self {
        let mut live = LiveDissolve {
            walks: vec![FastMap::default(); groups],
            dissolved: vec![DissolvedGroup::default(); groups],
            dirty: vec![true; groups],
            group_of: vec![None; topology.features.len()],
            topology,
        };
        for (feature, group) in group_of.into_iter().enumerate() {
            live.walk(feature, group, 1);
            if let Some(slot) = live.group_of.get_mut(feature) {
                *slot = group;
            }
        }
        live.refresh();
        live
    }

    /// Adds (`sign` 1) or takes away (−1) a feature's arc walks to a group's.
    fn walk(&mut self, feature: usize, group: Option<u32>, sign: i32) {
        let Some(walks) = group.and_then(|g| self.walks.get_mut(g as usize)) else {
            return;
        };
        let Some(polygons) = self.topology.features.get(feature) else {
            return;
        };
        for arc_use in polygons.iter().flatten().flatten() {
            let step = if arc_use.reversed { -sign } else { sign };
            let entry = walks.entry(arc_use.arc).or_default();
            *entry += step;
            if *entry == 0 {
                walks.remove(&arc_use.arc);
            }
        }
        if let Some(d) = group.and_then(|g| self.dirty.get_mut(g as usize)) {
            *d = true;
        }
    }

    /// Puts `features` in group `to` (`None`: in no group); call [`LiveDissolve::refresh`]
    /// before reading the groups.
    pub fn move_features(&mut self, features: &[usize], to: Option<u32>) {
        for &feature in features {
            let Some(&from) = self.group_of.get(feature) else {
                continue;
            };
            if from == to {
                continue;
            }
            self.walk(feature, from, -1);
            self.walk(feature, to, 1);
            self.group_of[feature] = to;
        }
    }

    /// A new, empty group; returns its index.
    pub fn add_group(&mut self) -> u32 {
        self.walks.push(FastMap::default());
        self.dissolved.push(DissolvedGroup::default());
        self.dirty.push(false);
        (self.walks.len() - 1) as u32
    }

    /// Chains the rings of every group that changed; returns those groups.
    pub fn refresh(&mut self) -> Vec<u32> {
        let changed: Vec<u32> = (0..self.dirty.len() as u32)
            .filter(|&g| self.dirty[g as usize])
            .collect();
        let set = ArcSet {
            arcs: &self.topology.arcs,
            points: &self.topology.points,
        };
        let walks = &self.walks;
        let rebuilt = crate::parallel::map(&changed, |&g| {
            let edges = set.edges(walks[g as usize].iter().map(|(&a, &n)| (a, n)));
            set.chain_rings(&edges)
        });
        for (&g, dissolved) in changed.iter().zip(rebuilt) {
            self.dissolved[g as usize] = dissolved;
            self.dirty[g as usize] = false;
        }
        changed
    }

    /// A group's rings as of the last refresh.
    pub fn group(&self, group: u32) -> Option<&DissolvedGroup> {
        self.dissolved.get(group as usize)
    }

    pub fn group_count(&self) -> usize {
        self.dissolved.len()
    }

    /// Each feature's group.
    pub fn group_of(&self) -> &[Option<u32>] {
        &self.group_of
    }

    pub fn topology(&self) -> &Arc<Topology> {
        &self.topology
    }
}

/// A small deterministic random sequence (xorshift) for scripted edits — the edit benchmark
/// and the tests — so that runs compare.
pub struct Xorshift(pub u64);

impl Xorshift {
    /// The next number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::super::dissolve::tests::grid;
    use super::*;

    #[test]
    fn after_random_moves_every_group_has_the_rings_a_full_dissolve_gives() {
        let n = 12;
        let blocks = grid(n);
        let topology = Arc::new(Topology::build(&blocks, |c| c));
        let groups = 5;
        let start: Vec<Option<u32>> = (0..n * n).map(|i| Some((i % groups) as u32)).collect();
        let mut live = LiveDissolve::new(topology.clone(), start, groups);
        let mut random = Xorshift(0x9E37_79B9_7F4A_7C15);
        for step in 0..300 {
            // Move one block, or a run of them, to a group (sometimes to none, or a new one).
            let first = random.below(n * n);
            let count = 1 + random.below(if step % 7 == 0 { 20 } else { 2 });
            let moved: Vec<usize> = (first..(first + count).min(n * n)).collect();
            let to = match random.below(12) {
                0 => None,
                1 if live.group_count() < 8 => Some(live.add_group()),
                _ => Some(random.below(live.group_count()) as u32),
            };
            live.move_features(&moved, to);
            live.refresh();
            if step % 10 == 0 || step == 299 {
                let full = topology
                    .full()
                    .dissolve(live.group_of(), live.group_count());
                for (g, expected) in full.iter().enumerate() {
                    let got = live.group(g as u32).unwrap();
                    assert_eq!(
                        got.geometry, expected.geometry,
                        "group {g} after step {step}"
                    );
                    assert_eq!(got.parts, expected.parts);
                }
            }
        }
    }

    #[test]
    fn a_move_rebuilds_only_the_two_groups_it_touches() {
        let blocks = grid(6);
        let topology = Arc::new(Topology::build(&blocks, |c| c));
        let start: Vec<Option<u32>> = (0..36).map(|i| Some((i % 6 / 2) as u32)).collect();
        let mut live = LiveDissolve::new(topology, start, 3);
        live.move_features(&[0], Some(1));
        assert_eq!(live.refresh(), vec![0, 1]);
        assert!(live.refresh().is_empty());
    }
}
