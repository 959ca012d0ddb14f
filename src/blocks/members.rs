//! Who belongs to any footprint, from its LSOA 2021 blocks: the sub-ICB locations (April 2026)
//! and councils (2024) it holds, each with the share of its people inside, and the NHS trusts
//! whose 2022 headquarters lie in it; and the leaders of today's ICBs (partial, dated).

use std::collections::HashMap;

use geo::Coord;

use super::{Blocks, Grouping};
use crate::embedded;
use crate::lookup::PointLocator;

/// An area a footprint holds some or all of.
#[derive(Clone, Debug, PartialEq)]
pub struct Held {
    pub code: String,
    pub name: String,
    /// Share of the area's people (mid-2022) inside the footprint: 1 when whole.
    pub share: f64,
}

/// A footprint's members.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Members {
    pub sub_icbs: Vec<Held>,
    pub councils: Vec<Held>,
    /// (code, name) of NHS trusts headquartered inside (2022 list).
    pub trusts: Vec<(String, String)>,
}

/// Per footprint, the areas of `grouping` it holds, largest share first.
fn held(
    blocks: &Blocks,
    grouping: &Grouping,
    group_of: &[Option<u32>],
    groups: usize,
) -> Vec<Vec<Held>> {
    super::statistics::area_shares(blocks, grouping, group_of, groups)
        .into_iter()
        .map(|shares| {
            let mut list: Vec<Held> = shares
                .into_iter()
                .map(|s| {
                    let (code, name) = grouping.areas[s.council].clone();
                    Held {
                        code,
                        name,
                        share: if s.people == 0 { 1.0 } else { s.share() },
                    }
                })
                // A sliver of an area (under 0.5% of its people) is not membership.
                .filter(|h| h.share >= 0.005)
                .collect();
            list.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.name.cmp(&b.name)));
            list
        })
        .collect()
}

/// The trusts of the 2022 list with their headquarters (lon/lat).
fn trust_headquarters() -> &'static [(String, String, Coord<f64>)] {
    static TRUSTS: std::sync::OnceLock<Vec<(String, String, Coord<f64>)>> =
        std::sync::OnceLock::new();
    TRUSTS.get_or_init(|| {
        let Some(bytes) = embedded::TRUST_HQ_2022.get() else {
            return Vec::new();
        };
        let mut reader = csv::Reader::from_reader(bytes);
        reader
            .records()
            .filter_map(Result::ok)
            .filter_map(|r| {
                let lon: f64 = r.get(2)?.trim().parse().ok()?;
                let lat: f64 = r.get(3)?.trim().parse().ok()?;
                Some((
                    r.get(0)?.to_string(),
                    r.get(1)?.to_string(),
                    Coord { x: lon, y: lat },
                ))
            })
            .collect()
    })
}

/// Members of every footprint: `group_of` gives each block's footprint (by code or best fit),
/// `locator` the layer's footprints for trust headquarters.
pub fn members(
    blocks: &Blocks,
    group_of: &[Option<u32>],
    groups: usize,
    locator: &PointLocator,
) -> Vec<Members> {
    let sub_icbs = held(blocks, &blocks.sub_icb_2026, group_of, groups);
    let councils = held(blocks, &blocks.council_2024, group_of, groups);
    let mut trusts: Vec<Vec<(String, String)>> = vec![Vec::new(); groups];
    for (code, name, at) in trust_headquarters() {
        if let Some(list) = locator.locate(*at).and_then(|i| trusts.get_mut(i)) {
            list.push((code.clone(), name.clone()));
        }
    }
    for list in &mut trusts {
        list.sort_by(|a, b| a.1.cmp(&b.1));
    }
    sub_icbs
        .into_iter()
        .zip(councils)
        .zip(trusts)
        .map(|((sub_icbs, councils), trusts)| Members {
            sub_icbs,
            councils,
            trusts,
        })
        .collect()
}

/// The leaders of an ICB of April 2026, as far as known.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Leaders {
    pub chief_executive: Option<String>,
    pub chief_executive_as_of: Option<String>,
    pub chief_executive_source: Option<String>,
    pub chair: Option<String>,
    pub chair_as_of: Option<String>,
    pub chair_source: Option<String>,
    /// Whether each was verified, dated or not found.
    pub status: String,
    pub note: Option<String>,
}

/// Leaders of the 36 ICBs of April 2026 by code (partial: `status` says what is known).
pub fn icb2026_leaders() -> &'static HashMap<String, Leaders> {
    static LEADERS: std::sync::OnceLock<HashMap<String, Leaders>> = std::sync::OnceLock::new();
    LEADERS.get_or_init(|| {
        let Some(bytes) = embedded::ICB2026_LEADERS.get() else {
            return HashMap::new();
        };
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::Reader::from_reader(bytes);
        let Ok(headers) = reader.headers().cloned() else {
            return HashMap::new();
        };
        let column = |name: &str| headers.iter().position(|h| h.trim() == name);
        let text = |r: &csv::StringRecord, name: &str| {
            column(name)
                .and_then(|c| r.get(c))
                .map(str::trim)
                // "not found" is the data's way of saying it is not known.
                .filter(|t| !t.is_empty() && !t.to_ascii_lowercase().starts_with("not found"))
                .map(str::to_string)
        };
        reader
            .records()
            .filter_map(Result::ok)
            .filter_map(|r| {
                Some((
                    text(&r, "ICB26CD")?,
                    Leaders {
                        chief_executive: text(&r, "chief_executive"),
                        chief_executive_as_of: text(&r, "chief_executive_as_of"),
                        chief_executive_source: text(&r, "chief_executive_source"),
                        chair: text(&r, "chair"),
                        chair_as_of: text(&r, "chair_as_of"),
                        chair_source: text(&r, "chair_source"),
                        status: text(&r, "status").unwrap_or_else(|| "not known".into()),
                        note: text(&r, "note"),
                    },
                ))
            })
            .collect()
    })
}
