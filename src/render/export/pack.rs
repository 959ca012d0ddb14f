//! The board pack: a cover (title, date, an England map of every footprint with its number,
//! the legend, and a contents table with page numbers) and one page per footprint (its map with
//! the neighbours faded and named, a locator inset of England, a card of facts, member tables,
//! the data's caveats, and a footer with the page number and the attribution), as scenes for
//! the PDF writer (one bookmark a footprint) or for PNG pages.

use geo::{Coord, Intersects, Rect};

use super::scene::{attribution_items, legend_items, scale_bar_items};
use super::{INK, Item, LAND, OUTLINE, PageProjection, Paper, SEA, Scene, WHITE, text_width};
use crate::basemap::Basemap;
use crate::facts::{FootprintFacts, Table};
use crate::geo_util::{fit_bounds, lon_lat_to_world, thousands};
use crate::model::Layer;
use crate::render::colour::Rgb;
use crate::render::style::Legend;

/// What to put in the pack.
pub struct PackRequest<'a> {
    pub layer: &'a Layer,
    pub basemap: &'a Basemap,
    pub colours: &'a [Rgb],
    pub legend: &'a Legend,
    /// Each footprint's facts, in layer order.
    pub facts: &'a [FootprintFacts],
    pub title: String,
    /// The date printed on the cover ("29 November 2026").
    pub date: String,
    pub paper: Paper,
    pub dpi: f64,
    /// The footprints that get a page, in order (indices into the layer).
    pub order: Vec<usize>,
}

/// The pack's pages and its bookmarks (title, page index).
pub struct Pack {
    pub pages: Vec<Scene>,
    pub bookmarks: Vec<(String, usize)>,
}

impl Pack {
    /// The pack as one PDF: vector pages, real text, a bookmark per footprint.
    pub fn to_pdf(&self, title: &str, points_per_pixel: f64) -> Vec<u8> {
        let mut writer = super::PdfWriter::compressed(title);
        for page in &self.pages {
            writer.add_page(page, points_per_pixel);
        }
        for (title, page) in &self.bookmarks {
            writer.add_bookmark(title, *page);
        }
        writer.finish()
    }

    /// Writes each page as `page-01.png`, … into `dir` (made if missing), each atomically;
    /// returns the bytes written.
    pub fn write_png_pages(&self, dir: &std::path::Path) -> anyhow::Result<usize> {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("Could not make the folder ({e}): {}", dir.display()))?;
        let digits = self.pages.len().to_string().len().max(2);
        let mut bytes = 0;
        for (i, page) in self.pages.iter().enumerate() {
            let png = super::png_from_svg(&super::to_svg(page))?;
            let path = dir.join(format!("page-{:0digits$}.png", i + 1));
            crate::settings::write_atomically(&path, &png)
                .map_err(|e| anyhow::anyhow!("Could not write a page ({e}): {}", path.display()))?;
            bytes += png.len();
        }
        Ok(bytes)
    }
}

/// The pages' order: by region, then name; only `regions` (when given: the start of the
/// region's name or of one of its words, in any case) and only `codes` (when given).
pub fn page_order(facts: &[FootprintFacts], regions: &[String], codes: &[String]) -> Vec<usize> {
    let mut order: Vec<usize> = facts
        .iter()
        .filter(|f| {
            regions.is_empty()
                || f.region.as_ref().is_some_and(|r| {
                    // The words typed begin the region's name or one of its words.
                    let r = r.to_lowercase();
                    regions.iter().any(|want| {
                        let want = want.trim().to_lowercase();
                        r.starts_with(&want) || r.contains(&format!(" {want}"))
                    })
                })
        })
        .filter(|f| codes.is_empty() || codes.iter().any(|c| c.eq_ignore_ascii_case(&f.code)))
        .map(|f| f.index)
        .collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (&facts[a], &facts[b]);
        fa.region
            .as_deref()
            .unwrap_or("~")
            .cmp(fb.region.as_deref().unwrap_or("~"))
            .then(fa.name.cmp(&fb.name))
    });
    order
}

/// Page geometry shared by every page: the type unit and the bands.
struct Frame {
    w: f64,
    h: f64,
    u: f64,
    title_h: f64,
    footer_h: f64,
}

/// Lays the pack out; `progress(done, total)` is called after each page and stops the work
/// when it returns false (then `None`).
pub fn pack(request: &PackRequest, progress: &dyn Fn(usize, usize) -> bool) -> Option<Pack> {
    let (width, height) = request.paper.pixels(request.dpi);
    let (w, h) = (width as f64, height as f64);
    let u = w.min(h) / 1000.0;
    let frame = Frame {
        w,
        h,
        u,
        title_h: 80.0 * u,
        footer_h: 100.0 * u,
    };
    // Label anchors once, for the cover's numbers and the pages' neighbour names.
    let anchors: Vec<Option<Coord<f64>>> = request
        .layer
        .footprints
        .iter()
        .map(|f| {
            crate::render::labels::label_anchor(&f.geometry, |c| lon_lat_to_world(c.x, c.y))
                .map(|(w, _)| crate::geo_util::world_to_lon_lat(w))
        })
        .collect();
    let contents_pages = cover_pages_needed(request, &frame);
    let total = contents_pages + request.order.len();
    let mut pages = cover(request, &frame, &anchors, contents_pages, total);
    if !progress(pages.len(), total) {
        return None;
    }
    let mut bookmarks = vec![(request.title.clone(), 0)];
    for &index in &request.order {
        let number = pages.len() + 1;
        pages.push(footprint_page(
            request, &frame, &anchors, index, number, total,
        ));
        if let Some(f) = request.facts.get(index) {
            bookmarks.push((f.name.clone(), pages.len() - 1));
        }
        if !progress(pages.len(), total) {
            return None;
        }
    }
    Some(Pack { pages, bookmarks })
}

/// A projection fitting `bbox` into the rectangle (x, y, w, h) of the page.
fn fit_into(bbox: Rect<f64>, x: f64, y: f64, w: f64, h: f64, margin: f64) -> PageProjection {
    let (centre, zoom) = fit_bounds(bbox, w, h, margin);
    PageProjection {
        centre: lon_lat_to_world(centre.x, centre.y),
        scale: crate::geo_util::world_pixels(zoom),
        origin: (x + w / 2.0, y + h / 2.0),
        zoom,
    }
}

/// Rings on the page with points closer than `step` pixels to the last kept one dropped (the
/// page cannot show them), and rings smaller than that left out.
fn thin(rings: Vec<Vec<(f64, f64)>>, step: f64) -> Vec<Vec<(f64, f64)>> {
    rings
        .into_iter()
        .filter_map(|ring| {
            let mut kept: Vec<(f64, f64)> = Vec::with_capacity(ring.len() / 4 + 2);
            for p in ring {
                match kept.last() {
                    Some(&(x, y)) if (p.0 - x).hypot(p.1 - y) < step => {}
                    _ => kept.push(p),
                }
            }
            (kept.len() >= 3).then_some(kept)
        })
        .collect()
}

/// The rectangle (lon/lat) that a projection shows in (x, y, w, h).
fn shown(projection: &PageProjection, x: f64, y: f64, w: f64, h: f64) -> Rect<f64> {
    let to_lon_lat = |px: f64, py: f64| {
        crate::geo_util::world_to_lon_lat(Coord {
            x: projection.centre.x + (px - projection.origin.0) / projection.scale,
            y: projection.centre.y + (py - projection.origin.1) / projection.scale,
        })
    };
    Rect::new(to_lon_lat(x, y + h), to_lon_lat(x + w, y))
}

/// A map in (x, y, w, h): sea, land, and the footprints `fill` colours (`None`: not drawn),
/// clipped to the rectangle.
fn map_items(
    request: &PackRequest,
    projection: &PageProjection,
    rect: (f64, f64, f64, f64),
    fill: &dyn Fn(usize) -> Option<(Rgb, f64, Rgb, f64)>,
) -> Vec<Item> {
    let (x, y, w, h) = rect;
    let view = shown(projection, x, y, w, h);
    let view_shape = geo::Polygon::from(view);
    let mut items = vec![
        Item::Clip { x, y, w, h },
        Item::Rect {
            x,
            y,
            w,
            h,
            fill: SEA,
            opacity: 1.0,
            stroke: None,
        },
    ];
    let step = 0.8;
    for land in request
        .basemap
        .land
        .iter()
        .chain(request.basemap.countries.iter().map(|(_, g)| g))
    {
        if !land.intersects(&view_shape) {
            continue;
        }
        items.push(Item::Shape {
            class: "land",
            id: None,
            title: None,
            rings: thin(projection.rings(land), step),
            fill: Some((LAND, 1.0)),
            stroke: None,
            closed: true,
        });
    }
    for (i, f) in request.layer.footprints.iter().enumerate() {
        let Some((colour, opacity, edge, edge_width)) = fill(i) else {
            continue;
        };
        if !f.bbox.intersects(&view) {
            continue;
        }
        items.push(Item::Shape {
            class: "footprint",
            id: Some(f.code.clone()),
            title: Some(f.name.clone()),
            rings: thin(projection.rings(&f.geometry), step),
            fill: Some((colour, opacity)),
            stroke: Some((edge, edge_width)),
            closed: true,
        });
    }
    items
}

/// Text cut to fit `max_w` pixels at `size`, with an ellipsis when cut.
fn fit_text(text: &str, size: f64, max_w: f64) -> String {
    if text_width(text, size) <= max_w {
        return text.to_string();
    }
    let keep = ((max_w / (size * 0.52)) as usize).saturating_sub(1);
    let cut: String = text.chars().take(keep).collect();
    format!("{}…", cut.trim_end())
}

/// Text broken into lines of at most `max_w` pixels at `size`.
fn wrap(text: &str, size: f64, max_w: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size) > max_w && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn text(class: &'static str, x: f64, y: f64, size: f64, text: String, colour: Rgb) -> Item {
    Item::Text {
        class,
        x,
        y,
        size,
        text,
        colour,
        halo: None,
        centred: false,
    }
}

/// The footer: the attribution, and the page number at the right.
fn footer(frame: &Frame, number: usize, total: usize) -> Vec<Item> {
    let u = frame.u;
    let mut items = attribution_items(u * 0.9, frame.h - frame.footer_h);
    let label = format!("Page {number} of {total}");
    items.push(text(
        "page-number",
        frame.w - 20.0 * u - text_width(&label, 13.0 * u),
        frame.h - 24.0 * u,
        13.0 * u,
        label,
        INK,
    ));
    items
}

/// The contents' space on a cover page (pixels).
fn contents_height(frame: &Frame) -> f64 {
    frame.h - frame.title_h - frame.footer_h - 60.0 * frame.u
}

/// Contents rows that fit on one cover page (rows are 15 to 19 units high).
fn rows_per_cover(frame: &Frame) -> usize {
    (contents_height(frame) / (15.0 * frame.u)).floor().max(5.0) as usize
}

/// The contents' row height for `rows` rows on a page.
fn row_height(frame: &Frame, rows: usize) -> f64 {
    (contents_height(frame) / rows.max(1) as f64).clamp(15.0 * frame.u, 19.0 * frame.u)
}

/// How many cover pages the contents need.
fn cover_pages_needed(request: &PackRequest, frame: &Frame) -> usize {
    request.order.len().div_ceil(rows_per_cover(frame)).max(1)
}

/// The cover: title, date, England map with numbers and legend, contents (continued on more
/// pages when the footprints are many).
fn cover(
    request: &PackRequest,
    frame: &Frame,
    anchors: &[Option<Coord<f64>>],
    cover_pages: usize,
    total: usize,
) -> Vec<Scene> {
    let (w, h, u) = (frame.w, frame.h, frame.u);
    let per_page = rows_per_cover(frame);
    let mut scenes = Vec::new();
    for (p, chunk) in request
        .order
        .chunks(per_page.max(1))
        .chain(std::iter::once(&[][..]).filter(|_| request.order.is_empty()))
        .enumerate()
    {
        let mut items = vec![Item::Rect {
            x: 0.0,
            y: 0.0,
            w,
            h,
            fill: WHITE,
            opacity: 1.0,
            stroke: None,
        }];
        items.push(text(
            "title",
            20.0 * u,
            34.0 * u,
            34.0 * u,
            request.title.clone(),
            INK,
        ));
        items.push(text(
            "subtitle",
            20.0 * u,
            64.0 * u,
            14.0 * u,
            format!(
                "{} · {} · {} footprints · people mid-2022 derived from LSOA 2021 (ONS)",
                request.date,
                request.layer.title,
                request.order.len()
            ),
            Rgb(0x44, 0x44, 0x44),
        ));
        let map_rect = (
            0.0,
            frame.title_h,
            w * 0.48,
            h - frame.title_h - frame.footer_h,
        );
        if p == 0 {
            items.extend(cover_map(request, anchors, map_rect, u));
        }
        let row = row_height(frame, per_page.min(request.order.len()));
        items.extend(contents(
            request,
            chunk,
            (p * per_page, cover_pages),
            (w * 0.5, frame.title_h + 10.0 * u, w * 0.5 - 20.0 * u, row),
            u,
        ));
        items.extend(footer(frame, p + 1, total));
        scenes.push(Scene {
            width: w,
            height: h,
            title: request.title.clone(),
            items,
        });
    }
    scenes
}

/// The cover's map: every footprint in its colour with its number, and the legend.
fn cover_map(
    request: &PackRequest,
    anchors: &[Option<Coord<f64>>],
    rect: (f64, f64, f64, f64),
    u: f64,
) -> Vec<Item> {
    let (x, y, w, h) = rect;
    let bbox = request.layer.bbox().unwrap_or(Rect::new(
        Coord { x: -6.4, y: 49.9 },
        Coord { x: 1.8, y: 55.8 },
    ));
    let projection = fit_into(bbox, x, y, w, h, 12.0 * u);
    let mut items = map_items(request, &projection, rect, &|i| {
        let colour = request
            .colours
            .get(i)
            .copied()
            .unwrap_or(Rgb(200, 200, 200));
        Some((colour, 0.85, OUTLINE, 0.8 * u))
    });
    for &i in &request.order {
        let (Some(Some(at)), Some(facts)) = (anchors.get(i), request.facts.get(i)) else {
            continue;
        };
        let (px, py) = projection.point(*at);
        let label = if facts.short.is_empty() {
            facts.code.clone()
        } else {
            facts.short.clone()
        };
        items.push(Item::Text {
            class: "label",
            x: px,
            y: py,
            size: 11.0 * u,
            text: label,
            colour: INK,
            halo: Some((WHITE, 2.2 * u)),
            centred: true,
        });
    }
    items.push(Item::Unclip);
    items.extend(legend_items(request.legend, u * 0.85, y + h));
    items
}

/// The contents table: number, name, lead, people (mid-2022) and page, from row `first` (of
/// a pack with `cover_pages` before the footprints), in rows `row` high.
fn contents(
    request: &PackRequest,
    chunk: &[usize],
    (first, cover_pages): (usize, usize),
    (x, y, w, row): (f64, f64, f64, f64),
    u: f64,
) -> Vec<Item> {
    let size = (row * 0.6).min(11.5 * u);
    let columns = [
        ("No.", 0.0, 0.07),
        ("Footprint", 0.07, 0.43),
        ("Lead", 0.50, 0.28),
        ("People mid-2022", 0.78, 0.15),
        ("Page", 0.93, 0.07),
    ];
    let mut items = Vec::new();
    let heading = if first == 0 {
        "Contents"
    } else {
        "Contents (continued)"
    };
    items.push(text(
        "contents",
        x,
        y + 6.0 * u,
        16.0 * u,
        heading.into(),
        INK,
    ));
    let top = y + 30.0 * u;
    for (title, at, _) in columns {
        items.push(text(
            "contents",
            x + at * w,
            top,
            size,
            title.into(),
            Rgb(0x55, 0x55, 0x55),
        ));
    }
    for (r, &index) in chunk.iter().enumerate() {
        let Some(facts) = request.facts.get(index) else {
            continue;
        };
        let yy = top + row * (r + 1) as f64;
        if r % 2 == 0 {
            items.push(Item::Rect {
                x: x - 4.0 * u,
                y: yy - row / 2.0,
                w: w + 4.0 * u,
                h: row,
                fill: Rgb(0xf2, 0xf2, 0xf0),
                opacity: 1.0,
                stroke: None,
            });
        }
        let page = cover_pages + first + r + 1;
        let values = [
            facts.short.clone(),
            facts.name.clone(),
            facts.lead_short.clone(),
            facts
                .population_mid2022
                .map_or("not known".into(), thousands),
            page.to_string(),
        ];
        for ((_, at, share), value) in columns.iter().zip(values) {
            items.push(text(
                "contents",
                x + at * w,
                yy,
                size,
                fit_text(&value, size, share * w - 6.0 * u),
                INK,
            ));
        }
    }
    items
}

/// One footprint's page.
fn footprint_page(
    request: &PackRequest,
    frame: &Frame,
    anchors: &[Option<Coord<f64>>],
    index: usize,
    number: usize,
    total: usize,
) -> Scene {
    let (w, h, u) = (frame.w, frame.h, frame.u);
    let mut items = vec![Item::Rect {
        x: 0.0,
        y: 0.0,
        w,
        h,
        fill: WHITE,
        opacity: 1.0,
        stroke: None,
    }];
    let (Some(footprint), Some(facts)) = (
        request.layer.footprints.get(index),
        request.facts.get(index),
    ) else {
        return Scene {
            width: w,
            height: h,
            title: request.title.clone(),
            items,
        };
    };
    items.push(text(
        "title",
        20.0 * u,
        32.0 * u,
        30.0 * u,
        fit_text(&facts.name, 30.0 * u, w - 40.0 * u),
        INK,
    ));
    let mut subtitle = vec![facts.code.clone()];
    if !facts.short.is_empty() && facts.short != facts.code {
        subtitle.insert(0, format!("No. {}", facts.short));
    }
    if let Some(region) = &facts.region {
        subtitle.push(region.clone());
    }
    subtitle.push(request.layer.title.clone());
    items.push(text(
        "subtitle",
        20.0 * u,
        62.0 * u,
        14.0 * u,
        subtitle.join(" · "),
        Rgb(0x44, 0x44, 0x44),
    ));
    let map_rect = (
        20.0 * u,
        frame.title_h,
        w * 0.56,
        h - frame.title_h - frame.footer_h - 10.0 * u,
    );
    items.extend(page_map(request, anchors, footprint, index, map_rect, u));
    items.extend(card(
        facts,
        (
            w * 0.56 + 40.0 * u,
            frame.title_h + 4.0 * u,
            w * 0.44 - 60.0 * u,
            h - frame.footer_h - 10.0 * u,
        ),
        u,
    ));
    items.extend(footer(frame, number, total));
    Scene {
        width: w,
        height: h,
        title: facts.name.clone(),
        items,
    }
}

/// The footprint's map: it filled and outlined, its neighbours faded and named, a scale bar
/// and a locator inset of the whole layer.
fn page_map(
    request: &PackRequest,
    anchors: &[Option<Coord<f64>>],
    footprint: &crate::model::Footprint,
    index: usize,
    rect: (f64, f64, f64, f64),
    u: f64,
) -> Vec<Item> {
    let (x, y, w, h) = rect;
    // Framed with room around it, so that the neighbours show.
    let projection = fit_into(footprint.bbox, x, y, w, h, 0.14 * w.min(h));
    let colour = request
        .colours
        .get(index)
        .copied()
        .unwrap_or(Rgb(200, 200, 200));
    let mut items = map_items(request, &projection, rect, &|i| {
        Some(if i == index {
            (colour, 0.85, INK, 2.6 * u)
        } else {
            (Rgb(0xc9, 0xc9, 0xc3), 0.9, OUTLINE, 1.0 * u)
        })
    });
    // The neighbours' names: at their label anchor when it is on the map, else in the middle
    // of the part of them in view (when that is inside them).
    let view = shown(&projection, x, y, w, h);
    // The locator inset's corner is taken.
    let inset = (x + w - w * 0.24 - 8.0 * u, y + 8.0 * u, w * 0.24, h * 0.3);
    let mut placed: Vec<(f64, f64, f64, f64)> =
        vec![(inset.0, inset.1, inset.0 + inset.2, inset.1 + inset.3)];
    for (i, f) in request.layer.footprints.iter().enumerate() {
        if i == index || !f.bbox.intersects(&view) {
            continue;
        }
        let at = match anchors.get(i).copied().flatten() {
            Some(at) if view.intersects(&at) => Some(at),
            _ => visible_middle(f, view),
        };
        let Some(at) = at else {
            continue;
        };
        let size = 11.0 * u;
        let label = fit_text(&f.name, size, 240.0 * u);
        let half_w = text_width(&label, size) / 2.0 + 3.0 * u;
        let half_h = size * 0.7;
        // Kept inside the map, and off the names already placed.
        let (px, py) = projection.point(at);
        let px = px.clamp(x + half_w, (x + w - half_w).max(x + half_w));
        let py = py.clamp(y + half_h, (y + h - half_h).max(y + half_h));
        let placed_box = (px - half_w, py - half_h, px + half_w, py + half_h);
        let overlaps = |b: &(f64, f64, f64, f64)| {
            b.0 < placed_box.2 && placed_box.0 < b.2 && b.1 < placed_box.3 && placed_box.1 < b.3
        };
        if placed.iter().any(overlaps) {
            continue;
        }
        placed.push(placed_box);
        items.push(Item::Text {
            class: "neighbour",
            x: px,
            y: py,
            size,
            text: label,
            colour: Rgb(0x33, 0x33, 0x33),
            halo: Some((WHITE, 2.0 * u)),
            centred: true,
        });
    }
    items.push(Item::Unclip);
    items.push(Item::Rect {
        x,
        y,
        w,
        h,
        fill: WHITE,
        opacity: 0.0,
        stroke: Some((OUTLINE, 1.0 * u)),
    });
    items.extend(scale_bar_items(&projection, u, y + h));
    items.extend(locator_inset(
        request,
        index,
        (x + w - w * 0.24 - 8.0 * u, y + 8.0 * u, w * 0.24, h * 0.3),
        u,
    ));
    items
}

/// The middle of the part of a footprint's box in `view`, when that point is in the footprint.
fn visible_middle(f: &crate::model::Footprint, view: Rect<f64>) -> Option<Coord<f64>> {
    use geo::Contains;
    let (a, b) = (f.bbox, view);
    let min = Coord {
        x: a.min().x.max(b.min().x),
        y: a.min().y.max(b.min().y),
    };
    let max = Coord {
        x: a.max().x.min(b.max().x),
        y: a.max().y.min(b.max().y),
    };
    let middle = Coord {
        x: (min.x + max.x) / 2.0,
        y: (min.y + max.y) / 2.0,
    };
    f.geometry.contains(&middle).then_some(middle)
}

/// A small map of the whole layer with the footprint picked out.
fn locator_inset(
    request: &PackRequest,
    index: usize,
    rect: (f64, f64, f64, f64),
    u: f64,
) -> Vec<Item> {
    let (x, y, w, h) = rect;
    let Some(bbox) = request.layer.bbox() else {
        return Vec::new();
    };
    let projection = fit_into(bbox, x, y, w, h, 6.0 * u);
    let mut items = vec![Item::Rect {
        x,
        y,
        w,
        h,
        fill: WHITE,
        opacity: 0.95,
        stroke: Some((OUTLINE, 0.8 * u)),
    }];
    for (i, f) in request.layer.footprints.iter().enumerate() {
        let subject = i == index;
        items.push(Item::Shape {
            class: "locator",
            id: None,
            title: None,
            rings: thin(projection.rings(&f.geometry), 1.2),
            fill: Some(if subject {
                (Rgb(0xc8, 0x1e, 0x28), 1.0)
            } else {
                (Rgb(0xdd, 0xdd, 0xd8), 1.0)
            }),
            stroke: Some((Rgb(0xff, 0xff, 0xff), 0.3 * u)),
            closed: true,
        });
    }
    items
}

/// The card: lead, facts, member tables and caveats, in the column (x, y, w, bottom).
fn card(facts: &FootprintFacts, (x, y, w, bottom): (f64, f64, f64, f64), u: f64) -> Vec<Item> {
    let mut items = Vec::new();
    let mut yy = y + 10.0 * u;
    let line = |items: &mut Vec<Item>, yy: &mut f64, s: String, size: f64, colour: Rgb| {
        items.push(text("card", x, *yy, size, s, colour));
        *yy += size * 1.45;
    };
    for lead in &facts.lead {
        for l in wrap(lead, 14.0 * u, w) {
            line(&mut items, &mut yy, l, 14.0 * u, INK);
        }
    }
    yy += 6.0 * u;
    for (label, value) in &facts.card {
        let size = 12.5 * u;
        items.push(text(
            "card",
            x,
            yy,
            size,
            fit_text(label, size, w * 0.55),
            Rgb(0x55, 0x55, 0x55),
        ));
        items.push(text(
            "card",
            x + w * 0.56,
            yy,
            size,
            fit_text(value, size, w * 0.44),
            INK,
        ));
        yy += size * 1.45;
    }
    // The caveats go at the foot of the column; tables fill what is between.
    let caveat_size = 9.5 * u;
    let caveat_lines: Vec<String> = facts
        .caveats
        .iter()
        .flat_map(|c| wrap(c, caveat_size, w))
        .take(8)
        .collect();
    let caveats_top = bottom - caveat_size * 1.4 * (caveat_lines.len() as f64 + 1.0);
    for table in &facts.tables {
        yy += 8.0 * u;
        if yy + 30.0 * u > caveats_top {
            break;
        }
        yy = table_items(&mut items, table, (x, yy, w), caveats_top, u);
    }
    let mut cy = caveats_top;
    if !caveat_lines.is_empty() {
        line(
            &mut items,
            &mut cy,
            "Notes on the data".into(),
            caveat_size * 1.1,
            INK,
        );
    }
    for l in caveat_lines {
        line(&mut items, &mut cy, l, caveat_size, Rgb(0x44, 0x44, 0x44));
    }
    items
}

/// A member table from `y`, as many rows as fit above `limit` (then "… and N more"); returns
/// where the next thing goes.
fn table_items(
    items: &mut Vec<Item>,
    table: &Table,
    (x, y, w): (f64, f64, f64),
    limit: f64,
    u: f64,
) -> f64 {
    let size = 10.5 * u;
    let row = size * 1.4;
    let mut yy = y;
    items.push(text(
        "table",
        x,
        yy,
        12.0 * u,
        format!("{} ({})", table.title, table.rows.len()),
        INK,
    ));
    yy += 12.0 * u * 1.5;
    let widths: Vec<f64> = match table.header.len() {
        2 => vec![0.2, 0.8],
        3 => vec![0.2, 0.65, 0.15],
        n => vec![1.0 / n.max(1) as f64; n],
    };
    let cells = |items: &mut Vec<Item>, yy: f64, values: &[String], colour: Rgb| {
        let mut at = 0.0;
        for (value, share) in values.iter().zip(&widths) {
            items.push(text(
                "table",
                x + at * w,
                yy,
                size,
                fit_text(value, size, share * w - 4.0 * u),
                colour,
            ));
            at += share;
        }
    };
    cells(items, yy, &table.header, Rgb(0x66, 0x66, 0x66));
    yy += row;
    for (r, values) in table.rows.iter().enumerate() {
        let left = table.rows.len() - r;
        if yy + 2.0 * row > limit && left > 1 {
            items.push(text(
                "table",
                x,
                yy,
                size,
                format!("… and {left} more"),
                Rgb(0x55, 0x55, 0x55),
            ));
            return yy + row;
        }
        cells(items, yy, values, INK);
        yy += row;
    }
    yy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_and_wrapped_to_fit() {
        let cut = fit_text(
            "NHS Cheshire and Merseyside Integrated Care Board",
            10.0,
            100.0,
        );
        assert!(
            cut.ends_with('…') && text_width(&cut, 10.0) <= 100.0,
            "{cut}"
        );
        assert_eq!(fit_text("Short", 10.0, 100.0), "Short");
        let lines = wrap("one two three four five six seven", 10.0, 60.0);
        assert!(
            lines.len() > 1 && lines.iter().all(|l| text_width(l, 10.0) <= 60.0),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), "one two three four five six seven");
    }

    #[test]
    fn thinning_drops_points_closer_than_a_step_and_tiny_rings() {
        let ring = vec![
            (0.0, 0.0),
            (0.1, 0.0),
            (5.0, 0.0),
            (5.0, 5.0),
            (0.0, 5.0),
            (0.0, 0.0),
        ];
        let thinned = thin(vec![ring, vec![(0.0, 0.0), (0.2, 0.1), (0.1, 0.2)]], 1.0);
        assert_eq!(
            thinned,
            vec![vec![
                (0.0, 0.0),
                (5.0, 0.0),
                (5.0, 5.0),
                (0.0, 5.0),
                (0.0, 0.0)
            ]]
        );
    }

    #[test]
    fn pages_go_by_region_then_name_and_filter() {
        let facts: Vec<FootprintFacts> = [
            ("A", "Zed", "London"),
            ("B", "Alpha", "South East"),
            ("C", "Beta", "London"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (code, name, region))| FootprintFacts {
            index: i,
            code: code.to_string(),
            name: name.to_string(),
            region: Some(region.to_string()),
            ..Default::default()
        })
        .collect();
        assert_eq!(page_order(&facts, &[], &[]), vec![2, 0, 1]);
        assert_eq!(page_order(&facts, &["london".into()], &[]), vec![2, 0]);
        assert_eq!(page_order(&facts, &["east".into()], &[]), vec![1]);
        assert!(page_order(&facts, &["o".into()], &[]).is_empty());
        assert_eq!(page_order(&facts, &[], &["b".into()]), vec![1]);
    }
}

/// A day counted from 1970-01-01 as "29 November 2026".
pub fn date_of(days: i64) -> String {
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{day} {} {year}", MONTHS[(month - 1) as usize])
}

/// Today's date (UTC), as the cover prints it.
pub fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    date_of((seconds / 86_400) as i64)
}

#[cfg(test)]
mod date_tests {
    #[test]
    fn days_become_dates() {
        assert_eq!(super::date_of(0), "1 January 1970");
        assert_eq!(super::date_of(20_786), "28 November 2026");
        assert_eq!(super::date_of(19_417), "29 February 2024");
    }
}
