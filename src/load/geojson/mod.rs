//! Parses GeoJSON text straight into coordinate lists, without a tree of JSON values in between.
//!
//! Accepts a FeatureCollection, a bare Feature or a bare Geometry. Coordinates are read by type
//! of nesting, so that the order of `type` and `coordinates` inside an object does not matter.

use geo::Coord;
use serde::Deserialize;
use serde::de;
use serde_json::value::RawValue;
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
    /// What was unusual about the file as a whole (its encoding, say), in plain words.
    pub notes: Vec<String>,
}

impl RawDocument {
    /// Every polygon position of every feature.
    pub fn positions(&self) -> impl Iterator<Item = &Coord<f64>> {
        self.features
            .iter()
            .filter_map(|f| f.shapes.as_ref())
            .flat_map(|s| s.positions())
    }

    /// Every polygon position of every feature, to change in place.
    pub fn positions_mut(&mut self) -> impl Iterator<Item = &mut Coord<f64>> {
        self.features
            .iter_mut()
            .filter_map(|f| f.shapes.as_mut())
            .flat_map(|s| s.positions_mut())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error("the top level is {0}, not GeoJSON")]
    NotGeoJson(String),
    #[error("{0}")]
    Coordinates(String),
    #[error(
        "it looks like TopoJSON, which is not supported; convert it to GeoJSON first (e.g. with mapshaper or ogr2ogr)"
    )]
    TopoJson,
}

/// Parses GeoJSON bytes (UTF-8, BOM allowed).
///
/// serde reads the structure and the properties, leaving each geometry's coordinates as a slice
/// of the input; [`coordinates`] then reads those slices straight into flat position lists, one
/// feature per core.
pub fn parse(bytes: &[u8]) -> Result<RawDocument, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&0x1E) {
        return parse_sequence(bytes, 0x1E);
    }
    match serde_json::from_slice::<TopLevel>(bytes) {
        Ok(top) => top.into_document(),
        // One object per line: a newline-delimited GeoJSON text sequence.
        Err(e) if e.to_string().starts_with("trailing characters") => {
            parse_sequence(bytes, b'\n').map_err(|_| ParseError::Json(e))
        }
        Err(e) => Err(e.into()),
    }
}

/// A GeoJSON text sequence (RFC 8142): Features (or geometries) separated by the record
/// separator or by line ends, read as one collection.
fn parse_sequence(bytes: &[u8], separator: u8) -> Result<RawDocument, ParseError> {
    let mut features = Vec::new();
    for record in bytes.split(|&b| b == separator || b == 0x1E) {
        if record.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let top: TopLevel = serde_json::from_slice(record)?;
        features.extend(top.into_document()?.features);
    }
    Ok(RawDocument {
        features,
        declared_crs: None,
        top_level: "GeoJSON text sequence".into(),
        notes: Vec::new(),
    })
}

/// A JSON object that may be a FeatureCollection, a Feature or a Geometry.
#[derive(Deserialize)]
struct TopLevel<'a> {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default, borrow)]
    features: Option<Vec<FeatureDe<'a>>>,
    #[serde(default)]
    crs: Option<Value>,
    #[serde(default, borrow)]
    geometry: Option<Option<GeometryDe<'a>>>,
    #[serde(default)]
    properties: Option<Option<Map<String, Value>>>,
    #[serde(default)]
    id: Option<Value>,
    #[serde(default, borrow)]
    coordinates: Option<&'a RawValue>,
    #[serde(default, borrow)]
    geometries: Option<Vec<GeometryDe<'a>>>,
    #[serde(default)]
    arcs: Option<de::IgnoredAny>,
}

impl TopLevel<'_> {
    fn into_document(self) -> Result<RawDocument, ParseError> {
        let declared_crs = self.crs.as_ref().map(crs_name);
        let kind = self.kind.unwrap_or_default();
        if kind == "Topology" || self.arcs.is_some() {
            return Err(ParseError::TopoJson);
        }
        let features = match kind.as_str() {
            "FeatureCollection" => {
                let features = self.features.unwrap_or_default();
                let shapes = crate::parallel::map(&features, |f| {
                    f.geometry.as_ref().map(GeometryDe::to_shapes).transpose()
                });
                let mut out = Vec::with_capacity(features.len());
                for (feature, shapes) in features.into_iter().zip(shapes) {
                    out.push(RawFeature {
                        shapes: shapes?,
                        properties: feature.properties.unwrap_or_default(),
                        id: feature.id,
                    });
                }
                out
            }
            "Feature" => vec![RawFeature {
                shapes: self
                    .geometry
                    .flatten()
                    .as_ref()
                    .map(GeometryDe::to_shapes)
                    .transpose()?,
                properties: self.properties.flatten().unwrap_or_default(),
                id: self.id,
            }],
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
                    shapes: Some(geometry.to_shapes()?),
                    properties: Map::new(),
                    id: None,
                }]
            }
        };
        Ok(RawDocument {
            features,
            declared_crs,
            top_level: kind,
            notes: Vec::new(),
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
struct FeatureDe<'a> {
    #[serde(default, borrow)]
    geometry: Option<GeometryDe<'a>>,
    #[serde(default)]
    properties: Option<Map<String, Value>>,
    #[serde(default)]
    id: Option<Value>,
}

#[derive(Deserialize)]
struct GeometryDe<'a> {
    #[serde(rename = "type", default)]
    kind: String,
    /// The coordinates' text, read by [`coordinates::parse`].
    #[serde(default, borrow)]
    coordinates: Option<&'a RawValue>,
    #[serde(default, borrow)]
    geometries: Option<Vec<GeometryDe<'a>>>,
}

impl GeometryDe<'_> {
    fn to_shapes(&self) -> Result<Shapes, ParseError> {
        let mut shapes = Shapes::default();
        self.add_to(&mut shapes)?;
        Ok(shapes)
    }

    fn add_to(&self, shapes: &mut Shapes) -> Result<(), ParseError> {
        let flat = match self.coordinates {
            Some(raw) => coordinates::parse(raw.get().as_bytes())?,
            None => coordinates::Flat::default(),
        };
        shapes.had_z |= flat.had_z;
        match self.kind.as_str() {
            "Polygon" => {
                let rings = flat.lists_at(1, 2);
                if !rings.is_empty() {
                    shapes.polygons.push(rings);
                }
            }
            "MultiPolygon" => {
                shapes
                    .polygons
                    .extend(flat.grouped(1, 3).into_iter().filter(|p| !p.is_empty()));
            }
            "LineString" => {
                if let Some(line) = flat.lists_at(0, 1).pop().filter(|l| !l.is_empty()) {
                    shapes.lines.push(line);
                }
            }
            "MultiLineString" => {
                shapes
                    .lines
                    .extend(flat.lists_at(1, 2).into_iter().filter(|l| !l.is_empty()));
            }
            "Point" => shapes.points.extend(flat.positions_at(0).take(1)),
            "MultiPoint" => shapes.points.extend(flat.positions_at(1)),
            "GeometryCollection" => {
                for geometry in self.geometries.iter().flatten() {
                    geometry.add_to(shapes)?;
                }
            }
            other => shapes.unknown_types.push(if other.is_empty() {
                "(no type)".to_string()
            } else {
                other.to_string()
            }),
        }
        Ok(())
    }
}

mod coordinates;

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
