//! Embeds the default dataset from `../shared/data` (or `$FOOTPRINTS_DATA`) into the binary.
//!
//! Nothing is copied into the source tree: the generated file in `OUT_DIR` holds
//! `include_bytes!` of the data files where they are. When the folder is missing, every
//! entry is `None` and the app starts with an "Open boundaries…" prompt.

use std::env;
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The compact postcode table's encoder, shared with the library.
#[allow(dead_code)]
#[path = "src/search/postcode_table.rs"]
mod postcode_table;

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

/// Files smaller than this are embedded as they are.
const DEFLATE_FROM_BYTES: u64 = 64 * 1024;

/// Writes `path` deflated (zlib) to `copy` when it is big enough to be worth it; returns where.
fn deflated_copy(path: &std::path::Path, copy: &std::path::Path) -> Option<PathBuf> {
    use std::io::Write as _;
    let size = std::fs::metadata(path).ok()?.len();
    if size < DEFLATE_FROM_BYTES || path.extension().is_some_and(|e| e == "gz") {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&bytes).ok()?;
    let deflated = encoder.finish().ok()?;
    std::fs::write(copy, deflated).ok()?;
    Some(copy.to_path_buf())
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
    let mut found = 0;
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap_or_default());
    for (name, relative) in FILES {
        let path = data_dir.join(relative);
        if path.is_file() {
            found += 1;
            println!("cargo:rerun-if-changed={}", path.display());
            // Text of any size is embedded deflated (a sixth or so of its size) and inflated
            // when first read; small files as they are.
            let deflated = deflated_copy(&path, &out_dir.join(format!("{name}.deflate")));
            let (embedded, how) = match &deflated {
                Some(copy) => (copy, "deflated"),
                None => (&path, "raw"),
            };
            let _ = writeln!(
                out,
                "pub static {name}: Embedded = Embedded::{how}(Some(include_bytes!({:?})));",
                embedded.display().to_string()
            );
        } else {
            let _ = writeln!(out, "pub static {name}: Embedded = Embedded::raw(None);");
        }
    }
    let table = postcode_table_of(&data_dir.join(POSTCODES), &out_dir);
    let _ = writeln!(
        out,
        "/// Every English postcode as a compact table (see `search::postcode_table`).\n\
         pub const POSTCODE_TABLE: Option<&[u8]> = {};",
        match table {
            Some(path) => format!("Some(include_bytes!({:?}))", path.display().to_string()),
            None => "None".to_string(),
        }
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

/// Reads the gzipped `postcode,lat,lon` list and writes the compact table into `out_dir`.
/// `None` (with a warning) when the list is missing or cannot be read.
fn postcode_table_of(source: &Path, out_dir: &Path) -> Option<PathBuf> {
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
    let path = out_dir.join("postcode_table.bin");
    match std::fs::write(&path, postcode_table::encode(entries)) {
        Ok(()) => Some(path),
        Err(e) => {
            warn(format!("the table could not be written ({e})"));
            None
        }
    }
}
