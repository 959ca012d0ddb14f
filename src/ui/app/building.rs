//! The app's footprint builder: scenarios started in the background (blocks, their shared arcs
//! and meshes, made once and shared by every open scenario), the block layer shown and chosen,
//! clicks, brush strokes and rectangles turned into edits at the chosen block level, and each
//! edit's footprints redrawn, recoloured and autosaved. Open scenarios, saving and autosave
//! are in `scenarios.rs`.

use super::*;
use crate::builder::rules::Rules;
use crate::builder::{BlockSet, Scenario};
use crate::ui::builder::{BLOCK_LAYER_ID, BuildAction, Builder, BuilderStart};

/// Where a new scenario comes from.
pub(super) enum StartFrom {
    /// Today's ICBs or sub-ICB locations, from the April 2026 lookup.
    Lookup(BuilderStart),
    /// A layer's footprints: by code where a lookup knows them, else by best fit.
    Layer(Arc<Layer>),
    Empty,
    /// Scenario files, each with the autosave name it keeps (when reopening an autosave).
    Files(Vec<(PathBuf, Option<String>)>),
}

/// Scenarios made in the background, with the block layer when it was not open yet.
pub(super) struct Started {
    scenarios: Vec<(Scenario, Rules, Option<String>)>,
    blocks: Option<PreparedLayer>,
    /// Files that could not be opened, and how a layer was matched.
    notes: Vec<Notice>,
    /// Whether the scenarios hold changes not saved by the user (reopened autosaves).
    unsaved: bool,
}

pub(super) type BuilderJob = Job<Result<Started, String>>;

/// The scenarios of `from` over `set`.
fn scenarios_from(
    from: StartFrom,
    set: &Arc<BlockSet>,
    people: &'static crate::blocks::Blocks,
    notes: &mut Vec<Notice>,
) -> Vec<(Scenario, Rules, Option<String>)> {
    let fresh = |scenario| vec![(scenario, Rules::default(), None)];
    match from {
        StartFrom::Lookup(start) => match start.grouping(people) {
            Some(grouping) => fresh(Scenario::from_lookup(start.title(), set.clone(), grouping)),
            None => fresh(Scenario::new(
                "Empty",
                set.clone(),
                Vec::new(),
                vec![None; set.codes.len()],
            )),
        },
        StartFrom::Empty => fresh(Scenario::new(
            "Empty",
            set.clone(),
            Vec::new(),
            vec![None; set.codes.len()],
        )),
        StartFrom::Layer(layer) => {
            let locator = crate::lookup::PointLocator::build(&layer);
            let (of_people, method, lookup) =
                crate::blocks::layer_statistics::block_assignment(&layer, people, &locator);
            let how = match lookup {
                Some(lookup) => format!("by code ({})", lookup.describe()),
                None => method.describe().to_string(),
            };
            notes.push(Notice {
                text: format!("The scenario starts from {}, {how}", layer.title),
                is_error: false,
                topic: None,
            });
            let footprints = layer
                .footprints
                .iter()
                .map(|f| crate::builder::FootprintDef {
                    code: f.code.clone(),
                    name: f.name.clone(),
                })
                .collect();
            let group_of = set.from_people_order(&of_people);
            fresh(Scenario::new(
                &layer.title,
                set.clone(),
                footprints,
                group_of,
            ))
        }
        StartFrom::Files(files) => files
            .into_iter()
            .filter_map(
                |(path, id)| match crate::builder::file::open(&path, set.clone()) {
                    Ok((scenario, rules)) => Some((scenario, rules, id)),
                    Err(message) => {
                        notes.push(Notice {
                            text: message,
                            is_error: true,
                            topic: None,
                        });
                        None
                    }
                },
            )
            .collect(),
    }
}

impl FootprintsApp {
    /// Starts making scenarios `from` in the background, over the open scenarios' blocks when
    /// there are some.
    pub(super) fn start_builder(&mut self, ctx: &egui::Context, from: StartFrom) {
        if self.building.shelf.loading.is_some() {
            return;
        }
        let what = match &from {
            StartFrom::Lookup(start) => start.title().to_string(),
            StartFrom::Layer(layer) => layer.title.clone(),
            StartFrom::Empty => BuilderStart::Empty.title().to_string(),
            StartFrom::Files(files) => files
                .iter()
                .map(|(p, _)| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
        };
        let unsaved = matches!(&from, StartFrom::Files(f) if f.iter().any(|(_, id)| id.is_some()));
        let open_set = self
            .building
            .builder
            .as_ref()
            .map(|b| b.scenario.blocks().clone());
        let spawned = Job::spawn("builder", ctx, move || {
            let people = crate::blocks::Blocks::embedded()
                .ok_or("This copy was built without the LSOA 2021 tables the builder needs")?;
            let (set, blocks) = match open_set {
                Some(set) => (set, None),
                None => {
                    let mut layer = crate::blocks::embedded_lsoa_layer(&Progress::default())
                        .ok_or(
                            "This copy was built without the LSOA 2021 blocks the builder needs",
                        )?
                        .map_err(|e| e.to_string())?;
                    let set = Arc::new(BlockSet::new(&layer, people));
                    layer.title = "Builder blocks: LSOA 2021".to_string();
                    layer.source = crate::model::LayerSource::Made(BLOCK_LAYER_ID);
                    let labels = vec![String::new(); layer.footprints.len()];
                    (set, Some(PreparedLayer::new(layer, labels)))
                }
            };
            let mut notes = Vec::new();
            let scenarios = scenarios_from(from, &set, people, &mut notes);
            Ok(Started {
                scenarios,
                blocks,
                notes,
                unsaved,
            })
        });
        match spawned {
            Ok(job) => {
                self.building.shelf.loading = Some(job);
                self.notices.about(
                    Topic::PreparingBuilder,
                    format!("Preparing the builder from {what}…"),
                );
            }
            Err(e) => self
                .notices
                .error(format!("Could not start the builder ({e})")),
        }
    }

    /// Takes the scenarios once they are ready: the last one is shown, over the block layer.
    pub(super) fn poll_builder(&mut self) {
        self.poll_scenario_layers();
        let Some(job) = &self.building.shelf.loading else {
            return;
        };
        let started = match job.poll() {
            Polled::Pending => return,
            Polled::Lost => Err("The builder stopped unexpectedly".to_string()),
            Polled::Done(result) => result,
        };
        self.building.shelf.loading = None;
        self.notices.withdraw(Topic::PreparingBuilder);
        let started = match started {
            Ok(started) => started,
            Err(message) => {
                self.notices.error(message);
                return;
            }
        };
        self.notices.extend(started.notes);
        if started.scenarios.is_empty() {
            return; // nothing opened (each file's problem is said above); nothing changes
        }
        if let Some(blocks) = started.blocks {
            self.remove_block_layer();
            self.workspace.add(blocks);
        }
        let Some(layer) = self.block_layer().and_then(|id| self.workspace.get(id)) else {
            // The blocks were closed while the scenario was being made: start it again.
            self.notices.error(
                "The builder's blocks were closed before the scenario was ready: start it again",
            );
            return;
        };
        for (scenario, rules, id) in started.scenarios {
            self.building.shelf.next_number += 1;
            let id = id.unwrap_or_else(crate::builder::autosave::new_id);
            self.building
                .shelf
                .autosaved_left
                .retain(|p| p.file_stem().and_then(|s| s.to_str()) != Some(id.as_str()));
            let mut builder = Builder::new(scenario, layer, id, self.building.shelf.next_number);
            builder.rules = rules;
            builder.unsaved = started.unsaved;
            builder.recheck();
            if let Some(shown) = self.building.builder.replace(builder) {
                self.building.shelf.parked.push(shown);
            }
        }
        self.show_builder();
    }

    /// Shows the current scenario: its colours on the block layer, which is made active.
    pub(super) fn show_builder(&mut self) {
        let (Some(builder), Some(id)) = (&self.building.builder, self.block_layer()) else {
            return;
        };
        let colours = builder.block_colours();
        let title = format!("Builder blocks: LSOA 2021 ({})", builder.scenario.name);
        if let Some(blocks) = self.workspace.get_mut(id) {
            blocks.restyle(colours);
            Arc::make_mut(&mut blocks.layer).title = title;
        }
        self.workspace.activate(id);
        self.workspace.select(None);
        self.view.hover_drawables = None;
        self.view.list_rows = None;
    }

    /// The builder's block layer, if it is open.
    pub(super) fn block_layer(&self) -> Option<LayerId> {
        self.workspace
            .find(|l| l.layer.source == crate::model::LayerSource::Made(BLOCK_LAYER_ID))
    }

    pub(super) fn remove_block_layer(&mut self) {
        if let Some(id) = self.block_layer() {
            let was_active = self.workspace.active_id() == Some(id);
            self.workspace.close(id);
            if was_active {
                self.after_layers_changed();
            }
        }
    }

    /// Redraws what an edit changed (the footprints' borders and the blocks' colours), checks
    /// the rules again and autosaves.
    pub(super) fn after_edit(&mut self, changed: &[u32]) {
        let t = std::time::Instant::now();
        let Some(builder) = &mut self.building.builder else {
            return;
        };
        builder.redraw_borders(changed);
        builder.recheck();
        let colours = builder.block_colours();
        if let Some(id) = self.block_layer()
            && let Some(blocks) = self.workspace.get_mut(id)
        {
            blocks.restyle(colours);
        }
        self.view.hover_drawables = None;
        self.autosave();
        log::debug!("edit redrawn: {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    }

    /// The builder's requests.
    pub(super) fn run_builder_action(&mut self, ctx: &egui::Context, action: BuildAction) {
        match action {
            BuildAction::Start(start) => {
                let from = match start {
                    BuilderStart::ActiveLayer => match self.workspace.active() {
                        Some(prepared) => StartFrom::Layer(prepared.layer.clone()),
                        None => return,
                    },
                    BuilderStart::Empty => StartFrom::Empty,
                    lookup => StartFrom::Lookup(lookup),
                };
                self.start_builder(ctx, from);
            }
            BuildAction::Give(block) => self.give(block),
            BuildAction::Paint { blocks, continuing } => self.paint(&blocks, continuing),
            BuildAction::Activate(footprint) => {
                if let Some(builder) = &mut self.building.builder {
                    builder.active = Some(footprint);
                }
            }
            BuildAction::NewFootprint => {
                let Some(builder) = &mut self.building.builder else {
                    return;
                };
                let n = builder.scenario.footprints.len() + 1;
                let new = builder
                    .scenario
                    .add_footprint(&format!("NEW{n}"), &format!("New footprint {n}"));
                builder.active = Some(new);
                self.after_edit(&[new]);
            }
            BuildAction::Merge { from, into, name } => {
                let Some(builder) = &mut self.building.builder else {
                    return;
                };
                let changed = builder.scenario.merge(from, into, &name);
                builder.active = Some(into);
                self.after_edit(&changed);
            }
            BuildAction::Rename(footprint, name) => {
                if let Some(builder) = &mut self.building.builder {
                    builder.scenario.rename(footprint, &name);
                    self.after_edit(&[]);
                }
            }
            BuildAction::Undo | BuildAction::Redo => {
                let Some(builder) = &mut self.building.builder else {
                    return;
                };
                let changed = if action == BuildAction::Undo {
                    builder.scenario.undo()
                } else {
                    builder.scenario.redo()
                };
                self.after_edit(&changed);
            }
            BuildAction::RenameScenario(name) => {
                if let Some(builder) = &mut self.building.builder {
                    builder.scenario.name = name;
                    self.autosave();
                    self.show_builder();
                }
            }
            BuildAction::Rules(rules) => {
                if let Some(builder) = &mut self.building.builder {
                    builder.rules = rules;
                    builder.recheck();
                    self.autosave();
                }
            }
            BuildAction::ShowProblem(i) => self.show_problem(i),
            other => self.run_scenario_action(ctx, other),
        }
    }

    /// A click on a block: it and the rest of its unit (at the builder's level) go to the
    /// chosen footprint.
    fn give(&mut self, block: usize) {
        let Some(builder) = &mut self.building.builder else {
            return;
        };
        let (Some(to), Some(unit)) = (builder.active, builder.unit_of(block)) else {
            self.notices.info(
                "Choose a footprint first (in the builder's table, or Alt+click one on the map)",
            );
            return;
        };
        let changed = builder
            .scenario
            .move_blocks(&unit.label, &unit.blocks, Some(to));
        self.after_edit(&changed);
    }

    /// Blocks under the brush or in a rectangle, with their units, go to the chosen footprint;
    /// a stroke is one edit.
    fn paint(&mut self, blocks: &[usize], continuing: bool) {
        let Some(builder) = &mut self.building.builder else {
            return;
        };
        let Some(to) = builder.active else {
            if !continuing {
                self.notices.info("Choose a footprint first (in the builder's table, or Alt+click one on the map)");
            }
            return;
        };
        let units = builder.scenario.blocks().units_of(builder.level, blocks);
        let all: Vec<usize> = units.into_iter().flat_map(|u| u.blocks).collect();
        let changed = builder.scenario.paint(&all, Some(to), continuing);
        if !changed.is_empty() {
            self.after_edit(&changed);
        }
    }

    /// Zooms to the blocks of the `i`-th failing rule.
    fn show_problem(&mut self, i: usize) {
        let (Some(builder), Some(layer)) = (
            &self.building.builder,
            self.block_layer().and_then(|id| self.workspace.get(id)),
        ) else {
            return;
        };
        let Some(failure) = builder.failures().get(i) else {
            return;
        };
        let footprints = &layer.layer.footprints;
        let bbox = failure
            .blocks
            .iter()
            .filter_map(|&b| footprints.get(b).map(|f| f.bbox))
            .reduce(crate::geo_util::union_rect);
        if let Some(bbox) = bbox {
            self.view.camera.fit(bbox);
        }
    }

    /// A click on the builder's blocks: Alt chooses the footprint there, else gives the block
    /// (and its unit) to the chosen footprint.
    pub(super) fn builder_click(&self, ctx: &egui::Context, block: usize) -> Option<Action> {
        let builder = self.building.builder.as_ref()?;
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
            Some(Action::Build(BuildAction::Activate(footprint)))
        } else {
            Some(Action::Build(BuildAction::Give(block)))
        }
    }
}
