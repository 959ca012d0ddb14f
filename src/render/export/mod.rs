//! Print-quality exports: the map drawn as true vectors (SVG: one shape per footprint, text as
//! text), rendered from that to PNG at the target resolution, each with a title, the legend,
//! a scale bar and the data attribution.
//!
//! The page is first laid out as a [`Scene`] of shapes and text ([`scene`]), which each writer
//! turns into its format: [`to_svg`], [`to_pdf`], and [`png_from_svg`] (PNG drawn from the SVG).

mod pack;
mod pdf;
mod png;
mod scene;
mod svg;

pub use pack::{Pack, PackOutput, PackRequest, pack, page_order};
pub use pdf::{PdfWriter, to_pdf};
pub use png::png_from_svg;
pub use scene::scene;
pub use svg::{svg, to_svg};

use geo::{Coord, MultiPolygon, Rect};

use crate::basemap::Basemap;
use crate::colour::Rgb;
use crate::geo_util::{fit_bounds, lon_lat_to_world};
use crate::render::style::{LabelMode, Legend};

/// Paper sizes, landscape, in millimetres.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    A4,
    A3,
}

impl Paper {
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (297.0, 210.0),
            Paper::A3 => (420.0, 297.0),
        }
    }

    /// Pixels at `dpi`.
    pub fn pixels(self, dpi: f64) -> (u32, u32) {
        let (w, h) = self.size_mm();
        (
            (w / 25.4 * dpi).round() as u32,
            (h / 25.4 * dpi).round() as u32,
        )
    }
}

/// An exported page's size in pixels and its resolution: the one rule for every export's scale,
/// from the window and the command line alike (a PDF page is `width / dpi` inches wide).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageSize {
    pub width: u32,
    pub height: u32,
    pub dpi: f64,
}

impl PageSize {
    /// A size given in pixels, printed at 96 dpi.
    pub fn pixels(width: u32, height: u32) -> Self {
        PageSize {
            width,
            height,
            dpi: 96.0,
        }
    }

    /// A sheet of `paper` at `dpi`.
    pub fn paper(paper: Paper, dpi: f64) -> Self {
        let (width, height) = paper.pixels(dpi);
        PageSize { width, height, dpi }
    }

    /// The map as it is on screen (`width`×`height` points): drawn at twice that for
    /// sharpness, so that the page is the screen's size at 96 dpi.
    pub fn screen(width: f32, height: f32) -> Self {
        PageSize {
            width: (width * 2.0) as u32,
            height: (height * 2.0) as u32,
            dpi: 192.0,
        }
    }

    /// PDF points (1/72 inch) per pixel.
    pub fn points_per_pixel(&self) -> f64 {
        72.0 / self.dpi
    }
}

/// What to export.
pub struct ExportRequest<'a> {
    /// The layer and what it knows: each footprint's title (people, lead) and the selected
    /// one's card come from here.
    pub facts: crate::facts::LayerFacts<'a>,
    pub basemap: &'a Basemap,
    pub colours: &'a [Rgb],
    pub legend: &'a Legend,
    pub selected: Option<usize>,
    pub label_mode: LabelMode,
    /// Short labels (numbers) for when names do not fit.
    pub short_labels: &'a [String],
    pub title: String,
    /// Area to frame (lon/lat); the layer's extent when `None`.
    pub frame: Option<Rect<f64>>,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the image could not be drawn ({0})")]
    Render(String),
    #[error("the size {0}×{1} pixels is outside 64 to 20,000 on each side")]
    Size(u32, u32),
}

/// Projects lon/lat onto the page.
struct PageProjection {
    centre: Coord<f64>,
    scale: f64,
    origin: (f64, f64),
    zoom: f64,
}

impl PageProjection {
    fn point(&self, c: Coord<f64>) -> (f64, f64) {
        let w = lon_lat_to_world(c.x, c.y);
        (
            self.origin.0 + (w.x - self.centre.x) * self.scale,
            self.origin.1 + (w.y - self.centre.y) * self.scale,
        )
    }
}

/// Where things go on a page: type unit, bands, and the map's projection.
pub struct PageLayout {
    /// 1/1000 of the page's shorter side: the unit type and strokes scale with.
    u: f64,
    title_h: f64,
    footer_h: f64,
    map_top: f64,
    map_h: f64,
    projection: PageProjection,
}

impl PageLayout {
    /// The layout of a `width`×`height` page framing `frame` (lon/lat).
    pub fn new(frame: Rect<f64>, width: u32, height: u32) -> Self {
        let (w, h) = (width as f64, height as f64);
        let u = w.min(h) / 1000.0;
        let title_h = 60.0 * u;
        let footer_h = 95.0 * u;
        let map_top = title_h;
        let map_h = h - title_h - footer_h;
        let (centre, zoom) = fit_bounds(frame, w, map_h, 20.0 * u);
        let projection = PageProjection {
            centre: lon_lat_to_world(centre.x, centre.y),
            scale: crate::geo_util::world_pixels(zoom),
            origin: (w / 2.0, map_top + map_h / 2.0),
            zoom,
        };
        Self {
            u,
            title_h,
            footer_h,
            map_top,
            map_h,
            projection,
        }
    }

    /// Where a lon/lat point lands on the page, in pixels.
    pub fn point(&self, lon: f64, lat: f64) -> (f64, f64) {
        self.projection.point(Coord { x: lon, y: lat })
    }
}

/// Approximate width of text in the export font (Ubuntu), for placing labels.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.52
}

/// One thing drawn on the page, in page pixels (origin top left).
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: Rgb,
        opacity: f64,
        stroke: Option<(Rgb, f64)>,
    },
    /// Rings filled even-odd and/or stroked.
    Shape {
        class: &'static str,
        id: Option<String>,
        title: Option<String>,
        rings: Vec<Vec<(f64, f64)>>,
        fill: Option<(Rgb, f64)>,
        stroke: Option<(Rgb, f64)>,
        closed: bool,
    },
    Text {
        class: &'static str,
        x: f64,
        y: f64,
        size: f64,
        text: String,
        colour: Rgb,
        /// Halo colour and width.
        halo: Option<(Rgb, f64)>,
        centred: bool,
    },
    /// Everything until `Unclip` is clipped to this rectangle.
    Clip {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
    },
    Unclip,
}

/// A white page `w` by `h` pixels: the first item of every page.
fn paper(w: f64, h: f64) -> Item {
    Item::Rect {
        x: 0.0,
        y: 0.0,
        w,
        h,
        fill: WHITE,
        opacity: 1.0,
        stroke: None,
    }
}

/// A page: its size, title and items in drawing order.
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub title: String,
    pub items: Vec<Item>,
}

const INK: Rgb = Rgb(0x14, 0x14, 0x14);
const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
const LAND: Rgb = Rgb(0xec, 0xea, 0xe2);
const SEA: Rgb = Rgb(0xc8, 0xde, 0xee);
const OUTLINE: Rgb = Rgb(0x46, 0x46, 0x4f);

impl PageProjection {
    fn rings(&self, geometry: &MultiPolygon<f64>) -> Vec<Vec<(f64, f64)>> {
        geometry
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|ring| ring.0.iter().map(|c| self.point(*c)).collect())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_sizes_at_print_resolutions() {
        assert_eq!(Paper::A4.pixels(150.0), (1754, 1240));
        assert_eq!(Paper::A3.pixels(300.0), (4961, 3508));
    }
}
