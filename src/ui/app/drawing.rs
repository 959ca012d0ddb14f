//! The app's drawing: the frame's layout, the menu bar, the map and the windows (the panels'
//! contents are in `panels.rs`).

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
                self.keep_view();
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
        if let Some(failure) = self.prefs.writer.take_failure() {
            self.notices.error(failure);
        }
        self.poll_loads();
        if !self.search.state.text.trim().is_empty() {
            self.want_postcodes(ctx);
        }
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
            swipe: swipe_layers(&self.workspace, self.windows.compare.as_ref()),
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
            paint: builder.and_then(paint_tool),
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
            actions.extend(empty_prompt_over_map(ui));
        }
        drop_hint_over_map(ui);
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
        let layer = self.workspace.active().map(|p| p.layer.as_ref());
        actions.extend(self.windows.ui(ctx, map, layer));
    }
}

/// The swiped (older, newer) layers and the divider, while the compare window swipes.
fn swipe_layers<'a>(
    workspace: &'a Workspace<PreparedLayer>,
    compare: Option<&crate::ui::compare::CompareState>,
) -> Option<(&'a PreparedLayer, &'a PreparedLayer, f32)> {
    let divider = compare.filter(|c| c.swipe)?.divider;
    let (old, new) = workspace.compare().filter(|(a, b)| a != b)?;
    Some((workspace.get(old)?, workspace.get(new)?, divider))
}

/// What the builder's tool paints with, if it paints (a click selects).
fn paint_tool(builder: &crate::ui::builder::Builder) -> Option<crate::ui::map::PaintTool> {
    match builder.tool {
        crate::ui::builder::Tool::Click => None,
        crate::ui::builder::Tool::Brush => Some(crate::ui::map::PaintTool::Brush(builder.brush_px)),
        crate::ui::builder::Tool::Rectangle => Some(crate::ui::map::PaintTool::Rectangle),
    }
}

/// The "Open boundaries…" prompt in the middle of a map with no layer.
fn empty_prompt_over_map(ui: &mut Ui) -> Option<Action> {
    let rect = ui.max_rect();
    let prompt = egui::Rect::from_center_size(rect.center(), egui::vec2(380.0, 150.0));
    ui.scope_builder(egui::UiBuilder::new().max_rect(prompt), |ui| {
        egui::Frame::popup(ui.style())
            .show(ui, panels::empty_prompt_ui)
            .inner
    })
    .inner
}

/// The map dimmed, saying "Drop to open", while files are dragged over the window.
fn drop_hint_over_map(ui: &Ui) {
    if ui.ctx().input(|i| i.raw.hovered_files.is_empty()) {
        return;
    }
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
