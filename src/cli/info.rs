//! `footprints info [--json] PATH`: summarise a boundary file without a window.

use std::path::Path;

use serde_json::json;

use crate::load::{self, LoadError, Progress};
use crate::model::Layer;

/// The summary printed by `info`, as JSON.
pub fn summary_json(layer: &Layer) -> serde_json::Value {
    let bbox = layer
        .bbox()
        .map(|b| {
            json!([
                round6(b.min().x),
                round6(b.min().y),
                round6(b.max().x),
                round6(b.max().y)
            ])
        })
        .unwrap_or(serde_json::Value::Null);
    json!({
        "path": layer.source.describe(),
        "features": layer.footprints.len(),
        "code_field": layer.fields.code,
        "name_field": layer.fields.name,
        "crs": layer.crs.short(),
        "crs_description": layer.crs.describe(),
        "reprojected": layer.crs.reprojected(),
        "bbox": bbox,
        "properties": layer.property_keys,
        "problems": layer.problems,
    })
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// Human-readable summary.
pub fn summary_text(layer: &Layer) -> String {
    let mut out = String::new();
    let field = |f: &Option<String>| f.clone().unwrap_or_else(|| "(none found)".into());
    out.push_str(&format!("File:        {}\n", layer.source.describe()));
    out.push_str(&format!("Features:    {}\n", layer.footprints.len()));
    out.push_str(&format!("Code field:  {}\n", field(&layer.fields.code)));
    out.push_str(&format!("Name field:  {}\n", field(&layer.fields.name)));
    out.push_str(&format!("CRS:         {}\n", layer.crs.describe()));
    if let Some(b) = layer.bbox() {
        out.push_str(&format!(
            "Bounds:      {:.5}, {:.5} to {:.5}, {:.5} (lon, lat)\n",
            b.min().x,
            b.min().y,
            b.max().x,
            b.max().y
        ));
    }
    if layer.problems.is_empty() {
        out.push_str("Problems:    none\n");
    } else {
        out.push_str("Problems:\n");
        for p in &layer.problems {
            out.push_str(&format!("  - {p}\n"));
        }
    }
    out
}

/// Loads `path` and returns what `info` prints.
pub fn run(path: &Path, as_json: bool) -> Result<String, LoadError> {
    let layer = load::load_path(path, &Progress::default())?;
    Ok(if as_json {
        summary_json(&layer).to_string()
    } else {
        summary_text(&layer)
    })
}
