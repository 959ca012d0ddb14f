//! The details panel: everything known about the selected footprint, a plain function of it.

use egui::{Color32, RichText, Ui};

use crate::colour::Rgb;
use crate::details::{FootprintDetails, split_links};
use crate::facts::{LayerFacts, Lead};
use crate::geo_util::thousands;
use crate::model::Footprint;
use crate::ui::Action;

/// What the panel shows.
pub struct DetailsView<'a> {
    /// The layer's facts, and the footprint's index in it.
    pub facts: LayerFacts<'a>,
    pub index: usize,
    /// Neighbouring footprints: (index in the layer, name).
    pub neighbours: Vec<(usize, &'a str)>,
    pub fill: Rgb,
    /// Code → name of footprints in the same layer (for naming where split councils lie).
    pub name_of_code: &'a dyn Fn(&str) -> Option<String>,
    /// Where the clicked point lies in every other open layer: (layer, area or `None`).
    pub elsewhere: Vec<(String, Option<String>)>,
    /// The user's own details for this area: (file name, fields).
    pub own: Vec<(String, &'a [(String, String)])>,
}

const UNKNOWN: &str = "not known";

fn unknown(ui: &mut Ui, text: &str) {
    ui.label(
        RichText::new(text)
            .italics()
            .color(ui.visuals().weak_text_color()),
    );
}

fn small(ui: &mut Ui, text: &str) {
    ui.label(
        RichText::new(text)
            .small()
            .color(ui.visuals().weak_text_color()),
    );
}

fn row(ui: &mut Ui, key: &str, value: Option<String>) {
    ui.label(RichText::new(key).color(ui.visuals().weak_text_color()));
    match value {
        Some(v) => ui.label(v),
        None => ui.label(RichText::new(UNKNOWN).italics()),
    };
    ui.end_row();
}

/// Draws the panel; returns the user's request (e.g. select a neighbour).
pub fn details_ui(ui: &mut Ui, view: &DetailsView) -> Option<Action> {
    let mut action = None;
    let (facts, index) = (&view.facts, view.index);
    let footprint = facts.layer().footprints.get(index)?;
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
        let Rgb(r, g, b) = view.fill;
        ui.painter()
            .rect_filled(rect, 3.0, Color32::from_rgb(r, g, b));
        ui.heading(&footprint.name);
    });
    own_details_ui(ui, &view.own);
    let details = facts.details_2016(index);
    if let Some(d) = details
        && facts.layer().source
            != crate::model::LayerSource::BuiltIn(crate::model::BuiltInId::STP2016)
    {
        small(
            ui,
            &format!(
                "This file holds the 44 footprints of 2016: the details are those of {}.",
                d.code
            ),
        );
    }
    identity_ui(ui, facts, index);
    ui.separator();
    lead_ui(ui, facts.lead(index));
    ui.separator();
    if let Some((totals, statistics)) = facts.people(index).derived {
        crate::ui::people::people_ui(ui, totals, &statistics.source());
        ui.separator();
    }
    match details {
        Some(d) => {
            population_ui(ui, &d.population);
            ui.separator();
            members_ui(ui, d, view);
        }
        None => {
            if let Some(members) = facts.derived_members(index) {
                crate::ui::people::members_ui(ui, members);
                ui.separator();
            }
            properties_ui(ui, footprint);
        }
    }
    if ui
        .small_button("Copy summary")
        .on_hover_text("Copy name, code, lead and population as text")
        .clicked()
    {
        action = Some(Action::CopyText(summary_text(facts, index)));
    }
    if !view.elsewhere.is_empty() {
        ui.separator();
        ui.strong("Here in the other layers");
        egui::Grid::new("elsewhere")
            .num_columns(2)
            .spacing([12.0, 3.0])
            .show(ui, |ui| {
                for (layer, area) in &view.elsewhere {
                    ui.label(RichText::new(layer).color(ui.visuals().weak_text_color()));
                    match area {
                        Some(area) => ui.label(area),
                        None => ui.label(RichText::new("outside its areas").italics()),
                    };
                    ui.end_row();
                }
            });
    }
    if !view.neighbours.is_empty() {
        ui.separator();
        ui.strong(format!(
            "Neighbouring footprints ({})",
            view.neighbours.len()
        ));
        ui.horizontal_wrapped(|ui| {
            for (index, name) in &view.neighbours {
                if ui
                    .link(*name)
                    .on_hover_text("Select and zoom to it")
                    .clicked()
                {
                    action = Some(Action::SelectAndZoom(*index));
                }
            }
        });
    }
    action
}

/// The user's own details for the area, a grid a file.
fn own_details_ui(ui: &mut Ui, own: &[(String, &[(String, String)])]) {
    for (file, fields) in own {
        ui.separator();
        ui.strong(format!("Your details ({file})"));
        egui::Grid::new(("own", file))
            .num_columns(2)
            .spacing([12.0, 3.0])
            .show(ui, |ui| {
                for (key, value) in fields.iter() {
                    ui.label(RichText::new(key).color(ui.visuals().weak_text_color()));
                    ui.add(egui::Label::new(crate::model::shortened(value, 300)).wrap());
                    ui.end_row();
                }
            });
    }
    if !own.is_empty() {
        ui.separator();
    }
}

/// Code, number, region and area.
fn identity_ui(ui: &mut Ui, facts: &LayerFacts, index: usize) {
    let Some(footprint) = facts.layer().footprints.get(index) else {
        return;
    };
    if let Some(later) = facts.details_2016(index).and_then(|d| d.name_ons.as_ref()) {
        small(ui, &format!("Later ONS name: {later}"));
    }
    ui.add_space(4.0);
    egui::Grid::new("identity")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            row(ui, "ONS code", Some(footprint.code.clone()));
            if facts.catalogue() == crate::facts::Catalogue::Stp2016 {
                row(
                    ui,
                    "Footprint number",
                    facts.number_2016(index).map(|n| n.to_string()),
                );
            }
            if let Some((region, from)) = facts.region(index) {
                ui.label(RichText::new("NHS region").color(ui.visuals().weak_text_color()));
                ui.add(egui::Label::new(region).wrap())
                    .on_hover_text(from.title());
                ui.end_row();
                if from != crate::facts::RegionFrom::Stp2016 {
                    ui.label("");
                    ui.add(egui::Label::new(RichText::new(from.title()).small()).wrap());
                    ui.end_row();
                }
            }
            row(
                ui,
                "Area",
                facts
                    .area_km2(index)
                    .map(|a| format!("{} km²", crate::geo_util::one_decimal(a))),
            );
        });
}

/// Who leads the footprint, as of when, and the source: the 2016 lead, an ICB's leaders of
/// April 2026, or not known with why.
fn lead_ui(ui: &mut Ui, lead: Lead) {
    let leader = match lead {
        Lead::Stp2016(leader) => leader,
        Lead::Icb2026(leaders) => return crate::ui::people::leaders_ui(ui, leaders),
        Lead::NotKnown(why) => {
            ui.strong("Lead");
            unknown(ui, &format!("Lead not known ({why})"));
            return;
        }
    };
    ui.strong("Lead (2016)");
    match &leader.name {
        Some(name) => {
            ui.label(RichText::new(name).size(16.0).strong());
            if let Some(role) = &leader.role_org {
                ui.label(role);
            }
        }
        None => unknown(ui, "Lead not known"),
    }
    egui::Grid::new("lead")
        .num_columns(2)
        .spacing([12.0, 2.0])
        .show(ui, |ui| {
            if leader.name.is_some() {
                row(ui, "As of", leader.as_of.clone());
            }
            row(ui, "Status", leader.status.clone());
        });
    if let Some(note) = &leader.note {
        small(ui, note);
    }
    let links = leader.source_links();
    if !links.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Source:").small());
            for (url, label) in links {
                ui.hyperlink_to(RichText::new(label).small(), url);
            }
        });
    } else if let Some(source) = &leader.source {
        small(ui, &format!("Source: {source}"));
    }
}

/// The population, how it was made, and what the NHS stated.
fn population_ui(ui: &mut Ui, population: &crate::details::Population) {
    ui.strong("Population (mid-2019)");
    match population.mid2019 {
        Some(p) => {
            ui.label(RichText::new(thousands(p)).size(16.0).strong());
        }
        None => unknown(ui, "Population not known"),
    }
    if let Some(method) = &population.method {
        small(ui, method);
    }
    if let Some(note) = &population.note {
        ui.collapsing(RichText::new("How this figure was made").small(), |ui| {
            small(ui, note);
        });
    }
    if let Some(stated) = &population.stated {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("The NHS stated: {stated}"));
            if let Some(source) = &population.stated_source {
                for (url, label) in split_links(source) {
                    ui.hyperlink_to(RichText::new(label).small(), url);
                }
            }
        });
    }
    small(
        ui,
        "The 2016 figures were not found; these are ONS mid-2019 estimates.",
    );
}

/// CCGs, trusts and councils, with the councils split between footprints.
fn members_ui(ui: &mut Ui, d: &FootprintDetails, view: &DetailsView) {
    let m = &d.members;
    ui.strong(format!("Members: {}", member_counts(m)));
    egui::CollapsingHeader::new(format!("CCGs, April 2019 ({})", m.ccgs.len()))
        .default_open(true)
        .show(ui, |ui| {
            if m.ccgs.is_empty() {
                unknown(ui, "none listed");
            }
            for ccg in &m.ccgs {
                ui.label(&ccg.name).on_hover_text(&ccg.code);
            }
        });
    egui::CollapsingHeader::new(format!("NHS trusts ({})", m.trusts.len()))
        .default_open(true)
        .show(ui, |ui| {
            if m.trusts.is_empty() {
                unknown(ui, "none listed");
            }
            for trust in &m.trusts {
                let r = ui.label(&trust.name);
                let tip = match &trust.source {
                    Some(source) => format!("{} · {source}", trust.code),
                    None => trust.code.clone(),
                };
                r.on_hover_text(tip);
            }
            small(
                ui,
                "Acute trusts from a 2017/18 list plus 2022 trust headquarters inside the footprint; ambulance and mental health trusts are indicative only.",
            );
        });
    egui::CollapsingHeader::new(format!("Local authorities ({})", m.local_authorities.len()))
        .default_open(true)
        .show(ui, |ui| {
            if m.local_authorities.is_empty() {
                unknown(ui, "none listed");
            }
            for la in &m.local_authorities {
                let elsewhere = view
                    .facts
                    .stp2016_catalogue()
                    .split_elsewhere(&la.code, &d.code);
                if elsewhere.is_empty() {
                    ui.label(&la.name).on_hover_text(&la.code);
                } else {
                    let here = la
                        .share_of_la_area
                        .map(|s| format!("{:.0}% of its area here", s * 100.0))
                        .unwrap_or_else(|| "part here".into());
                    let rest: Vec<String> = elsewhere
                        .iter()
                        .map(|(code, share)| {
                            let name = (view.name_of_code)(code).unwrap_or_else(|| code.clone());
                            format!("{:.0}% in {name}", share * 100.0)
                        })
                        .collect();
                    ui.horizontal_wrapped(|ui| {
                        ui.label(&la.name).on_hover_text(&la.code);
                        ui.label(
                            RichText::new(format!("split: {here}; {}", rest.join(", ")))
                                .small()
                                .color(ui.visuals().warn_fg_color),
                        );
                    });
                }
            }
            small(ui, "Councils from an area overlay of 2019 boundaries.");
        });
}

/// "1 CCG · 5 NHS trusts · 2 local authorities".
pub fn member_counts(m: &crate::details::Members) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} · {} · {}",
        count(m.ccgs.len(), "CCG", "CCGs"),
        count(m.trusts.len(), "NHS trust", "NHS trusts"),
        count(
            m.local_authorities.len(),
            "local authority",
            "local authorities"
        )
    )
}

/// "3 sub-ICB locations · 5 councils · 9 NHS trusts" (worked out from LSOA 2021).
pub fn derived_member_counts(m: &crate::blocks::members::Members) -> String {
    format!(
        "{} sub-ICB locations · {} councils · {} NHS trusts",
        m.sub_icbs.len(),
        m.councils.len(),
        m.trusts.len()
    )
}

/// A plain-text summary of a footprint for the clipboard: name, code, lead, people, members.
pub fn summary_text(facts: &LayerFacts, index: usize) -> String {
    let Some(footprint) = facts.layer().footprints.get(index) else {
        return String::new();
    };
    let people = facts.people(index);
    let population = match (people.mid2022(), people.older) {
        (Some(p), _) => format!("{} (mid-2022, derived from LSOA 2021)", thousands(p)),
        (None, Some(older)) => older.text(),
        (None, None) => UNKNOWN.to_string(),
    };
    let members = match (facts.details_2016(index), facts.derived_members(index)) {
        (Some(d), _) => member_counts(&d.members),
        (None, Some(m)) => derived_member_counts(m),
        (None, None) => UNKNOWN.to_string(),
    };
    format!(
        "{} ({})\nLead: {}\nPopulation: {population}\nMembers: {members}",
        footprint.name,
        footprint.code,
        facts.lead(index).summary(),
    )
}

fn properties_ui(ui: &mut Ui, footprint: &Footprint) {
    ui.strong("The file's properties");
    if footprint.properties.is_empty() {
        unknown(ui, "This feature has no properties.");
        return;
    }
    egui::Grid::new("properties")
        .num_columns(2)
        .striped(true)
        .spacing([12.0, 3.0])
        .show(ui, |ui| {
            for (key, value) in &footprint.properties {
                ui.label(RichText::new(key).color(ui.visuals().weak_text_color()));
                let text = crate::load::fields::display_value(value, 300);
                ui.add(egui::Label::new(text).wrap());
                ui.end_row();
            }
        });
}
