//! The offline basemap tessellated for both themes, with the fade where its land was cut.

use super::*;

/// Bands along the stretches where the basemap's land was cut to a box, going from clear to
/// the sea's colour, so that France ends in a haze at the data's edge rather than a straight
/// coast. Over the sea a band is the sea's colour on the sea, so it does not show.
pub(super) fn cut_fade(cut: Option<&(geo::Rect<f64>, Vec<CutEdge>)>, sea: Color32) -> Mesh {
    use crate::basemap::{CUT_FADE_DEGREES, CUT_FADE_OUTSIDE};
    let mut mesh = Mesh::default();
    let Some((extent, edges)) = cut else {
        return mesh;
    };
    let extent = *extent;
    // Each band runs from a little outside the side, opaque up to the side, then clear
    // `CUT_FADE_DEGREES` inside it.
    let stops = [
        (-CUT_FADE_OUTSIDE, true),
        (0.0, true),
        (CUT_FADE_DEGREES, false),
    ];
    for edge in edges {
        let at = |inward: f64, along: f64| edge.fade_point(extent, inward, along);
        for pair in stops.windows(2) {
            let [(from, from_opaque), (to, to_opaque)] = [pair[0], pair[1]];
            let colour = |opaque: bool| if opaque { sea } else { Color32::TRANSPARENT };
            let base = mesh.vertices.len() as u32;
            for (point, color) in [
                (at(from, 0.0), colour(from_opaque)),
                (at(from, 1.0), colour(from_opaque)),
                (at(to, 1.0), colour(to_opaque)),
                (at(to, 0.0), colour(to_opaque)),
            ] {
                mesh.vertices.push(walkers::Vertex {
                    position: to_mesh_space(point),
                    color,
                });
            }
            mesh.indices
                .extend([base, base + 1, base + 2, base, base + 2, base + 3]);
        }
    }
    mesh
}

/// The basemap tessellated for both themes.
pub struct PreparedBasemap {
    pub(super) light: Vec<Drawables>,
    pub(super) dark: Vec<Drawables>,
    pub places: Vec<Place>,
    /// Country name labels (name, position).
    pub(super) countries: Vec<(String, Coord<f64>)>,
    pub(super) empty: bool,
}

impl PreparedBasemap {
    pub fn new(basemap: &Basemap) -> Self {
        // Where the land was cut to a box, found once for both themes.
        let cut = basemap.cut_edges();
        let build = |style: &Theme| {
            let mut land = Mesh::default();
            for mp in &basemap.land {
                land.append(&tessellate_multi(mp, style.land));
            }
            for (name, mp) in &basemap.countries {
                let fill = if name == "England" {
                    style.england
                } else {
                    style.land
                };
                land.append(&tessellate_multi(mp, fill));
            }
            let mut lakes = Mesh::default();
            for mp in &basemap.lakes {
                lakes.append(&tessellate_multi(mp, style.water));
            }
            let line = |points: &geo::LineString<f64>, width: f32, color: Color32| Line {
                points: points.0.iter().map(|c| to_mesh_space(*c)).collect(),
                width,
                color,
                dasharray: Vec::new(),
            };
            let mut lines: Vec<Line> = Vec::new();
            lines.extend(basemap.rivers.iter().map(|l| line(l, 1.0, style.water)));
            lines.extend(basemap.coastline.iter().map(|l| line(l, 1.0, style.coast)));
            let mut borders: Vec<Line> = basemap
                .countries
                .iter()
                .flat_map(|(_, mp)| mp.0.iter().map(|p| p.exterior()))
                .map(|ring| Line {
                    dasharray: vec![4.0, 3.0],
                    ..line(ring, 0.8, style.border)
                })
                .collect();
            borders.extend(basemap.borders.iter().map(|l| Line {
                dasharray: vec![4.0, 3.0],
                ..line(l, 0.8, style.border)
            }));
            drawables(vec![
                Drawable::Fill(land),
                Drawable::Fill(lakes),
                Drawable::Lines(lines),
                Drawable::Lines(borders),
                Drawable::Fill(cut_fade(cut.as_ref(), style.sea)),
            ])
        };
        let countries = basemap
            .countries
            .iter()
            .filter_map(|(name, mp)| {
                label_anchor(mp, |c| lon_lat_to_world(c.x, c.y))
                    .map(|(w, _)| (name.to_uppercase(), crate::geo_util::world_to_lon_lat(w)))
            })
            .collect();
        Self {
            light: build(&theme::LIGHT),
            dark: build(&theme::DARK),
            places: basemap.places.clone(),
            countries,
            empty: basemap.is_empty(),
        }
    }
}
