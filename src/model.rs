//! The data model: footprints, the layers that hold them, and where a layer came from.

use std::path::PathBuf;

use geo::{BoundingRect, MultiPolygon, Rect};
use serde_json::{Map, Value};

/// One area on the map: a footprint, or any feature of an opened boundary file.
#[derive(Clone, Debug)]
pub struct Footprint {
    /// ONS code (or whatever the code field holds); never empty (falls back to `#index`).
    pub code: String,
    /// Display name; never empty (falls back to the code).
    pub name: String,
    /// WGS84 longitude/latitude, as drawn.
    pub geometry: MultiPolygon<f64>,
    /// Bounding box of `geometry` in lon/lat.
    pub bbox: Rect<f64>,
    /// Every property the feature carried, in file order.
    pub properties: Map<String, Value>,
}

/// The property a builder scenario's footprints carry: people mid-2022 gained (or lost, when
/// negative) since the layer it started from.
pub const CHANGE_PROPERTY: &str = "people_mid2022_change_from_start";

/// The id of a layer built into the binary (`stp2016`, `icb2026`, …). Only the list of
/// built-in layers makes one (`vintages::built_in_id` reads a name), so an id always
/// names a layer this binary knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BuiltInId(&'static str);

impl BuiltInId {
    /// The 44 footprints of 2016, the default layer.
    pub const STP2016: BuiltInId = BuiltInId("stp2016");

    /// For the list of built-in layers only.
    pub(crate) const fn listed(id: &'static str) -> Self {
        BuiltInId(id)
    }

    /// The id as written on the command line and in settings.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// Where a layer's data came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerSource {
    /// A layer built into the binary.
    BuiltIn(BuiltInId),
    /// Made in the app from other data (the builder's blocks, a scenario, a detail geometry,
    /// a test): what it is, in words.
    Made(&'static str),
    /// A file the user opened.
    File(PathBuf),
}

impl LayerSource {
    pub fn describe(&self) -> String {
        match self {
            LayerSource::BuiltIn(id) => format!("built-in: {}", id.as_str()),
            LayerSource::Made(what) => format!("made: {what}"),
            LayerSource::File(path) => path.display().to_string(),
        }
    }

    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            LayerSource::BuiltIn(_) | LayerSource::Made(_) => None,
            LayerSource::File(path) => Some(path),
        }
    }
}

/// The coordinate system a file was found to be in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crs {
    /// Longitude/latitude in degrees (RFC 7946).
    Wgs84,
    /// British National Grid metres (EPSG:27700), reprojected to WGS84 with OSTN15.
    BritishNationalGrid { declared: bool },
}

impl Crs {
    pub fn describe(self) -> &'static str {
        match self {
            Crs::Wgs84 => "WGS84 longitude/latitude (EPSG:4326)",
            Crs::BritishNationalGrid { declared: true } => {
                "British National Grid (EPSG:27700, declared), reprojected to WGS84 with OSTN15"
            }
            Crs::BritishNationalGrid { declared: false } => {
                "British National Grid (EPSG:27700, detected from metre coordinates), reprojected to WGS84 with OSTN15"
            }
        }
    }

    pub fn short(self) -> &'static str {
        match self {
            Crs::Wgs84 => "EPSG:4326",
            Crs::BritishNationalGrid { .. } => "EPSG:27700",
        }
    }

    pub fn reprojected(self) -> bool {
        matches!(self, Crs::BritishNationalGrid { .. })
    }
}

/// Which properties give each feature its code and name.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldChoice {
    pub code: Option<String>,
    pub name: Option<String>,
}

impl FieldChoice {
    /// The code and name a feature (the `index`th) gets under this choice; never empty.
    pub fn code_and_name(&self, properties: &Map<String, Value>, index: usize) -> (String, String) {
        let code = self
            .code
            .as_ref()
            .and_then(|k| properties.get(k))
            .and_then(text_of)
            .unwrap_or_else(|| format!("#{}", index + 1));
        let name = self
            .name
            .as_ref()
            .and_then(|k| properties.get(k))
            .and_then(text_of)
            .unwrap_or_else(|| code.clone());
        (shortened(&code, 120), shortened(&name, 200))
    }
}

/// A property as a code or name: trimmed text, a number or a boolean; nothing when empty.
pub fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        }
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// At most `max` characters of `text`, with "…" when cut.
pub fn shortened(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// A set of footprints loaded from one source.
#[derive(Clone, Debug)]
pub struct Layer {
    /// Short title for the window title and menus.
    pub title: String,
    pub source: LayerSource,
    pub footprints: Vec<Footprint>,
    /// Finer geometry for hit-testing, one per footprint, when the source has it.
    pub detail: Option<Vec<MultiPolygon<f64>>>,
    pub fields: FieldChoice,
    /// Every property key seen, in first-seen order: the choices offered for code and name.
    pub property_keys: Vec<String>,
    pub crs: Crs,
    /// What was wrong with the input and what was done about it, in plain words.
    pub problems: Vec<String>,
    /// Each LSOA 2021's footprint (in the embedded tables' order), when the layer was built
    /// from them (a builder scenario): its people and flows are then exact, not best fit.
    pub lsoa_2021_make_up: Option<std::sync::Arc<Vec<Option<u32>>>>,
}

impl Layer {
    /// Bounding box of every footprint, in lon/lat.
    pub fn bbox(&self) -> Option<Rect<f64>> {
        self.footprints
            .iter()
            .map(|f| f.bbox)
            .reduce(crate::geo_util::union_rect)
    }

    /// Geometry to use for "which footprint is this point in?".
    pub fn hit_geometry(&self, index: usize) -> &MultiPolygon<f64> {
        self.detail
            .as_ref()
            .and_then(|d| d.get(index))
            .unwrap_or(&self.footprints[index].geometry)
    }

    /// Re-reads every footprint's code and name from its properties with a new field choice.
    pub fn apply_fields(&mut self, fields: FieldChoice) {
        for (index, footprint) in self.footprints.iter_mut().enumerate() {
            let (code, name) = fields.code_and_name(&footprint.properties, index);
            footprint.code = code;
            footprint.name = name;
        }
        self.fields = fields;
    }

    /// Properties with numbers in most features, for "colour by" choices.
    pub fn numeric_properties(&self) -> Vec<String> {
        self.property_keys
            .iter()
            .filter(|k| {
                let numbers = self
                    .footprints
                    .iter()
                    .filter(|f| f.number(k).is_some())
                    .count();
                numbers * 2 > self.footprints.len()
            })
            .cloned()
            .collect()
    }

    pub fn index_of_code(&self, code: &str) -> Option<usize> {
        self.footprints.iter().position(|f| f.code == code)
    }
}

impl Footprint {
    pub fn new(
        code: String,
        name: String,
        geometry: MultiPolygon<f64>,
        properties: Map<String, Value>,
    ) -> Self {
        let bbox = geometry
            .bounding_rect()
            .unwrap_or_else(|| Rect::new((0.0, 0.0), (0.0, 0.0)));
        Self {
            code,
            name,
            geometry,
            bbox,
            properties,
        }
    }

    /// The population the feature's own properties give, with the property it came from:
    /// `population_mid2019_ons`, `population`, or else the first number under a name that
    /// starts with "pop" (such as `pop_mid2019` or `POP2021`).
    pub fn own_population(&self) -> Option<(f64, &str)> {
        for key in ["population_mid2019_ons", "population"] {
            if let Some(value) = self.number(key) {
                return Some((value, key));
            }
        }
        self.properties
            .keys()
            .filter(|k| k.to_ascii_lowercase().starts_with("pop"))
            .find_map(|k| self.number(k).map(|v| (v, k.as_str())))
            .filter(|(v, _)| *v >= 0.0)
    }

    /// A number property, if the feature has one under `key`.
    pub fn number(&self, key: &str) -> Option<f64> {
        match self.properties.get(key)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().replace(',', "").parse().ok(),
            _ => None,
        }
    }
}
