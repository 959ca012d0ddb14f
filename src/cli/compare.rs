//! `footprints compare [--json] OLD NEW`: what changed between two vintages of boundaries.

use std::path::Path;

use anyhow::Context;

use crate::compare::{Comparison, compare_with_people};
use crate::layer_ref::LayerRef;
use crate::load::Progress;
use crate::model::Layer;

/// A built-in layer by its id (`stp2016`, `icb2026`, …) or a boundary file: the same
/// resolver as every subcommand's ([`LayerRef::parse`]).
fn layer(name_or_path: &Path) -> anyhow::Result<Layer> {
    let layer_ref = match name_or_path.to_str() {
        Some(name) => LayerRef::parse(name),
        None => LayerRef::File(name_or_path.to_owned()),
    };
    layer_ref.load(&Progress::default(), crate::load::CLI_MEMORY_PER_BYTE)
}

/// Compares OLD with NEW and returns what to print.
pub fn run(old: &Path, new: &Path, as_json: bool) -> anyhow::Result<String> {
    let old = layer(old).context("the old boundaries")?;
    let new = layer(new).context("the new boundaries")?;
    let flows = crate::vintages::population_flows(&old, &new);
    let mut comparison: Comparison =
        compare_with_people(&old, &new, flows.as_ref().map(|(f, _)| f));
    comparison.people_source = flows.map(|(_, source)| source);
    Ok(if as_json {
        comparison.json().to_string()
    } else {
        comparison.text()
    })
}
