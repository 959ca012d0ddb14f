//! One answer per fact: a layer's [`LayerFacts`] is the only place that says who leads a
//! footprint, how many people live in it, what it holds and how big it is. The details panel,
//! tooltip, list, presentation card, map colours, exports, board pack and subcommands all ask
//! it; which catalogue applies to a layer ([`Catalogue`]) is decided here, once.
//!
//! [`pack`] gathers the same facts as text for the board pack.

pub mod pack;

pub use pack::{FootprintFacts, Table, facts_of};

use crate::blocks::layer_statistics::LayerStatistics;
use crate::blocks::members::{Leaders, Members};
use crate::blocks::statistics::Totals;
use crate::details::{DetailsCatalog, FootprintDetails, Leader};
use crate::geo_util::thousands;
use crate::model::{Layer, LayerSource};

/// Which catalogue of leads and members a layer's codes belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Catalogue {
    /// The 44 footprints of 2016 (the built-in layer, or a file of exactly those 44 codes): the
    /// 2016 lead, CCGs, trusts and councils, and the ONS mid-2019 people.
    Stp2016,
    /// ICB codes (matched with the ICB lookup of April 2026 or April 2024): the chief executive
    /// and chair of the ICB of April 2026 with the code, as the leaders file gives them.
    Icb2026,
    /// Any other kind of area: no lead is recorded.
    None,
}

impl Catalogue {
    /// The catalogue for `layer`: by where it came from and by the lookup its codes matched
    /// (`statistics`), never by its title. A 2016 code reused by an ICB gets the ICB's leaders.
    pub fn of(
        layer: &Layer,
        stp2016: &DetailsCatalog,
        statistics: Option<&LayerStatistics>,
    ) -> Catalogue {
        if layer.source == LayerSource::BuiltIn(crate::model::BuiltInId::STP2016) {
            return Catalogue::Stp2016;
        }
        // A layer built from blocks (a builder scenario) is its own: the leads of the layer it
        // started from, whose codes it keeps, no longer describe its areas.
        if layer.lsoa_2021_make_up.is_some() {
            return Catalogue::None;
        }
        let built_in_icbs = match &layer.source {
            LayerSource::BuiltIn(id) => {
                crate::vintages::BuiltIn::by_id(id.as_str()).is_some_and(|b| b.names_icbs_2026())
            }
            LayerSource::Made(_) | LayerSource::File(_) => false,
        };
        if built_in_icbs || statistics.is_some_and(LayerStatistics::names_icbs) {
            return Catalogue::Icb2026;
        }
        let same_44 = !stp2016.by_code.is_empty()
            && layer.footprints.len() == stp2016.by_code.len()
            && layer
                .footprints
                .iter()
                .all(|f| stp2016.by_code.contains_key(&f.code));
        if same_44 {
            Catalogue::Stp2016
        } else {
            Catalogue::None
        }
    }
}

/// Who leads a footprint, exactly as far as the data knows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lead<'a> {
    /// A 2016 footprint's named lead (or the data's status when it names none), as of 2016.
    Stp2016(&'a Leader),
    /// An ICB of April 2026: chief executive and chair, each dated and sourced, or not known.
    Icb2026(&'a Leaders),
    /// No lead is recorded; why.
    NotKnown(&'static str),
}

/// Why a lead is not known, when no catalogue has one.
pub const NO_LEAD_FOR_KIND: &str = "no lead is recorded for this kind of area";
/// Why an ICB code has no lead.
pub const NO_ICB_LEADERS: &str = "the ICB leaders list of April 2026 has no entry for this code";

impl Lead<'_> {
    /// The lead's name alone (an ICB's chief executive), if known.
    pub fn name(&self) -> Option<&str> {
        match self {
            Lead::Stp2016(leader) => leader.name.as_deref(),
            Lead::Icb2026(leaders) => leaders.chief_executive.as_deref(),
            Lead::NotKnown(_) => None,
        }
    }

    /// The lead as lines of text ("Lead: …", "Chief executive: … (as of …)", "Status: …").
    pub fn lines(&self) -> Vec<String> {
        match self {
            Lead::Stp2016(leader) => {
                let mut line = format!("Lead: {}", leader.name.as_deref().unwrap_or("not known"));
                if let Some(role) = &leader.role_org {
                    line.push_str(&format!(", {role}"));
                }
                let status: Vec<String> = leader
                    .status
                    .iter()
                    .cloned()
                    .chain(leader.as_of.iter().map(|d| format!("as of {d}")))
                    .collect();
                let mut lines = vec![line];
                if !status.is_empty() {
                    lines.push(format!("Status: {}", status.join(", ")));
                }
                lines
            }
            Lead::Icb2026(leaders) => vec![
                format!(
                    "Chief executive: {}",
                    dated(&leaders.chief_executive, &leaders.chief_executive_as_of)
                ),
                format!("Chair: {}", dated(&leaders.chair, &leaders.chair_as_of)),
                format!(
                    "Status: {} (the ICB of April 2026 with this code; leaders list, partial)",
                    leaders.status
                ),
            ],
            Lead::NotKnown(why) => vec![format!("Lead: not known ({why})")],
        }
    }

    /// The data's note on the lead, if any.
    pub fn note(&self) -> Option<&str> {
        match self {
            Lead::Stp2016(leader) => leader.note.as_deref(),
            Lead::Icb2026(leaders) => leaders.note.as_deref(),
            Lead::NotKnown(_) => None,
        }
    }

    /// One line for a tooltip or a summary: the name with its role and date, or why not known.
    pub fn summary(&self) -> String {
        match self {
            Lead::Stp2016(leader) => match &leader.name {
                Some(name) => {
                    let date = leader
                        .as_of
                        .as_ref()
                        .map(|d| format!(", as of {d}"))
                        .unwrap_or_default();
                    format!("{name} (2016 lead{date})")
                }
                None => format!(
                    "not known ({})",
                    leader.status.as_deref().unwrap_or("no status")
                ),
            },
            Lead::Icb2026(leaders) => match &leaders.chief_executive {
                Some(name) => format!(
                    "{name} (chief executive{})",
                    leaders
                        .chief_executive_as_of
                        .as_ref()
                        .map(|d| format!(", as of {d}"))
                        .unwrap_or_default()
                ),
                None => format!("not known ({})", leaders.status),
            },
            Lead::NotKnown(why) => format!("not known ({why})"),
        }
    }
}

/// "Name (as of date)", "Name", or "not known".
fn dated(name: &Option<String>, as_of: &Option<String>) -> String {
    match (name, as_of) {
        (Some(n), Some(d)) => format!("{n} (as of {d})"),
        (Some(n), None) => n.clone(),
        (None, _) => "not known".into(),
    }
}

/// An older population figure than the LSOA 2021 one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OlderPeople<'a> {
    /// A 2016 footprint's ONS mid-2019 estimate.
    Stp2016Mid2019(u64),
    /// The feature's own population property, with its key (a file's own figure, or the
    /// mid-2019 total from LSOA 2011 that a built-in layer without one was given).
    Property(f64, &'a str),
}

impl OlderPeople<'_> {
    /// The figure, for colouring and sorting.
    pub fn value(&self) -> f64 {
        match self {
            OlderPeople::Stp2016Mid2019(p) => *p as f64,
            OlderPeople::Property(p, _) => *p,
        }
    }

    /// "1,180,567 (mid-2019)", "1,496 (mid-2019, totalled from LSOAs)" or "2,500 (POP2021)".
    pub fn text(&self) -> String {
        match self {
            OlderPeople::Stp2016Mid2019(p) => format!("{} (mid-2019)", thousands(*p)),
            OlderPeople::Property(p, key) => {
                let what = match *key {
                    "population_mid2019_ons" => "mid-2019",
                    crate::vintages::LSOA_POPULATION_KEY => "mid-2019, totalled from LSOAs",
                    other => other,
                };
                format!("{} ({what})", thousands(p.round() as u64))
            }
        }
    }
}

/// Where a footprint's NHS region comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegionFrom {
    /// The 2016 footprint's region.
    Stp2016,
    /// A region-like property of the layer's own file.
    Property,
    /// The NHS region of April 2026 holding most of its people (derived from LSOA 2021).
    MostPeople2026,
}

impl RegionFrom {
    /// A legend's title for regions from here.
    pub fn title(self) -> &'static str {
        match self {
            RegionFrom::Stp2016 => "NHS region (2016)",
            RegionFrom::Property => "NHS region (the file's own)",
            RegionFrom::MostPeople2026 => "NHS region, April 2026 (most of its people; derived)",
        }
    }
}

/// A footprint's people: mid-2022 derived from LSOA 2021 when worked out, and an older figure.
#[derive(Clone, Copy, Debug)]
pub struct People<'a> {
    /// Derived from LSOA 2021 (ONS mid-year estimates), with the layer's statistics.
    pub derived: Option<(&'a Totals, &'a LayerStatistics)>,
    pub older: Option<OlderPeople<'a>>,
}

impl People<'_> {
    /// People mid-2022 (derived from LSOA 2021), if known.
    pub fn mid2022(&self) -> Option<u64> {
        self.derived.map(|(t, _)| t.population_mid2022())
    }

    /// The one figure to show where there is room for one: mid-2022 first, else the older one.
    pub fn headline(&self) -> Option<u64> {
        self.mid2022()
            .or_else(|| self.older.map(|o| o.value().round() as u64))
    }

    /// The tooltip's line: "Population 1,234 (mid-2022)", a 2016 footprint's mid-2019 beside it.
    pub fn line(&self) -> Option<String> {
        match (self.mid2022(), self.older) {
            (Some(now), Some(older @ OlderPeople::Stp2016Mid2019(_))) => Some(format!(
                "Population {} (mid-2022, derived) · {}",
                thousands(now),
                older.text()
            )),
            (Some(now), _) => Some(format!("Population {} (mid-2022, derived)", thousands(now))),
            (None, Some(older)) => Some(format!("Population {}", older.text())),
            (None, None) => None,
        }
    }
}

/// The facts of one layer's footprints (by index in the layer).
#[derive(Clone, Copy)]
pub struct LayerFacts<'a> {
    layer: &'a Layer,
    catalogue: Catalogue,
    stp2016: &'a DetailsCatalog,
    statistics: Option<&'a LayerStatistics>,
    areas_km2: &'a [f64],
}

impl<'a> LayerFacts<'a> {
    /// `stp2016` is the 2016 details catalogue, `statistics` the layer's LSOA 2021 figures when
    /// worked out, `areas_km2` its areas from [`areas_km2`].
    pub fn new(
        layer: &'a Layer,
        stp2016: &'a DetailsCatalog,
        statistics: Option<&'a LayerStatistics>,
        areas_km2: &'a [f64],
    ) -> Self {
        LayerFacts {
            layer,
            catalogue: Catalogue::of(layer, stp2016, statistics),
            stp2016,
            statistics,
            areas_km2,
        }
    }

    pub fn layer(&self) -> &'a Layer {
        self.layer
    }

    pub fn catalogue(&self) -> Catalogue {
        self.catalogue
    }

    pub fn statistics(&self) -> Option<&'a LayerStatistics> {
        self.statistics
    }

    /// The 2016 catalogue itself (council shares, names of 2016 footprints).
    pub fn stp2016_catalogue(&self) -> &'a DetailsCatalog {
        self.stp2016
    }

    /// The 2016 details of footprint `i`: only on a layer of the 2016 footprints.
    pub fn details_2016(&self, i: usize) -> Option<&'a FootprintDetails> {
        match self.catalogue {
            Catalogue::Stp2016 => self.stp2016.get(&self.layer.footprints.get(i)?.code),
            Catalogue::Icb2026 | Catalogue::None => None,
        }
    }

    /// Who leads footprint `i`.
    pub fn lead(&self, i: usize) -> Lead<'a> {
        let Some(footprint) = self.layer.footprints.get(i) else {
            return Lead::NotKnown(NO_LEAD_FOR_KIND);
        };
        match self.catalogue {
            Catalogue::Stp2016 => match self.stp2016.get(&footprint.code) {
                Some(d) => Lead::Stp2016(&d.leader),
                None => Lead::NotKnown(NO_LEAD_FOR_KIND),
            },
            Catalogue::Icb2026 => {
                match crate::blocks::members::icb2026_leaders().get(&footprint.code) {
                    Some(leaders) => Lead::Icb2026(leaders),
                    None => Lead::NotKnown(NO_ICB_LEADERS),
                }
            }
            Catalogue::None => Lead::NotKnown(NO_LEAD_FOR_KIND),
        }
    }

    /// The people of footprint `i`.
    pub fn people(&self, i: usize) -> People<'a> {
        let derived = self
            .statistics
            .and_then(|s| Some((s.totals.get(i)?.as_ref()?, s)));
        let older = match self.details_2016(i).and_then(|d| d.population.mid2019) {
            Some(p) => Some(OlderPeople::Stp2016Mid2019(p)),
            None => self
                .layer
                .footprints
                .get(i)
                .and_then(|f| f.own_population())
                .map(|(p, key)| OlderPeople::Property(p, key)),
        };
        People { derived, older }
    }

    /// The area of footprint `i` in km², from its geometry ([`areas_km2`]).
    pub fn area_km2(&self, i: usize) -> Option<f64> {
        self.areas_km2.get(i).copied()
    }

    /// Footprint `i`'s NHS region: the 2016 one for a 2016 footprint, else a region-like
    /// property of its file, else the region of April 2026 holding most of its people.
    pub fn region(&self, i: usize) -> Option<(&'a str, RegionFrom)> {
        if let Some(region) = self.details_2016(i).and_then(|d| d.region.as_deref()) {
            return Some((region, RegionFrom::Stp2016));
        }
        let own = self
            .layer
            .footprints
            .get(i)?
            .properties
            .iter()
            .find_map(|(k, v)| {
                let k = k.to_ascii_lowercase();
                let region_like =
                    k.contains("region") || k.starts_with("nhser") && k.ends_with("nm");
                v.as_str().filter(|v| region_like && !v.trim().is_empty())
            });
        if let Some(region) = own {
            return Some((region, RegionFrom::Property));
        }
        let derived = self.statistics?.regions.get(i)?.as_deref()?;
        Some((derived, RegionFrom::MostPeople2026))
    }

    /// Footprint `i`'s members worked out from LSOA 2021 (sub-ICB locations, councils, trusts).
    pub fn derived_members(&self, i: usize) -> Option<&'a Members> {
        self.statistics?.members.get(i)
    }

    /// Footprint `i`'s 2016 number (1–44), on a layer of the 2016 footprints.
    pub fn number_2016(&self, i: usize) -> Option<u32> {
        self.details_2016(i).and_then(|d| d.number)
    }
}

impl LayerFacts<'_> {
    /// What hovering footprint `i` says: its people, then its lead (the map's tooltip, an
    /// exported SVG's title).
    pub fn hover_lines(&self, i: usize) -> Vec<String> {
        vec![
            self.people(i)
                .line()
                .unwrap_or_else(|| "Population not known".to_string()),
            format!("Lead: {}", self.lead(i).summary()),
        ]
    }

    /// The card of footprint `i` on an exported map: its name, code and region, lead and
    /// people.
    pub fn card_lines(&self, i: usize) -> Vec<String> {
        let Some(footprint) = self.layer.footprints.get(i) else {
            return Vec::new();
        };
        let mut lines = vec![footprint.name.clone()];
        lines.push(match self.region(i) {
            Some((region, _)) => format!("{} · {region}", footprint.code),
            None => footprint.code.clone(),
        });
        lines.extend(self.lead(i).lines());
        let people = self.people(i);
        lines.push(match people.mid2022() {
            Some(p) => format!("People mid-2022: {} (derived, ONS)", thousands(p)),
            None => match people.older {
                Some(older) => format!("Population: {}", older.text()),
                None => "Population not known".to_string(),
            },
        });
        lines
    }
}

/// Each footprint's area in km², geodesic (WGS 84) on the finest geometry the layer has: the
/// one figure for every output.
pub fn areas_km2(layer: &Layer) -> Vec<f64> {
    (0..layer.footprints.len())
        .map(|i| crate::geo_util::geodesic_km2(layer.hit_geometry(i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::details::FootprintDetails;
    use crate::model::{Crs, Footprint};

    fn layer(codes: &[&str], source: LayerSource) -> Layer {
        Layer {
            title: "test".into(),
            source,
            footprints: codes
                .iter()
                .map(|c| {
                    Footprint::new(
                        c.to_string(),
                        c.to_string(),
                        geo::MultiPolygon::new(vec![]),
                        Default::default(),
                    )
                })
                .collect(),
            detail: None,
            fields: Default::default(),
            property_keys: vec![],
            crs: Crs::Wgs84,
            problems: vec![],
            lsoa_2021_make_up: None,
        }
    }

    fn catalog_2016(codes: &[&str]) -> DetailsCatalog {
        let mut catalog = DetailsCatalog::default();
        for code in codes {
            let details = FootprintDetails {
                code: code.to_string(),
                leader: Leader {
                    name: Some(format!("Lead of {code}")),
                    ..Default::default()
                },
                ..Default::default()
            };
            catalog.by_code.insert(code.to_string(), details);
        }
        catalog
    }

    #[test]
    fn the_2016_catalogue_applies_to_the_2016_footprints_only() {
        let codes = ["E54000008", "E54000010"];
        let catalog = catalog_2016(&codes);
        let file = || LayerSource::File("x.geojson".into());
        let built_in = layer(
            &codes,
            LayerSource::BuiltIn(crate::model::BuiltInId::STP2016),
        );
        assert_eq!(Catalogue::of(&built_in, &catalog, None), Catalogue::Stp2016);
        let facts = LayerFacts::new(&built_in, &catalog, None, &[]);
        assert_eq!(facts.lead(0).name(), Some("Lead of E54000008"));
        // A file of exactly the same footprints is them.
        let same = layer(&codes, file());
        assert_eq!(Catalogue::of(&same, &catalog, None), Catalogue::Stp2016);
        // Part of them, or more, or other codes: not.
        let part = layer(&codes[..1], file());
        assert_eq!(Catalogue::of(&part, &catalog, None), Catalogue::None);
        let facts = LayerFacts::new(&part, &catalog, None, &[]);
        assert_eq!(facts.lead(0), Lead::NotKnown(NO_LEAD_FOR_KIND));
        assert!(facts.details_2016(0).is_none());
        // A scenario built from blocks that kept the 2016 codes is its own.
        let mut scenario = layer(&codes, file());
        scenario.lsoa_2021_make_up = Some(std::sync::Arc::new(vec![Some(0), Some(1)]));
        assert_eq!(Catalogue::of(&scenario, &catalog, None), Catalogue::None);
        // The built-in ICBs of April 2026 get the ICB leaders even before their statistics.
        let icbs = layer(&codes, LayerSource::BuiltIn(crate::vintages::ICB2026));
        assert_eq!(Catalogue::of(&icbs, &catalog, None), Catalogue::Icb2026);
        let facts = LayerFacts::new(&icbs, &catalog, None, &[]);
        assert!(
            facts.details_2016(0).is_none(),
            "an ICB never gets 2016 details"
        );
        assert!(!matches!(facts.lead(0), Lead::Stp2016(_)));
    }
}
