//! The contents of the app's panels and overlays: the details panel, the footprints list, the
//! presentation's title and card, "What's here?" and the status bar.

use super::*;

impl FootprintsApp {
    pub(super) fn details_panel_ui(&self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        if let Some(answer) = &self.search.answer {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    let colour = if answer.is_error {
                        ui.visuals().error_fg_color
                    } else {
                        ui.visuals().strong_text_color()
                    };
                    ui.add(
                        egui::Label::new(RichText::new(&answer.text).color(colour).size(15.0))
                            .wrap(),
                    );
                });
                if ui
                    .small_button("Clear")
                    .on_hover_text("Remove the pin and this message")
                    .clicked()
                {
                    actions.push(Action::ClearSearch);
                }
            });
            ui.add_space(4.0);
        }
        let Some(prepared) = self.active_prepared() else {
            return actions;
        };
        let Some(index) = self.workspace.selected() else {
            return actions;
        };
        let Some(footprint) = prepared.layer.footprints.get(index) else {
            return actions;
        };
        ui.horizontal(|ui| {
            ui.label(RichText::new(&prepared.layer.title).small());
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.small_button("×").on_hover_text("Close (Esc)").clicked() {
                    actions.push(Action::Select(None));
                }
            });
        });
        let neighbours = prepared
            .neighbours
            .get(index)
            .map(|list| {
                list.iter()
                    .filter_map(|&i| {
                        prepared
                            .layer
                            .footprints
                            .get(i)
                            .map(|f| (i, f.name.as_str()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let name_of_code = |code: &str| -> Option<String> {
            prepared
                .layer
                .footprints
                .iter()
                .find(|f| f.code == code)
                .map(|f| f.name.clone())
                .or_else(|| {
                    self.reference
                        .catalog
                        .get(code)
                        .map(|d| d.name_2016.clone())
                })
        };
        let view = DetailsView {
            facts: prepared.facts(&self.reference.catalog),
            index,
            neighbours,
            fill: prepared.fill_colour(index),
            name_of_code: &name_of_code,
            elsewhere: self.elsewhere(),
            own: self.own_fields(&footprint.code),
        };
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                actions.extend(details_ui(ui, &view));
            });
        actions
    }

    pub(super) fn list_panel_ui(&mut self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        ui.horizontal(|ui| {
            ui.heading("Footprints");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .small_button("×")
                    .on_hover_text("Close the list (Ctrl+L)")
                    .clicked()
                {
                    actions.push(Action::ToggleList);
                }
            });
        });
        let Some(prepared) = self.workspace.active() else {
            ui.label("No boundaries open.");
            return actions;
        };
        // Rows are rebuilt only when the layer, its fields, the filter or the order change.
        let key = (
            self.workspace.active_id(),
            self.workspace.generation(),
            prepared.layer.footprints.len(),
            prepared.layer.fields.clone(),
            self.view.list.clone(),
        );
        if self.view.list_rows.as_ref().is_none_or(|(k, _)| *k != key) {
            let facts = prepared.facts(&self.reference.catalog);
            let mut rows: Vec<ListRow> = prepared
                .layer
                .footprints
                .iter()
                .enumerate()
                .map(|(index, f)| {
                    let people = facts.people(index);
                    let derived = people.derived.map(|(t, _)| t);
                    ListRow {
                        index,
                        code: f.code.clone(),
                        name: f.name.clone(),
                        population: people.headline(),
                        area_km2: facts.area_km2(index),
                        lead: facts.lead(index).name().map(str::to_string),
                        aged_65: derived.and_then(|t| t.share_65_plus()),
                        most_deprived: derived.and_then(|t| t.most_deprived_share()),
                    }
                })
                .collect();
            filter_and_sort(&mut rows, &self.view.list);
            self.view.list_rows = Some((key, rows));
        }
        let total = prepared.layer.footprints.len();
        let rows = self
            .view
            .list_rows
            .as_ref()
            .map(|(_, r)| r.as_slice())
            .unwrap_or(&[]);
        let year = if prepared.statistics.is_some() {
            "mid-2022"
        } else {
            "mid-2019"
        };
        actions.extend(list_ui(
            ui,
            rows,
            total,
            &mut self.view.list,
            self.workspace.selected(),
            year,
        ));
        actions
    }

    /// The title line and the card of presentation mode, over the map.
    pub(super) fn presentation_ui(&self, ui: &mut Ui) {
        let (Some(p), Some(prepared)) = (&self.view.presenting, self.active_prepared()) else {
            return;
        };
        let title = format!(
            "{} — {}",
            prepared.layer.title,
            crate::render::date::today()
        );
        crate::ui::present::title_ui(ui, &title, self.view.dark);
        if let (Some(index), Some(step)) = (p.current(), p.step) {
            let rect = ui.max_rect();
            egui::Area::new(ui.scope_id().with("presentation_card"))
                .order(egui::Order::Foreground)
                .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-24.0, -48.0))
                .constrain_to(rect)
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style())
                        .inner_margin(18.0)
                        .show(ui, |ui| {
                            ui.set_max_width(520.0);
                            crate::ui::present::card_ui(
                                ui,
                                &prepared.facts(&self.reference.catalog),
                                index,
                                (step, p.order.len()),
                            );
                        });
                });
        }
    }

    pub(super) fn whats_here_ui(
        &self,
        ctx: &egui::Context,
        point: geo::Coord<f64>,
        at: egui::Pos2,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let mut open = true;
        let prepared = self.active_prepared();
        let footprint =
            prepared.and_then(|p| p.locator.locate(point).map(|i| (i, &p.layer.footprints[i])));
        egui::Window::new("What's here?")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_pos(at + egui::vec2(12.0, 12.0))
            .show(ctx, |ui| {
                egui::Grid::new("whats_here").num_columns(2).show(ui, |ui| {
                    ui.label("Latitude, longitude");
                    ui.label(format!("{:.5}, {:.5}", point.y, point.x));
                    ui.end_row();
                    ui.label("Grid reference");
                    let grid = crate::load::crs::wgs84_to_bng(point.x, point.y)
                        .and_then(|bng| crate::search::query::format_grid_ref(bng.x, bng.y, 5));
                    ui.label(grid.unwrap_or_else(|| "outside the National Grid".into()));
                    ui.end_row();
                    ui.label("Footprint");
                    match footprint {
                        Some((_, f)) => ui.strong(&f.name),
                        None => ui.label("not in any footprint"),
                    };
                    ui.end_row();
                });
                if let Some(gazetteer) = &self.reference.sources.places {
                    ui.separator();
                    ui.label("Nearest places");
                    for (place, km) in gazetteer.nearest(point, 3) {
                        let p = &gazetteer.places[place];
                        ui.label(format!(
                            "{} ({}) · {:.1} km",
                            p.name,
                            resolve::country_name(&p.country),
                            km
                        ));
                    }
                }
                ui.horizontal(|ui| {
                    if let Some((index, _)) = footprint
                        && ui.button("Select this footprint").clicked()
                    {
                        actions.push(Action::Select(Some(index)));
                        actions.push(Action::WhatsHere(None));
                    }
                    if ui.button("Copy coordinates").clicked() {
                        actions.push(Action::CopyText(format!("{:.5}, {:.5}", point.y, point.x)));
                    }
                });
            });
        if !open {
            actions.push(Action::WhatsHere(None));
        }
        actions
    }

    pub(super) fn status_bar_ui(&self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        ui.horizontal_wrapped(|ui| {
            for load in &self.tasks.loads {
                ui.spinner();
                let name = match &load.layer {
                    LayerRef::File(path) => path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                    LayerRef::BuiltIn(id) => id.as_str().to_string(),
                };
                ui.label(format!(
                    "Loading {name}: {}",
                    load.progress.stage().describe()
                ));
                ui.add(
                    egui::ProgressBar::new(load.progress.fraction())
                        .desired_width(120.0)
                        .show_percentage(),
                );
                if ui.button("Cancel").clicked() {
                    actions.push(Action::CancelLoads);
                }
                ui.separator();
            }
            actions.extend(self.packs_status_ui(ui));
            for (i, notice) in self.notices.as_slice().iter().enumerate().rev().take(3) {
                let colour = if notice.is_error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                ui.label(RichText::new(&notice.text).color(colour));
                if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                    actions.push(Action::DismissNotice(i));
                }
                ui.separator();
            }
            if self.tasks.loads.is_empty() && self.notices.as_slice().is_empty() {
                match self.active_layer() {
                    Some(layer) => ui.label(format!(
                        "{} · {} areas · {}",
                        layer.title,
                        layer.footprints.len(),
                        layer.crs.short()
                    )),
                    None => ui.label("No boundaries open"),
                };
            }
        });
        actions
    }
}
