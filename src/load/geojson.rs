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

/// Reads GeoJSON coordinate arrays of any depth straight into one flat list of positions.
mod coordinates {
    use geo::Coord;

    /// The deepest nesting read (a MultiPolygon needs 4).
    const MAX_DEPTH: usize = 64;

    /// An array that held arrays (or was empty): its depth (0 = the coordinates member) and the
    /// positions inside it.
    #[derive(Clone, Copy, Debug)]
    struct List {
        depth: u8,
        start: u32,
        end: u32,
    }

    /// Every position in document order with the depth of its array, and every list in the
    /// order it closed.
    #[derive(Debug, Default)]
    pub struct Flat {
        positions: Vec<Coord<f64>>,
        depths: Vec<u8>,
        lists: Vec<List>,
        pub had_z: bool,
    }

    const INVALID: Coord<f64> = Coord {
        x: f64::NAN,
        y: f64::NAN,
    };

    impl Flat {
        /// Positions in `list`, those not at `depth` (something else where a position should
        /// be) as NaN, for the repair step to drop and count.
        fn slice(&self, list: &List, depth: u8) -> Vec<Coord<f64>> {
            let range = list.start as usize..list.end as usize;
            self.positions[range.clone()]
                .iter()
                .zip(&self.depths[range])
                .map(|(&c, &d)| if d == depth { c } else { INVALID })
                .collect()
        }

        /// The lists at `depth`, each as its positions (which should be at `position_depth`).
        pub fn lists_at(&self, depth: u8, position_depth: u8) -> Vec<Vec<Coord<f64>>> {
            self.lists
                .iter()
                .filter(|l| l.depth == depth)
                .map(|l| self.slice(l, position_depth))
                .collect()
        }

        /// Lists at `depth + 1` grouped by the list at `depth` that holds them (a
        /// MultiPolygon's rings by polygon).
        pub fn grouped(&self, depth: u8, position_depth: u8) -> Vec<Vec<Vec<Coord<f64>>>> {
            let mut groups = Vec::new();
            let mut current = Vec::new();
            for list in &self.lists {
                if list.depth == depth + 1 {
                    current.push(self.slice(list, position_depth));
                } else if list.depth == depth {
                    groups.push(std::mem::take(&mut current));
                }
            }
            groups
        }

        /// Valid positions whose array is at `depth`.
        pub fn positions_at(&self, depth: u8) -> impl Iterator<Item = Coord<f64>> + '_ {
            self.positions
                .iter()
                .zip(&self.depths)
                .filter(move |(c, d)| **d == depth && c.x.is_finite())
                .map(|(c, _)| *c)
        }
    }

    enum Element {
        Number(f64),
        /// An array (a position or a list), recorded.
        Array,
        /// A string, object, boolean or null.
        Other,
    }

    struct Reader<'a> {
        text: &'a [u8],
        at: usize,
        out: Flat,
    }

    /// Reads one coordinates member (already checked to be valid JSON by serde).
    pub fn parse(text: &[u8]) -> Result<Flat, super::ParseError> {
        let mut reader = Reader {
            text,
            at: 0,
            out: Flat::default(),
        };
        reader.value(0)?;
        Ok(reader.out)
    }

    fn too_deep() -> super::ParseError {
        super::ParseError::Coordinates(format!(
            "its coordinates are nested more than {MAX_DEPTH} deep"
        ))
    }

    impl Reader<'_> {
        fn skip_space(&mut self) {
            while let Some(b) = self.text.get(self.at) {
                if b.is_ascii_whitespace() {
                    self.at += 1;
                } else {
                    break;
                }
            }
        }

        fn peek(&mut self) -> Option<u8> {
            self.skip_space();
            self.text.get(self.at).copied()
        }

        fn value(&mut self, depth: usize) -> Result<Element, super::ParseError> {
            if depth > MAX_DEPTH {
                return Err(too_deep());
            }
            match self.peek() {
                Some(b'[') => self.array(depth),
                Some(b'-' | b'0'..=b'9') => Ok(Element::Number(self.number())),
                _ => {
                    self.skip_other();
                    Ok(Element::Other)
                }
            }
        }

        /// Skips a string, object, literal or (inside a position) array, balancing brackets.
        fn skip_other(&mut self) {
            let mut nesting = 0usize;
            let mut in_string = false;
            while let Some(&b) = self.text.get(self.at) {
                if in_string {
                    match b {
                        b'\\' => self.at += 1,
                        b'"' => in_string = false,
                        _ => {}
                    }
                } else {
                    match b {
                        b'"' => in_string = true,
                        b'[' | b'{' => nesting += 1,
                        b']' | b'}' if nesting == 0 => return,
                        b']' | b'}' => nesting -= 1,
                        b',' if nesting == 0 => return,
                        _ => {}
                    }
                }
                self.at += 1;
                if nesting == 0 && !in_string && matches!(b, b'"' | b']' | b'}') {
                    return;
                }
            }
        }

        /// Reads a number: digits are gathered as they are passed (exact for up to 19 digits
        /// and no exponent); anything longer goes to the standard library's parser.
        fn number(&mut self) -> f64 {
            const POWERS: [f64; 23] = [
                1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14,
                1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
            ];
            let start = self.at;
            let text = self.text;
            let negative = text.get(self.at) == Some(&b'-');
            if negative {
                self.at += 1;
            }
            let mut mantissa: u64 = 0;
            let mut digits = 0u32;
            let mut fraction = 0usize;
            let mut seen_point = false;
            let mut simple = true;
            while let Some(&b) = text.get(self.at) {
                match b {
                    b'0'..=b'9' => {
                        if digits < 19 {
                            mantissa = mantissa * 10 + (b - b'0') as u64;
                            if mantissa > 0 {
                                digits += 1;
                            }
                            fraction += seen_point as usize;
                        } else {
                            simple = false;
                        }
                    }
                    b'.' => seen_point = true,
                    b'e' | b'E' | b'+' | b'-' => simple = false,
                    _ => break,
                }
                self.at += 1;
            }
            if simple
                && self.at > start + negative as usize
                && mantissa < (1u64 << 53)
                && fraction < POWERS.len()
            {
                let value = mantissa as f64 / POWERS[fraction];
                return if negative { -value } else { value };
            }
            parse_number(&text[start..self.at])
        }

        fn array(&mut self, depth: usize) -> Result<Element, super::ParseError> {
            self.at += 1; // '['
            let start = self.out.positions.len() as u32;
            let close = |reader: &mut Self| {
                reader.out.lists.push(List {
                    depth: depth.min(255) as u8,
                    start,
                    end: reader.out.positions.len() as u32,
                });
                Ok(Element::Array)
            };
            if self.peek() == Some(b']') {
                self.at += 1;
                return close(self);
            }
            match self.value(depth + 1)? {
                Element::Number(x) => {
                    // A position: numbers only, at least two.
                    let mut y = None;
                    let mut valid = true;
                    while self.peek() == Some(b',') {
                        self.at += 1;
                        match self.peek() {
                            Some(b'-' | b'0'..=b'9') => {
                                let v = self.number();
                                if y.is_none() {
                                    y = Some(v);
                                } else {
                                    self.out.had_z = true;
                                }
                            }
                            _ => {
                                self.skip_other();
                                valid = false;
                            }
                        }
                    }
                    self.expect_close();
                    let position = match (valid, y) {
                        (true, Some(y)) => Coord { x, y },
                        _ => INVALID,
                    };
                    self.out.positions.push(position);
                    self.out.depths.push(depth.min(255) as u8);
                    Ok(Element::Array)
                }
                first => {
                    self.invalid_child(first, depth + 1);
                    while self.peek() == Some(b',') {
                        self.at += 1;
                        let child = self.value(depth + 1)?;
                        self.invalid_child(child, depth + 1);
                    }
                    self.expect_close();
                    close(self)
                }
            }
        }

        /// A number or other value where a position or list should be: an invalid position.
        fn invalid_child(&mut self, child: Element, depth: usize) {
            if !matches!(child, Element::Array) {
                self.out.positions.push(INVALID);
                self.out.depths.push(depth.min(255) as u8);
            }
        }

        fn expect_close(&mut self) {
            if self.peek() == Some(b']') {
                self.at += 1;
            }
        }
    }

    /// A JSON number, by the standard library's parser (NaN if it is not one).
    fn parse_number(text: &[u8]) -> f64 {
        std::str::from_utf8(text)
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn numbers_match_the_standard_parser() {
            for text in [
                "0",
                "-0",
                "1",
                "-1.5",
                "54.677761",
                "-1.227056",
                "406000",
                "0.1",
                "123456.789012",
                "1e5",
                "-2.5E-3",
                "0.30000000000000004",
                "12345678901234567890",
                "1.7976931348623157e308",
            ] {
                let expected: f64 = text.parse().unwrap();
                let mut reader = Reader {
                    text: text.as_bytes(),
                    at: 0,
                    out: Flat::default(),
                };
                assert_eq!(reader.number().to_bits(), expected.to_bits(), "{text}");
                assert_eq!(reader.at, text.len());
            }
        }

        #[test]
        fn positions_and_lists_keep_their_depths() {
            let flat = parse(b"[[[0,1],[2,3,9],[4,\"x\"]],[]]").unwrap();
            assert!(flat.had_z);
            let rings = flat.lists_at(1, 2);
            assert_eq!(rings.len(), 2);
            assert_eq!(rings[0][0], Coord { x: 0.0, y: 1.0 });
            assert_eq!(rings[0][1], Coord { x: 2.0, y: 3.0 });
            assert!(
                rings[0][2].x.is_nan(),
                "a position with a string is invalid"
            );
            assert!(rings[1].is_empty());
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
