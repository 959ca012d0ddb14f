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

/// Where the basemap's land was cut to a box (France, the Faroes), the land there fades into
/// the sea's colour in steps rather than ending in a straight line: the sea's colour laid over
/// the land only (the sea itself is left alone), as nested bands that all reach the side, so no
/// two edges meet and leave a seam. Band j of n reaches (n − j) steps in with opacity 1/(n − j),
/// which stacks to k/n at k steps from the fade's inner edge; where two sides meet their fades
/// combine.
fn cut_fade(request: &ExportRequest, projection: &PageProjection) -> Vec<Item> {
    use crate::basemap::{CUT_FADE_DEGREES, CUT_FADE_OUTSIDE};
    use geo::BooleanOps;
    const STEPS: usize = 24;
    let Some((extent, edges)) = request.basemap.cut_edges() else {
        return Vec::new();
    };
    let step = CUT_FADE_DEGREES / STEPS as f64;
    let mut items = Vec::new();
    for edge in &edges {
        let band = MultiPolygon(vec![edge.fade_strip(
            extent,
            -CUT_FADE_OUTSIDE,
            CUT_FADE_DEGREES,
        )]);
        let land_in_band: Vec<MultiPolygon<f64>> = request
            .basemap
            .land
            .iter()
            .map(|land| land.intersection(&band))
            .filter(|piece| !piece.0.is_empty())
            .collect();
        for j in 0..STEPS {
            let reach = (STEPS - j) as f64 * step;
            let strip = MultiPolygon(vec![edge.fade_strip(extent, -CUT_FADE_OUTSIDE, reach)]);
            let opacity = 1.0 / (STEPS - j) as f64;
            for land in &land_in_band {
                let piece = land.intersection(&strip);
                if piece.0.is_empty() {
                    continue;
                }
                items.push(Item::Shape {
                    class: "fade",
                    id: None,
                    title: None,
                    rings: projection.rings(&piece),
                    fill: Some((SEA, opacity)),
                    stroke: None,
                    closed: true,
                });
            }
        }
    }
    items
}

/// Everything on the exported page.
pub fn scene(request: &ExportRequest) -> Result<Scene, ExportError> {
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
    let mut items = vec![
        Item::Rect {
            x: 0.0,
            y: 0.0,
            w,
            h,
            fill: WHITE,
            opacity: 1.0,
            stroke: None,
        },
        Item::Clip {
            x: 0.0,
            y: map_top,
            w,
            h: map_h,
        },
        Item::Rect {
            x: 0.0,
            y: map_top,
            w,
            h: map_h,
            fill: SEA,
            opacity: 1.0,
            stroke: None,
        },
    ];
    // The basemap: Natural Earth land, then the sharper UK countries over it, each its own
    // shape so that rings wound either way still fill.
    for (class, shape) in request.basemap.land.iter().map(|g| ("land", g)).chain(
        request
            .basemap
            .countries
            .iter()
            .map(|(_, g)| ("country", g)),
    ) {
        items.push(Item::Shape {
            class,
            id: None,
            title: None,
            rings: projection.rings(shape),
            fill: Some((LAND, 1.0)),
            stroke: None,
            closed: true,
        });
    }
    items.extend(cut_fade(request, &projection));
    // One shape per footprint.
    for (i, f) in request.layer.footprints.iter().enumerate() {
        let colour = request
            .colours
            .get(i)
            .copied()
            .unwrap_or(Rgb(200, 200, 200));
        items.push(Item::Shape {
            class: "footprint",
            id: Some(f.code.clone()),
            title: Some(f.name.clone()),
            rings: projection.rings(&f.geometry),
            fill: Some((colour, 0.85)),
            stroke: Some((OUTLINE, 0.9 * u)),
            closed: true,
        });
    }
    if let Some(f) = request
        .selected
        .and_then(|i| request.layer.footprints.get(i))
    {
        for (colour, width) in [(WHITE, 5.0 * u), (INK, 2.5 * u)] {
            items.push(Item::Shape {
                class: "selection",
                id: None,
                title: None,
                rings: projection.rings(&f.geometry),
                fill: None,
                stroke: Some((colour, width)),
                closed: true,
            });
        }
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
                (WHITE, INK)
            } else {
                (INK, WHITE)
            };
            items.push(Item::Text {
                class: "label",
                x: ((placed.bounds.min_x + placed.bounds.max_x) / 2.0) as f64,
                y: ((placed.bounds.min_y + placed.bounds.max_y) / 2.0) as f64,
                size,
                text: text.clone(),
                colour,
                halo: Some((halo, 2.5 * u)),
                centred: true,
            });
        }
    }
    items.push(Item::Unclip);

    items.push(Item::Text {
        class: "title",
        x: 20.0 * u,
        y: title_h * 0.5,
        size: 30.0 * u,
        text: request.title.clone(),
        colour: INK,
        halo: None,
        centred: false,
    });
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
        items.push(Item::Rect {
            x: lx,
            y: ly,
            w: lw,
            h: lh,
            fill: WHITE,
            opacity: 0.9,
            stroke: None,
        });
        items.push(Item::Text {
            class: "legend",
            x: lx + 10.0 * u,
            y: ly + 15.0 * u,
            size: 15.0 * u,
            text: request.legend.title.clone(),
            colour: INK,
            halo: None,
            centred: false,
        });
        for (i, entry) in request.legend.entries.iter().enumerate() {
            let y = ly + 28.0 * u + row * i as f64;
            items.push(Item::Rect {
                x: lx + 10.0 * u,
                y,
                w: 20.0 * u,
                h: 14.0 * u,
                fill: entry.colour,
                opacity: 1.0,
                stroke: Some((OUTLINE, 0.6 * u)),
            });
            items.push(Item::Text {
                class: "legend",
                x: lx + 36.0 * u,
                y: y + 7.0 * u,
                size: 14.0 * u,
                text: entry.label.clone(),
                colour: INK,
                halo: None,
                centred: false,
            });
        }
    }
    // Scale bar, lower left.
    let lat = crate::geo_util::world_to_lon_lat(projection.centre).y;
    let mpp = metres_per_pixel(lat, projection.zoom);
    let metres = nice_distance(mpp * 180.0 * u);
    if metres > 0.0 {
        let bar = metres / mpp;
        let (x0, y0) = (16.0 * u, map_top + map_h - 24.0 * u);
        items.push(Item::Shape {
            class: "scale-bar",
            id: None,
            title: None,
            rings: vec![vec![
                (x0, y0 - 6.0 * u),
                (x0, y0),
                (x0 + bar, y0),
                (x0 + bar, y0 - 6.0 * u),
            ]],
            fill: None,
            stroke: Some((INK, 2.0 * u)),
            closed: false,
        });
        items.push(Item::Text {
            class: "scale-bar",
            x: x0 + bar / 2.0,
            y: y0 - 16.0 * u,
            size: 13.0 * u,
            text: if metres >= 1000.0 {
                format!("{} km", metres / 1000.0)
            } else {
                format!("{metres} m")
            },
            colour: INK,
            halo: None,
            centred: true,
        });
    }
    // Attribution, as the data's README requires.
    let size = 11.5 * u;
    for (i, line) in crate::DATA_ATTRIBUTION.iter().enumerate() {
        items.push(Item::Text {
            class: "attribution",
            x: 16.0 * u,
            y: h - footer_h + 14.0 * u + i as f64 * size * 1.35,
            size,
            text: line.to_string(),
            colour: Rgb(0x33, 0x33, 0x33),
            halo: None,
            centred: false,
        });
    }
    Ok(Scene {
        width: w,
        height: h,
        title: request.title.clone(),
        items,
    })
}

fn svg_points(ring: &[(f64, f64)], closed: bool, d: &mut String) {
    for (i, (x, y)) in ring.iter().enumerate() {
        let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
    }
    if closed {
        d.push('Z');
    }
}

/// The page as SVG: one path per shape, text as text.
pub fn to_svg(scene: &Scene) -> String {
    let (w, h) = (scene.width, scene.height);
    let mut out = String::with_capacity(1 << 20);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Ubuntu, Helvetica, Arial, sans-serif"><title>{}</title>"#,
        escape(&scene.title)
    );
    let mut clips = 0;
    for item in &scene.items {
        match item {
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                opacity,
                stroke,
            } => {
                let _ = write!(
                    out,
                    r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{}""#,
                    hex(*fill)
                );
                if *opacity < 1.0 {
                    let _ = write!(out, r#" fill-opacity="{opacity}""#);
                }
                if let Some((c, width)) = stroke {
                    let _ = write!(out, r#" stroke="{}" stroke-width="{width:.2}""#, hex(*c));
                }
                out.push_str("/>");
            }
            Item::Shape {
                class,
                id,
                title,
                rings,
                fill,
                stroke,
                closed,
            } => {
                let mut d = String::new();
                for ring in rings {
                    svg_points(ring, *closed, &mut d);
                }
                let _ = write!(out, r#"<path class="{class}""#);
                if let Some(id) = id {
                    let _ = write!(out, r#" id="{}""#, escape(id));
                }
                let _ = write!(out, r#" d="{d}""#);
                match fill {
                    Some((c, opacity)) => {
                        let _ = write!(out, r#" fill="{}" fill-rule="evenodd""#, hex(*c));
                        if *opacity < 1.0 {
                            let _ = write!(out, r#" fill-opacity="{opacity}""#);
                        }
                    }
                    None => out.push_str(r#" fill="none""#),
                }
                if let Some((c, width)) = stroke {
                    let _ = write!(
                        out,
                        r#" stroke="{}" stroke-width="{width:.2}" stroke-linejoin="round""#,
                        hex(*c)
                    );
                }
                match title {
                    Some(t) => {
                        let _ = write!(out, "><title>{}</title></path>", escape(t));
                    }
                    None => out.push_str("/>"),
                }
            }
            Item::Text {
                class,
                x,
                y,
                size,
                text,
                colour,
                halo,
                centred,
            } => {
                let _ = write!(
                    out,
                    r#"<text class="{class}" x="{x:.1}" y="{y:.1}" font-size="{size:.1}" dominant-baseline="central" fill="{}""#,
                    hex(*colour)
                );
                if *centred {
                    out.push_str(r#" text-anchor="middle""#);
                }
                if let Some((c, width)) = halo {
                    let _ = write!(
                        out,
                        r#" stroke="{}" stroke-opacity="0.8" stroke-width="{width:.2}" paint-order="stroke""#,
                        hex(*c)
                    );
                }
                let _ = write!(out, ">{}</text>", escape(text));
            }
            Item::Clip { x, y, w, h } => {
                clips += 1;
                let _ = write!(
                    out,
                    r#"<clipPath id="clip{clips}"><rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}"/></clipPath><g clip-path="url(#clip{clips})">"#
                );
            }
            Item::Unclip => out.push_str("</g>"),
        }
    }
    out.push_str("</svg>");
    out
}

/// The map as an SVG document.
pub fn svg(request: &ExportRequest) -> Result<String, ExportError> {
    scene(request).map(|s| to_svg(&s))
}

/// Text for PDF's built-in Helvetica (WinAnsi): the characters the data uses, else "?".
fn pdf_text(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        let byte: u8 = match ch {
            '(' | ')' | '\\' => {
                out.push('\\');
                ch as u8
            }
            ' '..='~' => ch as u8,
            '©' => 0xA9,
            '–' => 0x96,
            '—' => 0x97,
            '’' => 0x92,
            '‘' => 0x91,
            '·' => 0xB7,
            '²' => 0xB2,
            'é' => 0xE9,
            _ => b'?',
        };
        if byte < 0x80 {
            out.push(byte as char);
        } else {
            let _ = write!(out, "\\{byte:03o}");
        }
    }
    out
}

/// Approximate Helvetica advance, for centring text in PDF.
fn helvetica_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.54
}

/// The page as PDF: vector shapes, text in Helvetica, sized so 1 pixel = 0.75 pt (96 dpi) —
/// an A4 export at 150 dpi prints as A4.
pub fn to_pdf(scene: &Scene, points_per_pixel: f64) -> Vec<u8> {
    let k = points_per_pixel;
    let (pw, ph) = (scene.width * k, scene.height * k);
    let y = |v: f64| ph - v * k;
    let rgb = |c: Rgb| {
        format!(
            "{:.3} {:.3} {:.3}",
            c.0 as f64 / 255.0,
            c.1 as f64 / 255.0,
            c.2 as f64 / 255.0
        )
    };
    let mut content = String::with_capacity(1 << 20);
    for item in &scene.items {
        match item {
            Item::Rect {
                x,
                y: top,
                w,
                h,
                fill,
                opacity,
                stroke,
            } => {
                let _ = writeln!(
                    content,
                    "q /GS{} gs {} rg",
                    (opacity * 100.0).round() as u32,
                    rgb(*fill)
                );
                let _ = writeln!(
                    content,
                    "{:.2} {:.2} {:.2} {:.2} re f",
                    x * k,
                    y(top + h),
                    w * k,
                    h * k
                );
                if let Some((c, width)) = stroke {
                    let _ = writeln!(
                        content,
                        "{} RG {:.2} w {:.2} {:.2} {:.2} {:.2} re S",
                        rgb(*c),
                        width * k,
                        x * k,
                        y(top + h),
                        w * k,
                        h * k
                    );
                }
                content.push_str("Q\n");
            }
            Item::Shape {
                rings,
                fill,
                stroke,
                closed,
                ..
            } => {
                let mut path = String::new();
                for ring in rings {
                    for (i, (px, py)) in ring.iter().enumerate() {
                        let _ = write!(
                            path,
                            "{:.2} {:.2} {} ",
                            px * k,
                            y(*py),
                            if i == 0 { "m" } else { "l" }
                        );
                    }
                    if *closed {
                        path.push_str("h ");
                    }
                }
                if let Some((c, opacity)) = fill {
                    let _ = writeln!(
                        content,
                        "q /GS{} gs {} rg {path}f* Q",
                        (opacity * 100.0).round() as u32,
                        rgb(*c)
                    );
                }
                if let Some((c, width)) = stroke {
                    let _ = writeln!(content, "q {} RG {:.2} w 1 j {path}S Q", rgb(*c), width * k);
                }
            }
            Item::Text {
                x,
                y: ty,
                size,
                text,
                colour,
                halo,
                centred,
                ..
            } => {
                let size_pt = size * k;
                let width = helvetica_width(text, size_pt);
                let tx = if *centred { x * k - width / 2.0 } else { x * k };
                let baseline = y(*ty) - size_pt * 0.35;
                let escaped = pdf_text(text);
                if let Some((c, w)) = halo {
                    let _ = writeln!(
                        content,
                        "q {} RG {:.2} w 1 j 1 Tr BT /F1 {size_pt:.2} Tf {tx:.2} {baseline:.2} Td ({escaped}) Tj ET Q",
                        rgb(*c),
                        w * k
                    );
                }
                let _ = writeln!(
                    content,
                    "q {} rg BT /F1 {size_pt:.2} Tf {tx:.2} {baseline:.2} Td ({escaped}) Tj ET Q",
                    rgb(*colour)
                );
            }
            Item::Clip { x, y: top, w, h } => {
                let _ = writeln!(
                    content,
                    "q {:.2} {:.2} {:.2} {:.2} re W n",
                    x * k,
                    y(top + h),
                    w * k,
                    h * k
                );
            }
            Item::Unclip => content.push_str("Q\n"),
        }
    }
    // Opacity states used above: /GS0 … /GS100.
    let mut states = String::new();
    for o in 0..=100 {
        let _ = write!(
            states,
            "/GS{o} << /Type /ExtGState /ca {:.2} /CA 1 >> ",
            o as f64 / 100.0
        );
    }
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2} {ph:.2}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /ExtGState << {states}>> >> >>"
        ),
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
        format!(
            "<< /Title ({}) /Producer (Footprints) >>",
            pdf_text(&scene.title)
        ),
    ];
    let mut pdf = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    let mut trailer = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(trailer, "{offset:010} 00000 n ");
    }
    let _ = write!(
        trailer,
        "trailer\n<< /Size {} /Root 1 0 R /Info {} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1,
        objects.len()
    );
    pdf.extend_from_slice(trailer.as_bytes());
    pdf
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
