//! The compare window: two open layers side by side (a swipe on the map) and the table of what
//! changed between them.

use egui::{RichText, Ui};

use crate::compare::{Comparison, Share};
use crate::ui::Action;

/// What the compare window is showing.
#[derive(Debug, Default)]
pub struct CompareState {
    /// Indices of the older and newer layer.
    pub old: usize,
    pub new: usize,
    /// The comparison of the layers with these titles, once worked out.
    pub result: Option<((String, String), Comparison)>,
    /// The map shows the older layer left of the divider and the newer right of it.
    pub swipe: bool,
    /// Where the divider is, 0..1 across the map.
    pub divider: f32,
}

/// The window's contents; `titles` are the open layers'. Returns what the user asked for.
pub fn compare_ui(
    ui: &mut Ui,
    state: &mut CompareState,
    titles: &[String],
    working: bool,
) -> Option<Action> {
    let mut action = None;
    if titles.len() < 2 {
        ui.label("Open two layers to compare them: Layers, Add a built-in layer; or File, Open boundaries.");
        return None;
    }
    state.old = state.old.min(titles.len() - 1);
    state.new = state.new.min(titles.len() - 1);
    egui::Grid::new("compare pick")
        .num_columns(2)
        .show(ui, |ui| {
            for (label, index) in [("Older", &mut state.old), ("Newer", &mut state.new)] {
                ui.label(label);
                egui::ComboBox::from_id_salt(label)
                    .selected_text(&titles[*index])
                    .width(320.0)
                    .show_ui(ui, |ui| {
                        for (i, title) in titles.iter().enumerate() {
                            ui.selectable_value(index, i, title);
                        }
                    });
                ui.end_row();
            }
        });
    ui.horizontal(|ui| {
        let ready = state.old != state.new && !working;
        if ui
            .add_enabled(ready, egui::Button::new("Compare"))
            .clicked()
        {
            action = Some(Action::Compare(state.old, state.new));
        }
        if working {
            ui.spinner();
            ui.label("Comparing…");
        }
        ui.checkbox(&mut state.swipe, "Swipe between them on the map")
            .on_hover_text(
                "The older layer left of the divider, the newer right; drag the divider",
            );
    });
    let Some(((old_title, new_title), result)) = &state.result else {
        return action;
    };
    ui.separator();
    ui.label(
        RichText::new(format!(
            "From {old_title} to {new_title}: matched by code and by overlap of land"
        ))
        .small()
        .weak(),
    );
    if let Some(source) = &result.people_source {
        ui.label(RichText::new(format!("People: {source}")).small().weak());
    }
    egui::ScrollArea::vertical()
        .max_height(420.0)
        .show(ui, |ui| {
            ui.strong(format!("Ended ({})", result.ended.len()));
            for e in &result.ended {
                ui.label(format!(
                    "{} {}, went to: {}",
                    e.code,
                    e.name,
                    Share::describe_all(&e.successors)
                ));
            }
            ui.strong(format!("New ({})", result.new.len()));
            for n in &result.new {
                ui.label(format!(
                    "{} {}, came from: {}",
                    n.code,
                    n.name,
                    Share::describe_all(&n.predecessors)
                ));
            }
            ui.strong(format!("Changed ({})", result.changed.len()));
            for k in &result.changed {
                let people = match (k.people_lost, k.people_gained) {
                    (Some(lost), Some(gained)) => format!(
                        "; {} people left, {} joined",
                        crate::geo_util::thousands(lost),
                        crate::geo_util::thousands(gained)
                    ),
                    _ => String::new(),
                };
                ui.label(format!("{}{people}", k.describe()));
            }
            ui.collapsing(format!("Unchanged ({})", result.unchanged.len()), |ui| {
                for k in &result.unchanged {
                    ui.label(format!("{} {}", k.code, k.new_name));
                }
            });
        });
    action
}
