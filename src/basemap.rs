//! The offline background map: land, the four UK countries, lakes, rivers, coastline and
//! town names, read from the embedded Natural Earth, ONS and GeoNames files.

use geo::{BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};
use serde_json::Value;

use crate::embedded;
use crate::load::geojson::{self, RawFeature};
use crate::load::repair::{self, Repairs};

/// A named place for map labels.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub name: String,
    pub position: Coord<f64>,
    pub population: u64,
    /// GeoNames country code: ENG, SCT, WLS, NIR (IRL for Natural Earth's Irish towns).
    pub country: String,
}

impl Place {
    /// The lowest slippy-map zoom at which this place is labelled: cities first, villages last.
    pub fn min_zoom(&self) -> f64 {
        match self.population {
            p if p >= 1_000_000 => 5.0,
            p if p >= 250_000 => 6.0,
            p if p >= 100_000 => 7.0,
            p if p >= 40_000 => 8.0,
            p if p >= 15_000 => 9.0,
            p if p >= 5_000 => 10.0,
            p if p >= 1_000 => 11.0,
            _ => 12.0,
        }
    }
}

/// A side of a box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    West,
    East,
    South,
    North,
}

/// A stretch of a side of the basemap's box along which land was cut: `from` and `to` are
/// latitudes on the west and east sides, longitudes on the south and north.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CutEdge {
    pub side: Side,
    pub from: f64,
    pub to: f64,
}

/// How far (degrees) land fades into the sea before a side of the box the basemap was cut to:
/// short of Norfolk (1.76° E) from the east side at 3° E, and of Cornwall and the Isle of Wight
/// from the south side at 49° N.
pub const CUT_FADE_DEGREES: f64 = 1.0;
/// How far (degrees) a fade starts outside the side, so the land's anti-aliased edge is covered.
pub const CUT_FADE_OUTSIDE: f64 = 0.2;
/// How far (degrees) a fade reaches past the cut at either end, along the side.
const CUT_FADE_PAST: f64 = 0.3;

impl CutEdge {
    /// A point of the fade band: `inward` degrees in from the side (negative: outside it), at
    /// `along` (0 to 1) of the stretch, which reaches a little past the cut at either end.
    pub fn fade_point(&self, extent: Rect<f64>, inward: f64, along: f64) -> Coord<f64> {
        let t = self.from - CUT_FADE_PAST + (self.to - self.from + 2.0 * CUT_FADE_PAST) * along;
        let (min, max) = (extent.min(), extent.max());
        match self.side {
            Side::East => Coord {
                x: max.x - inward,
                y: t,
            },
            Side::West => Coord {
                x: min.x + inward,
                y: t,
            },
            Side::South => Coord {
                x: t,
                y: min.y + inward,
            },
            Side::North => Coord {
                x: t,
                y: max.y - inward,
            },
        }
    }

    /// The band between `from` and `to` degrees inward, as a polygon.
    pub fn fade_strip(&self, extent: Rect<f64>, from: f64, to: f64) -> Polygon<f64> {
        let corners = [(from, 0.0), (from, 1.0), (to, 1.0), (to, 0.0), (from, 0.0)];
        Polygon::new(
            corners
                .iter()
                .map(|&(inward, along)| self.fade_point(extent, inward, along))
                .collect(),
            vec![],
        )
    }
}

/// Everything the basemap draws, in lon/lat.
#[derive(Clone, Debug, Default)]
pub struct Basemap {
    pub land: Vec<MultiPolygon<f64>>,
    /// England, Wales, Scotland and Northern Ireland: (name, shape).
    pub countries: Vec<(String, MultiPolygon<f64>)>,
    pub lakes: Vec<MultiPolygon<f64>>,
    pub rivers: Vec<LineString<f64>>,
    pub coastline: Vec<LineString<f64>>,
    pub borders: Vec<LineString<f64>>,
    /// Most populous first.
    pub places: Vec<Place>,
}

fn features(bytes: Option<&[u8]>) -> Vec<RawFeature> {
    bytes
        .and_then(|b| geojson::parse(b).ok())
        .map(|d| d.features)
        .unwrap_or_default()
}

fn polygons(bytes: Option<&[u8]>) -> Vec<(serde_json::Map<String, Value>, MultiPolygon<f64>)> {
    let mut repairs = Repairs::default();
    features(bytes)
        .into_iter()
        .filter_map(|f| {
            let shapes = f.shapes?;
            let mp = repair::build_multipolygon(shapes.polygons, &mut repairs);
            (!mp.0.is_empty()).then_some((f.properties, mp))
        })
        .collect()
}

fn lines(bytes: Option<&[u8]>) -> Vec<LineString<f64>> {
    features(bytes)
        .into_iter()
        .filter_map(|f| f.shapes)
        .flat_map(|s| s.lines)
        .filter(|l| l.len() >= 2)
        .map(LineString::new)
        .collect()
}

/// Parses the GeoNames CSV: geonameid,name,lat,lon,gb_country,population.
pub fn parse_places_csv(text: &str) -> Vec<Place> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = split_csv_line(line);
            let name = fields.get(1)?.trim().to_string();
            let lat: f64 = fields.get(2)?.trim().parse().ok()?;
            let lon: f64 = fields.get(3)?.trim().parse().ok()?;
            let population: u64 = fields
                .get(5)
                .and_then(|p| p.trim().parse().ok())
                .unwrap_or(0);
            let country = fields
                .get(4)
                .map(|c| c.trim().to_string())
                .unwrap_or_default();
            (!name.is_empty()).then_some(Place {
                name,
                position: Coord { x: lon, y: lat },
                population,
                country,
            })
        })
        .collect()
}

/// Splits one CSV line, honouring double quotes (no embedded newlines).
fn split_csv_line(line: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, ch) in line.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                fields.push(line[start..i].trim_matches('"'));
                start = i + 1;
            }
            _ => {}
        }
    }
    fields.push(line[start..].trim_matches('"'));
    fields
}

impl Basemap {
    /// The basemap built into the binary (empty if built without data).
    pub fn embedded() -> Self {
        let mut land: Vec<MultiPolygon<f64>> = polygons(embedded::LAND.get())
            .into_iter()
            .map(|(_, g)| g)
            .collect();
        land.extend(
            polygons(embedded::MINOR_ISLANDS.get())
                .into_iter()
                .map(|(_, g)| g),
        );
        let countries = polygons(embedded::COUNTRIES.get())
            .into_iter()
            .map(|(props, g)| {
                let name = props
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                (name, g)
            })
            .collect();
        let mut lakes: Vec<MultiPolygon<f64>> = polygons(embedded::LAKES.get())
            .into_iter()
            .map(|(_, g)| g)
            .collect();
        lakes.extend(
            polygons(embedded::LAKES_EUROPE.get())
                .into_iter()
                .map(|(_, g)| g),
        );
        let mut rivers = lines(embedded::RIVERS.get());
        rivers.extend(lines(embedded::RIVERS_EUROPE.get()));

        let mut places = embedded::GB_PLACES
            .get()
            .map(|b| parse_places_csv(&String::from_utf8_lossy(b)))
            .unwrap_or_default();
        // Natural Earth adds the towns of Ireland, which GeoNames' GB list lacks.
        for f in features(embedded::POPULATED_PLACES.get()) {
            let in_ireland =
                f.properties.get("ADM0NAME").and_then(Value::as_str) == Some("Ireland");
            let (Some(name), Some(point)) = (
                f.properties.get("NAME").and_then(Value::as_str),
                f.shapes.as_ref().and_then(|s| s.points.first()),
            ) else {
                continue;
            };
            if in_ireland {
                places.push(Place {
                    name: name.to_string(),
                    position: *point,
                    population: f
                        .properties
                        .get("POP_MAX")
                        .and_then(Value::as_u64)
                        .unwrap_or(0),
                    country: "IRL".to_string(),
                });
            }
        }
        places.sort_by_key(|p| std::cmp::Reverse(p.population));

        Self {
            land,
            countries,
            lakes,
            rivers,
            coastline: lines(embedded::COASTLINE.get()),
            borders: lines(embedded::BORDERS.get()),
            places,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.land.is_empty() && self.countries.is_empty()
    }

    /// The box the Natural Earth extract was cut to, and where along its sides land was cut
    /// (France ends there in a straight line, which the map fades out rather than shows as a
    /// coast). `None` without land.
    pub fn cut_edges(&self) -> Option<(Rect<f64>, Vec<CutEdge>)> {
        let extent = self
            .land
            .iter()
            .filter_map(|mp| mp.bounding_rect())
            .reduce(crate::geo_util::union_rect)?;
        // Where a point lies along a side (its longitude or latitude), if it is on it.
        let along = |side: Side, c: Coord<f64>| match side {
            Side::West => (c.x == extent.min().x).then_some(c.y),
            Side::East => (c.x == extent.max().x).then_some(c.y),
            Side::South => (c.y == extent.min().y).then_some(c.x),
            Side::North => (c.y == extent.max().y).then_some(c.x),
        };
        let mut edges = Vec::new();
        for side in [Side::West, Side::East, Side::South, Side::North] {
            // Segments running along the side for more than a few hundred metres.
            let mut spans: Vec<(f64, f64)> = self
                .land
                .iter()
                .flat_map(|mp| mp.0.iter())
                .flat_map(|p| p.exterior().lines())
                .filter_map(|l| {
                    let (a, b) = (along(side, l.start)?, along(side, l.end)?);
                    ((a - b).abs() > 0.005).then_some((a.min(b), a.max(b)))
                })
                .collect();
            spans.sort_by(|a, b| a.0.total_cmp(&b.0));
            // Joined where they touch: one edge per stretch of cut land.
            for (from, to) in spans {
                match edges.last_mut() {
                    Some(CutEdge {
                        side: s, to: end, ..
                    }) if *s == side && from <= *end => {
                        *end = end.max(to);
                    }
                    _ => edges.push(CutEdge { side, from, to }),
                }
            }
        }
        Some((extent, edges))
    }

    /// Every polygon drawn as land (Natural Earth land and the sharper UK countries).
    pub fn land_polygons(&self) -> impl Iterator<Item = &Polygon<f64>> {
        self.land
            .iter()
            .chain(self.countries.iter().map(|(_, g)| g))
            .flat_map(|mp| mp.0.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_where_land_was_cut_are_found() {
        // An island touching the west side at one point, and a coast cut along east and south.
        let island = Polygon::new(
            LineString::from(vec![
                (-10.0, 52.0),
                (-9.0, 51.0),
                (-9.0, 53.0),
                (-10.0, 52.0),
            ]),
            vec![],
        );
        let continent = Polygon::new(
            LineString::from(vec![
                (1.0, 49.0),
                (3.0, 49.0),
                (3.0, 51.0),
                (2.0, 50.5),
                (1.0, 49.0),
            ]),
            vec![],
        );
        let basemap = Basemap {
            land: vec![MultiPolygon(vec![island, continent])],
            ..Basemap::default()
        };
        let (extent, edges) = basemap.cut_edges().unwrap();
        assert_eq!((extent.min().x, extent.max().y), (-10.0, 53.0));
        assert_eq!(
            edges,
            vec![
                CutEdge {
                    side: Side::East,
                    from: 49.0,
                    to: 51.0
                },
                CutEdge {
                    side: Side::South,
                    from: 1.0,
                    to: 3.0
                },
            ]
        );
        assert_eq!(Basemap::default().cut_edges(), None);
    }

    #[test]
    fn places_csv_is_read_with_populations() {
        let places = parse_places_csv(
            "geonameid,name,lat,lon,gb_country,population\n2643743,London,51.50853,-0.12574,ENG,8961989\n1,\"Newport, Wales\",51.58,-2.99,WLS,\n",
        );
        assert_eq!(places.len(), 2);
        assert_eq!(places[0].name, "London");
        assert_eq!(places[0].population, 8_961_989);
        assert_eq!(places[1].name, "Newport, Wales");
        assert_eq!(places[1].population, 0);
        assert!(places[0].min_zoom() < places[1].min_zoom());
    }

    #[test]
    fn embedded_basemap_has_the_four_countries_and_towns() {
        let basemap = Basemap::embedded();
        assert!(
            crate::embedded::COUNTRIES.is_some(),
            "tests need the data folder: {}",
            crate::embedded::DATA_DIR
        );
        let names: Vec<&str> = basemap.countries.iter().map(|(n, _)| n.as_str()).collect();
        for country in ["England", "Wales", "Scotland", "Northern Ireland"] {
            assert!(names.contains(&country), "{country} missing from {names:?}");
        }
        assert_eq!(basemap.places[0].name, "London");
        assert!(basemap.places.len() > 5_000);
        assert!(!basemap.coastline.is_empty() && !basemap.rivers.is_empty());
    }
}
