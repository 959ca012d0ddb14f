//! The map view: the walkers widget with the offline basemap and a layer's footprints drawn as
//! GPU meshes tessellated once, plus labels, hover, click, zoom buttons, scale bar and credits.
//! Here: the widget and its overlay; beside it `meshes` (mesh space, GPU buffers), `prepared`
//! (a layer's levels of detail), `basemap`, `labels` and `chrome` (controls, legend, scale bar,
//! attribution).

use std::sync::Arc;

use egui::emath::TSTransform;
use egui::{Align2, Color32, FontId, Pos2, Rect, Response, Sense, Shape, Stroke, Ui, pos2, vec2};
use geo::{Coord, MultiPolygon, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use walkers::{Drawable, Drawables, Line, MapMemory, Mesh, Projector, lon_lat};

use crate::basemap::{Basemap, CutEdge, Place};
use crate::geo_util::{lon_lat_to_world, metres_per_pixel, nice_distance};
use crate::index::neighbours;
use crate::model::Layer;
use crate::render::colour::{FOOTPRINT_PALETTE, Rgb, colour_graph};
use crate::render::labels::{LabelCandidate, ScreenBox, label_anchor, place_labels};
use crate::ui::Action;
use crate::ui::theme::{self, Theme};

mod basemap;
mod chrome;
mod labels;
mod meshes;
mod prepared;

pub use basemap::PreparedBasemap;
pub use chrome::legend_ui;
use chrome::*;
use labels::*;
pub use meshes::to_mesh_space;
use meshes::*;
use prepared::*;
pub use prepared::{Anchor, DETAIL_ZOOM, PrepareTimings, PreparedLayer};

/// A walkers layer that draws prepared meshes with the view's transform: all of `drawables`,
/// and of `chunked` only the chunks in view.
/// A layer drawn by chunk: its chunks, its groups of drawables (each per chunk), its opacity,
/// and the part of the screen it is kept to (for the swipe).
type ChunkedLayer<'a> = (&'a Chunks, Vec<&'a [Vec<Drawables>]>, f32, Rect);

struct MeshLayer<'a> {
    drawables: Vec<&'a Drawables>,
    chunked: Vec<ChunkedLayer<'a>>,
    extra: Vec<Drawables>,
}

impl walkers::Layer for MeshLayer<'_> {
    fn draw(&mut self, canvas: &mut walkers::Canvas, projector: &Projector) {
        let transform = mesh_transform(projector);
        for d in &self.drawables {
            canvas.add_drawables((*d).clone().with_transform(transform));
        }
        let screen = projector.clip_rect();
        for (chunks, groups, opacity, clip) in &self.chunked {
            let visible = chunks.in_view(transform.inverse() * clip.intersect(screen));
            for group in groups {
                for &chunk in &visible {
                    for d in group.get(chunk).into_iter().flatten() {
                        canvas.add_drawables(
                            d.clone()
                                .with_transform(transform)
                                .with_transparency(*opacity)
                                .with_clip_rect(*clip),
                        );
                    }
                }
            }
        }
        for d in self.extra.drain(..) {
            canvas.add_drawables(d.with_transform(transform));
        }
    }
}

/// A layer's fills, and its outlines where its areas are big enough on screen to tell apart
/// (otherwise thousands of small areas would be drawn as solid ink).
fn filled_groups(prepared: &PreparedLayer, zoom: f64, dark: bool) -> Vec<&[Vec<Drawables>]> {
    let level = prepared.level(zoom);
    let typical_px = prepared.typical_room * crate::geo_util::world_pixels(zoom);
    let mut groups: Vec<&[Vec<Drawables>]> = vec![&level.fills];
    if typical_px >= 2.5 {
        groups.push(if dark {
            &level.outlines_dark
        } else {
            &level.outlines_light
        });
    }
    groups
}

/// What the map needs to draw a frame.
pub struct MapInput<'a> {
    /// The layer that answers clicks and is labelled (drawn among `layers` if visible).
    pub layer: Option<&'a PreparedLayer>,
    /// Every visible layer, bottom first.
    pub layers: Vec<&'a PreparedLayer>,
    /// Two layers to swipe between: the older left of the divider, the newer right, and where
    /// the divider is (0..1 across the map).
    pub swipe: Option<(&'a PreparedLayer, &'a PreparedLayer, f32)>,
    pub basemap: &'a PreparedBasemap,
    pub selected: Option<usize>,
    pub hovered: Option<usize>,
    pub hover_drawables: Option<&'a Drawables>,
    pub show_labels: bool,
    pub show_places: bool,
    pub dark: bool,
    /// Extra credit line for online tiles, e.g. "© OpenStreetMap contributors".
    pub tile_credit: Option<&'a str>,
    /// Population per footprint for the hover tooltip, with its source, if known.
    pub population_of: &'a dyn Fn(usize) -> Option<String>,
    /// The search result's pin.
    pub pin: Option<Coord<f64>>,
    pub legend: &'a crate::render::style::Legend,
    /// Zoom buttons (hidden while presenting).
    pub controls: bool,
    pub label_mode: crate::render::style::LabelMode,
}

/// The map's current view, for fitting and for tests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MapView {
    pub rect: Rect,
    pub centre: Coord<f64>,
    pub zoom: f64,
}

impl MapView {
    /// Screen position of a lon/lat point.
    pub fn screen_pos(&self, lon: f64, lat: f64) -> Pos2 {
        let scale = crate::geo_util::world_pixels(self.zoom);
        let c = lon_lat_to_world(self.centre.x, self.centre.y);
        let p = lon_lat_to_world(lon, lat);
        self.rect.center() + vec2(((p.x - c.x) * scale) as f32, ((p.y - c.y) * scale) as f32)
    }

    /// Lon/lat bounds of what is visible.
    pub fn bounds(&self) -> geo::Rect<f64> {
        let scale = crate::geo_util::world_pixels(self.zoom);
        let c = lon_lat_to_world(self.centre.x, self.centre.y);
        let half_w = self.rect.width() as f64 / 2.0 / scale;
        let half_h = self.rect.height() as f64 / 2.0 / scale;
        let nw = crate::geo_util::world_to_lon_lat(Coord {
            x: c.x - half_w,
            y: c.y - half_h,
        });
        let se = crate::geo_util::world_to_lon_lat(Coord {
            x: c.x + half_w,
            y: c.y + half_h,
        });
        geo::Rect::new(nw, se)
    }
}

/// What happened on the map this frame.
#[derive(Debug, Default)]
pub struct MapOutput {
    /// Footprint under the pointer.
    pub hovered: Option<usize>,
    /// A click: `Some(None)` when it hit no footprint.
    pub clicked: Option<Option<usize>>,
    /// Where the click was (lon/lat).
    pub clicked_at: Option<Coord<f64>>,
    /// The swipe divider was dragged here (0..1 across the map).
    pub swipe_to: Option<f32>,
    pub action: Option<Action>,
    pub view: Option<MapView>,
    /// A right-click: where on the map, and where on the screen.
    pub context: Option<(Coord<f64>, Pos2)>,
}

/// Shows the map and returns what the user did.
pub fn map_ui(
    ui: &mut Ui,
    memory: &mut MapMemory,
    tiles: Option<&mut dyn walkers::Tiles>,
    input: &MapInput,
) -> MapOutput {
    let style = theme::of(input.dark);
    let rect = ui.available_rect_before_wrap();
    ui.painter().rect_filled(rect, 0.0, style.sea);

    let centre = memory.detached().unwrap_or(lon_lat(ORIGIN.0, ORIGIN.1));
    let memory_zoom = memory.zoom();
    let basemap_drawables = if input.dark {
        &input.basemap.dark
    } else {
        &input.basemap.light
    };
    let mut map = walkers::Map::new(None, memory, centre)
        .zoom_with_ctrl(false)
        .double_click_to_zoom(true)
        .with_layer(
            MeshLayer {
                drawables: basemap_drawables.iter().collect(),
                chunked: Vec::new(),
                extra: Vec::new(),
            },
            1.0,
        );
    if let Some(tiles) = tiles {
        map = map.with_layer(tiles, 1.0);
    }
    // The active layer filled; every other visible layer over it as outlines only, in the
    // panel's order, so that boundaries of other years can be read against it. The hover
    // highlight goes on top.
    let active = input.layer.filter(|l| l.visible);
    let level_groups = |prepared| filled_groups(prepared, memory_zoom, input.dark);
    let chunked: Vec<_> = if let Some((left, right, at)) = input.swipe {
        let divider = rect.left() + rect.width() * at.clamp(0.0, 1.0);
        let left_rect = Rect::from_min_max(rect.min, pos2(divider, rect.max.y));
        let right_rect = Rect::from_min_max(pos2(divider, rect.min.y), rect.max);
        vec![
            (&left.chunks, level_groups(left), 1.0, left_rect),
            (&right.chunks, level_groups(right), 1.0, right_rect),
        ]
    } else {
        let others = input
            .layers
            .iter()
            .copied()
            .filter(|l| !active.is_some_and(|a| std::ptr::eq(*l, a)))
            .map(|prepared| {
                let outlines: Vec<&[Vec<Drawables>]> =
                    vec![&prepared.level(memory_zoom).outlines_other];
                (
                    &prepared.chunks,
                    outlines,
                    prepared.opacity.clamp(0.0, 1.0),
                    rect,
                )
            });
        active
            .map(|a| (&a.chunks, level_groups(a), a.opacity.clamp(0.0, 1.0), rect))
            .into_iter()
            .chain(others)
            .collect()
    };
    if !chunked.is_empty() {
        map = map.with_layer(
            MeshLayer {
                drawables: Vec::new(),
                chunked,
                extra: input.hover_drawables.cloned().into_iter().collect(),
            },
            1.0,
        );
    }
    let inner = map.show(ui, |ui, response, projector, memory| {
        map_overlay_ui(ui, response, projector, memory, input)
    });
    inner.inner
}

fn map_overlay_ui(
    ui: &mut Ui,
    response: &Response,
    projector: &Projector,
    memory: &MapMemory,
    input: &MapInput,
) -> MapOutput {
    let rect = response.rect;
    let painter = ui.painter().with_clip_rect(rect);
    let zoom = projector.zoom();
    let centre = memory
        .detached()
        .map(|p| Coord { x: p.x(), y: p.y() })
        .unwrap_or(Coord {
            x: ORIGIN.0,
            y: ORIGIN.1,
        });
    let view = MapView { rect, centre, zoom };
    let mut output = MapOutput {
        view: Some(view),
        ..MapOutput::default()
    };

    let hit = |pos: Pos2| -> Option<usize> {
        let prepared = input.layer?;
        let p = projector.unproject(pos.to_vec2());
        prepared.locator.locate(Coord { x: p.x(), y: p.y() })
    };
    let dragging = response.dragged();
    if let Some(pos) = response.hover_pos()
        && !dragging
    {
        output.hovered = hit(pos);
    }
    if response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        output.clicked = Some(hit(pos));
        let p = projector.unproject(pos.to_vec2());
        output.clicked_at = Some(Coord { x: p.x(), y: p.y() });
    }
    if response.secondary_clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        let p = projector.unproject(pos.to_vec2());
        output.context = Some((Coord { x: p.x(), y: p.y() }, pos));
    }

    let transform = mesh_transform(projector);
    let text_colour = theme::of(input.dark).label;
    let halo_colour = theme::of(input.dark).label_halo;

    // Selection outline, over the fills.
    if let (Some(prepared), Some(selected)) = (input.layer, input.selected)
        && let Some(rings) = prepared.level(zoom).rings.get(selected)
    {
        for ring in rings {
            let points: Vec<Pos2> = ring.iter().map(|p| transform * *p).collect();
            painter.add(Shape::line(points.clone(), Stroke::new(5.0, halo_colour)));
            painter.add(Shape::line(points, Stroke::new(2.5, text_colour)));
        }
    }

    let mut occupied: Vec<ScreenBox> = Vec::new();
    if input.label_mode != crate::render::style::LabelMode::None {
        // In a swipe each side is labelled from its own layer; otherwise the chosen layer.
        let sides: Vec<(&PreparedLayer, Rect)> = match input.swipe {
            Some((left, right, at)) => {
                let x = rect.left() + rect.width() * at.clamp(0.0, 1.0);
                vec![
                    (left, Rect::from_min_max(rect.min, pos2(x, rect.max.y))),
                    (right, Rect::from_min_max(pos2(x, rect.min.y), rect.max)),
                ]
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
                text_colour,
                halo_colour,
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

    // Tooltip for the hovered footprint.
    if let (Some(prepared), Some(hovered)) = (input.layer, output.hovered)
        && let Some(footprint) = prepared.layer.footprints.get(hovered)
    {
        let population = (input.population_of)(hovered);
        response.clone().on_hover_ui_at_pointer(|ui| {
            ui.strong(&footprint.name);
            ui.label(population.unwrap_or_else(|| "Population not known".to_string()));
        });
    }

    if let Some(pin) = input.pin {
        let tip = projector.project(lon_lat(pin.x, pin.y)).to_pos2();
        let head = tip - vec2(0.0, 22.0);
        painter.add(Shape::convex_polygon(
            vec![tip, head + vec2(-7.0, 4.0), head + vec2(7.0, 4.0)],
            Color32::from_rgb(200, 30, 40),
            Stroke::new(1.5, Color32::WHITE),
        ));
        painter.circle(
            head,
            8.0,
            Color32::from_rgb(200, 30, 40),
            Stroke::new(1.5, Color32::WHITE),
        );
        painter.circle_filled(head, 3.0, Color32::WHITE);
    }

    if let Some((left, right, at)) = input.swipe {
        let x = rect.left() + rect.width() * at.clamp(0.0, 1.0);
        let handle = Rect::from_center_size(pos2(x, rect.center().y), vec2(28.0, 44.0));
        let grip = ui.interact(
            Rect::from_min_max(pos2(x - 8.0, rect.top()), pos2(x + 8.0, rect.bottom())),
            ui.scope_id().with("swipe divider"),
            Sense::drag(),
        );
        if grip.dragged()
            && let Some(p) = grip.interact_pointer_pos()
        {
            output.swipe_to = Some(((p.x - rect.left()) / rect.width()).clamp(0.02, 0.98));
        }
        painter.line_segment(
            [pos2(x, rect.top()), pos2(x, rect.bottom())],
            Stroke::new(3.0, Color32::WHITE),
        );
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
                &left.layer.title,
                pos2(x - 10.0, rect.top() + 12.0),
                Align2::RIGHT_TOP,
            ),
            (
                &right.layer.title,
                pos2(x + 10.0, rect.top() + 12.0),
                Align2::LEFT_TOP,
            ),
        ] {
            let galley =
                painter.layout_no_wrap(title.clone(), FontId::proportional(13.0), text_colour);
            let at = align.anchor_size(anchor, galley.size());
            painter.rect_filled(at.expand(4.0), 4.0, halo_colour);
            painter.galley(at.min, galley, text_colour);
        }
    }
    legend_ui(&painter, rect, input.legend, input.dark);
    if input.controls {
        output.action = map_controls_ui(ui, rect, input);
    }
    scale_bar(&painter, rect, centre.y, zoom, text_colour, halo_colour);
    attribution(ui, rect, input);
    if input.basemap.empty && input.layer.is_none() {
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            "No map data built in",
            FontId::proportional(16.0),
            text_colour,
        );
    }
    output
}
