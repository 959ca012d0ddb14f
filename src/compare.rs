//! Two vintages of boundaries compared: which areas are unchanged, changed, ended or new, and
//! where each one's land went, matched by code and by overlap (never by name).

use std::collections::HashMap;

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
    /// People who moved with it, when the LSOA lookups know both vintages (see
    /// [`Comparison::people_source`] for the year).
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
    /// People it lost and gained, when the LSOA lookups know both vintages (see
    /// [`Comparison::people_source`] for the year).
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
    /// Where the people figures come from (year and lookups), when there are any.
    pub people_source: Option<String>,
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
pub type Flows = HashMap<(String, String), u64>;

/// Compares `old` with `new` by land alone.
pub fn compare(old: &Layer, new: &Layer) -> Comparison {
    compare_with_people(old, new, None)
}

/// People moved between codes, as the flows say: nothing known without flows.
struct PeopleMoved<'a> {
    flows: Option<&'a Flows>,
    /// People each code lost to other codes and gained from them.
    lost: HashMap<&'a str, u64>,
    gained: HashMap<&'a str, u64>,
}

impl<'a> PeopleMoved<'a> {
    /// Sums what each code lost and gained, in one pass over the flows.
    fn new(flows: Option<&'a Flows>) -> Self {
        let mut lost: HashMap<&str, u64> = HashMap::new();
        let mut gained: HashMap<&str, u64> = HashMap::new();
        for ((from, to), &n) in flows.into_iter().flatten() {
            if from != to {
                *lost.entry(from.as_str()).or_default() += n;
                *gained.entry(to.as_str()).or_default() += n;
            }
        }
        Self {
            flows,
            lost,
            gained,
        }
    }

    fn between(&self, from: &str, to: &str) -> Option<u64> {
        self.flows.map(|f| {
            f.get(&(from.to_string(), to.to_string()))
                .copied()
                .unwrap_or(0)
        })
    }

    fn lost(&self, code: &str) -> Option<u64> {
        self.flows
            .map(|_| self.lost.get(code).copied().unwrap_or(0))
    }

    fn gained(&self, code: &str) -> Option<u64> {
        self.flows
            .map(|_| self.gained.get(code).copied().unwrap_or(0))
    }
}

/// Each area's land (m²) and its overlaps with the other layer's areas: (the other area, m²).
struct Overlaps {
    old_areas: Vec<f64>,
    new_areas: Vec<f64>,
    by_old: Vec<Vec<(usize, f64)>>,
    by_new: Vec<Vec<(usize, f64)>>,
}

impl Overlaps {
    fn new(old: &Layer, new: &Layer) -> Self {
        let areas = |layer: &Layer| -> Vec<f64> {
            (0..layer.footprints.len())
                .map(|i| area_m2(layer.hit_geometry(i)))
                .collect()
        };
        let mut by_old: Vec<Vec<(usize, f64)>> = vec![Vec::new(); old.footprints.len()];
        let mut by_new: Vec<Vec<(usize, f64)>> = vec![Vec::new(); new.footprints.len()];
        for (i, j, m2) in overlaps(old, new) {
            by_old[i].push((j, m2));
            by_new[j].push((i, m2));
        }
        Self {
            old_areas: areas(old),
            new_areas: areas(new),
            by_old,
            by_new,
        }
    }
}

/// Each code's first area in `layer`.
fn first_of_each_code(layer: &Layer) -> HashMap<&str, usize> {
    let mut codes = HashMap::new();
    for (i, f) in layer.footprints.iter().enumerate() {
        codes.entry(f.code.as_str()).or_insert(i);
    }
    codes
}

/// Compares `old` with `new`, with how many people moved where `flows` says.
pub fn compare_with_people(old: &Layer, new: &Layer, flows: Option<&Flows>) -> Comparison {
    let people = PeopleMoved::new(flows);
    let overlaps = Overlaps::new(old, new);
    let (old_codes, new_codes) = (first_of_each_code(old), first_of_each_code(new));
    let mut result = Comparison::default();
    for ((i, f), shared) in old.footprints.iter().enumerate().zip(&overlaps.by_old) {
        let old_m2 = overlaps.old_areas[i];
        match new_codes.get(f.code.as_str()).copied() {
            Some(j) => {
                let both = shared
                    .iter()
                    .find(|&&(other, _)| other == j)
                    .map_or(0.0, |&(_, m2)| m2);
                let new_m2 = overlaps.new_areas[j];
                let union = old_m2 + new_m2 - both;
                let iou = if union > 0.0 { both / union } else { 1.0 };
                let kept = Kept {
                    code: f.code.clone(),
                    old_name: f.name.clone(),
                    new_name: new.footprints[j].name.clone(),
                    iou: (iou * 1000.0).round() / 1000.0,
                    lost_km2: ((old_m2 - both) / 1e6).max(0.0).round(),
                    gained_km2: ((new_m2 - both) / 1e6).max(0.0).round(),
                    people_lost: people.lost(&f.code),
                    people_gained: people.gained(&f.code),
                };
                if iou >= UNCHANGED_IOU {
                    result.unchanged.push(kept);
                } else {
                    result.changed.push(kept);
                }
            }
            None => {
                let successors = shared
                    .iter()
                    .map(|&(j, m2)| Share {
                        code: new.footprints[j].code.clone(),
                        name: new.footprints[j].name.clone(),
                        share: m2 / old_m2.max(f64::MIN_POSITIVE),
                        people: people.between(&f.code, &new.footprints[j].code),
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
    for ((j, f), shared) in new.footprints.iter().enumerate().zip(&overlaps.by_new) {
        if old_codes.contains_key(f.code.as_str()) {
            continue;
        }
        let predecessors = shared
            .iter()
            .map(|&(i, m2)| Share {
                code: old.footprints[i].code.clone(),
                name: old.footprints[i].name.clone(),
                share: m2 / overlaps.new_areas[j].max(f64::MIN_POSITIVE),
                people: people.between(&old.footprints[i].code, &f.code),
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

impl Share {
    /// "70% West Yorkshire and Harrogate (E54000054, 2,383,594 people)".
    pub fn describe(&self) -> String {
        let percent = format!("{:.0}%", self.share * 100.0);
        match self.people {
            Some(p) => format!(
                "{percent} {} ({}, {} people)",
                self.name,
                self.code,
                crate::geo_util::thousands(p)
            ),
            None => format!("{percent} {} ({})", self.name, self.code),
        }
    }

    /// Shares joined by "; ".
    pub fn describe_all(shares: &[Share]) -> String {
        shares
            .iter()
            .map(Share::describe)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl Kept {
    /// "E54000005 West Yorkshire: overlap 91%, lost 12 km², gained 40 km²".
    pub fn describe(&self) -> String {
        format!(
            "{} {}: overlap {:.0}%, lost {} km², gained {} km²",
            self.code,
            self.new_name,
            self.iou * 100.0,
            self.lost_km2,
            self.gained_km2
        )
    }
}

impl Comparison {
    /// The comparison for a person: one line per area, grouped.
    pub fn text(&self) -> String {
        let shares = Share::describe_all;
        let mut out = String::new();
        if let Some(source) = &self.people_source {
            out.push_str(&format!("People: {source}\n"));
        }
        out.push_str(&format!("Unchanged: {}\n", self.unchanged.len()));
        for k in &self.unchanged {
            out.push_str(&format!("  {} {}\n", k.code, k.new_name));
        }
        out.push_str(&format!("Changed: {}\n", self.changed.len()));
        for k in &self.changed {
            out.push_str(&format!("  {}\n", k.describe()));
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
            "people_source": self.people_source,
        })
    }
}
