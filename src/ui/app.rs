//! The application: owns layers, selection, camera and settings, shows the panels and applies
//! what they ask for once per frame.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Color32, Key, RichText, Ui};
use walkers::{Drawables, MapMemory, lon_lat};

use crate::details::DetailsCatalog;
use crate::load::{self, Progress};
use crate::model::Layer;
use crate::render::labels::short_labels;
use crate::search::postcodes::PostcodeIndex;
use crate::search::resolve::{self, Found, Resolution, Sources};
use crate::settings::{self, Settings, ThemeChoice, TileChoice};
use crate::ui::Action;
use crate::ui::details::{DetailsView, details_ui};
use crate::ui::job::{Job, Polled};
use crate::ui::list::{ListRow, ListState, filter_and_sort, list_ui};
use crate::ui::map::{MapInput, MapView, PreparedBasemap, PreparedLayer, map_ui};
use crate::ui::panels;
use crate::ui::search::{SearchState, search_bar_ui};
use crate::ui::windows::{PathFor, Windows};

/// A message for the user in the status bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

struct PendingLoad {
    path: PathBuf,
    /// Frame the layer when it arrives.
    fit: bool,
    progress: Arc<Progress>,
    job: Job<Result<PreparedLayer, String>>,
}

/// How the app starts.
#[derive(Clone, Debug, Default)]
pub struct Startup {
    /// Files given on the command line.
    pub paths: Vec<PathBuf>,
    /// Where settings live; `None` keeps them in memory only (tests).
    pub settings_path: Option<PathBuf>,
}

pub struct FootprintsApp {
    layers: Vec<PreparedLayer>,
    active: Option<usize>,
    catalog: Arc<DetailsCatalog>,
    basemap: PreparedBasemap,
    memory: MapMemory,
    selected: Option<usize>,
    hovered: Option<usize>,
    /// The hover highlight: footprint, the level of detail it was made for, its mesh.
    hover_drawables: Option<(usize, usize, Drawables)>,
    settings: Settings,
    settings_path: Option<PathBuf>,
    saved_settings: Settings,
    loads: Vec<PendingLoad>,
    notices: Vec<Notice>,
    tiles: Option<Box<dyn walkers::Tiles>>,
    /// About, shortcuts, fields and the path prompt.
    windows: Windows,
    fullscreen: bool,
    view: Option<MapView>,
    /// Keeps a lon/lat box framed until the user moves the map (refits when the window resizes).
    auto_fit: Option<AutoFit>,
    window_title: String,
    dark: bool,
    /// Gazetteers for the search box (postcodes arrive from a background thread).
    sources: Sources,
    postcodes_loading: Option<Job<Result<PostcodeIndex, String>>>,
    search: SearchState,
    /// A postcode search made before the postcode list finished loading; run once it has.
    pending_search: Option<String>,
    /// The pin of the last search.
    pin: Option<geo::Coord<f64>>,
    /// "B15 2TT is in Birmingham and Solihull", or why a search failed.
    answer: Option<Notice>,
    /// The right-clicked point and where its window goes.
    whats_here: Option<(geo::Coord<f64>, egui::Pos2)>,
    show_list: bool,
    list: ListState,
    /// The list's rows and what they were made for.
    list_rows: Option<(ListKey, Vec<ListRow>)>,
    first_frame_logged: bool,
    /// The export window's form, while it is open.
    export: Option<panels::ExportForm>,
    /// Exports being written in the background.
    exports: Vec<Job<Result<PathBuf, String>>>,
    /// The basemap's geometry, for exports.
    basemap_geometry: Arc<crate::basemap::Basemap>,
    /// Presentation mode, while on.
    presenting: Option<crate::ui::present::Presentation>,
    /// The legend of the active layer's colouring.
    legend: crate::render::style::Legend,
    /// The user's own details files, as loaded.
    own_details: Vec<crate::own_details::OwnDetails>,
    /// When the view was last written to the settings file.
    view_saved_at: std::time::Instant,
    /// The tile server address being typed in View → Background map.
    tile_server_draft: String,
    /// Where the map was last clicked, for what is there in the other layers.
    clicked_at: Option<geo::Coord<f64>>,
    /// The compare window, while it is open.
    compare: Option<crate::ui::compare::CompareState>,
    /// A comparison being worked out in the background: the layers' titles and the result.
    comparing: Option<Job<((String, String), crate::compare::Comparison)>>,
}

impl FootprintsApp {
    pub fn new(ctx: &egui::Context, startup: Startup) -> Self {
        log::info!(
            "creating the app {:.0} ms after start",
            crate::started().elapsed().as_secs_f64() * 1000.0
        );
        let (settings, settings_notice) = match &startup.settings_path {
            Some(path) => settings::load(path),
            None => (Settings::default(), None),
        };
        let mut notices: Vec<Notice> = settings_notice
            .into_iter()
            .map(|text| Notice {
                text,
                is_error: true,
            })
            .collect();

        // The built-in footprints and the basemap are made ready side by side.
        let (default_layer, (basemap_geometry, basemap)) = std::thread::scope(|scope| {
            let basemap = scope.spawn(|| {
                let geometry = Arc::new(crate::basemap::Basemap::embedded());
                let prepared = PreparedBasemap::new(&geometry);
                log::info!(
                    "basemap ready {:.0} ms after start",
                    crate::started().elapsed().as_secs_f64() * 1000.0
                );
                (geometry, prepared)
            });
            let layer = crate::defaults::default_footprints().map(|found| {
                found.map(|(layer, catalog)| {
                    let labels = short_labels(&layer, &catalog);
                    (PreparedLayer::new(layer, labels), catalog)
                })
            });
            log::info!(
                "default layer ready {:.0} ms after start",
                crate::started().elapsed().as_secs_f64() * 1000.0
            );
            match basemap.join() {
                Ok(basemap) => (layer, basemap),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        });
        let (layers, catalog) = match default_layer {
            Ok(Some((prepared, catalog))) => (vec![prepared], catalog),
            Ok(None) => (Vec::new(), DetailsCatalog::default()),
            Err(e) => {
                notices.push(Notice {
                    text: format!("The built-in footprints could not be read: {e:#}"),
                    is_error: true,
                });
                (Vec::new(), DetailsCatalog::default())
            }
        };
        let active = (!layers.is_empty()).then_some(0);
        let mut memory = MapMemory::default();
        let auto_fit = match settings.view {
            Some(view) => {
                memory.center_at(lon_lat(view.lon, view.lat));
                let _ = memory.set_zoom(view.zoom.clamp(2.0, 19.0));
                None
            }
            None => {
                memory.center_at(lon_lat(-1.5, 52.8));
                let _ = memory.set_zoom(6.0);
                Some(AutoFit::new(england_box()))
            }
        };
        let mut app = Self {
            layers,
            active,
            catalog: Arc::new(catalog),
            basemap,
            memory,
            selected: None,
            hovered: None,
            hover_drawables: None,
            saved_settings: settings.clone(),
            settings,
            settings_path: startup.settings_path,
            loads: Vec::new(),
            notices,
            tiles: None,
            windows: Windows::default(),
            fullscreen: false,
            view: None,
            auto_fit,
            window_title: String::new(),
            dark: ctx.global_style().visuals.dark_mode,
            view_saved_at: std::time::Instant::now(),
            tile_server_draft: String::new(),
            clicked_at: None,
            compare: None,
            comparing: None,
            own_details: Vec::new(),
            sources: embedded_sources(),
            postcodes_loading: load_postcodes_in_background(ctx),
            search: SearchState::default(),
            pending_search: None,
            pin: None,
            answer: None,
            whats_here: None,
            show_list: false,
            list: ListState::default(),
            list_rows: None,
            first_frame_logged: false,
            legend: Default::default(),
            presenting: None,
            export: None,
            exports: Vec::new(),
            basemap_geometry,
        };
        if let TileChoice::Server(template) = &app.settings.tiles {
            app.tile_server_draft = template.clone();
        }
        for path in app.settings.details_files.clone() {
            app.load_details(&path);
        }
        app.apply_theme(ctx);
        app.make_tiles(ctx);
        app.apply_style();
        // Files named on the command line are shown; files reopened from the last run keep
        // the view the user left (unless there is none).
        let (reopen, fit) = if startup.paths.is_empty() {
            (app.settings.open_files.clone(), app.settings.view.is_none())
        } else {
            (startup.paths, true)
        };
        for path in reopen {
            app.start_load(ctx, path, fit);
        }
        app
    }

    // ----- accessors used by tests -----

    pub fn active_layer(&self) -> Option<&Layer> {
        self.active
            .and_then(|i| self.layers.get(i))
            .map(|p| &p.layer)
    }

    pub fn selected_code(&self) -> Option<&str> {
        let layer = self.active_layer()?;
        self.selected
            .and_then(|i| layer.footprints.get(i))
            .map(|f| f.code.as_str())
    }

    /// The map's view as of the last frame.
    pub fn map_view(&self) -> Option<MapView> {
        self.view
    }

    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// Where the compare window's swipe divider is, while it swipes.
    pub fn swipe_divider(&self) -> Option<f32> {
        self.compare.as_ref().filter(|c| c.swipe).map(|c| c.divider)
    }

    pub fn is_loading(&self) -> bool {
        !self.loads.is_empty()
    }

    pub fn layer_titles(&self) -> Vec<String> {
        self.layers.iter().map(|l| l.layer.title.clone()).collect()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Whether an export is still being written.
    pub fn is_exporting(&self) -> bool {
        !self.exports.is_empty()
    }

    /// Whether presentation mode is on.
    pub fn is_presenting(&self) -> bool {
        self.presenting.is_some()
    }

    /// Whether the postcode list has finished loading.
    pub fn postcodes_ready(&self) -> bool {
        self.sources.postcodes.is_some()
    }

    /// The message of the last search.
    pub fn answer(&self) -> Option<&Notice> {
        self.answer.as_ref()
    }

    // ----- search -----

    fn poll_postcodes(&mut self) {
        let Some(job) = &self.postcodes_loading else {
            return;
        };
        match job.poll() {
            Polled::Done(Ok(index)) => {
                self.sources.postcodes = Some(index);
                self.postcodes_loading = None;
                if let Some(text) = self.pending_search.take() {
                    self.search(&text);
                }
            }
            Polled::Done(Err(message)) => {
                self.notices.push(Notice {
                    text: message,
                    is_error: true,
                });
                self.postcodes_loading = None;
            }
            Polled::Pending => {}
            Polled::Lost => self.postcodes_loading = None,
        }
    }

    fn update_suggestions(&mut self) {
        if self.search.show_choices || self.search.suggested_for == self.search.text {
            return;
        }
        self.search.suggested_for = self.search.text.clone();
        self.search.suggestions.clear();
        let Ok(crate::search::query::Query::Place(name)) =
            crate::search::query::parse(&self.search.text)
        else {
            return;
        };
        let (Some(gazetteer), true) = (&self.sources.places, name.chars().count() >= 2) else {
            return;
        };
        let layer = self.active_prepared().map(|p| (&p.layer, &p.locator));
        self.search.suggestions = gazetteer
            .search(&name, 8)
            .iter()
            .map(|m| (m.place, resolve::place_label(gazetteer, m.place, layer)))
            .collect();
    }

    fn search(&mut self, text: &str) {
        let layer = self.active_prepared().map(|p| (&p.layer, &p.locator));
        match resolve::resolve_text(text, &self.sources, layer) {
            Resolution::Found(found) => self.show_found(found),
            Resolution::Choices(choices) => {
                self.search.suggestions = choices.into_iter().map(|c| (c.place, c.label)).collect();
                self.search.suggested_for = self.search.text.clone();
                self.search.show_choices = true;
            }
            Resolution::NotFound(reason) => {
                let waiting = self.sources.postcodes.is_none() && self.postcodes_loading.is_some();
                let needs_postcodes = matches!(
                    crate::search::query::parse(text),
                    Ok(crate::search::query::Query::Postcode(_)
                        | crate::search::query::Query::Sector(_)
                        | crate::search::query::Query::District(_))
                );
                if waiting && needs_postcodes {
                    self.pending_search = Some(text.to_string());
                    self.answer = Some(Notice {
                        text: format!(
                            "Looking up {}… (the postcode list is still loading)",
                            text.trim()
                        ),
                        is_error: false,
                    });
                } else {
                    self.answer = Some(Notice {
                        text: reason,
                        is_error: true,
                    });
                }
            }
        }
    }

    fn go_to_place(&mut self, place: usize) {
        let Some(gazetteer) = &self.sources.places else {
            return;
        };
        let Some(p) = gazetteer.places.get(place) else {
            return;
        };
        let layer = self.active_prepared().map(|p| (&p.layer, &p.locator));
        let found = Found {
            label: resolve::place_label(gazetteer, place, layer),
            point: p.position,
            split: None,
            note: None,
        };
        self.search.text = p.name.clone();
        self.search.show_choices = false;
        self.search.suggested_for = self.search.text.clone();
        self.search.suggestions.clear();
        self.show_found(found);
    }

    /// Pins the point, moves the map to it, selects its footprint and says where it is.
    fn show_found(&mut self, found: Found) {
        let Some(prepared) = self.active_prepared() else {
            self.answer = Some(Notice {
                text: format!(
                    "{} is at {:.5}, {:.5}; no boundaries are open",
                    found.label, found.point.y, found.point.x
                ),
                is_error: false,
            });
            self.pin = Some(found.point);
            return;
        };
        let footprint = prepared.locator.locate(found.point);
        let mut text = resolve::sentence(&found, &prepared.layer, footprint);
        if let Some(note) = &found.note {
            text.push_str(&format!(" ({note})"));
        }
        self.selected = footprint;
        self.pin = Some(found.point);
        self.answer = Some(Notice {
            text,
            is_error: false,
        });
        self.auto_fit = None;
        self.memory.center_at(lon_lat(found.point.x, found.point.y));
        let zoom = self
            .memory
            .zoom()
            .max(if found.split.is_some() { 11.0 } else { 12.0 });
        let _ = self.memory.set_zoom(zoom);
    }

    /// What the last clicked point is in every other layer: (layer title, area name and code,
    /// or `None` outside all its areas).
    fn elsewhere(&self) -> Vec<(String, Option<String>)> {
        let Some(point) = self.clicked_at else {
            return Vec::new();
        };
        self.layers
            .iter()
            .enumerate()
            .filter(|(i, prepared)| Some(*i) != self.active && prepared.visible)
            .map(|(_, prepared)| {
                let found = prepared.locator.locate(point).and_then(|i| {
                    prepared
                        .layer
                        .footprints
                        .get(i)
                        .map(|f| format!("{} ({})", f.name, f.code))
                });
                (prepared.layer.title.clone(), found)
            })
            .collect()
    }

    /// Loads (or reloads) a details file, saying how many of its codes match an area.
    fn load_details(&mut self, path: &Path) {
        match crate::own_details::OwnDetails::load(path) {
            Ok(details) => {
                let unmatched = details.unmatched(|code| {
                    self.catalog.get(code).is_some()
                        || self
                            .layers
                            .iter()
                            .any(|l| l.layer.index_of_code(code).is_some())
                });
                self.notices.push(Notice {
                    text: details.summary(&unmatched),
                    is_error: false,
                });
                self.own_details.retain(|d| d.path != path);
                self.own_details.push(details);
                if !self.settings.details_files.iter().any(|p| p == path) {
                    self.settings.details_files.push(path.to_owned());
                }
            }
            Err(e) => self.notices.push(Notice {
                text: e.to_string(),
                is_error: true,
            }),
        }
    }

    /// The user's own fields for an area: (file name, fields), from every details file.
    fn own_fields(&self, code: &str) -> Vec<(String, &[(String, String)])> {
        self.own_details
            .iter()
            .filter_map(|d| {
                let fields = d.by_code.get(code)?;
                let name = d
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                Some((name, fields.as_slice()))
            })
            .collect()
    }

    /// What the settings remember a layer by: its file, or `builtin:ID`.
    fn remembered_as(source: &crate::model::LayerSource) -> Option<PathBuf> {
        match source {
            crate::model::LayerSource::File(path) => Some(path.clone()),
            crate::model::LayerSource::Embedded(id)
                if crate::vintages::BuiltIn::by_id(id).is_some() =>
            {
                Some(PathBuf::from(format!("{BUILTIN_PREFIX}{id}")))
            }
            crate::model::LayerSource::Embedded(_) => None,
        }
    }

    // ----- used by the benchmark -----

    /// Shows a layer prepared elsewhere, as if it had just been opened from `path`.
    pub fn open_prepared(&mut self, prepared: PreparedLayer, path: &Path) {
        self.add_layer(prepared, path, false);
        self.notices.clear();
    }

    /// Moves the map to `centre` (lon/lat) at `zoom`, as a drag and a scroll would.
    pub fn set_view(&mut self, centre: geo::Coord<f64>, zoom: f64) {
        self.auto_fit = None;
        self.memory.center_at(lon_lat(centre.x, centre.y));
        let _ = self.memory.set_zoom(zoom.clamp(0.0, 19.0));
    }

    // ----- loading -----

    /// Loads a file in the background; `fit` frames it when it arrives.
    fn start_load(&mut self, ctx: &egui::Context, path: PathBuf, fit: bool) {
        if self.loads.iter().any(|l| l.path == path) {
            return;
        }
        let progress = Progress::new();
        let thread_progress = progress.clone();
        let thread_path = path.clone();
        let catalog = self.catalog.clone();
        let fields = self.settings.field_choices.get(&path).cloned();
        let spawned = Job::spawn("load", ctx, move || {
            let built_in = thread_path
                .to_str()
                .and_then(|p| p.strip_prefix(BUILTIN_PREFIX))
                .map(|id| {
                    crate::vintages::BuiltIn::by_id(id)
                        .ok_or_else(|| format!("There is no built-in layer called {id}"))
                        .and_then(|b| b.load().map_err(|e| e.to_string()))
                });
            let result = match built_in {
                Some(result) => result,
                None => load::load_path_needing(
                    &thread_path,
                    &thread_progress,
                    load::APP_MEMORY_PER_BYTE,
                )
                .map(|mut layer| {
                    // Populations from LSOAs, when the file has none and its codes are known.
                    crate::vintages::add_populations(&mut layer);
                    layer
                })
                .map_err(|e| e.to_string()),
            };
            result.and_then(|mut layer| {
                if let Some(fields) = fields {
                    layer.apply_fields(fields);
                }
                let labels = short_labels(&layer, &catalog);
                PreparedLayer::new_cancellable(layer, labels, &thread_progress)
                    .ok_or_else(|| format!("Loading was cancelled: {}", thread_path.display()))
            })
        });
        match spawned {
            Ok(job) => self.loads.push(PendingLoad {
                path,
                fit,
                progress,
                job,
            }),
            Err(e) => self.notices.push(Notice {
                text: format!("Could not start loading ({e}): {}", path.display()),
                is_error: true,
            }),
        }
    }

    fn poll_loads(&mut self) {
        let mut finished = Vec::new();
        for (i, load) in self.loads.iter().enumerate() {
            match load.job.poll() {
                Polled::Done(result) => finished.push((i, Some(result))),
                Polled::Lost => finished.push((i, None)),
                Polled::Pending => {}
            }
        }
        for (i, result) in finished.into_iter().rev() {
            let load = self.loads.remove(i);
            match result {
                Some(Ok(prepared)) => self.add_layer(prepared, &load.path, load.fit),
                // (A cancelled load is no longer listed, so its answer never arrives here.)
                Some(Err(message)) => {
                    self.notices.push(Notice {
                        text: message,
                        is_error: true,
                    });
                    self.settings.open_files.retain(|p| p != &load.path);
                }
                None => self.notices.push(Notice {
                    text: format!("Loading stopped unexpectedly: {}", load.path.display()),
                    is_error: true,
                }),
            }
        }
    }

    fn add_layer(&mut self, prepared: PreparedLayer, path: &Path, fit: bool) {
        let problems = prepared.layer.problems.clone();
        let title = prepared.layer.title.clone();
        let count = prepared.layer.footprints.len();
        let bbox = prepared.layer.bbox();
        // Reopening a file replaces its earlier copy.
        if let Some(existing) = self
            .layers
            .iter()
            .position(|l| Self::remembered_as(&l.layer.source).as_deref() == Some(path))
        {
            self.layers.remove(existing);
        }
        self.layers.push(prepared);
        self.list_rows = None;
        self.active = Some(self.layers.len() - 1);
        self.selected = None;
        self.hover_drawables = None;
        self.apply_style();
        if !path.to_string_lossy().starts_with(BUILTIN_PREFIX) {
            self.settings.remember_recent(path);
        }
        if !self.settings.open_files.iter().any(|p| p == path) {
            self.settings.open_files.push(path.to_owned());
        }
        if fit {
            self.auto_fit = bbox.map(AutoFit::new);
        }
        let mut text = format!("Opened {title}: {count} areas");
        if !problems.is_empty() {
            text.push_str(&format!(" ({})", problems.join("; ")));
        }
        self.notices.push(Notice {
            text,
            is_error: false,
        });
    }

    // ----- view -----

    /// Frames `bbox` now, and keeps it framed while the window is resized and the user has
    /// not moved the map.
    fn fit(&mut self, bbox: geo::Rect<f64>) {
        self.auto_fit = Some(AutoFit::new(bbox));
        self.apply_fit(None);
    }

    fn apply_fit(&mut self, window: Option<egui::Vec2>) {
        let Some(fit) = &mut self.auto_fit else {
            return;
        };
        let (width, height) = self
            .view
            .map(|v| (v.rect.width() as f64, v.rect.height() as f64))
            .unwrap_or((1000.0, 700.0));
        let (centre, zoom) = crate::geo_util::fit_bounds(fit.bbox, width, height, 24.0);
        let zoom = zoom.clamp(0.0, 19.0);
        fit.applied = Some((window, centre.x, centre.y, zoom));
        self.memory.center_at(lon_lat(centre.x, centre.y));
        let _ = self.memory.set_zoom(zoom);
    }

    /// Draws the page now (what is on screen) and writes it in the background.
    fn start_export(&mut self, ctx: &egui::Context, replace: bool) {
        use crate::render::export::{ExportRequest, png_from_svg, scene, to_pdf, to_svg};
        let Some(form) = &mut self.export else {
            return;
        };
        let path = PathBuf::from(form.path.trim().trim_matches('"'));
        let format = match crate::render::format::format_of(&path) {
            Ok(format) => format,
            Err(e) => {
                self.notices.push(Notice {
                    text: e.to_string(),
                    is_error: true,
                });
                return;
            }
        };
        if path.exists() && !replace {
            form.confirm_replace = true;
            return;
        }
        let (_, paper, dpi) = panels::EXPORT_SIZES[form.size.min(panels::EXPORT_SIZES.len() - 1)];
        let (width, height, points_per_pixel) = match (paper, self.view) {
            (Some(paper), _) => {
                let (w, h) = paper.pixels(dpi);
                (w, h, 72.0 / dpi)
            }
            (None, Some(view)) => (
                (view.rect.width() * 2.0) as u32,
                (view.rect.height() * 2.0) as u32,
                0.375,
            ),
            (None, None) => (2000, 1400, 0.375),
        };
        let title = form.title.clone();
        let Some(prepared) = self.active_prepared() else {
            return;
        };
        let label_mode = if self.settings.show_labels {
            self.settings.label_mode
        } else {
            crate::render::style::LabelMode::None
        };
        let request = ExportRequest {
            layer: &prepared.layer,
            basemap: &self.basemap_geometry,
            colours: &prepared.colours,
            legend: &self.legend,
            selected: self.selected,
            label_mode,
            short_labels: &prepared.short_labels,
            title,
            frame: self.view.map(|v| v.bounds()),
            width,
            height,
        };
        let page = match scene(&request) {
            Ok(page) => page,
            Err(e) => {
                self.notices.push(Notice {
                    text: format!("The export could not be drawn ({e}): {}", path.display()),
                    is_error: true,
                });
                return;
            }
        };
        let spawned = Job::spawn("export", ctx, move || {
            let bytes = match format {
                crate::render::format::Format::Svg => Ok(to_svg(&page).into_bytes()),
                crate::render::format::Format::Png => {
                    png_from_svg(&to_svg(&page)).map_err(|e| e.to_string())
                }
                crate::render::format::Format::Pdf => Ok(to_pdf(&page, points_per_pixel)),
            };
            bytes
                .and_then(|b| {
                    crate::settings::write_atomically(&path, &b).map_err(|e| e.to_string())
                })
                .map(|()| path.clone())
                .map_err(|e| format!("The export could not be written ({e}): {}", path.display()))
        });
        if let Ok(job) = spawned {
            self.exports.push(job);
            self.export = None;
        }
    }

    fn poll_compare(&mut self) {
        let Some(job) = &self.comparing else {
            return;
        };
        match job.poll() {
            Polled::Done(result) => {
                if let Some(state) = &mut self.compare {
                    state.result = Some(result);
                }
                self.comparing = None;
            }
            Polled::Pending => {}
            Polled::Lost => self.comparing = None,
        }
    }

    fn poll_exports(&mut self) {
        let mut still = Vec::new();
        for job in self.exports.drain(..) {
            match job.poll() {
                Polled::Done(Ok(path)) => self.notices.push(Notice {
                    text: format!("Exported the map: {}", path.display()),
                    is_error: false,
                }),
                Polled::Done(Err(message)) => self.notices.push(Notice {
                    text: message,
                    is_error: true,
                }),
                Polled::Pending => still.push(job),
                Polled::Lost => {}
            }
        }
        self.exports = still;
    }

    /// Frames `bbox` in the part of the map the presentation card and title leave free: the
    /// left 60% below the title line.
    fn fit_beside_card(&mut self, bbox: geo::Rect<f64>) {
        let Some(view) = self.view else {
            self.fit(bbox);
            return;
        };
        let (w, h) = (view.rect.width() as f64, view.rect.height() as f64);
        const TITLE: f64 = 54.0;
        let (free_w, free_h) = (w * 0.6, h - TITLE);
        let (centre, zoom) = crate::geo_util::fit_bounds(bbox, free_w, free_h, 28.0);
        let scale = crate::geo_util::world_pixels(zoom);
        let c = crate::geo_util::lon_lat_to_world(centre.x, centre.y);
        // Move the map's centre so the box's centre lands in the middle of the free part.
        let shifted = crate::geo_util::world_to_lon_lat(geo::Coord {
            x: c.x + (w / 2.0 - free_w / 2.0) / scale,
            y: c.y - (TITLE / 2.0) / scale,
        });
        self.auto_fit = None;
        self.memory.center_at(lon_lat(shifted.x, shifted.y));
        let _ = self.memory.set_zoom(zoom);
    }

    /// Refits after a window resize; lets go once the user has moved the map. Returns whether
    /// the view was changed.
    fn keep_fit(&mut self, window: egui::Vec2) -> bool {
        let (Some(fit), Some(view)) = (&self.auto_fit, self.view) else {
            return false;
        };
        match fit.applied {
            None => {
                self.apply_fit(Some(window));
                true
            }
            Some((applied_window, lon, lat, zoom)) => {
                let moved = view.centre.x != lon || view.centre.y != lat || view.zoom != zoom;
                if moved {
                    self.auto_fit = None;
                    false
                } else if applied_window != Some(window) {
                    self.apply_fit(Some(window));
                    true
                } else {
                    false
                }
            }
        }
    }

    fn active_prepared(&self) -> Option<&PreparedLayer> {
        self.active.and_then(|i| self.layers.get(i))
    }

    /// Colours the active layer as the settings say, and makes its legend.
    fn apply_style(&mut self) {
        let Some(i) = self.active else {
            self.legend = Default::default();
            return;
        };
        let Some(prepared) = self.layers.get_mut(i) else {
            return;
        };
        // A property the layer lacks falls back to distinct colours.
        let by = match &self.settings.colour_by {
            crate::render::style::ColourBy::Property(key)
                if !prepared.layer.property_keys.contains(key) =>
            {
                crate::render::style::ColourBy::Footprint
            }
            other => other.clone(),
        };
        let styled = crate::render::style::style(
            &prepared.layer,
            &self.catalog,
            &prepared.neighbours,
            &by,
            self.settings.palette,
        );
        prepared.restyle(styled.colours);
        self.legend = styled.legend;
        self.hover_drawables = None;
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        ctx.set_theme(match self.settings.theme {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        });
    }

    fn make_tiles(&mut self, ctx: &egui::Context) {
        // TLS for online tiles; ring is the provider this build carries (installing twice is
        // harmless).
        let _ = rustls::crypto::ring::default_provider().install_default();
        self.tiles = match &self.settings.tiles {
            TileChoice::Offline => None,
            TileChoice::OpenStreetMap => {
                let cache = directories::ProjectDirs::from("uk", "Footprints", "footprints")
                    .map(|d| d.cache_dir().join("osm-tiles"));
                let options = walkers::HttpOptions {
                    cache,
                    user_agent: Some(walkers::HeaderValue::from_static(concat!(
                        "Footprints/",
                        env!("CARGO_PKG_VERSION"),
                        " (offline NHS footprint map; desktop)"
                    ))),
                    ..Default::default()
                };
                Some(Box::new(walkers::HttpTiles::with_options(
                    walkers::sources::OpenStreetMap,
                    options,
                    ctx.clone(),
                )))
            }
            TileChoice::Server(template) => {
                if TemplateSource::valid(template) {
                    let options = walkers::HttpOptions {
                        user_agent: Some(walkers::HeaderValue::from_static(concat!(
                            "Footprints/",
                            env!("CARGO_PKG_VERSION"),
                            " (offline NHS footprint map; desktop)"
                        ))),
                        ..Default::default()
                    };
                    Some(Box::new(walkers::HttpTiles::with_options(
                        TemplateSource(template.clone()),
                        options,
                        ctx.clone(),
                    )))
                } else {
                    self.notices.push(Notice {
                        text: format!(
                            "The tile server address needs {{z}}, {{x}} and {{y}} and to start with http:// or https://: {template}"
                        ),
                        is_error: true,
                    });
                    None
                }
            }
            TileChoice::PmTiles(path) => {
                if path.is_file() {
                    Some(Box::new(walkers::PmTiles::new(path, ctx.clone())))
                } else {
                    self.notices.push(Notice {
                        text: format!("The PMTiles file is missing: {}", path.display()),
                        is_error: true,
                    });
                    None
                }
            }
        };
    }

    fn tile_credit(&self) -> Option<String> {
        match &self.settings.tiles {
            TileChoice::Offline => None,
            TileChoice::OpenStreetMap => Some("Tiles © OpenStreetMap contributors".into()),
            TileChoice::Server(template) => Some(format!(
                "Tiles: {}",
                template
                    .split("://")
                    .nth(1)
                    .and_then(|rest| rest.split('/').next())
                    .unwrap_or(template)
            )),
            TileChoice::PmTiles(path) => Some(format!(
                "Tiles: {}",
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            )),
        }
    }

    // ----- actions -----

    fn run_action(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Select(index) => {
                self.selected = index;
                if index.is_none() {
                    self.answer = None;
                    self.pin = None;
                }
            }
            Action::SelectAndZoom(index) => {
                self.selected = Some(index);
                self.run_action(ctx, Action::ZoomToSelection);
            }
            Action::ZoomIn => {
                let _ = self.memory.zoom_in();
            }
            Action::ZoomOut => {
                let _ = self.memory.zoom_out();
            }
            Action::FitAll => {
                let bbox = self
                    .active_layer()
                    .and_then(Layer::bbox)
                    .unwrap_or(england_box());
                self.fit(bbox);
            }
            Action::ZoomToSelection => {
                let bbox = self.active_layer().and_then(|layer| {
                    self.selected
                        .and_then(|i| layer.footprints.get(i))
                        .map(|f| f.bbox)
                });
                if let Some(bbox) = bbox {
                    self.fit(bbox);
                }
            }
            Action::OpenPathPrompt => self.windows.ask_for_path(PathFor::Boundaries),
            Action::ShowCompare => {
                let n = self.layers.len();
                let state = self
                    .compare
                    .get_or_insert_with(|| crate::ui::compare::CompareState {
                        old: 0,
                        new: n.saturating_sub(1),
                        divider: 0.5,
                        ..Default::default()
                    });
                state.new = state.new.min(n.saturating_sub(1));
            }
            Action::Compare(old, new) => {
                if let (Some(a), Some(b)) = (self.layers.get(old), self.layers.get(new)) {
                    let (a, b) = (a.layer.clone(), b.layer.clone());
                    let spawned = Job::spawn("compare", ctx, move || {
                        let flows = crate::vintages::population_flows(&a, &b);
                        let result = crate::compare::compare_with_people(&a, &b, flows.as_ref());
                        ((a.title, b.title), result)
                    });
                    if let Ok(job) = spawned {
                        self.comparing = Some(job);
                    }
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
                self.own_details.retain(|d| d.path != path);
                self.settings.details_files.retain(|p| p != &path);
            }
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
                    self.start_load(ctx, path, true);
                }
            }
            Action::ActivateLayer(index) => {
                if index < self.layers.len() {
                    self.active = Some(index);
                    self.selected = None;
                    self.hover_drawables = None;
                    self.apply_style();
                }
            }
            Action::AddBuiltIn(id) => {
                self.start_load(ctx, PathBuf::from(format!("{BUILTIN_PREFIX}{id}")), false);
            }
            Action::ShowLayer(index, visible) => {
                if let Some(prepared) = self.layers.get_mut(index) {
                    prepared.visible = visible;
                }
            }
            Action::SetOpacity(index, opacity) => {
                if let Some(prepared) = self.layers.get_mut(index) {
                    prepared.opacity = opacity.clamp(0.0, 1.0);
                }
            }
            Action::MoveLayer(index, up) => {
                let other = if up {
                    index.checked_add(1)
                } else {
                    index.checked_sub(1)
                };
                if let Some(other) = other.filter(|&o| o < self.layers.len())
                    && index < self.layers.len()
                {
                    self.layers.swap(index, other);
                    self.active = self.active.map(|a| {
                        if a == index {
                            other
                        } else if a == other {
                            index
                        } else {
                            a
                        }
                    });
                    self.list_rows = None;
                }
            }
            Action::CloseLayer(index) => {
                if index < self.layers.len() {
                    let removed = self.layers.remove(index);
                    self.list_rows = None;
                    if let Some(path) = Self::remembered_as(&removed.layer.source) {
                        self.settings.open_files.retain(|p| p != &path);
                    }
                    self.active = (!self.layers.is_empty()).then(|| self.layers.len() - 1);
                    self.selected = None;
                    self.hover_drawables = None;
                    self.apply_style();
                }
            }
            Action::SetFields(fields) => {
                if let Some(i) = self.active
                    && let Some(prepared) = self.layers.get_mut(i)
                {
                    if let Some(path) = prepared.layer.source.path() {
                        self.settings
                            .field_choices
                            .insert(path.to_owned(), fields.clone());
                    }
                    prepared.layer.apply_fields(fields);
                    prepared.short_labels = short_labels(&prepared.layer, &self.catalog);
                }
            }
            Action::SetTheme(theme) => {
                self.settings.theme = theme;
                self.apply_theme(ctx);
            }
            Action::SetTiles(tiles) => {
                self.settings.tiles = tiles;
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
            Action::ToggleLabels => self.settings.show_labels = !self.settings.show_labels,
            Action::SetColourBy(by) => {
                self.settings.colour_by = by;
                self.apply_style();
            }
            Action::SetPalette(palette) => {
                self.settings.palette = palette;
                self.apply_style();
            }
            Action::SetLabelMode(mode) => {
                self.settings.label_mode = mode;
                self.settings.show_labels = mode != crate::render::style::LabelMode::None;
            }
            Action::TogglePlaces => self.settings.show_places = !self.settings.show_places,
            Action::ToggleFullscreen => {
                self.fullscreen = !self.fullscreen;
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.fullscreen));
            }
            Action::ShowAbout => self.windows.about = true,
            Action::ShowShortcuts => self.windows.shortcuts = true,
            Action::ShowFields => self.windows.fields = true,
            Action::DismissNotice(i) => {
                if i < self.notices.len() {
                    self.notices.remove(i);
                }
            }
            Action::CancelLoads => {
                // The loads stop at their next step in the background; the map stays as it was.
                for load in self.loads.drain(..) {
                    load.progress.cancel();
                    self.settings.open_files.retain(|p| p != &load.path);
                    self.notices.push(Notice {
                        text: format!(
                            "Cancelled loading {}; the map is unchanged",
                            load.path.display()
                        ),
                        is_error: false,
                    });
                }
            }
            Action::CopyText(text) => ctx.copy_text(text),
            Action::Search(text) => self.search(&text),
            Action::GoToPlace(place) => self.go_to_place(place),
            Action::FocusSearch => self.search.request_focus = true,
            Action::ToggleList => self.show_list = !self.show_list,
            Action::WhatsHere(point) => self.whats_here = point,
            Action::ShowExport => {
                if self.export.is_none() {
                    let folder = directories::UserDirs::new().map(|d| {
                        d.document_dir()
                            .map(Path::to_path_buf)
                            .unwrap_or_else(|| d.home_dir().to_path_buf())
                    });
                    let path = folder.unwrap_or_default().join("footprints-map.png");
                    self.export = Some(panels::ExportForm {
                        path: path.display().to_string(),
                        title: self
                            .active_layer()
                            .map(|l| l.title.clone())
                            .unwrap_or_default(),
                        size: 0,
                        confirm_replace: false,
                    });
                }
            }
            Action::Export { replace } => self.start_export(ctx, replace),
            Action::StartPresentation => {
                if self.presenting.is_none()
                    && let Some(prepared) = self.active_prepared()
                {
                    let order =
                        crate::ui::present::presentation_order(&prepared.layer, &self.catalog);
                    self.presenting = Some(crate::ui::present::Presentation {
                        order,
                        step: None,
                        zoom_factor_before: ctx.zoom_factor(),
                    });
                    ctx.set_zoom_factor(1.25);
                    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
                    self.selected = None;
                    self.whats_here = None;
                    self.run_action(ctx, Action::FitAll);
                }
            }
            Action::StopPresentation => {
                if let Some(p) = self.presenting.take() {
                    ctx.set_zoom_factor(p.zoom_factor_before);
                    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.fullscreen));
                }
            }
            Action::PresentNext | Action::PresentPrevious | Action::PresentOverview => {
                let Some(p) = &mut self.presenting else {
                    return;
                };
                match action {
                    Action::PresentNext => p.next(),
                    Action::PresentPrevious => p.previous(),
                    _ => p.step = None,
                }
                match p.current() {
                    Some(index) => {
                        self.selected = Some(index);
                        let bbox = self
                            .active_layer()
                            .and_then(|l| l.footprints.get(index))
                            .map(|f| f.bbox);
                        if let Some(bbox) = bbox {
                            self.fit_beside_card(bbox);
                        }
                    }
                    None => {
                        self.selected = None;
                        self.run_action(ctx, Action::FitAll);
                    }
                }
            }
            Action::ClearSearch => {
                self.pin = None;
                self.answer = None;
                self.search.show_choices = false;
            }
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
        }
    }

    fn shortcuts(&self, ctx: &egui::Context) -> Vec<Action> {
        crate::ui::keymap::pressed(ctx, self.presenting.is_some())
    }

    fn pan_with_arrows(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() || self.presenting.is_some() {
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
        if delta != egui::Vec2::ZERO
            && let Some(view) = self.view
        {
            let target = view.rect.center() + delta;
            let scale = crate::geo_util::world_pixels(view.zoom);
            let c = crate::geo_util::lon_lat_to_world(view.centre.x, view.centre.y);
            let moved = crate::geo_util::world_to_lon_lat(geo::Coord {
                x: c.x + (target.x - view.rect.center().x) as f64 / scale,
                y: c.y + (target.y - view.rect.center().y) as f64 / scale,
            });
            self.memory.center_at(lon_lat(moved.x, moved.y));
        }
    }

    fn save_settings_if_changed(&mut self) {
        if self.settings == self.saved_settings {
            return;
        }
        if let Some(path) = &self.settings_path
            && let Err(e) = settings::save(path, &self.settings)
        {
            self.notices.push(Notice {
                text: format!("Settings could not be saved ({e}): {}", path.display()),
                is_error: true,
            });
        }
        self.saved_settings = self.settings.clone();
    }

    /// Remembers the current view in the settings (called on exit).
    pub fn remember_view(&mut self) {
        if let Some(view) = self.view {
            self.settings.view = Some(settings::SavedView {
                lon: view.centre.x,
                lat: view.centre.y,
                zoom: view.zoom,
            });
        }
        self.save_settings_if_changed();
    }

    // ----- drawing -----

    /// Draws the whole app into `ui` and applies what the user did.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if !self.first_frame_logged {
            self.first_frame_logged = true;
            log::info!(
                "first frame {:.0} ms after start",
                crate::started().elapsed().as_secs_f64() * 1000.0
            );
        }
        let window_size = ui.max_rect().size();
        self.poll_loads();
        self.poll_postcodes();
        self.poll_exports();
        self.poll_compare();
        self.update_suggestions();
        self.dark = ui.visuals().dark_mode;
        let mut actions = self.shortcuts(&ctx);
        self.pan_with_arrows(&ctx);

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
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }

        let presenting = self.presenting.is_some();
        if !self.fullscreen && !presenting {
            egui::Panel::top("menu").show(ui, |ui| {
                let numeric_properties = self
                    .active_prepared()
                    .map(|p| p.numeric_properties.clone())
                    .unwrap_or_default();
                let mut state = panels::MenuState {
                    settings: &self.settings,
                    tile_server_draft: &mut self.tile_server_draft,
                    layers: self
                        .layers
                        .iter()
                        .enumerate()
                        .map(|(i, l)| panels::LayerRow {
                            title: l.layer.title.clone(),
                            active: Some(i) == self.active,
                            visible: l.visible,
                            opacity: l.opacity,
                        })
                        .collect(),
                    open_built_ins: self
                        .layers
                        .iter()
                        .filter_map(|l| match l.layer.source {
                            crate::model::LayerSource::Embedded(id) => Some(id),
                            _ => None,
                        })
                        .collect(),
                    has_selection: self.selected.is_some(),
                    fullscreen: self.fullscreen,
                    show_list: self.show_list,
                    numeric_properties,
                };
                let (menu_action, search_action) =
                    panels::menu_bar_ui(ui, &mut state, |ui| search_bar_ui(ui, &mut self.search));
                actions.extend(menu_action);
                actions.extend(search_action);
            });
        }
        if !presenting {
            egui::Panel::bottom("status").show(ui, |ui| {
                actions.extend(self.status_bar_ui(ui));
            });
        }
        if self.show_list && !self.fullscreen && !presenting {
            egui::Panel::left("list")
                .resizable(true)
                .default_size(520.0)
                .size_range(300.0..=900.0)
                .show(ui, |ui| {
                    actions.extend(self.list_panel_ui(ui));
                });
        }
        if (self.selected.is_some() || self.answer.is_some()) && !presenting {
            egui::Panel::right("details")
                .resizable(true)
                .default_size(360.0)
                .size_range(260.0..=640.0)
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

        let fitted = self.keep_fit(window_size);
        if fitted || !actions.is_empty() {
            // What the actions changed shows on the next frame.
            ctx.request_repaint();
        }
        for action in actions {
            self.run_action(&ctx, action);
        }
        // The view is remembered every few seconds, so that it survives a crash or a kill.
        let view_unsaved = self.view.is_some_and(|v| {
            self.settings
                .view
                .is_none_or(|s| (s.lon, s.lat, s.zoom) != (v.centre.x, v.centre.y, v.zoom))
        });
        if view_unsaved {
            if self.view_saved_at.elapsed() > std::time::Duration::from_secs(5) {
                self.view_saved_at = std::time::Instant::now();
                self.remember_view();
            } else {
                ctx.request_repaint_after(std::time::Duration::from_secs(6));
            }
        }
        self.save_settings_if_changed();
        if !self.loads.is_empty() || !self.exports.is_empty() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    fn map_panel_ui(&mut self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        // Keep the hover highlight's mesh for as long as the same footprint is hovered.
        let highlight = crate::ui::theme::of(self.dark).hover;
        let zoom = self.memory.zoom();
        let detailed = self
            .active_prepared()
            .map(|p| p.level_index(zoom))
            .unwrap_or(0);
        match (self.hovered, &self.hover_drawables) {
            (Some(h), Some((cached, cached_detail, _)))
                if *cached == h && *cached_detail == detailed => {}
            (Some(h), _) => {
                self.hover_drawables = self
                    .active_prepared()
                    .and_then(|p| p.highlight(h, zoom, highlight))
                    .map(|d| (h, detailed, d));
            }
            (None, _) => self.hover_drawables = None,
        }
        let catalog = self.catalog.clone();
        let population_of = |i: usize| -> Option<String> {
            let prepared = self.active.and_then(|a| self.layers.get(a))?;
            let code = &prepared.layer.footprints.get(i)?.code;
            if let Some(p) = self
                .own_details
                .iter()
                .rev()
                .find_map(|d| d.population(code))
            {
                return Some(format!(
                    "Population {} (your details)",
                    crate::geo_util::thousands(p)
                ));
            }
            crate::render::style::population_text(&prepared.layer, &catalog, i)
        };
        let tile_credit = self.tile_credit();
        let input = MapInput {
            layer: self.active.and_then(|a| self.layers.get(a)),
            layers: self.layers.iter().filter(|l| l.visible).collect(),
            swipe: self
                .compare
                .as_ref()
                .filter(|c| c.swipe && c.old != c.new)
                .and_then(|c| Some((self.layers.get(c.old)?, self.layers.get(c.new)?, c.divider))),
            basemap: &self.basemap,
            selected: self.selected,
            hovered: self.hovered,
            hover_drawables: self.hover_drawables.as_ref().map(|(_, _, d)| d),
            show_labels: self.settings.show_labels,
            show_places: self.settings.show_places,
            dark: self.dark,
            tile_credit: tile_credit.as_deref(),
            population_of: &population_of,
            pin: self.pin,
            legend: &self.legend,
            controls: self.presenting.is_none(),
            label_mode: if self.settings.show_labels {
                self.settings.label_mode
            } else {
                crate::render::style::LabelMode::None
            },
        };
        let tiles: Option<&mut dyn walkers::Tiles> = match self.tiles.as_mut() {
            Some(t) => Some(t.as_mut()),
            None => None,
        };
        let output = map_ui(ui, &mut self.memory, tiles, &input);
        self.hovered = output.hovered;
        self.view = output.view;
        if let (Some(at), Some(state)) = (output.swipe_to, self.compare.as_mut()) {
            state.divider = at;
        }
        if let Some(clicked) = output.clicked {
            self.clicked_at = output.clicked_at;
            actions.push(Action::Select(clicked));
            actions.push(Action::WhatsHere(None));
        }
        if let Some(context) = output.context {
            actions.push(Action::WhatsHere(Some(context)));
        }
        actions.extend(output.action);
        if self.layers.is_empty() && self.loads.is_empty() {
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

    fn details_panel_ui(&self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        if let Some(answer) = &self.answer {
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
        let Some(index) = self.selected else {
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
                .or_else(|| self.catalog.get(code).map(|d| d.name_2016.clone()))
        };
        let view = DetailsView {
            footprint,
            details: self.catalog.get(&footprint.code),
            catalog: &self.catalog,
            neighbours,
            fill: prepared.fill_colour(index),
            from_default_layer: prepared.layer.source
                == crate::model::LayerSource::Embedded(crate::defaults::DEFAULT_TITLE),
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

    fn list_panel_ui(&mut self, ui: &mut Ui) -> Vec<Action> {
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
        let Some(prepared) = self.active.and_then(|i| self.layers.get(i)) else {
            ui.label("No boundaries open.");
            return actions;
        };
        // Rows are rebuilt only when the layer, its fields, the filter or the order change.
        let key = (
            self.active,
            prepared.layer.footprints.len(),
            prepared.layer.fields.clone(),
            self.list.clone(),
        );
        if self.list_rows.as_ref().is_none_or(|(k, _)| *k != key) {
            let catalog = &self.catalog;
            let mut rows: Vec<ListRow> = prepared
                .layer
                .footprints
                .iter()
                .enumerate()
                .map(|(index, f)| {
                    let details = catalog.get(&f.code);
                    ListRow {
                        index,
                        code: f.code.clone(),
                        name: f.name.clone(),
                        population: crate::render::style::population(
                            &prepared.layer,
                            catalog,
                            index,
                        )
                        .map(|p| p.round() as u64),
                        area_km2: details
                            .and_then(|d| d.area_km2)
                            .or_else(|| prepared.areas_km2.get(index).copied()),
                        lead: details.and_then(|d| d.leader.name.clone()),
                    }
                })
                .collect();
            filter_and_sort(&mut rows, &self.list);
            self.list_rows = Some((key, rows));
        }
        let total = prepared.layer.footprints.len();
        let rows = self
            .list_rows
            .as_ref()
            .map(|(_, r)| r.as_slice())
            .unwrap_or(&[]);
        actions.extend(list_ui(ui, rows, total, &mut self.list, self.selected));
        actions
    }

    /// The title line and the card of presentation mode, over the map.
    fn presentation_ui(&self, ui: &mut Ui) {
        let (Some(p), Some(prepared)) = (&self.presenting, self.active_prepared()) else {
            return;
        };
        let title = format!("{} — {}", prepared.layer.title, crate::ui::present::today());
        crate::ui::present::title_ui(ui, &title, self.dark);
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
                                &prepared.layer,
                                index,
                                &self.catalog,
                                (step, p.order.len()),
                            );
                        });
                });
        }
    }

    fn whats_here_ui(
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
                if let Some(gazetteer) = &self.sources.places {
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

    fn status_bar_ui(&self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        ui.horizontal_wrapped(|ui| {
            for load in &self.loads {
                ui.spinner();
                let name = load
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
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
            if self.loads.is_empty() && self.notices.is_empty() {
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

    fn windows_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if let Some(form) = &mut self.export {
            let mut open = true;
            egui::Window::new("Export map")
                .open(&mut open)
                .collapsible(false)
                .show(ctx, |ui| {
                    actions.extend(panels::export_ui(ui, form));
                });
            if !open {
                self.export = None;
            }
        }
        if let Some((point, at)) = self.whats_here {
            actions.extend(self.whats_here_ui(ctx, point, at));
        }
        if let Some(state) = &mut self.compare {
            let titles: Vec<String> = self.layers.iter().map(|l| l.layer.title.clone()).collect();
            let mut open = true;
            egui::Window::new("Compare two layers")
                .open(&mut open)
                .default_width(560.0)
                .show(ctx, |ui| {
                    actions.extend(crate::ui::compare::compare_ui(
                        ui,
                        state,
                        &titles,
                        self.comparing.is_some(),
                    ));
                });
            if !open {
                self.compare = None;
            }
        }
        let layer = self
            .active
            .and_then(|i| self.layers.get(i))
            .map(|p| &p.layer);
        actions.extend(self.windows.ui(ctx, layer));
    }
}

/// Place names and postcode sector/district centres built into the binary.
fn embedded_sources() -> Sources {
    use crate::defaults::embedded;
    let text = |b: Option<&[u8]>| {
        b.map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    };
    Sources {
        places: embedded::GB_PLACES.map(|b| {
            crate::search::places::Gazetteer::new(crate::basemap::parse_places_csv(
                &String::from_utf8_lossy(b),
            ))
        }),
        postcodes: None,
        sectors: resolve::parse_centroids(&text(embedded::POSTCODE_SECTORS)),
        districts: resolve::parse_centroids(&text(embedded::POSTCODE_DISTRICTS)),
    }
}

/// Opens the 2.26 million built-in postcodes off the UI thread. The table is read in place, and
/// `main` opens it as the process starts, so it is ready before the first frame.
fn load_postcodes_in_background(ctx: &egui::Context) -> Option<Job<Result<PostcodeIndex, String>>> {
    crate::defaults::embedded::POSTCODE_TABLE?;
    Job::spawn("postcodes", ctx, || {
        PostcodeIndex::shared()
            .unwrap_or_else(|| Err("This build has no postcode list".to_string()))
    })
    .ok()
}

/// What the list's rows depend on: layer, size, fields, filter and order.
type ListKey = (Option<usize>, usize, crate::model::FieldChoice, ListState);

/// A box to keep framed, and the window size, centre and zoom it was last framed with.
struct AutoFit {
    bbox: geo::Rect<f64>,
    applied: Option<(Option<egui::Vec2>, f64, f64, f64)>,
}

impl AutoFit {
    fn new(bbox: geo::Rect<f64>) -> Self {
        Self {
            bbox,
            applied: None,
        }
    }
}

/// Whether a native file dialog can be shown: always on Windows and macOS; on Linux when a
/// desktop session (the XDG portal) or zenity is there to draw it.
fn native_dialog_available() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() {
        return true;
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("zenity").is_file()))
}

/// England with a little sea around it.
/// How a built-in layer is named among opened files in the settings: `builtin:stp2021`.
const BUILTIN_PREFIX: &str = "builtin:";

/// Tiles from a URL template such as `https://tiles.example.nhs.uk/{z}/{x}/{y}.png`.
struct TemplateSource(String);

impl TemplateSource {
    fn valid(template: &str) -> bool {
        (template.starts_with("http://") || template.starts_with("https://"))
            && ["{z}", "{x}", "{y}"].iter().all(|p| template.contains(p))
    }
}

impl walkers::sources::TileSource for TemplateSource {
    fn tile_url(&self, tile: walkers::TileId) -> String {
        self.0
            .replace("{z}", &tile.zoom.to_string())
            .replace("{x}", &tile.x.to_string())
            .replace("{y}", &tile.y.to_string())
    }

    fn attribution(&self) -> walkers::sources::Attribution {
        walkers::sources::Attribution {
            text: "Tile server",
            url: "",
            logo_light: None,
            logo_dark: None,
        }
    }
}

pub fn england_box() -> geo::Rect<f64> {
    geo::Rect::new(
        geo::Coord { x: -6.45, y: 49.85 },
        geo::Coord { x: 1.8, y: 55.85 },
    )
}

impl eframe::App for FootprintsApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn on_exit(&mut self) {
        self.remember_view();
    }
}
