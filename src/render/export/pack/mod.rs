//! The board pack: a cover (title, date, an England map of every footprint with its number,
//! the legend, and a contents table with page numbers) and one page per footprint (its map with
//! the neighbours faded and named, a locator inset of England, a card of facts, member tables,
//! the data's caveats, and a footer with the page number and the attribution), as scenes for
//! the PDF writer (one bookmark a footprint) or for PNG pages.

//! Here: the request, the page order and the pages in order; `cover.rs` (cover and contents),
//! `page.rs` (a footprint's page), `draw.rs` (maps, text and the footer, shared by both).

use geo::Coord;

use super::{Paper, Scene};
use crate::basemap::Basemap;
use crate::colour::Rgb;
use crate::facts::FootprintFacts;
use crate::geo_util::lon_lat_to_world;
use crate::model::Layer;
use crate::render::style::Legend;

mod cover;
pub(super) mod draw;
mod page;

use cover::{cover, cover_pages_needed};
use page::footprint_page;

/// What to put in the pack.
pub struct PackRequest<'a> {
    pub layer: &'a Layer,
    pub basemap: &'a Basemap,
    pub colours: &'a [Rgb],
    pub legend: &'a Legend,
    /// Each footprint's facts, in layer order.
    pub facts: &'a [FootprintFacts],
    pub title: String,
    /// The date printed on the cover ("29 November 2026").
    pub date: String,
    pub paper: Paper,
    pub dpi: f64,
    /// The footprints that get a page, in order (indices into the layer).
    pub order: Vec<usize>,
}

/// Where a board pack goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackOutput {
    /// One PDF: vector pages, a bookmark per footprint.
    Pdf(std::path::PathBuf),
    /// A folder of numbered PNG pages.
    PngPages(std::path::PathBuf),
}

impl PackOutput {
    /// A `.pdf` path is a PDF; anything else a folder of pages.
    pub fn for_path(path: std::path::PathBuf) -> Self {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
        {
            PackOutput::Pdf(path)
        } else {
            PackOutput::PngPages(path)
        }
    }

    pub fn path(&self) -> &std::path::Path {
        match self {
            PackOutput::Pdf(path) | PackOutput::PngPages(path) => path,
        }
    }
}

/// The pack's pages and its bookmarks (title, page index).
pub struct Pack {
    pub pages: Vec<Scene>,
    pub bookmarks: Vec<(String, usize)>,
}

impl Pack {
    /// The pack as one PDF: vector pages, real text, a bookmark per footprint.
    pub fn to_pdf(&self, title: &str, points_per_pixel: f64) -> Vec<u8> {
        let mut writer = super::PdfWriter::compressed(title);
        for page in &self.pages {
            writer.add_page(page, points_per_pixel);
        }
        for (title, page) in &self.bookmarks {
            writer.add_bookmark(title, *page);
        }
        writer.finish()
    }

    /// Writes the pack where `out` says (atomically: a PDF, or each page); returns the bytes
    /// written. What the window's pack and `footprints export --pack` both end with.
    pub fn write(
        &self,
        out: &PackOutput,
        title: &str,
        page: super::PageSize,
    ) -> anyhow::Result<usize> {
        match out {
            PackOutput::Pdf(path) => {
                let pdf = self.to_pdf(title, page.points_per_pixel());
                crate::fs::write_atomically(path, &pdf).map_err(|e| {
                    anyhow::anyhow!("Could not write the board pack ({e}): {}", path.display())
                })?;
                Ok(pdf.len())
            }
            PackOutput::PngPages(dir) => self.write_png_pages(dir),
        }
    }

    /// Writes each page as `page-01.png`, … into `dir` (made if missing), each atomically;
    /// returns the bytes written.
    pub fn write_png_pages(&self, dir: &std::path::Path) -> anyhow::Result<usize> {
        std::fs::create_dir_all(dir)
            .map_err(|e| anyhow::anyhow!("Could not make the folder ({e}): {}", dir.display()))?;
        let digits = self.pages.len().to_string().len().max(2);
        let mut bytes = 0;
        for (i, page) in self.pages.iter().enumerate() {
            let png = super::png_from_svg(&super::to_svg(page))?;
            let path = dir.join(format!("page-{:0digits$}.png", i + 1));
            crate::fs::write_atomically(&path, &png)
                .map_err(|e| anyhow::anyhow!("Could not write a page ({e}): {}", path.display()))?;
            bytes += png.len();
        }
        Ok(bytes)
    }
}

/// The pages' order: by region, then name; only `regions` (when given: the start of the
/// region's name or of one of its words, in any case) and only `codes` (when given).
pub fn page_order(facts: &[FootprintFacts], regions: &[String], codes: &[String]) -> Vec<usize> {
    let mut order: Vec<usize> = facts
        .iter()
        .filter(|f| {
            regions.is_empty()
                || f.region.as_ref().is_some_and(|r| {
                    // The words typed begin the region's name or one of its words.
                    let r = r.to_lowercase();
                    regions.iter().any(|want| {
                        let want = want.trim().to_lowercase();
                        r.starts_with(&want) || r.contains(&format!(" {want}"))
                    })
                })
        })
        .filter(|f| codes.is_empty() || codes.iter().any(|c| c.eq_ignore_ascii_case(&f.code)))
        .map(|f| f.index)
        .collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (&facts[a], &facts[b]);
        fa.region
            .as_deref()
            .unwrap_or("~")
            .cmp(fb.region.as_deref().unwrap_or("~"))
            .then(fa.name.cmp(&fb.name))
    });
    order
}

/// Page geometry shared by every page: the type unit and the bands.
pub(super) struct Frame {
    pub w: f64,
    pub h: f64,
    pub u: f64,
    pub title_h: f64,
    pub footer_h: f64,
}

/// Lays the pack out; `progress(done, total)` is called after each page and stops the work
/// when it returns false (then `None`).
pub fn pack(request: &PackRequest, progress: &dyn Fn(usize, usize) -> bool) -> Option<Pack> {
    let (width, height) = request.paper.pixels(request.dpi);
    let (w, h) = (width as f64, height as f64);
    let u = w.min(h) / 1000.0;
    let frame = Frame {
        w,
        h,
        u,
        title_h: 80.0 * u,
        footer_h: 100.0 * u,
    };
    // Label anchors once, for the cover's numbers and the pages' neighbour names.
    let anchors: Vec<Option<Coord<f64>>> = request
        .layer
        .footprints
        .iter()
        .map(|f| {
            crate::render::labels::label_anchor(&f.geometry, |c| lon_lat_to_world(c.x, c.y))
                .map(|(w, _)| crate::geo_util::world_to_lon_lat(w))
        })
        .collect();
    let contents_pages = cover_pages_needed(request, &frame);
    let total = contents_pages + request.order.len();
    let mut pages = cover(request, &frame, &anchors, contents_pages, total);
    if !progress(pages.len(), total) {
        return None;
    }
    let mut bookmarks = vec![(request.title.clone(), 0)];
    for &index in &request.order {
        let number = pages.len() + 1;
        pages.push(footprint_page(
            request, &frame, &anchors, index, number, total,
        ));
        if let Some(f) = request.facts.get(index) {
            bookmarks.push((f.name.clone(), pages.len() - 1));
        }
        if !progress(pages.len(), total) {
            return None;
        }
    }
    Some(Pack { pages, bookmarks })
}

#[cfg(test)]
mod tests {
    use super::draw::{fit_text, thin, wrap};
    use super::*;
    use crate::render::export::text_width;

    #[test]
    fn text_is_cut_and_wrapped_to_fit() {
        let cut = fit_text(
            "NHS Cheshire and Merseyside Integrated Care Board",
            10.0,
            100.0,
        );
        assert!(
            cut.ends_with('…') && text_width(&cut, 10.0) <= 100.0,
            "{cut}"
        );
        assert_eq!(fit_text("Short", 10.0, 100.0), "Short");
        let lines = wrap("one two three four five six seven", 10.0, 60.0);
        assert!(
            lines.len() > 1 && lines.iter().all(|l| text_width(l, 10.0) <= 60.0),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), "one two three four five six seven");
    }

    #[test]
    fn thinning_drops_points_closer_than_a_step_and_tiny_rings() {
        let ring = vec![
            (0.0, 0.0),
            (0.1, 0.0),
            (5.0, 0.0),
            (5.0, 5.0),
            (0.0, 5.0),
            (0.0, 0.0),
        ];
        let thinned = thin(vec![ring, vec![(0.0, 0.0), (0.2, 0.1), (0.1, 0.2)]], 1.0);
        assert_eq!(
            thinned,
            vec![vec![
                (0.0, 0.0),
                (5.0, 0.0),
                (5.0, 5.0),
                (0.0, 5.0),
                (0.0, 0.0)
            ]]
        );
    }

    #[test]
    fn pages_go_by_region_then_name_and_filter() {
        let facts: Vec<FootprintFacts> = [
            ("A", "Zed", "London"),
            ("B", "Alpha", "South East"),
            ("C", "Beta", "London"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (code, name, region))| FootprintFacts {
            index: i,
            code: code.to_string(),
            name: name.to_string(),
            region: Some(region.to_string()),
            ..Default::default()
        })
        .collect();
        assert_eq!(page_order(&facts, &[], &[]), vec![2, 0, 1]);
        assert_eq!(page_order(&facts, &["london".into()], &[]), vec![2, 0]);
        assert_eq!(page_order(&facts, &["east".into()], &[]), vec![1]);
        assert!(page_order(&facts, &["o".into()], &[]).is_empty());
        assert_eq!(page_order(&facts, &[], &["b".into()]), vec![1]);
    }
}
