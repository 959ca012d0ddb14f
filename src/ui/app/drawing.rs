//! The app's drawing: the frame's panels, the map, the list, presentation and the windows.

use super::*;

impl FootprintsApp {
    /// Draws the whole app into `ui` and applies what the user did.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let window_size = ui.max_rect().size();
        let mut actions = self.begin_frame(&ctx, ui.visuals().dark_mode);
        let presenting = self.view.presenting.is_some();
        if !self.view.fullscreen && !presenting {
            egui::Panel::top("menu").show(ui, |ui| {
                actions.extend(self.menu_bar_ui(ui));
            });
        }
        if !presenting {
            egui::Panel::bottom("status").show(ui, |ui| {
                actions.extend(self.status_bar_ui(ui));
            });
        }
        // However wide their content, the side panels leave the map room: the list at most
        // 45% of the window (its table scrolls sideways), the details a third, the builder
        // all but 320 points.
        let window_width = ui.ctx().content_rect().width();
        let list_max = (window_width * 0.45).clamp(300.0, 900.0);
        let details_max = (window_width * 0.34).clamp(260.0, 640.0);
        let builder_max = (window_width - 320.0).clamp(380.0, 900.0);
        if self.view.show_list && !self.view.fullscreen && !presenting {
            egui::Panel::left("list")
                .resizable(true)
                .default_size(520.0_f32.min(list_max))
                .size_range(300.0..=list_max)
                .show(ui, |ui| {
                    actions.extend(self.list_panel_ui(ui));
                });
        }
        if self.building.builder.is_some() && !presenting {
            let open = self.open_scenarios();
            egui::Panel::right("builder")
                .resizable(true)
                .default_size(600.0_f32.min(builder_max))
                .size_range(380.0..=builder_max)
                .show(ui, |ui| {
                    if let Some(builder) = &mut self.building.builder {
                        actions.extend(builder.ui(ui, &open));
                    }
                });
        } else if (self.workspace.selected().is_some() || self.search.answer.is_some())
            && !presenting
        {
            egui::Panel::right("details")
                .resizable(true)
                .default_size(360.0_f32.min(details_max))
                .size_range(260.0..=details_max)
                .show(ui, |ui| {
                    actions.extend(self.details_panel_ui(ui));
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| {
            actions.extend(self.map_panel_ui(ui));
            if presenting {
                self.presentation_ui(ui);
            }
        });
        self.windows_ui(&ctx, &mut actions);

        let fitted = self.view.camera.keep_fit(window_size);
        if fitted || !actions.is_empty() {
            // What the actions changed shows on the next frame.
            ctx.request_repaint();
        }
        for action in actions {
            self.run_action(&ctx, action);
        }
        // The view is remembered every few seconds, so that it survives a crash or a kill.
        let view_unsaved = self.view.camera.view.is_some_and(|v| {
            self.prefs
                .settings
                .view
                .is_none_or(|s| (s.lon, s.lat, s.zoom) != (v.centre.x, v.centre.y, v.zoom))
        });
        if view_unsaved {
            if self.prefs.view_saved_at.elapsed() > std::time::Duration::from_secs(5) {
                self.prefs.view_saved_at = std::time::Instant::now();
                self.remember_view();
            } else {
                ctx.request_repaint_after(std::time::Duration::from_secs(6));
            }
        }
        self.save_settings_if_changed();
        if !self.tasks.loads.is_empty()
            || !self.tasks.exports.is_empty()
            || !self.tasks.packs.is_empty()
        {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// What comes before drawing: finished background jobs, search suggestions, keys, dropped
    /// files and the window's title. Returns the keys' and drops' requests.
    fn begin_frame(&mut self, ctx: &egui::Context, dark: bool) -> Vec<Action> {
        if !self.view.first_frame_logged {
            self.view.first_frame_logged = true;
            log::info!(
                "first frame {:.0} ms after start",
                crate::started().elapsed().as_secs_f64() * 1000.0
            );
        }
        self.poll_loads();
        self.poll_postcodes();
        self.poll_exports();
        self.poll_packs();
        self.poll_compare();
        self.poll_statistics(ctx);
        self.poll_builder();
        self.update_suggestions();
        self.view.dark = dark;
        let mut actions = self.shortcuts(ctx);
        self.pan_with_arrows(ctx);

        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            actions.push(Action::OpenPaths(dropped));
        }

        let title = match self.active_layer() {
            Some(layer) => format!("Footprints — {}", layer.title),
            None => "Footprints".to_string(),
        };
        // The window's title as egui knows it, not a copy of our own.
        if ctx.input(|i| i.viewport().title.as_ref() != Some(&title)) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title));
        }

        actions
    }

    /// The menu bar with the search box at its right.
    fn menu_bar_ui(&mut self, ui: &mut Ui) -> Vec<Action> {
        let numeric_properties = self
            .active_prepared()
            .map(|p| p.numeric_properties.clone())
            .unwrap_or_default();
        let active = self.workspace.active_id();
        let has_layer = active.is_some() && active != self.block_layer();
        let mut state = menu_bar::MenuState {
            settings: &self.prefs.settings,
            tile_server_draft: &mut self.view.tile_server_draft,
            layers: self
                .workspace
                .iter()
                .map(|(id, l)| menu_bar::LayerRow {
                    id,
                    title: l.layer.title.clone(),
                    active: Some(id) == active,
                    visible: l.visible,
                    opacity: l.opacity,
                })
                .collect(),
            open_built_ins: self
                .workspace
                .iter()
                .filter_map(|(_, l)| match l.layer.source {
                    crate::model::LayerSource::BuiltIn(id) => Some(id),
                    _ => None,
                })
                .collect(),
            has_selection: self.workspace.selected().is_some(),
            fullscreen: self.view.fullscreen,
            show_list: self.view.show_list,
            numeric_properties,
            building: self.building.builder.is_some(),
            autosaved: self.building.shelf.autosaved_left.len(),
            has_layer,
        };
        let (menu_action, search_action) = menu_bar::menu_bar_ui(ui, &mut state, |ui| {
            search_bar_ui(ui, &mut self.search.state)
        });
        menu_action.into_iter().chain(search_action).collect()
    }

    /// The tooltip's lines for footprint `i` of the chosen layer: its people and lead as the
    /// layer's facts give them, after the user's own population figure when they gave one.
    fn hover_lines(
        prepared: &PreparedLayer,
        own_details: &[crate::own_details::OwnDetails],
        catalog: &DetailsCatalog,
        i: usize,
    ) -> Vec<String> {
        let mut lines = Vec::new();
        let code = prepared.layer.footprints.get(i).map(|f| f.code.as_str());
        if let Some(p) = code.and_then(|c| own_details.iter().rev().find_map(|d| d.population(c))) {
            lines.push(format!(
                "Population {} (your details)",
                crate::geo_util::thousands(p)
            ));
        }
        lines.extend(prepared.facts(catalog).hover_lines(i));
        lines
    }

    /// The hover highlight's mesh, kept for as long as the same footprint is hovered at the
    /// same detail (and, in the builder, the same block level: the whole unit that would move).
    fn update_hover_highlight(&mut self, on_blocks: bool) {
        let highlight = crate::ui::theme::of(self.view.dark).hover;
        let zoom = self.view.camera.zoom();
        let detail = self
            .active_prepared()
            .map(|p| p.level_index(zoom))
            .unwrap_or(0);
        let builder = self.building.builder.as_ref().filter(|_| on_blocks);
        let level = builder.map_or(crate::builder::BlockLevel::Lsoa, |b| b.level);
        let generation = self.workspace.generation();
        match (self.view.hovered, &self.view.hover_drawables) {
            (Some(h), Some((cached, cached_key, _)))
                if *cached == h && *cached_key == (generation, detail, level) => {}
            (Some(h), _) => {
                let unit = match builder {
                    Some(builder) => builder.unit_of(h).map(|u| u.blocks).unwrap_or_default(),
                    None => vec![h],
                };
                self.view.hover_drawables = self
                    .active_prepared()
                    .map(|p| p.highlight_many(&unit, zoom, highlight))
                    .map(|d| (h, (generation, detail, level), d));
            }
            (None, _) => self.view.hover_drawables = None,
        }
    }

    pub(super) fn map_panel_ui(&mut self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        let on_blocks =
            self.building.builder.is_some() && self.workspace.active_id() == self.block_layer();
        self.update_hover_highlight(on_blocks);
        let prepared = self.workspace.active();
        let (own, catalog) = (&self.reference.own_details, &self.reference.catalog);
        let builder = self.building.builder.as_ref().filter(|_| on_blocks);
        let hover_of = |i: usize| match (builder, prepared) {
            (Some(builder), _) => builder.tooltip(i).into_iter().collect(),
            (None, Some(prepared)) => Self::hover_lines(prepared, own, catalog, i),
            (None, None) => Vec::new(),
        };
        let tile_credit = self.tile_credit();
        let input = MapInput {
            layer: prepared,
            layers: self
                .workspace
                .iter()
                .map(|(_, l)| l)
                .filter(|l| l.visible)
                .collect(),
            swipe: self
                .windows
                .compare
                .as_ref()
                .filter(|c| c.swipe)
                .zip(self.workspace.compare().filter(|(a, b)| a != b))
                .and_then(|(c, (old, new))| {
                    Some((
                        self.workspace.get(old)?,
                        self.workspace.get(new)?,
                        c.divider,
                    ))
                }),
            basemap: &self.reference.basemap,
            selected: self.workspace.selected(),
            hovered: self.view.hovered,
            hover_drawables: self
                .view
                .hover_drawables
                .as_ref()
                .map_or(&[], |(_, _, d)| d.as_slice()),
            overlay_drawables: self
                .building
                .builder
                .iter()
                .flat_map(|b| b.border_drawables())
                .collect(),
            show_labels: self.prefs.settings.show_labels,
            show_places: self.prefs.settings.show_places,
            dark: self.view.dark,
            tile_credit: tile_credit.as_deref(),
            hover_of: &hover_of,
            pin: self.search.pin,
            legend: &self.view.legend,
            controls: self.view.presenting.is_none(),
            label_mode: if self.prefs.settings.show_labels {
                self.prefs.settings.label_mode
            } else {
                crate::render::style::LabelMode::None
            },
            paint: builder.and_then(|b| match b.tool {
                crate::ui::builder::Tool::Click => None,
                crate::ui::builder::Tool::Brush => {
                    Some(crate::ui::map::PaintTool::Brush(b.brush_px))
                }
                crate::ui::builder::Tool::Rectangle => Some(crate::ui::map::PaintTool::Rectangle),
            }),
        };
        let tiles: Option<&mut dyn walkers::Tiles> = match self.view.tiles.as_mut() {
            Some(t) => Some(t.as_mut()),
            None => None,
        };
        let output = map_ui(ui, &mut self.view.camera.memory, tiles, &input);
        self.view.hovered = output.hovered;
        self.view.camera.view = output.view;
        if let (Some(at), Some(state)) = (output.swipe_to, self.windows.compare.as_mut()) {
            state.divider = at;
        }
        if let Some(painted) = output.painted {
            actions.push(Action::Build(crate::ui::builder::BuildAction::Paint {
                blocks: painted.blocks,
                continuing: painted.continuing,
            }));
        }
        if let Some(clicked) = output.clicked {
            self.search.clicked_at = output.clicked_at;
            match clicked.filter(|_| on_blocks) {
                Some(block) => actions.extend(self.builder_click(ui.ctx(), block)),
                None => actions.push(Action::Select(clicked)),
            }
            actions.push(Action::WhatsHere(None));
        }
        if let Some(context) = output.context {
            actions.push(Action::WhatsHere(Some(context)));
        }
        actions.extend(output.action);
        if self.workspace.is_empty() && self.tasks.loads.is_empty() {
            let rect = ui.max_rect();
            let prompt = egui::Rect::from_center_size(rect.center(), egui::vec2(380.0, 150.0));
            ui.scope_builder(egui::UiBuilder::new().max_rect(prompt), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    actions.extend(panels::empty_prompt_ui(ui));
                });
            });
        }
        let hovering_files = ui.ctx().input(|i| !i.raw.hovered_files.is_empty());
        if hovering_files {
            let rect = ui.max_rect();
            ui.painter()
                .rect_filled(rect, 0.0, Color32::from_black_alpha(120));
            ui.painter().text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "Drop to open",
                egui::FontId::proportional(28.0),
                Color32::WHITE,
            );
        }
        actions
    }

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
            for (i, notice) in self.notices.iter().enumerate().rev().take(3) {
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
            if self.tasks.loads.is_empty() && self.notices.is_empty() {
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

    pub(super) fn windows_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let map = self.view.camera.view.map(|v| v.rect);
        if let Some(form) = &mut self.windows.export {
            let mut open = true;
            let title = if form.pack {
                "Export board pack"
            } else {
                "Export map"
            };
            crate::ui::windows::window(title, map)
                .open(&mut open)
                .collapsible(false)
                .show(ctx, |ui| {
                    actions.extend(panels::export_ui(ui, form));
                });
            if !open {
                self.windows.export = None;
            }
        }
        if let Some((point, at)) = self.search.whats_here {
            actions.extend(self.whats_here_ui(ctx, point, at));
        }
        if let Some(state) = &mut self.windows.compare {
            let layers: Vec<(LayerId, String)> = self
                .workspace
                .iter()
                .map(|(id, l)| (id, l.layer.title.clone()))
                .collect();
            let pair = self.workspace.compare();
            let mut open = true;
            crate::ui::windows::window("Compare two layers", map)
                .open(&mut open)
                .default_width(560.0)
                .show(ctx, |ui| {
                    actions.extend(crate::ui::compare::compare_ui(
                        ui,
                        state,
                        &layers,
                        pair,
                        self.tasks.comparing.is_some(),
                    ));
                });
            if !open {
                self.windows.compare = None;
            }
        }
        let layer = self.workspace.active().map(|p| &p.layer);
        actions.extend(self.windows.ui(ctx, map, layer));
    }
}
