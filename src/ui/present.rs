//! Presentation mode (F5): full screen, no menus or panels, a title line, and a large card for
//! each footprint in turn, stepped through with the arrow keys or a clicker.

use egui::{Align2, FontId, RichText, Ui};

use crate::facts::{LayerFacts, Lead};
use crate::geo_util::thousands;

/// The order footprints are presented in: by NHS region, then by name.
pub fn presentation_order(facts: &LayerFacts) -> Vec<usize> {
    let layer = facts.layer();
    let mut order: Vec<usize> = (0..layer.footprints.len()).collect();
    let region = |i: usize| facts.region(i).map(|(r, _)| r).unwrap_or_default();
    order.sort_by(|&a, &b| {
        region(a).cmp(region(b)).then_with(|| {
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

/// The large card for one footprint: its name, code, region, lead, people and members, as
/// its layer's facts give them.
pub fn card_ui(ui: &mut Ui, facts: &LayerFacts, index: usize, position: (usize, usize)) {
    let Some(footprint) = facts.layer().footprints.get(index) else {
        return;
    };
    ui.label(
        RichText::new(format!("{} of {}", position.0 + 1, position.1))
            .size(14.0)
            .weak(),
    );
    ui.label(RichText::new(&footprint.name).size(30.0).strong());
    let number = facts
        .number_2016(index)
        .map(|n| format!("Footprint {n} · "))
        .unwrap_or_default();
    let region = facts
        .region(index)
        .map(|(r, _)| format!(" · {r}"))
        .unwrap_or_default();
    ui.label(RichText::new(format!("{number}{}{region}", footprint.code)).size(16.0));
    ui.add_space(10.0);
    lead_ui(ui, facts.lead(index));
    ui.add_space(10.0);
    let people = facts.people(index);
    let (heading, figure) = match (people.mid2022(), people.older) {
        (Some(p), _) => ("People, mid-2022 (derived)".to_string(), Some(thousands(p))),
        (None, Some(older)) => ("Population".to_string(), Some(older.text())),
        (None, None) => ("People".to_string(), None),
    };
    ui.label(RichText::new(heading).size(16.0).weak());
    match figure {
        Some(p) => ui.label(RichText::new(p).size(28.0).strong()),
        None => ui.label(RichText::new("not known").size(22.0).italics()),
    };
    ui.add_space(10.0);
    if let Some(d) = facts.details_2016(index) {
        ui.label(RichText::new(crate::ui::details::member_counts(&d.members)).size(18.0));
    } else if let Some(m) = facts.derived_members(index) {
        ui.label(RichText::new(crate::ui::details::derived_member_counts(m)).size(18.0));
    }
}

/// The card's lead: a 2016 lead with its role, an ICB's chief executive and chair with their
/// dates, or "not known" with why.
fn lead_ui(ui: &mut Ui, lead: Lead) {
    match lead {
        Lead::Stp2016(leader) => {
            ui.label(RichText::new("Lead (2016)").size(16.0).weak());
            match &leader.name {
                Some(name) => {
                    ui.label(RichText::new(name).size(24.0).strong());
                    if let Some(role) = &leader.role_org {
                        ui.label(RichText::new(role).size(16.0));
                    }
                }
                None => {
                    let status = leader.status.as_deref().unwrap_or("no status");
                    ui.label(
                        RichText::new(format!("Not known ({status})"))
                            .size(22.0)
                            .italics(),
                    );
                }
            }
        }
        Lead::Icb2026(leaders) => {
            ui.label(RichText::new("Lead (ICB, April 2026)").size(16.0).weak());
            for (role, name, as_of) in [
                (
                    "Chief executive",
                    &leaders.chief_executive,
                    &leaders.chief_executive_as_of,
                ),
                ("Chair", &leaders.chair, &leaders.chair_as_of),
            ] {
                ui.label(RichText::new(role).size(14.0).weak());
                match name {
                    Some(name) => ui.label(RichText::new(name).size(24.0).strong()),
                    None => ui.label(RichText::new("not known").size(22.0).italics()),
                };
                if let Some(as_of) = as_of {
                    ui.label(RichText::new(format!("as of {as_of}")).size(14.0));
                }
            }
        }
        Lead::NotKnown(why) => {
            ui.label(RichText::new("Lead").size(16.0).weak());
            ui.label(
                RichText::new(format!("Not known ({why})"))
                    .size(22.0)
                    .italics(),
            );
        }
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
