//! How footprints are coloured: by footprint (neighbours never match), by NHS region, or as a
//! choropleth of population or any numeric property, with palettes that survive colour
//! blindness and greyscale printing, and the legend that goes with them.

use serde::{Deserialize, Serialize};

use crate::colour::{Rgb, colour_graph};
use crate::facts::LayerFacts;

/// What decides a footprint's colour.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColourBy {
    /// Distinct colours, neighbours never alike.
    #[default]
    Footprint,
    /// The NHS England region of 2016 (or a `region`-like property of other files).
    Region,
    /// ONS mid-2019 population, in classes.
    Population,
    /// A measure of the people from LSOA 2021 (mid-2022 population, ages, deprivation).
    People(PeopleMeasure),
    /// Any numeric property, in classes.
    Property(String),
}

/// What a people choropleth shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeopleMeasure {
    /// ONS mid-2022 population.
    #[default]
    Mid2022,
    /// Share aged 65 and over, Census 2021.
    Aged65Plus,
    /// Share of people in England's most deprived tenth of LSOAs, IMD 2025.
    MostDeprived,
}

impl PeopleMeasure {
    pub const ALL: [PeopleMeasure; 3] = [
        PeopleMeasure::Mid2022,
        PeopleMeasure::Aged65Plus,
        PeopleMeasure::MostDeprived,
    ];

    /// The menu's and legend's name, with its year and source.
    pub fn title(self) -> &'static str {
        match self {
            PeopleMeasure::Mid2022 => "Population, mid-2022 (ONS)",
            PeopleMeasure::Aged65Plus => "Aged 65 and over, % (Census 2021)",
            PeopleMeasure::MostDeprived => "In England's most deprived tenth, % (IMD 2025)",
        }
    }

    /// The name on the command line (`--colour-by`).
    pub fn id(self) -> &'static str {
        match self {
            PeopleMeasure::Mid2022 => "population2022",
            PeopleMeasure::Aged65Plus => "aged65",
            PeopleMeasure::MostDeprived => "deprivation",
        }
    }

    /// The measure for a footprint's totals (shares in per cent).
    pub fn value(self, totals: &crate::blocks::statistics::Totals) -> Option<f64> {
        match self {
            PeopleMeasure::Mid2022 => Some(totals.population_mid2022() as f64),
            PeopleMeasure::Aged65Plus => totals.share_65_plus().map(|s| s * 100.0),
            PeopleMeasure::MostDeprived => totals.most_deprived_share().map(|s| s * 100.0),
        }
    }
}

/// Qualitative palettes for distinct colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Palette {
    /// Soft pastels (ColorBrewer Set3): dark labels stay legible.
    #[default]
    Soft,
    /// Okabe–Ito: distinguishable with every common colour-vision deficiency.
    OkabeIto,
}

impl Palette {
    pub const ALL: [Palette; 2] = [Palette::Soft, Palette::OkabeIto];

    pub fn name(self) -> &'static str {
        match self {
            Palette::Soft => "Soft (ColorBrewer Set3)",
            Palette::OkabeIto => "Okabe–Ito (colour-blind safe)",
        }
    }

    pub fn colours(self) -> &'static [Rgb] {
        match self {
            Palette::Soft => crate::colour::FOOTPRINT_PALETTE,
            Palette::OkabeIto => OKABE_ITO,
        }
    }
}

/// Okabe & Ito (2008) without black, lightened slightly so labels stay legible on top.
pub const OKABE_ITO: &[Rgb] = &[
    Rgb::hex(0xE69F00),
    Rgb::hex(0x56B4E9),
    Rgb::hex(0x009E73),
    Rgb::hex(0xF0E442),
    Rgb::hex(0x0072B2),
    Rgb::hex(0xD55E00),
    Rgb::hex(0xCC79A7),
];

/// Viridis at five evenly spaced points: ordered in lightness, so classes read in greyscale.
pub const VIRIDIS_5: &[Rgb] = &[
    Rgb::hex(0x440154),
    Rgb::hex(0x3B528B),
    Rgb::hex(0x21918C),
    Rgb::hex(0x5EC962),
    Rgb::hex(0xFDE725),
];

/// Colour for areas with no value.
pub const NO_DATA: Rgb = Rgb::hex(0xBDBDBD);

/// One legend row.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    pub colour: Rgb,
    pub label: String,
}

/// The legend of a colouring; empty entries when colours only tell areas apart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Legend {
    pub title: String,
    pub entries: Vec<LegendEntry>,
}

/// Colours for every footprint, and the legend.
#[derive(Clone, Debug, PartialEq)]
pub struct Styled {
    pub colours: Vec<Rgb>,
    pub legend: Legend,
}

/// Quantile class breaks: `classes - 1` upper bounds splitting the sorted values evenly.
pub fn quantile_breaks(values: &[f64], classes: usize) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() || classes < 2 {
        return Vec::new();
    }
    let mut breaks: Vec<f64> = (1..classes)
        .map(|k| sorted[(k * sorted.len() / classes).min(sorted.len() - 1)])
        .collect();
    breaks.dedup();
    breaks
}

fn class_of(value: f64, breaks: &[f64]) -> usize {
    breaks.iter().take_while(|b| value >= **b).count()
}

/// A short number for legends: 1,180,567 → "1.18m"; 413.1 → "413".
pub fn short_number(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.2}m", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 100.0 || v.fract() == 0.0 {
        crate::geo_util::thousands(v.round().max(0.0) as u64)
    } else {
        format!("{v:.2}")
    }
}

/// Colours the layer of `facts` as asked, with the figures its facts give.
pub fn style(
    facts: &LayerFacts,
    neighbours: &[Vec<usize>],
    by: &ColourBy,
    palette: Palette,
) -> Styled {
    let layer = facts.layer();
    let n = layer.footprints.len();
    match by {
        ColourBy::Footprint => {
            let colours = palette.colours();
            let assignment = colour_graph(neighbours, colours.len());
            Styled {
                colours: assignment
                    .into_iter()
                    .map(|c| colours[c % colours.len()])
                    .collect(),
                legend: Legend::default(),
            }
        }
        ColourBy::Region => region_style(facts, palette),
        ColourBy::Population | ColourBy::Property(_) | ColourBy::People(_) => {
            let (title, values): (String, Vec<Option<f64>>) = match by {
                ColourBy::Property(key) => (
                    key.clone(),
                    layer.footprints.iter().map(|f| f.number(key)).collect(),
                ),
                ColourBy::People(measure) => (
                    format!("{} — LSOA 2021, derived", measure.title()),
                    (0..n)
                        .map(|i| measure.value(facts.people(i).derived?.0))
                        .collect(),
                ),
                _ => (
                    "Population (ONS mid-2019)".into(),
                    (0..n)
                        .map(|i| facts.people(i).older.map(|o| o.value()))
                        .collect(),
                ),
            };
            let known: Vec<f64> = values.iter().flatten().copied().collect();
            let breaks = quantile_breaks(&known, VIRIDIS_5.len());
            let ramp =
                |class: usize| VIRIDIS_5[(class * (VIRIDIS_5.len() - 1)) / breaks.len().max(1)];
            let colours = values
                .iter()
                .map(|v| v.map_or(NO_DATA, |v| ramp(class_of(v, &breaks))))
                .collect();
            let min = known.iter().copied().fold(f64::INFINITY, f64::min);
            let max = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut entries = Vec::new();
            if !known.is_empty() {
                let mut lower = min;
                for (class, upper) in breaks
                    .iter()
                    .copied()
                    .chain(std::iter::once(max))
                    .enumerate()
                {
                    let label = if class == breaks.len() {
                        format!("{} – {}", short_number(lower), short_number(upper))
                    } else {
                        format!("{} – under {}", short_number(lower), short_number(upper))
                    };
                    entries.push(LegendEntry {
                        colour: ramp(class),
                        label,
                    });
                    lower = upper;
                }
            }
            if values.iter().any(Option::is_none) {
                entries.push(LegendEntry {
                    colour: NO_DATA,
                    label: "no value".into(),
                });
            }
            Styled {
                colours,
                legend: Legend { title, entries },
            }
        }
    }
}

/// Colours by NHS region, as the layer's facts give it.
fn region_style(facts: &LayerFacts, palette: Palette) -> Styled {
    let found: Vec<Option<(&str, crate::facts::RegionFrom)>> = (0..facts.layer().footprints.len())
        .map(|i| facts.region(i))
        .collect();
    let title = found
        .iter()
        .flatten()
        .next()
        .map_or(crate::facts::RegionFrom::Stp2016.title(), |(_, from)| {
            from.title()
        });
    let regions: Vec<Option<String>> = found
        .iter()
        .map(|r| r.map(|(name, _)| name.to_string()))
        .collect();
    let mut names: Vec<String> = regions.iter().flatten().cloned().collect();
    names.sort();
    names.dedup();
    let colours = palette.colours();
    let colour_of = |name: &str| {
        names
            .iter()
            .position(|r| r == name)
            .map(|i| colours[i % colours.len()])
            .unwrap_or(NO_DATA)
    };
    let mut entries: Vec<LegendEntry> = names
        .iter()
        .map(|name| LegendEntry {
            colour: colour_of(name),
            label: name.clone(),
        })
        .collect();
    if regions.iter().any(Option::is_none) {
        entries.push(LegendEntry {
            colour: NO_DATA,
            label: "not known".into(),
        });
    }
    Styled {
        colours: regions
            .iter()
            .map(|r| r.as_deref().map_or(NO_DATA, colour_of))
            .collect(),
        legend: Legend {
            title: title.into(),
            entries,
        },
    }
}

/// What labels show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LabelMode {
    /// The name, or the number where space is short.
    #[default]
    Name,
    Number,
    Code,
    None,
}

impl LabelMode {
    pub const ALL: [LabelMode; 4] = [
        LabelMode::Name,
        LabelMode::Number,
        LabelMode::Code,
        LabelMode::None,
    ];

    pub fn name(self) -> &'static str {
        match self {
            LabelMode::Name => "Names",
            LabelMode::Number => "Numbers",
            LabelMode::Code => "ONS codes",
            LabelMode::None => "No labels",
        }
    }
}

/// Relative luminance (sRGB, WCAG), 0 (black) to 1 (white).
pub fn luminance(c: Rgb) -> f64 {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_breaks_split_evenly() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(quantile_breaks(&values, 5), vec![3.0, 5.0, 7.0, 9.0]);
        assert_eq!(class_of(1.0, &[3.0, 5.0]), 0);
        assert_eq!(class_of(3.0, &[3.0, 5.0]), 1);
        assert_eq!(class_of(9.0, &[3.0, 5.0]), 2);
        assert!(quantile_breaks(&[], 5).is_empty());
    }

    #[test]
    fn sequential_palette_reads_in_greyscale() {
        let lum: Vec<f64> = VIRIDIS_5.iter().map(|c| luminance(*c)).collect();
        assert!(lum.windows(2).all(|w| w[1] > w[0] + 0.05), "{lum:?}");
    }

    #[test]
    fn okabe_ito_colours_stay_apart_for_deuteranopes() {
        // Simulated deuteranopia (Viénot, Brettel & Mollon 1999) keeps every pair apart.
        let deut = |c: Rgb| {
            let (r, g, b) = (c.0 as f64, c.1 as f64, c.2 as f64);
            (
                0.29 * r + 0.71 * g,
                0.29 * r + 0.71 * g,
                -0.02 * r + 0.02 * g + b,
            )
        };
        for (i, a) in OKABE_ITO.iter().enumerate() {
            for b in &OKABE_ITO[i + 1..] {
                let (x, y) = (deut(*a), deut(*b));
                let d = ((x.0 - y.0).powi(2) + (x.1 - y.1).powi(2) + (x.2 - y.2).powi(2)).sqrt();
                assert!(
                    d > 25.0,
                    "{a:?} and {b:?} look alike to deuteranopes ({d:.0})"
                );
            }
        }
    }

    #[test]
    fn a_files_own_population_is_shown_with_the_property_it_came_from() {
        let feature = |props: serde_json::Value| {
            crate::model::Footprint::new(
                "E01033620".into(),
                "Birmingham 138A".into(),
                geo::MultiPolygon::new(vec![]),
                props.as_object().cloned().unwrap_or_default(),
            )
        };
        let layer = crate::model::Layer {
            title: "lsoa".into(),
            source: crate::model::LayerSource::Made("test"),
            footprints: vec![
                feature(serde_json::json!({"LSOA11CD": "E01033620", "pop_mid2019": 1496})),
                feature(serde_json::json!({"population": "2,500"})),
                feature(serde_json::json!({"popular": "yes"})),
            ],
            detail: None,
            fields: Default::default(),
            property_keys: vec![],
            crs: crate::model::Crs::Wgs84,
            problems: vec![],
            lsoa_2021_make_up: None,
        };
        let catalog = crate::details::DetailsCatalog::default();
        let facts = LayerFacts::new(&layer, &catalog, None, &[]);
        assert_eq!(
            facts.people(0).line().as_deref(),
            Some("Population 1,496 (pop_mid2019)")
        );
        assert_eq!(facts.people(1).headline(), Some(2500));
        assert_eq!(facts.people(2).line(), None, "not a number");
    }

    #[test]
    fn short_numbers_for_legends() {
        assert_eq!(short_number(1_180_567.0), "1.18m");
        assert_eq!(short_number(319_371.0), "319k");
        assert_eq!(short_number(413.1), "413");
        assert_eq!(short_number(0.5), "0.50");
    }
}
