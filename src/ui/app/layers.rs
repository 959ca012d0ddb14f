//! The app's layer actions: activate, show, fade, reorder and close layers, and the compare
//! window's pair — each asked of the workspace by layer id, so nothing points at the wrong
//! layer afterwards.

use super::*;
use crate::ui::LayerAction;

impl FootprintsApp {
    /// Applies one layer action (every variant handled here).
    pub(super) fn run_layer_action(&mut self, ctx: &egui::Context, action: LayerAction) {
        match action {
            LayerAction::Activate(id) => {
                if self.workspace.active_id() != Some(id) && self.workspace.activate(id) {
                    self.after_layers_changed();
                }
            }
            LayerAction::Show(id, visible) => {
                if let Some(prepared) = self.workspace.get_mut(id) {
                    prepared.visible = visible;
                }
            }
            LayerAction::SetOpacity(id, opacity) => {
                if let Some(prepared) = self.workspace.get_mut(id) {
                    prepared.opacity = opacity.clamp(0.0, 1.0);
                }
            }
            LayerAction::Move(id, up) => {
                self.workspace.move_layer(id, up);
            }
            LayerAction::Close(id) => self.close_layer(id),
            LayerAction::ShowCompare => {
                self.windows
                    .compare
                    .get_or_insert_with(|| crate::ui::compare::CompareState {
                        divider: 0.5,
                        ..Default::default()
                    });
                self.keep_a_compare_pair();
            }
            LayerAction::PickCompare(old, new) => self.workspace.set_compare(Some((old, new))),
            LayerAction::Compare(old, new) => self.start_compare(ctx, old, new),
        }
    }

    /// Closes layer `id`: forgets it among the open files and, when it is the builder's block
    /// layer, closes the builder with it (its scenarios stay autosaved).
    fn close_layer(&mut self, id: LayerId) {
        // The builder's blocks: its scenarios are closed as Build, Close scenario closes them
        // (unsaved changes kept and said, saved ones' autosaves forgotten), which removes the
        // layer with the last one.
        if self.block_layer() == Some(id) {
            while self.building.builder.is_some() {
                self.close_scenario();
            }
            if self.block_layer().is_none() {
                return;
            }
        }
        let was_active = self.workspace.active_id() == Some(id);
        let Some(removed) = self.workspace.close(id) else {
            return;
        };
        if let Some(path) = LayerRef::of_source(&removed.layer.source) {
            self.prefs.settings.open_files.retain(|l| l != &path);
        }
        self.keep_a_compare_pair();
        if was_active {
            self.after_layers_changed();
        }
    }

    /// While the compare window is open, it compares two open layers: the bottom and the top
    /// one when its pair was closed.
    pub(super) fn keep_a_compare_pair(&mut self) {
        if self.windows.compare.is_none() || self.workspace.compare().is_some() {
            return;
        }
        let ids: Vec<LayerId> = self.workspace.iter().map(|(id, _)| id).collect();
        if let (Some(&old), Some(&new)) = (ids.first(), ids.last())
            && old != new
        {
            self.workspace.set_compare(Some((old, new)));
        }
    }

    /// What depends on the active layer made again: its colours and legend, the list, the
    /// hover highlight.
    pub(super) fn after_layers_changed(&mut self) {
        self.view.hover_drawables = None;
        self.view.list_rows = None;
        self.apply_style();
    }

    /// Works out the comparison of two open layers in the background.
    fn start_compare(&mut self, ctx: &egui::Context, old: LayerId, new: LayerId) {
        let (Some(a), Some(b)) = (self.workspace.get(old), self.workspace.get(new)) else {
            return;
        };
        let (a, b) = (a.layer.clone(), b.layer.clone());
        let spawned = Job::spawn("compare", ctx, move || {
            let flows = crate::vintages::population_flows(&a, &b);
            let mut result =
                crate::compare::compare_with_people(&a, &b, flows.as_ref().map(|(f, _)| f));
            result.people_source = flows.map(|(_, source)| source);
            ((a.title.clone(), b.title.clone()), result)
        });
        match spawned {
            Ok(job) => self.tasks.comparing = Some(job),
            Err(e) => self
                .notices
                .error(format!("Could not start comparing the layers ({e})")),
        }
    }

    /// Reads every footprint's code and name of the active layer with other fields.
    pub(super) fn set_fields(&mut self, fields: crate::model::FieldChoice) {
        let Some(prepared) = self.workspace.active_mut() else {
            return;
        };
        if let Some(path) = prepared.layer.source.path() {
            self.prefs
                .settings
                .field_choices
                .insert(path.to_owned(), fields.clone());
        }
        Arc::make_mut(&mut prepared.layer).apply_fields(fields);
        prepared.short_labels = short_labels(&prepared.facts(&self.reference.catalog));
        self.view.list_rows = None;
    }
}
