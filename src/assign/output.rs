//! Built footprints written out: GeoJSON (one feature per footprint, its counts and people as
//! properties) and a report (per footprint: blocks, parts, people, councils whole and split).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{BuildReport, BuiltFootprint};
use crate::blocks::Blocks;
use crate::blocks::statistics::{CouncilShare, Totals};

/// Rounds to `places` decimals for output.
fn rounded(value: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (value * k).round() / k
}

/// The statistics of a footprint as GeoJSON properties (derived from LSOA 2021).
fn totals_properties(totals: &Totals, properties: &mut serde_json::Map<String, Value>) {
    properties.insert(
        "population_mid2022".into(),
        json!(totals.population_mid2022()),
    );
    let series: Vec<u64> = totals.population.to_vec();
    properties.insert("population_mid2011_mid2022".into(), json!(series));
    let share = |v: Option<f64>| v.map_or(Value::Null, |v| json!(rounded(v, 4)));
    properties.insert(
        "share_aged_65_plus_census2021".into(),
        share(totals.share_65_plus()),
    );
    properties.insert(
        "share_aged_0_15_census2021".into(),
        share(totals.share_0_15()),
    );
    properties.insert(
        "imd2025_score_population_weighted".into(),
        totals
            .deprivation_score()
            .map_or(Value::Null, |v| json!(rounded(v, 3))),
    );
    properties.insert(
        "imd2025_share_in_most_deprived_decile".into(),
        share(totals.most_deprived_share()),
    );
}

/// A built footprint's properties: code, name, blocks, parts, area and, from LSOA 2021, its
/// people.
pub fn properties(footprint: &BuiltFootprint) -> serde_json::Map<String, Value> {
    let mut properties = serde_json::Map::new();
    properties.insert("code".into(), json!(footprint.code));
    properties.insert("name".into(), json!(footprint.name));
    properties.insert("blocks".into(), json!(footprint.blocks.len()));
    properties.insert("parts".into(), json!(footprint.parts));
    properties.insert("area_km2".into(), json!(rounded(footprint.area_km2, 2)));
    if let Some(totals) = &footprint.totals {
        totals_properties(totals, &mut properties);
    }
    properties
}

/// The footprints as a layer, as if read from their GeoJSON.
pub fn to_layer(
    built: &[BuiltFootprint],
    title: &str,
    source: crate::model::LayerSource,
) -> crate::model::Layer {
    use crate::model::{Crs, FieldChoice, Footprint, Layer};
    let footprints: Vec<Footprint> = built
        .iter()
        .map(|f| {
            Footprint::new(
                f.code.clone(),
                f.name.clone(),
                f.geometry.clone(),
                properties(f),
            )
        })
        .collect();
    let property_keys =
        crate::load::fields::property_keys(footprints.iter().map(|f| &f.properties));
    Layer {
        title: title.to_string(),
        source,
        footprints,
        detail: None,
        fields: FieldChoice {
            code: Some("code".into()),
            name: Some("name".into()),
        },
        property_keys,
        crs: Crs::Wgs84,
        problems: Vec::new(),
        lsoa_2021_make_up: None,
    }
}

/// The footprints as a GeoJSON FeatureCollection (coordinates to 6 decimals, about 10 cm).
pub fn to_geojson(built: &[BuiltFootprint]) -> String {
    let mut out = String::with_capacity(1 << 20);
    out.push_str("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (i, footprint) in built.iter().enumerate() {
        let properties = properties(footprint);
        if i > 0 {
            out.push_str(",\n");
        }
        write!(
            out,
            "{{\"type\":\"Feature\",\"properties\":{},\"geometry\":{{\"type\":\"MultiPolygon\",\"coordinates\":[",
            Value::Object(properties)
        )
        .ok();
        for (p, polygon) in footprint.geometry.0.iter().enumerate() {
            out.push_str(if p > 0 { ",[" } else { "[" });
            for (r, ring) in std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .enumerate()
            {
                out.push_str(if r > 0 { ",[" } else { "[" });
                for (k, c) in ring.0.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    write!(out, "[{},{}]", rounded(c.x, 6), rounded(c.y, 6)).ok();
                }
                out.push(']');
            }
            out.push(']');
        }
        out.push_str("]}}");
    }
    out.push_str("\n]}\n");
    out
}

/// The build report as JSON: what did not fit, then per footprint its blocks, parts, people
/// and the councils (2024) it holds wholly or in part, with the share of each split one.
pub fn report_json(
    built: &[BuiltFootprint],
    report: &BuildReport,
    councils: Option<(&Blocks, &[Vec<CouncilShare>])>,
) -> Value {
    let footprints: Vec<Value> = built
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut entry = json!({
                "code": f.code,
                "name": f.name,
                "blocks": f.blocks.len(),
                "parts": f.parts,
                "area_km2": rounded(f.area_km2, 2),
                "population_mid2022": f.totals.as_ref().map(Totals::population_mid2022),
            });
            if let Some((blocks, shares)) = councils
                && let Some(shares) = shares.get(i)
            {
                let name = |s: &CouncilShare| {
                    let (code, name) = &blocks.council_2024.areas[s.council];
                    (code.clone(), name.clone())
                };
                let whole: Vec<Value> = shares
                    .iter()
                    .filter(|s| s.whole())
                    .map(|s| {
                        let (code, name) = name(s);
                        json!({"code": code, "name": name})
                    })
                    .collect();
                let split: Vec<Value> = shares
                    .iter()
                    .filter(|s| !s.whole())
                    .map(|s| {
                        let (code, name) = name(s);
                        json!({
                            "code": code,
                            "name": name,
                            "people_inside_mid2022": s.people_inside,
                            "share_of_its_people_inside": rounded(s.share(), 4),
                        })
                    })
                    .collect();
                entry["councils_whole"] = json!(whole);
                entry["councils_split"] = json!(split);
            }
            entry
        })
        .collect();
    json!({
        "footprints": footprints,
        "unassigned_blocks": report.unassigned_blocks,
        "unknown_blocks": report.unknown_blocks,
        "assigned_twice": report
            .assigned_twice
            .iter()
            .map(|(b, f)| json!({"block": b, "footprints": f}))
            .collect::<Vec<_>>(),
        "duplicate_blocks": report.duplicate_blocks,
        "sources": "Populations: ONS mid-2011…mid-2022 (LSOA 2021); ages: Census 2021; deprivation: IMD 2025 (MHCLG); councils: LSOA 2021 to LAD 2024. Totals derived by summing LSOA 2021 blocks.",
    })
}
