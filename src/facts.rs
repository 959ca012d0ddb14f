//! What a board pack says about each footprint of a layer, as text: lead and status, people
//! (mid-2022, derived from LSOA 2021; mid-2019 for the 2016 footprints), area, ages and
//! deprivation, member tables and the caveats the data carries — gathered from the details
//! catalog (2016 footprints), the ICB leaders of April 2026 and the layer's LSOA statistics.
//! Unknowns stay unknown, with the data's note.

use crate::blocks::layer_statistics::LayerStatistics;
use crate::details::DetailsCatalog;
use crate::geo_util::thousands;
use crate::model::Layer;

/// A small table: a title, column heads and rows of text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// One footprint's facts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FootprintFacts {
    /// Index in the layer.
    pub index: usize,
    pub code: String,
    pub name: String,
    /// Its number (1–44 for 2016) or short label.
    pub short: String,
    /// The NHS region (April 2026) holding most of its people, where known.
    pub region: Option<String>,
    /// "Lead: …" lines, with dates and status; "not known" with the data's note.
    pub lead: Vec<String>,
    /// The lead's name alone, for the contents table ("not known" when it is not).
    pub lead_short: String,
    /// People mid-2022 (derived from LSOA 2021), when known.
    pub population_mid2022: Option<u64>,
    /// (label, value) lines of the card.
    pub card: Vec<(String, String)>,
    pub tables: Vec<Table>,
    pub caveats: Vec<String>,
}

/// Facts for every footprint of `layer`. `statistics` are its LSOA statistics (if worked out:
/// people, members, regions), `areas_km2` its area and `short_labels` its number.
pub fn facts_of(
    layer: &Layer,
    catalog: &DetailsCatalog,
    statistics: Option<&LayerStatistics>,
    areas_km2: &[f64],
    short_labels: &[String],
) -> Vec<FootprintFacts> {
    layer
        .footprints
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let details = catalog.get(&f.code);
            let mut facts = FootprintFacts {
                index: i,
                code: f.code.clone(),
                name: f.name.clone(),
                short: short_labels.get(i).cloned().unwrap_or_default(),
                region: details
                    .and_then(|d| d.region.clone())
                    .or_else(|| statistics?.regions.get(i).cloned().flatten()),
                ..Default::default()
            };
            lead_of(&mut facts, details, statistics);
            people_of(&mut facts, f, details, statistics, i);
            let area = areas_km2.get(i).copied().unwrap_or(0.0);
            facts.card.insert(
                0,
                (
                    "Area".into(),
                    format!("{} km²", thousands(area.round() as u64)),
                ),
            );
            facts.card.insert(0, ("Code".into(), f.code.clone()));
            tables_of(&mut facts, details, statistics, i);
            facts
        })
        .collect()
}

/// The lead: a 2016 footprint's named leader, an ICB's chief executive and chair (April 2026
/// list), else not known.
fn lead_of(
    facts: &mut FootprintFacts,
    details: Option<&crate::details::FootprintDetails>,
    statistics: Option<&LayerStatistics>,
) {
    if let Some(leader) = details.map(|d| &d.leader) {
        let name = leader.name.clone().unwrap_or_else(|| "not known".into());
        let mut line = format!("Lead: {name}");
        if let Some(role) = &leader.role_org {
            line.push_str(&format!(", {role}"));
        }
        facts.lead.push(line);
        let mut status = Vec::new();
        if let Some(s) = &leader.status {
            status.push(s.clone());
        }
        if let Some(d) = &leader.as_of {
            status.push(format!("as of {d}"));
        }
        if !status.is_empty() {
            facts.lead.push(format!("Status: {}", status.join(", ")));
        }
        if let Some(note) = &leader.note {
            facts.caveats.push(format!("Lead: {note}"));
        }
        facts.lead_short = name;
        return;
    }
    let icb = statistics.is_some_and(|s| s.icb_codes);
    match crate::blocks::members::icb2026_leaders()
        .get(&facts.code)
        .filter(|_| icb)
    {
        Some(leaders) => {
            let dated = |name: &Option<String>, as_of: &Option<String>| match (name, as_of) {
                (Some(n), Some(d)) => format!("{n} (as of {d})"),
                (Some(n), None) => n.clone(),
                (None, _) => "not known".into(),
            };
            facts.lead.push(format!(
                "Chief executive: {}",
                dated(&leaders.chief_executive, &leaders.chief_executive_as_of)
            ));
            facts.lead.push(format!(
                "Chair: {}",
                dated(&leaders.chair, &leaders.chair_as_of)
            ));
            facts.lead.push(format!("Status: {}", leaders.status));
            if let Some(note) = &leaders.note {
                facts.caveats.push(format!("Leaders: {note}"));
            }
            facts.lead_short = leaders
                .chief_executive
                .clone()
                .unwrap_or_else(|| "not known".into());
        }
        None => {
            facts
                .lead
                .push("Lead: not known (the data names no lead for this layer)".into());
            facts.lead_short = "not known".into();
        }
    }
}

/// People: mid-2022 derived from LSOA 2021 (with how), mid-2019 for 2016 footprints, 65+,
/// deprivation, and a scenario's change from its start.
fn people_of(
    facts: &mut FootprintFacts,
    footprint: &crate::model::Footprint,
    details: Option<&crate::details::FootprintDetails>,
    statistics: Option<&LayerStatistics>,
    i: usize,
) {
    let totals = statistics.and_then(|s| s.totals.get(i).cloned().flatten());
    match &totals {
        Some(t) => {
            let people = t.population_mid2022();
            facts.population_mid2022 = Some(people);
            facts.card.push((
                "People mid-2022".into(),
                format!("{} (derived, ONS)", thousands(people)),
            ));
            let percent = crate::geo_util::percent;
            facts
                .card
                .push(("Aged 65+ (Census 2021)".into(), percent(t.share_65_plus())));
            facts.card.push((
                "In England's most deprived tenth (IMD 2025)".into(),
                percent(t.most_deprived_share()),
            ));
        }
        None => facts
            .card
            .push(("People mid-2022".into(), "not known".into())),
    }
    if let Some(p) = details.and_then(|d| d.population.mid2019) {
        facts
            .card
            .push(("People mid-2019".into(), format!("{} (ONS)", thousands(p))));
    }
    if let Some(note) = details.and_then(|d| d.population.note.clone()) {
        facts.caveats.push(format!("Population: {note}"));
    }
    if let Some(change) = footprint
        .properties
        .get(crate::builder::CHANGE_PROPERTY)
        .and_then(serde_json::Value::as_i64)
    {
        facts.card.push((
            "Change from the starting layer".into(),
            format!("{} people", crate::geo_util::signed_thousands(change)),
        ));
    }
    if let Some(s) = statistics {
        facts.caveats.push(s.source());
    }
}

/// Member tables: the 2016 details' CCGs, trusts and councils (with the share of each
/// council's area); else (and for every layer) the sub-ICB locations and councils held by
/// people, and trusts by headquarters, from LSOA 2021.
fn tables_of(
    facts: &mut FootprintFacts,
    details: Option<&crate::details::FootprintDetails>,
    statistics: Option<&LayerStatistics>,
    i: usize,
) {
    let share = |s: f64| {
        if s >= 0.995 {
            "whole".to_string()
        } else {
            format!("{:.0}%", s * 100.0)
        }
    };
    if let Some(members) = details.map(|d| &d.members) {
        if !members.ccgs.is_empty() {
            facts.tables.push(Table {
                title: "CCGs (2016)".into(),
                header: vec!["Code".into(), "Name".into()],
                rows: members
                    .ccgs
                    .iter()
                    .map(|c| vec![c.code.clone(), c.name.clone()])
                    .collect(),
            });
        }
        if !members.local_authorities.is_empty() {
            facts.tables.push(Table {
                title: "Councils (2016, share of area)".into(),
                header: vec!["Code".into(), "Name".into(), "Share".into()],
                rows: members
                    .local_authorities
                    .iter()
                    .map(|c| {
                        vec![
                            c.code.clone(),
                            c.name.clone(),
                            c.share_of_la_area.map_or("whole".into(), share),
                        ]
                    })
                    .collect(),
            });
        }
    }
    let Some(members) = statistics.and_then(|s| s.members.get(i)) else {
        return;
    };
    let held = |list: &[crate::blocks::members::Held]| {
        list.iter()
            .map(|h| vec![h.code.clone(), h.name.clone(), share(h.share)])
            .collect()
    };
    if !members.sub_icbs.is_empty() {
        facts.tables.push(Table {
            title: "Sub-ICB locations (April 2026, share of people)".into(),
            header: vec!["Code".into(), "Name".into(), "Share".into()],
            rows: held(&members.sub_icbs),
        });
    }
    if !members.councils.is_empty() {
        facts.tables.push(Table {
            title: "Councils (2024, share of people)".into(),
            header: vec!["Code".into(), "Name".into(), "Share".into()],
            rows: held(&members.councils),
        });
    }
    if !members.trusts.is_empty() {
        facts.tables.push(Table {
            title: "NHS trusts (headquarters inside, 2022 list)".into(),
            header: vec!["Code".into(), "Name".into()],
            rows: members
                .trusts
                .iter()
                .map(|(c, n)| vec![c.clone(), n.clone()])
                .collect(),
        });
    }
}
