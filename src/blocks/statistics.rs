//! A footprint's people, totalled from its LSOA 2021 blocks: population mid-2011…mid-2022,
//! Census 2021 shares aged 0–15 and 65+, IMD 2025 deprivation (population-weighted score, and
//! the share of people in England's most deprived tenth of LSOAs), and the councils it splits.

use super::{Blocks, MID2022, YEARS};
use crate::lookup::PointLocator;

/// How blocks were given to footprints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// By code, from a lookup that names each block's footprint.
    ByCode,
    /// Each block to the footprint its population-weighted centroid falls in (ONS's best fit).
    BestFit,
}

impl Method {
    pub fn describe(self) -> &'static str {
        match self {
            Method::ByCode => "summed by code from the LSOA 2021 lookup",
            Method::BestFit => "LSOA 2021 best fit (population-weighted centroids)",
        }
    }
}

/// What a footprint's blocks add up to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Totals {
    pub blocks: usize,
    /// People mid-2011 … mid-2022.
    pub population: [u64; YEARS],
    /// Census 2021: usual residents, aged 0–15, aged 65 and over.
    pub census: [u64; 3],
    /// IMD 2025 score times mid-2022 people, and those people (for the weighted average).
    deprivation_weighted: f64,
    deprivation_people: u64,
    /// Mid-2022 people in LSOAs of England's most deprived tenth (IMD 2025 decile 1).
    pub most_deprived_people: u64,
}

impl Totals {
    fn add(&mut self, blocks: &Blocks, block: usize) {
        self.blocks += 1;
        let people = blocks.population[block];
        for (total, &p) in self.population.iter_mut().zip(&people) {
            *total += u64::from(p);
        }
        for (total, &c) in self.census.iter_mut().zip(&blocks.census[block]) {
            *total += u64::from(c);
        }
        let now = u64::from(people[MID2022]);
        if let Some((score, decile)) = blocks.deprivation[block] {
            self.deprivation_weighted += f64::from(score) * now as f64;
            self.deprivation_people += now;
            if decile == 1 {
                self.most_deprived_people += now;
            }
        }
    }

    pub fn population_mid2022(&self) -> u64 {
        self.population[MID2022]
    }

    /// Share of Census 2021 residents aged 65 and over.
    pub fn share_65_plus(&self) -> Option<f64> {
        (self.census[0] > 0).then(|| self.census[2] as f64 / self.census[0] as f64)
    }

    /// Share of Census 2021 residents aged 0–15.
    pub fn share_0_15(&self) -> Option<f64> {
        (self.census[0] > 0).then(|| self.census[1] as f64 / self.census[0] as f64)
    }

    /// IMD 2025 score averaged over people (mid-2022).
    pub fn deprivation_score(&self) -> Option<f64> {
        (self.deprivation_people > 0)
            .then(|| self.deprivation_weighted / self.deprivation_people as f64)
    }

    /// Share of people (mid-2022) living in England's most deprived tenth of LSOAs.
    pub fn most_deprived_share(&self) -> Option<f64> {
        (self.deprivation_people > 0)
            .then(|| self.most_deprived_people as f64 / self.deprivation_people as f64)
    }
}

/// Totals per group; `group_of[block]` is each block's group.
pub fn totals(blocks: &Blocks, group_of: &[Option<u32>], groups: usize) -> Vec<Totals> {
    let mut out = vec![Totals::default(); groups];
    for (block, group) in group_of.iter().enumerate().take(blocks.len()) {
        if let Some(totals) = group.and_then(|g| out.get_mut(g as usize)) {
            totals.add(blocks, block);
        }
    }
    out
}

/// Each block given to the area of `locator` its population-weighted centroid falls in.
pub fn best_fit(blocks: &Blocks, locator: &PointLocator) -> Vec<Option<u32>> {
    blocks
        .centroids
        .iter()
        .map(|c| c.and_then(|c| locator.locate(c)).map(|i| i as u32))
        .collect()
}

/// A council and how much of it (mid-2022 people) a footprint holds.
#[derive(Clone, Debug, PartialEq)]
pub struct CouncilShare {
    /// Index into `Blocks::council_2024.areas`.
    pub council: usize,
    pub people_inside: u64,
    pub people: u64,
}

impl CouncilShare {
    pub fn whole(&self) -> bool {
        self.people_inside == self.people
    }

    pub fn share(&self) -> f64 {
        if self.people == 0 {
            0.0
        } else {
            self.people_inside as f64 / self.people as f64
        }
    }
}

/// Per group, the councils (2024) it holds some of, by code.
pub fn council_shares(
    blocks: &Blocks,
    group_of: &[Option<u32>],
    groups: usize,
) -> Vec<Vec<CouncilShare>> {
    area_shares(blocks, &blocks.council_2024, group_of, groups)
}

/// Per group, the areas of `grouping` it holds some of (mid-2022 people inside, and in all),
/// by area index. (`CouncilShare::council` is then the index into `grouping.areas`.)
pub fn area_shares(
    blocks: &Blocks,
    grouping: &super::Grouping,
    group_of: &[Option<u32>],
    groups: usize,
) -> Vec<Vec<CouncilShare>> {
    let mut people = vec![0u64; grouping.areas.len()];
    let mut inside: Vec<std::collections::BTreeMap<usize, u64>> = vec![Default::default(); groups];
    for (block, area) in grouping.of_block.iter().enumerate() {
        let Some(area) = area.map(|a| a as usize) else {
            continue;
        };
        let now = u64::from(blocks.population[block][MID2022]);
        people[area] += now;
        if let Some(held) = group_of
            .get(block)
            .copied()
            .flatten()
            .and_then(|g| inside.get_mut(g as usize))
        {
            *held.entry(area).or_default() += now;
        }
    }
    inside
        .into_iter()
        .map(|held| {
            held.into_iter()
                .map(|(council, people_inside)| CouncilShare {
                    council,
                    people_inside,
                    people: people[council],
                })
                .collect()
        })
        .collect()
}
