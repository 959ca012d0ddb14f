//! The app's footprint builder: a scenario started in the background (blocks, their shared arcs
//! and meshes), its block layer shown and chosen, clicks turned into edits, and each edit's
//! footprints redrawn and recoloured.

use super::*;
use crate::ui::builder::{BLOCK_LAYER_ID, Builder, BuilderStart};

/// A scenario and its block layer, made in the background.
pub(super) type BuilderJob = Job<
    Result<
        (
            crate::builder::Scenario,
            crate::builder::rules::Rules,
            PreparedLayer,
        ),
        String,
    >,
>;

impl FootprintsApp {
    /// Starts making a scenario from `start` (or from the scenario file `file`) in the
    /// background.
    pub(super) fn start_builder(
        &mut self,
        ctx: &egui::Context,
        start: BuilderStart,
        file: Option<PathBuf>,
    ) {
        if self.builder_loading.is_some() {
            return;
        }
        let what = match &file {
            Some(path) => path.display().to_string(),
            None => start.title().to_string(),
        };
        let spawned = Job::spawn("builder", ctx, move || {
            let people = crate::blocks::Blocks::embedded()
                .ok_or("This copy was built without the LSOA 2021 tables the builder needs")?;
            let layer = crate::blocks::embedded_lsoa_layer(&Progress::default())
                .ok_or("This copy was built without the LSOA 2021 blocks the builder needs")?
                .map_err(|e| e.to_string())?;
            let set = Arc::new(crate::builder::BlockSet::new(&layer, people));
            let (scenario, rules) = match &file {
                Some(path) => crate::builder::file::open(path, set)?,
                None => (
                    crate::builder::Scenario::from_lookup(
                        start.title(),
                        set,
                        start.grouping(people),
                    ),
                    crate::builder::rules::Rules::default(),
                ),
            };
            let mut layer = layer;
            layer.title = format!("Builder blocks: LSOA 2021 ({})", scenario.name);
            layer.source = crate::model::LayerSource::Embedded(BLOCK_LAYER_ID);
            let labels = vec![String::new(); layer.footprints.len()];
            Ok((scenario, rules, PreparedLayer::new(layer, labels)))
        });
        match spawned {
            Ok(job) => {
                self.builder_loading = Some(job);
                self.notices.push(Notice {
                    text: format!("Preparing the builder from {what}…"),
                    is_error: false,
                });
            }
            Err(e) => self.notices.push(Notice {
                text: format!("Could not start the builder ({e})"),
                is_error: true,
            }),
        }
    }

    /// Takes the scenario once it is ready: its block layer is added and chosen.
    pub(super) fn poll_builder(&mut self) {
        let Some(job) = &self.builder_loading else {
            return;
        };
        match job.poll() {
            Polled::Pending => {}
            Polled::Lost => self.builder_loading = None,
            Polled::Done(Err(message)) => {
                self.builder_loading = None;
                self.notices.push(Notice {
                    text: message,
                    is_error: true,
                });
            }
            Polled::Done(Ok((scenario, rules, mut blocks))) => {
                self.builder_loading = None;
                self.remove_block_layer();
                let mut builder = Builder::new(scenario, &blocks);
                builder.rules = rules;
                builder.recheck();
                blocks.restyle(builder.block_colours());
                self.layers.push(blocks);
                self.active = Some(self.layers.len() - 1);
                self.selected = None;
                self.hover_drawables = None;
                self.list_rows = None;
                self.builder = Some(builder);
                self.notices
                    .retain(|n| !n.text.starts_with("Preparing the builder"));
            }
        }
    }

    /// The builder's block layer, if it is open.
    pub(super) fn block_layer(&self) -> Option<usize> {
        self.layers
            .iter()
            .position(|l| l.layer.source == crate::model::LayerSource::Embedded(BLOCK_LAYER_ID))
    }

    fn remove_block_layer(&mut self) {
        if let Some(i) = self.block_layer() {
            self.layers.remove(i);
            self.active = (!self.layers.is_empty()).then(|| self.layers.len() - 1);
            self.list_rows = None;
        }
    }

    /// Redraws what an edit changed: the footprints' borders and the blocks' colours.
    fn after_edit(&mut self, changed: &[u32]) {
        let t = std::time::Instant::now();
        let Some(builder) = &mut self.builder else {
            return;
        };
        builder.redraw_borders(changed);
        builder.recheck();
        let colours = builder.block_colours();
        if let Some(i) = self.block_layer()
            && let Some(blocks) = self.layers.get_mut(i)
        {
            blocks.restyle(colours);
        }
        self.hover_drawables = None;
        log::debug!("edit redrawn: {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    }

    /// The builder's requests.
    pub(super) fn run_builder_action(
        &mut self,
        ctx: &egui::Context,
        action: Action,
    ) -> Option<Action> {
        match action {
            Action::StartBuilder(start) => self.start_builder(ctx, start, None),
            Action::OpenScenario(path) => {
                self.start_builder(ctx, BuilderStart::Icb2026, Some(path))
            }
            Action::ChooseScenarioOpen => {
                if let Some(path) = self.scenario_path(PathFor::OpenScenario) {
                    self.start_builder(ctx, BuilderStart::Icb2026, Some(path));
                }
            }
            Action::ChooseScenarioSave => {
                if let Some(path) = self.scenario_path(PathFor::SaveScenario) {
                    self.save_scenario(&path);
                }
            }
            Action::ChooseScenarioExport => {
                if let Some(path) = self.scenario_path(PathFor::ExportScenario) {
                    self.export_scenario(&path);
                }
            }
            Action::SaveScenario(path) => self.save_scenario(&path),
            Action::ExportScenario(path) => self.export_scenario(&path),
            Action::LeaveBuilder => {
                self.builder = None;
                self.remove_block_layer();
                self.apply_style();
            }
            Action::BuilderActivate(footprint) => {
                if let Some(builder) = &mut self.builder {
                    builder.active = Some(footprint);
                }
            }
            Action::BuilderGive(block) => {
                let what = self
                    .block_layer()
                    .and_then(|i| self.layers[i].layer.footprints.get(block))
                    .map(|f| format!("{} ({})", f.name, f.code))
                    .unwrap_or_else(|| "a block".into());
                let Some(builder) = &mut self.builder else {
                    return None;
                };
                let Some(to) = builder.active else {
                    self.notices.push(Notice {
                        text: "Choose a footprint first (in the builder's table, or Alt+click one on the map)".into(),
                        is_error: false,
                    });
                    return None;
                };
                let changed = builder.scenario.move_blocks(&what, &[block], Some(to));
                self.after_edit(&changed);
            }
            Action::BuilderNewFootprint => {
                let Some(builder) = &mut self.builder else {
                    return None;
                };
                let n = builder.scenario.footprints.len() + 1;
                let new = builder
                    .scenario
                    .add_footprint(&format!("NEW{n}"), &format!("New footprint {n}"));
                builder.active = Some(new);
                self.after_edit(&[new]);
            }
            Action::BuilderMerge(from, into) => {
                let Some(builder) = &mut self.builder else {
                    return None;
                };
                let name = builder
                    .scenario
                    .footprints
                    .get(into as usize)
                    .map(|f| f.name.clone())
                    .unwrap_or_default();
                let changed = builder.scenario.merge(from, into, &name);
                builder.active = Some(into);
                self.after_edit(&changed);
            }
            Action::BuilderUndo | Action::BuilderRedo => {
                let Some(builder) = &mut self.builder else {
                    return None;
                };
                let changed = if action == Action::BuilderUndo {
                    builder.scenario.undo()
                } else {
                    builder.scenario.redo()
                };
                self.after_edit(&changed);
            }
            other => return Some(other),
        }
        None
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
        let Some(builder) = &self.builder else {
            return;
        };
        let text = match crate::builder::file::save(&builder.scenario, &builder.rules, path) {
            Ok(()) => Notice {
                text: format!("Saved the scenario: {}", path.display()),
                is_error: false,
            },
            Err(e) => Notice {
                text: format!("Could not save the scenario ({e}): {}", path.display()),
                is_error: true,
            },
        };
        self.notices.push(text);
    }

    /// Exports the scenario (assignment, settings, GeoJSON, definition), naming the files.
    fn export_scenario(&mut self, path: &Path) {
        let Some(builder) = &self.builder else {
            return;
        };
        let notice = match crate::builder::file::export(&builder.scenario, &builder.rules, path) {
            Ok(files) => Notice {
                text: format!(
                    "Exported the scenario: {}",
                    files
                        .iter()
                        .map(|f| f.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                is_error: false,
            },
            Err(e) => Notice {
                text: format!("Could not export the scenario ({e}): {}", path.display()),
                is_error: true,
            },
        };
        self.notices.push(notice);
    }

    /// A click on the builder's blocks: Alt chooses the footprint there, else gives the block
    /// to the chosen footprint.
    pub(super) fn builder_click(&self, ctx: &egui::Context, block: usize) -> Option<Action> {
        let builder = self.builder.as_ref()?;
        // Alt as it was when the button came up (the click's own event), else as it is now.
        let alt = ctx.input(|i| {
            i.events
                .iter()
                .rev()
                .find_map(|e| match e {
                    egui::Event::PointerButton {
                        pressed: false,
                        modifiers,
                        ..
                    } => Some(modifiers.alt),
                    _ => None,
                })
                .unwrap_or(i.modifiers.alt)
        });
        if alt {
            let footprint = builder.scenario.group_of().get(block).copied().flatten()?;
            Some(Action::BuilderActivate(footprint))
        } else {
            Some(Action::BuilderGive(block))
        }
    }
}
