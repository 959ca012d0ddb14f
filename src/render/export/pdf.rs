//! Pages as PDF: vector shapes and real, selectable Helvetica text at the paper's size; one
//! page ([`to_pdf`]) or many with bookmarks ([`PdfWriter`]).

use std::fmt::Write as _;

use super::{Item, Scene};
use crate::colour::Rgb;

/// Text for PDF's built-in Helvetica (WinAnsi): the characters the data uses, else "?".
fn pdf_text(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        let byte: u8 = match ch {
            '(' | ')' | '\\' => {
                out.push('\\');
                ch as u8
            }
            ' '..='~' => ch as u8,
            '©' => 0xA9,
            '–' => 0x96,
            '—' => 0x97,
            '’' => 0x92,
            '‘' => 0x91,
            '·' => 0xB7,
            '²' => 0xB2,
            'é' => 0xE9,
            '…' => 0x85,
            '−' => b'-',
            _ => b'?',
        };
        if byte < 0x80 {
            out.push(byte as char);
        } else {
            write!(out, "\\{byte:03o}").ok();
        }
    }
    out
}

/// Approximate Helvetica advance, for centring text in PDF.
fn helvetica_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.54
}

/// The page as PDF: vector shapes, text in Helvetica, sized so 1 pixel = `points_per_pixel`
/// points (0.75 at 96 dpi) — an A4 export at 150 dpi prints as A4.
pub fn to_pdf(scene: &Scene, points_per_pixel: f64) -> Vec<u8> {
    let mut writer = PdfWriter::new(&scene.title);
    writer.add_page(scene, points_per_pixel);
    writer.finish()
}

/// A PDF being assembled: pages, bookmarks (outline entries) and a title.
pub struct PdfWriter {
    title: String,
    /// Each page's size in points and its content stream.
    pages: Vec<(f64, f64, String)>,
    /// Bookmarks: title and page index, in order.
    outline: Vec<(String, usize)>,
    /// Content streams deflated (FlateDecode): a many-page pack is a tenth of the size.
    compress: bool,
}

impl PdfWriter {
    pub fn new(title: &str) -> Self {
        Self {
            title: title.to_string(),
            pages: Vec::new(),
            outline: Vec::new(),
            compress: false,
        }
    }

    /// A writer whose page contents are deflated (FlateDecode).
    pub fn compressed(title: &str) -> Self {
        Self {
            compress: true,
            ..Self::new(title)
        }
    }

    /// Adds a page drawn from `scene`; returns its index.
    pub fn add_page(&mut self, scene: &Scene, points_per_pixel: f64) -> usize {
        let k = points_per_pixel;
        let (pw, ph) = (scene.width * k, scene.height * k);
        self.pages.push((pw, ph, page_content(scene, k, ph)));
        self.pages.len() - 1
    }

    /// A bookmark to page `page`, shown in a reader's outline.
    pub fn add_bookmark(&mut self, title: &str, page: usize) {
        self.outline.push((title.to_string(), page));
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The file's bytes.
    pub fn finish(self) -> Vec<u8> {
        // Objects: 1 catalog, 2 page tree, 3 font, 4 info, 5 outline root, then two a page
        // (page, contents), then one a bookmark.
        const FIRST_PAGE: usize = 6;
        let page_id = |i: usize| FIRST_PAGE + 2 * i;
        let first_bookmark = FIRST_PAGE + 2 * self.pages.len();
        let bookmarks = self.outline.len();
        // Opacity states used by the pages: /GS0 … /GS100.
        let mut states = String::new();
        for o in 0..=100 {
            write!(
                states,
                "/GS{o} << /Type /ExtGState /ca {:.2} /CA 1 >> ",
                o as f64 / 100.0
            )
            .ok();
        }
        let kids: Vec<String> = (0..self.pages.len())
            .map(|i| format!("{} 0 R", page_id(i)))
            .collect();
        let outline_root = if bookmarks == 0 {
            "<< /Type /Outlines /Count 0 >>".to_string()
        } else {
            format!(
                "<< /Type /Outlines /First {} 0 R /Last {} 0 R /Count {bookmarks} >>",
                first_bookmark,
                first_bookmark + bookmarks - 1
            )
        };
        let page_mode = if bookmarks == 0 {
            ""
        } else {
            " /PageMode /UseOutlines"
        };
        let mut objects: Vec<PdfObject> = [
            format!("<< /Type /Catalog /Pages 2 0 R /Outlines 5 0 R{page_mode} >>"),
            format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                self.pages.len()
            ),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_string(),
            format!(
                "<< /Title ({}) /Producer (Footprints) >>",
                pdf_text(&self.title)
            ),
            outline_root,
        ]
        .into_iter()
        .map(PdfObject::from)
        .collect();
        for (i, (pw, ph, content)) in self.pages.iter().enumerate() {
            objects.push(PdfObject::from(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2} {ph:.2}] /Contents {} 0 R /Resources << /Font << /F1 3 0 R >> /ExtGState << {states}>> >> >>",
                page_id(i) + 1
            )));
            objects.push(stream_object(content, self.compress));
        }
        for (j, (title, page)) in self.outline.iter().enumerate() {
            let id = first_bookmark + j;
            let mut entry = format!("<< /Title ({}) /Parent 5 0 R", pdf_text(title));
            if j > 0 {
                write!(entry, " /Prev {} 0 R", id - 1).ok();
            }
            if j + 1 < bookmarks {
                write!(entry, " /Next {} 0 R", id + 1).ok();
            }
            let page = (*page).min(self.pages.len().saturating_sub(1));
            write!(entry, " /Dest [{} 0 R /Fit] >>", page_id(page)).ok();
            objects.push(PdfObject::from(entry));
        }
        write_objects(&objects)
    }
}

/// A content stream object, deflated when `compress`.
fn stream_object(content: &str, compress: bool) -> PdfObject {
    if !compress {
        return PdfObject::Text(format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ));
    }
    use std::io::Write as _;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(content.as_bytes()).ok();
    let deflated = encoder.finish().unwrap_or_default();
    let mut bytes = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        deflated.len()
    )
    .into_bytes();
    bytes.extend_from_slice(&deflated);
    bytes.extend_from_slice(b"\nendstream");
    PdfObject::Bytes(bytes)
}

/// An object's body: text, or bytes (a deflated stream).
enum PdfObject {
    Text(String),
    Bytes(Vec<u8>),
}

impl From<String> for PdfObject {
    fn from(text: String) -> Self {
        PdfObject::Text(text)
    }
}

impl PdfObject {
    fn bytes(&self) -> &[u8] {
        match self {
            PdfObject::Text(t) => t.as_bytes(),
            PdfObject::Bytes(b) => b,
        }
    }
}

/// The objects (numbered from 1) with the cross-reference table and trailer; object 1 is the
/// catalog and object 4 the document information.
fn write_objects(objects: &[PdfObject]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(body.bytes());
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    let mut trailer = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        writeln!(trailer, "{offset:010} 00000 n ").ok();
    }
    write!(
        trailer,
        "trailer\n<< /Size {} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1,
    )
    .ok();
    pdf.extend_from_slice(trailer.as_bytes());
    pdf
}

/// A colour as PDF's three 0..1 components.
fn rgb(c: Rgb) -> String {
    format!(
        "{:.3} {:.3} {:.3}",
        c.0 as f64 / 255.0,
        c.1 as f64 / 255.0,
        c.2 as f64 / 255.0
    )
}

/// One page's content stream; `k` points per pixel, `page_height` in points (PDF's y runs up).
fn page_content(scene: &Scene, k: f64, page_height: f64) -> String {
    let y = |v: f64| page_height - v * k;
    let mut content = String::with_capacity(1 << 20);
    for item in &scene.items {
        match item {
            Item::Rect {
                x,
                y: top,
                w,
                h,
                fill,
                opacity,
                stroke,
            } => {
                let rect = format!(
                    "{:.2} {:.2} {:.2} {:.2} re",
                    x * k,
                    y(top + h),
                    w * k,
                    h * k
                );
                let gs = (opacity * 100.0).round() as u32;
                writeln!(content, "q /GS{gs} gs {} rg {rect} f", rgb(*fill)).ok();
                if let Some((c, width)) = stroke {
                    writeln!(content, "{} RG {:.2} w {rect} S", rgb(*c), width * k).ok();
                }
                content.push_str("Q\n");
            }
            Item::Shape {
                rings,
                fill,
                stroke,
                closed,
                ..
            } => {
                let mut path = String::new();
                for ring in rings {
                    for (i, (px, py)) in ring.iter().enumerate() {
                        let op = if i == 0 { "m" } else { "l" };
                        write!(path, "{:.2} {:.2} {op} ", px * k, y(*py)).ok();
                    }
                    if *closed {
                        path.push_str("h ");
                    }
                }
                if let Some((c, opacity)) = fill {
                    let gs = (opacity * 100.0).round() as u32;
                    writeln!(content, "q /GS{gs} gs {} rg {path}f* Q", rgb(*c)).ok();
                }
                if let Some((c, width)) = stroke {
                    writeln!(content, "q {} RG {:.2} w 1 j {path}S Q", rgb(*c), width * k).ok();
                }
            }
            Item::Text {
                x,
                y: ty,
                size,
                text,
                colour,
                halo,
                centred,
                ..
            } => {
                let size_pt = size * k;
                let width = helvetica_width(text, size_pt);
                let tx = if *centred { x * k - width / 2.0 } else { x * k };
                let baseline = y(*ty) - size_pt * 0.35;
                let shown = format!(
                    "BT /F1 {size_pt:.2} Tf {tx:.2} {baseline:.2} Td ({}) Tj ET",
                    pdf_text(text)
                );
                if let Some((c, w)) = halo {
                    writeln!(
                        content,
                        "q {} RG {:.2} w 1 j 1 Tr {shown} Q",
                        rgb(*c),
                        w * k
                    )
                    .ok();
                }
                writeln!(content, "q {} rg {shown} Q", rgb(*colour)).ok();
            }
            Item::Clip { x, y: top, w, h } => {
                writeln!(
                    content,
                    "q {:.2} {:.2} {:.2} {:.2} re W n",
                    x * k,
                    y(top + h),
                    w * k,
                    h * k
                )
                .ok();
            }
            Item::Unclip => content.push_str("Q\n"),
        }
    }
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(title: &str, text: &str) -> Scene {
        Scene {
            width: 400.0,
            height: 300.0,
            title: title.to_string(),
            items: vec![Item::Text {
                class: "title",
                x: 10.0,
                y: 10.0,
                size: 12.0,
                text: text.to_string(),
                colour: Rgb(0, 0, 0),
                halo: None,
                centred: false,
            }],
        }
    }

    /// Every cross-reference entry points at its own object, so a reader can open the file.
    fn assert_xref_sound(pdf: &[u8]) {
        let tail = String::from_utf8_lossy(&pdf[pdf.len() - 40..]).into_owned();
        let at = tail.rfind("startxref\n").expect("startxref");
        let xref: usize = tail[at + 10..].lines().next().unwrap().parse().unwrap();
        let table = String::from_utf8_lossy(&pdf[xref..]).into_owned();
        assert!(table.starts_with("xref\n0 "));
        let count: usize = table.lines().nth(1).unwrap()[2..].parse().unwrap();
        for (id, line) in table.lines().skip(3).take(count - 1).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            let expected = format!("{} 0 obj", id + 1);
            assert!(
                pdf[offset..].starts_with(expected.as_bytes()),
                "object {} is not at {offset}",
                id + 1
            );
        }
    }

    #[test]
    fn one_page_has_its_text_and_title_and_a_sound_cross_reference() {
        let pdf = to_pdf(&page("Map (2016)", "Cumbria – North East"), 0.75);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Count 1 >>"));
        assert!(text.contains("(Cumbria \\226 North East) Tj"));
        assert!(text.contains("/Title (Map \\(2016\\))"));
        assert_xref_sound(&pdf);
    }

    #[test]
    fn pages_and_bookmarks_are_linked_in_order() {
        let mut writer = PdfWriter::new("Pack");
        for name in ["Cover", "Cumbria", "Durham"] {
            let index = writer.add_page(&page(name, name), 0.75);
            writer.add_bookmark(name, index);
        }
        assert_eq!(writer.page_count(), 3);
        let pdf = writer.finish();
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Kids [6 0 R 8 0 R 10 0 R] /Count 3"));
        assert!(text.contains("/Type /Outlines /First 12 0 R /Last 14 0 R /Count 3"));
        assert!(
            text.contains("<< /Title (Durham) /Parent 5 0 R /Prev 13 0 R /Dest [10 0 R /Fit] >>")
        );
        assert!(text.contains("/PageMode /UseOutlines"));
        assert_xref_sound(&pdf);
    }
}
