//! The app's small windows — About, keyboard shortcuts, code and name fields, and the prompt
//! for a path — with the flags that open them. Each returns what the user asked for.

use std::path::PathBuf;

use egui::{Key, RichText};

use crate::model::Layer;
use crate::ui::builder::BuildAction;
use crate::ui::{Action, panels};

/// What the path prompt is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathFor {
    Boundaries,
    Details,
    /// Where to save the builder's scenario (a CSV, with its settings beside it).
    SaveScenario,
    OpenScenario,
    /// Where to export the scenario (its CSV; the GeoJSON and definition go beside it).
    ExportScenario,
}

/// The "open from a path" window while it is open.
struct PathPrompt {
    text: String,
    purpose: PathFor,
    /// Give the text box the keyboard on the next frame.
    focus: bool,
}

/// The small windows and whether each is open.
#[derive(Default)]
pub struct Windows {
    pub about: bool,
    pub shortcuts: bool,
    pub fields: bool,
    path_prompt: Option<PathPrompt>,
    /// The export window's form, while it is open.
    pub export: Option<crate::ui::panels::ExportForm>,
    /// The compare window, while it is open.
    pub compare: Option<crate::ui::compare::CompareState>,
}

impl Windows {
    /// Opens (or refocuses) the path prompt for `purpose`, keeping any text typed so far.
    pub fn ask_for_path(&mut self, purpose: PathFor) {
        let prompt = self.path_prompt.get_or_insert_with(|| PathPrompt {
            text: String::new(),
            purpose,
            focus: true,
        });
        prompt.purpose = purpose;
        prompt.focus = true;
    }

    /// Draws the open windows over the map area `map` (off the menu bar and panels); `layer`
    /// is the active layer, for the fields window.
    pub fn ui(
        &mut self,
        ctx: &egui::Context,
        map: Option<egui::Rect>,
        layer: Option<&Layer>,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        actions.extend(self.path_prompt_ui(ctx, map));
        window("About Footprints", map)
            .open(&mut self.about)
            .default_width(520.0)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical().show(ui, panels::about_ui);
            });
        window("Keyboard shortcuts", map)
            .open(&mut self.shortcuts)
            .show(ctx, panels::shortcuts_ui);
        if let Some(layer) = layer {
            window("Code and name fields", map)
                .open(&mut self.fields)
                .show(ctx, |ui| {
                    if let Some(choice) = panels::fields_ui(ui, layer) {
                        actions.push(Action::SetFields(choice));
                    }
                });
        }
        actions
    }

    fn path_prompt_ui(&mut self, ctx: &egui::Context, map: Option<egui::Rect>) -> Option<Action> {
        let prompt = self.path_prompt.as_mut()?;
        let mut open = true;
        let mut submit = false;
        let (title, ask) = match prompt.purpose {
            PathFor::Details => (
                "Load your details from a path",
                "Type or paste the full path of a CSV or JSON file of details by code:",
            ),
            PathFor::Boundaries => (
                "Open boundaries from a path",
                "Type or paste the full path of a GeoJSON file:",
            ),
            PathFor::SaveScenario => (
                "Save the scenario to a path",
                "Type or paste the full path of the CSV to write (its settings go beside it as .json):",
            ),
            PathFor::ExportScenario => (
                "Export the scenario to a path",
                "Type or paste the full path of the CSV to write (the footprints' GeoJSON and the definition go beside it):",
            ),
            PathFor::OpenScenario => (
                "Open a scenario from a path",
                "Type or paste the full path of a scenario CSV (block_code, footprint_code, footprint_name):",
            ),
        };
        window(title, map)
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label(ask);
                let response = ui.add(
                    egui::TextEdit::singleline(&mut prompt.text)
                        .desired_width(420.0)
                        .hint_text("/home/me/boundaries.geojson"),
                );
                if std::mem::take(&mut prompt.focus) {
                    response.request_focus();
                }
                if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                    submit = true;
                }
                ui.horizontal(|ui| {
                    let verb = if matches!(
                        prompt.purpose,
                        PathFor::SaveScenario | PathFor::ExportScenario
                    ) {
                        "Save"
                    } else {
                        "Open"
                    };
                    if ui.button(verb).clicked() {
                        submit = true;
                    }
                    ui.label(RichText::new("You can also drop files onto the window.").small());
                });
            });
        let path = prompt.text.trim().trim_matches(['"', '\'']).to_string();
        let mut action = None;
        if submit && !path.is_empty() {
            action = Some(match prompt.purpose {
                PathFor::Details => Action::LoadDetails(PathBuf::from(path)),
                PathFor::Boundaries => Action::OpenPaths(vec![PathBuf::from(path)]),
                PathFor::SaveScenario => Action::Build(BuildAction::Save(PathBuf::from(path))),
                PathFor::OpenScenario => Action::Build(BuildAction::Open(PathBuf::from(path))),
                PathFor::ExportScenario => Action::Build(BuildAction::Export(PathBuf::from(path))),
            });
            open = false;
        }
        if !open {
            self.path_prompt = None;
        }
        action
    }
}

/// A window placed over the map area `map` and kept inside it: never over the menu bar, where
/// it would hide the menus, nor under a side panel.
pub fn window(title: &str, map: Option<egui::Rect>) -> egui::Window<'static> {
    let window = egui::Window::new(title.to_string());
    match map {
        Some(map) => window
            .default_pos(map.left_top() + egui::vec2(56.0, 12.0))
            .constrain_to(map),
        None => window,
    }
}
