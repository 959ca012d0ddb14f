//! The compare window: two open layers side by side (a swipe on the map) and the table of what
//! changed between them.

use egui::{RichText, Ui};

use crate::compare::{Comparison, Share};
use crate::ui::{Action, LayerAction};
use crate::workspace::LayerId;

/// What the compare window is showing.
#[derive(Debug, Default)]
pub struct CompareState {
    /// The comparison of the layers with these titles, once worked out.
    pub result: Option<((String, String), Comparison)>,
    /// The map shows the older layer left of the divider and the newer right of it.
    pub swipe: bool,
    /// Where the divider is, 0..1 across the map.
    pub divider: f32,
}

/// The two pickers, older and newer, over the open `layers`; returns the pair as picked.
fn pick_ui(
    ui: &mut Ui,
    layers: &[(LayerId, String)],
    pair: (LayerId, LayerId),
) -> (LayerId, LayerId) {
    let title_of = |id: LayerId| {
        layers
            .iter()
            .find(|(i, _)| *i == id)
            .map_or("", |(_, t)| t.as_str())
    };
    let mut picked = pair;
    egui::Grid::new("compare pick")
        .num_columns(2)
        .show(ui, |ui| {
            for (label, id) in [("Older", &mut picked.0), ("Newer", &mut picked.1)] {
                ui.label(label);
                egui::ComboBox::from_id_salt(label)
                    .selected_text(title_of(*id))
                    .width(320.0)
                    .show_ui(ui, |ui| {
                        for (i, title) in layers {
                            ui.selectable_value(id, *i, title);
                        }
                    });
                ui.end_row();
            }
        });
    picked
}

/// The window's contents; `layers` are the open layers' ids and titles, `pair` the (older,
/// newer) layers picked. Returns what the user asked for.
pub fn compare_ui(
    ui: &mut Ui,
    state: &mut CompareState,
    layers: &[(LayerId, String)],
    pair: Option<(LayerId, LayerId)>,
    working: bool,
) -> Option<Action> {
    let mut action = None;
    let Some((old, new)) = pair.filter(|_| layers.len() >= 2) else {
        ui.label("Open two layers to compare them: Layers, Add a built-in layer; or File, Open boundaries.");
        return None;
    };
    let picked = pick_ui(ui, layers, (old, new));
    if picked != (old, new) {
        action = Some(Action::Layer(LayerAction::PickCompare(picked.0, picked.1)));
    }
    ui.horizontal(|ui| {
        let ready = old != new && !working;
        if ui
            .add_enabled(ready, egui::Button::new("Compare"))
            .clicked()
        {
            action = Some(Action::Layer(LayerAction::Compare(old, new)));
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
