//! Embeds the default dataset from `../shared/data` (or `$FOOTPRINTS_DATA`) into the binary.
//!
//! Nothing is copied into the source tree: the generated file in `OUT_DIR` holds
//! `include_bytes!` of the data files where they are. When the folder is missing, every
//! entry is `None` and the app starts with an "Open boundaries…" prompt.

use std::env;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The number format of the compact tables, shared with the library.
#[allow(dead_code)]
#[path = "src/varint.rs"]
mod varint;

/// The compact postcode table's encoder, shared with the library.
#[allow(dead_code)]
#[path = "src/search/postcode_table.rs"]
mod postcode_table;

/// The OSTN15 grid's encoder, shared with the library (to rebuild the committed grid).
#[cfg(feature = "ostn15-source")]
#[allow(dead_code)]
#[path = "src/load/ostn15_grid.rs"]
mod ostn15_grid;

/// Ordnance Survey's OSTN15 grid, encoded and packed (see `assets/ostn15/README.md`).
const OSTN15_GRID: &str = "assets/ostn15/ostn15_grid.lzma";

/// The postcode list the table is built from.
const POSTCODES: &str = "gazetteer/england_postcodes.csv.gz";

/// (constant name, path inside the data folder).
const FILES: &[(&str, &str)] = &[
    ("FOOTPRINTS", "footprints/stp2016_44_footprints.geojson"),
    (
        "FOOTPRINTS_DETAIL",
        "footprints/stp2016_44_footprints_detail.geojson",
    ),
    ("MEMBERS", "footprints/stp2016_44_members.json"),
    ("LAND", "basemap/ne10m_land_british_isles.geojson"),
    (
        "MINOR_ISLANDS",
        "basemap/ne10m_minor_islands_british_isles.geojson",
    ),
    ("COUNTRIES", "basemap/uk_countries_ons_oa_derived.geojson"),
    ("COASTLINE", "basemap/ne10m_coastline_british_isles.geojson"),
    (
        "BORDERS",
        "basemap/ne10m_admin0_boundary_lines_british_isles.geojson",
    ),
    ("RIVERS", "basemap/ne10m_rivers_british_isles.geojson"),
    (
        "RIVERS_EUROPE",
        "basemap/ne10m_rivers_europe_supplement_british_isles.geojson",
    ),
    ("LAKES", "basemap/ne10m_lakes_british_isles.geojson"),
    (
        "LAKES_EUROPE",
        "basemap/ne10m_lakes_europe_supplement_british_isles.geojson",
    ),
    (
        "POPULATED_PLACES",
        "basemap/ne10m_populated_places_british_isles.geojson",
    ),
    ("GB_PLACES", "gazetteer/gb_places_geonames.csv"),
    ("POSTCODE_SECTORS", "gazetteer/gb_postcode_sectors.csv"),
    ("POSTCODE_DISTRICTS", "gazetteer/gb_postcode_districts.csv"),
    // Other vintages and layers, offered under Layers.
    ("STP2021", "boundaries/stp2021_ons_buc_42.geojson"),
    (
        "ICB2022",
        "boundaries/icb2022_ons_buc_42_simplified.geojson",
    ),
    ("CCG2021", "boundaries/ccg2021_ons_buc_106.geojson"),
    ("CCG2020", "boundaries/ccg2020_ons_buc_135.geojson"),
    ("CCG2019", "boundaries/ccg2019_derived_191.geojson"),
    ("LAD2019", "boundaries/lad2019_england_derived_317.geojson"),
    (
        "NHS_REGIONS",
        "boundaries/nhs_england_regions_2020_7.geojson",
    ),
    ("ENGLISH_REGIONS", "boundaries/england_regions_9.geojson"),
    // LSOA populations and the areas each LSOA is in, for totalling any layer's population.
    (
        "LSOA_POPULATION",
        "lookups/lsoa11_to_stp17_derived_pop_mid2019.csv",
    ),
    ("LSOA_STP21", "lookups/lsoa11_ccg21_stp21_lad21_ons.csv"),
    ("LSOA_ICB22", "lookups/lsoa11_sicbl22_icb22_lad22_ons.csv"),
    // Today's building blocks: LSOA 2021 polygons, what each is in, and its people.
    ("LSOA21_BLOCKS", "perf/england_lsoa2021_bsc_wgs84.geojson"),
    (
        "LSOA21_ICB26",
        "lookups/lsoa21_sicbl26_icb26_nhser26_derived.csv",
    ),
    ("SICBL26_ONS", "lookups/sicbl26_icb26_nhser26_ons.csv"),
    ("LSOA21_ICB24", "lookups/lsoa21_sicbl24_icb24_ons.csv"),
    ("LSOA21_LAD24", "lookups/lsoa21_ward24_lad24_geographr.csv"),
    (
        "LSOA21_POPULATION",
        "lookups/lsoa21_population_mid2011_mid2022_ons.csv",
    ),
    ("LSOA21_AGE", "lookups/lsoa21_census2021_age_bands_ons.csv"),
    ("LSOA21_IMD", "lookups/lsoa21_imd2025_mhclg.csv"),
    (
        "LSOA21_CENTROIDS",
        "lookups/lsoa21_population_weighted_centroids_ons_bng.csv",
    ),
    ("ICB2026_LEADERS", "footprints/icb2026_leaders.csv"),
    (
        "TRUST_HQ_2022",
        "lookups/nhs_trusts_2022_hq_points_in_stp17.csv",
    ),
    ("ICB2023", "boundaries/icb2023_ons_bsc_42.geojson"),
    ("SUBICB2023", "boundaries/subicb2023_ons_bsc_106.geojson"),
    ("LAD2024", "boundaries/lad2024_ons_bsc_england_296.geojson"),
    (
        "NHS_REGIONS_2024",
        "boundaries/nhs_england_regions_2024_ons_bsc_7.geojson",
    ),
];

/// CSV columns the app reads, for tables that carry others it never does: only these are
/// embedded (the LSOA centroids' row numbers and random GlobalIDs were a megabyte deflated,
/// the deprivation domains' ranks and scores another).
const KEEP_COLUMNS: &[(&str, &[&str])] = &[
    ("LSOA21_CENTROIDS", &["LSOA21CD", "x", "y"]),
    ("LSOA21_IMD", &["lsoa21_code", "IMD_score", "IMD_decile"]),
];

/// The `keep` columns of an unquoted CSV (a leading byte-order mark dropped), or `None` when a
/// column is missing or the file has quotes (then it is embedded whole).
fn kept_columns(text: &str, keep: &[&str]) -> Option<String> {
    if text.contains('"') {
        return None;
    }
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next()?.split(',').map(str::trim).collect();
    let wanted: Vec<usize> = keep
        .iter()
        .map(|name| header.iter().position(|h| h == name))
        .collect::<Option<_>>()?;
    let mut out = keep.join(",") + "\n";
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split(',').collect();
        let row: Vec<&str> = wanted
            .iter()
            .map(|&i| fields.get(i).copied())
            .collect::<Option<_>>()?;
        out.push_str(&row.join(","));
        out.push('\n');
    }
    Some(out)
}

/// Files smaller than this are embedded as they are.
const PACK_FROM_BYTES: u64 = 64 * 1024;

/// What the first frame reads: deflated, as inflating is several times faster than LZMA.
/// Everything else (tables, other layers, the OSTN15 grid) is packed with LZMA.
const READ_AT_START: &[&str] = &[
    "FOOTPRINTS",
    "FOOTPRINTS_DETAIL",
    "MEMBERS",
    "LAND",
    "MINOR_ISLANDS",
    "COUNTRIES",
    "COASTLINE",
    "BORDERS",
    "RIVERS",
    "RIVERS_EUROPE",
    "LAKES",
    "LAKES_EUROPE",
    "POPULATED_PLACES",
    "GB_PLACES",
    "POSTCODE_SECTORS",
    "POSTCODE_DISTRICTS",
];

/// How a file is packed into the binary (`embedded::Packing` reads it back).
#[derive(Clone, Copy, PartialEq)]
enum Packing {
    Deflate,
    Lzma,
}

impl Packing {
    /// The packing of the data file `name`.
    fn of(name: &str) -> Self {
        if READ_AT_START.contains(&name) {
            Packing::Deflate
        } else {
            Packing::Lzma
        }
    }

    /// The `Embedded` constructor for bytes packed so.
    fn constructor(self) -> &'static str {
        match self {
            Packing::Deflate => "deflated",
            Packing::Lzma => "lzma",
        }
    }
}

/// Writes `bytes` packed to `path`: zlib at its best, or LZMA (preset 9, its dictionary no
/// bigger than the file, so unpacking needs no more memory than the result).
fn write_packed(path: &Path, bytes: &[u8], packing: Packing) -> std::io::Result<()> {
    use std::io::Write as _;
    let packed = match packing {
        Packing::Lzma => {
            let mut options = lzma_rust2::LzmaOptions::with_preset(9);
            let fits = u32::try_from(bytes.len().next_power_of_two()).unwrap_or(u32::MAX);
            options.dict_size = options.dict_size.min(fits.max(4096));
            let mut writer = lzma_rust2::LzmaWriter::new_use_header(
                Vec::new(),
                &options,
                Some(bytes.len() as u64),
            )?;
            writer.write_all(bytes)?;
            writer.finish()?
        }
        Packing::Deflate => {
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(bytes)?;
            encoder.finish()?
        }
    };
    std::fs::write(path, packed)
}

/// The OSTN15 grid to embed: the committed one.
#[cfg(not(feature = "ostn15-source"))]
fn ostn15_grid_file(manifest: &Path, _out_dir: &Path) -> PathBuf {
    manifest.join(OSTN15_GRID)
}

/// The OSTN15 grid to embed, rebuilt from `ostn15_phf` (feature `ostn15-source`); a warning
/// says if it differs from the committed one.
#[cfg(feature = "ostn15-source")]
fn ostn15_grid_file(manifest: &Path, out_dir: &Path) -> PathBuf {
    let rebuilt = out_dir.join("ostn15_grid.lzma");
    if let Err(e) = write_packed(
        &rebuilt,
        &ostn15_grid::encode(&ostn15_shifts()),
        Packing::Lzma,
    ) {
        panic!(
            "could not write the OSTN15 grid: {e}: {}",
            rebuilt.display()
        );
    }
    let committed = manifest.join(OSTN15_GRID);
    if std::fs::read(&rebuilt).ok() != std::fs::read(&committed).ok() {
        println!(
            "cargo:warning=The OSTN15 grid rebuilt from ostn15_phf differs from {}; the rebuilt \
             one (embedded in this build) is {}",
            committed.display(),
            rebuilt.display()
        );
    }
    rebuilt
}

/// Every OSTN15 node's easting and northing shifts in millimetres, from Ordnance Survey's data
/// file as the `ostn15_phf` crate carries it (node `i` is its point `i + 1`).
#[cfg(feature = "ostn15-source")]
fn ostn15_shifts() -> Vec<[i32; 2]> {
    (0..ostn15_grid::NODES)
        .map(|i| {
            let point = i32::try_from(i + 1).unwrap_or(i32::MAX);
            match ostn15_phf::ostn15_lookup(&point) {
                Some((east, north, _height)) => [
                    (east * 1000.0).round() as i32,
                    (north * 1000.0).round() as i32,
                ],
                None => panic!("OSTN15 point {point} is missing from ostn15_phf"),
            }
        })
        .collect()
}

fn main() {
    println!("cargo:rerun-if-env-changed=FOOTPRINTS_DATA");
    println!("cargo:rerun-if-changed=build.rs");
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let data_dir = env::var_os("FOOTPRINTS_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../shared/data"));
    let data_dir = data_dir.canonicalize().unwrap_or(data_dir);
    println!("cargo:rerun-if-changed={}", data_dir.display());

    let mut out = String::from("// Generated by build.rs: the embedded default dataset.\n");
    let mut all = String::from(
        "/// Every embedded data file: its name, its static and its path in the data folder.\n\
         pub static ALL: &[(&str, &Embedded, &str)] = &[\n",
    );
    let mut found = 0;
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap_or_default());
    if env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "windows") {
        windows_resources(&manifest, &out_dir);
    }
    for (name, relative) in FILES {
        let _ = writeln!(all, "    ({name:?}, &{name}, {relative:?}),");
        let path = data_dir.join(relative);
        if path.is_file() {
            found += 1;
            embed_file(name, &path, &out_dir, &mut out);
        } else {
            let _ = writeln!(out, "pub static {name}: Embedded = Embedded::raw(None);");
        }
    }
    out.push_str(&all);
    out.push_str("];\n/// The columns kept of tables embedded in part.\n");
    out.push_str("pub static KEPT_COLUMNS: &[(&str, &[&str])] = &[\n");
    for (name, columns) in KEEP_COLUMNS {
        let _ = writeln!(out, "    ({name:?}, &{columns:?}),");
    }
    out.push_str("];\n");
    let table = postcode_table_static(&data_dir, &out_dir);
    let _ = writeln!(
        out,
        "/// Every English postcode as a compact table (see `search::postcode_table`).\n\
         pub static POSTCODE_TABLE: Embedded = Embedded::{table};"
    );
    println!(
        "cargo:rerun-if-changed={}",
        manifest.join(OSTN15_GRID).display()
    );
    let grid = ostn15_grid_file(&manifest, &out_dir);
    let _ = writeln!(
        out,
        "/// Ordnance Survey's OSTN15 shifts (see `load::ostn15_grid`).\n\
         pub static OSTN15_GRID: Embedded = Embedded::lzma(Some(include_bytes!({:?})));",
        grid.display().to_string()
    );
    let _ = writeln!(
        out,
        "pub const DATA_DIR: &str = {:?};\npub const FILES_FOUND: usize = {found};",
        data_dir.display().to_string()
    );
    if found == 0 {
        println!(
            "cargo:warning=No default data found in {}; the app will start with an \"Open boundaries…\" prompt",
            data_dir.display()
        );
    }
    if let Err(e) = std::fs::write(out_dir.join("embedded_data.rs"), out) {
        panic!("could not write embedded_data.rs: {e}");
    }
}

/// Writes the static of the data file `name` at `path` into `out`: packed (its kept columns
/// only, for tables embedded in part) when it is big enough, as it is otherwise.
fn embed_file(name: &str, path: &Path, out_dir: &Path, out: &mut String) {
    println!("cargo:rerun-if-changed={}", path.display());
    let (copy, packing) = (out_dir.join(format!("{name}.packed")), Packing::of(name));
    let text = std::fs::read(path).ok().map(|bytes| {
        let keep = KEEP_COLUMNS.iter().find(|(n, _)| *n == name);
        let kept = keep.and_then(|(_, keep)| kept_columns(std::str::from_utf8(&bytes).ok()?, keep));
        kept.map_or(bytes, String::into_bytes)
    });
    let packed = text
        .filter(|text| text.len() as u64 >= PACK_FROM_BYTES)
        .filter(|_| path.extension().is_none_or(|e| e != "gz"))
        .and_then(|text| write_packed(&copy, &text, packing).ok());
    let (embedded, how) = match packed {
        Some(()) => (copy.as_path(), packing.constructor()),
        None => (path, "raw"),
    };
    let _ = writeln!(
        out,
        "pub static {name}: Embedded = Embedded::{how}(Some(include_bytes!({:?})));",
        embedded.display().to_string()
    );
}

/// The postcode table's `Embedded` constructor: deflated — the table is binary, which LZMA
/// unpacks seven times slower (0.55 s) to save a tenth of the size — or none (with a warning).
fn postcode_table_static(data_dir: &Path, out_dir: &Path) -> String {
    let table = postcode_table_of(&data_dir.join(POSTCODES));
    let table_path = out_dir.join("postcode_table.packed");
    match table.map(|table| write_packed(&table_path, &table, Packing::Deflate)) {
        Some(Ok(())) => format!(
            "deflated(Some(include_bytes!({:?})))",
            table_path.display().to_string()
        ),
        Some(Err(e)) => {
            println!("cargo:warning=The postcode table could not be written ({e})");
            "raw(None)".to_string()
        }
        None => "raw(None)".to_string(),
    }
}

/// Reads the gzipped `postcode,lat,lon` list into the compact table. `None` (with a warning)
/// when the list is missing or cannot be read.
fn postcode_table_of(source: &Path) -> Option<Vec<u8>> {
    if !source.is_file() {
        return None;
    }
    println!("cargo:rerun-if-changed={}", source.display());
    let warn = |problem: String| {
        println!(
            "cargo:warning=The postcode list was left out: {problem}: {}",
            source.display()
        );
    };
    let mut text = Vec::new();
    let read = std::fs::File::open(source)
        .and_then(|f| flate2::read::MultiGzDecoder::new(f).read_to_end(&mut text));
    if let Err(e) = read {
        warn(format!("it could not be read ({e})"));
        return None;
    }
    let entries = match postcode_table::entries_of_csv(&text) {
        Ok(entries) => entries,
        Err((line, text)) => {
            warn(format!(
                "line {line} is not \"postcode,lat,lon\" ({text:?})"
            ));
            return None;
        }
    };
    Some(postcode_table::encode(entries))
}

/// The Windows exe's icon and version information (what Explorer shows in Properties), compiled
/// with mingw's `windres` (or `$WINDRES`) and linked into the binary. Without the tool the exe
/// is built without them, with a warning.
fn windows_resources(manifest: &Path, out_dir: &Path) {
    let icon = manifest.join("assets/icon.ico");
    println!("cargo:rerun-if-changed={}", icon.display());
    println!("cargo:rerun-if-env-changed=WINDRES");
    let version = env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let numbers: Vec<u16> = version
        .split(['.', '-'])
        .map_while(|part| part.parse().ok())
        .chain(std::iter::repeat(0))
        .take(4)
        .collect();
    let numbers = format!(
        "{},{},{},{}",
        numbers[0], numbers[1], numbers[2], numbers[3]
    );
    let rc = format!(
        r#"1 ICON {icon:?}
1 VERSIONINFO
FILEVERSION {numbers}
PRODUCTVERSION {numbers}
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "080904B0"
    BEGIN
      VALUE "CompanyName", "Footprints"
      VALUE "FileDescription", "Footprints: offline map of England's health and care footprints"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "footprints"
      VALUE "LegalCopyright", "MIT OR Apache-2.0; data: see LICENCES"
      VALUE "OriginalFilename", "footprints.exe"
      VALUE "ProductName", "Footprints"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x809, 1200
  END
END
"#,
        icon = icon.display().to_string().replace('\\', "/"),
    );
    let (rc_path, object) = (out_dir.join("footprints.rc"), out_dir.join("resources.o"));
    let windres = env::var("WINDRES").unwrap_or_else(|_| "x86_64-w64-mingw32-windres".into());
    let compiled = std::fs::write(&rc_path, rc).and_then(|()| {
        std::process::Command::new(&windres)
            .arg(&rc_path)
            .args(["-O", "coff", "-o"])
            .arg(&object)
            .status()
    });
    match compiled {
        Ok(status) if status.success() => {
            println!("cargo:rustc-link-arg-bins={}", object.display());
        }
        Ok(status) => println!("cargo:warning=no icon or version information: {windres} {status}"),
        Err(e) => println!("cargo:warning=no icon or version information: {windres}: {e}"),
    }
}
