//! The rules a scenario is checked against, each one switchable: population within a range
//! (NHS England's merger guidance expects at least 1,000,000), one piece of land (islands that
//! really are islands can be accepted), councils not split between footprints, and no block
//! left out.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::Scenario;

/// Which rules apply, and their limits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    pub population: bool,
    pub min_population: u64,
    pub max_population: Option<u64>,
    pub one_piece: bool,
    /// Footprints (by code) accepted in more than one piece.
    pub accepted_pieces: BTreeSet<String>,
    pub councils_whole: bool,
    pub every_block: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            population: true,
            min_population: 1_000_000,
            max_population: None,
            one_piece: true,
            accepted_pieces: BTreeSet::new(),
            councils_whole: true,
            every_block: true,
        }
    }
}

/// A rule a scenario breaks, and where.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Failure {
    /// "population", "one_piece", "councils_whole" or "every_block".
    pub rule: &'static str,
    /// The footprint (or council, for a split) it is about.
    pub code: Option<String>,
    pub message: String,
    /// Blocks to zoom to.
    #[serde(skip)]
    pub blocks: Vec<usize>,
}

/// Every rule the scenario breaks, footprint by footprint.
pub fn check(scenario: &Scenario, rules: &Rules) -> Vec<Failure> {
    let mut failures = Vec::new();
    let thousands = |n: u64| crate::geo_util::thousands(n);
    // Each footprint's blocks, in one pass.
    let mut blocks_of: Vec<Vec<usize>> = vec![Vec::new(); scenario.footprints.len()];
    for (block, group) in scenario.group_of().iter().enumerate() {
        if let Some(list) = group.and_then(|g| blocks_of.get_mut(g as usize)) {
            list.push(block);
        }
    }
    for ((i, footprint), blocks) in scenario.footprints.iter().enumerate().zip(blocks_of) {
        if blocks.is_empty() {
            continue; // an empty footprint (merged away) breaks nothing
        }
        let people = scenario
            .totals(i as u32)
            .map_or(0, |t| t.population_mid2022());
        if rules.population {
            let below = people < rules.min_population;
            let above = rules.max_population.is_some_and(|max| people > max);
            if below || above {
                failures.push(Failure {
                    rule: "population",
                    code: Some(footprint.code.clone()),
                    message: format!(
                        "{} has {} people (mid-2022), {} {}",
                        footprint.name,
                        thousands(people),
                        if below { "below" } else { "above" },
                        thousands(if below {
                            rules.min_population
                        } else {
                            rules.max_population.unwrap_or(0)
                        })
                    ),
                    blocks: blocks.clone(),
                });
            }
        }
        let parts = scenario.shape(i as u32).map_or(0, |s| s.parts);
        if rules.one_piece && parts > 1 && !rules.accepted_pieces.contains(&footprint.code) {
            failures.push(Failure {
                rule: "one_piece",
                code: Some(footprint.code.clone()),
                message: format!("{} is in {parts} pieces", footprint.name),
                blocks,
            });
        }
    }
    if rules.councils_whole {
        failures.extend(split_councils(scenario));
    }
    if rules.every_block {
        let left: Vec<usize> = scenario
            .group_of()
            .iter()
            .enumerate()
            .filter(|(_, g)| g.is_none())
            .map(|(b, _)| b)
            .collect();
        if !left.is_empty() {
            failures.push(Failure {
                rule: "every_block",
                code: None,
                message: format!(
                    "{} block(s) with {} people are in no footprint",
                    left.len(),
                    thousands(scenario.blocks().people_of(&left))
                ),
                blocks: left,
            });
        }
    }
    failures
}

/// A council split between footprints: its index, all its blocks, and its parts (footprint,
/// blocks).
type SplitCouncil<'a> = (usize, &'a [usize], Vec<(Option<u32>, Vec<usize>)>);

/// Councils (May 2024) whose blocks lie in more than one footprint (or partly in none).
fn councils_in_parts(scenario: &Scenario) -> Vec<SplitCouncil<'_>> {
    let units = scenario.blocks().units(super::BlockLevel::Council2024);
    let mut split = Vec::new();
    for (council, blocks) in units.iter().flat_map(|u| u.blocks.iter()).enumerate() {
        let mut parts: Vec<(Option<u32>, Vec<usize>)> = Vec::new();
        for &b in blocks {
            let g = scenario.group_of()[b];
            match parts.iter_mut().find(|(p, _)| *p == g) {
                Some((_, list)) => list.push(b),
                None => parts.push((g, vec![b])),
            }
        }
        if parts.len() > 1 {
            split.push((council, blocks.as_slice(), parts));
        }
    }
    split
}

/// Councils (May 2024) whose blocks lie in more than one footprint, with each part's share of
/// the council's people.
fn split_councils(scenario: &Scenario) -> Vec<Failure> {
    let set = scenario.blocks();
    let councils = &set.people.council_2024;
    let mut failures = Vec::new();
    for (council, blocks, parts) in councils_in_parts(scenario) {
        let total = set.people_of(blocks).max(1);
        let mut shares: Vec<(u64, String)> = parts
            .iter()
            .map(|(g, list)| {
                let name = g
                    .and_then(|g| scenario.footprints.get(g as usize))
                    .map_or_else(|| "no footprint".to_string(), |f| f.name.clone());
                (set.people_of(list), name)
            })
            .collect();
        shares.sort_by_key(|s| std::cmp::Reverse(s.0));
        let (code, name) = &councils.areas[council];
        failures.push(Failure {
            rule: "councils_whole",
            code: Some(code.clone()),
            message: format!(
                "{name} is split: {}",
                shares
                    .iter()
                    .map(|(people, footprint)| format!(
                        "{:.0}% in {footprint}",
                        *people as f64 * 100.0 / total as f64
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            blocks: blocks.to_vec(),
        });
    }
    failures
}

/// For each footprint, how many councils (May 2024) it shares with another footprint (or
/// with no footprint).
pub fn councils_split_per_footprint(scenario: &Scenario) -> Vec<usize> {
    let mut counts = vec![0; scenario.footprints.len()];
    for (_, _, parts) in councils_in_parts(scenario) {
        for g in parts.into_iter().filter_map(|(g, _)| g) {
            if let Some(count) = counts.get_mut(g as usize) {
                *count += 1;
            }
        }
    }
    counts
}
