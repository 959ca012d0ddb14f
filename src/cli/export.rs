//! `footprints export`: the map to PNG, SVG or PDF without a window.

use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::basemap::Basemap;
use crate::layer_ref::LayerRef;
use crate::render::export::{ExportRequest, PageSize, Paper, png_from_svg, scene, to_pdf, to_svg};
use crate::render::format::{Format, format_of};
use crate::render::labels::short_labels;
use crate::render::style::{ColourBy, LabelMode, Palette, PeopleMeasure, style};

/// The export's options, as given on the command line.
pub struct ExportOptions {
    pub out: PathBuf,
    pub size: Option<(u32, u32)>,
    pub paper: Option<(Paper, f64)>,
    pub boundaries: Option<PathBuf>,
    pub select: Option<String>,
    pub colour_by: Option<String>,
    pub title: Option<String>,
    pub force: bool,
}

/// A layer to export: its footprints, the 2016 details, and its colours and legend.
pub struct Styled {
    pub layer: crate::model::Layer,
    pub catalog: crate::details::DetailsCatalog,
    pub colours: Vec<crate::colour::Rgb>,
    pub legend: crate::render::style::Legend,
    /// Its LSOA 2021 statistics, when the tables are built in.
    pub people: Option<crate::blocks::layer_statistics::LayerStatistics>,
    /// Its footprints' areas ([`crate::facts::areas_km2`]).
    pub areas_km2: Vec<f64>,
}

impl Styled {
    /// The layer's facts: what every output of it says.
    pub fn facts(&self) -> crate::facts::LayerFacts<'_> {
        crate::facts::LayerFacts::new(
            &self.layer,
            &self.catalog,
            self.people.as_ref(),
            &self.areas_km2,
        )
    }
}

/// The layer named by `layer` (a built-in id such as stp2016 or icb2026, or a file), else the
/// built-in 2016 footprints; coloured as `colour_by` says.
pub fn styled_layer(layer: Option<&str>, colour_by: Option<&str>) -> anyhow::Result<Styled> {
    let layer_ref = layer.map_or(
        LayerRef::BuiltIn(crate::model::BuiltInId::STP2016),
        LayerRef::parse,
    );
    let default = crate::defaults::default_footprints()?;
    let (layer, catalog) = match (&layer_ref, default) {
        // The 2016 footprints with their details, as parsed once.
        (LayerRef::BuiltIn(crate::model::BuiltInId::STP2016), Some(both)) => both,
        (LayerRef::BuiltIn(crate::model::BuiltInId::STP2016), None) => {
            bail!("this build has no built-in footprints; give --layer FILE")
        }
        (_, default) => {
            let progress = crate::load::Progress::default();
            let layer = layer_ref.load(&progress, crate::load::CLI_MEMORY_PER_BYTE)?;
            (layer, default.map(|(_, c)| c).unwrap_or_default())
        }
    };
    let colour_by = match colour_by {
        None | Some("footprint") => ColourBy::Footprint,
        Some("region") => ColourBy::Region,
        Some("population") => ColourBy::Population,
        Some(key) if PeopleMeasure::ALL.iter().any(|m| m.id() == key) => {
            match PeopleMeasure::ALL.into_iter().find(|m| m.id() == key) {
                Some(measure) => ColourBy::People(measure),
                None => ColourBy::Footprint,
            }
        }
        Some(key) => {
            if !layer.property_keys.iter().any(|k| k == key) {
                bail!(
                    "--colour-by takes footprint, region, population (mid-2019), population2022, aged65, deprivation or a property of the layer ({})",
                    layer.property_keys.join(", ")
                );
            }
            ColourBy::Property(key.to_string())
        }
    };
    // The window's analysis of the layer: the same neighbours (so the same colours), areas
    // and point locator as the window has.
    let Some(analysis) = crate::analysis::Analysis::new(&layer, &crate::load::Progress::default())
    else {
        bail!("the analysis of {} stopped", layer.title);
    };
    let people = crate::blocks::Blocks::embedded().map(|blocks| {
        crate::blocks::layer_statistics::for_layer(&layer, blocks, &analysis.locator)
    });
    let areas_km2 = analysis.areas_km2;
    let facts = crate::facts::LayerFacts::new(&layer, &catalog, people.as_ref(), &areas_km2);
    let styled = style(&facts, &analysis.neighbours, &colour_by, Palette::Soft);
    Ok(Styled {
        colours: styled.colours,
        legend: styled.legend,
        layer,
        catalog,
        people,
        areas_km2,
    })
}

/// Renders and writes the export; returns the bytes written.
pub fn run(options: &ExportOptions) -> anyhow::Result<usize> {
    let format = format_of(&options.out)?;
    if options.out.exists() && !options.force {
        bail!(
            "the file exists; add --force to replace it: {}",
            options.out.display()
        );
    }
    let layer_name = options
        .boundaries
        .as_ref()
        .map(|p| p.to_string_lossy().to_string());
    let styled = styled_layer(layer_name.as_deref(), options.colour_by.as_deref())?;
    let labels = short_labels(&styled.facts());
    let Styled {
        layer,
        colours,
        legend,
        ..
    } = &styled;
    let selected = match &options.select {
        Some(code) => Some(
            layer
                .index_of_code(code)
                .with_context(|| format!("no area has the code {code:?} in {}", layer.title))?,
        ),
        None => None,
    };
    // PDF pages are the paper's size; pixel sizes print at 96 dpi.
    let page_size = match (options.size, options.paper) {
        (Some((w, h)), _) => PageSize::pixels(w, h),
        (None, Some((paper, dpi))) => PageSize::paper(paper, dpi),
        (None, None) => PageSize::paper(Paper::A4, 150.0),
    };
    let (width, height) = (page_size.width, page_size.height);
    let points_per_pixel = page_size.points_per_pixel();
    let basemap = Basemap::embedded();
    let request = ExportRequest {
        facts: styled.facts(),
        basemap: &basemap,
        colours,
        legend,
        selected,
        label_mode: LabelMode::Name,
        short_labels: &labels,
        title: options.title.clone().unwrap_or_else(|| layer.title.clone()),
        frame: None,
        width,
        height,
    };
    let page = scene(&request)?;
    let bytes = match format {
        Format::Svg => to_svg(&page).into_bytes(),
        Format::Png => png_from_svg(&to_svg(&page))?,
        Format::Pdf => to_pdf(&page, points_per_pixel),
    };
    crate::fs::write_atomically(&options.out, &bytes).map_err(|e| {
        anyhow::anyhow!(
            "Could not write the export ({e}): {}",
            options.out.display()
        )
    })?;
    Ok(bytes.len())
}
