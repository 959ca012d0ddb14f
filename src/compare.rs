//! Two vintages of boundaries compared: which areas are unchanged, changed, ended or new, and
//! where each one's land went, matched by code and by overlap (never by name).

use geo::{BooleanOps, ChamberlainDuquetteArea, MultiPolygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use serde::Serialize;

use crate::model::Layer;

/// At or above this overlap (intersection over union), an area that keeps its code is unchanged:
/// the same boundary generalised differently in two files still overlaps by more than this.
pub const UNCHANGED_IOU: f64 = 0.95;

/// Shares below this (0.5% of an area) are slivers of generalisation, not moves.
pub const MIN_SHARE: f64 = 0.005;

/// A share of an area that is now (or was) in another.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Share {
    pub code: String,
    pub name: String,
    /// Of the ended (or new) area's own area, 0..1.
    pub share: f64,
    /// People (mid-2019) who moved with it, when the LSOA lookups know both vintages.
    pub people: Option<u64>,
}

/// An area whose code is in both vintages.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kept {
    pub code: String,
    pub old_name: String,
    pub new_name: String,
    /// Intersection over union of the old and new areas.
    pub iou: f64,
    /// Land it lost and gained, km².
    pub lost_km2: f64,
    pub gained_km2: f64,
    /// People (mid-2019) it lost and gained, when the LSOA lookups know both vintages.
    pub people_lost: Option<u64>,
    pub people_gained: Option<u64>,
}

/// An area of the old vintage whose code is gone.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ended {
    pub code: String,
    pub name: String,
    /// Where its area went, largest share first.
    pub successors: Vec<Share>,
}

/// An area of the new vintage whose code is new.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct New {
    pub code: String,
    pub name: String,
    /// Where its area came from, largest share first.
    pub predecessors: Vec<Share>,
}

/// The comparison of an old layer with a new one.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Comparison {
    pub unchanged: Vec<Kept>,
    pub changed: Vec<Kept>,
    pub ended: Vec<Ended>,
    pub new: Vec<New>,
}

fn area_m2(geometry: &MultiPolygon<f64>) -> f64 {
    geometry.chamberlain_duquette_unsigned_area()
}

/// Overlap areas (m²) of every old area with every new one it touches: `(old, new, m²)`.
fn overlaps(old: &Layer, new: &Layer) -> Vec<(usize, usize, f64)> {
    let boxes = RTree::bulk_load(
        (0..new.footprints.len())
            .map(|j| {
                let b = new.footprints[j].bbox;
                GeomWithData::new(
                    Rectangle::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]),
                    j,
                )
            })
            .collect(),
    );
    let indices: Vec<usize> = (0..old.footprints.len()).collect();
    crate::parallel::map(&indices, |&i| {
        let b = old.footprints[i].bbox;
        let envelope = AABB::from_corners([b.min().x, b.min().y], [b.max().x, b.max().y]);
        boxes
            .locate_in_envelope_intersecting(&envelope)
            .filter_map(|entry| {
                let j = entry.data;
                let shared = old.hit_geometry(i).intersection(new.hit_geometry(j));
                let m2 = area_m2(&shared);
                (m2 > 0.0).then_some((i, j, m2))
            })
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

fn sorted_shares(mut shares: Vec<Share>) -> Vec<Share> {
    shares.retain(|s| s.share >= MIN_SHARE);
    shares.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.code.cmp(&b.code)));
    for s in &mut shares {
        s.share = (s.share * 1000.0).round() / 1000.0;
    }
    shares
}

/// People moving from each old area to each new one: (old code, new code) → people.
pub type Flows = std::collections::HashMap<(String, String), u64>;

/// Compares `old` with `new` by land alone.
pub fn compare(old: &Layer, new: &Layer) -> Comparison {
    compare_with_people(old, new, None)
}

/// Compares `old` with `new`, with how many people moved where `flows` says.
pub fn compare_with_people(old: &Layer, new: &Layer, flows: Option<&Flows>) -> Comparison {
    let people = |from: &str, to: &str| {
        flows.map(|f| {
            f.get(&(from.to_string(), to.to_string()))
                .copied()
                .unwrap_or(0)
        })
    };
    let moved = |code: &str, leaving: bool| {
        flows.map(|f| {
            f.iter()
                .filter(|((a, b), _)| {
                    if leaving {
                        a == code && b != code
                    } else {
                        b == code && a != code
                    }
                })
                .map(|(_, p)| p)
                .sum::<u64>()
        })
    };
    let old_areas: Vec<f64> = (0..old.footprints.len())
        .map(|i| area_m2(old.hit_geometry(i)))
        .collect();
    let new_areas: Vec<f64> = (0..new.footprints.len())
        .map(|j| area_m2(new.hit_geometry(j)))
        .collect();
    let pairs = overlaps(old, new);
    let shared = |i: usize, j: usize| {
        pairs
            .iter()
            .find(|(a, b, _)| *a == i && *b == j)
            .map_or(0.0, |p| p.2)
    };

    let mut result = Comparison::default();
    for (i, f) in old.footprints.iter().enumerate() {
        match new.index_of_code(&f.code) {
            Some(j) => {
                let both = shared(i, j);
                let union = old_areas[i] + new_areas[j] - both;
                let iou = if union > 0.0 { both / union } else { 1.0 };
                let kept = Kept {
                    code: f.code.clone(),
                    old_name: f.name.clone(),
                    new_name: new.footprints[j].name.clone(),
                    iou: (iou * 1000.0).round() / 1000.0,
                    lost_km2: ((old_areas[i] - both) / 1e6).max(0.0).round(),
                    gained_km2: ((new_areas[j] - both) / 1e6).max(0.0).round(),
                    people_lost: moved(&f.code, true),
                    people_gained: moved(&f.code, false),
                };
                if iou >= UNCHANGED_IOU {
                    result.unchanged.push(kept);
                } else {
                    result.changed.push(kept);
                }
            }
            None => {
                let successors = pairs
                    .iter()
                    .filter(|(a, _, _)| *a == i)
                    .map(|&(_, j, m2)| Share {
                        code: new.footprints[j].code.clone(),
                        name: new.footprints[j].name.clone(),
                        share: m2 / old_areas[i].max(f64::MIN_POSITIVE),
                        people: people(&f.code, &new.footprints[j].code),
                    })
                    .collect();
                result.ended.push(Ended {
                    code: f.code.clone(),
                    name: f.name.clone(),
                    successors: sorted_shares(successors),
                });
            }
        }
    }
    for (j, f) in new.footprints.iter().enumerate() {
        if old.index_of_code(&f.code).is_some() {
            continue;
        }
        let predecessors = pairs
            .iter()
            .filter(|(_, b, _)| *b == j)
            .map(|&(i, _, m2)| Share {
                code: old.footprints[i].code.clone(),
                name: old.footprints[i].name.clone(),
                share: m2 / new_areas[j].max(f64::MIN_POSITIVE),
                people: people(&old.footprints[i].code, &f.code),
            })
            .collect();
        result.new.push(New {
            code: f.code.clone(),
            name: f.name.clone(),
            predecessors: sorted_shares(predecessors),
        });
    }
    result
}

impl Comparison {
    /// The comparison for a person: one line per area, grouped.
    pub fn text(&self) -> String {
        let percent = |s: f64| format!("{:.0}%", s * 100.0);
        let shares = |list: &[Share]| {
            list.iter()
                .map(|s| match s.people {
                    Some(p) => format!(
                        "{} {} ({}, {} people)",
                        percent(s.share),
                        s.name,
                        s.code,
                        crate::geo_util::thousands(p)
                    ),
                    None => format!("{} {} ({})", percent(s.share), s.name, s.code),
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        let mut out = String::new();
        out.push_str(&format!("Unchanged: {}\n", self.unchanged.len()));
        for k in &self.unchanged {
            out.push_str(&format!("  {} {}\n", k.code, k.new_name));
        }
        out.push_str(&format!("Changed: {}\n", self.changed.len()));
        for k in &self.changed {
            out.push_str(&format!(
                "  {} {}: overlap {}, lost {} km², gained {} km²\n",
                k.code,
                k.new_name,
                percent(k.iou),
                k.lost_km2,
                k.gained_km2
            ));
        }
        out.push_str(&format!("Ended: {}\n", self.ended.len()));
        for e in &self.ended {
            out.push_str(&format!(
                "  {} {} → {}\n",
                e.code,
                e.name,
                shares(&e.successors)
            ));
        }
        out.push_str(&format!("New: {}\n", self.new.len()));
        for n in &self.new {
            out.push_str(&format!(
                "  {} {} ← {}\n",
                n.code,
                n.name,
                shares(&n.predecessors)
            ));
        }
        out
    }

    /// The comparison as one JSON object: `unchanged`, `ended` and `new` as codes, `changed` as
    /// objects, and `successors` / `predecessors` by code.
    pub fn json(&self) -> serde_json::Value {
        let by_code = |items: Vec<(&String, &Vec<Share>)>| {
            serde_json::Value::Object(
                    items
                        .into_iter()
                        .map(|(code, shares)| {
                            (
                                code.clone(),
                                serde_json::json!(shares
                                .iter()
                                .map(|s| serde_json::json!({"code": s.code, "share": s.share, "people": s.people}))
                                .collect::<Vec<_>>()),
                            )
                        })
                        .collect(),
                )
        };
        serde_json::json!({
            "unchanged": self.unchanged.iter().map(|k| &k.code).collect::<Vec<_>>(),
            "changed": self.changed,
            "ended": self.ended.iter().map(|e| &e.code).collect::<Vec<_>>(),
            "new": self.new.iter().map(|n| &n.code).collect::<Vec<_>>(),
            "successors": by_code(self.ended.iter().map(|e| (&e.code, &e.successors)).collect()),
            "predecessors": by_code(self.new.iter().map(|n| (&n.code, &n.predecessors)).collect()),
        })
    }
}
