//! The app's actions: each request from a panel or a key applied to its owner, once per frame.

use super::*;

impl FootprintsApp {
    /// Applies one request to its owner: every variant is routed here, by name and without a
    /// catch-all, so a new action the router does not know is a compile error.
    pub(super) fn run_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Layer(layer_action) => self.run_layer_action(ctx, layer_action),
            Action::SetFields(fields) => self.set_fields(fields),
            Action::Build(build_action) => self.run_builder_action(ctx, build_action),
            camera @ (Action::Select(_)
            | Action::SelectAndZoom(_)
            | Action::ZoomIn
            | Action::ZoomOut
            | Action::FitAll
            | Action::ZoomToSelection) => self.run_camera_action(ctx, camera),
            file @ (Action::OpenDialog
            | Action::OpenPathPrompt
            | Action::OpenPaths(_)
            | Action::AddBuiltIn(_)
            | Action::CancelLoads
            | Action::ChooseDetails
            | Action::LoadDetails(_)
            | Action::ForgetDetails(_)) => self.run_file_action(ctx, file),
            look @ (Action::SetTheme(_)
            | Action::SetTiles(_)
            | Action::ChoosePmTiles
            | Action::ToggleLabels
            | Action::SetColourBy(_)
            | Action::SetPalette(_)
            | Action::SetLabelMode(_)
            | Action::TogglePlaces
            | Action::ToggleFullscreen) => self.run_look_action(ctx, look),
            window @ (Action::ShowAbout
            | Action::ShowShortcuts
            | Action::ShowFields
            | Action::DismissNotice(_)
            | Action::CopyText(_)
            | Action::Search(_)
            | Action::GoToPlace(_)
            | Action::FocusSearch
            | Action::ToggleList
            | Action::WhatsHere(_)
            | Action::ClearSearch
            | Action::ShowExport
            | Action::ShowExportPack
            | Action::CancelPack
            | Action::Export { .. }
            | Action::Quit) => self.run_window_action(ctx, window),
            present @ (Action::StartPresentation
            | Action::StopPresentation
            | Action::PresentNext
            | Action::PresentPrevious
            | Action::PresentOverview) => self.run_presentation_action(ctx, present),
        }
    }

    /// An action routed to a group that does not handle it: a bug in the router above, said
    /// in the log (and fatal in debug builds, so tests find it).
    fn misrouted(group: &str, action: &Action) {
        log::error!("the {group} actions were given {action:?}");
        debug_assert!(false, "the {group} actions were given {action:?}");
    }

    /// Selection and the camera: select, zoom and fit.
    fn run_camera_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Select(index) => {
                self.workspace.select(index);
                if index.is_none() {
                    self.search.answer = None;
                    self.search.pin = None;
                }
            }
            Action::SelectAndZoom(index) => {
                self.workspace.select(Some(index));
                self.run_action(ctx, Action::ZoomToSelection);
            }
            Action::ZoomIn => {
                self.view.camera.zoom_in();
            }
            Action::ZoomOut => {
                self.view.camera.zoom_out();
            }
            Action::FitAll => {
                let bbox = self
                    .active_layer()
                    .and_then(Layer::bbox)
                    .unwrap_or(england_box());
                self.view.camera.fit(bbox);
            }
            Action::ZoomToSelection => {
                let bbox = self.active_layer().and_then(|layer| {
                    self.workspace
                        .selected()
                        .and_then(|i| layer.footprints.get(i))
                        .map(|f| f.bbox)
                });
                if let Some(bbox) = bbox {
                    self.view.camera.fit(bbox);
                }
            }
            other => Self::misrouted("camera", &other),
        }
    }

    /// Files: open dialogs, loads and the user's details files.
    fn run_file_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::OpenPathPrompt => self.windows.ask_for_path(PathFor::Boundaries),
            Action::OpenDialog if !native_dialog_available() => {
                self.run_action(ctx, Action::OpenPathPrompt);
            }
            Action::OpenDialog => {
                let picked = rfd::FileDialog::new()
                    .set_title("Open boundaries")
                    .add_filter("GeoJSON", &["geojson", "json"])
                    .add_filter("All files", &["*"])
                    .pick_files();
                if let Some(paths) = picked {
                    self.run_action(ctx, Action::OpenPaths(paths));
                }
            }
            Action::OpenPaths(paths) => {
                for path in paths {
                    self.start_load(ctx, LayerRef::File(path), true);
                }
            }
            Action::AddBuiltIn(id) => self.start_load(ctx, LayerRef::BuiltIn(id), false),
            Action::CancelLoads => {
                // The loads stop at their next step in the background; the map stays as it was.
                for load in self.tasks.loads.drain(..) {
                    load.progress.cancel();
                    self.prefs.settings.open_files.retain(|l| l != &load.layer);
                    self.notices.info(format!(
                        "Cancelled loading {}; the map is unchanged",
                        load.layer.describe()
                    ));
                }
            }
            Action::ChooseDetails if !native_dialog_available() => {
                self.windows.ask_for_path(PathFor::Details);
            }
            Action::ChooseDetails => {
                if let Some(path) = rfd::FileDialog::new()
                    .set_title("Load your details")
                    .add_filter("CSV or JSON", &["csv", "json"])
                    .add_filter("All files", &["*"])
                    .pick_file()
                {
                    self.load_details(&path);
                }
            }
            Action::LoadDetails(path) => self.load_details(&path),
            Action::ForgetDetails(path) => {
                self.reference.own_details.retain(|d| d.path != path);
                self.prefs.settings.details_files.retain(|p| p != &path);
            }
            other => Self::misrouted("file", &other),
        }
    }

    /// How the map looks: theme, background, colours, labels, full screen.
    fn run_look_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::SetTheme(theme) => {
                self.prefs.settings.theme = theme;
                self.apply_theme(ctx);
            }
            Action::SetTiles(tiles) => {
                self.prefs.settings.tiles = tiles;
                self.make_tiles(ctx);
            }
            Action::ChoosePmTiles => {
                if let Some(path) = rfd::FileDialog::new()
                    .set_title("Choose a PMTiles basemap")
                    .add_filter("PMTiles", &["pmtiles"])
                    .pick_file()
                {
                    self.run_action(ctx, Action::SetTiles(TileChoice::PmTiles(path)));
                }
            }
            Action::ToggleLabels => {
                self.prefs.settings.show_labels = !self.prefs.settings.show_labels
            }
            Action::SetColourBy(by) => {
                self.prefs.settings.colour_by = by;
                self.apply_style();
            }
            Action::SetPalette(palette) => {
                self.prefs.settings.palette = palette;
                self.apply_style();
            }
            Action::SetLabelMode(mode) => {
                self.prefs.settings.label_mode = mode;
                self.prefs.settings.show_labels = mode != crate::render::style::LabelMode::None;
            }
            Action::TogglePlaces => {
                self.prefs.settings.show_places = !self.prefs.settings.show_places
            }
            Action::ToggleFullscreen => {
                self.view.fullscreen = !self.view.fullscreen;
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.view.fullscreen));
            }
            other => Self::misrouted("look", &other),
        }
    }

    /// Search, windows, notices and export.
    fn run_window_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Search(text) => self.search(&text),
            Action::GoToPlace(place) => self.go_to_place(place),
            Action::FocusSearch => self.search.state.request_focus = true,
            Action::ClearSearch => {
                self.search.pin = None;
                self.search.answer = None;
                self.search.state.show_choices = false;
            }
            Action::ToggleList => self.view.show_list = !self.view.show_list,
            Action::WhatsHere(point) => self.search.whats_here = point,
            Action::ShowAbout => self.windows.about = true,
            Action::ShowShortcuts => self.windows.shortcuts = true,
            Action::ShowFields => self.windows.fields = true,
            Action::DismissNotice(i) => self.notices.remove(i),
            Action::CopyText(text) => ctx.copy_text(text),
            Action::ShowExport | Action::ShowExportPack => {
                let pack = action == Action::ShowExportPack;
                if self.windows.export.as_ref().is_none_or(|f| f.pack != pack) {
                    let folder = directories::UserDirs::new().map(|d| {
                        d.document_dir()
                            .map(Path::to_path_buf)
                            .unwrap_or_else(|| d.home_dir().to_path_buf())
                    });
                    let name = if pack {
                        "footprints-board-pack.pdf"
                    } else {
                        "footprints-map.png"
                    };
                    let title = self
                        .active_layer()
                        .map(|l| l.title.clone())
                        .unwrap_or_default();
                    self.windows.export = Some(panels::ExportForm {
                        path: folder.unwrap_or_default().join(name).display().to_string(),
                        title: if pack {
                            format!("{title}: board pack")
                        } else {
                            title
                        },
                        size: 0,
                        confirm_replace: false,
                        pack,
                        regions: String::new(),
                    });
                }
            }
            Action::CancelPack => {
                for (progress, _) in &self.tasks.packs {
                    progress.cancel();
                }
            }
            Action::Export { replace } => match &self.windows.export {
                Some(form) if form.pack => self.start_pack(ctx, replace),
                _ => self.start_export(ctx, replace),
            },
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            other => Self::misrouted("window", &other),
        }
    }

    /// Presentation mode: start, stop and step.
    fn run_presentation_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::StartPresentation => {
                if self.view.presenting.is_none()
                    && let Some(prepared) = self.active_prepared()
                {
                    let order = crate::ui::present::presentation_order(
                        &prepared.facts(&self.reference.catalog),
                    );
                    self.view.presenting = Some(crate::ui::present::Presentation {
                        order,
                        step: None,
                        zoom_factor_before: ctx.zoom_factor(),
                    });
                    ctx.set_zoom_factor(1.25);
                    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
                    self.workspace.select(None);
                    self.search.whats_here = None;
                    self.run_action(ctx, Action::FitAll);
                }
            }
            Action::StopPresentation => {
                if let Some(p) = self.view.presenting.take() {
                    ctx.set_zoom_factor(p.zoom_factor_before);
                    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.view.fullscreen));
                }
            }
            Action::PresentNext | Action::PresentPrevious | Action::PresentOverview => {
                let Some(p) = &mut self.view.presenting else {
                    return;
                };
                match action {
                    Action::PresentNext => p.next(),
                    Action::PresentPrevious => p.previous(),
                    _ => p.step = None,
                }
                match p.current() {
                    Some(index) => {
                        self.workspace.select(Some(index));
                        let bbox = self
                            .active_layer()
                            .and_then(|l| l.footprints.get(index))
                            .map(|f| f.bbox);
                        if let Some(bbox) = bbox {
                            self.view.camera.fit_beside_card(bbox);
                        }
                    }
                    None => {
                        self.workspace.select(None);
                        self.run_action(ctx, Action::FitAll);
                    }
                }
            }
            other => Self::misrouted("presentation", &other),
        }
    }

    pub(super) fn shortcuts(&self, ctx: &egui::Context) -> Vec<Action> {
        crate::ui::keymap::pressed(ctx, self.view.presenting.is_some())
    }

    pub(super) fn pan_with_arrows(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() || self.view.presenting.is_some() {
            return;
        }
        let step = 80.0;
        let delta = ctx.input(|i| {
            let mut d = egui::Vec2::ZERO;
            if i.key_pressed(Key::ArrowLeft) {
                d.x -= step;
            }
            if i.key_pressed(Key::ArrowRight) {
                d.x += step;
            }
            if i.key_pressed(Key::ArrowUp) {
                d.y -= step;
            }
            if i.key_pressed(Key::ArrowDown) {
                d.y += step;
            }
            d
        });
        if delta != egui::Vec2::ZERO {
            self.view.camera.pan_by(delta);
        }
    }

    pub(super) fn save_settings_if_changed(&mut self) {
        if self.prefs.settings == self.prefs.saved {
            return;
        }
        // Written in the background; a write that fails is said at the next frame.
        if let Some(path) = &self.prefs.path {
            self.prefs
                .writer
                .write(path, settings::to_json(&self.prefs.settings));
        }
        self.prefs.saved = self.prefs.settings.clone();
    }

    /// Remembers the current view in the settings and waits until they are written (on exit,
    /// and in tests).
    pub fn remember_view(&mut self) {
        self.keep_view();
        self.prefs.writer.flush();
    }

    /// Puts the current view in the settings, written in the background.
    pub(super) fn keep_view(&mut self) {
        if let Some(view) = self.view.camera.view {
            self.prefs.settings.view = Some(settings::SavedView {
                lon: view.centre.x,
                lat: view.centre.y,
                zoom: view.zoom,
            });
        }
        self.save_settings_if_changed();
    }
}
