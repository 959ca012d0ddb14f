//! `footprints which --csv IN`: each row of a CSV given the footprint it falls in, written
//! beside the input's own bytes (quotes, BOM and line endings kept). Unquoted files take the
//! fast path in `plain` (blocks of lines on every core); the rest go through the CSV reader.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::{Boundaries, embedded_sources, locate_query};
use crate::load::text::csv_field;
use crate::model::Layer;
use crate::search::resolve::Sources;

mod plain;

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

/// A CSV's text: UTF-8 (UTF-16 converted), with whether it had a byte order mark and Windows
/// line endings, both kept on the output for the spreadsheet the file came from.
struct CsvText {
    bytes: Vec<u8>,
    bom: bool,
    crlf: bool,
}

impl CsvText {
    fn read(input: &Path) -> anyhow::Result<CsvText> {
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
        // A UTF-8 byte order mark would otherwise stick to the first column's name.
        let bom = bytes.starts_with(b"\xEF\xBB\xBF");
        let body = if bom { &bytes[3..] } else { &bytes[..] };
        let crlf = body
            .iter()
            .position(|&b| b == b'\n')
            .is_some_and(|i| i > 0 && body[i - 1] == b'\r');
        Ok(CsvText { bytes, bom, crlf })
    }

    /// The text after the byte order mark.
    fn body(&self) -> &[u8] {
        &self.bytes[if self.bom { 3 } else { 0 }..]
    }

    fn terminator(&self) -> &'static [u8] {
        if self.crlf { b"\r\n" } else { b"\n" }
    }
}

/// The columns that locate a row.
#[derive(Clone, Copy)]
enum Columns {
    Query(usize),
    LatLon(usize, usize),
}

impl Columns {
    /// The columns asked for, or guessed from the header's names.
    fn choose(
        headers: &csv::ByteRecord,
        asked: Option<Locate>,
        input: &Path,
    ) -> anyhow::Result<(Columns, Locate)> {
        let Some(locate) = asked.or_else(|| guess_locate(headers)) else {
            bail!(
                "say which column to use with --column NAME (postcodes, places, grid references) or --lat NAME --lon NAME; the columns are {}: {}",
                headers
                    .iter()
                    .map(|h| String::from_utf8_lossy(h).into_owned())
                    .collect::<Vec<_>>()
                    .join(", "),
                input.display()
            );
        };
        let find = |name: &str| {
            find_column(headers, name).ok_or_else(|| {
                anyhow::anyhow!("there is no column named {name:?}: {}", input.display())
            })
        };
        let columns = match &locate {
            Locate::Column(name) => Columns::Query(find(name)?),
            Locate::LatLon { lat, lon } => Columns::LatLon(find(lat)?, find(lon)?),
        };
        Ok((columns, locate))
    }
}

/// What is appended to rows: the answer for each footprint, and for each reason.
struct Suffixes {
    footprints: Vec<Vec<u8>>,
    outside: Vec<u8>,
    no_lat_lon: Vec<u8>,
    bad_lat_lon: Vec<u8>,
}

impl Suffixes {
    fn new(layer: &Layer) -> Suffixes {
        Suffixes {
            footprints: layer
                .footprints
                .iter()
                .map(|f| format!(",{},{},", csv_field(&f.code), csv_field(&f.name)).into_bytes())
                .collect(),
            outside: Suffixes::reason("not in any footprint"),
            no_lat_lon: Suffixes::reason("no latitude/longitude"),
            bad_lat_lon: Suffixes::reason("latitude/longitude are not valid numbers"),
        }
    }

    /// The suffix of a row that was not placed, saying why.
    fn reason(reason: &str) -> Vec<u8> {
        format!(",,,{}", csv_field(reason)).into_bytes()
    }
}

/// Copies IN with footprint_code, footprint_name and reason added. Returns (rows, rows placed).
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
    let text = CsvText::read(input)?;
    let body = text.body();
    let total_bytes = text.bytes.len() as u64;
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
    let (columns, locate) = Columns::choose(&headers, options.locate.clone(), input)?;
    let query_column_name = match &locate {
        Locate::Column(name) => name.clone(),
        Locate::LatLon { .. } => String::new(),
    };
    let boundaries = Boundaries::load(options.boundaries.as_deref())?;
    let sources = match columns {
        Columns::Query(_) => embedded_sources(true)?,
        Columns::LatLon(..) => Sources::default(),
    };

    let mut sink = match &options.output {
        Some(out) => Sink::File(crate::fs::AtomicFile::create(out).map_err(|e| {
            anyhow::anyhow!("Could not create the output file ({e}): {}", out.display())
        })?),
        None => Sink::Stdout(std::io::BufWriter::new(std::io::stdout())),
    };
    if text.bom {
        sink.write_all(b"\xEF\xBB\xBF")?;
    }
    // The header row as it was, with the three new columns.
    let first_record = (reader.position().byte() as usize).min(body.len());
    sink.write_all(without_line_end(&body[..first_record]))?;
    sink.write_all(b",footprint_code,footprint_name,reason")?;
    sink.write_all(text.terminator())?;

    let suffixes = Suffixes::new(&boundaries.layer);
    let rows = Rows {
        columns,
        width: headers.len(),
        query_column_name: &query_column_name,
        sources: &sources,
        boundaries: &boundaries,
        suffixes: &suffixes,
        terminator: text.terminator(),
    };
    let t = std::time::Instant::now();
    // Files without quotes (most exports) are split at line ends and done on every core;
    // anything with quoted fields goes through the CSV reader.
    let counts = if !body[first_record..].contains(&b'"') {
        plain::plain_batch(
            &body[first_record..],
            &rows,
            &mut sink,
            &mut |rows, done| progress(rows, done + first_record as u64, total_bytes),
        )?
    } else {
        quoted_batch(
            &mut reader,
            body,
            input,
            &rows,
            &mut sink,
            &mut |rows, done| progress(rows, done, total_bytes),
        )?
    };
    log::debug!(
        "rows read, located and written: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    finish_output(sink, options.output.as_deref())?;
    Ok(counts)
}

/// How rows are answered and written.
struct Rows<'a> {
    columns: Columns,
    /// Fields in the header; short rows are padded to it.
    width: usize,
    query_column_name: &'a str,
    sources: &'a Sources,
    boundaries: &'a Boundaries,
    suffixes: &'a Suffixes,
    terminator: &'a [u8],
}

/// A line without its "\n" or "\r\n".
fn without_line_end(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &line[..end]
}

/// The path for CSVs with quoted fields: read with the CSV reader a chunk of rows at a time,
/// each chunk answered on every core, each row written as its own input bytes plus its answer.
fn quoted_batch(
    reader: &mut csv::Reader<&[u8]>,
    body: &[u8],
    input: &Path,
    rows_how: &Rows,
    sink: &mut Sink,
    progress: &mut dyn FnMut(usize, u64),
) -> anyhow::Result<(usize, usize)> {
    let mut rows = 0usize;
    let mut placed = 0usize;
    let mut record = csv::ByteRecord::new();
    // Per chunk: each row's span in the input and how many fields it lacks, and what locates it.
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
            let line = without_line_end(&body[start..end]);
            spans.push((
                start,
                start + line.len(),
                rows_how.width.saturating_sub(record.len()),
            ));
            match rows_how.columns {
                Columns::LatLon(lat, lon) => points.push(lat_lon_of(&record, lat, lon)),
                Columns::Query(column) => texts.push(
                    record
                        .get(column)
                        .map(|v| String::from_utf8_lossy(v).trim().to_string())
                        .unwrap_or_default(),
                ),
            }
        }
        if spans.len() == CHUNK_ROWS || (!more && !spans.is_empty()) {
            let suffixes = answer_chunk(rows_how, &points, &texts, &mut placed);
            for (&(start, end, missing), suffix) in spans.iter().zip(&suffixes) {
                sink.write_all(&body[start..end])?;
                for _ in 0..missing {
                    sink.write_all(b",")?;
                }
                sink.write_all(suffix)?;
                sink.write_all(rows_how.terminator)?;
            }
            rows += spans.len();
            spans.clear();
            points.clear();
            texts.clear();
            progress(rows, reader.position().byte());
        }
        if !more {
            break;
        }
    }
    Ok((rows, placed))
}

/// A row's point, or `Err(true)` when a coordinate is missing, `Err(false)` when one is not a
/// valid number.
fn lat_lon_of(record: &csv::ByteRecord, lat: usize, lon: usize) -> Result<geo::Coord<f64>, bool> {
    let number = |i: usize| -> Option<f64> {
        let field = record.get(i)?.trim_ascii();
        std::str::from_utf8(field).ok()?.parse().ok()
    };
    match (number(lat), number(lon)) {
        (Some(y), Some(x)) if (-90.0..=90.0).contains(&y) && (-180.0..=180.0).contains(&x) => {
            Ok(geo::Coord { x, y })
        }
        _ => Err(record.get(lat).is_none_or(|v| v.trim_ascii().is_empty())
            || record.get(lon).is_none_or(|v| v.trim_ascii().is_empty())),
    }
}

/// The suffixes of a chunk of rows, located on every core; counts the placed ones.
fn answer_chunk<'s>(
    rows_how: &Rows<'s>,
    points: &[Result<geo::Coord<f64>, bool>],
    texts: &[String],
    placed: &mut usize,
) -> Vec<Cow<'s, [u8]>> {
    let suffixes = rows_how.suffixes;
    match rows_how.columns {
        Columns::LatLon(..) => {
            let valid: Vec<geo::Coord<f64>> = points
                .iter()
                .filter_map(|p| p.as_ref().ok().copied())
                .collect();
            let mut located = rows_how.boundaries.locator.locate_all(&valid).into_iter();
            points
                .iter()
                .map(|p| match p {
                    Ok(_) => match located.next().flatten() {
                        Some(i) => {
                            *placed += 1;
                            Cow::Borrowed(suffixes.footprints[i].as_slice())
                        }
                        None => Cow::Borrowed(suffixes.outside.as_slice()),
                    },
                    Err(true) => Cow::Borrowed(suffixes.no_lat_lon.as_slice()),
                    Err(false) => Cow::Borrowed(suffixes.bad_lat_lon.as_slice()),
                })
                .collect()
        }
        Columns::Query(_) => answer_all(
            texts,
            rows_how.query_column_name,
            rows_how.sources,
            rows_how.boundaries,
        )
        .into_iter()
        .map(|a| match a {
            Ok(i) => {
                *placed += 1;
                Cow::Borrowed(suffixes.footprints[i].as_slice())
            }
            Err(reason) => Cow::Owned(Suffixes::reason(&reason)),
        })
        .collect(),
    }
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
    File(crate::fs::AtomicFile),
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
