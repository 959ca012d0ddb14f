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
    let postcodes = match (postcodes, PostcodeIndex::embedded()) {
        (true, Some(index)) => Some(index.context("reading the built-in postcode list")?),
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
    let bytes = std::fs::read(input)
        .map_err(|e| anyhow::anyhow!("Could not read the CSV ({e}): {}", input.display()))?;
    if crate::load::text::looks_binary(&bytes) {
        bail!(
            "Not a CSV (it is binary data, not text): {}",
            input.display()
        );
    }
    // UTF-16 (as some spreadsheets save "Unicode text") is read, and written out, as UTF-8.
    let bytes = match crate::load::text::utf16_to_utf8(&bytes) {
        Some(utf8) => {
            log::warn!(
                "the CSV is UTF-16; the output is written as UTF-8: {}",
                input.display()
            );
            utf8
        }
        None => bytes,
    };
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
        .map_err(|e| {
            anyhow::anyhow!(
                "Could not read the CSV's header row ({e}): {}",
                input.display()
            )
        })?
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
        Some(out) => Sink::File(crate::settings::AtomicFile::create(out).map_err(|e| {
            anyhow::anyhow!("Could not create the output file ({e}): {}", out.display())
        })?),
        None => Sink::Stdout(std::io::BufWriter::new(std::io::stdout())),
    };
    let mut sink = sink;
    if bom {
        sink.write_all(b"\xEF\xBB\xBF")?;
    }
    let terminator: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    let strip_terminator = |line: &[u8]| -> usize {
        let mut end = line.len();
        while end > 0 && matches!(line[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        end
    };
    // The header row as it was, with the three new columns.
    let first_record = reader.position().byte() as usize;
    let header_line = &body[..first_record.min(body.len())];
    sink.write_all(&header_line[..strip_terminator(header_line)])?;
    sink.write_all(b",footprint_code,footprint_name,reason")?;
    sink.write_all(terminator)?;

    // What is appended to a row: the answer for each footprint, and for each reason.
    let footprint_suffixes: Vec<Vec<u8>> = boundaries
        .layer
        .footprints
        .iter()
        .map(|f| format!(",{},{},", csv_field(&f.code), csv_field(&f.name)).into_bytes())
        .collect();
    let reason_suffix = |reason: &str| format!(",,,{}", csv_field(reason)).into_bytes();
    let outside = reason_suffix("not in any footprint");
    let no_lat_lon = reason_suffix("no latitude/longitude");
    let bad_lat_lon = reason_suffix("latitude/longitude are not valid numbers");
    let width = headers.len();

    let t = std::time::Instant::now();
    // Files without quotes (most exports) are split at line ends and done on every core;
    // anything with quoted fields goes through the CSV reader.
    if !body[first_record.min(body.len())..].contains(&b'"') {
        let suffixes = Suffixes {
            footprints: &footprint_suffixes,
            outside: &outside,
            no_lat_lon: &no_lat_lon,
            bad_lat_lon: &bad_lat_lon,
        };
        let answer = match columns {
            Columns::LatLon(lat, lon) => PlainAnswer::LatLon(lat, lon),
            Columns::Query(column) => PlainAnswer::Query {
                column,
                name: &query_column_name,
                sources: &sources,
                boundaries: &boundaries,
            },
        };
        let (rows, placed) = plain_batch(
            &body[first_record.min(body.len())..],
            (&answer, width),
            &boundaries.locator,
            &suffixes,
            terminator,
            &mut sink,
            &mut |rows, done| progress(rows, done + first_record as u64, total_bytes),
        )?;
        log::debug!(
            "rows read, located and written on every core: {:.0} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
        finish_output(sink, options.output.as_deref())?;
        return Ok((rows, placed));
    }
    let mut rows = 0usize;
    let mut placed = 0usize;
    let mut record = csv::ByteRecord::new();
    // Per chunk: each row's span in the input, how many fields it lacks, and what locates it.
    let mut spans: Vec<(usize, usize, usize)> = Vec::with_capacity(CHUNK_ROWS);
    let mut points: Vec<Result<geo::Coord<f64>, bool>> = Vec::with_capacity(CHUNK_ROWS);
    let mut texts: Vec<String> = Vec::new();
    loop {
        let more = reader.read_byte_record(&mut record).with_context(|| {
            format!(
                "row {} could not be read: {}",
                rows + spans.len() + 2,
                input.display()
            )
        })?;
        if more {
            let mut start = record.position().map_or(0, |p| p.byte() as usize);
            let end = (reader.position().byte() as usize).min(body.len());
            // After a "\r\n" the reader may stand between the two.
            while start < end && matches!(body[start], b'\r' | b'\n') {
                start += 1;
            }
            let line = &body[start..end];
            spans.push((
                start,
                start + strip_terminator(line),
                width.saturating_sub(record.len()),
            ));
            match columns {
                Columns::LatLon(lat, lon) => {
                    let number = |i: usize| -> Option<f64> {
                        let field = record.get(i)?.trim_ascii();
                        std::str::from_utf8(field).ok()?.parse().ok()
                    };
                    points.push(match (number(lat), number(lon)) {
                        (Some(y), Some(x))
                            if (-90.0..=90.0).contains(&y) && (-180.0..=180.0).contains(&x) =>
                        {
                            Ok(geo::Coord { x, y })
                        }
                        _ => Err(record.get(lat).is_none_or(|v| v.trim_ascii().is_empty())
                            || record.get(lon).is_none_or(|v| v.trim_ascii().is_empty())),
                    });
                }
                Columns::Query(column) => texts.push(
                    record
                        .get(column)
                        .map(|v| String::from_utf8_lossy(v).trim().to_string())
                        .unwrap_or_default(),
                ),
            }
        }
        if spans.len() == CHUNK_ROWS || (!more && !spans.is_empty()) {
            let suffixes: Vec<std::borrow::Cow<[u8]>> = match columns {
                Columns::LatLon(..) => {
                    let valid: Vec<geo::Coord<f64>> = points
                        .iter()
                        .filter_map(|p| p.as_ref().ok().copied())
                        .collect();
                    let mut located = boundaries.locator.locate_all(&valid).into_iter();
                    points
                        .iter()
                        .map(|p| match p {
                            Ok(_) => match located.next().flatten() {
                                Some(i) => {
                                    placed += 1;
                                    std::borrow::Cow::Borrowed(footprint_suffixes[i].as_slice())
                                }
                                None => std::borrow::Cow::Borrowed(outside.as_slice()),
                            },
                            Err(true) => std::borrow::Cow::Borrowed(no_lat_lon.as_slice()),
                            Err(false) => std::borrow::Cow::Borrowed(bad_lat_lon.as_slice()),
                        })
                        .collect()
                }
                Columns::Query(_) => {
                    let answers = answer_all(&texts, &query_column_name, &sources, &boundaries);
                    answers
                        .into_iter()
                        .map(|a| match a {
                            Ok(i) => {
                                placed += 1;
                                std::borrow::Cow::Borrowed(footprint_suffixes[i].as_slice())
                            }
                            Err(reason) => std::borrow::Cow::Owned(reason_suffix(&reason)),
                        })
                        .collect()
                }
            };
            for (&(start, end, missing), suffix) in spans.iter().zip(&suffixes) {
                sink.write_all(&body[start..end])?;
                for _ in 0..missing {
                    sink.write_all(b",")?;
                }
                sink.write_all(suffix)?;
                sink.write_all(terminator)?;
            }
            rows += spans.len();
            spans.clear();
            points.clear();
            texts.clear();
            progress(rows, reader.position().byte(), total_bytes);
        }
        if !more {
            break;
        }
    }
    log::debug!(
        "rows read, located and written: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    finish_output(sink, options.output.as_deref())?;
    Ok((rows, placed))
}

/// Commits the output file (or flushes standard output).
fn finish_output(sink: Sink, output: Option<&Path>) -> anyhow::Result<()> {
    let t = std::time::Instant::now();
    sink.finish().map_err(|e| match output {
        Some(out) => anyhow::anyhow!("Could not write the output file ({e}): {}", out.display()),
        None => anyhow::anyhow!("Could not write to standard output ({e})"),
    })?;
    log::debug!(
        "output committed: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

/// What is appended to rows.
struct Suffixes<'a> {
    footprints: &'a [Vec<u8>],
    outside: &'a [u8],
    no_lat_lon: &'a [u8],
    bad_lat_lon: &'a [u8],
}

/// Bytes of input handled by one thread at a time.
const BLOCK_BYTES: usize = 4 << 20;

/// What answers a plain row: its latitude/longitude columns, or a column of queries.
enum PlainAnswer<'a> {
    LatLon(usize, usize),
    Query {
        column: usize,
        name: &'a str,
        sources: &'a Sources,
        boundaries: &'a Boundaries,
    },
}

impl PlainAnswer<'_> {
    /// The suffix for one row's fields; `placed` when it fell in a footprint.
    fn suffix<'s>(
        &self,
        fields: &[&[u8]],
        locator: &PointLocator,
        suffixes: &Suffixes<'s>,
    ) -> (std::borrow::Cow<'s, [u8]>, bool) {
        use std::borrow::Cow;
        let field = |i: usize| fields.get(i).copied().unwrap_or(b"");
        match *self {
            PlainAnswer::LatLon(lat, lon) => {
                let number = |f: &[u8]| -> Option<f64> {
                    std::str::from_utf8(f.trim_ascii()).ok()?.parse().ok()
                };
                match (number(field(lat)), number(field(lon))) {
                    (Some(y), Some(x))
                        if (-90.0..=90.0).contains(&y) && (-180.0..=180.0).contains(&x) =>
                    {
                        match locator.locate(geo::Coord { x, y }) {
                            Some(i) => (Cow::Borrowed(suffixes.footprints[i].as_slice()), true),
                            None => (Cow::Borrowed(suffixes.outside), false),
                        }
                    }
                    _ if field(lat).trim_ascii().is_empty()
                        || field(lon).trim_ascii().is_empty() =>
                    {
                        (Cow::Borrowed(suffixes.no_lat_lon), false)
                    }
                    _ => (Cow::Borrowed(suffixes.bad_lat_lon), false),
                }
            }
            PlainAnswer::Query {
                column,
                name,
                sources,
                boundaries,
            } => {
                let text = String::from_utf8_lossy(field(column));
                let text = text.trim();
                let answer = if text.is_empty() {
                    Err(format!("no value in {name}"))
                } else {
                    locate_query(text, sources, boundaries)
                };
                match answer {
                    Ok(i) => (Cow::Borrowed(suffixes.footprints[i].as_slice()), true),
                    Err(reason) => (
                        Cow::Owned(format!(",,,{}", csv_field(&reason)).into_bytes()),
                        false,
                    ),
                }
            }
        }
    }
}

/// The fast path for unquoted CSV: blocks of whole lines, each parsed, answered and formatted
/// on its own thread, written in order.
fn plain_batch(
    body: &[u8],
    (answer, width): (&PlainAnswer, usize),
    locator: &PointLocator,
    suffixes: &Suffixes,
    terminator: &[u8],
    sink: &mut Sink,
    progress: &mut dyn FnMut(usize, u64),
) -> anyhow::Result<(usize, usize)> {
    // Cut the body into blocks that end at line ends.
    let mut blocks = Vec::new();
    let mut start = 0;
    while start < body.len() {
        let mut end = (start + BLOCK_BYTES).min(body.len());
        while end < body.len() && body[end - 1] != b'\n' {
            end += 1;
        }
        blocks.push(&body[start..end]);
        start = end;
    }
    let process = |block: &[u8]| -> (Vec<u8>, usize, usize) {
        let mut out = Vec::with_capacity(block.len() * 2);
        let (mut rows, mut placed) = (0, 0);
        let mut fields: Vec<&[u8]> = Vec::with_capacity(width);
        for line in block.split(|&b| b == b'\n') {
            let mut end = line.len();
            while end > 0 && line[end - 1] == b'\r' {
                end -= 1;
            }
            let line = &line[..end];
            if line.is_empty() {
                continue;
            }
            rows += 1;
            fields.clear();
            fields.extend(line.split(|&b| b == b','));
            let (suffix, was_placed) = answer.suffix(&fields, locator, suffixes);
            placed += usize::from(was_placed);
            out.extend_from_slice(line);
            out.resize(out.len() + width.saturating_sub(fields.len()), b',');
            out.extend_from_slice(&suffix);
            out.extend_from_slice(terminator);
        }
        (out, rows, placed)
    };
    let (mut rows, mut placed, mut done) = (0usize, 0usize, 0u64);
    // A group of blocks at a time, one per core, so that memory stays a few blocks' worth.
    for group in blocks.chunks(crate::parallel::threads()) {
        let results = crate::parallel::map(group, |block| process(block));
        for ((out, r, p), block) in results.into_iter().zip(group) {
            sink.write_all(&out)?;
            rows += r;
            placed += p;
            done += block.len() as u64;
        }
        progress(rows, done);
    }
    Ok((rows, placed))
}

/// Quotes a CSV field when it needs it.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Answers many queries on every core: the footprint index, or the reason.
fn answer_all(
    texts: &[String],
    column: &str,
    sources: &Sources,
    boundaries: &Boundaries,
) -> Vec<Result<usize, String>> {
    let one = |text: &String| -> Result<usize, String> {
        if text.is_empty() {
            return Err(format!("no value in {column}"));
        }
        locate_query(text, sources, boundaries)
    };
    crate::parallel::map(texts, one)
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

    /// Writes, naming the output file in the error (a full disk, say); the partial file is
    /// removed when the sink is dropped uncommitted.
    fn write_all(&mut self, buf: &[u8]) -> anyhow::Result<()> {
        Write::write_all(self, buf).map_err(|e| match self {
            Sink::File(file) => anyhow::anyhow!(
                "Could not write the output file ({e}): {}",
                file.path().display()
            ),
            Sink::Stdout(_) => anyhow::anyhow!("Could not write to standard output ({e})"),
        })
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
