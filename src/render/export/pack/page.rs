//! A footprint's page: its map with the neighbours faded and named, a locator inset, the card
//! of facts, member tables and the data's notes.

use geo::{Coord, Intersects, Rect};

use super::super::scene::scale_bar_items;
use super::super::{INK, Item, OUTLINE, Scene, WHITE, paper, text_width};
use super::draw::*;
use super::{Frame, PackRequest};
use crate::colour::Rgb;
use crate::facts::{FootprintFacts, Table};

/// One footprint's page.
pub(super) fn footprint_page(
    request: &PackRequest,
    frame: &Frame,
    anchors: &[Option<Coord<f64>>],
    index: usize,
    number: usize,
    total: usize,
) -> Scene {
    let (w, h, u) = (frame.w, frame.h, frame.u);
    let mut items = vec![paper(w, h)];
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
pub(super) fn page_map(
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
            // Its border goes on after the neighbours', over their edges.
            (colour, 0.85, None)
        } else {
            (Rgb(0xc9, 0xc9, 0xc3), 0.9, Some((OUTLINE, 1.0 * u)))
        })
    });
    // The footprint's border, over the neighbours' edges.
    items.push(Item::Shape {
        class: "subject",
        id: None,
        title: None,
        rings: thin(projection.rings(&footprint.geometry), 0.8),
        fill: None,
        stroke: Some((INK, 2.6 * u)),
        closed: true,
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
pub(super) fn visible_middle(f: &crate::model::Footprint, view: Rect<f64>) -> Option<Coord<f64>> {
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
pub(super) fn locator_inset(
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
pub(super) fn card(
    facts: &FootprintFacts,
    (x, y, w, bottom): (f64, f64, f64, f64),
    u: f64,
) -> Vec<Item> {
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
pub(super) fn table_items(
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
