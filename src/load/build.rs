//! A parsed document made into a layer: coordinates brought to WGS 84, rings repaired on every
//! core, fields detected and footprints named; every change reported as a problem.

use serde_json::{Map, Value};

use super::{LoadError, crs, fields, repair, source_path};
use crate::model::{Crs, FieldChoice, Footprint, Layer, LayerSource};

/// Turns a parsed document into a layer. `fields` overrides field detection.
pub fn build_layer(
    mut document: super::geojson::RawDocument,
    source: LayerSource,
    title: String,
    fields: Option<FieldChoice>,
) -> Result<Layer, LoadError> {
    let path = source_path(&source);
    let mut problems = std::mem::take(&mut document.notes);
    let crs = to_wgs84(&mut document, &path, &mut problems)?;
    let total = document.features.len();
    let kept = repair_features(document.features, &mut problems);
    if kept.is_empty() {
        let problem = if total == 0 {
            format!("the {} has no features", describe_top(&document.top_level))
        } else {
            format!("none of its {total} feature(s) has a usable Polygon or MultiPolygon")
        };
        return Err(LoadError::NoPolygons { path, problem });
    }
    let property_keys = fields::property_keys(kept.iter().map(|(_, p)| p));
    let fields = fields.unwrap_or_else(|| {
        let maps: Vec<&Map<String, Value>> = kept.iter().map(|(_, p)| p).collect();
        fields::detect(&property_keys, &maps)
    });
    let footprints = name_footprints(kept, &fields, &mut problems);
    Ok(Layer {
        title,
        source,
        footprints,
        detail: None,
        fields,
        property_keys,
        crs,
        problems,
        lsoa_2021_make_up: None,
    })
}

/// Detects the document's coordinate system and brings it to WGS 84 longitude, latitude:
/// swapped pairs swapped back, British National Grid reprojected through OSTN15.
fn to_wgs84(
    document: &mut super::geojson::RawDocument,
    path: &std::path::Path,
    problems: &mut Vec<String>,
) -> Result<Crs, LoadError> {
    let detected = crs::detect(document.declared_crs.as_deref(), document.positions());
    let crs = match detected {
        crs::Detected::Crs(crs) => crs,
        crs::Detected::Unsupported(crs) => {
            return Err(LoadError::UnsupportedCrs {
                path: path.to_owned(),
                crs,
            });
        }
        crs::Detected::Unrecognised { min, max } => {
            return Err(LoadError::UnrecognisedCoordinates {
                path: path.to_owned(),
                min_x: min.x,
                max_x: max.x,
                min_y: min.y,
                max_y: max.y,
            });
        }
    };
    if crs == Crs::Wgs84 && crs::looks_swapped(document.positions()) {
        for c in document.positions_mut() {
            std::mem::swap(&mut c.x, &mut c.y);
        }
        problems.push(
            "coordinates were latitude, longitude (GeoJSON puts longitude first) and were swapped"
                .to_string(),
        );
    }
    if let Crs::BritishNationalGrid { .. } = crs {
        let failed = crs::reproject_bng(document.positions_mut());
        if failed > 0 {
            problems.push(format!(
                "{failed} position(s) lie outside the OSTN15 grid and could not be converted"
            ));
        }
    }
    Ok(crs)
}

/// What became of one feature.
enum Outcome {
    NoGeometry,
    NotPolygon,
    Kept(geo::MultiPolygon<f64>, Map<String, Value>),
}

/// Repairs every feature's rings on every core and keeps those with a polygon; what was
/// skipped or repaired is added up in file order and reported.
fn repair_features(
    features: Vec<super::geojson::RawFeature>,
    problems: &mut Vec<String>,
) -> Vec<(geo::MultiPolygon<f64>, Map<String, Value>)> {
    let outcomes = crate::parallel::map_owned(features, |feature| {
        let mut repairs = repair::Repairs::default();
        let Some(shapes) = feature.shapes else {
            return (Outcome::NoGeometry, repairs, false, Vec::new());
        };
        let had_z = shapes.had_z;
        let mixed =
            !shapes.polygons.is_empty() && (!shapes.lines.is_empty() || !shapes.points.is_empty());
        repairs.features_with_points_or_lines += mixed as usize;
        let unknown = shapes.unknown_types;
        if shapes.polygons.is_empty() {
            return (Outcome::NotPolygon, repairs, had_z, unknown);
        }
        let geometry = repair::build_multipolygon(shapes.polygons, &mut repairs);
        if geometry.0.is_empty() {
            return (Outcome::NotPolygon, repairs, had_z, unknown);
        }
        let mut properties = feature.properties;
        if let Some(id) = feature.id
            && !properties.contains_key("id")
        {
            properties.insert("id".to_string(), id);
        }
        (Outcome::Kept(geometry, properties), repairs, had_z, unknown)
    });
    let mut repairs = repair::Repairs::default();
    let (mut null_geometry, mut not_polygon, mut had_z) = (0usize, 0usize, false);
    let mut unknown_types: Vec<String> = Vec::new();
    let mut kept = Vec::new();
    for (outcome, feature_repairs, feature_had_z, unknown) in outcomes {
        repairs.add(&feature_repairs);
        had_z |= feature_had_z;
        for t in unknown {
            if !unknown_types.contains(&t) {
                unknown_types.push(t);
            }
        }
        match outcome {
            Outcome::NoGeometry => null_geometry += 1,
            Outcome::NotPolygon => not_polygon += 1,
            Outcome::Kept(geometry, properties) => kept.push((geometry, properties)),
        }
    }
    if null_geometry > 0 {
        problems.push(format!(
            "{null_geometry} feature(s) had no geometry and were skipped"
        ));
    }
    if not_polygon > 0 {
        problems.push(format!(
            "{not_polygon} feature(s) had no usable polygon (points, lines or empty) and were skipped"
        ));
    }
    if had_z {
        problems.push("heights (third coordinates) were ignored".to_string());
    }
    if !unknown_types.is_empty() {
        problems.push(format!(
            "unknown geometry type(s) skipped: {}",
            unknown_types.join(", ")
        ));
    }
    problems.extend(repairs.describe());
    kept
}

/// Gives each kept feature its code and name by `fields`, reporting features without a code
/// and codes used twice.
fn name_footprints(
    kept: Vec<(geo::MultiPolygon<f64>, Map<String, Value>)>,
    fields: &FieldChoice,
    problems: &mut Vec<String>,
) -> Vec<Footprint> {
    match &fields.code {
        Some(key) => {
            let missing = kept
                .iter()
                .filter(|(_, p)| p.get(key).and_then(crate::model::text_of).is_none())
                .count();
            if missing > 0 {
                problems.push(format!(
                    "{missing} feature(s) have no {key}; they are numbered by their place in the file (#1, #2, …)"
                ));
            }
        }
        None => problems.push(
            "no code field was found; areas are numbered by their place in the file (#1, #2, …)"
                .to_string(),
        ),
    }
    let footprints: Vec<Footprint> = kept
        .into_iter()
        .enumerate()
        .map(|(index, (geometry, properties))| {
            let (code, name) = fields.code_and_name(&properties, index);
            Footprint::new(code, name, geometry, properties)
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    let duplicates = footprints
        .iter()
        .filter(|f| !seen.insert(f.code.as_str()))
        .count();
    if duplicates > 0 {
        problems.push(format!(
            "{duplicates} feature(s) share a code with an earlier one"
        ));
    }
    footprints
}

fn describe_top(top: &str) -> String {
    if top.is_empty() {
        "document".to_string()
    } else {
        top.to_string()
    }
}
