//! OSTN15 on the whole real data: every LSOA 2021 population-weighted centroid (given by ONS
//! in British National Grid metres) converts to a longitude/latitude in England and back to
//! the same grid position within a millimetre. (The accuracy against Ordnance Survey's own
//! test points is checked beside the code, in `load::crs`.)

use footprints::load::crs::{bng_to_wgs84, wgs84_to_bng};

#[test]
fn every_lsoa_centroid_round_trips_through_wgs84_within_a_millimetre() {
    let path = std::path::Path::new(footprints::embedded::DATA_DIR)
        .join("lookups/lsoa21_population_weighted_centroids_ons_bng.csv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}: {}", path.display()));
    let mut checked = 0;
    let mut worst = 0.0f64;
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (Some(Ok(x)), Some(Ok(y))) = (
            fields.get(3).map(|f| f.parse::<f64>()),
            fields.get(4).map(|f| f.parse::<f64>()),
        ) else {
            panic!("not a centroid row: {line}");
        };
        let lon_lat = bng_to_wgs84(x, y).unwrap_or_else(|| panic!("{line}: did not convert"));
        assert!(
            (-6.5..2.0).contains(&lon_lat.x) && (49.8..55.9).contains(&lon_lat.y),
            "{line}: {lon_lat:?} is not in England"
        );
        let back = wgs84_to_bng(lon_lat.x, lon_lat.y)
            .unwrap_or_else(|| panic!("{line}: {lon_lat:?} did not convert back"));
        worst = worst.max((back.x - x).hypot(back.y - y));
        checked += 1;
    }
    assert_eq!(checked, 35_672, "every centroid in the file");
    assert!(worst < 0.001, "worst round trip {worst:.5} m");
}
