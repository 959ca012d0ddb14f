//! `footprints bench --edits N`: times the builder's edits on the 33,755 LSOA 2021 blocks,
//! starting from the ICBs of April 2026 — whole councils moved to another ICB, single LSOAs
//! moved, two ICBs merged, and undo and redo — each edit timed with its boundaries redrawn and
//! every total recounted. The last line is one JSON object with `edit_p95_ms`.

use std::sync::Arc;
use std::time::Instant;

use serde_json::json;

use crate::analysis::ms_since;
use crate::builder::{BlockSet, Scenario};
use crate::topology::Xorshift;

/// The value at fraction `p` (0..1) of a sorted list; 0 when it is empty.
pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// Edit timings.
pub struct EditReport {
    /// (kind, ms) per edit.
    pub edits: Vec<(&'static str, f64)>,
    pub setup_ms: f64,
}

impl EditReport {
    fn sorted(&self, kind: Option<&str>) -> Vec<f64> {
        let mut ms: Vec<f64> = self
            .edits
            .iter()
            .filter(|(k, _)| kind.is_none_or(|kind| kind == *k))
            .map(|(_, ms)| *ms)
            .collect();
        ms.sort_by(f64::total_cmp);
        ms
    }

    pub fn text(&self) -> String {
        let mut out = format!(
            "Builder edits on the LSOA 2021 blocks, from ICB April 2026 (set up in {:.0} ms):\n",
            self.setup_ms
        );
        for kind in [
            None,
            Some("council"),
            Some("lsoa"),
            Some("merge"),
            Some("undo"),
            Some("redo"),
        ] {
            let ms = self.sorted(kind);
            out.push_str(&format!(
                "  {:8} {:5} edits: median {:.2} ms, p95 {:.2} ms, worst {:.2} ms\n",
                kind.unwrap_or("all"),
                ms.len(),
                percentile(&ms, 0.5),
                percentile(&ms, 0.95),
                ms.last().copied().unwrap_or(0.0)
            ));
        }
        out
    }

    pub fn json(&self) -> serde_json::Value {
        let all = self.sorted(None);
        json!({
            "edits": all.len(),
            "setup_ms": self.setup_ms,
            "edit_p50_ms": percentile(&all, 0.5),
            "edit_p95_ms": percentile(&all, 0.95),
            "edit_max_ms": all.last().copied().unwrap_or(0.0),
        })
    }
}

/// Runs `edits` edits.
pub fn run(edits: usize) -> anyhow::Result<EditReport> {
    let t = Instant::now();
    let people = crate::blocks::Blocks::embedded()
        .ok_or_else(|| anyhow::anyhow!("this copy was built without the LSOA 2021 tables"))?;
    let layer = crate::blocks::embedded_lsoa_layer(&crate::load::Progress::default())
        .ok_or_else(|| anyhow::anyhow!("this copy was built without the LSOA 2021 blocks"))?
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let set = Arc::new(BlockSet::new(&layer, people));
    let mut scenario = Scenario::from_lookup("bench", set.clone(), &people.icb_2026);
    let councils = set
        .units(crate::builder::BlockLevel::Council2024)
        .map_or(&[][..], |u| u.blocks.as_slice());
    let setup_ms = ms_since(t);
    let mut random = Xorshift(0x2545_F491_4F6C_DD1D);
    let mut report = EditReport {
        edits: Vec::with_capacity(edits),
        setup_ms,
    };
    for _ in 0..edits {
        let footprints = scenario.footprints.len();
        let (kind, t) = match random.below(10) {
            0..=3 => {
                let council = &councils[random.below(councils.len())];
                let to = random.below(footprints) as u32;
                let t = Instant::now();
                scenario.move_blocks("a council", council, Some(to));
                ("council", t)
            }
            4..=6 => {
                let block = random.below(set.codes.len());
                let to = random.below(footprints) as u32;
                let t = Instant::now();
                scenario.move_blocks("an LSOA", &[block], Some(to));
                ("lsoa", t)
            }
            7 => {
                let (a, b) = (
                    random.below(footprints) as u32,
                    random.below(footprints) as u32,
                );
                let t = Instant::now();
                scenario.merge(a, b, "merged");
                ("merge", t)
            }
            8 => {
                let t = Instant::now();
                scenario.undo();
                ("undo", t)
            }
            _ => {
                let t = Instant::now();
                scenario.redo();
                ("redo", t)
            }
        };
        report.edits.push((kind, ms_since(t)));
    }
    Ok(report)
}
