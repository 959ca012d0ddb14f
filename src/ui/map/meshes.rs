//! Mesh space and GPU buffers: where meshes live (Web Mercator pixels at one zoom), polygons
//! tessellated into meshes, and drawables split to fit one GPU buffer each.

use super::*;

/// Meshes are stored in Web Mercator pixels at this zoom, relative to [`ORIGIN`].
pub(super) const MESH_ZOOM: f64 = 10.0;
/// Fixed origin of mesh space (the middle of Great Britain), so f32 keeps its precision.
pub(super) const ORIGIN: (f64, f64) = (-2.5, 54.0);

pub(super) fn mesh_scale() -> f64 {
    crate::geo_util::world_pixels(MESH_ZOOM)
}

/// Lon/lat into mesh space.
pub fn to_mesh_space(c: Coord<f64>) -> Pos2 {
    let o = lon_lat_to_world(ORIGIN.0, ORIGIN.1);
    let w = lon_lat_to_world(c.x, c.y);
    let s = mesh_scale();
    pos2(((w.x - o.x) * s) as f32, ((w.y - o.y) * s) as f32)
}

/// From mesh space onto the screen for the projector's current view.
pub(super) fn mesh_transform(projector: &Projector) -> TSTransform {
    let origin = projector.project(lon_lat(ORIGIN.0, ORIGIN.1));
    TSTransform {
        scaling: 2f64.powf(projector.zoom() - MESH_ZOOM) as f32,
        translation: origin,
    }
}

pub(super) fn colour(rgb: Rgb, alpha: u8) -> Color32 {
    Color32::from_rgba_unmultiplied(rgb.0, rgb.1, rgb.2, alpha)
}

pub(super) fn lyon_ring(ring: &geo::LineString<f64>) -> Vec<lyon_path::geom::Point<f32>> {
    let mut points: Vec<_> = ring
        .0
        .iter()
        .map(|c| {
            let p = to_mesh_space(*c);
            lyon_path::geom::point(p.x, p.y)
        })
        .collect();
    // lyon closes polygons itself.
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    points
}

/// Triangulates a polygon (holes included, even-odd so self-intersections still fill).
pub(super) fn tessellate(polygon: &Polygon<f64>, fill: Color32) -> Option<Mesh> {
    let exterior = lyon_ring(polygon.exterior());
    let interiors: Vec<_> = polygon.interiors().iter().map(lyon_ring).collect();
    walkers::tessellate_polygon(&exterior, &interiors, fill).ok()
}

pub(super) fn tessellate_multi(geometry: &MultiPolygon<f64>, fill: Color32) -> Mesh {
    let mut mesh = Mesh::default();
    for polygon in &geometry.0 {
        if let Some(part) = tessellate(polygon, fill) {
            mesh.append(&part);
        }
    }
    mesh
}

pub(super) fn rings_in_mesh_space(geometry: &MultiPolygon<f64>) -> Vec<Vec<Pos2>> {
    geometry
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|ring| ring.0.iter().map(|c| to_mesh_space(*c)).collect())
        .collect()
}

/// Bytes of GPU buffer one group of drawables may take: well under wgpu's 256 MB limit.
pub(super) const GPU_BUDGET: usize = 64 << 20;

/// Approximate GPU bytes of a run of lines (walkers' line vertices are about 48 bytes, and each
/// segment takes four of them and six indices).
pub(super) fn line_bytes(line: &Line) -> usize {
    line.points.len().saturating_sub(1) * (4 * 48 + 6 * 4)
}

/// Approximate GPU bytes of a drawable.
pub(super) fn gpu_bytes(d: &Drawable) -> usize {
    match d {
        Drawable::Fill(mesh) => mesh.vertices.len() * 12 + mesh.indices.len() * 4,
        Drawable::Lines(lines) => lines.iter().map(line_bytes).sum(),
    }
}

/// Splits items, in order, into groups whose sizes add up to at most [`GPU_BUDGET`] (an item
/// larger than the budget gets a group of its own).
pub(super) fn split_by_budget<T>(
    items: impl IntoIterator<Item = T>,
    size: impl Fn(&T) -> usize,
) -> Vec<Vec<T>> {
    let mut groups = Vec::new();
    let mut group = Vec::new();
    let mut bytes = 0;
    for item in items {
        let s = size(&item);
        if bytes + s > GPU_BUDGET && !group.is_empty() {
            groups.push(std::mem::take(&mut group));
            bytes = 0;
        }
        bytes += s;
        group.push(item);
    }
    if !group.is_empty() {
        groups.push(group);
    }
    groups
}

/// Drawables for walkers' GPU renderer, leaving out empty meshes and lines (an empty buffer
/// cannot be uploaded) and split into groups small enough for one GPU buffer each.
pub(super) fn drawables(items: Vec<Drawable>) -> Vec<Drawables> {
    let mut pieces: Vec<Drawable> = Vec::new();
    for d in items {
        match d {
            Drawable::Fill(mesh) => {
                if !mesh.is_empty() && !mesh.vertices.is_empty() {
                    pieces.push(Drawable::Fill(mesh));
                }
            }
            // Long runs of lines are cut into runs that fit the budget on their own.
            Drawable::Lines(lines) => pieces.extend(
                split_by_budget(
                    lines
                        .into_iter()
                        .filter(|l| l.points.windows(2).any(|w| w[0] != w[1])),
                    line_bytes,
                )
                .into_iter()
                .map(Drawable::Lines),
            ),
        }
    }
    split_by_budget(pieces, gpu_bytes)
        .into_iter()
        .map(Drawables::new)
        .collect()
}

pub(super) fn tinted(mesh: &Mesh, color: Color32) -> Mesh {
    Mesh {
        vertices: mesh
            .vertices
            .iter()
            .map(|v| walkers::Vertex {
                position: v.position,
                color,
            })
            .collect(),
        indices: mesh.indices.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlines_too_big_for_one_gpu_buffer_are_split() {
        // 400,000 segments: about 86 MB as one buffer, past the budget, so several groups.
        let line = |i: usize| Line {
            points: (0..101).map(|k| pos2(k as f32, i as f32)).collect(),
            width: 1.0,
            color: Color32::BLACK,
            dasharray: Vec::new(),
        };
        let groups = drawables(vec![Drawable::Lines((0..4_000).map(line).collect())]);
        assert!(groups.len() >= 2, "{} groups", groups.len());
    }

    #[test]
    fn empty_meshes_and_lines_never_reach_the_gpu() {
        // An empty buffer makes wgpu panic; a build without basemap data produces just that.
        assert!(drawables(vec![Drawable::Fill(Mesh::default())]).is_empty());
        let flat = Line {
            points: vec![pos2(1.0, 1.0), pos2(1.0, 1.0)],
            width: 1.0,
            color: Color32::BLACK,
            dasharray: Vec::new(),
        };
        assert!(
            drawables(vec![
                Drawable::Lines(vec![flat.clone()]),
                Drawable::Lines(Vec::new())
            ])
            .is_empty()
        );
        let square = Mesh::rect(
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
            Color32::RED,
        );
        assert_eq!(
            drawables(vec![Drawable::Fill(square), Drawable::Lines(vec![flat])]).len(),
            1
        );
    }
}
