//! Print-quality exports: the map drawn as true vectors (SVG: one shape per footprint, text as
//! text), rendered from that to PNG at the target resolution, each with a title, the legend,
//! a scale bar and the data attribution.

use std::fmt::Write as _;

use geo::{Coord, MultiPolygon, Rect};

use crate::basemap::Basemap;
use crate::geo_util::{fit_bounds, lon_lat_to_world, metres_per_pixel, nice_distance};
use crate::model::Layer;
use crate::render::colour::Rgb;
use crate::render::labels::{LabelCandidate, label_anchor, place_labels};
use crate::render::style::{LabelMode, Legend, luminance};

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

/// What to export.
pub struct ExportRequest<'a> {
    pub layer: &'a Layer,
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

fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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

    fn path(&self, geometry: &MultiPolygon<f64>) -> String {
        let mut d = String::new();
        for polygon in &geometry.0 {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for (i, c) in ring.0.iter().enumerate() {
                    let (x, y) = self.point(*c);
                    let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
                }
                d.push('Z');
            }
        }
        d
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
            scale: 256.0 * 2f64.powf(zoom),
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

/// The map as an SVG document.
pub fn svg(request: &ExportRequest) -> Result<String, ExportError> {
    let (w, h) = (request.width as f64, request.height as f64);
    if !(64..=20_000).contains(&request.width) || !(64..=20_000).contains(&request.height) {
        return Err(ExportError::Size(request.width, request.height));
    }
    let frame = request
        .frame
        .or_else(|| request.layer.bbox())
        .unwrap_or(Rect::new(
            Coord { x: -6.4, y: 49.9 },
            Coord { x: 1.8, y: 55.8 },
        ));
    let PageLayout {
        u,
        title_h,
        footer_h,
        map_top,
        map_h,
        projection,
    } = PageLayout::new(frame, request.width, request.height);
    let mut out = String::with_capacity(1 << 20);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Ubuntu, Helvetica, Arial, sans-serif">"#
    );
    let _ = write!(out, r#"<title>{}</title>"#, escape(&request.title));
    let _ = write!(out, r##"<rect width="{w}" height="{h}" fill="#ffffff"/>"##);
    let _ = write!(
        out,
        r##"<clipPath id="map"><rect x="0" y="{map_top}" width="{w}" height="{map_h}"/></clipPath><g clip-path="url(#map)">"##
    );
    let _ = write!(
        out,
        r##"<rect x="0" y="{map_top}" width="{w}" height="{map_h}" fill="#c8deee"/>"##
    );
    // The basemap: Natural Earth land, then the sharper UK countries over it, each its own
    // path so that rings wound either way still fill.
    for (class, shapes) in [
        ("land", request.basemap.land.iter().collect::<Vec<_>>()),
        (
            "country",
            request.basemap.countries.iter().map(|(_, g)| g).collect(),
        ),
    ] {
        for shape in shapes {
            let _ = write!(
                out,
                r##"<path class="{class}" d="{}" fill="#eceae2" fill-rule="evenodd"/>"##,
                projection.path(shape)
            );
        }
    }
    // One shape per footprint.
    let stroke = 0.9 * u;
    for (i, f) in request.layer.footprints.iter().enumerate() {
        let colour = request
            .colours
            .get(i)
            .copied()
            .unwrap_or(Rgb(200, 200, 200));
        let _ = write!(
            out,
            r##"<path class="footprint" id="{}" d="{}" fill="{}" fill-opacity="0.85" fill-rule="evenodd" stroke="#46464f" stroke-width="{stroke:.2}" stroke-linejoin="round"><title>{}</title></path>"##,
            escape(&f.code),
            projection.path(&f.geometry),
            hex(colour),
            escape(&f.name)
        );
    }
    if let Some(f) = request
        .selected
        .and_then(|i| request.layer.footprints.get(i))
    {
        let _ = write!(
            out,
            r##"<path class="selection" d="{}" fill="none" stroke="#ffffff" stroke-width="{:.2}" stroke-linejoin="round"/><path class="selection" d="{}" fill="none" stroke="#141414" stroke-width="{:.2}" stroke-linejoin="round"/>"##,
            projection.path(&f.geometry),
            5.0 * u,
            projection.path(&f.geometry),
            2.5 * u
        );
    }
    // Labels, placed as on screen: names where they fit, else numbers, never overlapping.
    if request.label_mode != LabelMode::None {
        let size = 13.0 * u;
        let mut candidates = Vec::new();
        let mut texts = Vec::new();
        for (id, f) in request.layer.footprints.iter().enumerate() {
            let Some((anchor, room)) = label_anchor(&f.geometry, |c| lon_lat_to_world(c.x, c.y))
            else {
                continue;
            };
            let (x, y) = (
                projection.origin.0 + (anchor.x - projection.centre.x) * projection.scale,
                projection.origin.1 + (anchor.y - projection.centre.y) * projection.scale,
            );
            let short = request
                .short_labels
                .get(id)
                .cloned()
                .unwrap_or_else(|| f.code.clone());
            let forms: Vec<String> = match request.label_mode {
                LabelMode::Name => vec![f.name.clone(), short],
                LabelMode::Number => vec![short],
                _ => vec![f.code.clone()],
            };
            candidates.push(LabelCandidate {
                id,
                x: x as f32,
                y: y as f32,
                forms: forms
                    .iter()
                    .map(|t| (text_width(t, size) as f32, (size * 1.2) as f32))
                    .collect(),
                room: (room * projection.scale) as f32,
                priority: (room * projection.scale) as f32
                    + if request.selected == Some(id) {
                        1e6
                    } else {
                        0.0
                    },
            });
            texts.push(forms);
        }
        for placed in place_labels(candidates, 1.15, (4.0 * u) as f32) {
            let Some(text) = texts.get(placed.id).and_then(|t| t.get(placed.form)) else {
                continue;
            };
            let fill = request
                .colours
                .get(placed.id)
                .copied()
                .unwrap_or(Rgb(200, 200, 200));
            let (colour, halo) = if luminance(fill) < 0.2 {
                ("#ffffff", "#000000")
            } else {
                ("#141414", "#ffffff")
            };
            let cx = (placed.bounds.min_x + placed.bounds.max_x) / 2.0;
            let cy = (placed.bounds.min_y + placed.bounds.max_y) / 2.0;
            let _ = write!(
                out,
                r#"<text class="label" x="{cx:.1}" y="{cy:.1}" font-size="{size:.1}" text-anchor="middle" dominant-baseline="central" fill="{colour}" stroke="{halo}" stroke-opacity="0.8" stroke-width="{:.2}" paint-order="stroke">{}</text>"#,
                2.5 * u,
                escape(text)
            );
        }
    }
    out.push_str("</g>");

    // Title.
    let _ = write!(
        out,
        r##"<text class="title" x="{:.1}" y="{:.1}" font-size="{:.1}" fill="#141414">{}</text>"##,
        20.0 * u,
        title_h * 0.68,
        30.0 * u,
        escape(&request.title)
    );
    // Legend, lower left of the map.
    if !request.legend.entries.is_empty() {
        let row = 22.0 * u;
        let lh = 30.0 * u + row * request.legend.entries.len() as f64;
        let lw = request
            .legend
            .entries
            .iter()
            .map(|e| text_width(&e.label, 14.0 * u) + 40.0 * u)
            .fold(
                text_width(&request.legend.title, 15.0 * u) + 20.0 * u,
                f64::max,
            );
        let (lx, ly) = (16.0 * u, map_top + map_h - lh - 60.0 * u);
        let _ = write!(
            out,
            r##"<g class="legend"><rect x="{lx:.1}" y="{ly:.1}" width="{lw:.1}" height="{lh:.1}" rx="{:.1}" fill="#ffffff" fill-opacity="0.9"/><text x="{:.1}" y="{:.1}" font-size="{:.1}" fill="#141414">{}</text>"##,
            4.0 * u,
            lx + 10.0 * u,
            ly + 20.0 * u,
            15.0 * u,
            escape(&request.legend.title)
        );
        for (i, entry) in request.legend.entries.iter().enumerate() {
            let y = ly + 28.0 * u + row * i as f64;
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{}" stroke="#46464f" stroke-width="{:.2}"/><text x="{:.1}" y="{:.1}" font-size="{:.1}" fill="#141414">{}</text>"##,
                lx + 10.0 * u,
                20.0 * u,
                14.0 * u,
                hex(entry.colour),
                0.6 * u,
                lx + 36.0 * u,
                y + 12.0 * u,
                14.0 * u,
                escape(&entry.label)
            );
        }
        out.push_str("</g>");
    }
    // Scale bar, lower left.
    let lat = crate::geo_util::world_to_lon_lat(projection.centre).y;
    let mpp = metres_per_pixel(lat, projection.zoom);
    let metres = nice_distance(mpp * 180.0 * u);
    if metres > 0.0 {
        let bar = metres / mpp;
        let (x0, y0) = (16.0 * u, map_top + map_h - 24.0 * u);
        let label = if metres >= 1000.0 {
            format!("{} km", metres / 1000.0)
        } else {
            format!("{metres} m")
        };
        let _ = write!(
            out,
            r##"<g class="scale-bar"><path d="M{x0:.1} {:.1}V{y0:.1}H{:.1}V{:.1}" fill="none" stroke="#141414" stroke-width="{:.2}"/><text x="{:.1}" y="{:.1}" font-size="{:.1}" text-anchor="middle" fill="#141414">{label}</text></g>"##,
            y0 - 6.0 * u,
            x0 + bar,
            y0 - 6.0 * u,
            2.0 * u,
            x0 + bar / 2.0,
            y0 - 10.0 * u,
            13.0 * u
        );
    }
    // Attribution, as the data's README requires.
    let size = 11.5 * u;
    for (i, line) in crate::DATA_ATTRIBUTION.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text class="attribution" x="{:.1}" y="{:.1}" font-size="{size:.1}" fill="#333333">{}</text>"##,
            16.0 * u,
            h - footer_h + 18.0 * u + i as f64 * size * 1.35,
            escape(line)
        );
    }
    out.push_str("</svg>");
    Ok(out)
}

/// Renders an SVG document to PNG bytes at its own size, with the export font.
pub fn png_from_svg(svg: &str) -> Result<Vec<u8>, ExportError> {
    use resvg::{tiny_skia, usvg};
    let mut options = usvg::Options::default();
    options
        .fontdb_mut()
        .load_font_data(epaint_default_fonts::UBUNTU_LIGHT.to_vec());
    options.font_family = "Ubuntu".to_string();
    let tree =
        usvg::Tree::from_str(svg, &options).map_err(|e| ExportError::Render(e.to_string()))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| ExportError::Render("no memory for the image".into()))?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| ExportError::Render(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_sizes_at_print_resolutions() {
        assert_eq!(Paper::A4.pixels(150.0), (1754, 1240));
        assert_eq!(Paper::A3.pixels(300.0), (4961, 3508));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("Bath & <North>"), "Bath &amp; &lt;North&gt;");
    }
}
