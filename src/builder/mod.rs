//! The footprint builder's model: a scenario is an assignment of LSOA 2021 blocks to named
//! footprints, kept dissolved as blocks move ([`LiveDissolve`]), with every edit undoable and
//! described in a history ("Rushmoor: Frimley to Hampshire and Isle of Wight, 104,000 people").
//! `rules.rs` checks it; `file.rs` saves and opens it. No egui here.

use std::sync::Arc;

use crate::blocks::Blocks;
use crate::blocks::statistics::{self, Totals};
use crate::topology::{DissolvedGroup, LiveDissolve, Topology};

pub mod autosave;
pub mod definition;
pub mod file;
pub mod rules;
pub mod units;

pub use crate::model::CHANGE_PROPERTY;
pub use units::{BlockLevel, Unit, Units};

/// A footprint of a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FootprintDef {
    pub code: String,
    pub name: String,
}

/// One change to a scenario, with what it replaced (so it can be undone).
#[derive(Clone, Debug, PartialEq)]
enum Change {
    /// Blocks given to a footprint (or to none); `from` holds each block's footprint before.
    Move {
        blocks: Vec<usize>,
        from: Vec<Option<u32>>,
        to: Option<u32>,
    },
    /// A new footprint appended.
    Add(FootprintDef),
    /// A footprint's name changed.
    Rename {
        footprint: u32,
        before: String,
        after: String,
    },
}

/// An edit as the history shows it: what was done, and the changes that did it.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    pub description: String,
    changes: Vec<Change>,
    /// A brush or rectangle stroke, which later moves of the same stroke join.
    stroke: bool,
}

/// Blocks (LSOA 2021), their shared arcs and people, shared by every scenario.
pub struct BlockSet {
    /// Each block's LSOA code, in the topology's feature order.
    pub codes: Vec<String>,
    /// Each block's name ("Hart 001A").
    pub names: Vec<String>,
    pub topology: Arc<Topology>,
    pub people: &'static Blocks,
    /// Each block's index in `people`.
    people_index: Vec<Option<usize>>,
    /// Sub-ICB locations (April 2026) and councils (May 2024) as units of blocks.
    sub_icbs: Units,
    councils: Units,
}

impl BlockSet {
    /// The blocks of `layer` (codes and polygons), with their people from `people`.
    pub fn new(layer: &crate::model::Layer, people: &'static Blocks) -> Self {
        let topology = Arc::new(Topology::build(
            layer.footprints.iter().map(|f| &f.geometry),
            |c| c,
        ));
        let codes: Vec<String> = layer.footprints.iter().map(|f| f.code.clone()).collect();
        let names = layer.footprints.iter().map(|f| f.name.clone()).collect();
        let people_index = codes.iter().map(|c| people.index_of(c)).collect();
        let mut set = BlockSet {
            codes,
            names,
            topology,
            people,
            people_index,
            sub_icbs: Units::default(),
            councils: Units::default(),
        };
        set.sub_icbs = Units::of(&set, &people.sub_icb_2026);
        set.councils = Units::of(&set, &people.council_2024);
        set
    }

    /// Each block's footprint when the people's blocks are grouped by `of_people_block`
    /// (indexed as `people`), in this set's order.
    pub fn from_people_order(&self, of_people_block: &[Option<u32>]) -> Vec<Option<u32>> {
        self.people_index
            .iter()
            .map(|i| i.and_then(|i| of_people_block.get(i).copied().flatten()))
            .collect()
    }

    /// A block's people (mid-2022), if the tables know it.
    pub fn block_people(&self, block: usize) -> Option<u64> {
        let i = self.people_index.get(block).copied().flatten()?;
        Some(u64::from(self.people.population[i][crate::blocks::MID2022]))
    }

    /// The groups of a lookup (sub-ICB or council), as lists of blocks in this set's order.
    pub fn by_lookup(&self, grouping: &crate::blocks::Grouping) -> Vec<Vec<usize>> {
        let mut lists = vec![Vec::new(); grouping.areas.len()];
        for (block, index) in self.people_index.iter().enumerate() {
            if let Some(area) = index.and_then(|i| grouping.of_block[i]) {
                lists[area as usize].push(block);
            }
        }
        lists
    }

    /// Each block's footprint under a lookup, in this set's order.
    pub fn assignment_of(&self, grouping: &crate::blocks::Grouping) -> Vec<Option<u32>> {
        self.people_index
            .iter()
            .map(|i| i.and_then(|i| grouping.of_block[i]))
            .collect()
    }

    /// People mid-2022 of some blocks.
    pub fn people_of(&self, blocks: &[usize]) -> u64 {
        blocks
            .iter()
            .filter_map(|&b| self.people_index[b])
            .map(|i| u64::from(self.people.population[i][crate::blocks::MID2022]))
            .sum()
    }
}

/// A scenario as it stood ([`Scenario::parts`]): cheap to take (the blocks are shared); the
/// dissolving is left to [`ScenarioParts::build`].
pub struct ScenarioParts {
    name: String,
    blocks: Arc<BlockSet>,
    footprints: Vec<FootprintDef>,
    group_of: Vec<Option<u32>>,
}

impl ScenarioParts {
    /// The scenario made again, its footprints dissolved from its blocks.
    pub fn build(self) -> Scenario {
        Scenario::new(&self.name, self.blocks, self.footprints, self.group_of)
    }
}

/// A scenario: named footprints made of blocks, with its history.
pub struct Scenario {
    pub name: String,
    pub footprints: Vec<FootprintDef>,
    blocks: Arc<BlockSet>,
    live: LiveDissolve,
    totals: Vec<Totals>,
    done: Vec<Edit>,
    undone: Vec<Edit>,
}

impl Scenario {
    /// A scenario starting from `group_of` (each block's footprint) and its footprints.
    pub fn new(
        name: &str,
        blocks: Arc<BlockSet>,
        footprints: Vec<FootprintDef>,
        group_of: Vec<Option<u32>>,
    ) -> Self {
        let live = LiveDissolve::new(blocks.topology.clone(), group_of, footprints.len());
        let mut scenario = Scenario {
            name: name.to_string(),
            footprints,
            blocks,
            live,
            totals: Vec::new(),
            done: Vec::new(),
            undone: Vec::new(),
        };
        scenario.recount();
        scenario
    }

    /// A scenario that starts as a lookup's areas (ICB or sub-ICB April 2026, council…).
    pub fn from_lookup(
        name: &str,
        blocks: Arc<BlockSet>,
        grouping: &crate::blocks::Grouping,
    ) -> Self {
        let footprints = grouping
            .areas
            .iter()
            .map(|(code, name)| FootprintDef {
                code: code.clone(),
                name: name.clone(),
            })
            .collect();
        let group_of = blocks.assignment_of(grouping);
        Scenario::new(name, blocks, footprints, group_of)
    }

    /// Recounts every footprint's people from its blocks.
    fn recount(&mut self) {
        let people = self.blocks.people;
        let mut by_people = vec![None; people.len()];
        for (block, group) in self.live.group_of().iter().enumerate() {
            if let Some(i) = self.blocks.people_index[block] {
                by_people[i] = *group;
            }
        }
        self.totals = statistics::totals(people, &by_people, self.footprints.len());
    }

    pub fn blocks(&self) -> &Arc<BlockSet> {
        &self.blocks
    }

    /// Each block's footprint.
    /// What the scenario is as it stands, without its history, to be made again elsewhere
    /// ([`ScenarioParts::build`], in the background) while the user goes on editing it.
    pub fn parts(&self) -> ScenarioParts {
        ScenarioParts {
            name: self.name.clone(),
            blocks: self.blocks.clone(),
            footprints: self.footprints.clone(),
            group_of: self.group_of().to_vec(),
        }
    }

    pub fn group_of(&self) -> &[Option<u32>] {
        self.live.group_of()
    }

    /// A footprint's dissolved shape as of the last edit.
    pub fn shape(&self, footprint: u32) -> Option<&DissolvedGroup> {
        self.live.group(footprint)
    }

    pub fn totals(&self, footprint: u32) -> Option<&Totals> {
        self.totals.get(footprint as usize)
    }

    /// Every footprint with blocks as built footprints (shape, blocks, parts, geodesic area and
    /// people), for writing out with [`crate::assign::output`].
    pub fn built(&self) -> Vec<crate::assign::BuiltFootprint> {
        let mut blocks: Vec<Vec<usize>> = vec![Vec::new(); self.footprints.len()];
        for (block, group) in self.live.group_of().iter().enumerate() {
            if let Some(list) = group.and_then(|g| blocks.get_mut(g as usize)) {
                list.push(block);
            }
        }
        self.footprints
            .iter()
            .zip(blocks)
            .enumerate()
            .filter(|(_, (_, blocks))| !blocks.is_empty())
            .filter_map(|(i, (def, blocks))| {
                let shape = self.live.group(i as u32)?;
                Some(crate::assign::BuiltFootprint {
                    code: def.code.clone(),
                    name: def.name.clone(),
                    area_km2: crate::geo_util::geodesic_km2(&shape.geometry),
                    geometry: shape.geometry.clone(),
                    blocks,
                    parts: shape.parts,
                    totals: self.totals.get(i).cloned(),
                })
            })
            .collect()
    }

    /// The scenario as a layer of its dissolved footprints, knowing its exact LSOA make-up
    /// (so that its people, and flows in a comparison, are summed from its own blocks).
    pub fn to_layer(&self, title: &str) -> crate::model::Layer {
        let built = self.built();
        let mut layer = crate::assign::output::to_layer(
            &built,
            title,
            crate::model::LayerSource::Made("builder scenario"),
        );
        // Each scenario footprint's place among the built ones (those with blocks, in order).
        let mut layer_index: Vec<Option<u32>> = vec![None; self.footprints.len()];
        let mut next = built.iter().enumerate().peekable();
        for (i, def) in self.footprints.iter().enumerate() {
            if let Some((j, b)) = next.peek()
                && b.code == def.code
                && b.name == def.name
                && self.totals.get(i).is_some_and(|t| t.blocks > 0)
            {
                layer_index[i] = Some(*j as u32);
                next.next();
            }
        }
        let mut make_up = vec![None; self.blocks.people.len()];
        for (block, group) in self.live.group_of().iter().enumerate() {
            if let (Some(i), Some(g)) = (self.blocks.people_index[block], group) {
                make_up[i] = layer_index.get(*g as usize).copied().flatten();
            }
        }
        layer.lsoa_2021_make_up = Some(Arc::new(make_up));
        layer
    }

    /// The history, oldest first.
    pub fn history(&self) -> impl Iterator<Item = &str> {
        self.done.iter().map(|e| e.description.as_str())
    }

    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    fn name_of(&self, footprint: Option<u32>) -> String {
        footprint
            .and_then(|f| self.footprints.get(f as usize))
            .map_or_else(|| "no footprint".to_string(), |f| f.name.clone())
    }

    /// Gives `blocks` to `to` (or to none), described as `what` ("Rushmoor", "E01012345").
    /// Returns the footprints that changed.
    pub fn move_blocks(&mut self, what: &str, blocks: &[usize], to: Option<u32>) -> Vec<u32> {
        let Some(change) = self.move_change(blocks, to) else {
            return Vec::new();
        };
        let description = self.describe_moves(what, std::slice::from_ref(&change), to);
        self.apply(Edit {
            description,
            changes: vec![change],
            stroke: false,
        })
    }

    /// Gives `blocks` to `to` as part of a stroke (a brush drag or a rectangle): with
    /// `continuing`, the move joins the last edit when that is a stroke to the same footprint,
    /// so that one undo takes back the whole stroke.
    pub fn paint(&mut self, blocks: &[usize], to: Option<u32>, continuing: bool) -> Vec<u32> {
        let Some(change) = self.move_change(blocks, to) else {
            return Vec::new();
        };
        let joins = continuing
            && self.undone.is_empty()
            && self.done.last().is_some_and(|e| {
                e.stroke
                    && matches!(e.changes.first(), Some(Change::Move { to: t, .. }) if *t == to)
            });
        if !joins {
            let description = self.describe_moves("Brush", std::slice::from_ref(&change), to);
            return self.apply(Edit {
                description,
                changes: vec![change],
                stroke: true,
            });
        }
        let changed = self.run(std::slice::from_ref(&change), false);
        if let Some(mut edit) = self.done.pop() {
            edit.changes.push(change);
            edit.description = self.describe_moves("Brush", &edit.changes, to);
            self.done.push(edit);
        }
        changed
    }

    /// A move of those of `blocks` not already in `to`; `None` when there are none or `to`
    /// is not a footprint.
    fn move_change(&self, blocks: &[usize], to: Option<u32>) -> Option<Change> {
        let from: Vec<Option<u32>> = blocks
            .iter()
            .map(|&b| self.live.group_of().get(b).copied().flatten())
            .collect();
        let any_moving = from.iter().any(|f| *f != to);
        if !any_moving || to.is_some_and(|t| t as usize >= self.footprints.len()) {
            return None;
        }
        Some(Change::Move {
            blocks: blocks.to_vec(),
            from,
            to,
        })
    }

    /// "Rushmoor: NHS Frimley ICB to NHS Hampshire and Isle of Wight ICB, 104,000 people" for
    /// the blocks `changes` moved to `to`.
    fn describe_moves(&self, what: &str, changes: &[Change], to: Option<u32>) -> String {
        let mut moved: Vec<usize> = Vec::new();
        let mut sources: Vec<Option<u32>> = Vec::new();
        for change in changes {
            if let Change::Move { blocks, from, .. } = change {
                for (&b, &f) in blocks.iter().zip(from) {
                    if f != to {
                        moved.push(b);
                        sources.push(f);
                    }
                }
            }
        }
        sources.sort();
        sources.dedup();
        let source_names: Vec<String> = sources.iter().map(|f| self.name_of(*f)).collect();
        let what = if what == "Brush" {
            format!("{} block(s)", moved.len())
        } else {
            what.to_string()
        };
        format!(
            "{what}: {} to {}, {} people",
            source_names.join(" and "),
            self.name_of(to),
            crate::geo_util::thousands(self.blocks.people_of(&moved))
        )
    }

    /// A new footprint; returns its index.
    pub fn add_footprint(&mut self, code: &str, name: &str) -> u32 {
        let def = FootprintDef {
            code: code.to_string(),
            name: name.to_string(),
        };
        self.apply(Edit {
            description: format!("New footprint {name} ({code})"),
            changes: vec![Change::Add(def)],
            stroke: false,
        });
        (self.footprints.len() - 1) as u32
    }

    /// Renames a footprint.
    pub fn rename(&mut self, footprint: u32, name: &str) {
        let Some(before) = self
            .footprints
            .get(footprint as usize)
            .map(|f| f.name.clone())
        else {
            return;
        };
        self.apply(Edit {
            description: format!("Renamed {before} to {name}"),
            changes: vec![Change::Rename {
                footprint,
                before,
                after: name.to_string(),
            }],
            stroke: false,
        });
    }

    /// Merges footprint `from` into `into`, which takes the name `name`; `from` is left empty.
    pub fn merge(&mut self, from: u32, into: u32, name: &str) -> Vec<u32> {
        if from == into || into as usize >= self.footprints.len() {
            return Vec::new();
        }
        let blocks: Vec<usize> = self
            .live
            .group_of()
            .iter()
            .enumerate()
            .filter(|(_, g)| **g == Some(from))
            .map(|(b, _)| b)
            .collect();
        let mut changes = vec![Change::Move {
            from: vec![Some(from); blocks.len()],
            blocks,
            to: Some(into),
        }];
        let before = self.footprints[into as usize].name.clone();
        if before != name {
            changes.push(Change::Rename {
                footprint: into,
                before,
                after: name.to_string(),
            });
        }
        let description = format!(
            "Merged {} into {} as {name}",
            self.name_of(Some(from)),
            self.name_of(Some(into))
        );
        self.apply(Edit {
            description,
            changes,
            stroke: false,
        })
    }

    /// Does an edit and records it (forgetting anything undone).
    fn apply(&mut self, edit: Edit) -> Vec<u32> {
        let changed = self.run(&edit.changes, false);
        self.done.push(edit);
        self.undone.clear();
        changed
    }

    /// Undoes the last edit; returns the footprints that changed.
    pub fn undo(&mut self) -> Vec<u32> {
        let Some(edit) = self.done.pop() else {
            return Vec::new();
        };
        let changed = self.run(&edit.changes, true);
        self.undone.push(edit);
        changed
    }

    /// Redoes the last undone edit.
    pub fn redo(&mut self) -> Vec<u32> {
        let Some(edit) = self.undone.pop() else {
            return Vec::new();
        };
        let changed = self.run(&edit.changes, false);
        self.done.push(edit);
        changed
    }

    /// Runs changes forwards, or backwards (in reverse order) to undo them.
    fn run(&mut self, changes: &[Change], backwards: bool) -> Vec<u32> {
        let ordered: Vec<&Change> = if backwards {
            changes.iter().rev().collect()
        } else {
            changes.iter().collect()
        };
        for change in ordered {
            match (change, backwards) {
                (Change::Move { blocks, to, .. }, false) => self.live.move_features(blocks, *to),
                (Change::Move { blocks, from, .. }, true) => {
                    // Back to where each block was, a group of blocks at a time.
                    let mut by_group: Vec<(Option<u32>, Vec<usize>)> = Vec::new();
                    for (&b, &f) in blocks.iter().zip(from) {
                        match by_group.iter_mut().find(|(g, _)| *g == f) {
                            Some((_, list)) => list.push(b),
                            None => by_group.push((f, vec![b])),
                        }
                    }
                    for (group, list) in by_group {
                        self.live.move_features(&list, group);
                    }
                }
                (Change::Add(def), false) => {
                    self.footprints.push(def.clone());
                    if self.live.group_count() < self.footprints.len() {
                        self.live.add_group();
                    }
                }
                (Change::Add(_), true) => {
                    // The footprint is empty again (its blocks were moved back first); it stays
                    // as a group, unused, so that indices do not shift.
                    self.footprints.pop();
                }
                (
                    Change::Rename {
                        footprint, after, ..
                    },
                    false,
                ) => {
                    if let Some(f) = self.footprints.get_mut(*footprint as usize) {
                        f.name = after.clone();
                    }
                }
                (
                    Change::Rename {
                        footprint, before, ..
                    },
                    true,
                ) => {
                    if let Some(f) = self.footprints.get_mut(*footprint as usize) {
                        f.name = before.clone();
                    }
                }
            }
        }
        let changed = self.live.refresh();
        self.recount();
        changed
    }
}
