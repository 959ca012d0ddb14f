//! Small geometry helpers shared by the domain modules: rectangles, Web Mercator, areas.

use geo::{Coord, Rect};

/// Squared distance from `p` to the segment `a`–`b`.
pub fn segment_distance_sq(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let length_sq = dx * dx + dy * dy;
    let t = if length_sq > 0.0 {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / length_sq).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (ex, ey) = (a.x + t * dx - p.x, a.y + t * dy - p.y);
    ex * ex + ey * ey
}

/// The smallest rectangle holding both.
pub fn union_rect(a: Rect<f64>, b: Rect<f64>) -> Rect<f64> {
    Rect::new(
        Coord {
            x: a.min().x.min(b.min().x),
            y: a.min().y.min(b.min().y),
        },
        Coord {
            x: a.max().x.max(b.max().x),
            y: a.max().y.max(b.max().y),
        },
    )
}

/// Web Mercator "world" coordinates: x and y in 0..1 across the whole world, y growing south,
/// matching slippy-map tiles (world pixels at zoom z are these times 256·2^z).
/// Geodesic area (Karney, WGS 84) of a multipolygon in km²: each ring measured on its own as
/// the smaller of the two regions it bounds, so a sliver hole of a few square metres, whose
/// winding the ellipsoid cannot tell, never counts as the rest of the Earth.
pub fn geodesic_km2(geometry: &geo::MultiPolygon<f64>) -> f64 {
    use geo::GeodesicArea;
    const EARTH_M2: f64 = 510_065_621_724_088.4;
    let ring_m2 = |ring: &geo::LineString<f64>| {
        let area = geo::Polygon::new(ring.clone(), Vec::new()).geodesic_area_unsigned();
        area.min(EARTH_M2 - area).max(0.0)
    };
    let m2: f64 = geometry
        .0
        .iter()
        .map(|p| ring_m2(p.exterior()) - p.interiors().iter().map(ring_m2).sum::<f64>())
        .sum();
    m2 / 1e6
}

pub fn lon_lat_to_world(lon: f64, lat: f64) -> Coord<f64> {
    let lat = lat.clamp(-85.05112878, 85.05112878).to_radians();
    Coord {
        x: (lon + 180.0) / 360.0,
        y: (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0,
    }
}

/// Pixels across the whole world at slippy-map `zoom` (256 · 2^zoom): screen pixels from
/// [`lon_lat_to_world`] coordinates, `pixels_from_world = world_pixels(zoom)`.
pub fn world_pixels(zoom: f64) -> f64 {
    TILE_PIXELS * 2f64.powf(zoom)
}

/// The zoom at which the whole world is `pixels` wide: the inverse of [`world_pixels`].
pub fn zoom_for_world_pixels(pixels: f64) -> f64 {
    (pixels / TILE_PIXELS).log2()
}

/// Pixels across a slippy-map tile.
const TILE_PIXELS: f64 = 256.0;

/// Inverse of [`lon_lat_to_world`].
pub fn world_to_lon_lat(world: Coord<f64>) -> Coord<f64> {
    let lon = world.x * 360.0 - 180.0;
    let n = std::f64::consts::PI * (1.0 - 2.0 * world.y);
    let lat = n.sinh().atan().to_degrees();
    Coord { x: lon, y: lat }
}

/// The slippy-map zoom and centre that fit `bbox` (lon/lat) into a view of `width`×`height`
/// pixels with `margin` pixels spare on each side. Tiles are 256 pixels.
pub fn fit_bounds(bbox: Rect<f64>, width: f64, height: f64, margin: f64) -> (Coord<f64>, f64) {
    let a = lon_lat_to_world(bbox.min().x, bbox.max().y);
    let b = lon_lat_to_world(bbox.max().x, bbox.min().y);
    let world_w = (b.x - a.x).abs().max(1e-9);
    let world_h = (b.y - a.y).abs().max(1e-9);
    let usable_w = (width - 2.0 * margin).max(16.0);
    let usable_h = (height - 2.0 * margin).max(16.0);
    let zoom_w = zoom_for_world_pixels(usable_w / world_w);
    let zoom_h = zoom_for_world_pixels(usable_h / world_h);
    let zoom = zoom_w.min(zoom_h).clamp(0.0, 19.0);
    let centre = world_to_lon_lat(Coord {
        x: (a.x + b.x) / 2.0,
        y: (a.y + b.y) / 2.0,
    });
    (centre, zoom)
}

/// Metres on the ground per screen pixel at `lat` and slippy-map `zoom`.
pub fn metres_per_pixel(lat: f64, zoom: f64) -> f64 {
    const EARTH_CIRCUMFERENCE_M: f64 = 40_075_016.686;
    EARTH_CIRCUMFERENCE_M * lat.to_radians().cos() / world_pixels(zoom)
}

/// A "nice" scale-bar length (1, 2 or 5 × 10^n metres) no longer than `max_metres`.
pub fn nice_distance(max_metres: f64) -> f64 {
    if max_metres <= 0.0 || !max_metres.is_finite() {
        return 0.0;
    }
    let power = 10f64.powf(max_metres.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * power)
        .find(|d| *d <= max_metres)
        .unwrap_or(power)
}

/// "1,180,567": a whole number with thousands separators.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// "+104,318" or "−8,941": a change with its sign and thousands separators (0 as "+0").
pub fn signed_thousands(n: i64) -> String {
    let sign = if n >= 0 { "+" } else { "−" };
    format!("{sign}{}", thousands(n.unsigned_abs()))
}

/// "12.3%" for a share of 0..1; "not known" when there is none.
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "not known".into(), |s| format!("{:.1}%", s * 100.0))
}

/// "4,378.5": one decimal place with thousands separators.
pub fn one_decimal(value: f64) -> String {
    let tenths = (value.abs() * 10.0).round() as u64;
    let sign = if value < 0.0 && tenths > 0 { "-" } else { "" };
    format!("{sign}{}.{}", thousands(tenths / 10), tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_180_567), "1,180,567");
        assert_eq!(thousands(56_286_961), "56,286,961");
    }

    #[test]
    fn one_decimal_keeps_separators() {
        assert_eq!(one_decimal(4378.46), "4,378.5");
        assert_eq!(one_decimal(413.1), "413.1");
    }

    #[test]
    fn mercator_round_trip() {
        let w = lon_lat_to_world(-1.89, 52.48);
        let back = world_to_lon_lat(w);
        assert!((back.x - -1.89).abs() < 1e-9 && (back.y - 52.48).abs() < 1e-9);
    }

    #[test]
    fn fitting_england_into_a_window_gives_a_county_scale_zoom() {
        let england = Rect::new(Coord { x: -6.4, y: 49.9 }, Coord { x: 1.8, y: 55.8 });
        let (centre, zoom) = fit_bounds(england, 1000.0, 800.0, 20.0);
        assert!((5.5..7.0).contains(&zoom), "{zoom}");
        assert!((centre.x - -2.3).abs() < 0.01);
        // The box's top and bottom fit inside the height.
        let a = lon_lat_to_world(-6.4, 55.8);
        let b = lon_lat_to_world(1.8, 49.9);
        let px_h = (b.y - a.y) * world_pixels(zoom);
        assert!(px_h <= 760.0 + 1e-6, "{px_h}");
    }

    #[test]
    fn scale_bar_lengths_are_round() {
        assert_eq!(nice_distance(7_300.0), 5_000.0);
        assert_eq!(nice_distance(230.0), 200.0);
        assert_eq!(nice_distance(1.5), 1.0);
    }

    #[test]
    fn a_sliver_hole_does_not_count_as_the_rest_of_the_earth() {
        use geo::{LineString, MultiPolygon, Polygon};
        let outer = LineString::from(vec![
            (-1.4, 54.7),
            (-1.3, 54.7),
            (-1.3, 54.8),
            (-1.4, 54.8),
            (-1.4, 54.7),
        ]);
        // A real sliver from the LSOA 2021 data: three nearly collinear points, wound clockwise.
        let sliver = LineString::from(vec![
            (-1.360707, 54.785288),
            (-1.360369, 54.788607),
            (-1.360276, 54.789519),
            (-1.360707, 54.785288),
        ]);
        let whole = geodesic_km2(&MultiPolygon::new(vec![Polygon::new(
            outer.clone(),
            vec![],
        )]));
        let holed = geodesic_km2(&MultiPolygon::new(vec![Polygon::new(outer, vec![sliver])]));
        assert!((70.0..73.0).contains(&whole), "{whole}");
        assert!(holed > 0.0 && whole - holed < 0.001, "{whole} {holed}");
    }
}
