//! The app's owners besides the workspace: each holds one part of the state, and the frame
//! routes the user's actions to them.

use super::*;

/// The reference data every frame reads: the 2016 catalogue, the basemap (drawn and for
/// exports), the gazetteers and the user's own details files.
pub(super) struct Reference {
    pub(super) catalog: Arc<DetailsCatalog>,
    pub(super) basemap: PreparedBasemap,
    /// The basemap's geometry, for exports.
    pub(super) basemap_geometry: Arc<crate::basemap::Basemap>,
    /// Gazetteers for the search box (postcodes arrive from a background thread).
    pub(super) sources: Sources,
    /// The user's own details files, as loaded.
    pub(super) own_details: Vec<crate::own_details::OwnDetails>,
}

/// The persisted settings, where they live and what was last written.
pub(super) struct Prefs {
    pub(super) settings: Settings,
    /// `None` keeps them in memory only (tests).
    pub(super) path: Option<PathBuf>,
    /// As last written, to write again only when they change.
    pub(super) saved: Settings,
    /// When the view was last written to the settings file.
    pub(super) view_saved_at: std::time::Instant,
    /// Writes the settings off the UI thread.
    pub(super) writer: crate::fs::LatestWriter,
}

/// Every background job: started here, polled once a frame, each failure said.
pub(super) struct Tasks {
    pub(super) loads: Vec<PendingLoad>,
    /// The postcode list being inflated (asked for when the search box is first used).
    pub(super) postcodes: Option<Job<Result<PostcodeIndex, String>>>,
    /// Whether the postcode list has been asked for (once: a failure is said, not retried).
    pub(super) postcodes_asked: bool,
    /// Exports (maps, scenarios) being written in the background: what to say when done.
    pub(super) exports: Vec<Job<Result<String, String>>>,
    /// Board packs being made in the background, with their progress.
    pub(super) packs: Vec<packing::PackJob>,
    /// A comparison being worked out: the layers' titles and the result.
    pub(super) comparing: Option<Job<((String, String), crate::compare::Comparison)>>,
    /// People figures being worked out, per layer.
    pub(super) statistics_jobs: Vec<(people::LayerKey, StatisticsJob)>,
    /// Layers whose people figures were asked for (done, running or not available).
    pub(super) statistics_tried: std::collections::HashSet<people::LayerKey>,
}

/// The search box, its answer and where it points.
#[derive(Default)]
pub(super) struct Search {
    pub(super) state: SearchState,
    /// A postcode search made before the postcode list finished loading; run once it has.
    pub(super) pending: Option<String>,
    /// The pin of the last search.
    pub(super) pin: Option<geo::Coord<f64>>,
    /// "B15 2TT is in Birmingham and Solihull", or why a search failed.
    pub(super) answer: Option<Notice>,
    /// Where the map was last clicked or searched, for what is there in the other layers.
    pub(super) clicked_at: Option<geo::Coord<f64>>,
    /// The right-clicked point and where its window goes.
    pub(super) whats_here: Option<(geo::Coord<f64>, egui::Pos2)>,
}

/// What is shown and how: the camera, hover, the list, presentation, the map's background.
pub(super) struct ViewState {
    /// Where the map looks, and the box kept framed.
    pub(super) camera: Camera,
    pub(super) hovered: Option<usize>,
    /// The hovered footprint's highlight: which, at what (workspace generation, detail, block
    /// level), and its mesh.
    pub(super) hover_drawables: Option<(usize, HoverKey, Vec<Drawables>)>,
    pub(super) tiles: Option<Box<dyn walkers::Tiles>>,
    /// The map alone, without menus and panels (F11).
    pub(super) fullscreen: bool,
    /// The theme egui drew the last frame in.
    pub(super) dark: bool,
    pub(super) show_list: bool,
    pub(super) list: ListState,
    /// The list's rows and what they were made for.
    pub(super) list_rows: Option<(ListKey, Vec<ListRow>)>,
    pub(super) first_frame_logged: bool,
    /// Presentation mode, while on.
    pub(super) presenting: Option<crate::ui::present::Presentation>,
    /// The legend of the active layer's colouring.
    pub(super) legend: crate::render::style::Legend,
    /// The tile server address being typed in View → Background map.
    pub(super) tile_server_draft: String,
}

impl Tasks {
    /// No jobs yet.
    pub(super) fn new() -> Self {
        Tasks {
            loads: Vec::new(),
            postcodes: None,
            postcodes_asked: false,
            exports: Vec::new(),
            packs: Vec::new(),
            comparing: None,
            statistics_jobs: Vec::new(),
            statistics_tried: Default::default(),
        }
    }
}

impl ViewState {
    /// Looking through `camera`, in the theme egui starts in (`dark`).
    pub(super) fn new(camera: Camera, dark: bool) -> Self {
        ViewState {
            camera,
            hovered: None,
            hover_drawables: None,
            tiles: None,
            fullscreen: false,
            dark,
            show_list: false,
            list: ListState::default(),
            list_rows: None,
            first_frame_logged: false,
            presenting: None,
            legend: Default::default(),
            tile_server_draft: String::new(),
        }
    }
}

/// The footprint builder: the scenario shown and the others open, autosaved or being made.
pub(super) struct Building {
    /// The footprint builder, while a scenario is open.
    pub(super) builder: Option<crate::ui::builder::Builder>,
    /// The other open scenarios, autosave, and scenarios being made.
    pub(super) shelf: scenarios::ScenarioShelf,
}

/// The messages for the user in the status bar, each also written to the log (errors as
/// warnings), so that nothing the user was told is lost from the log.
#[derive(Default)]
pub(super) struct Notices(Vec<Notice>);

impl Notices {
    /// Says `notice`, and logs it.
    pub(super) fn push(&mut self, notice: Notice) {
        if notice.is_error {
            log::warn!("{}", notice.text);
        } else {
            log::info!("{}", notice.text);
        }
        self.0.push(notice);
    }

    /// Says something about `topic`, to be taken back by [`Notices::withdraw`].
    pub(super) fn about(&mut self, topic: Topic, text: impl Into<String>) {
        self.push(Notice {
            text: text.into(),
            is_error: false,
            topic: Some(topic),
        });
    }

    /// Takes back what was said about `topic` (it no longer holds).
    pub(super) fn withdraw(&mut self, topic: Topic) {
        self.0.retain(|n| n.topic != Some(topic));
    }

    /// Says something done or worth knowing.
    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.push(Notice {
            text: text.into(),
            is_error: false,
            topic: None,
        });
    }

    /// Says that something went wrong.
    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.push(Notice {
            text: text.into(),
            is_error: true,
            topic: None,
        });
    }

    /// A background job that could not start (`what`: "the export") or stopped without an
    /// answer: said, never dropped.
    pub(super) fn job_failed(&mut self, what: &str, start: Option<&std::io::Error>) {
        match start {
            Some(e) => self.error(format!("Could not start {what} ({e})")),
            None => self.error(format!("{} stopped unexpectedly", capitalised(what))),
        }
    }

    pub(super) fn extend(&mut self, notices: impl IntoIterator<Item = Notice>) {
        for notice in notices {
            self.push(notice);
        }
    }

    pub(super) fn as_slice(&self) -> &[Notice] {
        &self.0
    }

    pub(super) fn remove(&mut self, index: usize) {
        if index < self.0.len() {
            self.0.remove(index);
        }
    }

    pub(super) fn clear(&mut self) {
        self.0.clear();
    }
}

/// "the export" → "The export".
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_taken_back_by_topic_and_failed_jobs_are_said() {
        let mut notices = Notices::default();
        notices.about(Topic::PreparingBuilder, "Preparing the builder from ICBs…");
        notices.info("Opened ICBs: 36 areas");
        notices.job_failed("the export", None);
        let denied = std::io::Error::other("no threads left");
        notices.job_failed("the board pack", Some(&denied));
        notices.withdraw(Topic::PreparingBuilder);
        let texts: Vec<(&str, bool)> = notices
            .as_slice()
            .iter()
            .map(|n| (n.text.as_str(), n.is_error))
            .collect();
        assert_eq!(
            texts,
            [
                ("Opened ICBs: 36 areas", false),
                ("The export stopped unexpectedly", true),
                ("Could not start the board pack (no threads left)", true),
            ]
        );
    }
}
