//! The app's open scenarios: several at once (one shown, the others parked), each autosaved
//! after every edit and reopened from the autosave after a crash; saved, exported, closed, and
//! shown as a layer to compare and swipe with any other.

use super::building::{BuilderJob, StartFrom};
use super::*;
use crate::builder::autosave::{self, Autosaver, Snapshot};
use crate::ui::builder::{BuildAction, Builder};

/// The scenarios besides the one shown, and what serves them all.
#[derive(Default)]
pub(super) struct ScenarioShelf {
    /// Open scenarios not shown, in the order they were opened.
    pub parked: Vec<Builder>,
    /// Scenarios being made in the background.
    pub loading: Option<BuilderJob>,
    /// Numbers the open scenarios (their order in the panel).
    pub next_number: usize,
    /// Writes each edit's scenario to the autosave folder (none without a settings folder).
    pub autosaver: Option<Autosaver>,
    /// Autosaves left from an earlier run, or of scenarios closed unsaved.
    pub autosaved_left: Vec<PathBuf>,
    /// Scenarios being made into layers.
    pub layer_jobs: Vec<Job<PreparedLayer>>,
}

impl ScenarioShelf {
    /// The shelf for an app whose settings live at `settings_path`: autosaves go beside them,
    /// and any left there are listed to reopen.
    pub fn new(settings_path: Option<&Path>) -> Self {
        let dir = settings_path
            .and_then(Path::parent)
            .map(|d| d.join("autosave"));
        ScenarioShelf {
            autosaved_left: dir.as_deref().map(autosave::left_in).unwrap_or_default(),
            autosaver: dir.map(Autosaver::new),
            ..Default::default()
        }
    }
}

impl FootprintsApp {
    /// Every open scenario for the panel: number, name and whether it has unsaved changes.
    pub(super) fn open_scenarios(&self) -> Vec<(usize, String, bool)> {
        let mut open: Vec<(usize, String, bool)> = self
            .building
            .builder
            .iter()
            .chain(&self.building.shelf.parked)
            .map(|b| (b.number, b.scenario.name.clone(), b.unsaved))
            .collect();
        open.sort_by_key(|o| o.0);
        open
    }

    /// Writes the shown scenario to its autosave (in the background) and marks it unsaved.
    pub(super) fn autosave(&mut self) {
        let Some(builder) = &mut self.building.builder else {
            return;
        };
        builder.unsaved = true;
        if let Some(autosaver) = &self.building.shelf.autosaver {
            autosaver.save(&builder.id, Snapshot::of(&builder.scenario, &builder.rules));
            if let Some(message) = autosaver.take_failure() {
                self.notices.error(message);
            }
        }
    }

    /// Waits until every autosave asked for is written (for tests and before quitting).
    pub fn flush_autosaves(&self) {
        if let Some(autosaver) = &self.building.shelf.autosaver {
            autosaver.flush();
        }
    }

    /// Where the shown scenario is autosaved.
    pub fn autosave_path(&self) -> Option<PathBuf> {
        Some(
            self.building
                .shelf
                .autosaver
                .as_ref()?
                .path_of(&self.building.builder.as_ref()?.id),
        )
    }

    /// Opening, saving, exporting, switching, closing and showing scenarios.
    pub(super) fn run_scenario_action(&mut self, ctx: &egui::Context, action: BuildAction) {
        match action {
            BuildAction::Open(path) => {
                self.start_builder(ctx, StartFrom::Files(vec![(path, None)]))
            }
            BuildAction::ChooseOpen => {
                if let Some(path) = self.scenario_path(PathFor::OpenScenario) {
                    self.start_builder(ctx, StartFrom::Files(vec![(path, None)]));
                }
            }
            BuildAction::ChooseSave => {
                if let Some(path) = self.scenario_path(PathFor::SaveScenario) {
                    self.save_scenario(&path);
                }
            }
            BuildAction::ChooseExport => {
                if let Some(path) = self.scenario_path(PathFor::ExportScenario) {
                    self.export_scenario(ctx, &path);
                }
            }
            BuildAction::Save(path) => self.save_scenario(&path),
            BuildAction::Export(path) => self.export_scenario(ctx, &path),
            BuildAction::RestoreAutosaved => {
                let files: Vec<(PathBuf, Option<String>)> = self
                    .building
                    .shelf
                    .autosaved_left
                    .iter()
                    .map(|p| {
                        let id = p.file_stem().and_then(|s| s.to_str()).map(str::to_string);
                        (p.clone(), id)
                    })
                    .collect();
                if !files.is_empty() {
                    self.notices.withdraw(Topic::AutosavesLeft);
                    self.start_builder(ctx, StartFrom::Files(files));
                }
            }
            BuildAction::Switch(number) => {
                if let Some(i) = self
                    .building
                    .shelf
                    .parked
                    .iter()
                    .position(|b| b.number == number)
                {
                    let next = self.building.shelf.parked.remove(i);
                    if let Some(shown) = self.building.builder.replace(next) {
                        self.building.shelf.parked.push(shown);
                    }
                    self.show_builder();
                }
            }
            BuildAction::Close => self.close_scenario(),
            BuildAction::AsLayer => self.scenario_as_layer(ctx),
            other => {
                // The builder's own actions are run before these: this one fell through both.
                log::error!("the scenario actions were given {other:?}");
                debug_assert!(false, "the scenario actions were given {other:?}");
            }
        }
    }

    /// Closes the shown scenario and shows the next open one (or leaves the builder). Its
    /// autosave is kept, to reopen from Build, when it has unsaved changes.
    pub(super) fn close_scenario(&mut self) {
        let Some(closed) = self.building.builder.take() else {
            return;
        };
        if let Some(autosaver) = &self.building.shelf.autosaver {
            if closed.unsaved {
                autosaver.flush();
                let path = autosaver.path_of(&closed.id);
                self.notices.info(format!(
                        "Closed {}; its unsaved changes are kept (Build, Reopen autosaved scenarios): {}",
                        closed.scenario.name,
                        path.display()
                    ));
                self.building.shelf.autosaved_left.push(path);
            } else {
                autosaver.forget(&closed.id);
            }
        }
        self.building.builder = self.building.shelf.parked.pop();
        if self.building.builder.is_some() {
            self.show_builder();
        } else {
            self.remove_block_layer();
            self.apply_style();
        }
    }

    /// Makes the shown scenario into a layer in the background (its people summed from its own
    /// blocks), to compare and swipe with the others.
    fn scenario_as_layer(&mut self, ctx: &egui::Context) {
        let Some(builder) = &self.building.builder else {
            return;
        };
        let layer = builder.as_layer(&format!("Scenario: {}", builder.scenario.name));
        let spawned = Job::spawn("scenario layer", ctx, move || {
            let labels = vec![String::new(); layer.footprints.len()];
            let mut prepared = PreparedLayer::new(layer, labels);
            if let Some(blocks) = crate::blocks::Blocks::embedded() {
                prepared.statistics = Some(Arc::new(crate::blocks::layer_statistics::for_layer(
                    &prepared.layer,
                    blocks,
                    &prepared.locator,
                )));
            }
            prepared
        });
        match spawned {
            Ok(job) => self.building.shelf.layer_jobs.push(job),
            Err(e) => self
                .notices
                .error(format!("Could not make the scenario a layer ({e})")),
        }
    }

    /// Adds the scenario layers that are ready (below the block layer, which stays active).
    pub(super) fn poll_scenario_layers(&mut self) {
        let mut i = 0;
        while i < self.building.shelf.layer_jobs.len() {
            match self.building.shelf.layer_jobs[i].poll() {
                Polled::Pending => i += 1,
                Polled::Lost => {
                    self.building.shelf.layer_jobs.remove(i);
                    self.notices.job_failed("making the scenario's layer", None);
                }
                Polled::Done(mut prepared) => {
                    self.building.shelf.layer_jobs.remove(i);
                    let title = prepared.layer.title.clone();
                    prepared.visible = false;
                    self.workspace.add(prepared);
                    self.notices.info(format!("Added {title} as a layer (hidden): compare or swipe it with another layer (Layers, Compare)"));
                }
            }
        }
    }

    /// A scenario file chosen in the system's dialog; where there is none, the path prompt is
    /// opened instead (its answer comes back as an action) and `None` returned.
    fn scenario_path(&mut self, purpose: PathFor) -> Option<PathBuf> {
        if !native_dialog_available() {
            self.windows.ask_for_path(purpose);
            return None;
        }
        let dialog = rfd::FileDialog::new().add_filter("Scenario CSV", &["csv"]);
        match purpose {
            PathFor::OpenScenario => dialog.set_title("Open a scenario").pick_file(),
            PathFor::ExportScenario => dialog.set_title("Export the scenario").save_file(),
            _ => dialog.set_title("Save the scenario").save_file(),
        }
    }

    /// Saves the scenario (CSV and settings, each atomically), saying where or why not.
    fn save_scenario(&mut self, path: &Path) {
        let Some(builder) = &mut self.building.builder else {
            return;
        };
        let notice = match crate::builder::file::save(&builder.scenario, &builder.rules, path) {
            Ok(()) => {
                builder.unsaved = false;
                if let Some(autosaver) = &self.building.shelf.autosaver {
                    autosaver.forget(&builder.id);
                }
                Notice {
                    text: format!("Saved the scenario: {}", path.display()),
                    is_error: false,
                    topic: None,
                }
            }
            Err(e) => Notice {
                text: format!("Could not save the scenario ({e}): {}", path.display()),
                is_error: true,
                topic: None,
            },
        };
        self.notices.push(notice);
    }

    /// Exports the scenario (assignment, settings, GeoJSON, definition) in the background,
    /// from a copy of its current footprints; says which files it wrote.
    fn export_scenario(&mut self, ctx: &egui::Context, path: &Path) {
        let Some(builder) = &self.building.builder else {
            return;
        };
        // Taken here (cheap: the blocks are shared), dissolved and written in the job.
        let parts = builder.scenario.parts();
        let (rules, path) = (builder.rules.clone(), path.to_owned());
        let spawned = Job::spawn("scenario export", ctx, move || {
            let copy = parts.build();
            match crate::builder::file::export(&copy, &rules, &path) {
                Ok(files) => Ok(format!(
                    "Exported the scenario: {}",
                    files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                Err(e) => Err(format!(
                    "Could not export the scenario ({e}): {}",
                    path.display()
                )),
            }
        });
        match spawned {
            Ok(job) => self.tasks.exports.push(job),
            Err(e) => self.notices.job_failed("the scenario's export", Some(&e)),
        }
    }
}
