//! Parses GeoJSON text straight into coordinate lists, without a tree of JSON values in between.
//!
//! Accepts a FeatureCollection, a bare Feature or a bare Geometry. Coordinates are read by type
//! of nesting, so that the order of `type` and `coordinates` inside an object does not matter.

use std::fmt;

use geo::Coord;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// A parsed geometry, reduced to what the app draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shapes {
    /// Polygons, each a list of rings (outer first), each a list of positions.
    pub polygons: Vec<Vec<Vec<Coord<f64>>>>,
    pub lines: Vec<Vec<Coord<f64>>>,
    pub points: Vec<Coord<f64>>,
    /// Positions that carried a third (height) value, dropped.
    pub had_z: bool,
    /// Geometry types that were not understood.
    pub unknown_types: Vec<String>,
}

impl Shapes {
    pub fn is_empty(&self) -> bool {
        self.polygons.is_empty() && self.lines.is_empty() && self.points.is_empty()
    }

    /// Every position, for detecting the coordinate system.
    pub fn positions(&self) -> impl Iterator<Item = &Coord<f64>> {
        self.polygons
            .iter()
            .flatten()
            .flatten()
            .chain(self.lines.iter().flatten())
            .chain(self.points.iter())
    }

    pub fn positions_mut(&mut self) -> impl Iterator<Item = &mut Coord<f64>> {
        self.polygons
            .iter_mut()
            .flatten()
            .flatten()
            .chain(self.lines.iter_mut().flatten())
            .chain(self.points.iter_mut())
    }
}

/// One feature as read from the file.
#[derive(Clone, Debug, Default)]
pub struct RawFeature {
    /// `None` for a null geometry.
    pub shapes: Option<Shapes>,
    pub properties: Map<String, Value>,
    pub id: Option<Value>,
}

/// The whole document.
#[derive(Debug, Default)]
pub struct RawDocument {
    pub features: Vec<RawFeature>,
    /// The legacy `crs` member, if any (its `properties.name`, or the whole value as text).
    pub declared_crs: Option<String>,
    /// What the top level was: "FeatureCollection", "Feature" or a geometry type.
    pub top_level: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error("the top level is {0}, not GeoJSON")]
    NotGeoJson(String),
    #[error(
        "it looks like TopoJSON, which is not supported; convert it to GeoJSON first (e.g. with mapshaper or ogr2ogr)"
    )]
    TopoJson,
}

/// Parses GeoJSON bytes (UTF-8, BOM allowed).
pub fn parse(bytes: &[u8]) -> Result<RawDocument, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let top: TopLevel = serde_json::from_slice(bytes)?;
    top.into_document()
}

/// A JSON object that may be a FeatureCollection, a Feature or a Geometry.
#[derive(Deserialize)]
struct TopLevel {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    features: Option<Vec<FeatureDe>>,
    #[serde(default)]
    crs: Option<Value>,
    #[serde(default)]
    geometry: Option<Option<GeometryDe>>,
    #[serde(default)]
    properties: Option<Option<Map<String, Value>>>,
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    coordinates: Option<Nested>,
    #[serde(default)]
    geometries: Option<Vec<GeometryDe>>,
    #[serde(default)]
    arcs: Option<de::IgnoredAny>,
}

impl TopLevel {
    fn into_document(self) -> Result<RawDocument, ParseError> {
        let declared_crs = self.crs.as_ref().map(crs_name);
        let kind = self.kind.unwrap_or_default();
        if kind == "Topology" || self.arcs.is_some() {
            return Err(ParseError::TopoJson);
        }
        let features = match kind.as_str() {
            "FeatureCollection" => self
                .features
                .unwrap_or_default()
                .into_iter()
                .map(FeatureDe::into_raw)
                .collect(),
            "Feature" => vec![
                FeatureDe {
                    geometry: self.geometry.flatten(),
                    properties: self.properties.flatten(),
                    id: self.id,
                }
                .into_raw(),
            ],
            "" => {
                return Err(ParseError::NotGeoJson(
                    "a JSON object with no \"type\" member".into(),
                ));
            }
            geometry_type => {
                let geometry = GeometryDe {
                    kind: geometry_type.to_string(),
                    coordinates: self.coordinates,
                    geometries: self.geometries,
                };
                vec![RawFeature {
                    shapes: Some(geometry.into_shapes()),
                    properties: Map::new(),
                    id: None,
                }]
            }
        };
        Ok(RawDocument {
            features,
            declared_crs,
            top_level: kind,
        })
    }
}

fn crs_name(value: &Value) -> String {
    value
        .pointer("/properties/name")
        .or_else(|| value.pointer("/properties/href"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| value.to_string())
}

#[derive(Deserialize)]
struct FeatureDe {
    #[serde(default)]
    geometry: Option<GeometryDe>,
    #[serde(default)]
    properties: Option<Map<String, Value>>,
    #[serde(default)]
    id: Option<Value>,
}

impl FeatureDe {
    fn into_raw(self) -> RawFeature {
        RawFeature {
            shapes: self.geometry.map(GeometryDe::into_shapes),
            properties: self.properties.unwrap_or_default(),
            id: self.id,
        }
    }
}

#[derive(Deserialize)]
struct GeometryDe {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    coordinates: Option<Nested>,
    #[serde(default)]
    geometries: Option<Vec<GeometryDe>>,
}

impl GeometryDe {
    fn into_shapes(self) -> Shapes {
        let mut shapes = Shapes::default();
        self.add_to(&mut shapes);
        shapes
    }

    fn add_to(self, shapes: &mut Shapes) {
        let coordinates = self.coordinates.unwrap_or(Nested::List(Vec::new()));
        match self.kind.as_str() {
            "Polygon" => {
                let rings = coordinates.into_lines(shapes);
                if !rings.is_empty() {
                    shapes.polygons.push(rings);
                }
            }
            "MultiPolygon" => {
                for polygon in coordinates.into_children() {
                    let rings = polygon.into_lines(shapes);
                    if !rings.is_empty() {
                        shapes.polygons.push(rings);
                    }
                }
            }
            "LineString" => {
                let line = coordinates.into_positions(shapes);
                if !line.is_empty() {
                    shapes.lines.push(line);
                }
            }
            "MultiLineString" => {
                let lines = coordinates.into_lines(shapes);
                shapes
                    .lines
                    .extend(lines.into_iter().filter(|l| !l.is_empty()));
            }
            "Point" => {
                if let Some(point) = coordinates.into_position(shapes) {
                    shapes.points.push(point);
                }
            }
            "MultiPoint" => {
                let points = coordinates.into_positions(shapes);
                shapes.points.extend(points);
            }
            "GeometryCollection" => {
                for geometry in self.geometries.unwrap_or_default() {
                    geometry.add_to(shapes);
                }
            }
            other => shapes.unknown_types.push(if other.is_empty() {
                "(no type)".to_string()
            } else {
                other.to_string()
            }),
        }
    }
}

/// Nested coordinate arrays of any depth. A position never allocates on its own.
#[derive(Debug)]
enum Nested {
    Number(f64),
    /// x, y and whether a z (or more) followed.
    Position(f64, f64, bool),
    List(Vec<Nested>),
    /// Something that cannot be a coordinate (a string, null, an object, a short array).
    Invalid,
}

impl Nested {
    fn into_children(self) -> Vec<Nested> {
        match self {
            Nested::List(children) => children,
            _ => Vec::new(),
        }
    }

    fn into_position(self, shapes: &mut Shapes) -> Option<Coord<f64>> {
        match self {
            Nested::Position(x, y, z) => {
                shapes.had_z |= z;
                Some(Coord { x, y })
            }
            _ => None,
        }
    }

    fn into_positions(self, shapes: &mut Shapes) -> Vec<Coord<f64>> {
        let children = self.into_children();
        let mut out = Vec::with_capacity(children.len());
        for child in children {
            match child.into_position(shapes) {
                Some(c) => out.push(c),
                None => out.push(Coord {
                    x: f64::NAN,
                    y: f64::NAN,
                }),
            }
        }
        out
    }

    fn into_lines(self, shapes: &mut Shapes) -> Vec<Vec<Coord<f64>>> {
        self.into_children()
            .into_iter()
            .map(|line| line.into_positions(shapes))
            .collect()
    }
}

impl<'de> Deserialize<'de> for Nested {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NestedVisitor)
    }
}

struct NestedVisitor;

impl<'de> Visitor<'de> for NestedVisitor {
    type Value = Nested;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("coordinates")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Nested, E> {
        Ok(Nested::Number(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Nested, E> {
        Ok(Nested::Number(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Nested, E> {
        Ok(Nested::Number(v as f64))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Nested, E> {
        Ok(Nested::Invalid)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Nested, E> {
        Ok(Nested::Invalid)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Nested, E> {
        Ok(Nested::Invalid)
    }
    fn visit_none<E: de::Error>(self) -> Result<Nested, E> {
        Ok(Nested::Invalid)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Nested, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Nested::Invalid)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Nested, A::Error> {
        let first = seq.next_element::<Nested>()?;
        match first {
            None => Ok(Nested::List(Vec::new())),
            Some(Nested::Number(x)) => {
                // A position: numbers only.
                let mut y = None;
                let mut extra = false;
                let mut valid = true;
                while let Some(next) = seq.next_element::<Nested>()? {
                    match (next, y) {
                        (Nested::Number(v), None) => y = Some(v),
                        (Nested::Number(_), Some(_)) => extra = true,
                        _ => valid = false,
                    }
                }
                match (valid, y) {
                    (true, Some(y)) => Ok(Nested::Position(x, y, extra)),
                    _ => Ok(Nested::Invalid),
                }
            }
            Some(first) => {
                let mut children = Vec::with_capacity(seq.size_hint().unwrap_or(4).min(4096) + 1);
                children.push(first);
                while let Some(next) = seq.next_element::<Nested>()? {
                    children.push(next);
                }
                Ok(Nested::List(children))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_feature_collection_whatever_the_member_order() {
        let text = br#"{"features":[{"properties":{"A":1},"geometry":{"coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"type":"Polygon"},"type":"Feature"}],"type":"FeatureCollection"}"#;
        let doc = parse(text).unwrap();
        assert_eq!(doc.features.len(), 1);
        let shapes = doc.features[0].shapes.as_ref().unwrap();
        assert_eq!(shapes.polygons.len(), 1);
        assert_eq!(shapes.polygons[0][0].len(), 4);
        assert_eq!(doc.features[0].properties["A"], 1);
    }

    #[test]
    fn multipolygon_with_hole_and_3d_positions() {
        let text = br#"{"type":"MultiPolygon","coordinates":[[[[0,0,5],[4,0,5],[4,4,5],[0,0,5]],[[1,1],[2,1],[2,2],[1,1]]],[[[10,10],[11,10],[11,11],[10,10]]]]}"#;
        let doc = parse(text).unwrap();
        assert_eq!(doc.top_level, "MultiPolygon");
        let shapes = doc.features[0].shapes.as_ref().unwrap();
        assert_eq!(shapes.polygons.len(), 2);
        assert_eq!(shapes.polygons[0].len(), 2, "the hole is kept");
        assert!(shapes.had_z);
    }

    #[test]
    fn null_geometry_and_bom_are_accepted() {
        let text = b"\xEF\xBB\xBF{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":null,\"properties\":null}]}";
        let doc = parse(text).unwrap();
        assert!(doc.features[0].shapes.is_none());
    }

    #[test]
    fn declared_crs_is_reported() {
        let text = br#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[]}"#;
        let doc = parse(text).unwrap();
        assert_eq!(
            doc.declared_crs.as_deref(),
            Some("urn:ogc:def:crs:EPSG::27700")
        );
    }

    #[test]
    fn topojson_is_refused_by_name() {
        let text = br#"{"type":"Topology","objects":{},"arcs":[]}"#;
        assert!(matches!(parse(text), Err(ParseError::TopoJson)));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut text = String::from(r#"{"type":"Polygon","coordinates":"#);
        text.push_str(&"[".repeat(200_000));
        let result = parse(text.as_bytes());
        assert!(result.is_err());
    }
}
