//! What is known about each 2016 footprint: names, lead, population, members. Parsed from the
//! footprint attributes (flat GeoJSON properties) and the members file; unknowns stay unknown.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_json::{Map, Value};

/// The footprint's lead, exactly as far as the data knows it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Leader {
    pub name: Option<String>,
    pub role_org: Option<String>,
    /// e.g. "verified (national list, Mar 2016)", "NOT FOUND".
    pub status: Option<String>,
    pub as_of: Option<String>,
    pub note: Option<String>,
    /// The source as given (may mix a URL and a citation).
    pub source: Option<String>,
    pub verified: Option<bool>,
}

impl Leader {
    /// Every `http(s)://` link inside the source text, with the citation that follows it.
    pub fn source_links(&self) -> Vec<(String, String)> {
        let Some(source) = &self.source else {
            return Vec::new();
        };
        split_links(source)
    }
}

/// Splits "URL (citation); other: URL2 (c2)" into (url, label) pairs.
pub fn split_links(text: &str) -> Vec<(String, String)> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("http") {
        let after = &rest[start..];
        if !(after.starts_with("http://") || after.starts_with("https://")) {
            rest = &after[4..];
            continue;
        }
        let end = after
            .find(|c: char| c.is_whitespace() || c == ';')
            .unwrap_or(after.len());
        let url = &after[..end];
        let tail = after[end..].trim_start();
        let label = if tail.starts_with('(') {
            tail.find(')')
                .map(|close| tail[1..close].to_string())
                .unwrap_or_default()
        } else {
            String::new()
        };
        let label = if label.is_empty() {
            url.split('/').nth(2).unwrap_or(url).to_string()
        } else {
            label
        };
        links.push((url.trim_end_matches([',', '.']).to_string(), label));
        rest = &after[end..];
    }
    links
}

/// Population figures and how they were made.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Population {
    /// ONS mid-2019 estimate (not the 2016 figure, which was not found).
    pub mid2019: Option<u64>,
    pub method: Option<String>,
    pub note: Option<String>,
    /// A figure the NHS itself published, as written (e.g. "1.4 million").
    pub stated: Option<String>,
    pub stated_source: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Ccg {
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Trust {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct LocalAuthority {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub upper_tier_code: Option<String>,
    #[serde(default)]
    pub upper_tier_name: Option<String>,
    /// Share of the council's area inside this footprint.
    #[serde(default)]
    pub share_of_la_area: Option<f64>,
}

/// Where else a split council lies: (footprint code, share of the council's area).
pub type SplitShares = Vec<(String, f64)>;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Members {
    pub ccgs: Vec<Ccg>,
    pub trusts: Vec<Trust>,
    pub local_authorities: Vec<LocalAuthority>,
}

/// Everything known about one footprint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FootprintDetails {
    pub code: String,
    pub name_2016: String,
    /// The later ONS name, if different from the 2016 one.
    pub name_ons: Option<String>,
    /// Footprint number 1–44 where known.
    pub number: Option<u32>,
    pub region: Option<String>,
    pub leader: Leader,
    pub population: Population,
    pub area_km2: Option<f64>,
    pub members: Members,
}

/// Details of every default footprint, keyed by ONS code.
#[derive(Clone, Debug, Default)]
pub struct DetailsCatalog {
    pub by_code: BTreeMap<String, FootprintDetails>,
    /// Council code → every footprint it lies in, with its share there.
    pub council_shares: HashMap<String, SplitShares>,
}

#[derive(Deserialize)]
struct MembersEntry {
    #[serde(default)]
    member_ccgs_2019: Vec<Ccg>,
    #[serde(default)]
    member_local_authorities_2019: Vec<LocalAuthority>,
    #[serde(default)]
    member_trusts: Vec<Trust>,
}

#[derive(Debug, thiserror::Error)]
#[error("the members file is not valid: {0}")]
pub struct MembersError(#[from] serde_json::Error);

fn text(props: &Map<String, Value>, key: &str) -> Option<String> {
    match props.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl FootprintDetails {
    /// Reads the flat attribute properties of one footprint.
    pub fn from_properties(code: &str, props: &Map<String, Value>) -> Self {
        let name_2016 = text(props, "name_2016").unwrap_or_else(|| code.to_string());
        let name_ons = text(props, "name_2018_ons").filter(|n| *n != name_2016);
        Self {
            code: code.to_string(),
            name_ons,
            number: props
                .get("footprint_number_inferred")
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok()),
            region: text(props, "nhse_region_group_2016"),
            leader: Leader {
                name: text(props, "leader_name"),
                role_org: text(props, "leader_role_org"),
                status: text(props, "leader_status"),
                as_of: text(props, "leader_as_of"),
                note: text(props, "leader_note"),
                source: text(props, "leader_source"),
                verified: props.get("leader_verified").and_then(Value::as_bool),
            },
            population: Population {
                mid2019: props.get("population_mid2019_ons").and_then(Value::as_u64),
                method: text(props, "population_method"),
                note: text(props, "population_note"),
                stated: text(props, "population_stated_rounded"),
                stated_source: text(props, "population_stated_source"),
            },
            area_km2: props.get("area_km2").and_then(Value::as_f64),
            members: Members::default(),
            name_2016,
        }
    }
}

impl DetailsCatalog {
    /// Builds the catalog from (code, properties) pairs and the members JSON.
    pub fn build<'a>(
        attributes: impl Iterator<Item = (&'a str, &'a Map<String, Value>)>,
        members_json: Option<&[u8]>,
    ) -> Result<Self, MembersError> {
        let mut by_code: BTreeMap<String, FootprintDetails> = attributes
            .map(|(code, props)| {
                (
                    code.to_string(),
                    FootprintDetails::from_properties(code, props),
                )
            })
            .collect();
        let mut council_shares: HashMap<String, SplitShares> = HashMap::new();
        if let Some(bytes) = members_json {
            let members: BTreeMap<String, MembersEntry> = serde_json::from_slice(bytes)?;
            for (code, entry) in members {
                for la in &entry.member_local_authorities_2019 {
                    council_shares
                        .entry(la.code.clone())
                        .or_default()
                        .push((code.clone(), la.share_of_la_area.unwrap_or(1.0)));
                }
                if let Some(details) = by_code.get_mut(&code) {
                    details.members = Members {
                        ccgs: entry.member_ccgs_2019,
                        trusts: entry.member_trusts,
                        local_authorities: entry.member_local_authorities_2019,
                    };
                }
            }
        }
        Ok(Self {
            by_code,
            council_shares,
        })
    }

    pub fn get(&self, code: &str) -> Option<&FootprintDetails> {
        self.by_code.get(code)
    }

    /// The other footprints a council lies in, if it is split between footprints.
    pub fn split_elsewhere(&self, council_code: &str, this_footprint: &str) -> SplitShares {
        self.council_shares
            .get(council_code)
            .filter(|shares| shares.len() > 1)
            .map(|shares| {
                shares
                    .iter()
                    .filter(|(fp, _)| fp != this_footprint)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn links_are_split_from_citations() {
        let links = split_links(
            "https://www.hsj.co.uk/a/7020491.article (HSJ, 2017); TBC status: https://example.org/x (HSJ, 30 Mar 2016)",
        );
        assert_eq!(
            links,
            vec![
                (
                    "https://www.hsj.co.uk/a/7020491.article".to_string(),
                    "HSJ, 2017".to_string()
                ),
                (
                    "https://example.org/x".to_string(),
                    "HSJ, 30 Mar 2016".to_string()
                ),
            ]
        );
    }

    #[test]
    fn missing_leader_stays_missing_with_its_status() {
        let props = json!({"name_2016": "North West London", "leader_name": null, "leader_status": "NOT FOUND"});
        let details = FootprintDetails::from_properties("E54000027", props.as_object().unwrap());
        assert_eq!(details.leader.name, None);
        assert_eq!(details.leader.status.as_deref(), Some("NOT FOUND"));
        assert_eq!(details.number, None);
    }

    #[test]
    fn councils_in_two_footprints_are_split() {
        let a = json!({"name_2016": "A"});
        let b = json!({"name_2016": "B"});
        let members = json!({
            "E1": {"member_ccgs_2019": [], "member_trusts": [], "member_local_authorities_2019": [
                {"code": "L1", "name": "Split", "share_of_la_area": 0.7},
                {"code": "L2", "name": "Whole", "share_of_la_area": 0.998}]},
            "E2": {"member_local_authorities_2019": [{"code": "L1", "name": "Split", "share_of_la_area": 0.3}]}
        });
        let bytes = serde_json::to_vec(&members).unwrap();
        let catalog = DetailsCatalog::build(
            [
                ("E1", a.as_object().unwrap()),
                ("E2", b.as_object().unwrap()),
            ]
            .into_iter(),
            Some(&bytes),
        )
        .unwrap();
        assert_eq!(
            catalog.split_elsewhere("L1", "E1"),
            vec![("E2".to_string(), 0.3)]
        );
        assert!(catalog.split_elsewhere("L2", "E1").is_empty());
        assert_eq!(
            catalog.get("E1").unwrap().members.local_authorities.len(),
            2
        );
    }
}
