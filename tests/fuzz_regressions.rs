//! Every input the fuzzers kept (their corpus) and every crash they found, replayed through the
//! boundary loader and the search box's parser: each loads or is refused with a message naming
//! the file, and none panics.

use std::path::{Path, PathBuf};

use footprints::load::{Progress, load_bytes};
use footprints::model::LayerSource;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_loader_answers_every_fuzz_input() {
    let mut inputs = files(&root().join("fuzz/corpus/load_geojson"));
    let crashes = files(&root().join("tests/fixtures/fuzz"));
    assert!(!crashes.is_empty(), "the crash cases are kept");
    inputs.extend(crashes);
    assert!(
        inputs.len() > 100,
        "the corpus is kept ({} files)",
        inputs.len()
    );
    for path in inputs {
        let bytes = std::fs::read(&path).unwrap();
        let source = LayerSource::File(PathBuf::from("fuzz.geojson"));
        match load_bytes(&bytes, source, "fuzz".into(), &Progress::default()) {
            Ok(layer) => assert!(!layer.footprints.is_empty(), "{}", path.display()),
            Err(e) => assert!(
                e.to_string().ends_with(": fuzz.geojson"),
                "{}: {e}",
                path.display()
            ),
        }
    }
}

#[test]
fn the_search_parser_answers_every_fuzz_input() {
    let inputs = files(&root().join("fuzz/corpus/search_query"));
    assert!(!inputs.is_empty());
    for path in inputs {
        let bytes = std::fs::read(&path).unwrap();
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = footprints::search::query::parse(text);
            let _ = footprints::search::query::normalise_postcode(text);
        }
    }
}
