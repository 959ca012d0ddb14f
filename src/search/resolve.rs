//! Turning a parsed query into a point, and a point into an answer: "B15 2TT is in Birmingham
//! and Solihull". Shared by the search box and `footprints which`.

use std::collections::HashMap;

use geo::Coord;

use crate::load::crs::bng_to_wgs84;
use crate::lookup::PointLocator;
use crate::model::Layer;
use crate::search::places::{Gazetteer, MatchKind};
use crate::search::postcodes::PostcodeIndex;
use crate::search::query::{Query, QueryError, parse};

/// Postcode sector or district centroids ("B15 2" or "B15" → position).
pub type Centroids = HashMap<String, Coord<f64>>;

/// Reads `name,lat,lon,...` centroid CSV (sectors or districts).
pub fn parse_centroids(text: &str) -> Centroids {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let mut f = line.split(',');
            let name = f.next()?.trim().to_ascii_uppercase();
            let lat: f64 = f.next()?.trim().parse().ok()?;
            let lon: f64 = f.next()?.trim().parse().ok()?;
            Some((name, Coord { x: lon, y: lat }))
        })
        .collect()
}

/// Everything a query can be looked up in.
#[derive(Default)]
pub struct Sources {
    pub places: Option<Gazetteer>,
    /// Every English unit postcode (loaded in the background in the app).
    pub postcodes: Option<PostcodeIndex>,
    pub sectors: Centroids,
    pub districts: Centroids,
}

/// Country names for the GeoNames codes.
pub fn country_name(code: &str) -> &str {
    match code {
        "ENG" => "England",
        "SCT" => "Scotland",
        "WLS" => "Wales",
        "NIR" => "Northern Ireland",
        "IRL" => "Ireland",
        other => other,
    }
}

/// A point found for a query.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// What was found, for sentences: "B15 2TT", "Newport (Wales)", "SP 06 86".
    pub label: String,
    pub point: Coord<f64>,
    /// For postcode sectors and districts: how many of their postcodes are in each footprint
    /// (footprint index or `None` for outside all), most first.
    pub split: Option<Vec<(Option<usize>, usize)>>,
    /// Extra words, e.g. "(the centre of a 1 km square)".
    pub note: Option<String>,
}

/// One of several places a name could mean.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub place: usize,
    pub label: String,
}

/// What a query resolved to.
#[derive(Clone, Debug, PartialEq)]
pub enum Resolution {
    Found(Found),
    /// Several places match; the user picks. The first is the best guess.
    Choices(Vec<Choice>),
    NotFound(String),
}

/// Resolves a query's text (see [`parse`]) against the sources.
pub fn resolve_text(
    text: &str,
    sources: &Sources,
    layer: Option<(&Layer, &PointLocator)>,
) -> Resolution {
    match parse(text) {
        Ok(query) => resolve(&query, sources, layer),
        Err(QueryError::Empty) => Resolution::NotFound(QueryError::Empty.to_string()),
        Err(e) => Resolution::NotFound(e.to_string()),
    }
}

fn split_of(
    codes: impl Iterator<Item = (String, Coord<f64>)>,
    layer: Option<(&Layer, &PointLocator)>,
) -> Option<Vec<(Option<usize>, usize)>> {
    let (_, locator) = layer?;
    let mut counts: HashMap<Option<usize>, usize> = HashMap::new();
    for (_, point) in codes {
        *counts.entry(locator.locate(point)).or_default() += 1;
    }
    if counts.is_empty() {
        return None;
    }
    let mut split: Vec<(Option<usize>, usize)> = counts.into_iter().collect();
    split.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Some(split)
}

/// Resolves a parsed query.
pub fn resolve(
    query: &Query,
    sources: &Sources,
    layer: Option<(&Layer, &PointLocator)>,
) -> Resolution {
    match query {
        Query::LatLon(c) => Resolution::Found(Found {
            label: format!("{:.5}, {:.5}", c.y, c.x),
            point: *c,
            split: None,
            note: None,
        }),
        Query::EastingNorthing { easting, northing } => match bng_to_wgs84(*easting, *northing) {
            Some(point) => Resolution::Found(Found {
                label: format!("{easting:.0}, {northing:.0}"),
                point,
                split: None,
                note: None,
            }),
            None => Resolution::NotFound(format!(
                "{easting:.0}, {northing:.0} is outside the area the OSTN15 transformation covers"
            )),
        },
        Query::GridRef {
            easting,
            northing,
            precision_m,
            text,
        } => match bng_to_wgs84(*easting, *northing) {
            Some(point) => Resolution::Found(Found {
                label: text.clone(),
                point,
                split: None,
                note: (*precision_m > 1.0).then(|| {
                    let size = if *precision_m >= 1000.0 {
                        format!("{} km", precision_m / 1000.0)
                    } else {
                        format!("{precision_m} m")
                    };
                    format!("the centre of a {size} square")
                }),
            }),
            None => Resolution::NotFound(format!(
                "{text} is outside the area the OSTN15 transformation covers"
            )),
        },
        Query::Postcode(code) => resolve_postcode(code, sources),
        Query::Sector(area) => {
            resolve_area(area, "postcode sector", &sources.sectors, sources, layer)
        }
        Query::District(area) => resolve_area(
            area,
            "postcode district",
            &sources.districts,
            sources,
            layer,
        ),
        Query::Place(name) => resolve_place(name, sources, layer),
    }
}

/// Why a postcode cannot be looked up when no postcode list is open: this build has none (it was
/// built without the reference data), or the built-in one has not finished opening.
pub fn no_postcode_list_reason() -> &'static str {
    if crate::embedded::POSTCODE_TABLE.is_some() {
        "the postcode list is still loading; try again in a moment"
    } else {
        "this copy of Footprints was built without the postcode list, so postcodes cannot be looked up (places and grid references still work)"
    }
}

/// A unit postcode's position, or why it has none.
fn resolve_postcode(code: &str, sources: &Sources) -> Resolution {
    let Some(postcodes) = &sources.postcodes else {
        return Resolution::NotFound(no_postcode_list_reason().into());
    };
    match postcodes.get(code) {
        Some(point) => Resolution::Found(Found {
            label: code.to_string(),
            point,
            split: None,
            note: None,
        }),
        None => {
            let outward = code.split(' ').next().unwrap_or(code);
            let reason = if sources.districts.contains_key(outward)
                && postcodes.in_area(outward).next().is_none()
            {
                format!(
                    "{code} is not an English postcode (district {outward} is outside England, where no footprint is)"
                )
            } else {
                format!("{code} is not a known English postcode")
            };
            Resolution::NotFound(reason)
        }
    }
}

/// A postcode sector or district: its postcodes' mean position, and how its postcodes split
/// between footprints.
fn resolve_area(
    area: &str,
    kind: &str,
    centroids: &Centroids,
    sources: &Sources,
    layer: Option<(&Layer, &PointLocator)>,
) -> Resolution {
    let Some(point) = centroids.get(area).copied() else {
        return Resolution::NotFound(format!("{area} is not a known {kind}"));
    };
    let split = sources
        .postcodes
        .as_ref()
        .and_then(|p| split_of(p.in_area(area), layer));
    Resolution::Found(Found {
        label: format!("{kind} {area}"),
        point,
        split,
        note: Some("its postcodes' mean position".into()),
    })
}

/// A place name: one place, or the choices when several match.
fn resolve_place(
    name: &str,
    sources: &Sources,
    layer: Option<(&Layer, &PointLocator)>,
) -> Resolution {
    let Some(gazetteer) = &sources.places else {
        return Resolution::NotFound("no place names are available in this build".into());
    };
    let matches = gazetteer.search(name, 12);
    let Some(best) = matches.first() else {
        return Resolution::NotFound(format!(
            "no place called \"{name}\" was found (places, postcodes, grid references and coordinates are understood)"
        ));
    };
    let exact: Vec<_> = matches
        .iter()
        .filter(|m| m.kind == MatchKind::Exact)
        .collect();
    let label_of = |i: usize| place_label(gazetteer, i, layer);
    if exact.len() == 1 || (exact.is_empty() && matches.len() == 1) {
        let i = exact.first().map_or(best.place, |m| m.place);
        return Resolution::Found(Found {
            label: label_of(i),
            point: gazetteer.places[i].position,
            split: None,
            note: None,
        });
    }
    Resolution::Choices(
        matches
            .iter()
            .map(|m| Choice {
                place: m.place,
                label: label_of(m.place),
            })
            .collect(),
    )
}

/// A place's name, with its country and footprint when other places share the name:
/// "Newport (England, Hampshire and the Isle of Wight)".
pub fn place_label(
    gazetteer: &Gazetteer,
    i: usize,
    layer: Option<(&Layer, &PointLocator)>,
) -> String {
    let p = &gazetteer.places[i];
    if gazetteer.namesakes(i) <= 1 {
        return p.name.clone();
    }
    let footprint = layer.and_then(|(layer, locator)| {
        locator
            .locate(p.position)
            .map(|f| layer.footprints[f].name.clone())
    });
    let population = if p.population > 0 {
        format!(", pop. {}", crate::geo_util::thousands(p.population))
    } else {
        String::new()
    };
    match footprint {
        Some(footprint) => format!(
            "{} ({}, {footprint}{population})",
            p.name,
            country_name(&p.country)
        ),
        None => format!("{} ({}{population})", p.name, country_name(&p.country)),
    }
}

/// Describes where a found point is, for the panel and the command line.
pub fn sentence(found: &Found, layer: &Layer, footprint: Option<usize>) -> String {
    let mut text = match footprint {
        Some(i) => format!("{} is in {}", found.label, layer.footprints[i].name),
        None => format!(
            "{} is not in any of the {} areas of {}",
            found.label,
            layer.footprints.len(),
            layer.title
        ),
    };
    if let Some(split) = &found.split
        && split.len() > 1
    {
        let total: usize = split.iter().map(|(_, n)| n).sum();
        let parts: Vec<String> = split
            .iter()
            .map(|(f, n)| {
                let name = f.map_or("outside every footprint".to_string(), |i| {
                    layer.footprints[i].name.clone()
                });
                format!("{name} {:.0}%", *n as f64 * 100.0 / total as f64)
            })
            .collect();
        text = format!(
            "{} spans more than one area: of its {} postcodes, {}",
            found.label,
            crate::geo_util::thousands(total as u64),
            parts.join(", ")
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centroid_files_are_read() {
        let c = parse_centroids("sector,lat,lon,n_postcodes\nB15 2,52.45,-1.93,300\nbad\n");
        assert_eq!(c.len(), 1);
        assert_eq!(c["B15 2"], Coord { x: -1.93, y: 52.45 });
    }

    #[test]
    fn grid_references_resolve_with_their_precision() {
        let sources = Sources::default();
        let Resolution::Found(found) = resolve_text("SP 06 86", &sources, None) else {
            panic!()
        };
        assert_eq!(found.note.as_deref(), Some("the centre of a 1 km square"));
        assert!((found.point.y - 52.47).abs() < 0.02 && (found.point.x - -1.91).abs() < 0.02);
    }

    #[test]
    fn postcodes_need_the_postcode_list() {
        let sources = Sources::default();
        assert_eq!(
            resolve_text("B15 2TT", &sources, None),
            Resolution::NotFound(no_postcode_list_reason().into())
        );
        // The reason names what is missing: a build with the table is waiting for it, a build
        // without one will never have it and says so rather than asking to try again.
        let built_with_table = crate::embedded::POSTCODE_TABLE.is_some();
        assert_eq!(
            no_postcode_list_reason().contains("try again"),
            built_with_table
        );
    }
}
