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
    /// Where to write the GeoJSON (optional with `check`).
    pub out: Option<PathBuf>,
    pub report: Option<PathBuf>,
    /// Print the rule report as one JSON object on standard output.
    pub check: bool,
}

/// What a build gives: a summary for standard error and, with `--check`, the rule report.
pub struct BuildOutcome {
    pub summary: String,
    pub check: Option<String>,
}

/// Builds, writes and returns a summary for the terminal.
pub fn run(options: &BuildOptions) -> anyhow::Result<BuildOutcome> {
    if options.out.is_none() && !options.check {
        anyhow::bail!(
            "say where to write the footprints with --out FILE (or check them with --check)"
        );
    }
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
    if let Some(out) = &options.out {
        crate::fs::write_atomically(out, assign::output::to_geojson(&built).as_bytes())
            .with_context(|| format!("Could not write {}", out.display()))?;
    }
    // Each footprint's share of every council it holds, for the report and the check.
    let shares = people
        .filter(|_| options.report.is_some() || options.check)
        .map(|people| {
            let group_of: Vec<Option<u32>> = people
                .codes
                .iter()
                .map(|c| assignment.of_block.get(c).copied())
                .collect();
            statistics::council_shares(people, &group_of, built.len())
        });
    let check = options.check.then(|| {
        let settings = std::fs::read(crate::builder::file::settings_path(&options.assign))
            .ok()
            .and_then(|json| serde_json::from_slice::<crate::builder::file::Settings>(&json).ok());
        let rules = settings.map(|s| s.rules).unwrap_or_default();
        check_json(&built, &report, people.zip(shares.as_deref()), &rules).to_string()
    });
    if let Some(path) = &options.report {
        let json = assign::output::report_json(&built, &report, people.zip(shares.as_deref()));
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        crate::fs::write_atomically(path, text.as_bytes())
            .with_context(|| format!("Could not write {}", path.display()))?;
    }
    let mut summary = format!(
        "Built {} footprint(s) from {} block(s){}",
        built.len(),
        built.iter().map(|f| f.blocks.len()).sum::<usize>(),
        options
            .out
            .as_ref()
            .map(|out| format!(": {}", out.display()))
            .unwrap_or_default()
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
    Ok(BuildOutcome { summary, check })
}

/// The rule report: per footprint its blocks, parts, people and split councils; the blocks in
/// no footprint; and each rule broken (population range, one piece, councils whole).
fn check_json(
    built: &[assign::BuiltFootprint],
    report: &assign::BuildReport,
    councils: Option<(&Blocks, &[Vec<statistics::CouncilShare>])>,
    rules: &crate::builder::rules::Rules,
) -> serde_json::Value {
    use serde_json::json;
    let mut failed = Vec::new();
    let footprints: Vec<serde_json::Value> = built
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let population = f.totals.as_ref().map(|t| t.population_mid2022());
            let split: Vec<serde_json::Value> = match councils {
                Some((people, shares)) => shares[i]
                    .iter()
                    .filter(|s| !s.whole())
                    .map(|s| {
                        let (code, name) = &people.council_2024.areas[s.council];
                        json!({"code": code, "name": name, "share": (s.share() * 10_000.0).round() / 10_000.0})
                    })
                    .collect(),
                _ => Vec::new(),
            };
            if rules.population && let Some(p) = population {
                let below = p < rules.min_population;
                let above = rules.max_population.is_some_and(|max| p > max);
                if below || above {
                    failed.push(json!({
                        "rule": "population",
                        "code": f.code,
                        "message": format!("{} has {} people (mid-2022), {} the range", f.name, p, if below { "below" } else { "above" }),
                    }));
                }
            }
            if rules.one_piece && f.parts > 1 && !rules.accepted_pieces.contains(&f.code) {
                failed.push(json!({
                    "rule": "one_piece",
                    "code": f.code,
                    "message": format!("{} is in {} pieces", f.name, f.parts),
                }));
            }
            json!({
                "code": f.code,
                "name": f.name,
                "blocks": f.blocks.len(),
                "parts": f.parts,
                "population_mid2022": population,
                "councils_split": split,
            })
        })
        .collect();
    if rules.councils_whole {
        let mut split_codes: Vec<&serde_json::Value> = footprints
            .iter()
            .flat_map(|f| f["councils_split"].as_array().into_iter().flatten())
            .collect();
        split_codes.sort_by_key(|c| c["code"].as_str().unwrap_or("").to_string());
        split_codes.dedup_by_key(|c| c["code"].as_str().unwrap_or("").to_string());
        for council in split_codes {
            failed.push(json!({
                "rule": "councils_whole",
                "code": council["code"],
                "message": format!("{} is split between footprints", council["name"].as_str().unwrap_or("")),
            }));
        }
    }
    if rules.every_block && !report.unassigned_blocks.is_empty() {
        failed.push(json!({
            "rule": "every_block",
            "code": null,
            "message": format!("{} block(s) are in no footprint", report.unassigned_blocks.len()),
        }));
    }
    json!({
        "footprints": footprints,
        "unassigned": report.unassigned_blocks,
        "failed": failed,
    })
}
