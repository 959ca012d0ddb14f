//! `footprints build`: footprints built from blocks by an assignment CSV, written atomically as
//! GeoJSON (one feature per footprint) with an optional JSON report.

use std::path::PathBuf;

use anyhow::Context;

use crate::assign::{self, Assignment, AssignmentColumns};
use crate::blocks::{Blocks, statistics};
use crate::load::Progress;

/// What `footprints build` was asked.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// Block polygons (GeoJSON); `None`: the built-in LSOA 2021.
    pub blocks: Option<PathBuf>,
    pub assign: PathBuf,
    pub columns: AssignmentColumns,
    pub out: PathBuf,
    pub report: Option<PathBuf>,
}

/// Builds, writes and returns a summary for the terminal.
pub fn run(options: &BuildOptions) -> anyhow::Result<String> {
    let t = std::time::Instant::now();
    // The people tables are read beside the blocks.
    let people_tables = std::thread::spawn(Blocks::embedded);
    let progress = Progress::default();
    let layer = match &options.blocks {
        Some(path) => crate::load::load_path(path, &progress).map_err(|e| anyhow::anyhow!("{e}"))?,
        None => crate::blocks::embedded_lsoa_layer(&progress)
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "this copy was built without the LSOA 2021 blocks; give a blocks file with --blocks FILE"
                )
            })?
            .map_err(|e| anyhow::anyhow!("{e}"))?,
    };
    log::debug!("blocks read: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    let codes: std::collections::HashSet<&str> =
        layer.footprints.iter().map(|f| f.code.as_str()).collect();
    let assignment = Assignment::read_csv(&options.assign, &options.columns, &|c| {
        codes.contains(c.trim())
    })?;
    // People are totalled when the blocks are LSOA 2021 (most of their codes are known).
    let people = people_tables.join().ok().flatten().filter(|people| {
        let known = codes
            .iter()
            .filter(|c| people.index_of(c).is_some())
            .count();
        known * 2 > codes.len()
    });
    let t = std::time::Instant::now();
    let (built, report) = assign::build(&layer, &assignment, people);
    log::debug!("dissolved: {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    crate::settings::write_atomically(&options.out, assign::output::to_geojson(&built).as_bytes())
        .with_context(|| format!("Could not write {}", options.out.display()))?;
    if let Some(path) = &options.report {
        let shares = people.map(|people| {
            let group_of: Vec<Option<u32>> = people
                .codes
                .iter()
                .map(|c| assignment.of_block.get(c).copied())
                .collect();
            (
                people,
                statistics::council_shares(people, &group_of, built.len()),
            )
        });
        let json = assign::output::report_json(
            &built,
            &report,
            shares.as_ref().map(|(p, s)| (*p, s.as_slice())),
        );
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        crate::settings::write_atomically(path, text.as_bytes())
            .with_context(|| format!("Could not write {}", path.display()))?;
    }
    let mut summary = format!(
        "Built {} footprint(s) from {} block(s): {}",
        built.len(),
        built.iter().map(|f| f.blocks.len()).sum::<usize>(),
        options.out.display()
    );
    for line in report.describe() {
        summary.push_str("\n  ");
        summary.push_str(&line);
    }
    if people.is_some() {
        summary.push_str(&format!(
            "\n  People (mid-2022, Census 2021 ages, IMD 2025): {}",
            statistics::Method::ByCode.describe()
        ));
    }
    Ok(summary)
}
