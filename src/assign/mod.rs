//! Footprints built from blocks: an assignment (block code → footprint code and name, read from
//! a CSV and checked), dissolved on the blocks' shared arcs, each footprint counted (blocks,
//! parts, area) and, when the blocks are LSOA 2021, totalled (people, ages, deprivation).

use std::collections::HashMap;
use std::path::Path;

use anyhow::bail;
use geo::MultiPolygon;

use crate::blocks::Blocks;
use crate::blocks::statistics::{self, Totals};
use crate::model::Layer;

pub mod output;

/// Which block goes in which footprint.
#[derive(Clone, Debug, Default)]
pub struct Assignment {
    /// Each footprint's (code, name), in order of first appearance.
    pub footprints: Vec<(String, String)>,
    /// Block code → footprint (index into `footprints`).
    pub of_block: HashMap<String, u32>,
    /// Blocks listed more than once, with every footprint they were given (the first is kept).
    pub assigned_twice: Vec<(String, Vec<String>)>,
}

impl Assignment {
    /// From (block code, footprint code, footprint name) rows; a footprint's name is the first
    /// non-empty one given (else its code).
    pub fn from_rows<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Self {
        let mut builder = Builder::default();
        for (block, code, name) in rows {
            builder.add(block, code, name);
        }
        builder.finish()
    }

    /// The assignment a lookup of the blocks gives (each LSOA to its area).
    pub fn from_grouping(
        blocks: &crate::blocks::Blocks,
        grouping: &crate::blocks::Grouping,
    ) -> Self {
        Assignment::from_rows(blocks.codes.iter().zip(&grouping.of_block).filter_map(
            |(code, area)| {
                let (area_code, name) = &grouping.areas[(*area)? as usize];
                Some((code.as_str(), area_code.as_str(), name.as_str()))
            },
        ))
    }

    /// Reads an assignment CSV. Columns not named are guessed: the block column is the one
    /// whose values are block codes (`is_block`), the footprint column a `footprint_code`-like
    /// name, the name column `footprint_name` or the code column's NM/name twin.
    pub fn read_csv(
        path: &Path,
        columns: &AssignmentColumns,
        is_block: &dyn Fn(&str) -> bool,
    ) -> anyhow::Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| {
            anyhow::anyhow!("Could not read the assignment ({e}): {}", path.display())
        })?;
        if crate::load::text::looks_binary(&bytes) {
            bail!("Not a CSV (it is binary data): {}", path.display());
        }
        let bytes = crate::load::text::utf16_to_utf8(&bytes).unwrap_or(bytes);
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
        let headers: Vec<String> = reader
            .byte_headers()
            .map_err(|e| {
                anyhow::anyhow!("Could not read the header row ({e}): {}", path.display())
            })?
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        let row_error =
            |e: csv::Error| anyhow::anyhow!("Could not read a row ({e}): {}", path.display());
        // The first rows are enough to tell which column holds the blocks.
        let mut sample: Vec<csv::ByteRecord> = Vec::new();
        for record in reader.byte_records().take(500) {
            sample.push(record.map_err(row_error)?);
        }
        let (block, group, name) = columns.choose(&headers, &sample, is_block, path)?;
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
        let mut record = csv::ByteRecord::new();
        let mut builder = Builder::default();
        while reader.read_byte_record(&mut record).map_err(row_error)? {
            let text = |c: usize| {
                record
                    .get(c)
                    .and_then(|f| std::str::from_utf8(f).ok())
                    .unwrap_or("")
            };
            builder.add(text(block), text(group), name.map_or("", text));
        }
        let assignment = builder.finish();
        if assignment.of_block.is_empty() {
            bail!(
                "no row gives a block a footprint (columns {} and {}): {}",
                headers[block],
                headers[group],
                path.display()
            );
        }
        Ok(assignment)
    }
}

/// An assignment being read row by row.
#[derive(Default)]
struct Builder {
    assignment: Assignment,
    footprint_index: HashMap<String, u32>,
    twice: HashMap<String, Vec<String>>,
}

impl Builder {
    fn add(&mut self, block: &str, code: &str, name: &str) {
        let (block, code, name) = (block.trim(), code.trim(), name.trim());
        if block.is_empty() || code.is_empty() {
            return;
        }
        let footprints = &mut self.assignment.footprints;
        let index = match self.footprint_index.get(code) {
            Some(&i) => i,
            None => {
                footprints.push((code.to_string(), String::new()));
                let i = (footprints.len() - 1) as u32;
                self.footprint_index.insert(code.to_string(), i);
                i
            }
        };
        let slot = &mut footprints[index as usize].1;
        if slot.is_empty() {
            *slot = if name.is_empty() { code } else { name }.to_string();
        }
        match self.assignment.of_block.get(block) {
            None => {
                self.assignment.of_block.insert(block.to_string(), index);
            }
            Some(&first) => self
                .twice
                .entry(block.to_string())
                .or_insert_with(|| vec![footprints[first as usize].0.clone()])
                .push(code.to_string()),
        }
    }

    fn finish(mut self) -> Assignment {
        let mut assigned_twice: Vec<(String, Vec<String>)> = self.twice.into_iter().collect();
        assigned_twice.sort();
        self.assignment.assigned_twice = assigned_twice;
        self.assignment
    }
}

/// Column names given on the command line (`None`: guess).
#[derive(Clone, Debug, Default)]
pub struct AssignmentColumns {
    pub block: Option<String>,
    pub group: Option<String>,
    pub name: Option<String>,
}

impl AssignmentColumns {
    /// (block, footprint code, footprint name) column indices.
    fn choose(
        &self,
        headers: &[String],
        records: &[csv::ByteRecord],
        is_block: &dyn Fn(&str) -> bool,
        path: &Path,
    ) -> anyhow::Result<(usize, usize, Option<usize>)> {
        let listed = || headers.join(", ");
        let find = |name: &str| {
            headers
                .iter()
                .position(|h| h.eq_ignore_ascii_case(name.trim()))
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "there is no column named {name:?}; the columns are {}: {}",
                        listed(),
                        path.display()
                    )
                })
        };
        let block = match &self.block {
            Some(name) => find(name)?,
            None => {
                let sample = &records[..records.len().min(500)];
                let hits = |c: usize| {
                    sample
                        .iter()
                        .filter(|r| {
                            r.get(c)
                                .and_then(|f| std::str::from_utf8(f).ok())
                                .is_some_and(is_block)
                        })
                        .count()
                };
                match (0..headers.len()).max_by_key(|&c| (hits(c), std::cmp::Reverse(c))) {
                    Some(c) if hits(c) * 2 > sample.len() => c,
                    _ => bail!(
                        "no column holds the blocks' codes; say which with --block-column NAME (the columns are {}): {}",
                        listed(),
                        path.display()
                    ),
                }
            }
        };
        let group = match &self.group {
            Some(name) => find(name)?,
            None => {
                const NAMES: [&str; 5] =
                    ["footprint_code", "footprint", "district", "group", "code"];
                match NAMES
                    .iter()
                    .find_map(|n| find(n).ok().filter(|&c| c != block))
                {
                    Some(c) => c,
                    None => bail!(
                        "say which column names each block's footprint with --group-column NAME (the columns are {}): {}",
                        listed(),
                        path.display()
                    ),
                }
            }
        };
        let name = match &self.name {
            Some(name) => Some(find(name)?),
            None => {
                let header = &headers[group];
                let twins = [
                    "footprint_name".to_string(),
                    header.replace("CD", "NM"),
                    header.replace("code", "name"),
                    format!("{header}_name"),
                ];
                twins
                    .iter()
                    .filter(|t| *t != header)
                    .find_map(|t| find(t).ok())
            }
        };
        Ok((block, group, name))
    }
}

/// One footprint built from its blocks.
#[derive(Clone, Debug)]
pub struct BuiltFootprint {
    pub code: String,
    pub name: String,
    pub geometry: MultiPolygon<f64>,
    /// Blocks it is made of (indices into the blocks layer).
    pub blocks: Vec<usize>,
    /// Separate pieces of land.
    pub parts: usize,
    pub area_km2: f64,
    /// People, ages and deprivation, when the blocks are LSOA 2021.
    pub totals: Option<Totals>,
}

/// What did not fit: every block and code is accounted for by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BuildReport {
    /// Blocks of the layer that the assignment does not mention.
    pub unassigned_blocks: Vec<String>,
    /// Codes in the assignment that are not blocks of the layer.
    pub unknown_blocks: Vec<String>,
    /// Blocks given more than one footprint (the first was used).
    pub assigned_twice: Vec<(String, Vec<String>)>,
    /// Codes used by more than one block of the layer (only the first was used).
    pub duplicate_blocks: Vec<String>,
}

impl BuildReport {
    /// The problems in plain words, one a line, each list shortened.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let list = |codes: &[String]| {
            let shown: Vec<&str> = codes.iter().take(10).map(String::as_str).collect();
            let more = codes.len().saturating_sub(shown.len());
            if more > 0 {
                format!("{} and {more} more", shown.join(", "))
            } else {
                shown.join(", ")
            }
        };
        if !self.unassigned_blocks.is_empty() {
            lines.push(format!(
                "{} block(s) are in no footprint: {}",
                self.unassigned_blocks.len(),
                list(&self.unassigned_blocks)
            ));
        }
        if !self.unknown_blocks.is_empty() {
            lines.push(format!(
                "{} code(s) in the assignment are not blocks: {}",
                self.unknown_blocks.len(),
                list(&self.unknown_blocks)
            ));
        }
        if !self.assigned_twice.is_empty() {
            let named: Vec<String> = self
                .assigned_twice
                .iter()
                .map(|(b, f)| format!("{b} ({})", f.join(", ")))
                .collect();
            lines.push(format!(
                "{} block(s) are given more than one footprint; the first is used: {}",
                named.len(),
                list(&named)
            ));
        }
        if !self.duplicate_blocks.is_empty() {
            lines.push(format!(
                "{} block code(s) are used by more than one block; the first is used: {}",
                self.duplicate_blocks.len(),
                list(&self.duplicate_blocks)
            ));
        }
        lines
    }
}

/// Builds the assignment's footprints from the blocks of `layer` (matched by code). `people`
/// totals them when the blocks are LSOA 2021.
pub fn build(
    layer: &Layer,
    assignment: &Assignment,
    people: Option<&Blocks>,
) -> (Vec<BuiltFootprint>, BuildReport) {
    let mut report = BuildReport {
        assigned_twice: assignment.assigned_twice.clone(),
        ..BuildReport::default()
    };
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut group_of: Vec<Option<u32>> = Vec::with_capacity(layer.footprints.len());
    for (i, block) in layer.footprints.iter().enumerate() {
        if seen.insert(block.code.as_str(), i).is_some() {
            report.duplicate_blocks.push(block.code.clone());
            group_of.push(None);
            continue;
        }
        let group = assignment.of_block.get(&block.code).copied();
        if group.is_none() {
            report.unassigned_blocks.push(block.code.clone());
        }
        group_of.push(group);
    }
    report.unknown_blocks = assignment
        .of_block
        .keys()
        .filter(|code| !seen.contains_key(code.as_str()))
        .cloned()
        .collect();
    report.unknown_blocks.sort();
    report.duplicate_blocks.sort();
    report.duplicate_blocks.dedup();

    let groups = assignment.footprints.len();
    let t = std::time::Instant::now();
    let topology =
        crate::topology::Topology::build(layer.footprints.iter().map(|f| &f.geometry), |c| c);
    log::debug!("arcs: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let t = std::time::Instant::now();
    let dissolved = topology.full().dissolve(&group_of, groups);
    log::debug!("dissolve: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups];
    for (block, group) in group_of.iter().enumerate() {
        if let Some(g) = group {
            members[*g as usize].push(block);
        }
    }
    let totals = people.map(|people| {
        // The blocks in the people tables' order.
        let mut by_people_index = vec![None; people.len()];
        for (block, group) in group_of.iter().enumerate() {
            if let Some(i) = people.index_of(&layer.footprints[block].code) {
                by_people_index[i] = *group;
            }
        }
        statistics::totals(people, &by_people_index, groups)
    });
    let built = dissolved
        .into_iter()
        .zip(members)
        .enumerate()
        .map(|(g, (dissolved, blocks))| {
            let (code, name) = assignment.footprints[g].clone();
            BuiltFootprint {
                // Geodesic: exact on the ellipsoid, and the blocks' areas add up to it.
                area_km2: crate::geo_util::geodesic_km2(&dissolved.geometry),
                code,
                name,
                parts: dissolved.parts,
                geometry: dissolved.geometry,
                blocks,
                totals: totals.as_ref().map(|t| t[g].clone()),
            }
        })
        .collect();
    (built, report)
}
