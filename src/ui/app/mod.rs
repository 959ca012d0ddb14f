//! The application: owns layers, selection, camera and settings, shows the panels and applies
//! what they ask for once per frame. Here: its state, start-up and what tests read; its methods
//! by responsibility in `search`, `loading`, `view`, `actions` and `drawing`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui::{Color32, Key, RichText, Ui};
use walkers::Drawables;

use crate::details::DetailsCatalog;
use crate::layer_ref::LayerRef;
use crate::load::{self, Progress};
use crate::model::Layer;
use crate::render::labels::short_labels;
use crate::search::postcodes::PostcodeIndex;
use crate::search::resolve::{self, Found, Resolution, Sources};
use crate::settings::{self, Settings, ThemeChoice, TileChoice};
use crate::ui::Action;
use crate::ui::camera::Camera;
use crate::ui::details::{DetailsView, details_ui};
use crate::ui::job::{Job, Polled};
use crate::ui::list::{ListRow, ListState, filter_and_sort, list_ui};
use crate::ui::map::{MapInput, MapView, PreparedBasemap, PreparedLayer, map_ui};
use crate::ui::search::{SearchState, search_bar_ui};
use crate::ui::windows::{PathFor, Windows};
use crate::ui::{menu_bar, panels};
use crate::workspace::{LayerId, Workspace};
use state::{Building, Notices, Prefs, Reference, Search, Tasks, ViewState};

mod actions;
mod building;
mod drawing;
mod layers;
mod loading;
mod packing;
mod people;
mod scenarios;
mod search;
mod side_panels;
mod state;
mod view;

/// A message for the user in the status bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
    /// What it is about, when a later event takes it back.
    pub topic: Option<Topic>,
}

/// What a notice is about, for the event that makes it stale to take it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    /// The builder is being prepared.
    PreparingBuilder,
    /// Scenarios with unsaved changes were kept from an earlier run.
    AutosavesLeft,
}

struct PendingLoad {
    layer: LayerRef,
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

/// The app: its owners, each with its own part of the state; the frame routes each action
/// to one of them.
pub struct FootprintsApp {
    /// The open layers, the active one, the selection and the compare pair, by layer id.
    workspace: Workspace<PreparedLayer>,
    reference: Reference,
    prefs: Prefs,
    tasks: Tasks,
    search: Search,
    view: ViewState,
    /// About, shortcuts, fields, the path prompt, the export form and the compare window.
    windows: Windows,
    notices: Notices,
    building: Building,
}

type StatisticsJob = Job<Option<crate::blocks::layer_statistics::LayerStatistics>>;

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
        let mut notices = Notices::default();
        if let Some(text) = settings_notice {
            notices.error(text);
        }

        let (default_layer, (basemap_geometry, basemap)) = prepare_built_ins();
        let (layers, catalog) = match default_layer {
            Ok(Some((prepared, catalog))) => (vec![prepared], catalog),
            Ok(None) => (Vec::new(), DetailsCatalog::default()),
            Err(e) => {
                notices.error(format!("The built-in footprints could not be read: {e:#}"));
                (Vec::new(), DetailsCatalog::default())
            }
        };
        let mut workspace = Workspace::default();
        for prepared in layers {
            workspace.add(prepared);
        }
        let camera = Camera::new(settings.view, england_box());
        let shelf = scenarios::ScenarioShelf::new(startup.settings_path.as_deref());
        let mut app = Self {
            workspace,
            reference: Reference {
                catalog: Arc::new(catalog),
                basemap,
                basemap_geometry,
                sources: embedded_sources(),
                own_details: Vec::new(),
            },
            prefs: Prefs {
                saved: settings.clone(),
                settings,
                path: startup.settings_path,
                view_saved_at: std::time::Instant::now(),
                writer: crate::fs::LatestWriter::new("settings"),
            },
            tasks: Tasks::new(),
            search: Search::default(),
            view: ViewState::new(camera, ctx.global_style().visuals.dark_mode),
            windows: Windows::default(),
            notices,
            building: Building {
                builder: None,
                shelf,
            },
        };
        let left = app.building.shelf.autosaved_left.len();
        if left > 0 {
            app.notices.about(Topic::AutosavesLeft, format!("{left} scenario(s) with unsaved changes were kept from last time: reopen them from Build, Reopen autosaved scenarios"));
        }
        if let TileChoice::Server(template) = &app.prefs.settings.tiles {
            app.view.tile_server_draft = template.clone();
        }
        for path in app.prefs.settings.details_files.clone() {
            app.load_details(&path);
        }
        app.apply_theme(ctx);
        app.make_tiles(ctx);
        app.apply_style();
        // Files named on the command line are shown; files reopened from the last run keep
        // the view the user left (unless there is none).
        let (reopen, fit) = if startup.paths.is_empty() {
            (
                app.prefs.settings.open_files.clone(),
                app.prefs.settings.view.is_none(),
            )
        } else {
            (
                startup.paths.into_iter().map(LayerRef::File).collect(),
                true,
            )
        };
        for layer in reopen {
            app.start_load(ctx, layer, fit);
        }
        app
    }

    // ----- accessors used by tests -----

    pub fn active_layer(&self) -> Option<&Layer> {
        self.workspace.active().map(|p| p.layer.as_ref())
    }

    pub fn selected_code(&self) -> Option<&str> {
        let layer = self.active_layer()?;
        self.workspace
            .selected()
            .and_then(|i| layer.footprints.get(i))
            .map(|f| f.code.as_str())
    }

    /// The map's view as of the last frame.
    pub fn map_view(&self) -> Option<MapView> {
        self.view.camera.view
    }

    pub fn notices(&self) -> &[Notice] {
        self.notices.as_slice()
    }

    /// The titles of the compare window's (older, newer) layers, while it is open.
    pub fn compare_titles(&self) -> Option<(String, String)> {
        self.windows.compare.as_ref()?;
        let (old, new) = self.workspace.compare()?;
        let title = |id| self.workspace.get(id).map(|l| l.layer.title.clone());
        Some((title(old)?, title(new)?))
    }

    /// Where the compare window's swipe divider is, while it swipes.
    pub fn swipe_divider(&self) -> Option<f32> {
        self.windows
            .compare
            .as_ref()
            .filter(|c| c.swipe)
            .map(|c| c.divider)
    }

    /// Whether a layer is still being loaded.
    pub fn is_loading(&self) -> bool {
        !self.tasks.loads.is_empty()
    }

    /// Whether a layer, the people figures of one, or the builder are still being worked out.
    pub fn is_busy(&self) -> bool {
        self.is_loading()
            || !self.tasks.statistics_jobs.is_empty()
            || self.building.shelf.loading.is_some()
            || !self.building.shelf.layer_jobs.is_empty()
    }

    /// The builder's scenario, while one is open.
    pub fn scenario(&self) -> Option<&crate::builder::Scenario> {
        self.building.builder.as_ref().map(|b| &b.scenario)
    }

    /// The rules of the builder's scenario, while one is open.
    pub fn scenario_rules(&self) -> Option<&crate::builder::rules::Rules> {
        self.building.builder.as_ref().map(|b| &b.rules)
    }

    pub fn layer_titles(&self) -> Vec<String> {
        self.workspace
            .iter()
            .map(|(_, l)| l.layer.title.clone())
            .collect()
    }

    pub fn settings(&self) -> &Settings {
        &self.prefs.settings
    }

    /// Whether an export (a map or a board pack) is still being written.
    pub fn is_exporting(&self) -> bool {
        !self.tasks.exports.is_empty() || !self.tasks.packs.is_empty()
    }

    /// Whether presentation mode is on.
    pub fn is_presenting(&self) -> bool {
        self.view.presenting.is_some()
    }

    /// Whether the postcode list has finished loading.
    pub fn postcodes_ready(&self) -> bool {
        self.reference.sources.postcodes.is_some()
    }

    /// The message of the last search.
    pub fn answer(&self) -> Option<&Notice> {
        self.search.answer.as_ref()
    }
}

/// Place names and postcode sector/district centres built into the binary.
fn embedded_sources() -> Sources {
    use crate::embedded;
    let text = |b: Option<&[u8]>| {
        b.map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    };
    Sources {
        places: embedded::GB_PLACES.get().map(|b| {
            crate::search::places::Gazetteer::new(crate::basemap::parse_places_csv(
                &String::from_utf8_lossy(b),
            ))
        }),
        postcodes: None,
        sectors: resolve::parse_centroids(&text(embedded::POSTCODE_SECTORS.get())),
        districts: resolve::parse_centroids(&text(embedded::POSTCODE_DISTRICTS.get())),
    }
}

/// Opens the 2.26 million built-in postcodes off the UI thread (inflated once, in about 70 ms).
fn load_postcodes_in_background(
    ctx: &egui::Context,
) -> std::io::Result<Option<Job<Result<PostcodeIndex, String>>>> {
    if !crate::embedded::POSTCODE_TABLE.is_some() {
        return Ok(None);
    }
    Job::spawn("postcodes", ctx, || {
        PostcodeIndex::shared()
            .unwrap_or_else(|| Err("This build has no postcode list".to_string()))
    })
    .map(Some)
}

/// What a hover highlight was made for: the workspace's generation, the level of detail and the
/// builder's block level.
type HoverKey = (u64, usize, crate::builder::BlockLevel);

/// The list's rows are for this layer, at this generation of the workspace, with these fields
/// and this filter and order.
type ListKey = (
    Option<LayerId>,
    u64,
    usize,
    crate::model::FieldChoice,
    ListState,
);

/// The built-in footprints (prepared, with their details) and the basemap, made ready side by
/// side.
#[allow(clippy::type_complexity)]
fn prepare_built_ins() -> (
    anyhow::Result<Option<(PreparedLayer, DetailsCatalog)>>,
    (Arc<crate::basemap::Basemap>, PreparedBasemap),
) {
    std::thread::scope(|scope| {
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
                let labels =
                    short_labels(&crate::facts::LayerFacts::new(&layer, &catalog, None, &[]));
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
    })
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

/// England with a little sea around it.
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
