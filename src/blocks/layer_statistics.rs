//! The people of every footprint of any layer, from LSOA 2021: summed by code when a lookup
//! knows the layer's codes (ICBs, sub-ICB locations, councils, NHS regions), else by best fit
//! (each LSOA to the footprint its population-weighted centroid falls in), saying which.

use std::collections::HashMap;

use super::members::{self, Members};
use super::statistics::{self, Method, Totals};
use super::{Blocks, Grouping};
use crate::lookup::PointLocator;
use crate::model::Layer;

/// Statistics of a layer's footprints and how they were made.
#[derive(Clone, Debug)]
pub struct LayerStatistics {
    pub method: Method,
    /// The lookup whose codes were summed, for `ByCode`.
    pub lookup: Option<Lookup>,
    /// Per footprint (layer order); `None` for a footprint the lookup does not know.
    pub totals: Vec<Option<Totals>>,
    /// LSOAs whose centroid fell in no footprint (best fit), and their people mid-2022.
    pub unplaced: (usize, u64),
    /// Per footprint: sub-ICB locations, councils and trusts.
    pub members: Vec<Members>,
    /// Per footprint, the NHS region (April 2026) holding most of its people (mid-2022).
    pub regions: Vec<Option<String>>,
}

/// The lookup a layer's codes were matched with: the kind of area its codes name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    Icb2026,
    SubIcb2026,
    Region2026,
    Icb2024,
    SubIcb2024,
    Council2024,
    /// The layer's own LSOA 2021 make-up (a layer built from blocks: a builder scenario).
    OwnMakeUp,
}

impl Lookup {
    /// The lookup in words, with its year and whether it is derived.
    pub fn describe(self) -> &'static str {
        match self {
            Lookup::Icb2026 => "ICB, April 2026 (derived lookup)",
            Lookup::SubIcb2026 => "sub-ICB location, April 2026 (derived lookup)",
            Lookup::Region2026 => "NHS region, April 2026 (derived lookup)",
            Lookup::Icb2024 => "ICB, April 2024 (ONS lookup)",
            Lookup::SubIcb2024 => "sub-ICB location, April 2024 (ONS lookup)",
            Lookup::Council2024 => "council, 2024 (LSOA to ward to council lookup)",
            Lookup::OwnMakeUp => OWN_MAKE_UP,
        }
    }

    /// Whether the codes are ICB codes (of 2024 or 2026), so that the leaders of the ICB of
    /// April 2026 with the same code apply.
    pub fn names_icbs(self) -> bool {
        match self {
            Lookup::Icb2026 | Lookup::Icb2024 => true,
            Lookup::SubIcb2026
            | Lookup::Region2026
            | Lookup::SubIcb2024
            | Lookup::Council2024
            | Lookup::OwnMakeUp => false,
        }
    }
}

impl LayerStatistics {
    /// Whether the layer's codes are ICB codes (see [`Lookup::names_icbs`]).
    pub fn names_icbs(&self) -> bool {
        self.lookup.is_some_and(Lookup::names_icbs)
    }

    /// Where the figures come from, in one line, with the years.
    pub fn source(&self) -> String {
        let how = match (self.method, self.lookup) {
            (Method::ByCode, Some(lookup)) => format!("summed by code ({})", lookup.describe()),
            (method, _) => method.describe().to_string(),
        };
        format!(
            "Derived from LSOA 2021: ONS mid-year populations, Census 2021 ages, IMD 2025; {how}"
        )
    }
}

/// The lookups whose codes a layer may use, in the order tried.
fn groupings(blocks: &Blocks) -> [(&Grouping, Lookup); 6] {
    [
        (&blocks.icb_2026, Lookup::Icb2026),
        (&blocks.sub_icb_2026, Lookup::SubIcb2026),
        (&blocks.region_2026, Lookup::Region2026),
        (&blocks.icb_2024, Lookup::Icb2024),
        (&blocks.sub_icb_2024, Lookup::SubIcb2024),
        (&blocks.council_2024, Lookup::Council2024),
    ]
}

/// Share of `a`'s codes that `b` has.
fn share_known(a: &[&str], b: &HashMap<&str, usize>) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    a.iter().filter(|c| b.contains_key(*c)).count() as f64 / a.len() as f64
}

/// The lookup that names the same areas as `layer` (at least 90% of each's codes in the other).
fn matching_grouping<'b>(layer: &Layer, blocks: &'b Blocks) -> Option<(&'b Grouping, Lookup)> {
    let codes: Vec<&str> = layer.footprints.iter().map(|f| f.code.as_str()).collect();
    let layer_codes: HashMap<&str, usize> =
        codes.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    groupings(blocks).into_iter().find(|(grouping, _)| {
        let areas: HashMap<&str, usize> = grouping
            .areas
            .iter()
            .enumerate()
            .map(|(i, (c, _))| (c.as_str(), i))
            .collect();
        let area_codes: Vec<&str> = areas.keys().copied().collect();
        share_known(&codes, &areas) >= 0.9 && share_known(&area_codes, &layer_codes) >= 0.9
    })
}

/// How a layer built from LSOAs (a builder scenario) is summed.
pub const OWN_MAKE_UP: &str = "the layer's own LSOA 2021 make-up";

/// The layer's own LSOA make-up, when it has one that fits `blocks`.
fn own_make_up<'a>(layer: &'a Layer, blocks: &Blocks) -> Option<&'a [Option<u32>]> {
    layer
        .lsoa_2021_make_up
        .as_deref()
        .filter(|m| m.len() == blocks.len())
        .map(Vec::as_slice)
}

/// Each block's area code in `layer`, by the layer's own LSOA make-up or by a lookup naming
/// the same areas; with how.
fn block_codes<'a>(
    layer: &'a Layer,
    blocks: &'a Blocks,
) -> Option<(Vec<Option<&'a str>>, &'static str)> {
    if let Some(make_up) = own_make_up(layer, blocks) {
        let code_of = |g: &Option<u32>| {
            g.and_then(|g| layer.footprints.get(g as usize))
                .map(|f| f.code.as_str())
        };
        return Some((make_up.iter().map(code_of).collect(), OWN_MAKE_UP));
    }
    let (grouping, lookup) = matching_grouping(layer, blocks)?;
    let code_of = |a: &Option<u32>| a.map(|a| grouping.areas[a as usize].0.as_str());
    Some((
        grouping.of_block.iter().map(code_of).collect(),
        lookup.describe(),
    ))
}

/// Each block's area code in `layer` by best fit (the area its centroid falls in).
fn best_fit_codes<'a>(layer: &'a Layer, blocks: &Blocks) -> (Vec<Option<&'a str>>, &'static str) {
    let locator = PointLocator::build(layer);
    let codes = statistics::best_fit(blocks, &locator)
        .into_iter()
        .map(|g| {
            g.and_then(|g| layer.footprints.get(g as usize))
                .map(|f| f.code.as_str())
        })
        .collect();
    (codes, "best fit (population-weighted centroids)")
}

/// People (mid-2022) who are in each (old code, new code) pair, when lookups (or the layers'
/// own make-up) know both layers' codes; with a line saying where the figures come from.
pub fn flows(old: &Layer, new: &Layer, blocks: &Blocks) -> Option<(crate::compare::Flows, String)> {
    // Beside a layer built from LSOAs (a scenario), one whose codes no lookup knows is placed
    // by best fit, so that the people who move are counted rather than nobody.
    let either_own = own_make_up(old, blocks).is_some() || own_make_up(new, blocks).is_some();
    let codes = |layer| match block_codes(layer, blocks) {
        Some(found) => Some(found),
        None if either_own => Some(best_fit_codes(layer, blocks)),
        None => None,
    };
    let (from, from_name) = codes(old)?;
    let (to, to_name) = codes(new)?;
    let mut flows = crate::compare::Flows::new();
    for (block, (a, b)) in from.iter().zip(&to).enumerate() {
        if let (Some(a), Some(b)) = (a, b) {
            let key = (a.to_string(), b.to_string());
            *flows.entry(key).or_default() += u64::from(blocks.population[block][super::MID2022]);
        }
    }
    Some((
        flows,
        format!("people mid-2022 (ONS), by LSOA 2021: {from_name} to {to_name}"),
    ))
}

/// Each block's footprint in `layer` (indexed as `blocks`): through a lookup naming the same
/// areas when there is one, else by where the block's centroid falls (best fit, through the
/// layer's own `locator`); with the method and the lookup used.
pub fn block_assignment(
    layer: &Layer,
    blocks: &Blocks,
    locator: &PointLocator,
) -> (Vec<Option<u32>>, Method, Option<Lookup>) {
    let layer_codes: HashMap<&str, usize> = layer
        .footprints
        .iter()
        .enumerate()
        .map(|(i, f)| (f.code.as_str(), i))
        .collect();
    if let Some(make_up) = own_make_up(layer, blocks) {
        return (make_up.to_vec(), Method::ByCode, Some(Lookup::OwnMakeUp));
    }
    match matching_grouping(layer, blocks) {
        Some((grouping, lookup)) => {
            let footprint_of_area: Vec<Option<u32>> = grouping
                .areas
                .iter()
                .map(|(code, _)| layer_codes.get(code.as_str()).map(|&i| i as u32))
                .collect();
            let group_of = grouping
                .of_block
                .iter()
                .map(|a| a.and_then(|a| footprint_of_area[a as usize]))
                .collect();
            (group_of, Method::ByCode, Some(lookup))
        }
        None => (statistics::best_fit(blocks, locator), Method::BestFit, None),
    }
}

/// Statistics for every footprint of `layer`. A lookup is used when it and the layer name the
/// same areas (at least 90% of each's codes in the other); otherwise best fit through
/// `locator` (the layer's own point locator).
pub fn for_layer(layer: &Layer, blocks: &Blocks, locator: &PointLocator) -> LayerStatistics {
    let n = layer.footprints.len();
    let (group_of, method, lookup) = block_assignment(layer, blocks, locator);
    let known: Vec<bool> = match lookup {
        Some(_) => {
            let mut known = vec![false; n];
            for g in group_of.iter().flatten() {
                known[*g as usize] = true;
            }
            known
        }
        None => vec![true; n],
    };
    let totals = statistics::totals(blocks, &group_of, n)
        .into_iter()
        .zip(&known)
        .map(|(t, &k)| k.then_some(t))
        .collect();
    let unplaced = match method {
        Method::BestFit => group_of
            .iter()
            .enumerate()
            .filter(|(_, g)| g.is_none())
            .fold((0, 0), |(count, people), (block, _)| {
                (
                    count + 1,
                    people + u64::from(blocks.population[block][super::MID2022]),
                )
            }),
        Method::ByCode => (0, 0),
    };
    LayerStatistics {
        method,
        lookup,
        totals,
        unplaced,
        members: members::members(blocks, &group_of, n, locator),
        regions: regions(blocks, &group_of, n),
    }
}

/// Each footprint's NHS region (April 2026): the one holding most of its people (mid-2022).
fn regions(blocks: &Blocks, group_of: &[Option<u32>], n: usize) -> Vec<Option<String>> {
    let regions = &blocks.region_2026;
    let mut people = vec![vec![0u64; regions.areas.len()]; n];
    for (block, group) in group_of.iter().enumerate() {
        if let (Some(g), Some(r)) = (group, regions.of_block.get(block).copied().flatten()) {
            people[*g as usize][r as usize] += u64::from(blocks.population[block][super::MID2022]);
        }
    }
    people
        .into_iter()
        .map(|counts| {
            let (best, &most) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
            (most > 0).then(|| regions.areas[best].1.clone())
        })
        .collect()
}
