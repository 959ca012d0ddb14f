//! Labels on the map: footprint names placed without overlap, and town and country names.

use super::*;

pub(super) fn halo_text(
    painter: &egui::Painter,
    galley: Arc<egui::Galley>,
    pos: Pos2,
    text: Color32,
    halo: Color32,
) {
    for offset in [
        vec2(-1.0, 0.0),
        vec2(1.0, 0.0),
        vec2(0.0, -1.0),
        vec2(0.0, 1.0),
        vec2(-1.0, -1.0),
        vec2(1.0, 1.0),
        vec2(-1.0, 1.0),
        vec2(1.0, -1.0),
    ] {
        painter.galley_with_override_text_color(pos + offset, galley.clone(), halo);
    }
    painter.galley_with_override_text_color(pos, galley, text);
}

/// Labels of one layer, inside the painter's clip rect; `selected` is the layer's selected
/// area (labelled first).
pub(super) fn footprint_labels(
    painter: &egui::Painter,
    prepared: &PreparedLayer,
    projector: &Projector,
    input: &MapInput,
    selected: Option<usize>,
    text_colour: Color32,
    halo_colour: Color32,
) -> Vec<ScreenBox> {
    let rect = painter.clip_rect().intersect(projector.clip_rect());
    let font = FontId::proportional(13.0);
    let short_font = FontId::proportional(12.0);
    let mut galleys = std::collections::HashMap::new();
    let mut candidates = Vec::new();
    for (id, anchor, room) in labelled_in_view(prepared, projector, rect, selected) {
        let Some((long_text, short_text)) = label_texts(prepared, id, input.label_mode) else {
            continue;
        };
        let pos = projector
            .project(lon_lat(anchor.position.x, anchor.position.y))
            .to_pos2();
        // Wrap long names, but never inside a word.
        let longest_word = long_text
            .split_whitespace()
            .max_by_key(|w| w.chars().count())
            .unwrap_or("");
        let word_width = painter
            .layout_no_wrap(longest_word.to_string(), font.clone(), text_colour)
            .size()
            .x;
        let wrap = (room * 2.2).clamp(60.0, 220.0).max(word_width + 2.0);
        let name = painter.layout(long_text, font.clone(), text_colour, wrap);
        let short = painter.layout_no_wrap(short_text, short_font.clone(), text_colour);
        let mut forms = vec![(name.size().x, name.size().y)];
        if !short.is_empty() {
            forms.push((short.size().x, short.size().y));
        }
        candidates.push(LabelCandidate {
            id,
            x: pos.x,
            y: pos.y,
            forms,
            room,
            priority: room + if selected == Some(id) { 1e6 } else { 0.0 },
        });
        galleys.insert(id, (name, short));
    }
    let placed = place_labels(candidates, 1.15, 4.0);
    let mut boxes = Vec::with_capacity(placed.len());
    for label in placed {
        let Some((name, short)) = galleys.get(&label.id) else {
            continue;
        };
        let galley = if label.form == 0 {
            name.clone()
        } else {
            short.clone()
        };
        halo_text(
            painter,
            galley,
            pos2(label.bounds.min_x, label.bounds.min_y),
            text_colour,
            halo_colour,
        );
        boxes.push(label.bounds);
    }
    boxes
}

/// The footprints to try labelling in `rect`, with their anchors and room on screen (pixels):
/// only anchors in view with room for a label, the selected one first and then the roomiest,
/// and never more than a screen can hold — at national zoom a file of 30,000 areas lays out no
/// text at all.
fn labelled_in_view(
    prepared: &PreparedLayer,
    projector: &Projector,
    rect: Rect,
    selected: Option<usize>,
) -> Vec<(usize, Anchor, f32)> {
    let world_px = crate::geo_util::world_pixels(projector.zoom());
    let area = rect.expand(100.0);
    let corner = |p: Pos2| {
        let c = projector.unproject(p.to_vec2());
        Coord { x: c.x(), y: c.y() }
    };
    let bounds = geo::Rect::new(corner(area.left_top()), corner(area.right_bottom()));
    let mut in_view: Vec<(usize, Anchor, f32)> = prepared
        .labelled_in(bounds, 6.0 / world_px)
        .into_iter()
        .filter_map(|id| {
            let anchor = prepared.anchors.get(id).copied().flatten()?;
            let room = (anchor.room * world_px) as f32;
            (room >= 6.0).then_some((id, anchor, room))
        })
        .collect();
    in_view.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let most = ((rect.area() / 2500.0) as usize).clamp(50, 600);
    if let Some(selected) = selected
        && let Some(at) = in_view.iter().position(|c| c.0 == selected)
    {
        let chosen = in_view.remove(at);
        in_view.insert(0, chosen);
    }
    in_view.truncate(most);
    in_view
}

/// A footprint's label in full and in short (empty when it has no short form), as the label
/// mode asks: its name (short: its number), its number alone, or its code.
fn label_texts(
    prepared: &PreparedLayer,
    id: usize,
    mode: crate::render::style::LabelMode,
) -> Option<(String, String)> {
    use crate::render::style::LabelMode;
    let footprint = prepared.layer.footprints.get(id)?;
    let short = || prepared.short_labels.get(id).cloned().unwrap_or_default();
    Some(match mode {
        LabelMode::Name => (footprint.name.clone(), short()),
        LabelMode::Number => (short(), String::new()),
        LabelMode::Code | LabelMode::None => (footprint.code.clone(), String::new()),
    })
}

pub(super) fn place_labels_ui(
    painter: &egui::Painter,
    basemap: &PreparedBasemap,
    projector: &Projector,
    occupied: &mut Vec<ScreenBox>,
    dark: bool,
) {
    let rect = projector.clip_rect();
    let zoom = projector.zoom();
    let colour = theme::of(dark).place;
    let halo = theme::of(dark).place_halo;
    if zoom < 7.5 {
        for (name, position) in &basemap.countries {
            if name == "ENGLAND" {
                continue; // covered by the footprints
            }
            let pos = projector.project(lon_lat(position.x, position.y)).to_pos2();
            let galley = painter.layout_no_wrap(name.clone(), FontId::proportional(12.0), colour);
            let b = ScreenBox::centred(pos.x, pos.y, galley.size().x, galley.size().y);
            if rect.contains(pos) && !occupied.iter().any(|o| o.overlaps(&b)) {
                halo_text(painter, galley, pos2(b.min_x, b.min_y), colour, halo);
                occupied.push(b);
            }
        }
    }
    let mut drawn = 0;
    for place in basemap.places.iter().filter(|p| p.min_zoom() <= zoom) {
        if drawn >= 250 {
            break;
        }
        let pos = projector
            .project(lon_lat(place.position.x, place.position.y))
            .to_pos2();
        if !rect.contains(pos) {
            continue;
        }
        let galley = painter.layout_no_wrap(place.name.clone(), FontId::proportional(11.0), colour);
        let size = galley.size();
        let b = ScreenBox {
            min_x: pos.x + 4.0,
            min_y: pos.y - size.y / 2.0,
            max_x: pos.x + 4.0 + size.x,
            max_y: pos.y + size.y / 2.0,
        };
        let dot = ScreenBox::centred(pos.x, pos.y, 5.0, 5.0);
        if occupied.iter().any(|o| o.overlaps(&b) || o.overlaps(&dot)) {
            continue;
        }
        painter.circle(pos, 2.2, colour, Stroke::new(1.0, halo));
        halo_text(painter, galley, pos2(b.min_x, b.min_y), colour, halo);
        occupied.push(b);
        occupied.push(dot);
        drawn += 1;
    }
}
