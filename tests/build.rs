//! Footprints built from the real LSOA 2021 blocks: ICB April 2026 and April 2024 from their
//! lookups, checked against England's population, against ONS's own ICB boundaries, and point by
//! point against the blocks they are made of; the 2016 footprints' people by best fit.

use crate::common;

/// The seven ICBs created on 1 April 2026.
const NEW_ICBS_APRIL_2026: [&str; 7] = [
    "E54000065",
    "E54000066",
    "E54000067",
    "E54000068",
    "E54000069",
    "E54000070",
    "E54000071",
];

use std::collections::HashMap;

use footprints::assign::{self, Assignment, BuiltFootprint};
use footprints::blocks::statistics::{self, Method};
use footprints::blocks::{Blocks, Grouping};
use footprints::load::Progress;
use footprints::lookup::PointLocator;
use footprints::model::{Layer, LayerSource};
use geo::{Area, BooleanOps, InteriorPoint};

fn blocks() -> &'static Blocks {
    Blocks::embedded().expect("built with ../shared/data")
}

fn lsoa_layer() -> &'static Layer {
    static LAYER: std::sync::OnceLock<Layer> = std::sync::OnceLock::new();
    LAYER.get_or_init(|| {
        footprints::blocks::embedded_lsoa_layer(&Progress::default())
            .expect("built with ../shared/data")
            .expect("the LSOA 2021 blocks load")
    })
}

/// The assignment a lookup gives.
fn assignment_of(grouping: &Grouping) -> Assignment {
    let blocks = blocks();
    Assignment::from_rows(
        blocks
            .codes
            .iter()
            .zip(&grouping.of_block)
            .filter_map(|(code, area)| {
                let (area_code, name) = &grouping.areas[(*area)? as usize];
                Some((code.as_str(), area_code.as_str(), name.as_str()))
            }),
    )
}

fn build(grouping: &Grouping) -> (Vec<BuiltFootprint>, assign::BuildReport) {
    assign::build(lsoa_layer(), &assignment_of(grouping), Some(blocks()))
}

#[test]
fn the_36_icbs_of_april_2026_hold_every_lsoa_and_all_of_englands_people() {
    let (built, report) = build(&blocks().icb_2026);
    assert_eq!(report, assign::BuildReport::default(), "nothing left over");
    assert_eq!(built.len(), 36);
    for new in NEW_ICBS_APRIL_2026 {
        assert!(built.iter().any(|f| f.code == new), "{new} is built");
    }
    let people: u64 = built
        .iter()
        .map(|f| f.totals.as_ref().unwrap().population_mid2022())
        .sum();
    assert_eq!(people, 57_112_542);
    assert_eq!(built.iter().map(|f| f.blocks.len()).sum::<usize>(), 33_755);
    // Every footprint has its statistics.
    for f in &built {
        let t = f.totals.as_ref().unwrap();
        let share = t.share_65_plus().unwrap();
        assert!((0.05..0.35).contains(&share), "{}: 65+ {share}", f.code);
        assert!(t.deprivation_score().is_some());
        assert!(f.parts >= 1);
    }

    // No gap and no overlap: the footprints' area is the blocks' area, and every block's inner
    // point lies in its own footprint and no other.
    let layer = assign::output::to_layer(
        &built,
        "ICB 2026",
        LayerSource::BuiltIn(footprints::vintages::ICB2026),
    );
    let area = |g: &geo::MultiPolygon<f64>| footprints::geo_util::geodesic_km2(g) * 1e6;
    let built_area: f64 = built.iter().map(|f| f.area_km2 * 1e6).sum();
    let block_area: f64 = lsoa_layer()
        .footprints
        .iter()
        .map(|b| area(&b.geometry))
        .sum();
    assert!(
        (built_area / block_area - 1.0).abs() < 1e-7,
        "{built_area} vs {block_area}"
    );
    let locator = PointLocator::build(&layer);
    let of_code: HashMap<&str, usize> = built
        .iter()
        .enumerate()
        .map(|(i, f)| (f.code.as_str(), i))
        .collect();
    let icb = &blocks().icb_2026;
    let mut wrong = Vec::new();
    for block in &lsoa_layer().footprints {
        let point = block
            .geometry
            .interior_point()
            .expect("a block has an inside");
        let index = blocks().index_of(&block.code).unwrap();
        let expected = of_code[icb.areas[icb.of_block[index].unwrap() as usize].0.as_str()];
        if locator.locate(point.0) != Some(expected) {
            wrong.push(block.code.clone());
        }
    }
    assert!(
        wrong.is_empty(),
        "{} blocks outside their ICB: {:?}",
        wrong.len(),
        &wrong[..wrong.len().min(10)]
    );
}

#[test]
fn the_42_icbs_built_from_the_2024_lookup_match_onss_2023_boundaries() {
    let (built, report) = build(&blocks().icb_2024);
    assert!(report.unassigned_blocks.is_empty() && report.unknown_blocks.is_empty());
    assert_eq!(built.len(), 42);
    let ons = footprints::load::load_bytes(
        footprints::embedded::ICB2023
            .get()
            .expect("built with ../shared/data"),
        LayerSource::BuiltIn(footprints::vintages::BuiltIn::by_id("icb2023").unwrap().id),
        "ICB 2023".into(),
        &Progress::default(),
    )
    .expect("the ONS ICB 2023 file loads");
    assert_eq!(ons.footprints.len(), 42);
    for f in &built {
        let official = ons
            .footprints
            .iter()
            .find(|o| o.code == f.code)
            .unwrap_or_else(|| panic!("{} is in the ONS file", f.code));
        let common = f.geometry.intersection(&official.geometry).unsigned_area();
        let overlap = common
            / f.geometry
                .unsigned_area()
                .max(official.geometry.unsigned_area());
        assert!(
            overlap >= 0.97,
            "{} {}: overlap {overlap:.4}",
            f.code,
            f.name
        );
    }
}

/// LSOA 2021 → 2016 footprint by code: each LSOA 2011's footprint (by most of its area, from
/// the derived lookup), carried to LSOA 2021 by ONS's exact-fit lookup (a merged LSOA takes the
/// footprint most of its parts had).
fn stp2016_by_code() -> HashMap<String, String> {
    let read = |relative: &str| {
        let text = std::fs::read_to_string(common::shared_data(relative)).expect("the lookup");
        let text = text.trim_start_matches('\u{feff}').to_string();
        let mut reader = csv::Reader::from_reader(std::io::Cursor::new(text.into_bytes()));
        let headers = reader.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        (headers, rows)
    };
    let column = |headers: &csv::StringRecord, name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let (headers, rows) = read("lookups/lsoa11_to_stp17_derived_pop_mid2019.csv");
    let (lsoa, stp) = (column(&headers, "lsoa11_code"), column(&headers, "STP17CD"));
    let stp_of_2011: HashMap<String, String> = rows
        .iter()
        .map(|r| (r[lsoa].to_string(), r[stp].to_string()))
        .collect();
    let (headers, rows) = read("lookups/lsoa11_lsoa21_lad22_exactfit_ons.csv");
    let (old, new) = (column(&headers, "LSOA11CD"), column(&headers, "LSOA21CD"));
    let mut votes: HashMap<String, HashMap<String, usize>> = HashMap::new();
    for r in &rows {
        if let Some(stp) = stp_of_2011.get(&r[old]) {
            *votes
                .entry(r[new].to_string())
                .or_default()
                .entry(stp.clone())
                .or_default() += 1;
        }
    }
    votes
        .into_iter()
        .map(|(lsoa21, counts)| {
            let stp = counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
                .unwrap()
                .0;
            (lsoa21, stp)
        })
        .collect()
}

#[test]
fn the_2016_footprints_best_fit_people_agree_with_their_sums_by_code() {
    let (layer, _) = footprints::defaults::default_footprints()
        .expect("the default footprints read")
        .expect("built with ../shared/data");
    let locator = PointLocator::build(&layer);
    let best_fit = statistics::best_fit(blocks(), &locator);
    // All but a few coastal blocks (whose centroids fall outside the generalised coast) land
    // in a footprint.
    let unplaced: Vec<&String> = blocks()
        .codes
        .iter()
        .zip(&best_fit)
        .filter_map(|(c, g)| g.is_none().then_some(c))
        .collect();
    assert!(unplaced.len() <= 5, "{unplaced:?}");
    let by_code_of = stp2016_by_code();
    let by_code: Vec<Option<u32>> = blocks()
        .codes
        .iter()
        .map(|c| {
            let stp = by_code_of.get(c)?;
            layer
                .footprints
                .iter()
                .position(|f| &f.code == stp)
                .map(|i| i as u32)
        })
        .collect();
    assert_eq!(by_code.iter().flatten().count(), blocks().len());
    let n = layer.footprints.len();
    let fitted = statistics::totals(blocks(), &best_fit, n);
    let summed = statistics::totals(blocks(), &by_code, n);
    for ((f, a), b) in layer.footprints.iter().zip(&fitted).zip(&summed) {
        let (a, b) = (a.population_mid2022(), b.population_mid2022());
        let difference = (a as f64 / b as f64 - 1.0).abs();
        assert!(
            difference < 0.01,
            "{} {}: {} {a} vs by code {b} ({:.2}%)",
            f.code,
            f.name,
            Method::BestFit.describe(),
            difference * 100.0,
        );
    }
}

#[test]
fn the_command_builds_from_a_csv_and_names_what_does_not_fit() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("assignment.csv");
    // Two real neighbours (City of London 001A and 001B) in one footprint, one in another, a
    // block given twice, a code that is not a block.
    std::fs::write(
        &csv,
        "LSOA21CD,footprint_code,footprint_name\n\
         E01000001,F1,City\n\
         E01000002,F1,City\n\
         E01000003,F2,Other\n\
         E01000003,F1,City\n\
         E99999999,F2,Other\n",
    )
    .unwrap();
    let out = dir.path().join("built.geojson");
    let report = dir.path().join("report.json");
    let output = common::footprints()
        .args(["build", "--assign"])
        .arg(&csv)
        .arg("--out")
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("Built 2 footprint(s) from 3 block(s)"),
        "{stderr}"
    );
    assert!(stderr.contains("E99999999"), "{stderr}");
    assert!(stderr.contains("E01000003 (F2, F1)"), "{stderr}");
    assert!(
        stderr.contains("33752 block(s) are in no footprint"),
        "{stderr}"
    );
    let geojson: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let features = geojson["features"].as_array().unwrap();
    assert_eq!(features.len(), 2);
    assert_eq!(features[0]["properties"]["code"], "F1");
    assert_eq!(features[0]["properties"]["blocks"], 2);
    assert_eq!(features[0]["properties"]["parts"], 1);
    // City of London 001A and 001B, mid-2022.
    let people = features[0]["properties"]["population_mid2022"]
        .as_u64()
        .unwrap();
    let mid2022 = |code: &str| u64::from(blocks().population[blocks().index_of(code).unwrap()][11]);
    assert_eq!(people, mid2022("E01000001") + mid2022("E01000002"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(report["unknown_blocks"][0], "E99999999");
    assert_eq!(
        report["footprints"][0]["councils_split"][0]["code"],
        "E09000001"
    );

    // Without a footprint column it says which columns there are.
    std::fs::write(&csv, "LSOA21CD,ICB\nE01000001,X\n").unwrap();
    let output = common::footprints()
        .args(["build", "--assign"])
        .arg(&csv)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--group-column") && stderr.contains("LSOA21CD, ICB"),
        "{stderr}"
    );
}

#[test]
fn every_layer_gets_people_members_and_for_icbs_their_leads() {
    use footprints::blocks::layer_statistics::for_layer;
    use footprints::vintages::BuiltIn;
    // ICB April 2026, built from LSOAs: summed by code, every ICB known.
    let icbs = BuiltIn::by_id("icb2026")
        .unwrap()
        .load()
        .expect("ICB 2026 builds");
    assert_eq!(icbs.footprints.len(), 36);
    let statistics = for_layer(&icbs, blocks(), &PointLocator::build(&icbs));
    assert_eq!(statistics.method, Method::ByCode);
    assert!(statistics.names_icbs());
    let people: u64 = statistics
        .totals
        .iter()
        .map(|t| t.as_ref().expect("known").population_mid2022())
        .sum();
    assert_eq!(people, 57_112_542);
    let bsol = icbs.index_of_code("E54000055").unwrap();
    let members = &statistics.members[bsol];
    let councils: Vec<&str> = members.councils.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(councils, ["Birmingham", "Solihull"]);
    assert!(members.councils.iter().all(|c| c.share > 0.999));
    assert_eq!(members.sub_icbs.len(), 1);
    assert!(
        members
            .trusts
            .iter()
            .any(|(_, name)| name.contains("University Hospitals Birmingham")),
        "{:?}",
        members.trusts
    );
    // Leads: partial and dated; a missing one is not known, never invented.
    let leaders = footprints::blocks::members::icb2026_leaders();
    assert_eq!(leaders.len(), 36);
    let cheshire = &leaders["E54000008"];
    assert_eq!(cheshire.chief_executive.as_deref(), Some("Cathy Elliott"));
    assert!(cheshire.chief_executive_as_of.is_some());
    assert!(leaders.values().any(|l| l.chief_executive.is_none()));

    // Councils, May 2024: by code; a council split between ICBs shows on both sides.
    let councils = BuiltIn::by_id("lad2024")
        .unwrap()
        .load()
        .expect("councils load");
    let statistics = for_layer(&councils, blocks(), &PointLocator::build(&councils));
    assert_eq!(statistics.method, Method::ByCode);
    assert!(!statistics.names_icbs());
    assert_eq!(councils.footprints.len(), 296);

    // The 2016 footprints: best fit, with the few LSOAs left out counted.
    let (stp, _) = footprints::defaults::default_footprints().unwrap().unwrap();
    let statistics = for_layer(&stp, blocks(), &PointLocator::build(&stp));
    assert_eq!(statistics.method, Method::BestFit);
    assert!(statistics.source().contains("best fit"));
    assert!(statistics.unplaced.0 <= 5);
    let placed: u64 = statistics
        .totals
        .iter()
        .map(|t| t.as_ref().unwrap().population_mid2022())
        .sum();
    assert_eq!(placed + statistics.unplaced.1, 57_112_542);
}

#[test]
fn comparing_icb_2023_with_2026_shows_the_april_2026_changes_and_whose_people_moved() {
    let output =
        common::success(common::footprints().args(["compare", "--json", "icb2023", "icb2026"]));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes = |key: &str| -> Vec<String> {
        let mut v: Vec<String> = json[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(codes("ended").len(), 13);
    assert_eq!(codes("new"), NEW_ICBS_APRIL_2026);
    assert!(json["people_source"].as_str().unwrap().contains("mid-2022"));
    // Hampshire and Isle of Wight took a new code: the old area grown by part of Frimley
    // (Rushmoor and part of Hart).
    let hiow = json["predecessors"]["E54000067"].as_array().unwrap();
    let from: Vec<&str> = hiow.iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(from, ["E54000042", "E54000034"]);
    // Frimley's people went three ways, and they add up to its mid-2022 population.
    let frimley = json["successors"]["E54000034"].as_array().unwrap();
    assert_eq!(frimley.len(), 3);
    let moved: u64 = frimley.iter().map(|s| s["people"].as_u64().unwrap()).sum();
    let frimley_people: u64 = blocks()
        .icb_2024
        .of_block
        .iter()
        .enumerate()
        .filter(|(_, a)| a.is_some_and(|a| blocks().icb_2024.areas[a as usize].0 == "E54000034"))
        .map(|(i, _)| u64::from(blocks().population[i][11]))
        .sum();
    assert_eq!(moved, frimley_people);
}

#[test]
fn check_reports_the_rules_as_json_and_reads_a_builder_scenario() {
    let dir = tempfile::tempdir().unwrap();
    // A builder scenario: its own CSV columns.
    let csv = dir.path().join("scenario.csv");
    let mut text = String::from("block_code,footprint_code,footprint_name\n");
    let icb = &blocks().icb_2026;
    for (code, area) in blocks().codes.iter().zip(&icb.of_block) {
        let (area_code, name) = &icb.areas[area.unwrap() as usize];
        text.push_str(&format!("{code},{area_code},{name}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let output = common::success(
        common::footprints()
            .args(["build", "--check", "--assign"])
            .arg(&csv),
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["footprints"].as_array().unwrap().len(), 36);
    assert_eq!(report["unassigned"].as_array().unwrap().len(), 0);
    let failed = report["failed"].as_array().unwrap();
    let has = |rule: &str, code: &str| {
        failed
            .iter()
            .any(|f| f["rule"] == rule && f["code"] == code)
    };
    // Shropshire, Telford and Wrekin: 516,479 people, under a million.
    assert!(has("population", "E54000011"));
    // North Yorkshire council lies in two ICBs.
    assert!(has("councils_whole", "E06000065"));
    let shropshire = report["footprints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "E54000011")
        .unwrap();
    assert_eq!(shropshire["population_mid2022"], 516_479);
    assert_eq!(shropshire["councils_split"].as_array().unwrap().len(), 0);
    let humber = report["footprints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "E54000051")
        .unwrap();
    let split = &humber["councils_split"].as_array().unwrap()[0];
    assert_eq!(split["code"], "E06000065");
    assert!(split["share"].as_f64().unwrap() > 0.5 && split["share"].as_f64().unwrap() < 1.0);
}
