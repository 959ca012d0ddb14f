//! Any text typed into the search box: it is parsed into a query or refused, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = footprints::search::query::parse(text);
        let _ = footprints::search::query::normalise_postcode(text);
    }
});
