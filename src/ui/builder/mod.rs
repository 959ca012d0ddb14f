//! The footprint builder in the app: scenarios over the LSOA 2021 blocks drawn as a layer of
//! blocks coloured by footprint with the footprints' borders over them. Here: a scenario's
//! state in the UI (colours, borders, failing rules, tool and block level) and what the user
//! can ask of it; `panel.rs` draws the side panel — one row per footprint with live totals
//! against the starting point, the tools, the rules and their settings, the history and the
//! open scenarios.

use std::path::PathBuf;

use egui::Color32;
use walkers::Drawables;

use crate::blocks::Grouping;
use crate::builder::rules::{self, Rules};
use crate::builder::{BlockLevel, Scenario};
use crate::colour::{FOOTPRINT_PALETTE, Rgb, colour_graph};
use crate::ui::map::{PreparedLayer, line_drawables};

mod panel;

pub use panel::{MERGE_WITH_LABEL, SCENARIO_NAME_LABEL};

/// Where a scenario starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuilderStart {
    Icb2026,
    SubIcb2026,
    /// The active layer's footprints: by code where a lookup knows them, else by best fit.
    ActiveLayer,
    /// No footprints yet: every block unassigned.
    Empty,
}

impl BuilderStart {
    pub fn title(self) -> &'static str {
        match self {
            BuilderStart::Icb2026 => "ICBs, April 2026",
            BuilderStart::SubIcb2026 => "Sub-ICB locations, April 2026",
            BuilderStart::ActiveLayer => "the layer shown",
            BuilderStart::Empty => "an empty map",
        }
    }

    /// The lookup it starts from, for the two of today's layers.
    pub fn grouping(self, people: &crate::blocks::Blocks) -> Option<&Grouping> {
        match self {
            BuilderStart::Icb2026 => Some(&people.icb_2026),
            BuilderStart::SubIcb2026 => Some(&people.sub_icb_2026),
            BuilderStart::ActiveLayer | BuilderStart::Empty => None,
        }
    }
}

/// How the pointer edits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tool {
    /// Click a block to give it; drag pans.
    #[default]
    Click,
    /// Drag to paint the blocks under a circle (pan with the right or middle button).
    Brush,
    /// Drag a rectangle; the blocks inside go on release.
    Rectangle,
}

/// What the user asked of the builder.
#[derive(Clone, Debug, PartialEq)]
pub enum BuildAction {
    Start(BuilderStart),
    /// Give a clicked block (and the unit it is in at the builder's level).
    Give(usize),
    /// Blocks under the brush or inside the rectangle; `continuing` a stroke already begun.
    Paint {
        blocks: Vec<usize>,
        continuing: bool,
    },
    /// Choose the footprint clicked blocks go to.
    Activate(u32),
    Undo,
    Redo,
    /// Close the scenario shown (its autosave is kept when it has unsaved changes).
    Close,
    /// A new, empty footprint, chosen.
    NewFootprint,
    /// Merge the first footprint into the second, which takes the name.
    Merge {
        from: u32,
        into: u32,
        name: String,
    },
    Rename(u32, String),
    /// Rename the scenario shown.
    RenameScenario(String),
    /// The rules or their settings changed.
    Rules(Rules),
    /// Zoom to the blocks of the n-th failing rule.
    ShowProblem(usize),
    /// Show another open scenario (by its number).
    Switch(usize),
    /// Reopen the scenarios autosaved and not saved by the user.
    RestoreAutosaved,
    /// Add the scenario as a layer, to compare and swipe with the others.
    AsLayer,
    /// Ask where to save the scenario, or which to open (a dialog, or a path typed in).
    ChooseSave,
    ChooseOpen,
    /// Export the scenario: its CSV here, the GeoJSON and the definition beside it.
    ChooseExport,
    Save(PathBuf),
    Export(PathBuf),
    Open(PathBuf),
}

/// The label of the merged footprint's name box (for screen readers and tests).
pub const MERGED_NAME_LABEL: &str = "Merged footprint name";

/// The source under which the builder's block layer sits among the app's layers.
pub const BLOCK_LAYER_ID: &str = "builder-blocks";

/// A scenario being edited.
pub struct Builder {
    pub scenario: Scenario,
    pub rules: Rules,
    /// Its autosave's name.
    pub id: String,
    /// Its place among the open scenarios (the order they were opened in).
    pub number: usize,
    /// Changed since it was opened or last saved.
    pub unsaved: bool,
    /// What a click or the brush moves.
    pub level: BlockLevel,
    pub tool: Tool,
    /// The brush's radius in screen pixels.
    pub brush_px: f32,
    /// What is typed in the panel: the chosen footprint's new name, a merged footprint's name.
    rename_draft: Option<(u32, String)>,
    /// The merge being set up: for which chosen footprint, with which, under what name.
    merge: Option<(u32, Option<u32>, String)>,
    /// The scenario's name as typed.
    scenario_name: Option<String>,
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
    /// Each footprint's councils that are partly in another footprint, as of the last edit.
    split_councils: Vec<usize>,
}

impl Builder {
    /// A builder for `scenario`, whose blocks are drawn by `blocks_layer`.
    pub fn new(
        scenario: Scenario,
        blocks_layer: &PreparedLayer,
        id: String,
        number: usize,
    ) -> Self {
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
            id,
            number,
            unsaved: false,
            level: BlockLevel::Lsoa,
            tool: Tool::Click,
            brush_px: 24.0,
            rename_draft: None,
            merge: None,
            scenario_name: None,
            active: None,
            colours,
            start_people,
            borders: Vec::new(),
            failures: Vec::new(),
            split_councils: Vec::new(),
        };
        builder.redraw_borders(&(0..n as u32).collect::<Vec<_>>());
        builder.recheck();
        builder
    }

    /// Checks the rules again (after an edit, or when they change), not every frame.
    pub fn recheck(&mut self) {
        self.failures = rules::check(&self.scenario, &self.rules);
        self.split_councils = rules::councils_split_per_footprint(&self.scenario);
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
}

impl Builder {
    /// The scenario as a layer, each footprint with its change in people from the start.
    pub fn as_layer(&self, title: &str) -> crate::model::Layer {
        let mut layer = self.scenario.to_layer(title);
        for f in &mut layer.footprints {
            let Some(i) = self
                .scenario
                .footprints
                .iter()
                .position(|d| d.code == f.code)
            else {
                continue;
            };
            let now = self
                .scenario
                .totals(i as u32)
                .map_or(0, |t| t.population_mid2022());
            let start = self.start_people.get(i).copied().unwrap_or(0);
            f.properties.insert(
                crate::builder::CHANGE_PROPERTY.into(),
                serde_json::Value::from(now as i64 - start as i64),
            );
        }
        layer
    }

    /// The rules that fail, as of the last edit.
    pub fn failures(&self) -> &[rules::Failure] {
        &self.failures
    }

    /// The blocks that move with `block` at the builder's level, and what they are called.
    pub fn unit_of(&self, block: usize) -> Option<crate::builder::Unit> {
        self.scenario.blocks().unit_of(self.level, block)
    }

    /// The tooltip over a block: the unit at the builder's level, its people and footprint.
    pub fn tooltip(&self, block: usize) -> Option<String> {
        let set = self.scenario.blocks();
        let unit = self.unit_of(block)?;
        let footprint = self
            .scenario
            .group_of()
            .get(block)
            .copied()
            .flatten()
            .and_then(|g| self.scenario.footprints.get(g as usize))
            .map_or("in no footprint", |f| f.name.as_str());
        let council = set
            .units(BlockLevel::Council2024)
            .and_then(|u| {
                u.areas
                    .get(u.of_block.get(block).copied().flatten()? as usize)
            })
            .map(|(_, name)| name.clone());
        let mut lines = vec![
            format!(
                "{} people mid-2022 ({} LSOA{})",
                crate::geo_util::thousands(set.people_of(&unit.blocks)),
                unit.blocks.len(),
                if unit.blocks.len() == 1 { "" } else { "s" }
            ),
            format!("In {footprint}"),
        ];
        if self.level != BlockLevel::Council2024
            && let Some(council) = council
        {
            lines.push(format!("Council: {council}"));
        }
        let unit = match self.level {
            BlockLevel::Lsoa => unit.label,
            level => format!("{}: {}", level.title(), unit.label),
        };
        Some(format!("{unit}\n{}", lines.join("\n")))
    }
}
