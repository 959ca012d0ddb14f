//! The camera: where the map looks (walkers' memory), the view last drawn, and a box kept
//! framed while the window is resized, until the user moves the map.

use walkers::{MapMemory, lon_lat};

use crate::geo_util::{fit_bounds, lon_lat_to_world, world_pixels, world_to_lon_lat};
use crate::settings::SavedView;
use crate::ui::map::MapView;

/// Closest and farthest zoom the camera goes to.
const ZOOM_RANGE: std::ops::RangeInclusive<f64> = 0.0..=19.0;

pub struct Camera {
    /// Centre and zoom, as walkers keeps them.
    pub memory: MapMemory,
    /// The view as last drawn (screen rectangle, centre, zoom); `None` before the first frame.
    pub view: Option<MapView>,
    auto_fit: Option<AutoFit>,
}

/// A box to keep framed, and the window size, centre and zoom it was last framed with.
struct AutoFit {
    bbox: geo::Rect<f64>,
    applied: Option<(Option<egui::Vec2>, f64, f64, f64)>,
}

impl Camera {
    /// Where the user left the map, or `start` framed.
    pub fn new(saved: Option<SavedView>, start: geo::Rect<f64>) -> Camera {
        let mut memory = MapMemory::default();
        let auto_fit = match saved {
            Some(view) => {
                memory.center_at(lon_lat(view.lon, view.lat));
                memory.set_zoom(view.zoom.clamp(2.0, 19.0)).ok();
                None
            }
            None => {
                let centre = start.center();
                memory.center_at(lon_lat(centre.x, centre.y));
                memory.set_zoom(6.0).ok();
                Some(AutoFit {
                    bbox: start,
                    applied: None,
                })
            }
        };
        Camera {
            memory,
            view: None,
            auto_fit,
        }
    }

    /// Frames `bbox` now, and keeps it framed while the window is resized and the user has
    /// not moved the map.
    pub fn fit(&mut self, bbox: geo::Rect<f64>) {
        self.fit_when_drawn(Some(bbox));
        self.apply_fit(None);
    }

    /// Frames `bbox` from the next frame on (`None`: stop keeping anything framed).
    pub fn fit_when_drawn(&mut self, bbox: Option<geo::Rect<f64>>) {
        self.auto_fit = bbox.map(|bbox| AutoFit {
            bbox,
            applied: None,
        });
    }

    /// Moves to `centre` (lon/lat) at `zoom`, as a drag and a scroll would.
    pub fn look_at(&mut self, centre: geo::Coord<f64>, zoom: f64) {
        self.auto_fit = None;
        self.memory.center_at(lon_lat(centre.x, centre.y));
        self.memory
            .set_zoom(zoom.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end()))
            .ok();
    }

    pub fn zoom(&self) -> f64 {
        self.memory.zoom()
    }

    pub fn zoom_in(&mut self) {
        self.memory.zoom_in().ok();
    }

    pub fn zoom_out(&mut self) {
        self.memory.zoom_out().ok();
    }

    /// Moves the map by `delta` screen points, as the arrow keys do.
    pub fn pan_by(&mut self, delta: egui::Vec2) {
        let Some(view) = self.view else {
            return;
        };
        let scale = world_pixels(view.zoom);
        let centre = lon_lat_to_world(view.centre.x, view.centre.y);
        let moved = world_to_lon_lat(geo::Coord {
            x: centre.x + delta.x as f64 / scale,
            y: centre.y + delta.y as f64 / scale,
        });
        self.memory.center_at(lon_lat(moved.x, moved.y));
    }

    fn apply_fit(&mut self, window: Option<egui::Vec2>) {
        let Some(fit) = &mut self.auto_fit else {
            return;
        };
        let (width, height) = self
            .view
            .map(|v| (v.rect.width() as f64, v.rect.height() as f64))
            .unwrap_or((1000.0, 700.0));
        let (centre, zoom) = fit_bounds(fit.bbox, width, height, 24.0);
        let zoom = zoom.clamp(*ZOOM_RANGE.start(), *ZOOM_RANGE.end());
        fit.applied = Some((window, centre.x, centre.y, zoom));
        self.memory.center_at(lon_lat(centre.x, centre.y));
        self.memory.set_zoom(zoom).ok();
    }

    /// Frames `bbox` in the part of the map the presentation card and title leave free: the
    /// left 60% below the title line.
    pub fn fit_beside_card(&mut self, bbox: geo::Rect<f64>) {
        let Some(view) = self.view else {
            self.fit(bbox);
            return;
        };
        let (w, h) = (view.rect.width() as f64, view.rect.height() as f64);
        const TITLE: f64 = 54.0;
        let (free_w, free_h) = (w * 0.6, h - TITLE);
        let (centre, zoom) = fit_bounds(bbox, free_w, free_h, 28.0);
        let scale = world_pixels(zoom);
        let c = lon_lat_to_world(centre.x, centre.y);
        // Move the map's centre so the box's centre lands in the middle of the free part.
        let shifted = world_to_lon_lat(geo::Coord {
            x: c.x + (w / 2.0 - free_w / 2.0) / scale,
            y: c.y - (TITLE / 2.0) / scale,
        });
        self.look_at(shifted, zoom);
    }

    /// Refits after a window resize; lets go once the user has moved the map. Returns whether
    /// the view was changed.
    pub fn keep_fit(&mut self, window: egui::Vec2) -> bool {
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
}
