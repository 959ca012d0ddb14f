//! End-to-end tests of the command line: `footprints info`.

use crate::common;

use std::path::PathBuf;

use crate::common::{failure, fixture, footprints, shared_data};

fn info_json(path: &PathBuf) -> serde_json::Value {
    let output = footprints()
        .args(["info", "--json"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "info failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn info_summarises_the_44_footprints() {
    let info = info_json(&shared_data("footprints/stp2016_44_footprints.geojson"));
    assert_eq!(info["features"], 44);
    assert_eq!(info["code_field"], "STP17CD");
    assert_eq!(info["name_field"], "name_2016");
    assert_eq!(info["crs"], "EPSG:4326");
    let bbox: Vec<f64> = serde_json::from_value(info["bbox"].clone()).unwrap();
    // England: from the Isles of Scilly to the Norfolk coast, the Channel to the Scottish border.
    assert!(bbox[0] < -6.3 && bbox[0] > -6.5, "{bbox:?}");
    assert!(bbox[1] > 49.8 && bbox[1] < 50.0, "{bbox:?}");
    assert!(bbox[2] > 1.7 && bbox[2] < 1.8, "{bbox:?}");
    assert!(bbox[3] > 55.7 && bbox[3] < 55.9, "{bbox:?}");
    assert_eq!(info["problems"], serde_json::json!([]));
}

#[test]
fn info_detects_ons_fields_of_other_vintages() {
    let info = info_json(&shared_data(
        "boundaries/icb2022_ons_buc_42_simplified.geojson",
    ));
    assert_eq!(info["features"], 42);
    assert_eq!(info["code_field"], "ICB22CD");
    assert_eq!(info["name_field"], "ICB22NM");
    let info = info_json(&shared_data(
        "boundaries/lad2019_england_derived_317.geojson",
    ));
    assert_eq!(info["code_field"], "LAD19CD");
    assert_eq!(info["name_field"], "LAD19NM");
}

#[test]
fn info_reprojects_british_national_grid() {
    let info = info_json(&fixture("bng_declared.geojson"));
    assert_eq!(info["features"], 2);
    assert_eq!(info["crs"], "EPSG:27700");
    assert_eq!(info["reprojected"], true);
    assert_eq!(info["code_field"], "WD13CD");
    let bbox: Vec<f64> = serde_json::from_value(info["bbox"].clone()).unwrap();
    // SP 06000 86000 is in central Birmingham.
    assert!(
        (bbox[0] - -1.91309).abs() < 1e-4 && (bbox[1] - 52.4719).abs() < 1e-4,
        "{bbox:?}"
    );
}

#[test]
fn info_reports_repairs_and_skips() {
    let info = info_json(&fixture("islands_with_hole.geojson"));
    assert_eq!(info["features"], 2);
    assert_eq!(info["code_field"], "area_code");
    assert_eq!(info["name_field"], "area_name");
    assert_eq!(
        info["problems"],
        serde_json::json!([
            "1 feature(s) had no geometry and were skipped",
            "1 unclosed ring(s) were closed",
            "1 ring(s) were wound the other way round and were turned to RFC 7946's order (outer rings anticlockwise)"
        ])
    );
}

#[test]
fn info_fails_with_one_line_naming_the_file() {
    let path = fixture("error_page.geojson");
    let output = footprints().arg("info").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "footprints: Not GeoJSON (it is an HTML web page, perhaps an error page saved instead of the download): {}",
            path.display()
        )
    );
    assert_eq!(stderr.trim_end().lines().count(), 1);

    let missing = fixture("no_such_file.geojson");
    let output = footprints().arg("info").arg(&missing).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("footprints: Could not read the file"),
        "{stderr}"
    );
    assert!(stderr.trim_end().ends_with(&missing.display().to_string()));

    let output = footprints().arg("info").arg(fixture("")).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("This is a folder, not a file"));
}

#[test]
fn a_one_gigabyte_file_gets_a_clear_message_without_being_read_into_memory() {
    // A sparse 1 GB file: zero bytes, as a truncated or corrupt download might be.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.geojson");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(1 << 30).unwrap();
    drop(file);
    let started = std::time::Instant::now();
    assert_eq!(
        failure(footprints().arg("info").arg(&path)),
        format!(
            "footprints: Not GeoJSON (it is binary data (it begins with zero bytes), not text): {}",
            path.display()
        )
    );
    // Judged from its first bytes: far quicker than reading a gigabyte.
    assert!(started.elapsed().as_secs() < 20);
}

#[test]
fn bench_reports_load_stages_and_frame_times_with_json_last() {
    let path = common::shared_data("boundaries/lad2019_england_derived_317.geojson");
    let output = footprints()
        .args(["bench", "--frames-per-leg", "2"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("Loaded 317 areas"), "{stdout}");
    let last = stdout.trim_end().lines().last().unwrap();
    let json: serde_json::Value = serde_json::from_str(last).unwrap();
    assert_eq!(json["features"], 317);
    assert_eq!(
        json["frames"], 13,
        "six legs of two frames, and the last view"
    );
    for key in [
        "load_ms",
        "parse_ms",
        "frame_p50_ms",
        "frame_p95_ms",
        "peak_rss_mb",
    ] {
        assert!(json[key].as_f64().is_some_and(|v| v > 0.0), "{key}: {last}");
    }
    assert!(json["frame_p50_ms"].as_f64() <= json["frame_p95_ms"].as_f64());
    assert!(!json["levels"].as_array().unwrap().is_empty());
}

/// `footprints-cli` (the Windows terminal's command line) answers exactly as `footprints` does,
/// with its exit code, its standard error, and a file argument relative to where it was run.
#[test]
fn the_cli_launcher_answers_as_footprints_does() {
    let launcher = || std::process::Command::new(env!("CARGO_BIN_EXE_footprints-cli"));
    let queries = ["which", "B15 2TT", "SP 06 86", "52.48, -1.89"];
    let direct = common::success(footprints().args(queries));
    let launched = common::success(launcher().args(queries));
    assert_eq!(
        String::from_utf8_lossy(&launched.stdout),
        String::from_utf8_lossy(&direct.stdout)
    );
    assert!(String::from_utf8_lossy(&launched.stdout).contains("Birmingham and Solihull"));

    let info = common::success(launcher().current_dir(fixture("")).args([
        "info",
        "--json",
        "flat_and_square.geojson",
    ]));
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(info["features"], 2);

    let refused = launcher()
        .args(["which", "--no-such-option"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--no-such-option"));
}
