//! A scenario on disk: the assignment CSV (`block_code,footprint_code,footprint_name`, the
//! convention Districtr and Dave's Redistricting read), one row per block in code order, plus a
//! small JSON of its name and rules. Written atomically; reopened exactly (saving what was opened
//! gives the same bytes); a file that is corrupt, of other blocks or with unknown codes is
//! refused with a message naming the file and the rows.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::rules::Rules;
use super::{BlockSet, FootprintDef, Scenario};
use crate::load::text::csv_field;

/// The scenario's settings, kept beside its CSV.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub name: String,
    #[serde(default)]
    pub rules: Rules,
    /// Footprints in their order (code, name), including empty ones.
    #[serde(default)]
    pub footprints: Vec<(String, String)>,
}

/// The assignment as CSV text: every block in code order, with its footprint (empty when none).
pub fn to_csv(scenario: &Scenario) -> String {
    csv_of(scenario.blocks(), &scenario.footprints, scenario.group_of())
}

/// The assignment CSV of `group_of` (each block's footprint among `footprints`) over `set`.
pub fn csv_of(set: &BlockSet, footprints: &[FootprintDef], group_of: &[Option<u32>]) -> String {
    let mut order: Vec<usize> = (0..set.codes.len()).collect();
    order.sort_by(|&a, &b| set.codes[a].cmp(&set.codes[b]));
    let mut out = String::from("block_code,footprint_code,footprint_name\n");
    for block in order {
        let footprint = group_of
            .get(block)
            .copied()
            .flatten()
            .and_then(|g| footprints.get(g as usize));
        let (code, name) = footprint.map_or(("", ""), |f| (f.code.as_str(), f.name.as_str()));
        out.push_str(&format!(
            "{},{},{}\n",
            csv_field(&set.codes[block]),
            csv_field(code),
            csv_field(name)
        ));
    }
    out
}

/// The settings' JSON for `scenario` and `rules`.
pub fn settings_json(scenario: &Scenario, rules: &Rules) -> String {
    settings_json_of(&scenario.name, &scenario.footprints, rules)
}

/// The settings' JSON of a scenario called `name` with `footprints` and `rules`.
pub fn settings_json_of(name: &str, footprints: &[FootprintDef], rules: &Rules) -> String {
    let settings = Settings {
        name: name.to_string(),
        rules: rules.clone(),
        footprints: footprints
            .iter()
            .map(|f| (f.code.clone(), f.name.clone()))
            .collect(),
    };
    serde_json::to_string_pretty(&settings).unwrap_or_default() + "\n"
}

/// The settings file that goes with a scenario CSV: `x.csv` → `x.json`.
pub fn settings_path(csv: &Path) -> std::path::PathBuf {
    csv.with_extension("json")
}

/// Writes the CSV and its settings, each atomically.
pub fn save(scenario: &Scenario, rules: &Rules, csv: &Path) -> std::io::Result<()> {
    crate::fs::write_atomically(csv, to_csv(scenario).as_bytes())?;
    crate::fs::write_atomically(
        &settings_path(csv),
        settings_json(scenario, rules).as_bytes(),
    )
}

/// Exports the scenario beside `csv`: the assignment (`x.csv`) and settings (`x.json`) as
/// [`save`] writes them, the dissolved footprints (`x.geojson`) and the definition in the NHS's
/// legal style (`x_definition.csv`, `x_definition.md`), each atomically. Returns the files.
pub fn export(
    scenario: &Scenario,
    rules: &Rules,
    csv: &Path,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    save(scenario, rules, csv)?;
    let stem = csv.with_extension("");
    let beside = |suffix: &str| {
        let mut name = stem.as_os_str().to_owned();
        name.push(suffix);
        std::path::PathBuf::from(name)
    };
    let files = [
        (
            beside(".geojson"),
            crate::assign::output::to_geojson(&scenario.built()),
        ),
        (
            beside("_definition.csv"),
            super::definition::to_csv(scenario),
        ),
        (
            beside("_definition.md"),
            super::definition::to_markdown(scenario),
        ),
    ];
    let mut written = vec![csv.to_owned(), settings_path(csv)];
    for (path, text) in files {
        crate::fs::write_atomically(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// Reads a scenario CSV (and its settings, when beside it) over `blocks`.
pub fn open(path: &Path, blocks: Arc<BlockSet>) -> Result<(Scenario, Rules), String> {
    let bytes = std::fs::read(path)
        .map_err(|e| format!("Could not read the scenario ({e}): {}", path.display()))?;
    let settings: Option<Settings> = match std::fs::read(settings_path(path)) {
        Ok(json) => Some(serde_json::from_slice(&json).map_err(|e| {
            format!(
                "The scenario's settings are not valid ({e}): {}",
                settings_path(path).display()
            )
        })?),
        Err(_) => None,
    };
    from_csv(&bytes, settings, blocks).map_err(|problem| format!("{problem}: {}", path.display()))
}

/// A scenario from CSV bytes and optional settings; the error says what is wrong and where.
pub fn from_csv(
    bytes: &[u8],
    settings: Option<Settings>,
    blocks: Arc<BlockSet>,
) -> Result<(Scenario, Rules), String> {
    if crate::load::text::looks_binary(bytes) {
        return Err("the scenario is not a CSV (it is binary data)".into());
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().from_reader(body);
    let headers = reader
        .headers()
        .map_err(|e| format!("the scenario's header row could not be read ({e})"))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(block), Some(code)) = (column("block_code"), column("footprint_code")) else {
        return Err(format!(
            "a scenario CSV has block_code and footprint_code columns; this one has {}",
            headers.iter().collect::<Vec<_>>().join(", ")
        ));
    };
    let name = column("footprint_name");
    let index: std::collections::HashMap<&str, usize> = blocks
        .codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut footprints: Vec<FootprintDef> = settings
        .as_ref()
        .map(|s| {
            s.footprints
                .iter()
                .map(|(code, name)| FootprintDef {
                    code: code.clone(),
                    name: name.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut group_of = vec![None; blocks.codes.len()];
    let mut unknown: Vec<String> = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("row {} could not be read ({e})", row + 2))?;
        let block_code = record.get(block).unwrap_or("").trim();
        let footprint_code = record.get(code).unwrap_or("").trim();
        let Some(&b) = index.get(block_code) else {
            unknown.push(format!("row {} ({block_code})", row + 2));
            continue;
        };
        if footprint_code.is_empty() {
            continue;
        }
        let footprint = match footprints.iter().position(|f| f.code == footprint_code) {
            Some(f) => f,
            None => {
                let footprint_name = name
                    .and_then(|n| record.get(n))
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .unwrap_or(footprint_code);
                footprints.push(FootprintDef {
                    code: footprint_code.to_string(),
                    name: footprint_name.to_string(),
                });
                footprints.len() - 1
            }
        };
        group_of[b] = Some(footprint as u32);
    }
    if !unknown.is_empty() {
        let shown: Vec<&str> = unknown.iter().take(5).map(String::as_str).collect();
        return Err(format!(
            "{} row(s) name blocks that are not LSOA 2021 codes (a scenario of other blocks?): {}{}",
            unknown.len(),
            shown.join(", "),
            if unknown.len() > shown.len() {
                ", …"
            } else {
                ""
            }
        ));
    }
    let (scenario_name, rules) = settings.map_or_else(
        || ("Scenario".to_string(), Rules::default()),
        |s| (s.name, s.rules),
    );
    Ok((
        Scenario::new(&scenario_name, blocks, footprints, group_of),
        rules,
    ))
}
