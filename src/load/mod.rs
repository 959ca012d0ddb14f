//! Loading boundary files: bytes → parsed GeoJSON → repaired, reprojected [`Layer`].

mod build;
pub mod crs;
pub mod fields;
pub mod geojson;
pub mod ostn15;
pub mod ostn15_grid;
pub mod repair;
pub mod text;

pub use build::build_layer;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};

use crate::model::{Layer, LayerSource};

/// Largest file the loader will try; larger ones are refused with a message, not an OOM.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Why a file could not be used. Each message ends with the file's path.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("Could not read the file ({source}): {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("This is a folder, not a file: {}", path.display())]
    Directory { path: PathBuf },
    #[error("The file is empty: {}", path.display())]
    Empty { path: PathBuf },
    #[error("The file is too large ({}; the limit is {}): {}", describe_bytes(*size), describe_bytes(MAX_FILE_BYTES), path.display())]
    TooLarge { path: PathBuf, size: u64 },
    #[error("Not GeoJSON ({problem}): {}", path.display())]
    NotGeoJson { path: PathBuf, problem: String },
    #[error("No polygons found ({problem}): {}", path.display())]
    NoPolygons { path: PathBuf, problem: String },
    #[error("Unsupported coordinate system {crs:?}; only WGS84 (EPSG:4326) and British National Grid (EPSG:27700) can be read: {}", path.display())]
    UnsupportedCrs { path: PathBuf, crs: String },
    #[error("Coordinates are neither longitude/latitude nor British National Grid metres (x {min_x:.0}…{max_x:.0}, y {min_y:.0}…{max_y:.0}): {}", path.display())]
    UnrecognisedCoordinates {
        path: PathBuf,
        min_x: f64,
        max_x: f64,
        min_y: f64,
        max_y: f64,
    },
    #[error(
        "Not enough free memory for this file ({}; loading it needs about {}, and {} is free): {}",
        describe_bytes(*size), describe_bytes(*needed), describe_bytes(*available), path.display()
    )]
    NotEnoughMemory {
        path: PathBuf,
        size: u64,
        needed: u64,
        available: u64,
    },
    #[error("Loading was cancelled: {}", path.display())]
    Cancelled { path: PathBuf },
}

/// Progress of a load, shared with the UI thread.
#[derive(Debug, Default)]
pub struct Progress {
    pub bytes_done: AtomicU64,
    pub bytes_total: AtomicU64,
    stage: AtomicU8,
    cancel: AtomicBool,
}

/// What a load is doing, for the progress line, in the order it happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Reading,
    Parsing,
    /// Repairing rings, choosing fields, reprojecting.
    Building,
    /// Finding the borders areas share.
    Arcs,
    /// Simplifying the shared borders for each level of detail.
    Simplifying,
    /// Placing labels and colouring neighbours apart.
    Labelling,
    /// Triangulating areas for drawing.
    Tessellating,
    Done,
}

impl Stage {
    const ALL: [Stage; 8] = [
        Stage::Reading,
        Stage::Parsing,
        Stage::Building,
        Stage::Arcs,
        Stage::Simplifying,
        Stage::Labelling,
        Stage::Tessellating,
        Stage::Done,
    ];

    /// Words for the status bar.
    pub fn describe(self) -> &'static str {
        match self {
            Stage::Reading => "reading",
            Stage::Parsing => "parsing",
            Stage::Building => "checking geometry",
            Stage::Arcs => "finding shared borders",
            Stage::Simplifying => "simplifying for each zoom",
            Stage::Labelling => "placing labels",
            Stage::Tessellating => "preparing to draw",
            Stage::Done => "finishing",
        }
    }

    /// Where this stage starts in a whole load, 0..1 (from the time each takes on a large file).
    fn start(self) -> f32 {
        match self {
            Stage::Reading => 0.0,
            Stage::Parsing => 0.03,
            Stage::Building => 0.15,
            Stage::Arcs => 0.2,
            Stage::Simplifying => 0.33,
            Stage::Labelling => 0.48,
            Stage::Tessellating => 0.6,
            Stage::Done => 1.0,
        }
    }
}

impl Progress {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    pub fn set_stage(&self, stage: Stage) {
        self.stage.store(stage as u8, Ordering::Relaxed);
    }

    pub fn stage(&self) -> Stage {
        Stage::ALL
            .get(self.stage.load(Ordering::Relaxed) as usize)
            .copied()
            .unwrap_or(Stage::Done)
    }

    /// How far the whole load has got, 0..=1: by bytes while reading, by stage after.
    pub fn fraction(&self) -> f32 {
        let stage = self.stage();
        let total = self.bytes_total.load(Ordering::Relaxed);
        if stage == Stage::Reading && total > 0 {
            let read = self.bytes_done.load(Ordering::Relaxed) as f32 / total as f32;
            return read * Stage::Parsing.start();
        }
        stage.start()
    }

    /// Asks the load to stop at its next step.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Memory a command-line load needs per byte of file, at most (measured: about 3).
pub const CLI_MEMORY_PER_BYTE: u64 = 4;
/// Memory the app needs per byte of file, with its levels of detail and meshes (measured: about
/// 11 on the 48 MB LSOA file).
pub const APP_MEMORY_PER_BYTE: u64 = 14;

/// Reads and loads a boundary file for the command line.
pub fn load_path(path: &Path, progress: &Progress) -> Result<Layer, LoadError> {
    load_path_needing(path, progress, CLI_MEMORY_PER_BYTE)
}

/// Reads and loads a boundary file, first making sure there is memory for it: about
/// `memory_per_byte` bytes for each byte of the file.
pub fn load_path_needing(
    path: &Path,
    progress: &Progress,
    memory_per_byte: u64,
) -> Result<Layer, LoadError> {
    let bytes = read_file(path, progress, memory_per_byte)?;
    let title = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    load_bytes(&bytes, LayerSource::File(path.to_owned()), title, progress)
}

/// Memory the system can still give, in bytes (Linux: `MemAvailable`; `None` elsewhere).
pub fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Refuses, with the sizes in the message, a file that would need more memory than is free.
pub fn check_memory(
    path: &Path,
    size: u64,
    memory_per_byte: u64,
    available: Option<u64>,
) -> Result<(), LoadError> {
    let needed = size.saturating_mul(memory_per_byte);
    match available {
        Some(available) if needed > available => Err(LoadError::NotEnoughMemory {
            path: path.to_owned(),
            size,
            needed,
            available,
        }),
        _ => Ok(()),
    }
}

/// Bytes in words: "1.2 GB", "48 MB", "900 KB".
pub fn describe_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.1} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.0} MB", b / 1e6)
    } else {
        format!("{:.0} KB", (b / 1e3).ceil())
    }
}

/// Reads a whole file, refusing folders, files over [`MAX_FILE_BYTES`], files that would need
/// more than the free memory (about `memory_per_byte` bytes for each byte of file) and files
/// whose first bytes show they are not JSON (before reading the rest).
pub fn read_file(
    path: &Path,
    progress: &Progress,
    memory_per_byte: u64,
) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    progress.set_stage(Stage::Reading);
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    if metadata.is_dir() {
        return Err(LoadError::Directory {
            path: path.to_owned(),
        });
    }
    let size = metadata.len();
    if size > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_owned(),
            size,
        });
    }
    check_memory(path, size, memory_per_byte, available_memory())?;
    progress.bytes_total.store(size, Ordering::Relaxed);
    let mut file = std::fs::File::open(path).map_err(io)?;
    if size > 1 << 20 {
        // A large file that is plainly something else is named as such without reading it all.
        let mut head = vec![0u8; 64 << 10];
        let n = file.read(&mut head).map_err(io)?;
        if let Some(problem) = sniff_not_json(&head[..n]) {
            return Err(LoadError::NotGeoJson {
                path: path.to_owned(),
                problem,
            });
        }
        use std::io::Seek;
        file.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
    }
    let mut bytes = Vec::with_capacity(size as usize);
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        if progress.cancelled() {
            return Err(LoadError::Cancelled {
                path: path.to_owned(),
            });
        }
        let n = file.read(&mut chunk).map_err(io)?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        progress
            .bytes_done
            .store(bytes.len() as u64, Ordering::Relaxed);
    }
    Ok(bytes)
}

fn source_path(source: &LayerSource) -> PathBuf {
    match source {
        LayerSource::File(path) => path.clone(),
        LayerSource::BuiltIn(id) => PathBuf::from(format!("<built-in {}>", id.as_str())),
        LayerSource::Made(what) => PathBuf::from(format!("<{what}>")),
    }
}

/// What the first bytes say the file is, when it is plainly not JSON.
fn sniff_not_json(bytes: &[u8]) -> Option<String> {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &bytes[i..])
        .unwrap_or(&[]);
    let lower: Vec<u8> = start.iter().take(64).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
        return Some(
            "it is an HTML web page, perhaps an error page saved instead of the download".into(),
        );
    }
    if lower.starts_with(b"<") {
        return Some("it is XML or HTML, not JSON".into());
    }
    if start.starts_with(b"PK\x03\x04") {
        return Some(
            "it is a ZIP archive (a zipped shapefile?); unzip it and open the GeoJSON inside"
                .into(),
        );
    }
    if start.starts_with(b"\x1f\x8b") {
        return Some("it is gzip-compressed; decompress it first".into());
    }
    if start.starts_with(b"%PDF") {
        return Some("it is a PDF document, not GeoJSON".into());
    }
    if start.starts_with(b"\x89PNG") || start.starts_with(b"\xFF\xD8\xFF") {
        return Some("it is an image, not GeoJSON".into());
    }
    if start.starts_with(b"SQLite format 3") {
        return Some(
            "it is an SQLite database (a GeoPackage?); export the layer as GeoJSON first".into(),
        );
    }
    if start.first() == Some(&0) {
        return Some("it is binary data (it begins with zero bytes), not text".into());
    }
    if text::looks_binary(start) {
        return Some("it is binary data, not text".into());
    }
    let after_bom = start.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(start);
    match after_bom.iter().find(|b| !b.is_ascii_whitespace()) {
        None | Some(b'{') | Some(0x1E) => None,
        Some(b'[') => {
            Some("it is a JSON array; GeoJSON is one object, such as a FeatureCollection".into())
        }
        Some(_) => Some("it does not begin with '{', as a GeoJSON object does".into()),
    }
}

/// Loads GeoJSON bytes into a layer, choosing fields and coordinate system automatically.
pub fn load_bytes(
    bytes: &[u8],
    source: LayerSource,
    title: String,
    progress: &Progress,
) -> Result<Layer, LoadError> {
    let t = std::time::Instant::now();
    let document = parse_bytes(bytes, &source, progress)?;
    log::debug!("parsed: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    progress.set_stage(Stage::Building);
    let t = std::time::Instant::now();
    let layer = build_layer(document, source, title, None)?;
    log::debug!("layer built: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    progress.set_stage(Stage::Done);
    Ok(layer)
}

/// Parses GeoJSON bytes, with a message naming the file when they are not GeoJSON.
pub fn parse_bytes(
    bytes: &[u8],
    source: &LayerSource,
    progress: &Progress,
) -> Result<geojson::RawDocument, LoadError> {
    let path = source_path(source);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::Empty { path });
    }
    let (text, encoding) = text::to_utf8(bytes);
    // UTF-16 is judged after decoding (its ASCII has zero bytes); anything else as it came.
    let sniffed = match encoding {
        text::Encoding::Utf16Le | text::Encoding::Utf16Be => sniff_not_json(&text),
        _ => sniff_not_json(bytes),
    };
    if let Some(problem) = sniffed {
        return Err(LoadError::NotGeoJson { path, problem });
    }
    progress.set_stage(Stage::Parsing);
    let mut document = geojson::parse(&text).map_err(|e| LoadError::NotGeoJson {
        path: path.clone(),
        problem: match e {
            geojson::ParseError::Json(json) => describe_json_error(&json, &text),
            other => other.to_string(),
        },
    })?;
    if let Some(note) = encoding.note() {
        document.notes.insert(0, note.to_string());
    }
    if progress.cancelled() {
        return Err(LoadError::Cancelled { path });
    }
    Ok(document)
}

/// A JSON syntax error in plain words, keeping serde's line and column.
fn describe_json_error(error: &serde_json::Error, text: &[u8]) -> String {
    let message = error.to_string();
    if message.contains("recursion limit exceeded") {
        return format!(
            "it is nested too deeply (more than 128 levels of brackets); invalid JSON: {message}"
        );
    }
    if error.is_eof() {
        return format!(
            "it ends part-way through, as a cut-short download does; invalid JSON: {message}"
        );
    }
    // What is at the place serde stopped.
    let line_start = text
        .split(|&b| b == b'\n')
        .take(error.line().saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum::<usize>();
    let at = line_start + error.column().saturating_sub(1);
    let here = text
        .get(at.saturating_sub(8).min(text.len())..(at + 8).min(text.len()))
        .unwrap_or(&[]);
    let here = String::from_utf8_lossy(here);
    if ["NaN", "Infinity"].iter().any(|w| here.contains(w)) {
        return format!(
            "JSON has no NaN or Infinity: a position must be two numbers; invalid JSON: {message}"
        );
    }
    format!("invalid JSON: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Crs;

    fn load(text: &str) -> Result<Layer, LoadError> {
        load_bytes(
            text.as_bytes(),
            LayerSource::File(PathBuf::from("test.geojson")),
            "test".into(),
            &Progress::default(),
        )
    }

    #[test]
    fn a_file_too_big_for_free_memory_is_refused_with_the_sizes() {
        let path = Path::new("big.geojson");
        let err = check_memory(
            path,
            1_000_000_000,
            APP_MEMORY_PER_BYTE,
            Some(8_000_000_000),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "Not enough free memory for this file (1.0 GB; loading it needs about 14.0 GB, and 8.0 GB is free): big.geojson"
        );
        assert!(
            check_memory(
                path,
                1_000_000_000,
                CLI_MEMORY_PER_BYTE,
                Some(8_000_000_000)
            )
            .is_ok()
        );
        assert!(check_memory(path, 1_000_000_000, APP_MEMORY_PER_BYTE, None).is_ok());
    }

    #[test]
    fn empty_file_is_named_in_the_message() {
        let err = load("  \n").unwrap_err();
        assert_eq!(err.to_string(), "The file is empty: test.geojson");
    }

    #[test]
    fn html_page_is_recognised() {
        let err = load("<!DOCTYPE html><html><body>404</body></html>").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Not GeoJSON (it is an HTML web page, perhaps an error page saved instead of the download): test.geojson"
        );
    }

    #[test]
    fn truncated_json_says_where() {
        let err =
            load(r#"{"type":"FeatureCollection","features":[{"type":"Feature","#).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with(
            "Not GeoJSON (it ends part-way through, as a cut-short download does; invalid JSON: EOF while parsing"
        ),
            "{message}"
        );
        assert!(message.ends_with(": test.geojson"));
    }

    #[test]
    fn points_only_file_has_no_polygons() {
        let err = load(r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0,51]}}]}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "No polygons found (none of its 1 feature(s) has a usable Polygon or MultiPolygon): test.geojson"
        );
    }

    #[test]
    fn bng_file_is_reprojected_and_reported() {
        // A 1 km square around Birmingham city centre, in British National Grid metres.
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"CODE":"X1","NAME":"Square"},"geometry":{"type":"Polygon","coordinates":[[[406000,286000],[407000,286000],[407000,287000],[406000,287000],[406000,286000]]]}}]}"#;
        let layer = load(text).unwrap();
        assert_eq!(layer.crs, Crs::BritishNationalGrid { declared: false });
        let bbox = layer.bbox().unwrap();
        // OSTN15 (checked against Ordnance Survey's test points in crs.rs) puts the corner
        // SP 06000 86000 at 1.91309°W 52.47191°N.
        assert!((bbox.min().x - -1.91309).abs() < 0.00001, "{bbox:?}");
        assert!((bbox.min().y - 52.47191).abs() < 0.00001, "{bbox:?}");
    }

    #[test]
    fn skipped_and_repaired_features_are_reported() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"code":"A"},"geometry":null},
            {"type":"Feature","properties":{"code":"B"},"geometry":{"type":"Polygon","coordinates":[[[0,50],[1,50],[1,51]]]}}]}"#;
        let layer = load(text).unwrap();
        assert_eq!(layer.footprints.len(), 1);
        assert_eq!(
            layer.problems,
            vec![
                "1 feature(s) had no geometry and were skipped".to_string(),
                "1 unclosed ring(s) were closed".to_string()
            ]
        );
    }
}
