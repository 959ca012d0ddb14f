//! Any input file: it loads, with what was repaired reported, or it is refused with one message
//! naming the file and the problem. One case per kind of bad input, with the exact words.

use crate::common;

use std::path::{Path, PathBuf};

use footprints::load::{Progress, load_path};
use footprints::model::Layer;

fn robust(name: &str) -> PathBuf {
    common::fixture(&format!("robust/{name}"))
}

fn loads(name: &str) -> Layer {
    match load_path(&robust(name), &Progress::default()) {
        Ok(layer) => layer,
        Err(e) => panic!("{name} should load: {e}"),
    }
}

fn refused(path: &Path) -> String {
    match load_path(path, &Progress::default()) {
        Ok(layer) => panic!(
            "{} should be refused, loaded {}",
            path.display(),
            layer.footprints.len()
        ),
        Err(e) => e.to_string(),
    }
}

/// The message for a refused fixture, with its path written as `PATH`.
fn refusal(name: &str) -> String {
    let path = robust(name);
    refused(&path).replace(&path.display().to_string(), "PATH")
}

#[test]
fn empty_truncated_binary_and_other_formats_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.geojson");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(
        refused(&empty),
        format!("The file is empty: {}", empty.display())
    );
    assert_eq!(
        refusal("truncated.geojson"),
        "Not GeoJSON (it ends part-way through, as a cut-short download does; invalid JSON: EOF while parsing a string at line 1 column 118): PATH"
    );
    assert_eq!(
        refusal("binary.geojson"),
        "Not GeoJSON (it is binary data, not text): PATH"
    );
    assert_eq!(
        refusal("image.geojson"),
        "Not GeoJSON (it is an image, not GeoJSON): PATH"
    );
    assert_eq!(
        refusal("topology.json"),
        "Not GeoJSON (it looks like TopoJSON, which is not supported; convert it to GeoJSON first (e.g. with mapshaper or ogr2ogr)): PATH"
    );
    let html = common::fixture("error_page.geojson");
    assert_eq!(
        refused(&html),
        format!(
            "Not GeoJSON (it is an HTML web page, perhaps an error page saved instead of the download): {}",
            html.display()
        )
    );
}

#[test]
fn folders_and_unreadable_paths_are_named() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        refused(dir.path()),
        format!("This is a folder, not a file: {}", dir.path().display())
    );
    // A path through a file cannot be read, whoever runs the test.
    let file = dir.path().join("plain.txt");
    std::fs::write(&file, "x").unwrap();
    let through = file.join("boundaries.geojson");
    assert_eq!(
        refused(&through),
        format!(
            "Could not read the file (Not a directory (os error 20)): {}",
            through.display()
        )
    );
}

#[test]
fn text_encodings_are_read_and_reported() {
    assert!(loads("bom.geojson").problems.is_empty());
    for name in ["utf16le_bom.geojson", "utf16be.geojson"] {
        let layer = loads(name);
        assert_eq!(layer.footprints[0].name, "Bédford", "{name}");
        assert_eq!(
            layer.problems,
            ["the file is UTF-16 text, not UTF-8; it was read as UTF-16"]
        );
    }
    let layer = loads("latin1.geojson");
    assert_eq!(layer.footprints[0].name, "Café – Bédford");
    assert_eq!(
        layer.problems,
        [
            "the file is not UTF-8; its text was read as Windows-1252 (Latin-1), so check accented names"
        ]
    );
    let layer = loads("pretty_crlf.geojson");
    assert_eq!(layer.footprints.len(), 2);
    assert!(layer.problems.is_empty());
}

#[test]
fn bare_features_geometries_and_text_sequences_load() {
    assert_eq!(loads("bare_feature.geojson").footprints[0].name, "Alpha");
    let geometry = loads("bare_geometry.geojson");
    assert_eq!(geometry.footprints.len(), 1);
    assert_eq!(geometry.footprints[0].geometry.0.len(), 2);
    assert_eq!(geometry.footprints[0].code, "#1");
    for name in ["sequence_rs.geojsons", "sequence_lines.geojsonl"] {
        let layer = loads(name);
        let names: Vec<&str> = layer.footprints.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Alpha", "Beta"], "{name}");
    }
}

#[test]
fn points_lines_nulls_and_heights_are_skipped_and_counted() {
    let layer = loads("mixed.geojson");
    let codes: Vec<&str> = layer.footprints.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["A", "E"]);
    assert_eq!(
        layer.problems,
        [
            "1 feature(s) had no geometry and were skipped",
            "2 feature(s) had no usable polygon (points, lines or empty) and were skipped",
            "1 feature(s) also held points or lines, which were ignored (only areas are drawn)",
        ]
    );
    assert_eq!(
        loads("heights.geojson").problems,
        ["heights (third coordinates) were ignored"]
    );
}

#[test]
fn bad_rings_are_repaired_or_dropped_and_counted() {
    let layer = loads("rings.geojson");
    let codes: Vec<&str> = layer.footprints.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["U", "X", "C"]);
    assert_eq!(
        layer.problems,
        [
            "2 feature(s) had no usable polygon (points, lines or empty) and were skipped",
            "1 unclosed ring(s) were closed",
            "2 degenerate ring(s) with fewer than 3 distinct points were dropped",
            "1 ring(s) were wound the other way round and were turned to RFC 7946's order (outer rings anticlockwise)",
            "1 ring(s) cross themselves; they are drawn as given, and a point where they overlap counts as outside",
        ]
    );
}

#[test]
fn coordinates_out_of_range_swapped_or_in_metres() {
    let layer = loads("out_of_range.geojson");
    assert_eq!(layer.footprints.len(), 2);
    assert_eq!(
        layer.problems,
        ["1 position(s) that were not finite numbers or out of range were dropped"]
    );
    let layer = loads("swapped.geojson");
    assert_eq!(
        layer.problems,
        ["coordinates were latitude, longitude (GeoJSON puts longitude first) and were swapped"]
    );
    let bbox = layer.bbox().unwrap();
    assert!((bbox.min().x - -1.9).abs() < 1e-9 && (bbox.min().y - 52.4).abs() < 1e-9);
    let layer = loads("bng_no_crs.geojson");
    assert_eq!(
        layer.crs,
        footprints::model::Crs::BritishNationalGrid { declared: false }
    );
    assert!(layer.problems.is_empty());
    let layer = load_path(
        &common::fixture("bng_declared.geojson"),
        &Progress::default(),
    )
    .unwrap();
    assert_eq!(
        layer.crs,
        footprints::model::Crs::BritishNationalGrid { declared: true }
    );
}

#[test]
fn nan_strings_and_overflowing_numbers_as_coordinates() {
    assert_eq!(
        refusal("nan.geojson"),
        "Not GeoJSON (JSON has no NaN or Infinity: a position must be two numbers; invalid JSON: expected value at line 1 column 131): PATH"
    );
    let layer = loads("strings_and_overflow.geojson");
    assert_eq!(
        layer.problems,
        ["3 position(s) that were not finite numbers or out of range were dropped"]
    );
}

#[test]
fn duplicate_numeric_and_missing_codes() {
    let layer = loads("codes.geojson");
    let codes: Vec<&str> = layer.footprints.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["E1", "E1", "42", "#4", "E3", "E4", "E5", "E6"]);
    assert_eq!(
        layer.problems,
        [
            "1 feature(s) have no CODE; they are numbered by their place in the file (#1, #2, …)",
            "1 feature(s) share a code with an earlier one",
        ]
    );
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn hundreds_of_thousands_of_brackets_are_refused_without_overflowing_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 300_000;
    // Cut off: the brackets never close.
    let open = format!(r#"{{"type":"Polygon","coordinates":{}"#, "[".repeat(depth));
    let path = write(dir.path(), "open.geojson", &open);
    assert_eq!(
        refused(&path),
        format!(
            "Not GeoJSON (it ends part-way through, as a cut-short download does; invalid JSON: EOF while parsing a list at line 1 column {}): {}",
            open.len(),
            path.display()
        )
    );
    // Closed: valid JSON, but no coordinates are that deep.
    let closed = format!("{open}{}}}", "]".repeat(depth));
    let path = write(dir.path(), "closed.geojson", &closed);
    assert_eq!(
        refused(&path),
        format!(
            "Not GeoJSON (its coordinates are nested more than 64 deep): {}",
            path.display()
        )
    );
    // In the properties.
    let properties = format!(
        r#"{{"type":"Feature","properties":{{"a":{}{}}},"geometry":null}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let path = write(dir.path(), "properties.geojson", &properties);
    let message = refused(&path);
    assert!(
        message.starts_with("Not GeoJSON (it is nested too deeply (more than 128 levels of brackets); invalid JSON: recursion limit exceeded at line 1 column"),
        "{message}"
    );
}

#[test]
fn huge_property_values_and_many_tiny_features_load() {
    let dir = tempfile::tempdir().unwrap();
    let huge = "x".repeat(20_000_000);
    let text = format!(
        r#"{{"type":"Feature","properties":{{"CODE":"A","NAME":"{huge}","NOTES":"{huge}"}},"geometry":{{"type":"Polygon","coordinates":[[[0,51],[1,51],[1,52],[0,51]]]}}}}"#
    );
    let layer = load_path(
        &write(dir.path(), "huge.geojson", &text),
        &Progress::default(),
    )
    .unwrap();
    // The name is kept short for labels and lists; the property itself is kept whole.
    assert_eq!(layer.footprints[0].name.chars().count(), 201);
    assert_eq!(
        layer.footprints[0].properties["NOTES"]
            .as_str()
            .map(str::len),
        Some(20_000_000)
    );

    let count = 200_000;
    let mut text = String::from(r#"{"type":"FeatureCollection","features":["#);
    for i in 0..count {
        let (x, y) = (
            -5.0 + (i % 500) as f64 * 0.01,
            50.0 + (i / 500) as f64 * 0.01,
        );
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#"{{"type":"Feature","properties":{{"CODE":"T{i}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{},{y}],[{},{}],[{x},{y}]]]}}}}"#,
            x + 0.005,
            x + 0.005,
            y + 0.005
        ));
    }
    text.push_str("]}");
    let started = std::time::Instant::now();
    let layer = load_path(
        &write(dir.path(), "tiny.geojson", &text),
        &Progress::default(),
    )
    .unwrap();
    assert_eq!(layer.footprints.len(), count);
    assert!(layer.problems.is_empty(), "{:?}", layer.problems);
    assert!(
        started.elapsed().as_secs() < 60,
        "within seconds, even unoptimised"
    );
}
