//! The page as PDF: vector shapes and Helvetica text at the paper's size.

use std::fmt::Write as _;

use super::{Item, Scene};
use crate::render::colour::Rgb;

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
            _ => b'?',
        };
        if byte < 0x80 {
            out.push(byte as char);
        } else {
            let _ = write!(out, "\\{byte:03o}");
        }
    }
    out
}

/// Approximate Helvetica advance, for centring text in PDF.
fn helvetica_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.54
}

/// The page as PDF: vector shapes, text in Helvetica, sized so 1 pixel = 0.75 pt (96 dpi) —
/// an A4 export at 150 dpi prints as A4.
pub fn to_pdf(scene: &Scene, points_per_pixel: f64) -> Vec<u8> {
    let k = points_per_pixel;
    let (pw, ph) = (scene.width * k, scene.height * k);
    let y = |v: f64| ph - v * k;
    let rgb = |c: Rgb| {
        format!(
            "{:.3} {:.3} {:.3}",
            c.0 as f64 / 255.0,
            c.1 as f64 / 255.0,
            c.2 as f64 / 255.0
        )
    };
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
                let _ = writeln!(
                    content,
                    "q /GS{} gs {} rg",
                    (opacity * 100.0).round() as u32,
                    rgb(*fill)
                );
                let _ = writeln!(
                    content,
                    "{:.2} {:.2} {:.2} {:.2} re f",
                    x * k,
                    y(top + h),
                    w * k,
                    h * k
                );
                if let Some((c, width)) = stroke {
                    let _ = writeln!(
                        content,
                        "{} RG {:.2} w {:.2} {:.2} {:.2} {:.2} re S",
                        rgb(*c),
                        width * k,
                        x * k,
                        y(top + h),
                        w * k,
                        h * k
                    );
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
                        let _ = write!(
                            path,
                            "{:.2} {:.2} {} ",
                            px * k,
                            y(*py),
                            if i == 0 { "m" } else { "l" }
                        );
                    }
                    if *closed {
                        path.push_str("h ");
                    }
                }
                if let Some((c, opacity)) = fill {
                    let _ = writeln!(
                        content,
                        "q /GS{} gs {} rg {path}f* Q",
                        (opacity * 100.0).round() as u32,
                        rgb(*c)
                    );
                }
                if let Some((c, width)) = stroke {
                    let _ = writeln!(content, "q {} RG {:.2} w 1 j {path}S Q", rgb(*c), width * k);
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
                let escaped = pdf_text(text);
                if let Some((c, w)) = halo {
                    let _ = writeln!(
                        content,
                        "q {} RG {:.2} w 1 j 1 Tr BT /F1 {size_pt:.2} Tf {tx:.2} {baseline:.2} Td ({escaped}) Tj ET Q",
                        rgb(*c),
                        w * k
                    );
                }
                let _ = writeln!(
                    content,
                    "q {} rg BT /F1 {size_pt:.2} Tf {tx:.2} {baseline:.2} Td ({escaped}) Tj ET Q",
                    rgb(*colour)
                );
            }
            Item::Clip { x, y: top, w, h } => {
                let _ = writeln!(
                    content,
                    "q {:.2} {:.2} {:.2} {:.2} re W n",
                    x * k,
                    y(top + h),
                    w * k,
                    h * k
                );
            }
            Item::Unclip => content.push_str("Q\n"),
        }
    }
    // Opacity states used above: /GS0 … /GS100.
    let mut states = String::new();
    for o in 0..=100 {
        let _ = write!(
            states,
            "/GS{o} << /Type /ExtGState /ca {:.2} /CA 1 >> ",
            o as f64 / 100.0
        );
    }
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2} {ph:.2}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> /ExtGState << {states}>> >> >>"
        ),
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
        format!(
            "<< /Title ({}) /Producer (Footprints) >>",
            pdf_text(&scene.title)
        ),
    ];
    let mut pdf = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    let mut trailer = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(trailer, "{offset:010} 00000 n ");
    }
    let _ = write!(
        trailer,
        "trailer\n<< /Size {} /Root 1 0 R /Info {} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1,
        objects.len()
    );
    pdf.extend_from_slice(trailer.as_bytes());
    pdf
}
