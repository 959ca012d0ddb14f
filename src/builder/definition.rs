//! A scenario's definition in the NHS's legal style: each footprint as the councils (May 2024)
//! it holds whole, plus, for a council it shares, the list of its LSOAs inside — as CSV, and as
//! a readable markdown table.

use std::fmt::Write as _;

use super::Scenario;
use crate::load::text::csv_field;

/// One line of a footprint's definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    pub council_code: String,
    pub council_name: String,
    /// The LSOAs inside when the council is shared (empty when it is whole).
    pub lsoas: Vec<String>,
}

impl Part {
    pub fn whole(&self) -> bool {
        self.lsoas.is_empty()
    }
}

/// Per footprint (scenario order), its councils whole and in part, councils by name.
pub fn definition(scenario: &Scenario) -> Vec<Vec<Part>> {
    let set = scenario.blocks();
    let councils = &set.people.council_2024;
    let mut parts: Vec<Vec<Part>> = vec![Vec::new(); scenario.footprints.len()];
    let units = set.units(super::BlockLevel::Council2024);
    for (council, blocks) in units.iter().flat_map(|u| u.blocks.iter()).enumerate() {
        let (code, name) = &councils.areas[council];
        let mut by_footprint: Vec<(u32, Vec<usize>)> = Vec::new();
        let mut outside_every = false;
        for &b in blocks {
            match scenario.group_of()[b] {
                Some(g) => match by_footprint.iter_mut().find(|(f, _)| *f == g) {
                    Some((_, list)) => list.push(b),
                    None => by_footprint.push((g, vec![b])),
                },
                None => outside_every = true,
            }
        }
        let whole = by_footprint.len() == 1 && !outside_every;
        for (footprint, list) in by_footprint {
            let mut lsoas: Vec<String> = if whole {
                Vec::new()
            } else {
                list.iter().map(|&b| set.codes[b].clone()).collect()
            };
            lsoas.sort();
            if let Some(parts) = parts.get_mut(footprint as usize) {
                parts.push(Part {
                    council_code: code.clone(),
                    council_name: name.clone(),
                    lsoas,
                });
            }
        }
    }
    for list in &mut parts {
        list.sort_by(|a, b| {
            b.whole()
                .cmp(&a.whole())
                .then(a.council_name.cmp(&b.council_name))
        });
    }
    parts
}

/// The definition as CSV: `footprint_code,footprint_name,council_code,council_name,whole,lsoas`
/// (the LSOAs separated by spaces, for a council in part).
pub fn to_csv(scenario: &Scenario) -> String {
    let mut out =
        String::from("footprint_code,footprint_name,council_code,council_name,whole,lsoas\n");
    for (footprint, parts) in scenario.footprints.iter().zip(definition(scenario)) {
        for part in parts {
            writeln!(
                out,
                "{},{},{},{},{},{}",
                csv_field(&footprint.code),
                csv_field(&footprint.name),
                csv_field(&part.council_code),
                csv_field(&part.council_name),
                if part.whole() { "yes" } else { "no" },
                part.lsoas.join(" ")
            )
            .ok();
        }
    }
    out
}

/// The definition as markdown: a section per footprint with a table of its councils.
pub fn to_markdown(scenario: &Scenario) -> String {
    let mut out = format!(
        "# {}\n\nEach footprint as the councils (May 2024) it holds; where it holds part of a council, the LSOAs (2021) it holds.\n",
        scenario.name
    );
    for (i, (footprint, parts)) in scenario
        .footprints
        .iter()
        .zip(definition(scenario))
        .enumerate()
    {
        if parts.is_empty() {
            continue;
        }
        let people = scenario
            .totals(i as u32)
            .map_or(0, |t| t.population_mid2022());
        write!(
            out,
            "\n## {} ({})\n\nPopulation mid-2022: {} (ONS, summed from LSOA 2021).\n\n| Council | Code | Whole? | LSOAs held |\n|---|---|---|---|\n",
            footprint.name,
            footprint.code,
            crate::geo_util::thousands(people)
        )
        .ok();
        for part in parts {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                part.council_name.replace('|', "/"),
                part.council_code,
                if part.whole() { "whole" } else { "part" },
                if part.whole() {
                    String::new()
                } else {
                    format!("{}: {}", part.lsoas.len(), part.lsoas.join(", "))
                }
            )
            .ok();
        }
    }
    out
}
