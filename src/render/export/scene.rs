//! The exported page laid out as shapes and text: basemap, footprints, labels, title, legend,
//! scale bar and attribution, in page pixels.

use geo::{Coord, MultiPolygon, Rect};

use super::{
    ExportError, ExportRequest, INK, Item, LAND, OUTLINE, PageLayout, PageProjection, SEA, Scene,
    WHITE, paper, text_width,
};
use crate::colour::Rgb;
use crate::geo_util::{lon_lat_to_world, metres_per_pixel, nice_distance};
use crate::render::labels::{LabelCandidate, label_anchor, place_labels};
use crate::render::style::{LabelMode, luminance};

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
        .or_else(|| request.facts.layer().bbox())
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
        paper(w, h),
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
    items.extend(basemap_items(request, &projection));
    items.extend(cut_fade(request, &projection));
    items.extend(footprint_items(request, &projection, u));
    if request.label_mode != LabelMode::None {
        items.extend(label_items(request, &projection, u));
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
    if let Some(selected) = request.selected {
        items.extend(card_items(
            &request.facts.card_lines(selected),
            u,
            w,
            map_top,
        ));
    }
    items.extend(legend_items(request.legend, u, map_top + map_h));
    items.extend(scale_bar_items(&projection, u, map_top + map_h));
    items.extend(attribution_items(u, h - footer_h));
    Ok(Scene {
        width: w,
        height: h,
        title: request.title.clone(),
        items,
    })
}

/// The basemap: Natural Earth land, then the sharper UK countries over it, each its own shape so
/// that rings wound either way still fill.
fn basemap_items(request: &ExportRequest, projection: &PageProjection) -> Vec<Item> {
    let mut items = Vec::new();
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
    items
}

/// One shape per footprint, and the selected one's outline over them.
fn footprint_items(request: &ExportRequest, projection: &PageProjection, u: f64) -> Vec<Item> {
    let mut items = Vec::new();
    for (i, f) in request.facts.layer().footprints.iter().enumerate() {
        let mut title = vec![format!("{} ({})", f.name, f.code)];
        title.extend(request.facts.hover_lines(i));
        let colour = request
            .colours
            .get(i)
            .copied()
            .unwrap_or(Rgb(200, 200, 200));
        items.push(Item::Shape {
            class: "footprint",
            id: Some(f.code.clone()),
            title: Some(title.join("\n")),
            rings: projection.rings(&f.geometry),
            fill: Some((colour, 0.85)),
            stroke: Some((OUTLINE, 0.9 * u)),
            closed: true,
        });
    }
    if let Some(f) = request
        .selected
        .and_then(|i| request.facts.layer().footprints.get(i))
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
    items
}

/// Labels, placed as on screen: names where they fit, else numbers, never overlapping.
fn label_items(request: &ExportRequest, projection: &PageProjection, u: f64) -> Vec<Item> {
    let mut items = Vec::new();
    let size = 13.0 * u;
    let mut candidates = Vec::new();
    let mut texts = Vec::new();
    for (id, f) in request.facts.layer().footprints.iter().enumerate() {
        let Some((anchor, room)) = label_anchor(&f.geometry, |c| lon_lat_to_world(c.x, c.y)) else {
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
    items
}

/// The selected footprint's card (its facts' lines, the first as a heading), in the top right
/// of a page `w` wide whose map starts at `map_top`.
fn card_items(lines: &[String], u: f64, w: f64, map_top: f64) -> Vec<Item> {
    let mut items = Vec::new();
    let Some((heading, rest)) = lines.split_first() else {
        return items;
    };
    let (heading_size, size, row) = (18.0 * u, 13.0 * u, 19.0 * u);
    // At most two fifths of the page wide: longer lines wrap.
    let max_text = w * 0.4 - 24.0 * u;
    let rest: Vec<String> = rest
        .iter()
        .flat_map(|l| super::pack::draw::wrap(l, size, max_text))
        .collect();
    let cw = rest
        .iter()
        .map(|l| text_width(l, size))
        .fold(text_width(heading, heading_size).min(max_text), f64::max)
        + 24.0 * u;
    let ch = 36.0 * u + row * rest.len() as f64;
    let (cx, cy) = (w - cw - 16.0 * u, map_top + 16.0 * u);
    items.push(Item::Rect {
        x: cx,
        y: cy,
        w: cw,
        h: ch,
        fill: WHITE,
        opacity: 0.92,
        stroke: Some((OUTLINE, 0.6 * u)),
    });
    let text = super::pack::draw::text;
    let (tx, heading_y) = (cx + 12.0 * u, cy + 18.0 * u);
    items.push(text(
        "card",
        tx,
        heading_y,
        heading_size,
        heading.clone(),
        INK,
    ));
    for (i, line) in rest.into_iter().enumerate() {
        let y = cy + 40.0 * u + row * i as f64;
        items.push(text("card", tx, y, size, line, INK));
    }
    items
}

/// The legend, in the lower left of a map whose bottom is at `map_bottom`.
pub(super) fn legend_items(
    legend: &crate::render::style::Legend,
    u: f64,
    map_bottom: f64,
) -> Vec<Item> {
    let mut items = Vec::new();
    if legend.entries.is_empty() {
        return items;
    }
    let row = 22.0 * u;
    let lh = 30.0 * u + row * legend.entries.len() as f64;
    let lw = legend
        .entries
        .iter()
        .map(|e| text_width(&e.label, 14.0 * u) + 40.0 * u)
        .fold(text_width(&legend.title, 15.0 * u) + 20.0 * u, f64::max);
    let (lx, ly) = (16.0 * u, map_bottom - lh - 60.0 * u);
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
        text: legend.title.clone(),
        colour: INK,
        halo: None,
        centred: false,
    });
    for (i, entry) in legend.entries.iter().enumerate() {
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
    items
}

/// The scale bar, in the lower left of a map whose bottom is at `map_bottom`.
pub(super) fn scale_bar_items(projection: &PageProjection, u: f64, map_bottom: f64) -> Vec<Item> {
    let mut items = Vec::new();
    let lat = crate::geo_util::world_to_lon_lat(projection.centre).y;
    let mpp = metres_per_pixel(lat, projection.zoom);
    let metres = nice_distance(mpp * 180.0 * u);
    if metres > 0.0 {
        let bar = metres / mpp;
        let (x0, y0) = (16.0 * u, map_bottom - 24.0 * u);
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
    items
}

/// The data's attribution, as its README requires, from `top` down.
pub(super) fn attribution_items(u: f64, top: f64) -> Vec<Item> {
    let mut items = Vec::new();
    let size = 11.5 * u;
    for (i, line) in crate::DATA_ATTRIBUTION.iter().enumerate() {
        items.push(Item::Text {
            class: "attribution",
            x: 16.0 * u,
            y: top + 14.0 * u + i as f64 * size * 1.35,
            size,
            text: line.to_string(),
            colour: Rgb(0x33, 0x33, 0x33),
            halo: None,
            centred: false,
        });
    }
    items
}
