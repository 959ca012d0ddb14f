//! Any bytes given to the boundary loader: it must load them or refuse them with a message
//! naming the file, never panic or hang.
#![no_main]

use footprints::load::{Progress, load_bytes};
use footprints::model::LayerSource;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = LayerSource::File("fuzz.geojson".into());
    match load_bytes(data, source, "fuzz".into(), &Progress::default()) {
        Ok(layer) => {
            assert!(!layer.footprints.is_empty());
            for footprint in &layer.footprints {
                assert!(!footprint.code.is_empty() && !footprint.name.is_empty());
            }
        }
        Err(e) => assert!(e.to_string().ends_with(": fuzz.geojson"), "{e}"),
    }
});
