//! The page as SVG: one path per shape, text as text.

use std::fmt::Write as _;

use super::{ExportError, ExportRequest, Item, Scene, scene};
use crate::colour::Rgb;

fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn svg_points(ring: &[(f64, f64)], closed: bool, d: &mut String) {
    for (i, (x, y)) in ring.iter().enumerate() {
        let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
    }
    if closed {
        d.push('Z');
    }
}

/// The page as SVG: one path per shape, text as text.
pub fn to_svg(scene: &Scene) -> String {
    let (w, h) = (scene.width, scene.height);
    let mut out = String::with_capacity(1 << 20);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Ubuntu, Helvetica, Arial, sans-serif"><title>{}</title>"#,
        escape(&scene.title)
    );
    let mut clips = 0;
    for item in &scene.items {
        match item {
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                opacity,
                stroke,
            } => {
                let _ = write!(
                    out,
                    r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{}""#,
                    hex(*fill)
                );
                if *opacity < 1.0 {
                    let _ = write!(out, r#" fill-opacity="{opacity}""#);
                }
                if let Some((c, width)) = stroke {
                    let _ = write!(out, r#" stroke="{}" stroke-width="{width:.2}""#, hex(*c));
                }
                out.push_str("/>");
            }
            Item::Shape {
                class,
                id,
                title,
                rings,
                fill,
                stroke,
                closed,
            } => {
                let mut d = String::new();
                for ring in rings {
                    svg_points(ring, *closed, &mut d);
                }
                let _ = write!(out, r#"<path class="{class}""#);
                if let Some(id) = id {
                    let _ = write!(out, r#" id="{}""#, escape(id));
                }
                let _ = write!(out, r#" d="{d}""#);
                match fill {
                    Some((c, opacity)) => {
                        let _ = write!(out, r#" fill="{}" fill-rule="evenodd""#, hex(*c));
                        if *opacity < 1.0 {
                            let _ = write!(out, r#" fill-opacity="{opacity}""#);
                        }
                    }
                    None => out.push_str(r#" fill="none""#),
                }
                if let Some((c, width)) = stroke {
                    let _ = write!(
                        out,
                        r#" stroke="{}" stroke-width="{width:.2}" stroke-linejoin="round""#,
                        hex(*c)
                    );
                }
                match title {
                    Some(t) => {
                        let _ = write!(out, "><title>{}</title></path>", escape(t));
                    }
                    None => out.push_str("/>"),
                }
            }
            Item::Text {
                class,
                x,
                y,
                size,
                text,
                colour,
                halo,
                centred,
            } => {
                let _ = write!(
                    out,
                    r#"<text class="{class}" x="{x:.1}" y="{y:.1}" font-size="{size:.1}" dominant-baseline="central" fill="{}""#,
                    hex(*colour)
                );
                if *centred {
                    out.push_str(r#" text-anchor="middle""#);
                }
                if let Some((c, width)) = halo {
                    let _ = write!(
                        out,
                        r#" stroke="{}" stroke-opacity="0.8" stroke-width="{width:.2}" paint-order="stroke""#,
                        hex(*c)
                    );
                }
                let _ = write!(out, ">{}</text>", escape(text));
            }
            Item::Clip { x, y, w, h } => {
                clips += 1;
                let _ = write!(
                    out,
                    r#"<clipPath id="clip{clips}"><rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}"/></clipPath><g clip-path="url(#clip{clips})">"#
                );
            }
            Item::Unclip => out.push_str("</g>"),
        }
    }
    out.push_str("</svg>");
    out
}

/// The map as an SVG document.
pub fn svg(request: &ExportRequest) -> Result<String, ExportError> {
    scene(request).map(|s| to_svg(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("Bath & <North>"), "Bath &amp; &lt;North&gt;");
    }
}
