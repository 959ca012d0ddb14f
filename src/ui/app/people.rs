//! The app's people figures: each layer's LSOA 2021 statistics, worked out in its load job, or
//! for the layer open at start-up in a job of their own once the window is up (the built-in
//! tables are read on first use); looked up for the details panel, tooltip, list and colours.

use super::*;
use crate::blocks::layer_statistics;

/// Which layer a statistics job is for: its source and title.
pub(super) type LayerKey = (String, String);

pub(super) fn key_of(layer: &Layer) -> LayerKey {
    (layer.source.describe(), layer.title.clone())
}

/// Layers up to this many areas get a job of their own to work out their people.
const SMALL_LAYER: usize = 2_000;

impl FootprintsApp {
    /// Starts a job for each open layer without statistics, and attaches those that are done.
    pub(super) fn poll_statistics(&mut self, ctx: &egui::Context) {
        let mut finished = Vec::new();
        let mut lost = Vec::new();
        self.tasks
            .statistics_jobs
            .retain(|(key, job)| match job.poll() {
                Polled::Pending => true,
                Polled::Done(statistics) => {
                    finished.push((key.clone(), statistics));
                    false
                }
                Polled::Lost => {
                    lost.push(key.1.clone());
                    false
                }
            });
        for title in lost {
            self.notices
                .job_failed(&format!("working out the people of {title}"), None);
        }
        for (key, statistics) in finished {
            let Some(statistics) = statistics else {
                continue;
            };
            let statistics = Arc::new(statistics);
            let layers = self.workspace.iter_mut().map(|(_, p)| p);
            for prepared in layers.filter(|p| key_of(&p.layer) == key) {
                prepared.statistics = Some(statistics.clone());
            }
            self.view.list_rows = None;
            self.apply_style();
        }
        for (_, prepared) in self.workspace.iter() {
            // A small layer the load gave no people (the one open at start) gets a job of its
            // own, sharing the layer; the big ones (the builder's blocks) have theirs already.
            if prepared.statistics.is_some() || prepared.layer.footprints.len() > SMALL_LAYER {
                continue;
            }
            let key = key_of(&prepared.layer);
            if self.tasks.statistics_tried.contains(&key) {
                continue;
            }
            self.tasks.statistics_tried.insert(key.clone());
            let layer = prepared.layer.clone();
            let spawned = Job::spawn("statistics", ctx, move || {
                let blocks = crate::blocks::Blocks::embedded()?;
                let locator = crate::lookup::PointLocator::build(&layer);
                Some(layer_statistics::for_layer(&layer, blocks, &locator))
            });
            match spawned {
                Ok(job) => self.tasks.statistics_jobs.push((key, job)),
                Err(e) => self
                    .notices
                    .job_failed("working out the layer's people", Some(&e)),
            }
        }
    }
}
