//! `footprints export --pack`: the board pack — a cover with contents and one page per
//! footprint — as one PDF (a bookmark a footprint) or a folder of numbered PNG pages.

use std::path::PathBuf;

use anyhow::bail;

use crate::render::export::{Pack, PackOutput, PackRequest, Paper, pack, page_order};

/// The pack's options, as given on the command line.
pub struct PackOptions {
    /// A .pdf file, or the folder for PNG pages.
    pub out: PathBuf,
    /// A built-in layer id (stp2016, icb2026, …) or a boundaries file.
    pub layer: Option<String>,
    pub paper: Paper,
    pub dpi: f64,
    pub colour_by: Option<String>,
    /// Only footprints in these regions (the start of the name or of a word in it, any case).
    pub regions: Vec<String>,
    /// Only these footprints (by code).
    pub select: Vec<String>,
    pub title: Option<String>,
    /// PNG pages into the folder `out` instead of a PDF.
    pub png_pages: bool,
    pub force: bool,
}

/// Everything the pack needs about a layer, ready to lay out.
pub struct PackInput {
    pub styled: super::export::Styled,
    pub facts: Vec<crate::facts::FootprintFacts>,
}

impl PackInput {
    /// The layer's facts: statistics (people, members, regions), areas and numbers.
    pub fn new(styled: super::export::Styled) -> Self {
        let labels = crate::render::labels::short_labels(&styled.facts());
        let facts = crate::facts::facts_of(&styled.facts(), &labels);
        PackInput { styled, facts }
    }

    /// The pack laid out for `order`, with `progress` told of each page (false stops it).
    pub fn lay_out(
        &self,
        title: &str,
        paper: Paper,
        dpi: f64,
        order: Vec<usize>,
        progress: &dyn Fn(usize, usize) -> bool,
    ) -> Option<Pack> {
        let basemap = crate::basemap::Basemap::embedded();
        let request = PackRequest {
            layer: &self.styled.layer,
            basemap: &basemap,
            colours: &self.styled.colours,
            legend: &self.styled.legend,
            facts: &self.facts,
            title: title.to_string(),
            date: crate::render::date::today(),
            paper,
            dpi,
            order,
        };
        pack(&request, progress)
    }
}

/// Makes and writes the pack; returns the pages and bytes written.
pub fn run(options: &PackOptions) -> anyhow::Result<(usize, usize)> {
    if options.out.exists() && !options.force {
        bail!(
            "{} exists; add --force to replace it: {}",
            if options.png_pages {
                "the folder"
            } else {
                "the file"
            },
            options.out.display()
        );
    }
    if !options.png_pages
        && !options
            .out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
    {
        bail!(
            "a board pack is a .pdf (or, with --png-pages, a folder of pages): {}",
            options.out.display()
        );
    }
    let styled =
        super::export::styled_layer(options.layer.as_deref(), options.colour_by.as_deref())?;
    let input = PackInput::new(styled);
    let order = page_order(&input.facts, &options.regions, &options.select);
    if order.is_empty() {
        bail!(
            "no footprint of {} matches --region {} --select {}",
            input.styled.layer.title,
            options.regions.join(","),
            options.select.join(",")
        );
    }
    let title = options
        .title
        .clone()
        .unwrap_or_else(|| format!("{}: board pack", input.styled.layer.title));
    let Some(pack) = input.lay_out(&title, options.paper, options.dpi, order, &|_, _| true) else {
        bail!("the pack was stopped");
    };
    let out = if options.png_pages {
        PackOutput::PngPages(options.out.clone())
    } else {
        PackOutput::Pdf(options.out.clone())
    };
    let page = crate::render::export::PageSize::paper(options.paper, options.dpi);
    let bytes = pack.write(&out, &title, page)?;
    let pages = pack.pages.len();
    Ok((pages, bytes))
}
