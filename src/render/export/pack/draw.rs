//! Drawing shared by the pack's pages: a map fitted into part of the page (thinned shapes), text
//! cut or wrapped to fit, and the footer.

use geo::{Coord, Intersects, Rect};

use super::super::scene::attribution_items;
use super::super::{INK, Item, LAND, PageProjection, SEA, text_width};
use super::{Frame, PackRequest};
use crate::colour::Rgb;
use crate::geo_util::{fit_bounds, lon_lat_to_world};

/// A projection fitting `bbox` into the rectangle (x, y, w, h) of the page.
pub(super) fn fit_into(
    bbox: Rect<f64>,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    margin: f64,
) -> PageProjection {
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
pub(super) fn thin(rings: Vec<Vec<(f64, f64)>>, step: f64) -> Vec<Vec<(f64, f64)>> {
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
pub(super) fn shown(projection: &PageProjection, x: f64, y: f64, w: f64, h: f64) -> Rect<f64> {
    let to_lon_lat = |px: f64, py: f64| {
        crate::geo_util::world_to_lon_lat(Coord {
            x: projection.centre.x + (px - projection.origin.0) / projection.scale,
            y: projection.centre.y + (py - projection.origin.1) / projection.scale,
        })
    };
    Rect::new(to_lon_lat(x, y + h), to_lon_lat(x + w, y))
}

/// How a footprint is drawn on a pack's map: fill colour, opacity, and outline (colour, width).
pub(super) type FootprintStyle = (Rgb, f64, Option<(Rgb, f64)>);

/// A map in (x, y, w, h), clipped to it: sea, land, and the footprints as `fill` says — colour,
/// opacity and outline (`None` for the footprint: not drawn).
pub(super) fn map_items(
    request: &PackRequest,
    projection: &PageProjection,
    rect: (f64, f64, f64, f64),
    fill: &dyn Fn(usize) -> Option<FootprintStyle>,
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
        let Some((colour, opacity, edge)) = fill(i) else {
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
            stroke: edge,
            closed: true,
        });
    }
    items
}

/// Text cut to fit `max_w` pixels at `size`, with an ellipsis when cut.
pub(super) fn fit_text(text: &str, size: f64, max_w: f64) -> String {
    if text_width(text, size) <= max_w {
        return text.to_string();
    }
    let keep = ((max_w / (size * 0.52)) as usize).saturating_sub(1);
    let cut: String = text.chars().take(keep).collect();
    format!("{}…", cut.trim_end())
}

/// Text broken into lines of at most `max_w` pixels at `size`.
pub(in crate::render::export) fn wrap(text: &str, size: f64, max_w: f64) -> Vec<String> {
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

pub(in crate::render::export) fn text(
    class: &'static str,
    x: f64,
    y: f64,
    size: f64,
    text: String,
    colour: Rgb,
) -> Item {
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
pub(super) fn footer(frame: &Frame, number: usize, total: usize) -> Vec<Item> {
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
