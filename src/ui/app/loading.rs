//! The app's loading: files and built-in layers read in the background and added as layers.

use super::*;

impl FootprintsApp {
    // ----- used by the benchmark -----

    /// Shows a layer prepared elsewhere, as if it had just been opened from `path`.
    pub fn open_prepared(&mut self, prepared: PreparedLayer, path: &Path) {
        self.add_layer(prepared, &LayerRef::File(path.to_owned()), false);
        self.notices.clear();
    }

    /// Moves the map to `centre` (lon/lat) at `zoom`, as a drag and a scroll would.
    pub fn set_view(&mut self, centre: geo::Coord<f64>, zoom: f64) {
        self.view.camera.look_at(centre, zoom);
    }

    // ----- loading -----

    /// Loads a layer (a file or a built-in one) in the background; `fit` frames it when it
    /// arrives.
    pub(super) fn start_load(&mut self, ctx: &egui::Context, layer_ref: LayerRef, fit: bool) {
        if self.tasks.loads.iter().any(|l| l.layer == layer_ref) {
            return;
        }
        let progress = Progress::new();
        let thread_progress = progress.clone();
        let thread_ref = layer_ref.clone();
        let catalog = self.reference.catalog.clone();
        let fields = layer_ref
            .path()
            .and_then(|p| self.prefs.settings.field_choices.get(p))
            .cloned();
        let spawned = Job::spawn("load", ctx, move || {
            let result = thread_ref
                .load(&thread_progress, load::APP_MEMORY_PER_BYTE)
                .map_err(|e| format!("{e:#}"));
            result.and_then(|mut layer| {
                if let Some(fields) = fields {
                    layer.apply_fields(fields);
                }
                let labels =
                    short_labels(&crate::facts::LayerFacts::new(&layer, &catalog, None, &[]));
                let mut prepared = PreparedLayer::new_cancellable(layer, labels, &thread_progress)
                    .ok_or_else(|| format!("Loading was cancelled: {}", thread_ref.describe()))?;
                // Its people, through its own point locator (no copy of the layer needed).
                if let Some(blocks) = crate::blocks::Blocks::embedded() {
                    prepared.statistics =
                        Some(Arc::new(crate::blocks::layer_statistics::for_layer(
                            &prepared.layer,
                            blocks,
                            &prepared.locator,
                        )));
                }
                Ok(prepared)
            })
        });
        match spawned {
            Ok(job) => self.tasks.loads.push(PendingLoad {
                layer: layer_ref,
                fit,
                progress,
                job,
            }),
            Err(e) => {
                let text = format!("Could not start loading ({e}): {}", layer_ref.describe());
                self.notices.push(Notice {
                    text,
                    is_error: true,
                    topic: None,
                });
            }
        }
    }

    pub(super) fn poll_loads(&mut self) {
        let mut finished = Vec::new();
        for (i, load) in self.tasks.loads.iter().enumerate() {
            match load.job.poll() {
                Polled::Done(result) => finished.push((i, Some(result))),
                Polled::Lost => finished.push((i, None)),
                Polled::Pending => {}
            }
        }
        for (i, result) in finished.into_iter().rev() {
            let load = self.tasks.loads.remove(i);
            match result {
                Some(Ok(prepared)) => self.add_layer(prepared, &load.layer, load.fit),
                // (A cancelled load is no longer listed, so its answer never arrives here.)
                Some(Err(message)) => {
                    self.notices.error(message);
                    self.prefs.settings.open_files.retain(|l| l != &load.layer);
                }
                None => self.notices.error(format!(
                    "Loading stopped unexpectedly: {}",
                    load.layer.describe()
                )),
            }
        }
    }

    pub(super) fn add_layer(&mut self, prepared: PreparedLayer, layer_ref: &LayerRef, fit: bool) {
        let problems = prepared.layer.problems.clone();
        let title = prepared.layer.title.clone();
        let count = prepared.layer.footprints.len();
        let bbox = prepared.layer.bbox();
        // Reopening a file replaces its earlier copy in its place, under the same id: what
        // pointed at it (the selection, the compare pair) still does.
        let existing = self
            .workspace
            .find(|l| LayerRef::of_source(&l.layer.source).as_ref() == Some(layer_ref));
        match existing {
            Some(id) => {
                // As the user left it: shown or hidden, and how faded.
                let mut prepared = prepared;
                if let Some(earlier) = self.workspace.get(id) {
                    (prepared.visible, prepared.opacity) = (earlier.visible, earlier.opacity);
                }
                self.workspace.replace(id, prepared, count);
                self.workspace.activate(id);
            }
            None => {
                self.workspace.add(prepared);
            }
        }
        self.after_layers_changed();
        if let Some(path) = layer_ref.path() {
            self.prefs.settings.remember_recent(path);
        }
        if !self.prefs.settings.open_files.contains(layer_ref) {
            self.prefs.settings.open_files.push(layer_ref.clone());
        }
        if fit {
            self.view.camera.fit_when_drawn(bbox);
        }
        let mut text = format!("Opened {title}: {count} areas");
        if !problems.is_empty() {
            text.push_str(&format!(" ({})", problems.join("; ")));
        }
        self.notices.push(Notice {
            text,
            is_error: false,
            topic: None,
        });
    }
}
