//! The pack's cover: title, date, an England map of every footprint with its number and the
//! legend, and the contents (continued on more pages when the footprints are many).

use geo::{Coord, Rect};

use super::super::scene::legend_items;
use super::super::{INK, Item, OUTLINE, Scene, WHITE, paper};
use super::draw::*;
use super::{Frame, PackRequest};
use crate::colour::Rgb;
use crate::geo_util::thousands;

/// The contents' space on a cover page (pixels).
pub(super) fn contents_height(frame: &Frame) -> f64 {
    frame.h - frame.title_h - frame.footer_h - 60.0 * frame.u
}

/// Contents rows that fit on one cover page (rows are 15 to 19 units high).
pub(super) fn rows_per_cover(frame: &Frame) -> usize {
    (contents_height(frame) / (15.0 * frame.u)).floor().max(5.0) as usize
}

/// The contents' row height for `rows` rows on a page.
pub(super) fn row_height(frame: &Frame, rows: usize) -> f64 {
    (contents_height(frame) / rows.max(1) as f64).clamp(15.0 * frame.u, 19.0 * frame.u)
}

/// How many cover pages the contents need.
pub(super) fn cover_pages_needed(request: &PackRequest, frame: &Frame) -> usize {
    request.order.len().div_ceil(rows_per_cover(frame)).max(1)
}

/// The cover: title, date, England map with numbers and legend, contents (continued on more
/// pages when the footprints are many).
pub(super) fn cover(
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
        let mut items = vec![paper(w, h)];
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
pub(super) fn cover_map(
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
        Some((colour, 0.85, Some((OUTLINE, 0.8 * u))))
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
pub(super) fn contents(
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
