//! The built-in layers beside the 2016 footprints (today's ICBs and sub-ICB locations built from
//! LSOA 2021 blocks; ONS files of ICB 2023, councils, regions; STP 2021, ICB 2022, CCGs) and
//! mid-2019 populations for the older ones, totalled from LSOA 2011 where the layer has none.

use std::collections::HashMap;

use crate::embedded;
use crate::load::{self, LoadError, Progress};
use crate::model::{BuiltInId, Layer, LayerSource};

/// A layer built into the binary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltIn {
    /// Short name used in settings and on the command line (`stp2021`).
    pub id: BuiltInId,
    /// Title for menus and the layers panel.
    pub title: &'static str,
    /// The year for "what it belongs to" lines ("2021").
    pub label: &'static str,
    source: Source,
}

/// Where a built-in layer comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// A GeoJSON file built into the binary.
    File(&'static crate::embedded::Embedded),
    /// Built from the LSOA 2021 blocks by a lookup (`blocks::Blocks` field).
    Blocks(BlockLookup),
}

/// The lookups today's footprints are built from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BlockLookup {
    Icb2026,
    SubIcb2026,
}

/// The ICBs of April 2026, built from the LSOA 2021 blocks.
pub const ICB2026: BuiltInId = BuiltInId::listed("icb2026");

/// The built-in layer a name (`stp2016`, `icb2026`, …) names, if any.
pub fn built_in_id(name: &str) -> Option<BuiltInId> {
    if name == BuiltInId::STP2016.as_str() {
        return Some(BuiltInId::STP2016);
    }
    BuiltIn::by_id(name).map(|b| b.id)
}

/// Every built-in layer besides the 2016 footprints, in the order offered.
pub const BUILT_IN: &[BuiltIn] = &[
    BuiltIn {
        id: ICB2026,
        title: "ICBs, April 2026 (36, built from LSOAs)",
        label: "ICB 2026",
        source: Source::Blocks(BlockLookup::Icb2026),
    },
    BuiltIn {
        id: BuiltInId::listed("subicb2026"),
        title: "Sub-ICB locations, April 2026 (106, built from LSOAs)",
        label: "Sub-ICB 2026",
        source: Source::Blocks(BlockLookup::SubIcb2026),
    },
    BuiltIn {
        id: BuiltInId::listed("icb2023"),
        title: "ICBs, April 2023 (42, ONS)",
        label: "ICB 2023",
        source: Source::File(&embedded::ICB2023),
    },
    BuiltIn {
        id: BuiltInId::listed("subicb2023"),
        title: "Sub-ICB locations, April 2023 (106, ONS)",
        label: "Sub-ICB 2023",
        source: Source::File(&embedded::SUBICB2023),
    },
    BuiltIn {
        id: BuiltInId::listed("lad2024"),
        title: "Councils (local authority districts), May 2024",
        label: "Council 2024",
        source: Source::File(&embedded::LAD2024),
    },
    BuiltIn {
        id: BuiltInId::listed("nhsregions2024"),
        title: "NHS England regions, 2024",
        label: "NHS region 2024",
        source: Source::File(&embedded::NHS_REGIONS_2024),
    },
    BuiltIn {
        id: BuiltInId::listed("stp2021"),
        title: "STP partnerships, April 2021",
        label: "STP 2021",
        source: Source::File(&embedded::STP2021),
    },
    BuiltIn {
        id: BuiltInId::listed("icb2022"),
        title: "Integrated Care Boards, July 2022",
        label: "ICB 2022",
        source: Source::File(&embedded::ICB2022),
    },
    BuiltIn {
        id: BuiltInId::listed("ccg2021"),
        title: "CCGs, April 2021",
        label: "CCG 2021",
        source: Source::File(&embedded::CCG2021),
    },
    BuiltIn {
        id: BuiltInId::listed("ccg2020"),
        title: "CCGs, April 2020",
        label: "CCG 2020",
        source: Source::File(&embedded::CCG2020),
    },
    BuiltIn {
        id: BuiltInId::listed("ccg2019"),
        title: "CCGs, April 2019",
        label: "CCG 2019",
        source: Source::File(&embedded::CCG2019),
    },
    BuiltIn {
        id: BuiltInId::listed("lad2019"),
        title: "Local authority districts, 2019",
        label: "Council",
        source: Source::File(&embedded::LAD2019),
    },
    BuiltIn {
        id: BuiltInId::listed("nhsregions2020"),
        title: "NHS England regions, 2020",
        label: "NHS region",
        source: Source::File(&embedded::NHS_REGIONS),
    },
    BuiltIn {
        id: BuiltInId::listed("regions"),
        title: "English regions",
        label: "Region",
        source: Source::File(&embedded::ENGLISH_REGIONS),
    },
];

impl BuiltIn {
    pub fn by_id(id: &str) -> Option<&'static BuiltIn> {
        BUILT_IN.iter().find(|b| b.id.as_str() == id)
    }

    /// Whether the layer is the ICBs of April 2026 (built from blocks by their lookup), whose
    /// leaders the ICB 2026 list gives.
    pub fn names_icbs_2026(&self) -> bool {
        match self.source {
            Source::Blocks(BlockLookup::Icb2026) => true,
            Source::Blocks(BlockLookup::SubIcb2026) | Source::File(_) => false,
        }
    }

    /// Whether this build carries the layer's data.
    pub fn available(&self) -> bool {
        match self.source {
            Source::File(file) => file.is_some(),
            Source::Blocks(_) => {
                embedded::LSOA21_BLOCKS.is_some() && embedded::LSOA21_ICB26.is_some()
            }
        }
    }

    /// Parses the layer (its mid-2019 populations added from LSOA 2011 where it has none), or
    /// builds it from the LSOA 2021 blocks.
    pub fn load(&self) -> Result<Layer, LoadError> {
        let source = LayerSource::BuiltIn(self.id);
        let missing = || LoadError::Empty {
            path: format!("<built-in {}>", self.id.as_str()).into(),
        };
        match self.source {
            Source::File(file) => {
                let bytes = file.get().ok_or_else(missing)?;
                let mut layer =
                    load::load_bytes(bytes, source, self.title.to_string(), &Progress::default())?;
                add_populations(&mut layer);
                Ok(layer)
            }
            Source::Blocks(lookup) => {
                let blocks = crate::blocks::Blocks::embedded().ok_or_else(missing)?;
                let lsoas = crate::blocks::embedded_lsoa_layer(&Progress::default())
                    .ok_or_else(missing)??;
                let grouping = match lookup {
                    BlockLookup::Icb2026 => &blocks.icb_2026,
                    BlockLookup::SubIcb2026 => &blocks.sub_icb_2026,
                };
                let assignment = crate::assign::Assignment::from_grouping(blocks, grouping);
                let (built, _) = crate::assign::build(&lsoas, &assignment, Some(blocks));
                let mut layer = crate::assign::output::to_layer(&built, self.title, source);
                layer.problems.push(
                    "built from LSOA 2021 blocks by the April 2026 lookup, which is derived (ONS's April 2024 lookup carried through the 2024 to 2026 changes)".into(),
                );
                Ok(layer)
            }
        }
    }
}

/// Every LSOA (2011) with its mid-2019 population and the code of each area it lies in, one
/// column per lookup column (STP 2017 and 2021, CCG 2021, ICB and sub-ICB 2022, councils).
pub struct LsoaAreas {
    pub columns: Vec<&'static str>,
    /// Per LSOA: its people, and its area code in each column ("" where unknown).
    pub rows: Vec<(u64, Vec<String>)>,
}

impl LsoaAreas {
    /// The embedded lookups joined on the LSOA code, read once per run.
    pub fn embedded() -> &'static Self {
        static AREAS: std::sync::OnceLock<LsoaAreas> = std::sync::OnceLock::new();
        AREAS.get_or_init(Self::read_embedded)
    }

    fn read_embedded() -> Self {
        let text = |bytes: Option<std::borrow::Cow<'static, [u8]>>| {
            String::from_utf8_lossy(bytes.as_deref().unwrap_or(&[])).into_owned()
        };
        let tables: [(String, &[&'static str], Option<&str>); 3] = [
            (
                text(embedded::LSOA_POPULATION.read()),
                &["STP17CD_by_representative_point"],
                Some("population_mid2019_ons"),
            ),
            (
                text(embedded::LSOA_ICB22.read()),
                &["icb22_code", "sicbl22_code", "ltla22_code"],
                None,
            ),
            (
                text(embedded::LSOA_STP21.read()),
                &["stp21_code", "ccg21_code", "ltla21_code"],
                None,
            ),
        ];
        let mut columns: Vec<&'static str> = Vec::new();
        let mut by_lsoa: HashMap<String, (u64, Vec<String>)> = HashMap::new();
        for (csv_text, wanted, pop) in &tables {
            let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
            let Ok(headers) = reader.headers().cloned() else {
                continue;
            };
            let index = |name: &str| headers.iter().position(|h| h == name);
            let Some(lsoa) = index("lsoa11_code") else {
                continue;
            };
            let found: Vec<(usize, usize)> = wanted
                .iter()
                .filter_map(|&c| {
                    let i = index(c)?;
                    columns.push(c);
                    Some((columns.len() - 1, i))
                })
                .collect();
            let pop = pop.and_then(index);
            for record in reader.records().flatten() {
                let Some(code) = record.get(lsoa) else {
                    continue;
                };
                let entry = by_lsoa.entry(code.to_string()).or_default();
                if let Some(p) = pop.and_then(|p| record.get(p)).and_then(|v| v.parse().ok()) {
                    entry.0 = p;
                }
                for &(column, i) in &found {
                    if entry.1.len() <= column {
                        entry.1.resize(column + 1, String::new());
                    }
                    entry.1[column] = record.get(i).unwrap_or("").to_string();
                }
            }
        }
        let width = columns.len();
        let rows = by_lsoa
            .into_values()
            .map(|(p, mut codes)| {
                codes.resize(width, String::new());
                (p, codes)
            })
            .collect();
        Self { columns, rows }
    }

    /// The column whose codes cover nine in ten of `codes` or more (the most, if several).
    pub fn column_for<'a>(&self, codes: impl Iterator<Item = &'a str> + Clone) -> Option<usize> {
        let total = codes.clone().count();
        (0..self.columns.len())
            .map(|c| {
                let known: std::collections::HashSet<&str> = self
                    .rows
                    .iter()
                    .map(|(_, codes)| codes[c].as_str())
                    .collect();
                (c, codes.clone().filter(|code| known.contains(code)).count())
            })
            .filter(|&(_, n)| total > 0 && n * 10 >= total * 9)
            .max_by_key(|&(c, n)| (n, std::cmp::Reverse(c)))
            .map(|(c, _)| c)
    }

    /// People per area code of one column.
    pub fn totals(&self, column: usize) -> HashMap<&str, u64> {
        let mut totals: HashMap<&str, u64> = HashMap::new();
        for (people, codes) in &self.rows {
            if !codes[column].is_empty() {
                *totals.entry(codes[column].as_str()).or_default() += people;
            }
        }
        totals
    }

    /// People moving from each area of one column to each of another: (from, to) → people.
    pub fn flows(&self, from: usize, to: usize) -> HashMap<(String, String), u64> {
        let mut flows: HashMap<(String, String), u64> = HashMap::new();
        for (people, codes) in &self.rows {
            let (a, b) = (&codes[from], &codes[to]);
            if !a.is_empty() && !b.is_empty() {
                *flows.entry((a.clone(), b.clone())).or_default() += people;
            }
        }
        flows
    }
}

/// People moving between two layers' areas, when the LSOA lookups know both layers' codes.
pub fn population_flows(old: &Layer, new: &Layer) -> Option<(crate::compare::Flows, String)> {
    // Today's lookups first (LSOA 2021, mid-2022), then the older ones (LSOA 2011, mid-2019).
    if let Some(blocks) = crate::blocks::Blocks::embedded()
        && let Some(flows) = crate::blocks::layer_statistics::flows(old, new, blocks)
    {
        return Some(flows);
    }
    let lsoas = LsoaAreas::embedded();
    let from = lsoas.column_for(old.footprints.iter().map(|f| f.code.as_str()))?;
    let to = lsoas.column_for(new.footprints.iter().map(|f| f.code.as_str()))?;
    Some((
        lsoas.flows(from, to),
        format!(
            "people mid-2019 (ONS), by LSOA 2011: {} to {}",
            lsoas.columns[from], lsoas.columns[to]
        ),
    ))
}

/// The property a layer's LSOA-totalled population is kept under.
pub const LSOA_POPULATION_KEY: &str = "population_mid2019_lsoa_total";

/// Adds a population to every area of a layer that has none of its own, from the lookup column
/// that knows its codes (nine in ten at least, so that a vintage that merely shares some codes
/// is not given wrong figures).
pub fn add_populations(layer: &mut Layer) {
    if layer
        .footprints
        .iter()
        .all(|f| f.own_population().is_some())
    {
        return;
    }
    let lsoas = LsoaAreas::embedded();
    let Some(column) = lsoas.column_for(layer.footprints.iter().map(|f| f.code.as_str())) else {
        return;
    };
    let totals = lsoas.totals(column);
    for footprint in &mut layer.footprints {
        if footprint.own_population().is_none()
            && let Some(&p) = totals.get(footprint.code.as_str())
        {
            footprint
                .properties
                .insert(LSOA_POPULATION_KEY.to_string(), p.into());
        }
    }
    if !layer.property_keys.iter().any(|k| k == LSOA_POPULATION_KEY) {
        layer.property_keys.push(LSOA_POPULATION_KEY.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_layer_loads_with_codes_and_names() {
        for built_in in BUILT_IN.iter().filter(|b| b.available()) {
            let layer = built_in.load().unwrap();
            assert!(layer.footprints.len() >= 7, "{}", built_in.id.as_str());
            assert!(layer.fields.code.is_some(), "{}", built_in.id.as_str());
            assert!(layer.fields.name.is_some(), "{}", built_in.id.as_str());
        }
    }

    #[test]
    fn icb_populations_are_totalled_from_lsoas() {
        let Some(icb) = BuiltIn::by_id("icb2022").filter(|b| b.available()) else {
            return;
        };
        let layer = icb.load().unwrap();
        let total: f64 = layer
            .footprints
            .iter()
            .filter_map(|f| f.own_population().map(|(p, _)| p))
            .sum();
        // England, mid-2019 (the data's own total).
        assert_eq!(total, 56_286_961.0);
        let birmingham = layer
            .footprints
            .iter()
            .find(|f| f.code == "E54000055")
            .unwrap();
        assert_eq!(
            birmingham.own_population().map(|(_, key)| key),
            Some(LSOA_POPULATION_KEY)
        );
    }
}
