//! `footprints which`: which footprint each query (or each row of a CSV) falls in.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

use crate::lookup::PointLocator;
use crate::model::Layer;
use crate::search::places::Gazetteer;
use crate::search::postcodes::PostcodeIndex;
use crate::search::query::{Query, parse};
use crate::search::resolve::{Resolution, Sources, parse_centroids, resolve};

pub mod batch;

/// The boundaries queries are answered against.
pub struct Boundaries {
    pub layer: Layer,
    pub locator: PointLocator,
}

impl Boundaries {
    /// The given file, or the built-in 2016 footprints.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let layer = match path {
            Some(path) => crate::load::load_path(path, &crate::load::Progress::default())?,
            None => match crate::defaults::default_footprints()? {
                Some((layer, _)) => layer,
                None => bail!("this build has no built-in footprints; give --boundaries FILE"),
            },
        };
        let locator = PointLocator::build(&layer);
        Ok(Self { layer, locator })
    }
}

/// Loads the embedded gazetteers; the postcode list only when `postcodes` is set.
pub fn embedded_sources(postcodes: bool) -> anyhow::Result<Sources> {
    use crate::embedded;
    let text = |b: Option<&[u8]>| {
        b.map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    };
    let places = embedded::GB_PLACES.get().map(|b| {
        Gazetteer::new(crate::basemap::parse_places_csv(&String::from_utf8_lossy(
            b,
        )))
    });
    let postcodes = match (postcodes, PostcodeIndex::embedded()) {
        (true, Some(index)) => Some(index.context("reading the built-in postcode list")?),
        _ => None,
    };
    Ok(Sources {
        places,
        postcodes,
        sectors: parse_centroids(&text(embedded::POSTCODE_SECTORS.get())),
        districts: parse_centroids(&text(embedded::POSTCODE_DISTRICTS.get())),
    })
}

fn needs_postcodes(query: &str) -> bool {
    matches!(
        parse(query),
        Ok(Query::Postcode(_) | Query::Sector(_) | Query::District(_))
    )
}

/// One answer: (code, name) or the reason the query could not be placed.
pub fn answer_one(
    query: &str,
    sources: &Sources,
    boundaries: &Boundaries,
) -> Result<(String, String), String> {
    locate_query(query, sources, boundaries).map(|i| {
        let f = &boundaries.layer.footprints[i];
        (f.code.clone(), f.name.clone())
    })
}

/// The footprint (index) a query falls in, or the reason it could not be placed.
fn locate_query(query: &str, sources: &Sources, boundaries: &Boundaries) -> Result<usize, String> {
    // The common case, a known unit postcode, straight from its key (no allocation); anything
    // else, including unknown postcodes and their reasons, goes the whole way.
    if let (Some(key), Some(postcodes)) = (
        crate::search::query::unit_postcode_key(query),
        &sources.postcodes,
    ) && let Some(point) = postcodes.get_key(key)
        && let Some(i) = boundaries.locator.locate(point)
    {
        return Ok(i);
    }
    let resolution = match parse(query) {
        Ok(q) => resolve(&q, sources, Some((&boundaries.layer, &boundaries.locator))),
        Err(e) => return Err(e.to_string()),
    };
    let found = match resolution {
        Resolution::Found(found) => found,
        // A name several places share: the largest is the best guess.
        Resolution::Choices(choices) => {
            let Some(first) = choices.first() else {
                return Err("no match".into());
            };
            let Some(places) = &sources.places else {
                return Err("no place names in this build".into());
            };
            crate::search::resolve::Found {
                label: first.label.clone(),
                point: places.places[first.place].position,
                split: None,
                note: None,
            }
        }
        Resolution::NotFound(reason) => return Err(reason),
    };
    match boundaries.locator.locate(found.point) {
        Some(i) => Ok(i),
        None => Err(format!(
            "{} is not in any of the {} areas of {}",
            found.label,
            boundaries.layer.footprints.len(),
            boundaries.layer.title
        )),
    }
}

/// `footprints which QUERY…`: one tab-separated line per query.
pub fn run_queries(
    queries: &[String],
    boundaries_path: Option<&Path>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let boundaries = Boundaries::load(boundaries_path)?;
    let sources = embedded_sources(queries.iter().any(|q| needs_postcodes(q)))?;
    for query in queries {
        let line = match answer_one(query, &sources, &boundaries) {
            Ok((code, name)) => format!("{query}\t{code}\t{name}"),
            Err(reason) => format!("{query}\t-\t{reason}"),
        };
        writeln!(out, "{line}")?;
    }
    Ok(())
}
