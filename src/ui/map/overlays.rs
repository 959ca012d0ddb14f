//! The map's overlays, one `walkers::Plugin` each, drawn over the meshes in the order added:
//! what is under the pointer (hit test and tooltip), the selection outline, labels, the search
//! pin and the swipe divider.

use super::*;

/// The lon/lat under a point of the screen.
fn lon_lat_from_screen(projector: &Projector, pos: Pos2) -> Coord<f64> {
    let p = projector.unproject(pos.to_vec2());
    Coord { x: p.x(), y: p.y() }
}

/// What the pointer did on the active layer: hover, click and right-click.
#[derive(Debug, Default)]
pub(super) struct PointerEvents {
    pub hovered: Option<usize>,
    pub clicked: Option<Option<usize>>,
    pub clicked_at: Option<Coord<f64>>,
    pub context: Option<(Coord<f64>, Pos2)>,
}

/// Finds the footprint under the pointer, reports clicks, and shows the hovered one's tooltip.
pub(super) struct Pointer<'a> {
    pub layer: Option<&'a PreparedLayer>,
    pub hover_of: &'a dyn Fn(usize) -> Vec<String>,
    pub events: &'a mut PointerEvents,
}

impl walkers::Plugin for Pointer<'_> {
    fn run(
        self: Box<Self>,
        _ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let lon_lat_from_screen = |pos: Pos2| lon_lat_from_screen(projector, pos);
        let hit = |pos: Pos2| self.layer?.locator.locate(lon_lat_from_screen(pos));
        let events = self.events;
        if let Some(pos) = response.hover_pos()
            && !response.dragged()
        {
            events.hovered = hit(pos);
        }
        if response.clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            events.clicked = Some(hit(pos));
            events.clicked_at = Some(lon_lat_from_screen(pos));
        }
        if response.secondary_clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            events.context = Some((lon_lat_from_screen(pos), pos));
        }
        if let (Some(prepared), Some(hovered)) = (self.layer, events.hovered)
            && let Some(footprint) = prepared.layer.footprints.get(hovered)
        {
            let lines = (self.hover_of)(hovered);
            response.clone().on_hover_ui_at_pointer(|ui| {
                ui.strong(&footprint.name);
                for line in lines {
                    ui.label(line);
                }
            });
        }
    }
}

/// The selected footprint's outline, haloed, over the fills.
pub(super) struct SelectionOutline<'a> {
    pub layer: Option<&'a PreparedLayer>,
    pub selected: Option<usize>,
    pub dark: bool,
}

impl walkers::Plugin for SelectionOutline<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let (Some(prepared), Some(selected)) = (self.layer, self.selected) else {
            return;
        };
        let Some(rings) = prepared.level(projector.zoom()).rings.get(selected) else {
            return;
        };
        let painter = ui.painter().with_clip_rect(response.rect);
        let style = theme::of(self.dark);
        let screen_from_mesh = mesh_transform(projector);
        for ring in rings {
            let points: Vec<Pos2> = ring.iter().map(|p| screen_from_mesh * *p).collect();
            painter.add(Shape::line(
                points.clone(),
                Stroke::new(5.0, style.label_halo),
            ));
            painter.add(Shape::line(points, Stroke::new(2.5, style.label)));
        }
    }
}

/// Footprint labels (each side of a swipe from its own layer) and town names, placed so that
/// none overlaps another.
pub(super) struct Labels<'a> {
    pub input: &'a MapInput<'a>,
}

impl walkers::Plugin for Labels<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let input = self.input;
        let rect = response.rect;
        let painter = ui.painter().with_clip_rect(rect);
        let style = theme::of(input.dark);
        let mut occupied: Vec<ScreenBox> = Vec::new();
        if input.label_mode != crate::render::style::LabelMode::None {
            let sides: Vec<(&PreparedLayer, Rect)> = match input.swipe {
                Some((left, right, at)) => {
                    let (left_rect, right_rect) = swipe_sides(rect, at);
                    vec![(left, left_rect), (right, right_rect)]
                }
                None => input.layer.map(|l| (l, rect)).into_iter().collect(),
            };
            for (prepared, clip) in sides {
                let selected = input
                    .layer
                    .is_some_and(|active| std::ptr::eq(active, prepared))
                    .then_some(input.selected)
                    .flatten();
                occupied.extend(footprint_labels(
                    &painter.with_clip_rect(clip),
                    prepared,
                    projector,
                    input,
                    selected,
                    style.label,
                    style.label_halo,
                ));
            }
        }
        if input.show_places {
            place_labels_ui(
                &painter,
                input.basemap,
                projector,
                &mut occupied,
                input.dark,
            );
        }
    }
}

/// The search result's pin.
pub(super) struct Pin {
    pub at: Coord<f64>,
}

impl walkers::Plugin for Pin {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let painter = ui.painter().with_clip_rect(response.rect);
        let red = Color32::from_rgb(200, 30, 40);
        let edge = Stroke::new(1.5, Color32::WHITE);
        let tip = projector.project(lon_lat(self.at.x, self.at.y)).to_pos2();
        let head = tip - vec2(0.0, 22.0);
        painter.add(Shape::convex_polygon(
            vec![tip, head + vec2(-7.0, 4.0), head + vec2(7.0, 4.0)],
            red,
            edge,
        ));
        painter.circle(head, 8.0, red, edge);
        painter.circle_filled(head, 3.0, Color32::WHITE);
    }
}

/// The swipe's divider: a draggable line with a handle, each side titled with its layer.
pub(super) struct SwipeDivider<'a> {
    pub left_title: &'a str,
    pub right_title: &'a str,
    /// Where the divider is, 0..1 across the map.
    pub at: f32,
    pub dark: bool,
    /// Where it was dragged to this frame.
    pub dragged_to: &'a mut Option<f32>,
}

impl walkers::Plugin for SwipeDivider<'_> {
    fn run(self: Box<Self>, ui: &mut Ui, response: &Response, _: &Projector, _: &MapMemory) {
        let rect = response.rect;
        let painter = ui.painter().with_clip_rect(rect);
        let style = theme::of(self.dark);
        let x = swipe_sides(rect, self.at).0.right();
        let grip = ui.interact(
            Rect::from_min_max(pos2(x - 8.0, rect.top()), pos2(x + 8.0, rect.bottom())),
            response.id.with("swipe divider"),
            Sense::drag(),
        );
        if grip.dragged()
            && let Some(p) = grip.interact_pointer_pos()
        {
            *self.dragged_to = Some(((p.x - rect.left()) / rect.width()).clamp(0.02, 0.98));
        }
        painter.line_segment(
            [pos2(x, rect.top()), pos2(x, rect.bottom())],
            Stroke::new(3.0, Color32::WHITE),
        );
        let handle = Rect::from_center_size(pos2(x, rect.center().y), vec2(28.0, 44.0));
        painter.rect_filled(handle, 6.0, Color32::from_rgb(40, 40, 48));
        let c = handle.center();
        for side in [-1.0f32, 1.0] {
            painter.add(Shape::convex_polygon(
                vec![
                    c + vec2(side * 9.0, 0.0),
                    c + vec2(side * 3.0, -6.0),
                    c + vec2(side * 3.0, 6.0),
                ],
                Color32::WHITE,
                Stroke::NONE,
            ));
        }
        for (title, anchor, align) in [
            (
                self.left_title,
                pos2(x - 10.0, rect.top() + 12.0),
                Align2::RIGHT_TOP,
            ),
            (
                self.right_title,
                pos2(x + 10.0, rect.top() + 12.0),
                Align2::LEFT_TOP,
            ),
        ] {
            let galley =
                painter.layout_no_wrap(title.to_owned(), FontId::proportional(13.0), style.label);
            let at = align.anchor_size(anchor, galley.size());
            painter.rect_filled(at.expand(4.0), 4.0, style.label_halo);
            painter.galley(at.min, galley, style.label);
        }
    }
}

/// The two sides of a swipe whose divider is at `at` (0..1) across `rect`.
pub(super) fn swipe_sides(rect: Rect, at: f32) -> (Rect, Rect) {
    let x = rect.left() + rect.width() * at.clamp(0.0, 1.0);
    (
        Rect::from_min_max(rect.min, pos2(x, rect.max.y)),
        Rect::from_min_max(pos2(x, rect.min.y), rect.max),
    )
}

/// How the builder's pointer paints blocks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PaintTool {
    /// A circle of this radius (screen pixels) dragged over the blocks.
    Brush(f32),
    /// A rectangle dragged out; the blocks inside go when the button comes up.
    Rectangle,
}

/// Blocks painted this frame, and whether they continue a stroke begun on an earlier frame.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Painted {
    pub blocks: Vec<usize>,
    pub continuing: bool,
}

/// The builder's brush or rectangle: draws it under the pointer and reports the blocks it
/// covers (the brush while dragging, the rectangle on release).
pub(super) struct BlockPainter<'a, 'b> {
    pub layer: &'a PreparedLayer,
    pub tool: PaintTool,
    pub painted: &'b mut Option<Painted>,
}

impl walkers::Plugin for BlockPainter<'_, '_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _: &MapMemory,
    ) {
        let painter = ui.painter().with_clip_rect(response.rect);
        let lon_lat_from_screen = |pos: Pos2| lon_lat_from_screen(projector, pos);
        let ink = Stroke::new(1.5, Color32::from_rgb(20, 20, 30));
        let primary = response.dragged_by(egui::PointerButton::Primary);
        let released = response.drag_stopped_by(egui::PointerButton::Primary);
        match self.tool {
            PaintTool::Brush(radius) => {
                let Some(pos) = response.hover_pos().or(response.interact_pointer_pos()) else {
                    return;
                };
                painter.circle_stroke(pos, radius, ink);
                painter.circle_stroke(pos, radius + 1.5, Stroke::new(1.0, Color32::WHITE));
                if !primary {
                    return;
                }
                // Sample the circle (and the way from last frame's position) every few pixels.
                let from = pos - response.drag_delta();
                let step = 3.0f32;
                let steps = ((pos - from).length() / step).ceil().max(1.0) as usize;
                let mut points = Vec::new();
                for s in 0..=steps {
                    let centre = from + (pos - from) * (s as f32 / steps as f32);
                    let n = (radius / step).ceil() as i32;
                    for dx in -n..=n {
                        for dy in -n..=n {
                            let offset = vec2(dx as f32, dy as f32) * step;
                            if offset.length() <= radius {
                                points.push(lon_lat_from_screen(centre + offset));
                            }
                        }
                    }
                }
                let mut blocks: Vec<usize> = self
                    .layer
                    .locator
                    .locate_all(&points)
                    .into_iter()
                    .flatten()
                    .collect();
                blocks.sort_unstable();
                blocks.dedup();
                *self.painted = Some(Painted {
                    blocks,
                    continuing: !response.drag_started(),
                });
            }
            PaintTool::Rectangle => {
                // Where the drag began is kept, as egui forgets it when the button comes up.
                let id = response.id.with("rectangle origin");
                if response.drag_started_by(egui::PointerButton::Primary)
                    && let Some(origin) = ui.input(|i| i.pointer.press_origin())
                {
                    ui.data_mut(|d| d.insert_temp(id, origin));
                }
                let (Some(origin), Some(pos)) = (
                    ui.data(|d| d.get_temp::<Pos2>(id)),
                    ui.input(|i| i.pointer.latest_pos()),
                ) else {
                    return;
                };
                if !primary && !released {
                    return;
                }
                let rect = Rect::from_two_pos(origin, pos);
                painter.rect_stroke(rect, 0.0, ink, egui::StrokeKind::Middle);
                if released {
                    ui.data_mut(|d| d.remove::<Pos2>(id));
                    *self.painted = Some(Painted {
                        blocks: blocks_in(self.layer, rect, projector),
                        continuing: false,
                    });
                }
            }
        }
    }
}

/// The blocks whose label anchor (a point well inside each) lies in `rect` on screen.
fn blocks_in(layer: &PreparedLayer, rect: Rect, projector: &Projector) -> Vec<usize> {
    layer
        .anchors
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let at = a.as_ref()?.position;
            rect.contains(projector.project(lon_lat(at.x, at.y)).to_pos2())
                .then_some(i)
        })
        .collect()
}
