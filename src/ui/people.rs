//! A footprint's people from LSOA 2021 in the details panel: mid-2022 population with its
//! mid-2011…mid-2022 sparkline, Census 2021 ages, IMD 2025 deprivation, and where it comes from.

use egui::{Color32, RichText, Stroke, Ui};

use crate::blocks::statistics::Totals;
use crate::blocks::{FIRST_YEAR, YEARS};
use crate::geo_util::thousands;

/// Accessible label of the sparkline.
pub const SPARKLINE_LABEL: &str = "Population mid-2011 to mid-2022";

/// "12.3%".
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "not known".into(), |s| format!("{:.1}%", s * 100.0))
}

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
