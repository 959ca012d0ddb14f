//! Ordnance Survey's OSTN15 transformation between ETRS89 (taken as WGS84) longitude/latitude
//! and British National Grid (OSGB36) eastings/northings, as in OS's "A guide to coordinate
//! systems in Great Britain": the National Grid's transverse Mercator projection on the GRS80
//! ellipsoid, then the OSTN15 shifts interpolated bilinearly from the kilometre grid.

use std::sync::OnceLock;

use super::ostn15_grid::{self as grid, COLUMNS, ROWS};

/// An ellipsoid's semi-major and semi-minor axes (metres).
#[derive(Debug, Clone, Copy)]
pub struct Ellipsoid {
    pub a: f64,
    pub b: f64,
}

/// GRS80, the ellipsoid of ETRS89 (and, to a metre, WGS84).
pub const GRS80: Ellipsoid = Ellipsoid {
    a: 6_378_137.0,
    b: 6_356_752.314_1,
};

/// Airy 1830, the ellipsoid of OSGB36 (used here only to check against OS's worked example).
pub const AIRY_1830: Ellipsoid = Ellipsoid {
    a: 6_377_563.396,
    b: 6_356_256.909,
};
/// National Grid: scale factor on the central meridian, true origin and its grid position.
const F0: f64 = 0.999_601_271_7;
const LAT0_DEGREES: f64 = 49.0;
const LON0_DEGREES: f64 = -2.0;
const E0: f64 = 400_000.0;
const N0: f64 = -100_000.0;
/// Kilometre grid spacing of OSTN15, in metres.
const SPACING: f64 = 1_000.0;

/// Every node's shifts (easting, northing, mm), decoded from the binary on first use; `None`
/// if the embedded grid is damaged (logged once).
fn shifts() -> Option<&'static grid::Shifts> {
    static GRID: OnceLock<Option<grid::Shifts>> = OnceLock::new();
    GRID.get_or_init(|| {
        let bytes = crate::embedded::OSTN15_GRID.read()?;
        grid::decode(&bytes)
            .inspect_err(|e| log::error!("{e}: embedded OSTN15 grid"))
            .ok()
    })
    .as_ref()
}

/// The OSTN15 shift (east, north, metres) at ETRS89 grid position `e`, `n`: `None` off the grid.
fn shift_at(e: f64, n: f64) -> Option<(f64, f64)> {
    let (column, row) = ((e / SPACING).floor(), (n / SPACING).floor());
    let inside =
        (0.0..(COLUMNS - 1) as f64).contains(&column) && (0.0..(ROWS - 1) as f64).contains(&row);
    if !inside {
        return None;
    }
    let nodes = shifts()?;
    let (t, u) = (e / SPACING - column, n / SPACING - row);
    let sw = column as usize + row as usize * COLUMNS;
    let corners = [sw, sw + 1, sw + COLUMNS + 1, sw + COLUMNS];
    let weights = [(1.0 - t) * (1.0 - u), t * (1.0 - u), t * u, (1.0 - t) * u];
    let mut shift = (0.0, 0.0);
    for (node, weight) in corners.into_iter().zip(weights) {
        let [se, sn] = nodes.get(node)?;
        shift.0 += weight * f64::from(se) / 1_000.0;
        shift.1 += weight * f64::from(sn) / 1_000.0;
    }
    Some(shift)
}

impl Ellipsoid {
    /// The constants the series use: n, e².
    fn n_e2(self) -> (f64, f64) {
        let Ellipsoid { a, b } = self;
        ((a - b) / (a + b), (a * a - b * b) / (a * a))
    }
}

/// Meridional arc from the true origin's latitude to `lat` (radians), scaled by F0.
fn meridional_arc(ellipsoid: Ellipsoid, lat: f64) -> f64 {
    let (n, _) = ellipsoid.n_e2();
    let lat0 = LAT0_DEGREES.to_radians();
    let (d, s) = (lat - lat0, lat + lat0);
    let (n2, n3) = (n * n, n * n * n);
    ellipsoid.b
        * F0
        * ((1.0 + n + 1.25 * n2 + 1.25 * n3) * d
            - (3.0 * n + 3.0 * n2 + 21.0 / 8.0 * n3) * d.sin() * s.cos()
            + (15.0 / 8.0 * n2 + 15.0 / 8.0 * n3) * (2.0 * d).sin() * (2.0 * s).cos()
            - 35.0 / 24.0 * n3 * (3.0 * d).sin() * (3.0 * s).cos())
}

/// Radii of curvature (ν, ρ) and η² at latitude `lat` (radians).
fn curvature(ellipsoid: Ellipsoid, lat: f64) -> (f64, f64, f64) {
    let (_, e2) = ellipsoid.n_e2();
    let k = 1.0 - e2 * lat.sin().powi(2);
    let nu = ellipsoid.a * F0 / k.sqrt();
    let rho = ellipsoid.a * F0 * (1.0 - e2) / k.powf(1.5);
    (nu, rho, nu / rho - 1.0)
}

/// Longitude/latitude (degrees) to easting/northing in the National Grid's projection on
/// `ellipsoid` (GRS80 for ETRS89 grid positions).
pub fn grid_from_lon_lat(ellipsoid: Ellipsoid, lon: f64, lat: f64) -> (f64, f64) {
    let (phi, dl) = (lat.to_radians(), (lon - LON0_DEGREES).to_radians());
    let (nu, rho, eta2) = curvature(ellipsoid, phi);
    let (sin, cos, tan2) = (phi.sin(), phi.cos(), phi.tan().powi(2));
    let i = meridional_arc(ellipsoid, phi) + N0;
    let ii = nu / 2.0 * sin * cos;
    let iii = nu / 24.0 * sin * cos.powi(3) * (5.0 - tan2 + 9.0 * eta2);
    let iii_a = nu / 720.0 * sin * cos.powi(5) * (61.0 - 58.0 * tan2 + tan2 * tan2);
    let iv = nu * cos;
    let v = nu / 6.0 * cos.powi(3) * (nu / rho - tan2);
    let vi = nu / 120.0
        * cos.powi(5)
        * (5.0 - 18.0 * tan2 + tan2 * tan2 + 14.0 * eta2 - 58.0 * tan2 * eta2);
    let northing = i + ii * dl.powi(2) + iii * dl.powi(4) + iii_a * dl.powi(6);
    let easting = E0 + iv * dl + v * dl.powi(3) + vi * dl.powi(5);
    (easting, northing)
}

/// Easting/northing in the National Grid's projection on `ellipsoid` back to
/// longitude/latitude (degrees).
pub fn lon_lat_from_grid(ellipsoid: Ellipsoid, easting: f64, northing: f64) -> (f64, f64) {
    let a_f0 = ellipsoid.a * F0;
    let mut phi = (northing - N0) / a_f0 + LAT0_DEGREES.to_radians();
    // The OS guide's iteration: to within 0.01 mm of the meridional arc.
    for _ in 0..100 {
        let gap = northing - N0 - meridional_arc(ellipsoid, phi);
        if gap.abs() < 1e-5 {
            break;
        }
        phi += gap / a_f0;
    }
    let (nu, rho, eta2) = curvature(ellipsoid, phi);
    let (tan, sec) = (phi.tan(), 1.0 / phi.cos());
    let (t2, t4) = (tan * tan, tan.powi(4));
    let vii = tan / (2.0 * rho * nu);
    let viii = tan / (24.0 * rho * nu.powi(3)) * (5.0 + 3.0 * t2 + eta2 - 9.0 * t2 * eta2);
    let ix = tan / (720.0 * rho * nu.powi(5)) * (61.0 + 90.0 * t2 + 45.0 * t4);
    let x = sec / nu;
    let xi = sec / (6.0 * nu.powi(3)) * (nu / rho + 2.0 * t2);
    let xii = sec / (120.0 * nu.powi(5)) * (5.0 + 28.0 * t2 + 24.0 * t4);
    let xii_a = sec / (5040.0 * nu.powi(7)) * (61.0 + 662.0 * t2 + 1320.0 * t4 + 720.0 * t4 * t2);
    let de = easting - E0;
    let lat = phi - vii * de.powi(2) + viii * de.powi(4) - ix * de.powi(6);
    let lon = LON0_DEGREES.to_radians() + x * de - xi * de.powi(3) + xii * de.powi(5)
        - xii_a * de.powi(7);
    (lon.to_degrees(), lat.to_degrees())
}

/// WGS84 longitude/latitude to OSGB36 easting/northing: `None` outside the OSTN15 grid.
pub fn osgb36_from_lon_lat(lon: f64, lat: f64) -> Option<(f64, f64)> {
    if !(lon.is_finite() && lat.is_finite()) {
        return None;
    }
    let (e, n) = grid_from_lon_lat(GRS80, lon, lat);
    let (se, sn) = shift_at(e, n)?;
    Some((e + se, n + sn))
}

/// OSGB36 easting/northing to WGS84 longitude/latitude, inverting the shifts by iteration as
/// OS describe (to 0.1 mm): `None` outside the OSTN15 grid.
pub fn lon_lat_from_osgb36(easting: f64, northing: f64) -> Option<(f64, f64)> {
    if !(easting.is_finite() && northing.is_finite()) {
        return None;
    }
    let (mut e, mut n) = (easting, northing);
    for _ in 0..20 {
        let (se, sn) = shift_at(e, n)?;
        let (next_e, next_n) = (easting - se, northing - sn);
        let converged = (next_e - e).abs() < 1e-4 && (next_n - n).abs() < 1e-4;
        (e, n) = (next_e, next_n);
        if converged {
            break;
        }
    }
    Some(lon_lat_from_grid(GRS80, e, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OS guide, Annex C: 52°39'27.2531"N 1°43'4.5177"E on Airy 1830 is E 651409.903,
    /// N 313177.270, and back.
    #[test]
    fn the_projection_matches_the_os_guides_worked_example() {
        let lat = 52.0 + 39.0 / 60.0 + 27.2531 / 3600.0;
        let lon = 1.0 + 43.0 / 60.0 + 4.5177 / 3600.0;
        let (e, n) = grid_from_lon_lat(AIRY_1830, lon, lat);
        assert!((e - 651_409.903).abs() < 0.001 && (n - 313_177.270).abs() < 0.001);
        let (back_lon, back_lat) = lon_lat_from_grid(AIRY_1830, 651_409.903, 313_177.270);
        // 1e-7° is about a centimetre.
        assert!((back_lon - lon).abs() < 1e-7 && (back_lat - lat).abs() < 1e-7);
    }

    #[test]
    fn the_shift_at_a_node_is_the_published_value() {
        // OSTN15 node 220065 (651 km E, 313 km N): shifts 102.787 m, -78.242 m.
        let (se, sn) = shift_at(651_000.0, 313_000.0).expect("on the grid");
        assert!((se - 102.787).abs() < 1e-9 && (sn + 78.242).abs() < 1e-9);
    }

    #[test]
    fn off_the_grid_is_none() {
        assert_eq!(osgb36_from_lon_lat(-30.0, 52.0), None);
        assert_eq!(lon_lat_from_osgb36(-5_000.0, 100_000.0), None);
        assert_eq!(lon_lat_from_osgb36(100_000.0, 1_300_000.0), None);
        assert_eq!(lon_lat_from_osgb36(f64::NAN, 1.0), None);
        assert_eq!(lon_lat_from_osgb36(4e12, 1.0), None);
    }
}
