//! The app's board pack: made in the background from the active layer as shown (colours,
//! people, members), with progress and cancel in the status bar, written atomically, and
//! never over a file without asking.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::*;
use crate::render::export::{PageSize, Paper, page_order};

/// A pack being made: its progress, and its answer (what to say when it is written).
pub(super) type PackJob = (Arc<PackProgress>, Job<Result<String, String>>);

/// How far a pack has got, and whether it should stop.
#[derive(Default)]
pub(super) struct PackProgress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

impl PackProgress {
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    fn fraction(&self) -> f32 {
        let total = self.total.load(Ordering::Relaxed).max(1);
        self.done.load(Ordering::Relaxed) as f32 / total as f32
    }
}

impl FootprintsApp {
    /// Makes the board pack of the active layer in the background, as the form says.
    pub(super) fn start_pack(&mut self, ctx: &egui::Context, replace: bool) {
        let Some(form) = &mut self.windows.export else {
            return;
        };
        let path = PathBuf::from(form.path.trim().trim_matches('"'));
        if path.as_os_str().is_empty() {
            return;
        }
        if path.exists() && !replace {
            form.confirm_replace = true;
            return;
        }
        let (paper, dpi) = match panels::EXPORT_SIZES[form.size.min(panels::EXPORT_SIZES.len() - 1)]
        {
            (_, Some(paper), dpi) => (paper, dpi),
            (_, None, _) => (Paper::A4, 150.0),
        };
        let title = form.title.clone();
        let regions: Vec<String> = form
            .regions
            .split(',')
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect();
        let Some(prepared) = self.active_prepared() else {
            return;
        };
        let layer = prepared.layer.clone();
        let colours = prepared.colours.clone();
        let labels = prepared.short_labels.clone();
        let areas = prepared.areas_km2.clone();
        let statistics = prepared.statistics.clone();
        let legend = self.view.legend.clone();
        let catalog = self.reference.catalog.clone();
        let basemap = self.reference.basemap_geometry.clone();
        let out = crate::render::export::PackOutput::for_path(path);
        let progress = Arc::new(PackProgress::default());
        let thread_progress = progress.clone();
        let spawned = Job::spawn("board pack", ctx, move || {
            let layer_facts =
                crate::facts::LayerFacts::new(&layer, &catalog, statistics.as_deref(), &areas);
            let facts = crate::facts::facts_of(&layer_facts, &labels);
            let order = page_order(&facts, &regions, &[]);
            if order.is_empty() {
                return Err(format!(
                    "No footprint of {} is in {}: nothing to put in a pack",
                    layer.title,
                    regions.join(", ")
                ));
            }
            let request = crate::render::export::PackRequest {
                layer: &layer,
                basemap: &basemap,
                colours: &colours,
                legend: &legend,
                facts: &facts,
                title: title.clone(),
                date: crate::render::date::today(),
                paper,
                dpi,
                order,
            };
            let report = |done: usize, total: usize| {
                thread_progress.done.store(done, Ordering::Relaxed);
                thread_progress.total.store(total, Ordering::Relaxed);
                !thread_progress.cancelled.load(Ordering::Relaxed)
            };
            let Some(pack) = crate::render::export::pack(&request, &report) else {
                return Err(format!(
                    "The board pack was cancelled: {}",
                    out.path().display()
                ));
            };
            let pages = pack.pages.len();
            pack.write(&out, &title, PageSize::paper(paper, dpi))
                .map(|_| {
                    format!(
                        "Exported the board pack ({pages} pages): {}",
                        out.path().display()
                    )
                })
                .map_err(|e| format!("{e:#}"))
        });
        match spawned {
            Ok(job) => {
                self.tasks.packs.push((progress, job));
                self.windows.export = None;
            }
            Err(e) => self
                .notices
                .error(format!("Could not start the board pack ({e})")),
        }
    }

    /// Says which packs are done.
    pub(super) fn poll_packs(&mut self) {
        let mut still = Vec::new();
        for (progress, job) in self.tasks.packs.drain(..) {
            match job.poll() {
                Polled::Done(Ok(text)) => self.notices.push(Notice {
                    text,
                    is_error: false,
                    topic: None,
                }),
                Polled::Done(Err(text)) => self.notices.push(Notice {
                    text,
                    is_error: true,
                    topic: None,
                }),
                Polled::Pending => still.push((progress, job)),
                Polled::Lost => self.notices.error("The board pack stopped unexpectedly"),
            }
        }
        self.tasks.packs = still;
    }

    /// The status bar's progress for packs being made, with Cancel.
    pub(super) fn packs_status_ui(&self, ui: &mut Ui) -> Vec<Action> {
        let mut actions = Vec::new();
        for (progress, _) in &self.tasks.packs {
            ui.spinner();
            ui.label("Making the board pack");
            ui.add(
                egui::ProgressBar::new(progress.fraction())
                    .desired_width(120.0)
                    .show_percentage(),
            );
            if ui.button("Cancel").clicked() {
                actions.push(Action::CancelPack);
            }
            ui.separator();
        }
        actions
    }
}
