//! A footprint's people from LSOA 2021 in the details panel: mid-2022 population with its
//! mid-2011…mid-2022 sparkline, Census 2021 ages, IMD 2025 deprivation, and where it comes from.

use egui::{Color32, RichText, Stroke, Ui};

use crate::blocks::statistics::Totals;
use crate::blocks::{FIRST_YEAR, YEARS};
use crate::geo_util::thousands;

/// Accessible label of the sparkline.
pub const SPARKLINE_LABEL: &str = "Population mid-2011 to mid-2022";

pub use crate::geo_util::percent;

/// The people section; `source` says how the figures were made.
pub fn people_ui(ui: &mut Ui, totals: &Totals, source: &str) {
    ui.strong("People (LSOA 2021, derived)");
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(thousands(totals.population_mid2022()))
                .size(16.0)
                .strong(),
        );
        ui.label(RichText::new("mid-2022").weak());
        sparkline_ui(ui, &totals.population);
    });
    let first = totals.population[0];
    let last = totals.population_mid2022();
    if first > 0 {
        let change = last as f64 / first as f64 - 1.0;
        ui.label(
            RichText::new(format!(
                "{:+.1}% since mid-{FIRST_YEAR} ({})",
                change * 100.0,
                thousands(first)
            ))
            .small(),
        );
    }
    egui::Grid::new("people")
        .num_columns(2)
        .spacing([12.0, 2.0])
        .show(ui, |ui| {
            let weak = ui.visuals().weak_text_color();
            let mut row = |key: &str, value: String| {
                ui.label(RichText::new(key).color(weak));
                ui.label(value);
                ui.end_row();
            };
            row(
                "Aged 65 and over (Census 2021)",
                percent(totals.share_65_plus()),
            );
            row("Aged 0–15 (Census 2021)", percent(totals.share_0_15()));
            row(
                "In England's most deprived tenth (IMD 2025)",
                percent(totals.most_deprived_share()),
            );
            row(
                "IMD 2025 score, population-weighted",
                totals
                    .deprivation_score()
                    .map_or_else(|| "not known".into(), |s| format!("{s:.1}")),
            );
            row("LSOAs", thousands(totals.blocks as u64));
        });
    ui.label(
        RichText::new(source)
            .small()
            .color(ui.visuals().weak_text_color()),
    );
}

/// Mid-2011 … mid-2022 as a small line, lowest to highest.
fn sparkline_ui(ui: &mut Ui, series: &[u64; YEARS]) {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(90.0, 22.0), egui::Sense::hover());
    ui.ctx()
        .accesskit_node_builder(response.id, |node| node.set_label(SPARKLINE_LABEL));
    let (min, max) = series
        .iter()
        .fold((u64::MAX, 0), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    if max == 0 {
        return;
    }
    let span = (max - min).max(1) as f32;
    let points: Vec<egui::Pos2> = series
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            egui::pos2(
                rect.left() + rect.width() * i as f32 / (YEARS - 1) as f32,
                rect.bottom() - rect.height() * (v - min) as f32 / span,
            )
        })
        .collect();
    let colour = ui.visuals().text_color();
    ui.painter()
        .add(egui::Shape::line(points.clone(), Stroke::new(1.5, colour)));
    if let Some(&end) = points.last() {
        ui.painter()
            .circle_filled(end, 2.5, Color32::from_rgb(200, 30, 40));
    }
    response.on_hover_text(
        series
            .iter()
            .enumerate()
            .map(|(i, v)| format!("mid-{}: {}", FIRST_YEAR as usize + i, thousands(*v)))
            .collect::<Vec<_>>()
            .join("\n"),
    );
}

/// The lead of an ICB of April 2026 with the same code: chief executive and chair, each with
/// its date and source, or "not known" with the data's status.
pub fn leaders_ui(ui: &mut Ui, leaders: &crate::blocks::members::Leaders) {
    ui.strong("Lead (ICB, April 2026)");
    let weak = ui.visuals().weak_text_color();
    for (role, name, as_of, source) in [
        (
            "Chief executive",
            &leaders.chief_executive,
            &leaders.chief_executive_as_of,
            &leaders.chief_executive_source,
        ),
        (
            "Chair",
            &leaders.chair,
            &leaders.chair_as_of,
            &leaders.chair_source,
        ),
    ] {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(role).color(weak));
            match name {
                Some(name) => {
                    ui.label(RichText::new(name).strong());
                    if let Some(as_of) = as_of {
                        ui.label(RichText::new(format!("as of {as_of}")).small().color(weak));
                    }
                }
                None => {
                    ui.label(RichText::new("not known").italics().color(weak));
                }
            }
        });
        if let Some(source) = source {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new("Source:").small().color(weak));
                for url in source
                    .split(';')
                    .map(str::trim)
                    .filter(|u| u.starts_with("http"))
                {
                    let host = url
                        .trim_start_matches("https://")
                        .trim_start_matches("http://")
                        .split('/')
                        .next()
                        .unwrap_or(url);
                    ui.hyperlink_to(RichText::new(host).small(), url);
                }
            });
        }
    }
    ui.label(
        RichText::new(format!("Status: {}", leaders.status))
            .small()
            .color(weak),
    );
    if let Some(note) = &leaders.note {
        ui.label(RichText::new(note).small().color(weak));
    }
    ui.label(
        RichText::new("Leadership changed often in 2025–26: check the date.")
            .small()
            .color(weak),
    );
}

/// Members worked out from the footprint's LSOAs: sub-ICB locations and councils (with the
/// share of each one's people inside when split) and trusts headquartered inside.
pub fn members_ui(ui: &mut Ui, members: &crate::blocks::members::Members) {
    ui.strong(format!(
        "Members: {}",
        crate::ui::details::derived_member_counts(members)
    ));
    let held_list = |ui: &mut Ui, list: &[crate::blocks::members::Held]| {
        if list.is_empty() {
            ui.label(RichText::new("none").italics());
        }
        for held in list {
            if held.share > 0.995 {
                ui.label(&held.name).on_hover_text(&held.code);
            } else {
                ui.horizontal_wrapped(|ui| {
                    ui.label(&held.name).on_hover_text(&held.code);
                    ui.label(
                        RichText::new(format!(
                            "split: {:.0}% of its people here",
                            held.share * 100.0
                        ))
                        .small()
                        .color(ui.visuals().warn_fg_color),
                    );
                });
            }
        }
    };
    egui::CollapsingHeader::new(format!(
        "Sub-ICB locations, April 2026 ({})",
        members.sub_icbs.len()
    ))
    .default_open(true)
    .show(ui, |ui| held_list(ui, &members.sub_icbs));
    egui::CollapsingHeader::new(format!("Councils, 2024 ({})", members.councils.len()))
        .default_open(true)
        .show(ui, |ui| held_list(ui, &members.councils));
    egui::CollapsingHeader::new(format!("NHS trusts ({})", members.trusts.len()))
        .default_open(false)
        .show(ui, |ui| {
            for (code, name) in &members.trusts {
                ui.label(name).on_hover_text(code);
            }
            ui.label(
                RichText::new("Trusts whose 2022 headquarters lie inside; a trust serves more than where its headquarters are.")
                    .small()
                    .color(ui.visuals().weak_text_color()),
            );
        });
    ui.label(
        RichText::new("From the footprint's LSOA 2021 blocks and mid-2022 people (derived).")
            .small()
            .color(ui.visuals().weak_text_color()),
    );
}
