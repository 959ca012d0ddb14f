//! The app's view and output: framing, exports, compare results, colouring, theme and tiles.

use super::*;

impl FootprintsApp {
    /// Draws the page now (what is on screen) and writes it in the background.
    pub(super) fn start_export(&mut self, ctx: &egui::Context, replace: bool) {
        use crate::render::export::{ExportRequest, png_from_svg, scene, to_pdf, to_svg};
        let Some(form) = &mut self.windows.export else {
            return;
        };
        let path = PathBuf::from(form.path.trim().trim_matches('"'));
        let format = match crate::render::format::format_of(&path) {
            Ok(format) => format,
            Err(e) => {
                self.notices.error(e.to_string());
                return;
            }
        };
        if path.exists() && !replace {
            form.confirm_replace = true;
            return;
        }
        let (_, paper, dpi) = panels::EXPORT_SIZES[form.size.min(panels::EXPORT_SIZES.len() - 1)];
        use crate::render::export::PageSize;
        let page_size = match (paper, self.view.camera.view) {
            (Some(paper), _) => PageSize::paper(paper, dpi),
            (None, Some(view)) => PageSize::screen(view.rect.width(), view.rect.height()),
            (None, None) => PageSize::screen(1000.0, 700.0),
        };
        let (width, height) = (page_size.width, page_size.height);
        let points_per_pixel = page_size.points_per_pixel();
        let title = form.title.clone();
        let Some(prepared) = self.active_prepared() else {
            return;
        };
        let label_mode = if self.prefs.settings.show_labels {
            self.prefs.settings.label_mode
        } else {
            crate::render::style::LabelMode::None
        };
        let request = ExportRequest {
            facts: prepared.facts(&self.reference.catalog),
            basemap: &self.reference.basemap_geometry,
            colours: &prepared.colours,
            legend: &self.view.legend,
            selected: self.workspace.selected(),
            label_mode,
            short_labels: &prepared.short_labels,
            title,
            frame: self.view.camera.view.map(|v| v.bounds()),
            width,
            height,
        };
        let page = match scene(&request) {
            Ok(page) => page,
            Err(e) => {
                self.notices.error(format!(
                    "The export could not be drawn ({e}): {}",
                    path.display()
                ));
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
                .and_then(|b| crate::fs::write_atomically(&path, &b).map_err(|e| e.to_string()))
                .map(|()| format!("Exported the map: {}", path.display()))
                .map_err(|e| format!("The export could not be written ({e}): {}", path.display()))
        });
        match spawned {
            Ok(job) => {
                self.tasks.exports.push(job);
                self.windows.export = None;
            }
            Err(e) => self.notices.job_failed("the export", Some(&e)),
        }
    }

    pub(super) fn poll_compare(&mut self) {
        let Some(job) = &self.tasks.comparing else {
            return;
        };
        match job.poll() {
            Polled::Done(result) => {
                if let Some(state) = &mut self.windows.compare {
                    state.result = Some(result);
                }
                self.tasks.comparing = None;
            }
            Polled::Pending => {}
            Polled::Lost => {
                self.tasks.comparing = None;
                self.notices.job_failed("comparing the layers", None);
            }
        }
    }

    pub(super) fn poll_exports(&mut self) {
        let mut still = Vec::new();
        for job in self.tasks.exports.drain(..) {
            match job.poll() {
                Polled::Done(Ok(done)) => self.notices.info(done),
                Polled::Done(Err(message)) => self.notices.error(message),
                Polled::Pending => still.push(job),
                Polled::Lost => self.notices.job_failed("the export", None),
            }
        }
        self.tasks.exports = still;
    }

    pub(super) fn active_prepared(&self) -> Option<&PreparedLayer> {
        self.workspace.active()
    }

    /// Colours the active layer as the settings say, and makes its legend.
    pub(super) fn apply_style(&mut self) {
        let Some(prepared) = self.workspace.active_mut() else {
            self.view.legend = Default::default();
            return;
        };
        // A property the layer lacks falls back to distinct colours.
        let by = match &self.prefs.settings.colour_by {
            crate::render::style::ColourBy::Property(key)
                if !prepared.layer.property_keys.contains(key) =>
            {
                crate::render::style::ColourBy::Footprint
            }
            other => other.clone(),
        };
        let styled = crate::render::style::style(
            &prepared.facts(&self.reference.catalog),
            &prepared.neighbours,
            &by,
            self.prefs.settings.palette,
        );
        prepared.restyle(styled.colours);
        self.view.legend = styled.legend;
        self.view.hover_drawables = None;
    }

    pub(super) fn apply_theme(&mut self, ctx: &egui::Context) {
        ctx.set_theme(match self.prefs.settings.theme {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        });
    }

    pub(super) fn make_tiles(&mut self, ctx: &egui::Context) {
        // TLS for online tiles; ring is the provider this build carries (installing twice is
        // harmless).
        let _ = rustls::crypto::ring::default_provider().install_default();
        self.view.tiles = match &self.prefs.settings.tiles {
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
                    self.notices.error(format!(
                            "The tile server address needs {{z}}, {{x}} and {{y}} and to start with http:// or https://: {template}"
                        ));
                    None
                }
            }
            TileChoice::PmTiles(path) => {
                if path.is_file() {
                    Some(Box::new(walkers::PmTiles::new(path, ctx.clone())))
                } else {
                    self.notices
                        .error(format!("The PMTiles file is missing: {}", path.display()));
                    None
                }
            }
        };
    }

    pub(super) fn tile_credit(&self) -> Option<String> {
        match &self.prefs.settings.tiles {
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
}
