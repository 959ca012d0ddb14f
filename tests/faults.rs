//! Faults outside the program: a full disk, an unwritable folder, tile servers that fail. Each
//! gets a clear message and leaves no partial file.

use crate::common;

use std::path::Path;
use std::process::Command;

use crate::common::{failure, footprints};

/// Files in `dir` (temporary files included).
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `footprints ARGS` with files limited to 64 KB, as on a disk that fills up part-way.
fn with_small_disk(args: &[&str]) -> Command {
    let mut command = Command::new("sh");
    command
        .args(["-c", "ulimit -f 64; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_footprints"))
        .args(args);
    command
}

#[test]
fn a_batch_output_that_does_not_fit_is_an_error_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("sites.csv");
    let mut text = String::from("site,lat,lon\n");
    for i in 0..20_000 {
        text.push_str(&format!("site {i},52.48,-1.89\n"));
    }
    std::fs::write(&input, &text).unwrap();
    let out = dir.path().join("assigned.csv");
    assert_eq!(
        failure(&mut with_small_disk(&[
            "which",
            "--csv",
            &input.display().to_string(),
            "--out",
            &out.display().to_string(),
        ])),
        format!(
            "footprints: Could not write the output file (File too large (os error 27)): {}",
            out.display()
        )
    );
    assert_eq!(files_in(dir.path()), ["sites.csv"], "no partial output");
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        text,
        "input untouched"
    );
}

#[test]
fn an_export_that_does_not_fit_is_an_error_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.png");
    assert_eq!(
        failure(&mut with_small_disk(&[
            "export",
            "--out",
            &out.display().to_string(),
            "--width",
            "1600",
            "--height",
            "1200",
        ])),
        format!(
            "footprints: Could not write the export (File too large (os error 27)): {}",
            out.display()
        )
    );
    assert!(files_in(dir.path()).is_empty(), "no partial export");
}

#[test]
fn outputs_into_a_folder_that_cannot_exist_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain.txt");
    std::fs::write(&file, "x").unwrap();
    let out = file.join("map.svg");
    assert_eq!(
        failure(footprints().args(["export", "--out"]).arg(&out)),
        format!(
            "footprints: Could not write the export (Not a directory (os error 20)): {}",
            out.display()
        )
    );
    let out = file.join("assigned.csv");
    assert_eq!(
        failure(
            footprints()
                .args(["which", "--csv"])
                .arg(common::fixture("sites.csv"))
                .arg("--out")
                .arg(&out)
        ),
        format!(
            "footprints: Could not create the output file (Not a directory (os error 20)): {}",
            out.display()
        )
    );
}
