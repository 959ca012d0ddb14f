//! `footprints which`: which footprint each query (or each row of a CSV) falls in.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::lookup::PointLocator;
use crate::model::Layer;
use crate::search::places::Gazetteer;
use crate::search::postcodes::PostcodeIndex;
use crate::search::query::{Query, parse};
use crate::search::resolve::{Resolution, Sources, parse_centroids, resolve};

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

    fn answer(&self, point: geo::Coord<f64>) -> Option<(&str, &str)> {
        self.locator.locate(point).map(|i| {
            (
                self.layer.footprints[i].code.as_str(),
                self.layer.footprints[i].name.as_str(),
            )
        })
    }
}

/// Loads the embedded gazetteers; the postcode list only when `postcodes` is set.
pub fn embedded_sources(postcodes: bool) -> anyhow::Result<Sources> {
    use crate::defaults::embedded;
    let text = |b: Option<&[u8]>| {
        b.map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    };
    let places = embedded::GB_PLACES.map(|b| {
        Gazetteer::new(crate::basemap::parse_places_csv(&String::from_utf8_lossy(
            b,
        )))
    });
    let postcodes = match (postcodes, embedded::POSTCODES) {
        (true, Some(bytes)) => {
            Some(PostcodeIndex::from_bytes(bytes).context("reading the built-in postcode list")?)
        }
        _ => None,
    };
    Ok(Sources {
        places,
        postcodes,
        sectors: parse_centroids(&text(embedded::POSTCODE_SECTORS)),
        districts: parse_centroids(&text(embedded::POSTCODE_DISTRICTS)),
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
    match boundaries.answer(found.point) {
        Some((code, name)) => Ok((code.to_string(), name.to_string())),
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

/// How rows of a CSV say where they are.
#[derive(Clone, Debug, PartialEq)]
pub enum Locate {
    /// A column of queries (postcodes, places, grid references, coordinates).
    Column(String),
    /// Latitude and longitude columns.
    LatLon { lat: String, lon: String },
}

/// Options of the batch mode.
pub struct BatchOptions {
    pub input: PathBuf,
    pub locate: Option<Locate>,
    pub output: Option<PathBuf>,
    pub boundaries: Option<PathBuf>,
}

fn find_column(headers: &csv::ByteRecord, name: &str) -> Option<usize> {
    headers.iter().position(|h| {
        String::from_utf8_lossy(h)
            .trim()
            .eq_ignore_ascii_case(name.trim())
    })
}

fn guess_locate(headers: &csv::ByteRecord) -> Option<Locate> {
    let names: Vec<String> = headers
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_ascii_lowercase())
        .collect();
    let find = |options: &[&str]| names.iter().position(|n| options.contains(&n.as_str()));
    if let (Some(lat), Some(lon)) = (
        find(&["lat", "latitude"]),
        find(&["lon", "lng", "long", "longitude"]),
    ) {
        return Some(Locate::LatLon {
            lat: names[lat].clone(),
            lon: names[lon].clone(),
        });
    }
    find(&["postcode", "post_code", "pcd", "pcds", "postcode_unit"])
        .map(|i| Locate::Column(names[i].clone()))
}

/// Rows handled at a time: bounds memory, lets progress show.
const CHUNK_ROWS: usize = 200_000;

/// `footprints which --csv IN`: copies IN with footprint_code, footprint_name and reason added.
/// Returns (rows, rows placed).
pub fn run_batch(
    options: &BatchOptions,
    progress: &mut dyn FnMut(usize, u64, u64),
) -> anyhow::Result<(usize, usize)> {
    let input = &options.input;
    if let Some(out) = &options.output
        && same_file(out, input)
    {
        bail!(
            "the output would overwrite the input; choose another --out: {}",
            input.display()
        );
    }
    let bytes =
        std::fs::read(input).with_context(|| format!("could not read {}", input.display()))?;
    let total_bytes = bytes.len() as u64;
    // A UTF-8 byte order mark would otherwise stick to the first column's name; it is kept
    // on the output, as are Windows line endings, for the spreadsheet the file came from.
    let bom = bytes.starts_with(b"\xEF\xBB\xBF");
    let body = if bom { &bytes[3..] } else { &bytes[..] };
    let crlf = body
        .iter()
        .position(|&b| b == b'\n')
        .is_some_and(|i| i > 0 && body[i - 1] == b'\r');
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
    let headers = reader
        .byte_headers()
        .with_context(|| format!("could not read the header row of {}", input.display()))?
        .clone();
    if headers.is_empty() {
        bail!("the CSV has no header row: {}", input.display());
    }
    let locate = match options.locate.clone().or_else(|| guess_locate(&headers)) {
        Some(l) => l,
        None => bail!(
            "say which column to use with --column NAME (postcodes, places, grid references) or --lat NAME --lon NAME; the columns are {}: {}",
            headers
                .iter()
                .map(|h| String::from_utf8_lossy(h).into_owned())
                .collect::<Vec<_>>()
                .join(", "),
            input.display()
        ),
    };
    let missing =
        |name: &str| anyhow::anyhow!("there is no column named {name:?}: {}", input.display());
    enum Columns {
        Query(usize),
        LatLon(usize, usize),
    }
    let columns = match &locate {
        Locate::Column(name) => {
            Columns::Query(find_column(&headers, name).ok_or_else(|| missing(name))?)
        }
        Locate::LatLon { lat, lon } => Columns::LatLon(
            find_column(&headers, lat).ok_or_else(|| missing(lat))?,
            find_column(&headers, lon).ok_or_else(|| missing(lon))?,
        ),
    };

    let query_column_name = match &locate {
        Locate::Column(name) => name.clone(),
        Locate::LatLon { .. } => String::new(),
    };
    let boundaries = Boundaries::load(options.boundaries.as_deref())?;
    let sources = match columns {
        Columns::Query(_) => embedded_sources(true)?,
        Columns::LatLon(..) => Sources::default(),
    };

    let sink = match &options.output {
        Some(out) => Sink::File(
            crate::settings::AtomicFile::create(out)
                .with_context(|| format!("could not create the output file: {}", out.display()))?,
        ),
        None => Sink::Stdout(std::io::BufWriter::new(std::io::stdout())),
    };
    let mut sink = sink;
    if bom {
        sink.write_all(b"\xEF\xBB\xBF")?;
    }
    let (rows, placed, sink) = {
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(if crlf {
                csv::Terminator::CRLF
            } else {
                csv::Terminator::Any(b'\n')
            })
            .from_writer(sink);
        let mut out_headers = headers.clone();
        out_headers.push_field(b"footprint_code");
        out_headers.push_field(b"footprint_name");
        out_headers.push_field(b"reason");
        writer.write_byte_record(&out_headers)?;

        let mut rows = 0usize;
        let mut placed = 0usize;
        let mut chunk: Vec<csv::ByteRecord> = Vec::with_capacity(CHUNK_ROWS);
        let mut record = csv::ByteRecord::new();
        loop {
            let more = reader.read_byte_record(&mut record).with_context(|| {
                format!(
                    "row {} could not be read: {}",
                    rows + chunk.len() + 2,
                    input.display()
                )
            })?;
            if more {
                chunk.push(record.clone());
            }
            if chunk.len() == CHUNK_ROWS || (!more && !chunk.is_empty()) {
                let answers: Vec<Result<(String, String), String>> = match columns {
                    Columns::LatLon(lat, lon) => {
                        let points: Vec<Option<geo::Coord<f64>>> = chunk
                            .iter()
                            .map(|r| {
                                let number = |i: usize| -> Option<f64> {
                                    std::str::from_utf8(r.get(i)?).ok()?.trim().parse().ok()
                                };
                                match (number(lat), number(lon)) {
                                    (Some(y), Some(x))
                                        if (-90.0..=90.0).contains(&y)
                                            && (-180.0..=180.0).contains(&x) =>
                                    {
                                        Some(geo::Coord { x, y })
                                    }
                                    _ => None,
                                }
                            })
                            .collect();
                        let valid: Vec<geo::Coord<f64>> =
                            points.iter().flatten().copied().collect();
                        let mut located = boundaries.locator.locate_all(&valid).into_iter();
                        points
                            .iter()
                            .zip(&chunk)
                            .map(|(p, r)| match p {
                                Some(_) => match located.next().flatten() {
                                    Some(i) => {
                                        let f = &boundaries.layer.footprints[i];
                                        Ok((f.code.clone(), f.name.clone()))
                                    }
                                    None => Err("not in any footprint".to_string()),
                                },
                                None => {
                                    let empty =
                                        r.get(lat).is_none_or(|v| v.trim_ascii().is_empty())
                                            || r.get(lon).is_none_or(|v| v.trim_ascii().is_empty());
                                    Err(if empty {
                                        "no latitude/longitude".to_string()
                                    } else {
                                        "latitude/longitude are not valid numbers".to_string()
                                    })
                                }
                            })
                            .collect()
                    }
                    Columns::Query(column) => chunk
                        .iter()
                        .map(|r| {
                            let text = r
                                .get(column)
                                .map(|v| String::from_utf8_lossy(v).trim().to_string())
                                .unwrap_or_default();
                            if text.is_empty() {
                                Err(format!("no value in {query_column_name}"))
                            } else {
                                answer_one(&text, &sources, &boundaries)
                            }
                        })
                        .collect(),
                };
                for (record, answer) in chunk.iter_mut().zip(answers) {
                    match answer {
                        Ok((code, name)) => {
                            placed += 1;
                            record.push_field(code.as_bytes());
                            record.push_field(name.as_bytes());
                            record.push_field(b"");
                        }
                        Err(reason) => {
                            record.push_field(b"");
                            record.push_field(b"");
                            record.push_field(reason.as_bytes());
                        }
                    }
                    writer.write_byte_record(record)?;
                }
                rows += chunk.len();
                chunk.clear();
                progress(rows, reader.position().byte(), total_bytes);
            }
            if !more {
                break;
            }
        }
        let sink = writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("could not write the output: {}", e.error()))?;
        (rows, placed, sink)
    };
    sink.finish().with_context(|| match &options.output {
        Some(out) => format!("could not write the output file: {}", out.display()),
        None => "could not write to standard output".to_string(),
    })?;
    Ok((rows, placed))
}

/// Where the batch output goes: a file written atomically, or standard output.
enum Sink {
    File(crate::settings::AtomicFile),
    Stdout(std::io::BufWriter<std::io::Stdout>),
}

impl Sink {
    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::File(file) => file.commit(),
            Sink::Stdout(mut out) => out.flush(),
        }
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::File(f) => f.write(buf),
            Sink::Stdout(o) => o.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::File(f) => f.flush(),
            Sink::Stdout(o) => o.flush(),
        }
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
