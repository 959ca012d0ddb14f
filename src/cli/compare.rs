//! `footprints compare [--json] OLD NEW`: what changed between two vintages of boundaries.

use std::path::Path;

use anyhow::Context;

use crate::compare::{Comparison, compare_with_people};
use crate::load::{Progress, load_path};
use crate::model::Layer;

/// The built-in 2016 footprints, by name, or a boundary file.
fn layer(name_or_path: &Path) -> anyhow::Result<Layer> {
    if name_or_path.as_os_str() == "stp2016" && !name_or_path.exists() {
        return match crate::defaults::default_footprints()? {
            Some((layer, _)) => Ok(layer),
            None => anyhow::bail!("this build has no built-in footprints: stp2016"),
        };
    }
    if !name_or_path.exists()
        && let Some(built_in) = name_or_path
            .to_str()
            .and_then(crate::vintages::BuiltIn::by_id)
    {
        return Ok(built_in.load()?);
    }
    Ok(load_path(name_or_path, &Progress::default())?)
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
