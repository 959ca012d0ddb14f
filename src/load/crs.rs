//! Coordinate systems: detecting British National Grid input and converting it with OSTN15.

use geo::Coord;

use crate::model::Crs;

/// What the coordinates of a file say about its coordinate system.
#[derive(Debug, Clone, PartialEq)]
pub enum Detected {
    Crs(Crs),
    /// A declared CRS this app cannot convert (its name as given).
    Unsupported(String),
    /// Coordinates that are neither degrees nor GB metres.
    Unrecognised {
        min: Coord<f64>,
        max: Coord<f64>,
    },
}

/// Extent of the British National Grid, in metres, with a margin for offshore islands.
const BNG_MIN: Coord<f64> = Coord {
    x: -10_000.0,
    y: -10_000.0,
};
const BNG_MAX: Coord<f64> = Coord {
    x: 760_000.0,
    y: 1_300_000.0,
};

/// Decides the coordinate system from the declared `crs` member (if any) and the coordinates.
pub fn detect<'a>(
    declared: Option<&str>,
    positions: impl Iterator<Item = &'a Coord<f64>>,
) -> Detected {
    if let Some(name) = declared {
        let upper = name.to_ascii_uppercase();
        let code = upper
            .rsplit([':', '/'])
            .find(|part| !part.is_empty())
            .unwrap_or("");
        if code == "27700" {
            return Detected::Crs(Crs::BritishNationalGrid { declared: true });
        }
        if code == "4326" || code == "CRS84" || code == "4258" {
            return Detected::Crs(Crs::Wgs84);
        }
        return Detected::Unsupported(name.to_string());
    }
    let mut min = Coord {
        x: f64::INFINITY,
        y: f64::INFINITY,
    };
    let mut max = Coord {
        x: f64::NEG_INFINITY,
        y: f64::NEG_INFINITY,
    };
    let (mut total, mut degrees, mut grid, mut metres) = (0usize, 0usize, 0usize, false);
    for c in positions.filter(|c| c.x.is_finite() && c.y.is_finite()) {
        total += 1;
        min.x = min.x.min(c.x);
        min.y = min.y.min(c.y);
        max.x = max.x.max(c.x);
        max.y = max.y.max(c.y);
        if (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y) {
            degrees += 1;
        }
        if (BNG_MIN.x..=BNG_MAX.x).contains(&c.x) && (BNG_MIN.y..=BNG_MAX.y).contains(&c.y) {
            grid += 1;
            metres |= c.x > 1_000.0 || c.y > 1_000.0;
        }
    }
    if total == 0 || degrees == total {
        return Detected::Crs(Crs::Wgs84);
    }
    // All, or all but a stray few (dropped later as out of range), in one system: at most 1%,
    // or two in a small file, and never more than a tenth.
    let most = |n: usize| total - n <= (total / 100).max(2) && n * 10 >= total * 9;
    if metres && (grid == total || (most(grid) && !most(degrees))) {
        return Detected::Crs(Crs::BritishNationalGrid { declared: false });
    }
    if most(degrees) {
        return Detected::Crs(Crs::Wgs84);
    }
    Detected::Unrecognised { min, max }
}

/// Whether longitude/latitude positions are the wrong way round: all but a stray few would be
/// in Great Britain and Ireland as (latitude, longitude), and none are as (longitude, latitude).
pub fn looks_swapped<'a>(positions: impl Iterator<Item = &'a Coord<f64>>) -> bool {
    let (mut total, mut swapped) = (0usize, 0usize);
    for c in positions.filter(|c| c.x.is_finite() && c.y.is_finite()) {
        total += 1;
        if (49.0..=61.5).contains(&c.x) && (-11.0..=2.5).contains(&c.y) {
            swapped += 1;
        }
    }
    total > 0 && swapped * 100 >= total * 99
}

/// British National Grid easting/northing (OSGB36, metres) to WGS84 longitude/latitude,
/// through ETRS89 with the OSTN15 grid (accurate to about 0.1 m in Great Britain).
pub fn bng_to_wgs84(easting: f64, northing: f64) -> Option<Coord<f64>> {
    super::ostn15::lon_lat_from_osgb36(easting, northing).map(|(lon, lat)| Coord { x: lon, y: lat })
}

/// WGS84 longitude/latitude to British National Grid easting/northing with OSTN15.
pub fn wgs84_to_bng(lon: f64, lat: f64) -> Option<Coord<f64>> {
    super::ostn15::osgb36_from_lon_lat(lon, lat).map(|(x, y)| Coord { x, y })
}

/// Reprojects every position in place; returns how many could not be converted (left as NaN).
pub fn reproject_bng<'a>(positions: impl Iterator<Item = &'a mut Coord<f64>>) -> usize {
    let mut failed = 0;
    for position in positions {
        // Only positions on the grid (with a margin) are converted; the rest fail as NaN.
        let on_grid = (BNG_MIN.x..=BNG_MAX.x).contains(&position.x)
            && (BNG_MIN.y..=BNG_MAX.y).contains(&position.y);
        let converted = on_grid
            .then(|| bng_to_wgs84(position.x, position.y))
            .flatten();
        match converted {
            Some(converted) => *position = converted,
            None => {
                failed += 1;
                *position = Coord {
                    x: f64::NAN,
                    y: f64::NAN,
                };
            }
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ordnance Survey's OSTN15 test points (OSTN15_OSGM15_TestInput_OSGBtoETRS.csv and the
    /// published ETRS89 results): OSGB36 easting, northing → ETRS89 latitude, longitude.
    const OS_TEST_POINTS: &[(&str, f64, f64, f64, f64)] = &[
        ("TP01", 91492.146, 11318.804, 49.92226394, -6.29977752),
        ("TP02", 170370.718, 11572.405, 49.96006138, -5.2030461),
        ("TP03", 250359.811, 62016.569, 50.43885826, -4.10864564),
        ("TP04", 449816.371, 75335.861, 50.57563665, -1.29782277),
        ("TP05", 438710.92, 114792.25, 50.93127938, -1.45051434),
        ("TP06", 292184.87, 168003.465, 51.4007822, -3.55128349),
        ("TP07", 639821.835, 169565.858, 51.37447026, 1.4445473),
        ("TP08", 362269.991, 169978.69, 51.42754743, -2.54407618),
        ("TP09", 530624.974, 178388.464, 51.48936565, -0.11992557),
        ("TP10", 241124.584, 220332.641, 51.85890896, -4.30852477),
        ("TP11", 599445.59, 225722.826, 51.89436637, 0.89724327),
        ("TP20", 422242.186, 433818.701, 53.8002152, -1.66379168),
        ("TP22", 525745.67, 470703.214, 54.11685144, -0.07773133),
        ("TP25", 424639.355, 565012.703, 54.97912274, -1.61657685),
        ("TP29", 397160.491, 805349.736, 57.13902519, -2.04856031),
        ("TP39", 440725.073, 1107878.448, 59.85409914, -1.2748691),
    ];

    /// Metres per degree of latitude, near enough for a tolerance.
    const M_PER_DEG: f64 = 111_200.0;

    #[test]
    fn bng_to_wgs84_matches_ordnance_survey_test_points_to_two_millimetres() {
        for &(id, e, n, lat, lon) in OS_TEST_POINTS {
            let c = bng_to_wgs84(e, n).unwrap_or_else(|| panic!("{id} did not convert"));
            let dy = (c.y - lat) * M_PER_DEG;
            let dx = (c.x - lon) * M_PER_DEG * lat.to_radians().cos();
            let error = (dx * dx + dy * dy).sqrt();
            assert!(error < 0.002, "{id}: {error:.4} m off");
        }
    }

    #[test]
    fn wgs84_to_bng_matches_ordnance_survey_test_points_to_two_millimetres() {
        for &(id, e, n, lat, lon) in OS_TEST_POINTS {
            let c = wgs84_to_bng(lon, lat).unwrap_or_else(|| panic!("{id} did not convert"));
            let error = ((c.x - e).powi(2) + (c.y - n).powi(2)).sqrt();
            assert!(error < 0.002, "{id}: {error:.4} m off");
        }
    }

    #[test]
    fn positions_far_off_the_grid_fail_without_overflowing() {
        // Found by fuzzing: a declared British National Grid file with a huge easting.
        let mut positions = [
            Coord {
                x: 4e12,
                y: 286000.0,
            },
            Coord {
                x: 406000.0,
                y: -3e15,
            },
            Coord {
                x: 406000.0,
                y: 286000.0,
            },
        ];
        assert_eq!(reproject_bng(positions.iter_mut()), 2);
        assert!(positions[0].x.is_nan() && positions[1].x.is_nan());
        assert!((positions[2].x - -1.91309).abs() < 1e-4);
    }

    #[test]
    fn detects_declared_and_undeclared_grid_metres() {
        let metres = [Coord {
            x: 406_000.0,
            y: 286_000.0,
        }];
        assert_eq!(
            detect(None, metres.iter()),
            Detected::Crs(Crs::BritishNationalGrid { declared: false })
        );
        assert_eq!(
            detect(Some("urn:ogc:def:crs:EPSG::27700"), metres.iter()),
            Detected::Crs(Crs::BritishNationalGrid { declared: true })
        );
        let degrees = [Coord { x: -1.9, y: 52.5 }];
        assert_eq!(detect(None, degrees.iter()), Detected::Crs(Crs::Wgs84));
        assert_eq!(
            detect(Some("urn:ogc:def:crs:OGC:1.3:CRS84"), degrees.iter()),
            Detected::Crs(Crs::Wgs84)
        );
        assert!(matches!(
            detect(Some("EPSG:2154"), degrees.iter()),
            Detected::Unsupported(_)
        ));
        let nonsense = [Coord { x: 5e7, y: 5e7 }];
        assert!(matches!(
            detect(None, nonsense.iter()),
            Detected::Unrecognised { .. }
        ));
    }
}
