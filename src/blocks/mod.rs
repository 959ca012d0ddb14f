//! LSOA 2021, the building blocks of today's footprints: each block's code, the areas it lies
//! in (sub-ICB location, ICB and NHS region of April 2026, derived; of April 2024; council 2024)
//! and its people (mid-2011…mid-2022 populations, Census 2021 ages, IMD 2025, population-weighted
//! centroid). `statistics.rs` totals them for any footprint.

use std::collections::HashMap;

use geo::Coord;

use crate::embedded;

pub mod layer_statistics;
pub mod members;
pub mod statistics;

/// The years of the population series, mid-2011 … mid-2022.
pub const FIRST_YEAR: u16 = 2011;
pub const YEARS: usize = 12;
/// Index of mid-2022 in the series.
pub const MID2022: usize = YEARS - 1;

/// Areas of one kind that blocks lie in, from a lookup: their codes and names, and each
/// block's area.
#[derive(Clone, Debug, Default)]
pub struct Grouping {
    /// (code, name) of each area, sorted by code.
    pub areas: Vec<(String, String)>,
    /// Per block, its area (index into `areas`).
    pub of_block: Vec<Option<u32>>,
}

impl Grouping {
    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.areas
            .binary_search_by(|(c, _)| c.as_str().cmp(code))
            .ok()
    }
}

/// The raw tables blocks are read from (CSV text as bytes).
pub struct Tables<'a> {
    /// LSOA → sub-ICB, ICB, region April 2026 (derived); defines the blocks (England).
    pub lookup_2026: &'a [u8],
    pub lookup_2024: &'a [u8],
    pub councils_2024: &'a [u8],
    pub population: &'a [u8],
    pub ages: &'a [u8],
    pub deprivation: &'a [u8],
    /// Population-weighted centroids, British National Grid.
    pub centroids: &'a [u8],
}

/// Every English LSOA 2021 with what is known of it.
pub struct Blocks {
    pub codes: Vec<String>,
    index: HashMap<String, u32>,
    /// Mid-year population, mid-2011 … mid-2022 (0 where ONS gives none).
    pub population: Vec<[u32; YEARS]>,
    /// Census 2021 usual residents: total, aged 0–15, aged 65 and over.
    pub census: Vec<[u32; 3]>,
    /// IMD 2025 score and decile (1 = England's most deprived tenth).
    pub deprivation: Vec<Option<(f32, u8)>>,
    /// Population-weighted centroid (lon/lat).
    pub centroids: Vec<Option<Coord<f64>>>,
    pub sub_icb_2026: Grouping,
    pub icb_2026: Grouping,
    pub region_2026: Grouping,
    pub sub_icb_2024: Grouping,
    pub icb_2024: Grouping,
    pub council_2024: Grouping,
}

/// A CSV table read by column name, row by row into one reused record (no row is kept).
struct Table<'a> {
    body: &'a [u8],
    headers: Vec<String>,
    name: &'static str,
}

impl<'a> Table<'a> {
    fn read(bytes: &'a [u8], name: &'static str) -> Result<Table<'a>, String> {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
        let headers = reader
            .byte_headers()
            .map_err(|e| format!("the {name} table's header could not be read ({e})"))?
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        Ok(Table {
            body,
            headers,
            name,
        })
    }

    fn column(&self, header: &str) -> Result<usize, String> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(header))
            .ok_or_else(|| format!("the {} table has no {header} column", self.name))
    }

    /// Calls `each` with every row after the header.
    fn rows(&self, mut each: impl FnMut(&csv::ByteRecord)) -> Result<(), String> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(self.body);
        let mut record = csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => each(&record),
                Ok(false) => return Ok(()),
                Err(e) => return Err(format!("the {} table could not be read ({e})", self.name)),
            }
        }
    }
}

/// A lookup table, its block column, and the (code, name) columns of each kind of area in it.
type Lookup<'t> = (
    &'t Table<'t>,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// A field as trimmed text ("" when missing or not UTF-8).
fn field(row: &csv::ByteRecord, column: usize) -> &str {
    row.get(column)
        .and_then(|f| std::str::from_utf8(f).ok())
        .map_or("", str::trim)
}

impl Blocks {
    /// The blocks built into this copy, read once; `None` when it was built without the data.
    pub fn embedded() -> Option<&'static Blocks> {
        static BLOCKS: std::sync::OnceLock<Option<Blocks>> = std::sync::OnceLock::new();
        BLOCKS
            .get_or_init(|| {
                // Each table's text is read for this once and dropped after.
                let (lookup_2026, lookup_2024, councils_2024) = (
                    embedded::LSOA21_ICB26.read()?,
                    embedded::LSOA21_ICB24.read()?,
                    embedded::LSOA21_LAD24.read()?,
                );
                let (population, ages, deprivation, centroids) = (
                    embedded::LSOA21_POPULATION.read()?,
                    embedded::LSOA21_AGE.read()?,
                    embedded::LSOA21_IMD.read()?,
                    embedded::LSOA21_CENTROIDS.read()?,
                );
                let tables = Tables {
                    lookup_2026: &lookup_2026,
                    lookup_2024: &lookup_2024,
                    councils_2024: &councils_2024,
                    population: &population,
                    ages: &ages,
                    deprivation: &deprivation,
                    centroids: &centroids,
                };
                match Blocks::read(&tables) {
                    Ok(blocks) => Some(blocks),
                    Err(e) => {
                        log::error!("the built-in LSOA 2021 tables could not be read: {e}");
                        None
                    }
                }
            })
            .as_ref()
    }

    /// Reads the tables (on every core), joined on the LSOA code.
    pub fn read(tables: &Tables) -> Result<Blocks, String> {
        let sources: [(&[u8], &'static str); 7] = [
            (tables.lookup_2026, "LSOA 2021 to ICB April 2026"),
            (tables.lookup_2024, "LSOA 2021 to ICB April 2024"),
            (tables.councils_2024, "LSOA 2021 to council 2024"),
            (tables.population, "LSOA 2021 population"),
            (tables.ages, "Census 2021 age bands"),
            (tables.deprivation, "IMD 2025"),
            (tables.centroids, "LSOA 2021 centroids"),
        ];
        let [
            lookup_2026,
            lookup_2024,
            councils,
            population,
            ages,
            deprivation,
            centroids,
        ] = sources.map(|(bytes, name)| Table::read(bytes, name));
        let (lookup_2026, lookup_2024, councils) = (lookup_2026?, lookup_2024?, councils?);
        let (population, ages, deprivation, centroids) =
            (population?, ages?, deprivation?, centroids?);
        let code_column = lookup_2026.column("LSOA21CD")?;
        let mut codes: Vec<String> = Vec::new();
        lookup_2026.rows(|r| codes.push(field(r, code_column).to_string()))?;
        let index: HashMap<String, u32> = codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i as u32))
            .collect();
        let n = codes.len();
        let lookups: [Lookup; 3] = [
            (
                &lookup_2026,
                "LSOA21CD",
                &[
                    ("SICBL26CD", "SICBL26NM"),
                    ("ICB26CD", "ICB26NM"),
                    ("NHSER26CD", "NHSER26NM"),
                ],
            ),
            (
                &lookup_2024,
                "lsoa21_code",
                &[
                    ("sicbl24_code", "sicbl24_name"),
                    ("icb24_code", "icb24_name"),
                ],
            ),
            (&councils, "lsoa21_code", &[("ltla24_code", "ltla24_name")]),
        ];
        let mut blocks = Blocks {
            population: Vec::new(),
            census: Vec::new(),
            deprivation: Vec::new(),
            centroids: Vec::new(),
            sub_icb_2026: Grouping::default(),
            icb_2026: Grouping::default(),
            region_2026: Grouping::default(),
            sub_icb_2024: Grouping::default(),
            icb_2024: Grouping::default(),
            council_2024: Grouping::default(),
            codes,
            index,
        };
        // The lookups on one core, the people and centroids on the other.
        let (groupings, people) = std::thread::scope(|scope| {
            let index = &blocks.index;
            let lookups = scope.spawn(move || {
                let mut all = Vec::new();
                for (table, block, pairs) in lookups {
                    all.extend(groupings(table, index, block, pairs)?);
                }
                Ok::<_, String>(all)
            });
            let mut people = PeopleColumns::new(n);
            let read = people
                .read(&blocks, &population, &ages, &deprivation)
                .and_then(|()| people.read_centroids(&blocks, &centroids));
            let groupings = match lookups.join() {
                Ok(groupings) => groupings,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            (groupings, read.map(|()| people))
        });
        let mut groupings = groupings?.into_iter();
        let mut next = || groupings.next().unwrap_or_default();
        blocks.sub_icb_2026 = next();
        blocks.icb_2026 = next();
        blocks.region_2026 = next();
        blocks.sub_icb_2024 = next();
        blocks.icb_2024 = next();
        blocks.council_2024 = next();
        let people = people?;
        blocks.population = people.population;
        blocks.census = people.census;
        blocks.deprivation = people.deprivation;
        blocks.centroids = people.centroids;
        Ok(blocks)
    }

    pub fn len(&self) -> usize {
        self.codes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.index.get(code).map(|&i| i as usize)
    }
}

/// The LSOA 2021 polygons built into this copy (33,755, super-generalised), as a layer whose
/// codes are the blocks'; `None` when it was built without them.
pub fn embedded_lsoa_layer(
    progress: &crate::load::Progress,
) -> Option<Result<crate::model::Layer, crate::load::LoadError>> {
    let bytes = embedded::LSOA21_BLOCKS.read()?;
    Some(crate::load::load_bytes(
        &bytes,
        crate::model::LayerSource::Made("LSOA 2021 blocks"),
        "LSOA 2021".to_string(),
        progress,
    ))
}

/// A number in a row's column ("8.0", "1472"); `None` when empty or not a number.
fn number(row: &csv::ByteRecord, column: usize) -> Option<f64> {
    field(row, column).parse().ok()
}

/// The people columns while they are read.
struct PeopleColumns {
    population: Vec<[u32; YEARS]>,
    census: Vec<[u32; 3]>,
    deprivation: Vec<Option<(f32, u8)>>,
    centroids: Vec<Option<Coord<f64>>>,
}

impl PeopleColumns {
    fn new(n: usize) -> Self {
        PeopleColumns {
            population: vec![[0; YEARS]; n],
            census: vec![[0; 3]; n],
            deprivation: vec![None; n],
            centroids: vec![None; n],
        }
    }

    fn read(
        &mut self,
        blocks: &Blocks,
        population: &Table,
        ages: &Table,
        deprivation: &Table,
    ) -> Result<(), String> {
        let block = |row: &csv::ByteRecord, column: usize| blocks.index_of(field(row, column));
        let code = population.column("LSOA21CD")?;
        let years: Vec<usize> = (0..YEARS)
            .map(|y| population.column(&format!("POP_MID{}", FIRST_YEAR as usize + y)))
            .collect::<Result<_, _>>()?;
        population.rows(|row| {
            if let Some(i) = block(row, code) {
                for (slot, &column) in self.population[i].iter_mut().zip(&years) {
                    *slot = number(row, column).unwrap_or(0.0) as u32;
                }
            }
        })?;
        let code = ages.column("LSOA21CD")?;
        let bands = [
            ages.column("TOTAL")?,
            ages.column("AGE_0_15")?,
            ages.column("AGE_65_PLUS")?,
        ];
        ages.rows(|row| {
            if let Some(i) = block(row, code) {
                for (slot, &column) in self.census[i].iter_mut().zip(&bands) {
                    *slot = number(row, column).unwrap_or(0.0) as u32;
                }
            }
        })?;
        let code = deprivation.column("lsoa21_code")?;
        let (score, decile) = (
            deprivation.column("IMD_score")?,
            deprivation.column("IMD_decile")?,
        );
        deprivation.rows(|row| {
            if let Some(i) = block(row, code)
                && let (Some(s), Some(d)) = (number(row, score), number(row, decile))
            {
                self.deprivation[i] = Some((s as f32, d as u8));
            }
        })
    }

    fn read_centroids(&mut self, blocks: &Blocks, centroids: &Table) -> Result<(), String> {
        let code = centroids.column("LSOA21CD")?;
        let (x, y) = (centroids.column("x")?, centroids.column("y")?);
        let mut rows: Vec<(usize, f64, f64)> = Vec::with_capacity(blocks.len());
        centroids.rows(|row| {
            if let (Some(i), Some(x), Some(y)) = (
                blocks.index_of(field(row, code)),
                number(row, x),
                number(row, y),
            ) {
                rows.push((i, x, y));
            }
        })?;
        for (i, x, y) in rows {
            self.centroids[i] = crate::load::crs::bng_to_wgs84(x, y);
        }
        Ok(())
    }
}

/// The areas a lookup puts blocks in, for each (code column, name column) pair, in one pass
/// over its rows.
fn groupings(
    table: &Table,
    index: &HashMap<String, u32>,
    block_column: &str,
    pairs: &[(&str, &str)],
) -> Result<Vec<Grouping>, String> {
    let block = table.column(block_column)?;
    let columns: Vec<(usize, usize)> = pairs
        .iter()
        .map(|(c, n)| Ok((table.column(c)?, table.column(n)?)))
        .collect::<Result<_, String>>()?;
    let mut first_seen: Vec<HashMap<String, u32>> = vec![HashMap::new(); pairs.len()];
    let mut areas: Vec<Vec<(String, String)>> = vec![Vec::new(); pairs.len()];
    let mut of_block: Vec<Vec<Option<u32>>> = vec![vec![None; index.len()]; pairs.len()];
    table.rows(|row| {
        let Some(&i) = index.get(field(row, block)) else {
            return;
        };
        for (k, &(code, name)) in columns.iter().enumerate() {
            let area_code = field(row, code);
            if area_code.is_empty() {
                continue;
            }
            let area = match first_seen[k].get(area_code) {
                Some(&a) => a,
                None => {
                    areas[k].push((area_code.to_string(), field(row, name).to_string()));
                    let a = (areas[k].len() - 1) as u32;
                    first_seen[k].insert(area_code.to_string(), a);
                    a
                }
            };
            of_block[k][i as usize] = Some(area);
        }
    })?;
    Ok(areas
        .into_iter()
        .zip(of_block)
        .map(|(areas, of_block)| sorted_by_code(areas, of_block))
        .collect())
}

/// Areas sorted by code, each block's area renumbered to match.
fn sorted_by_code(areas: Vec<(String, String)>, mut of_block: Vec<Option<u32>>) -> Grouping {
    let mut order: Vec<u32> = (0..areas.len() as u32).collect();
    order.sort_by(|&a, &b| areas[a as usize].0.cmp(&areas[b as usize].0));
    let mut renumber = vec![0u32; areas.len()];
    for (new, &old) in order.iter().enumerate() {
        renumber[old as usize] = new as u32;
    }
    for area in of_block.iter_mut().flatten() {
        *area = renumber[*area as usize];
    }
    let areas = order
        .iter()
        .map(|&old| areas[old as usize].clone())
        .collect();
    Grouping { areas, of_block }
}
