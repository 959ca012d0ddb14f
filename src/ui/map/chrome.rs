//! The map's chrome: zoom buttons, legend, scale bar and attribution.

use super::*;

pub(super) fn map_controls_ui(ui: &mut Ui, rect: Rect, input: &MapInput) -> Option<Action> {
    let mut action = None;
    let size = vec2(30.0, 30.0);
    let mut top = rect.left_top() + vec2(10.0, 10.0);
    let mut button = |ui: &mut Ui, text: &str, tip: &str, enabled: bool| -> bool {
        let r = Rect::from_min_size(top, size);
        top.y += size.y + 4.0;
        ui.put(r, egui::Button::new(egui::RichText::new(text).size(16.0)))
            .on_hover_text(tip)
            .clicked()
            && enabled
    };
    if button(ui, "+", "Zoom in (+)", true) {
        action = Some(Action::ZoomIn);
    }
    if button(ui, "−", "Zoom out (−)", true) {
        action = Some(Action::ZoomOut);
    }
    if button(ui, "🏠", "Fit England (Home)", true) {
        action = Some(Action::FitAll);
    }
    if input.selected.is_some() && button(ui, "🔍", "Zoom to the selected footprint (Z)", true) {
        action = Some(Action::ZoomToSelection);
    }
    action
}

/// The legend in the lower left, above the scale bar.
pub fn legend_ui(
    painter: &egui::Painter,
    rect: Rect,
    legend: &crate::render::style::Legend,
    dark: bool,
) {
    if legend.entries.is_empty() {
        return;
    }
    let text = theme::of(dark).legend_text;
    let background = theme::of(dark).legend_background;
    let title = painter.layout_no_wrap(legend.title.clone(), FontId::proportional(13.0), text);
    let rows: Vec<_> = legend
        .entries
        .iter()
        .map(|e| painter.layout_no_wrap(e.label.clone(), FontId::proportional(12.0), text))
        .collect();
    let row_h = 18.0;
    let width = rows
        .iter()
        .map(|g| g.size().x + 26.0)
        .fold(title.size().x, f32::max)
        + 16.0;
    let height = title.size().y + 6.0 + row_h * rows.len() as f32 + 12.0;
    let frame = Rect::from_min_size(
        rect.left_bottom() + vec2(10.0, -44.0 - height),
        vec2(width, height),
    );
    painter.rect_filled(frame, 4.0, background);
    let mut y = frame.top() + 6.0;
    painter.galley(pos2(frame.left() + 8.0, y), title.clone(), text);
    y += title.size().y + 6.0;
    for (entry, galley) in legend.entries.iter().zip(rows) {
        let Rgb(r, g, b) = entry.colour;
        let swatch = Rect::from_min_size(pos2(frame.left() + 8.0, y + 2.0), vec2(16.0, 12.0));
        painter.rect_filled(swatch, 2.0, Color32::from_rgb(r, g, b));
        painter.rect_stroke(
            swatch,
            2.0,
            Stroke::new(0.5, text),
            egui::StrokeKind::Inside,
        );
        painter.galley(pos2(swatch.right() + 6.0, y), galley, text);
        y += row_h;
    }
}

pub(super) fn scale_bar(
    painter: &egui::Painter,
    rect: Rect,
    lat: f64,
    zoom: f64,
    text: Color32,
    halo: Color32,
) {
    let mpp = metres_per_pixel(lat, zoom);
    let metres = nice_distance(mpp * 140.0);
    if metres <= 0.0 {
        return;
    }
    let width = (metres / mpp) as f32;
    let left = rect.left_bottom() + vec2(12.0, -14.0);
    let right = left + vec2(width, 0.0);
    let stroke_halo = Stroke::new(4.0, halo);
    let stroke = Stroke::new(2.0, text);
    for s in [stroke_halo, stroke] {
        painter.line_segment([left, right], s);
        painter.line_segment([left, left - vec2(0.0, 6.0)], s);
        painter.line_segment([right, right - vec2(0.0, 6.0)], s);
    }
    let label = if metres >= 1000.0 {
        format!("{} km", metres / 1000.0)
    } else {
        format!("{metres} m")
    };
    let galley = painter.layout_no_wrap(label, FontId::proportional(11.0), text);
    let pos = left + vec2(width / 2.0 - galley.size().x / 2.0, -8.0 - galley.size().y);
    halo_text(painter, galley, pos, text, halo);
}

pub(super) fn attribution(ui: &mut Ui, rect: Rect, input: &MapInput) {
    let mut text = String::from(crate::SHORT_ATTRIBUTION);
    if let Some(credit) = input.tile_credit {
        text = format!("{credit} · {text}");
    }
    let font = FontId::proportional(10.5);
    let galley = ui
        .painter()
        .layout(text, font, ui.visuals().text_color(), rect.width() * 0.6);
    let margin = vec2(6.0, 3.0);
    let size = galley.size() + margin * 2.0;
    let area = Rect::from_min_size(rect.right_bottom() - size, size);
    let bg = ui.visuals().extreme_bg_color.gamma_multiply(0.85);
    ui.painter().rect_filled(area, 3.0, bg);
    ui.painter()
        .galley(area.min + margin, galley, ui.visuals().text_color());
    ui.interact(area, ui.scope_id().with("attribution"), Sense::hover())
        .on_hover_text("Full data sources and licences: Help, About Footprints and its data");
}
