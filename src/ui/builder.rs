//! The footprint builder in the app: a scenario over the LSOA 2021 blocks drawn as a layer of
//! blocks coloured by footprint with the footprints' borders over them, and its side panel —
//! one row per footprint with live totals against the starting point, the active footprint,
//! undo and redo, the history and the rules that fail.

use egui::{Color32, RichText, Ui};
use walkers::Drawables;

use crate::blocks::Grouping;
use crate::builder::Scenario;
use crate::builder::rules::{self, Rules};
use crate::render::colour::{FOOTPRINT_PALETTE, Rgb, colour_graph};
use crate::ui::Action;
use crate::ui::map::{PreparedLayer, line_drawables};

/// Where a scenario starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuilderStart {
    Icb2026,
    SubIcb2026,
}

impl BuilderStart {
    pub fn title(self) -> &'static str {
        match self {
            BuilderStart::Icb2026 => "ICBs, April 2026",
            BuilderStart::SubIcb2026 => "Sub-ICB locations, April 2026",
        }
    }

    pub fn grouping(self, people: &crate::blocks::Blocks) -> &Grouping {
        match self {
            BuilderStart::Icb2026 => &people.icb_2026,
            BuilderStart::SubIcb2026 => &people.sub_icb_2026,
        }
    }
}

/// The source under which the builder's block layer sits among the app's layers.
pub const BLOCK_LAYER_ID: &str = "builder-blocks";

/// A scenario being edited.
pub struct Builder {
    pub scenario: Scenario,
    pub rules: Rules,
    /// The footprint a clicked block is given to.
    pub active: Option<u32>,
    /// Each footprint's colour (neighbours differ).
    colours: Vec<Rgb>,
    /// Each footprint's people (mid-2022) when the scenario started.
    start_people: Vec<u64>,
    /// Each footprint's border, ready to draw.
    borders: Vec<Vec<Drawables>>,
    /// The rules that fail, as of the last edit.
    failures: Vec<rules::Failure>,
}

impl Builder {
    /// A builder for `scenario`, whose blocks are drawn by `blocks_layer`.
    pub fn new(scenario: Scenario, blocks_layer: &PreparedLayer) -> Self {
        let n = scenario.footprints.len();
        // Footprints are neighbours where their blocks are.
        let group_of = scenario.group_of();
        let mut adjacent: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (block, near) in blocks_layer.neighbours.iter().enumerate() {
            let Some(a) = group_of.get(block).copied().flatten() else {
                continue;
            };
            for &other in near {
                if let Some(b) = group_of.get(other).copied().flatten()
                    && a != b
                    && !adjacent[a as usize].contains(&(b as usize))
                {
                    adjacent[a as usize].push(b as usize);
                }
            }
        }
        let colours = colour_graph(&adjacent, FOOTPRINT_PALETTE.len())
            .into_iter()
            .map(|c| FOOTPRINT_PALETTE[c])
            .collect();
        let start_people = (0..n as u32)
            .map(|f| scenario.totals(f).map_or(0, |t| t.population_mid2022()))
            .collect();
        let mut builder = Builder {
            scenario,
            rules: Rules::default(),
            active: None,
            colours,
            start_people,
            borders: Vec::new(),
            failures: Vec::new(),
        };
        builder.redraw_borders(&(0..n as u32).collect::<Vec<_>>());
        builder.recheck();
        builder
    }

    /// Checks the rules again (after an edit, or when they change), not every frame.
    pub fn recheck(&mut self) {
        self.failures = rules::check(&self.scenario, &self.rules);
    }

    /// Rebuilds the borders of the footprints that changed.
    pub fn redraw_borders(&mut self, changed: &[u32]) {
        let n = self.scenario.footprints.len();
        self.borders.resize_with(n, Vec::new);
        while self.colours.len() < n {
            self.colours
                .push(FOOTPRINT_PALETTE[self.colours.len() % FOOTPRINT_PALETTE.len()]);
        }
        while self.start_people.len() < n {
            self.start_people.push(0);
        }
        for &f in changed {
            let Some(shape) = self.scenario.shape(f) else {
                continue;
            };
            let rings: Vec<Vec<geo::Coord<f64>>> = shape
                .geometry
                .0
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .map(|r| r.0.clone())
                .collect();
            if let Some(slot) = self.borders.get_mut(f as usize) {
                *slot = line_drawables(&rings, 2.5, Color32::from_rgb(30, 30, 40));
            }
        }
    }

    /// Every footprint border, to draw over the blocks.
    pub fn border_drawables(&self) -> impl Iterator<Item = &Drawables> {
        self.borders.iter().flatten()
    }

    /// Each block's fill: its footprint's colour (grey when in none).
    pub fn block_colours(&self) -> Vec<Rgb> {
        self.scenario
            .group_of()
            .iter()
            .map(|g| {
                g.and_then(|g| self.colours.get(g as usize).copied())
                    .unwrap_or(crate::render::style::NO_DATA)
            })
            .collect()
    }

    /// The side panel; returns what the user asked for.
    pub fn ui(&self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        ui.heading(format!("Builder: {}", self.scenario.name));
        ui.label(
            RichText::new(
                "Click a block (LSOA 2021) to give it to the chosen footprint; Alt+click picks the footprint under the pointer.",
            )
            .small()
            .weak(),
        );
        ui.horizontal(|ui| {
            if ui
                .add_enabled(self.scenario.can_undo(), egui::Button::new("Undo"))
                .clicked()
            {
                actions.push(Action::BuilderUndo);
            }
            if ui
                .add_enabled(self.scenario.can_redo(), egui::Button::new("Redo"))
                .clicked()
            {
                actions.push(Action::BuilderRedo);
            }
            if ui.button("Leave the builder").clicked() {
                actions.push(Action::LeaveBuilder);
            }
        });
        ui.horizontal(|ui| {
            if ui
                .button("New footprint")
                .on_hover_text("An empty footprint, chosen, ready for blocks")
                .clicked()
            {
                actions.push(Action::BuilderNewFootprint);
            }
            self.merge_ui(ui, &mut actions);
        });
        let chosen = self
            .active
            .and_then(|f| self.scenario.footprints.get(f as usize))
            .map_or_else(|| "none yet".to_string(), |f| f.name.clone());
        ui.label(format!("Clicked blocks go to: {chosen}"));
        ui.separator();
        self.table_ui(ui, &mut actions);
        ui.separator();
        let failures = &self.failures;
        ui.strong(format!("Rules: {} failing", failures.len()));
        egui::ScrollArea::vertical()
            .id_salt("rules")
            .max_height(160.0)
            .show(ui, |ui| {
                for failure in failures {
                    ui.label(
                        RichText::new(&failure.message)
                            .small()
                            .color(ui.visuals().warn_fg_color),
                    );
                }
            });
        ui.separator();
        ui.strong("History");
        let history: Vec<&str> = self.scenario.history().collect();
        if history.is_empty() {
            ui.label(RichText::new("No changes yet").italics().weak());
        }
        for line in history.iter().rev().take(8) {
            ui.label(RichText::new(*line).small());
        }
        actions
    }

    /// "Merge the chosen into …": a list of the other footprints with blocks.
    fn merge_ui(&self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let Some(active) = self.active else {
            ui.label(
                RichText::new("Choose a footprint to merge it")
                    .small()
                    .weak(),
            );
            return;
        };
        ui.menu_button("Merge the chosen into…", |ui| {
            egui::ScrollArea::vertical()
                .max_height(300.0)
                .show(ui, |ui| {
                    for (i, def) in self.scenario.footprints.iter().enumerate() {
                        let i = i as u32;
                        let has_blocks = self.scenario.totals(i).is_some_and(|t| t.blocks > 0);
                        if i != active && has_blocks && ui.button(&def.name).clicked() {
                            actions.push(Action::BuilderMerge(active, i));
                        }
                    }
                });
        });
    }

    /// One row per footprint with blocks: colour, name (choose it), people and change, 65+,
    /// most deprived, blocks, parts.
    fn table_ui(&self, ui: &mut Ui, actions: &mut Vec<Action>) {
        use egui_extras::{Column, TableBuilder};
        let rows: Vec<u32> = (0..self.scenario.footprints.len() as u32)
            .filter(|&f| self.scenario.totals(f).is_some_and(|t| t.blocks > 0))
            .collect();
        TableBuilder::new(ui)
            .striped(true)
            .max_scroll_height(320.0)
            .column(Column::initial(200.0).clip(true))
            .column(Column::auto())
            .column(Column::auto())
            .column(Column::auto())
            .column(Column::auto())
            .column(Column::auto())
            .header(20.0, |mut row| {
                for title in [
                    "Footprint",
                    "People mid-2022",
                    "Change",
                    "65+ %",
                    "Deprived %",
                    "Parts",
                ] {
                    row.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, rows.len(), |mut row| {
                    let f = rows[row.index()];
                    let (Some(def), Some(totals)) = (
                        self.scenario.footprints.get(f as usize),
                        self.scenario.totals(f),
                    ) else {
                        return;
                    };
                    let people = totals.population_mid2022();
                    let out_of_range = self.rules.population
                        && (people < self.rules.min_population
                            || self.rules.max_population.is_some_and(|m| people > m));
                    row.col(|ui| {
                        ui.horizontal(|ui| {
                            let Rgb(r, g, b) = self
                                .colours
                                .get(f as usize)
                                .copied()
                                .unwrap_or(Rgb(200, 200, 200));
                            let (rect, _) = ui
                                .allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                            ui.painter()
                                .rect_filled(rect, 2.0, Color32::from_rgb(r, g, b));
                            if ui.radio(self.active == Some(f), &def.name).clicked() {
                                actions.push(Action::BuilderActivate(f));
                            }
                        });
                    });
                    row.col(|ui| {
                        let text = RichText::new(crate::geo_util::thousands(people));
                        ui.label(if out_of_range {
                            text.color(ui.visuals().warn_fg_color)
                        } else {
                            text
                        });
                    });
                    row.col(|ui| {
                        let start = self.start_people.get(f as usize).copied().unwrap_or(0);
                        let change = people as i64 - start as i64;
                        ui.label(if change == 0 {
                            "–".to_string()
                        } else {
                            format!("{change:+}")
                        });
                    });
                    row.col(|ui| {
                        ui.label(crate::ui::people::percent(totals.share_65_plus()));
                    });
                    row.col(|ui| {
                        ui.label(crate::ui::people::percent(totals.most_deprived_share()));
                    });
                    row.col(|ui| {
                        let parts = self.scenario.shape(f).map_or(0, |s| s.parts);
                        ui.label(parts.to_string());
                    });
                });
            });
    }
}
