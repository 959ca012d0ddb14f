//! What a board pack says about each footprint of a layer, as text: lead and status, people
//! (mid-2022, derived from LSOA 2021; mid-2019 for the 2016 footprints), area, ages and
//! deprivation, member tables and the caveats the data carries — every fact asked of the
//! layer's [`LayerFacts`]. Unknowns stay unknown, with the data's note.

use super::{LayerFacts, Lead, OlderPeople};
use crate::geo_util::thousands;
use crate::model::Footprint;

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

/// Facts for every footprint of a layer, as [`LayerFacts`] gives them; `short_labels` are its
/// numbers.
pub fn facts_of(facts: &LayerFacts, short_labels: &[String]) -> Vec<FootprintFacts> {
    facts
        .layer()
        .footprints
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let lead = facts.lead(i);
            let mut out = FootprintFacts {
                index: i,
                code: f.code.clone(),
                name: f.name.clone(),
                short: short_labels.get(i).cloned().unwrap_or_default(),
                region: facts.region(i).map(|(r, _)| r.to_string()),
                lead: lead.lines(),
                lead_short: lead.name().unwrap_or("not known").to_string(),
                ..Default::default()
            };
            if let Some(note) = lead.note() {
                let what = match lead {
                    Lead::Icb2026(_) => "Leaders",
                    Lead::Stp2016(_) | Lead::NotKnown(_) => "Lead",
                };
                out.caveats.push(format!("{what}: {note}"));
            }
            people_of(&mut out, f, facts, i);
            let area = facts.area_km2(i).map_or("not known".into(), |a| {
                format!("{} km²", thousands(a.round() as u64))
            });
            out.card.insert(0, ("Area".into(), area));
            out.card.insert(0, ("Code".into(), f.code.clone()));
            tables_of(&mut out, facts, i);
            out
        })
        .collect()
}

/// People: mid-2022 derived from LSOA 2021 (with how), mid-2019 for 2016 footprints, 65+,
/// deprivation, and a scenario's change from its start.
fn people_of(out: &mut FootprintFacts, footprint: &Footprint, facts: &LayerFacts, i: usize) {
    let people = facts.people(i);
    match people.derived {
        Some((t, _)) => {
            let count = t.population_mid2022();
            out.population_mid2022 = Some(count);
            out.card.push((
                "People mid-2022".into(),
                format!("{} (derived, ONS)", thousands(count)),
            ));
            let percent = crate::geo_util::percent;
            out.card
                .push(("Aged 65+ (Census 2021)".into(), percent(t.share_65_plus())));
            out.card.push((
                "In England's most deprived tenth (IMD 2025)".into(),
                percent(t.most_deprived_share()),
            ));
        }
        None => out
            .card
            .push(("People mid-2022".into(), "not known".into())),
    }
    match people.older {
        Some(OlderPeople::Stp2016Mid2019(p)) => out
            .card
            .push(("People mid-2019".into(), format!("{} (ONS)", thousands(p)))),
        Some(older @ OlderPeople::Property(..)) => out
            .card
            .push(("Population (the layer's own)".into(), older.text())),
        None => {}
    }
    if let Some(note) = facts
        .details_2016(i)
        .and_then(|d| d.population.note.clone())
    {
        out.caveats.push(format!("Population: {note}"));
    }
    if let Some(change) = footprint
        .properties
        .get(crate::model::CHANGE_PROPERTY)
        .and_then(serde_json::Value::as_i64)
    {
        out.card.push((
            "Change from the starting layer".into(),
            format!("{} people", crate::geo_util::signed_thousands(change)),
        ));
    }
    if let Some(s) = facts.statistics() {
        out.caveats.push(s.source());
    }
}

/// Member tables: the 2016 details' CCGs, trusts and councils (with the share of each
/// council's area); else (and for every layer) the sub-ICB locations and councils held by
/// people, and trusts by headquarters, from LSOA 2021.
fn tables_of(out: &mut FootprintFacts, facts: &LayerFacts, i: usize) {
    let share = |s: f64| {
        if s >= 0.995 {
            "whole".to_string()
        } else {
            format!("{:.0}%", s * 100.0)
        }
    };
    let mut table = |title: &str, header: &[&str], rows: Vec<Vec<String>>| {
        if !rows.is_empty() {
            out.tables.push(Table {
                title: title.into(),
                header: header.iter().map(|h| h.to_string()).collect(),
                rows,
            });
        }
    };
    if let Some(members) = facts.details_2016(i).map(|d| &d.members) {
        let ccgs = members.ccgs.iter();
        table(
            "CCGs (2016)",
            &["Code", "Name"],
            ccgs.map(|c| vec![c.code.clone(), c.name.clone()]).collect(),
        );
        let councils = members.local_authorities.iter().map(|c| {
            let here = c.share_of_la_area.map_or("whole".into(), share);
            vec![c.code.clone(), c.name.clone(), here]
        });
        table(
            "Councils (2016, share of area)",
            &["Code", "Name", "Share"],
            councils.collect(),
        );
    }
    let Some(members) = facts.derived_members(i) else {
        return;
    };
    let held = |list: &[crate::blocks::members::Held]| {
        list.iter()
            .map(|h| vec![h.code.clone(), h.name.clone(), share(h.share)])
            .collect()
    };
    table(
        "Sub-ICB locations (April 2026, share of people)",
        &["Code", "Name", "Share"],
        held(&members.sub_icbs),
    );
    table(
        "Councils (2024, share of people)",
        &["Code", "Name", "Share"],
        held(&members.councils),
    );
    let trusts = members.trusts.iter();
    table(
        "NHS trusts (headquarters inside, 2022 list)",
        &["Code", "Name"],
        trusts.map(|(c, n)| vec![c.clone(), n.clone()]).collect(),
    );
}
