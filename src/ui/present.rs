//! Presentation mode (F5): full screen, no menus or panels, a title line, and a large card for
//! each footprint in turn, stepped through with the arrow keys or a clicker.

use egui::{Align2, FontId, RichText, Ui};

use crate::details::DetailsCatalog;
use crate::geo_util::thousands;
use crate::model::Layer;

/// The order footprints are presented in: by NHS region, then by name.
pub fn presentation_order(layer: &Layer, catalog: &DetailsCatalog) -> Vec<usize> {
    let mut order: Vec<usize> = (0..layer.footprints.len()).collect();
    let region = |i: usize| {
        catalog
            .get(&layer.footprints[i].code)
            .and_then(|d| d.region.clone())
            .unwrap_or_default()
    };
    order.sort_by(|&a, &b| {
        region(a).cmp(&region(b)).then_with(|| {
            layer.footprints[a]
                .name
                .to_lowercase()
                .cmp(&layer.footprints[b].name.to_lowercase())
        })
    });
    order
}

/// Where a presentation is.
#[derive(Clone, Debug, PartialEq)]
pub struct Presentation {
    pub order: Vec<usize>,
    /// `None`: the overview of England.
    pub step: Option<usize>,
    /// The view's zoom factor before presenting, restored after.
    pub zoom_factor_before: f32,
}

impl Presentation {
    /// The footprint on show, if any.
    pub fn current(&self) -> Option<usize> {
        self.step.and_then(|s| self.order.get(s).copied())
    }

    pub fn next(&mut self) {
        self.step = match self.step {
            None if !self.order.is_empty() => Some(0),
            Some(s) if s + 1 < self.order.len() => Some(s + 1),
            other => other,
        };
    }

    pub fn previous(&mut self) {
        self.step = match self.step {
            Some(0) => None,
            Some(s) => Some(s - 1),
            None => None,
        };
    }
}

/// The title line across the top.
pub fn title_ui(ui: &mut Ui, title: &str, dark: bool) {
    let rect = ui.max_rect();
    let band = egui::Rect::from_min_size(rect.left_top(), egui::vec2(rect.width(), 54.0));
    let theme = crate::ui::theme::of(dark);
    let (bg, fg) = (theme.title_band, theme.title_text);
    ui.painter().rect_filled(band, 0.0, bg);
    let title_rect = ui.painter().text(
        band.left_center() + egui::vec2(20.0, 0.0),
        Align2::LEFT_CENTER,
        title,
        FontId::proportional(28.0),
        fg,
    );
    // The keys are a reminder for the presenter; a long title has the line to itself.
    let hint = ui.painter().layout_no_wrap(
        "Right arrow: next · Left arrow: back · Home: England · Esc: leave".to_string(),
        FontId::proportional(14.0),
        fg.gamma_multiply(0.7),
    );
    let hint_at =
        Align2::RIGHT_CENTER.anchor_size(band.right_center() - egui::vec2(20.0, 0.0), hint.size());
    if hint_at.left() > title_rect.right() + 24.0 {
        ui.painter().galley(hint_at.min, hint, fg);
    }
}

/// The large card for one footprint.
pub fn card_ui(
    ui: &mut Ui,
    layer: &Layer,
    index: usize,
    catalog: &DetailsCatalog,
    position: (usize, usize),
) {
    let Some(footprint) = layer.footprints.get(index) else {
        return;
    };
    let details = catalog.get(&footprint.code);
    ui.label(
        RichText::new(format!("{} of {}", position.0 + 1, position.1))
            .size(14.0)
            .weak(),
    );
    ui.label(RichText::new(&footprint.name).size(30.0).strong());
    if let Some(d) = details {
        let number = d
            .number
            .map(|n| format!("Footprint {n} · "))
            .unwrap_or_default();
        let region = d.region.clone().unwrap_or_default();
        ui.label(RichText::new(format!("{number}{} · {region}", d.code)).size(16.0));
        ui.add_space(10.0);
        ui.label(RichText::new("Lead").size(16.0).weak());
        match &d.leader.name {
            Some(name) => {
                ui.label(RichText::new(name).size(24.0).strong());
                if let Some(role) = &d.leader.role_org {
                    ui.label(RichText::new(role).size(16.0));
                }
            }
            None => {
                let status = d.leader.status.as_deref().unwrap_or("no status");
                ui.label(
                    RichText::new(format!("Not known ({status})"))
                        .size(22.0)
                        .italics(),
                );
            }
        }
        ui.add_space(10.0);
        ui.label(RichText::new("Population, mid-2019").size(16.0).weak());
        match d.population.mid2019 {
            Some(p) => ui.label(RichText::new(thousands(p)).size(28.0).strong()),
            None => ui.label(RichText::new("not known").size(22.0).italics()),
        };
        ui.add_space(10.0);
        let m = &d.members;
        ui.label(RichText::new(crate::ui::details::member_counts(m)).size(18.0));
    } else {
        ui.label(RichText::new(&footprint.code).size(16.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepping_goes_forward_back_and_stops_at_the_ends() {
        let mut p = Presentation {
            order: vec![4, 2, 9],
            step: None,
            zoom_factor_before: 1.0,
        };
        p.next();
        assert_eq!(p.current(), Some(4));
        p.next();
        p.next();
        p.next();
        assert_eq!(p.current(), Some(9), "stays on the last");
        p.previous();
        assert_eq!(p.current(), Some(2));
        p.previous();
        p.previous();
        assert_eq!(p.current(), None, "back to the overview");
    }
}
