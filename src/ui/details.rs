//! The details panel: everything known about the selected footprint, a plain function of it.

use egui::{Color32, RichText, Ui};

use crate::details::{DetailsCatalog, FootprintDetails, split_links};
use crate::geo_util::thousands;
use crate::model::Footprint;
use crate::render::colour::Rgb;
use crate::ui::Action;

/// What the panel shows.
pub struct DetailsView<'a> {
    pub footprint: &'a Footprint,
    pub details: Option<&'a FootprintDetails>,
    pub catalog: &'a DetailsCatalog,
    /// Neighbouring footprints: (index in the layer, name).
    pub neighbours: Vec<(usize, &'a str)>,
    pub fill: Rgb,
    /// Whether the footprint comes from the built-in 2016 layer (else from an opened file
    /// whose code matched one of the 2016 footprints).
    pub from_default_layer: bool,
    /// Code → name of footprints in the same layer (for naming where split councils lie).
    pub name_of_code: &'a dyn Fn(&str) -> Option<String>,
    /// Where the clicked point lies in every other open layer: (layer, area or `None`).
    pub elsewhere: Vec<(String, Option<String>)>,
    /// The user's own details for this area: (file name, fields).
    pub own: Vec<(String, &'a [(String, String)])>,
    /// Its people from LSOA 2021, and where the figures come from.
    pub people: Option<(&'a crate::blocks::statistics::Totals, String)>,
    /// Its members worked out from LSOA 2021.
    pub members: Option<&'a crate::blocks::members::Members>,
    /// The leaders of the ICB of April 2026 with its code, when the layer is of ICBs.
    pub leaders: Option<&'a crate::blocks::members::Leaders>,
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
    let footprint = view.footprint;
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
        let Rgb(r, g, b) = view.fill;
        ui.painter()
            .rect_filled(rect, 3.0, Color32::from_rgb(r, g, b));
        ui.heading(&footprint.name);
    });
    for (file, fields) in &view.own {
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
    if !view.own.is_empty() {
        ui.separator();
    }
    if view.details.is_none() || !view.from_default_layer {
        if let Some(leaders) = view.leaders {
            crate::ui::people::leaders_ui(ui, leaders);
            ui.separator();
        } else if view.details.is_none() {
            ui.strong("Lead");
            unknown(
                ui,
                "Lead not known (no lead is recorded for this kind of area)",
            );
            ui.separator();
        }
    }
    if let Some((totals, source)) = &view.people {
        crate::ui::people::people_ui(ui, totals, source);
        ui.separator();
    }
    if view.details.is_none()
        && let Some(members) = view.members
    {
        crate::ui::people::members_ui(ui, members);
        ui.separator();
    }
    match view.details {
        Some(details) => {
            if !view.from_default_layer {
                small(
                    ui,
                    &format!(
                        "Details below are those of the 2016 footprint with the same code, {}.",
                        details.code
                    ),
                );
            }
            action = action.or(footprint_details_ui(ui, details, view));
        }
        None => properties_ui(ui, footprint),
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

fn footprint_details_ui(ui: &mut Ui, d: &FootprintDetails, view: &DetailsView) -> Option<Action> {
    identity_ui(ui, d);
    ui.separator();
    lead_ui(ui, &d.leader);
    ui.separator();
    population_ui(ui, &d.population);
    ui.separator();
    members_ui(ui, d, view);
    ui.small_button("Copy summary")
        .on_hover_text("Copy name, code, lead and population as text")
        .clicked()
        .then(|| Action::CopyText(summary_text(d)))
}

/// Code, number, region and area.
fn identity_ui(ui: &mut Ui, d: &FootprintDetails) {
    if let Some(later) = &d.name_ons {
        small(ui, &format!("Later ONS name: {later}"));
    }
    ui.add_space(4.0);
    egui::Grid::new("identity")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            row(ui, "ONS code", Some(d.code.clone()));
            row(ui, "Footprint number", d.number.map(|n| n.to_string()));
            row(ui, "NHS region (2016)", d.region.clone());
            row(
                ui,
                "Area",
                d.area_km2
                    .map(|a| format!("{} km²", crate::geo_util::one_decimal(a))),
            );
        });
}

/// Who leads the footprint, as of when, and the source.
fn lead_ui(ui: &mut Ui, leader: &crate::details::Leader) {
    ui.strong("Lead");
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
                let elsewhere = view.catalog.split_elsewhere(&la.code, &d.code);
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

/// A plain-text summary of a footprint for the clipboard.
pub fn summary_text(d: &FootprintDetails) -> String {
    let lead = match &d.leader.name {
        Some(name) => format!(
            "{name}{}",
            d.leader
                .role_org
                .as_ref()
                .map(|r| format!(", {r}"))
                .unwrap_or_default()
        ),
        None => format!(
            "not known ({})",
            d.leader.status.as_deref().unwrap_or("no status")
        ),
    };
    let population = d
        .population
        .mid2019
        .map(|p| format!("{} (ONS mid-2019)", thousands(p)))
        .unwrap_or_else(|| UNKNOWN.to_string());
    format!(
        "{} ({})\nLead: {lead}\nPopulation: {population}\nMembers: {}",
        d.name_2016,
        d.code,
        member_counts(&d.members)
    )
}

fn properties_ui(ui: &mut Ui, footprint: &Footprint) {
    small(ui, &format!("Code: {}", footprint.code));
    ui.separator();
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
