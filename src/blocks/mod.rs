//! LSOA 2021, the building blocks of today's footprints: each block's code, the areas it lies
//! in (sub-ICB location, ICB and NHS region of April 2026, derived; of April 2024; council 2024)
//! and its people (mid-2011…mid-2022 populations, Census 2021 ages, IMD 2025, population-weighted
//! centroid). `statistics.rs` totals them for any footprint.

use std::collections::HashMap;

use geo::Coord;

use crate::defaults::embedded;

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

/// A CSV table read by column name.
struct Table {
    headers: Vec<String>,
    rows: Vec<csv::StringRecord>,
    name: &'static str,
}

impl Table {
    fn read(bytes: &[u8], name: &'static str) -> Result<Table, String> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
        let headers = reader
            .headers()
            .map_err(|e| format!("the {name} table's header could not be read ({e})"))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let rows = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("the {name} table could not be read ({e})"))?;
        Ok(Table {
            headers,
            rows,
            name,
        })
    }

    fn column(&self, header: &str) -> Result<usize, String> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(header))
            .ok_or_else(|| format!("the {} table has no {header} column", self.name))
    }
}

impl Blocks {
    /// The blocks built into this copy, read once; `None` when it was built without the data.
    pub fn embedded() -> Option<&'static Blocks> {
        static BLOCKS: std::sync::OnceLock<Option<Blocks>> = std::sync::OnceLock::new();
        BLOCKS
            .get_or_init(|| {
                let tables = Tables {
                    lookup_2026: embedded::LSOA21_ICB26?,
                    lookup_2024: embedded::LSOA21_ICB24?,
                    councils_2024: embedded::LSOA21_LAD24?,
                    population: embedded::LSOA21_POPULATION?,
                    ages: embedded::LSOA21_AGE?,
                    deprivation: embedded::LSOA21_IMD?,
                    centroids: embedded::LSOA21_CENTROIDS?,
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
        let read = crate::parallel::map(&sources, |(bytes, name)| Table::read(bytes, name));
        let mut read = read.into_iter();
        let mut next = || {
            read.next()
                .unwrap_or_else(|| Err("a table is missing".into()))
        };
        let (lookup_2026, lookup_2024, councils, population, ages, deprivation, centroids) = (
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
        );
        let code_column = lookup_2026.column("LSOA21CD")?;
        let codes: Vec<String> = lookup_2026
            .rows
            .iter()
            .filter_map(|r| r.get(code_column).map(str::to_string))
            .collect();
        let index: HashMap<String, u32> = codes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i as u32))
            .collect();
        let n = codes.len();
        let mut blocks = Blocks {
            population: vec![[0; YEARS]; n],
            census: vec![[0; 3]; n],
            deprivation: vec![None; n],
            centroids: vec![None; n],
            sub_icb_2026: grouping(&lookup_2026, &index, "LSOA21CD", "SICBL26CD", "SICBL26NM")?,
            icb_2026: grouping(&lookup_2026, &index, "LSOA21CD", "ICB26CD", "ICB26NM")?,
            region_2026: grouping(&lookup_2026, &index, "LSOA21CD", "NHSER26CD", "NHSER26NM")?,
            sub_icb_2024: grouping(
                &lookup_2024,
                &index,
                "lsoa21_code",
                "sicbl24_code",
                "sicbl24_name",
            )?,
            icb_2024: grouping(
                &lookup_2024,
                &index,
                "lsoa21_code",
                "icb24_code",
                "icb24_name",
            )?,
            council_2024: grouping(
                &councils,
                &index,
                "lsoa21_code",
                "ltla24_code",
                "ltla24_name",
            )?,
            codes,
            index,
        };
        blocks.read_people(&population, &ages, &deprivation)?;
        blocks.read_centroids(&centroids)?;
        Ok(blocks)
    }

    fn read_people(
        &mut self,
        population: &Table,
        ages: &Table,
        deprivation: &Table,
    ) -> Result<(), String> {
        let code = population.column("LSOA21CD")?;
        let years: Vec<usize> = (0..YEARS)
            .map(|y| population.column(&format!("POP_MID{}", FIRST_YEAR as usize + y)))
            .collect::<Result<_, _>>()?;
        for row in &population.rows {
            if let Some(i) = self.row_block(row, code) {
                for (slot, &column) in self.population[i].iter_mut().zip(&years) {
                    *slot = number(row, column).unwrap_or(0.0) as u32;
                }
            }
        }
        let code = ages.column("LSOA21CD")?;
        let bands = [
            ages.column("TOTAL")?,
            ages.column("AGE_0_15")?,
            ages.column("AGE_65_PLUS")?,
        ];
        for row in &ages.rows {
            if let Some(i) = self.row_block(row, code) {
                for (slot, &column) in self.census[i].iter_mut().zip(&bands) {
                    *slot = number(row, column).unwrap_or(0.0) as u32;
                }
            }
        }
        let code = deprivation.column("lsoa21_code")?;
        let (score, decile) = (
            deprivation.column("IMD_score")?,
            deprivation.column("IMD_decile")?,
        );
        for row in &deprivation.rows {
            if let Some(i) = self.row_block(row, code)
                && let (Some(s), Some(d)) = (number(row, score), number(row, decile))
            {
                self.deprivation[i] = Some((s as f32, d as u8));
            }
        }
        Ok(())
    }

    fn read_centroids(&mut self, centroids: &Table) -> Result<(), String> {
        let code = centroids.column("LSOA21CD")?;
        let (x, y) = (centroids.column("x")?, centroids.column("y")?);
        let rows: Vec<(usize, f64, f64)> = centroids
            .rows
            .iter()
            .filter_map(|row| Some((self.row_block(row, code)?, number(row, x)?, number(row, y)?)))
            .collect();
        let converted = crate::parallel::map(&rows, |&(i, x, y)| {
            (i, crate::load::crs::bng_to_wgs84(x, y))
        });
        for (i, point) in converted {
            self.centroids[i] = point;
        }
        Ok(())
    }

    fn row_block(&self, row: &csv::StringRecord, column: usize) -> Option<usize> {
        self.index_of(row.get(column)?.trim())
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
    let bytes = embedded::LSOA21_BLOCKS?;
    Some(crate::load::load_bytes(
        bytes,
        crate::model::LayerSource::Embedded("lsoa2021"),
        "LSOA 2021".to_string(),
        progress,
    ))
}

/// A number in a row's column ("8.0", "1472"); `None` when empty or not a number.
fn number(row: &csv::StringRecord, column: usize) -> Option<f64> {
    row.get(column)?.trim().parse().ok()
}

/// The areas a lookup puts blocks in.
fn grouping(
    table: &Table,
    index: &HashMap<String, u32>,
    block_column: &str,
    code_column: &str,
    name_column: &str,
) -> Result<Grouping, String> {
    let (block, code, name) = (
        table.column(block_column)?,
        table.column(code_column)?,
        table.column(name_column)?,
    );
    let mut names: HashMap<&str, &str> = HashMap::new();
    for row in &table.rows {
        if let (Some(c), Some(n)) = (row.get(code), row.get(name))
            && !c.trim().is_empty()
        {
            names.entry(c.trim()).or_insert(n.trim());
        }
    }
    let mut areas: Vec<(String, String)> = names
        .into_iter()
        .map(|(c, n)| (c.to_string(), n.to_string()))
        .collect();
    areas.sort();
    let position: HashMap<&str, u32> = areas
        .iter()
        .enumerate()
        .map(|(i, (c, _))| (c.as_str(), i as u32))
        .collect();
    let mut of_block = vec![None; index.len()];
    for row in &table.rows {
        if let (Some(b), Some(c)) = (row.get(block), row.get(code))
            && let Some(&i) = index.get(b.trim())
        {
            of_block[i as usize] = position.get(c.trim()).copied();
        }
    }
    Ok(Grouping { areas, of_block })
}
