//! The map view: the walkers widget with the offline basemap and a layer's footprints drawn as
//! GPU meshes tessellated once, plus labels, hover, click, zoom buttons, scale bar and credits.
//! Here: the widget, its layers and plugins; beside it `meshes` (mesh space, GPU buffers),
//! `prepared` (a layer's levels of detail), `basemap`, `overlays` (one walkers plugin each:
//! pointer and tooltip, selection, labels, pin, swipe divider), `labels` and `chrome` (controls,
//! legend, scale bar, attribution).

use std::sync::Arc;

use egui::emath::TSTransform;
use egui::{Align2, Color32, FontId, Pos2, Rect, Response, Sense, Shape, Stroke, Ui, pos2, vec2};
use geo::{Coord, MultiPolygon, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use walkers::{Drawable, Drawables, Line, MapMemory, Mesh, Projector, lon_lat};

use crate::basemap::{Basemap, CutEdge, Place};
use crate::colour::Rgb;
use crate::geo_util::{lon_lat_to_world, metres_per_pixel, nice_distance};
use crate::model::Layer;
use crate::render::labels::{LabelCandidate, ScreenBox, label_anchor, place_labels};
use crate::ui::Action;
use crate::ui::theme::{self, Theme};

mod basemap;
mod chrome;
mod labels;
mod meshes;
mod overlays;
mod prepared;

pub use basemap::PreparedBasemap;
pub use chrome::legend_ui;
use chrome::*;
use labels::*;
pub use meshes::to_mesh_space;
use meshes::*;
use overlays::*;
pub use overlays::{PaintTool, Painted};
use prepared::*;
pub use prepared::{Anchor, DETAIL_ZOOM, PrepareTimings, PreparedLayer};

/// A layer drawn by chunk: its chunks, its groups of drawables (each per chunk), its opacity,
/// and the part of the screen it is kept to (for the swipe).
type ChunkedLayer<'a> = (&'a Chunks, Vec<&'a [Vec<Drawables>]>, f32, Rect);

/// A walkers layer that draws prepared meshes with the view's transform: all of `drawables`,
/// and of `chunked` only the chunks in view.
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

/// Lines through lon/lat points as GPU drawables in mesh space, for overlays drawn with the
/// map's meshes (the builder's footprint borders).
pub fn line_drawables(lines: &[Vec<Coord<f64>>], width: f32, color: Color32) -> Vec<Drawables> {
    drawables(vec![Drawable::Lines(
        lines
            .iter()
            .map(|line| Line {
                points: line.iter().map(|&c| to_mesh_space(c)).collect(),
                width,
                color,
                dasharray: Vec::new(),
            })
            .collect(),
    )])
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
    pub hover_drawables: &'a [Drawables],
    /// More lines drawn over the fills (the builder's footprint borders).
    pub overlay_drawables: Vec<&'a Drawables>,
    pub show_labels: bool,
    pub show_places: bool,
    pub dark: bool,
    /// Extra credit line for online tiles, e.g. "© OpenStreetMap contributors".
    pub tile_credit: Option<&'a str>,
    /// The hover tooltip's lines under a footprint's name (its people and lead).
    pub hover_of: &'a dyn Fn(usize) -> Vec<String>,
    /// The search result's pin.
    pub pin: Option<Coord<f64>>,
    pub legend: &'a crate::render::style::Legend,
    /// Zoom buttons (hidden while presenting).
    pub controls: bool,
    pub label_mode: crate::render::style::LabelMode,
    /// The builder's brush or rectangle, over the active layer (its blocks); the map then
    /// pans with the right or middle button.
    pub paint: Option<PaintTool>,
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
    /// Blocks the builder's brush or rectangle covered.
    pub painted: Option<Painted>,
}

/// What the map fills and outlines, chunk by chunk: the active layer filled and every other
/// visible layer over it as outlines only, in the panel's order, so that boundaries of other
/// years can be read against it; or, swiping, each side's layer filled on its side.
fn chunked_layers<'a>(input: &'a MapInput, rect: Rect, memory_zoom: f64) -> Vec<ChunkedLayer<'a>> {
    let active = input.layer.filter(|l| l.visible);
    let level_groups = |prepared| filled_groups(prepared, memory_zoom, input.dark);
    if let Some((left, right, at)) = input.swipe {
        let (left_rect, right_rect) = swipe_sides(rect, at);
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
    }
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
    let mut painted = None;
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
    let chunked = chunked_layers(input, rect, memory_zoom);
    if !chunked.is_empty() {
        map = map.with_layer(
            MeshLayer {
                drawables: Vec::new(),
                chunked,
                extra: input
                    .hover_drawables
                    .iter()
                    .chain(input.overlay_drawables.iter().copied())
                    .cloned()
                    .collect(),
            },
            1.0,
        );
    }
    let mut events = PointerEvents::default();
    let mut swipe_to = None;
    map = map
        .with_plugin(Pointer {
            layer: input.layer,
            hover_of: input.hover_of,
            events: &mut events,
        })
        .with_plugin(SelectionOutline {
            layer: input.layer,
            selected: input.selected,
            dark: input.dark,
        })
        .with_plugin(Labels { input });
    if let Some((left, right, at)) = input.swipe {
        map = map.with_plugin(SwipeDivider {
            left_title: &left.layer.title,
            right_title: &right.layer.title,
            at,
            dark: input.dark,
            dragged_to: &mut swipe_to,
        });
    }
    if let Some(at) = input.pin {
        map = map.with_plugin(Pin { at });
    }
    if let (Some(tool), Some(layer)) = (input.paint, input.layer) {
        map = map
            .drag_pan_buttons(egui::DragPanButtons::SECONDARY | egui::DragPanButtons::MIDDLE)
            .with_plugin(BlockPainter {
                layer,
                tool,
                painted: &mut painted,
            });
    }
    let shown = map.show(ui, |ui, response, projector, memory| {
        chrome_ui(ui, response, projector, memory, input)
    });
    let (view, action) = shown.inner;
    MapOutput {
        hovered: events.hovered,
        clicked: events.clicked,
        clicked_at: events.clicked_at,
        swipe_to,
        action,
        view: Some(view),
        context: events.context,
        painted,
    }
}

/// What stays put on the map's screen: legend, zoom controls, scale bar and attribution;
/// returns the view and a control's request.
fn chrome_ui(
    ui: &mut Ui,
    response: &Response,
    projector: &Projector,
    memory: &MapMemory,
    input: &MapInput,
) -> (MapView, Option<Action>) {
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
    let style = theme::of(input.dark);
    legend_ui(&painter, rect, input.legend, input.dark);
    let action = if input.controls {
        map_controls_ui(ui, rect, input)
    } else {
        None
    };
    scale_bar(
        &painter,
        rect,
        centre.y,
        zoom,
        style.label,
        style.label_halo,
    );
    attribution(ui, rect, input);
    if input.basemap.empty && input.layer.is_none() {
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            "No map data built in",
            FontId::proportional(16.0),
            style.label,
        );
    }
    (MapView { rect, centre, zoom }, action)
}
