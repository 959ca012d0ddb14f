//! The builder's side panel: the open scenarios, the tools and block level, the footprints'
//! table with live totals, rename and merge, the rules with their settings and failures (click
//! one to zoom to it), and the history.

use egui::{Color32, RichText, Ui};

use super::{BuildAction, Builder, Tool};
use crate::builder::BlockLevel;
use crate::builder::rules::Rules;
use crate::colour::Rgb;
use crate::ui::Action;

/// The label of the scenario's name box (for screen readers and tests).
pub const SCENARIO_NAME_LABEL: &str = "Scenario name";

/// The label of the merge's footprint list (for screen readers and tests).
pub const MERGE_WITH_LABEL: &str = "Footprint to merge with";

impl Builder {
    /// The side panel; `open` lists every open scenario (number, name, unsaved). Returns what
    /// the user asked for.
    pub fn ui(&mut self, ui: &mut Ui, open: &[(usize, String, bool)]) -> Vec<Action> {
        let mut actions = Vec::new();
        let mut ask = |a: BuildAction| actions.push(Action::Build(a));
        self.scenarios_ui(ui, open, &mut ask);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(self.scenario.can_undo(), egui::Button::new("Undo"))
                .clicked()
            {
                ask(BuildAction::Undo);
            }
            if ui
                .add_enabled(self.scenario.can_redo(), egui::Button::new("Redo"))
                .clicked()
            {
                ask(BuildAction::Redo);
            }
            if ui
                .button("Close scenario")
                .on_hover_text("Unsaved changes stay in the autosave, to reopen from Build")
                .clicked()
            {
                ask(BuildAction::Close);
            }
            if ui
                .button("Show as layer")
                .on_hover_text("Add the scenario as a layer, to compare or swipe with any other")
                .clicked()
            {
                ask(BuildAction::AsLayer);
            }
        });
        self.tools_ui(ui);
        ui.separator();
        self.footprint_ui(ui, &mut ask);
        self.table_ui(ui, &mut ask);
        ui.separator();
        self.rules_ui(ui, &mut ask);
        ui.separator();
        ui.strong("History");
        let history: Vec<&str> = self.scenario.history().collect();
        if history.is_empty() {
            ui.label(RichText::new("No changes yet").italics().weak());
        }
        egui::ScrollArea::vertical()
            .id_salt("history")
            .max_height(140.0)
            .show(ui, |ui| {
                for line in history.iter().rev() {
                    ui.label(RichText::new(*line).small());
                }
            });
        actions
    }

    /// The open scenarios, one button each, the shown one marked; the shown one's name.
    fn scenarios_ui(
        &mut self,
        ui: &mut Ui,
        open: &[(usize, String, bool)],
        ask: &mut impl FnMut(BuildAction),
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Scenarios:");
            for (number, name, unsaved) in open {
                let text = if *unsaved {
                    format!("{name} *")
                } else {
                    name.clone()
                };
                if ui
                    .selectable_label(*number == self.number, text)
                    .on_hover_text("* unsaved changes (autosaved)")
                    .clicked()
                    && *number != self.number
                {
                    ask(BuildAction::Switch(*number));
                }
            }
        });
        ui.horizontal(|ui| {
            ui.label("Name:");
            let name = self
                .scenario_name
                .get_or_insert_with(|| self.scenario.name.clone());
            let response = ui.add(egui::TextEdit::singleline(name).desired_width(260.0));
            ui.ctx()
                .accesskit_node_builder(response.id, |node| node.set_label(SCENARIO_NAME_LABEL));
            let typed = name.trim().to_string();
            if response.lost_focus() {
                if !typed.is_empty() && typed != self.scenario.name {
                    ask(BuildAction::RenameScenario(typed));
                }
                self.scenario_name = None;
            }
        });
    }

    /// The tool (click, brush and its size, rectangle) and the block level.
    fn tools_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            ui.label("Tool:");
            ui.selectable_value(&mut self.tool, Tool::Click, "Click")
                .on_hover_text("Click a block to give it; drag to pan");
            ui.selectable_value(&mut self.tool, Tool::Brush, "Brush")
                .on_hover_text("Drag to paint; pan with the right or middle button");
            ui.selectable_value(&mut self.tool, Tool::Rectangle, "Rectangle")
                .on_hover_text("Drag a rectangle: the blocks inside go to the chosen footprint");
            if self.tool == Tool::Brush {
                ui.add(
                    egui::Slider::new(&mut self.brush_px, 4.0..=120.0)
                        .suffix(" px")
                        .text("size"),
                );
            }
        });
        ui.horizontal(|ui| {
            ui.label("Blocks:");
            for level in BlockLevel::ALL {
                ui.selectable_value(&mut self.level, level, level.title())
                    .on_hover_text(match level {
                        BlockLevel::Lsoa => "One LSOA at a time (to split a council)",
                        _ => "The whole area moves, as its LSOAs",
                    });
            }
        });
    }

    /// The chosen footprint: rename it, merge it into another under a name, or start a new one.
    fn footprint_ui(&mut self, ui: &mut Ui, ask: &mut impl FnMut(BuildAction)) {
        let chosen = self
            .active
            .and_then(|f| Some((f, self.scenario.footprints.get(f as usize)?.name.clone())));
        ui.horizontal(|ui| {
            match &chosen {
                Some((_, name)) => ui.label(format!("Clicked blocks go to: {name}")),
                None => ui.label("Clicked blocks go to: none yet (choose a row, or Alt+click)"),
            };
            if ui
                .button("New footprint")
                .on_hover_text("An empty footprint, chosen, ready for blocks")
                .clicked()
            {
                ask(BuildAction::NewFootprint);
            }
        });
        let Some((active, name)) = chosen else {
            return;
        };
        ui.horizontal(|ui| {
            let draft = match &mut self.rename_draft {
                Some((f, text)) if *f == active => text,
                slot => &mut slot.insert((active, name.clone())).1,
            };
            let edit = ui.add(
                egui::TextEdit::singleline(draft)
                    .desired_width(220.0)
                    .hint_text("Name"),
            );
            let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let changed = draft.trim() != name && !draft.trim().is_empty();
            if (ui
                .add_enabled(changed, egui::Button::new("Rename"))
                .clicked()
                || entered)
                && changed
            {
                ask(BuildAction::Rename(active, draft.trim().to_string()));
            }
        });
        self.merge_ui(ui, active, ask);
    }

    /// "Merge with [footprint] as [name] [Merge]": the chosen footprint and another become one,
    /// under the name typed (the other's name when none is).
    fn merge_ui(&mut self, ui: &mut Ui, active: u32, ask: &mut impl FnMut(BuildAction)) {
        if self.merge.as_ref().is_some_and(|m| m.0 != active) {
            self.merge = None;
        }
        let (_, target, name) = self.merge.get_or_insert((active, None, String::new()));
        let footprints = &self.scenario.footprints;
        let mut targets: Vec<(u32, &str)> = (0u32..)
            .zip(footprints)
            .filter(|(i, _)| *i != active && self.scenario.totals(*i).is_some_and(|t| t.blocks > 0))
            .map(|(i, def)| (i, def.name.as_str()))
            .collect();
        targets.sort_by(|a, b| a.1.cmp(b.1));
        let mut merged = false;
        ui.horizontal(|ui| {
            ui.label("Merge with");
            let shown = target
                .and_then(|t| footprints.get(t as usize))
                .map_or("choose…", |f| f.name.as_str());
            let combo = egui::ComboBox::from_id_salt(MERGE_WITH_LABEL)
                .selected_text(shown)
                .width(200.0)
                .show_ui(ui, |ui| {
                    for (i, target_name) in &targets {
                        ui.selectable_value(target, Some(*i), *target_name);
                    }
                });
            ui.ctx()
                .accesskit_node_builder(combo.response.id, |node| node.set_label(MERGE_WITH_LABEL));
            ui.label("as");
            let response = ui.add(
                egui::TextEdit::singleline(name)
                    .desired_width(160.0)
                    .hint_text("name (else the other's)"),
            );
            ui.ctx().accesskit_node_builder(response.id, |node| {
                node.set_label(super::MERGED_NAME_LABEL)
            });
            if ui
                .add_enabled(target.is_some(), egui::Button::new("Merge"))
                .clicked()
                && let Some(into) = *target
            {
                let typed = name.trim();
                let name = match typed.is_empty() {
                    true => footprints
                        .get(into as usize)
                        .map(|f| f.name.clone())
                        .unwrap_or_default(),
                    false => typed.to_string(),
                };
                ask(BuildAction::Merge {
                    from: active,
                    into,
                    name,
                });
                merged = true;
            }
        });
        if merged {
            self.merge = None;
        }
    }

    /// The rules: each switchable, the population range editable, the failures listed (click
    /// one to zoom to it; a footprint in pieces can be accepted as it is).
    fn rules_ui(&self, ui: &mut Ui, ask: &mut impl FnMut(BuildAction)) {
        let failures = self.failures();
        ui.strong(format!("Rules: {} failing", failures.len()));
        let mut rules: Rules = self.rules.clone();
        ui.horizontal(|ui| {
            ui.checkbox(&mut rules.population, "People at least");
            ui.add_enabled(
                rules.population,
                egui::DragValue::new(&mut rules.min_population)
                    .speed(10_000.0)
                    .range(0..=100_000_000u64),
            );
            let mut capped = rules.max_population.is_some();
            ui.add_enabled(
                rules.population,
                egui::Checkbox::new(&mut capped, "at most"),
            );
            let mut max = rules.max_population.unwrap_or(3_000_000);
            ui.add_enabled(
                rules.population && capped,
                egui::DragValue::new(&mut max)
                    .speed(10_000.0)
                    .range(0..=100_000_000u64),
            );
            rules.max_population = capped.then_some(max);
        });
        ui.horizontal(|ui| {
            ui.checkbox(&mut rules.one_piece, "One piece");
            ui.checkbox(&mut rules.councils_whole, "Councils whole");
            ui.checkbox(&mut rules.every_block, "Every block in one");
        });
        if !rules.accepted_pieces.is_empty()
            && ui
                .small_button(format!(
                    "Stop accepting islands ({})",
                    rules.accepted_pieces.len()
                ))
                .clicked()
        {
            rules.accepted_pieces.clear();
        }
        egui::ScrollArea::vertical()
            .id_salt("rules")
            .max_height(160.0)
            .show(ui, |ui| {
                for (i, failure) in failures.iter().enumerate() {
                    ui.horizontal(|ui| {
                        let text = RichText::new(&failure.message)
                            .small()
                            .color(ui.visuals().warn_fg_color);
                        if ui
                            .add(egui::Button::new(text).frame(false))
                            .on_hover_text("Zoom to it")
                            .clicked()
                        {
                            ask(BuildAction::ShowProblem(i));
                        }
                        if failure.rule == "one_piece"
                            && let Some(code) = &failure.code
                            && ui
                                .small_button("Accept")
                                .on_hover_text("Its islands really are islands")
                                .clicked()
                        {
                            rules.accepted_pieces.insert(code.clone());
                        }
                    });
                }
            });
        if rules != self.rules {
            ask(BuildAction::Rules(rules));
        }
    }

    /// One row per footprint with blocks: colour, name (choose it), people and change, 65+,
    /// most deprived, blocks, parts.
    fn table_ui(&self, ui: &mut Ui, ask: &mut impl FnMut(BuildAction)) {
        use egui_extras::{Column, TableBuilder};
        let rows: Vec<u32> = (0..self.scenario.footprints.len() as u32)
            .filter(|&f| self.scenario.totals(f).is_some_and(|t| t.blocks > 0))
            .collect();
        TableBuilder::new(ui)
            .striped(true)
            .max_scroll_height(300.0)
            .column(Column::initial(200.0).clip(true))
            .columns(Column::auto(), 7)
            .header(20.0, |mut row| {
                for title in [
                    "Footprint",
                    "People mid-2022",
                    "Change",
                    "65+ %",
                    "Deprived %",
                    "Blocks",
                    "Parts",
                    "Councils split",
                ] {
                    row.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, rows.len(), |mut row| {
                    if let Some(&f) = rows.get(row.index()) {
                        self.table_row_ui(&mut row, f, ask);
                    }
                });
            });
    }

    /// The table's row of footprint `f`.
    fn table_row_ui(
        &self,
        row: &mut egui_extras::TableRow,
        f: u32,
        ask: &mut impl FnMut(BuildAction),
    ) {
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
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                ui.painter()
                    .rect_filled(rect, 2.0, Color32::from_rgb(r, g, b));
                if ui.radio(self.active == Some(f), &def.name).clicked() {
                    ask(BuildAction::Activate(f));
                }
            });
        });
        row.col(|ui| {
            let text = RichText::new(crate::geo_util::thousands(people));
            ui.label(if out_of_range {
                text.color(ui.visuals().warn_fg_color)
            } else {
                text
            })
            .on_hover_text(if out_of_range {
                "Outside the rules' population range"
            } else {
                "Within the rules' population range"
            });
        });
        row.col(|ui| {
            let start = self.start_people.get(f as usize).copied().unwrap_or(0);
            let change = people as i64 - start as i64;
            ui.label(if change == 0 {
                "–".to_string()
            } else {
                crate::geo_util::signed_thousands(change)
            });
        });
        row.col(|ui| {
            ui.label(crate::ui::people::percent(totals.share_65_plus()));
        });
        row.col(|ui| {
            ui.label(crate::ui::people::percent(totals.most_deprived_share()));
        });
        row.col(|ui| {
            ui.label(totals.blocks.to_string());
        });
        row.col(|ui| {
            let parts = self.scenario.shape(f).map_or(0, |s| s.parts);
            ui.label(parts.to_string());
        });
        row.col(|ui| {
            let split = self.split_councils.get(f as usize).copied().unwrap_or(0);
            ui.label(if split == 0 {
                "–".to_string()
            } else {
                split.to_string()
            });
        });
    }
}
