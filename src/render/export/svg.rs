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
        write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" }).ok();
    }
    if closed {
        d.push('Z');
    }
}

/// The page as SVG: one path per shape, text as text.
pub fn to_svg(scene: &Scene) -> String {
    let (w, h) = (scene.width, scene.height);
    let mut out = String::with_capacity(1 << 20);
    write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Ubuntu, Helvetica, Arial, sans-serif"><title>{}</title>"#,
        escape(&scene.title)
    )
    .ok();
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
                write!(
                    out,
                    r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{}""#,
                    hex(*fill)
                )
                .ok();
                if *opacity < 1.0 {
                    write!(out, r#" fill-opacity="{opacity}""#).ok();
                }
                if let Some((c, width)) = stroke {
                    write!(out, r#" stroke="{}" stroke-width="{width:.2}""#, hex(*c)).ok();
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
            } => write_shape(
                &mut out,
                Shape {
                    class,
                    id: id.as_deref(),
                    title: title.as_deref(),
                    rings,
                    fill: *fill,
                    stroke: *stroke,
                    closed: *closed,
                },
            ),
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
                write!(
                    out,
                    r#"<text class="{class}" x="{x:.1}" y="{y:.1}" font-size="{size:.1}" dominant-baseline="central" fill="{}""#,
                    hex(*colour)
                )
                .ok();
                if *centred {
                    out.push_str(r#" text-anchor="middle""#);
                }
                if let Some((c, width)) = halo {
                    write!(
                        out,
                        r#" stroke="{}" stroke-opacity="0.8" stroke-width="{width:.2}" paint-order="stroke""#,
                        hex(*c)
                    )
                    .ok();
                }
                write!(out, ">{}</text>", escape(text)).ok();
            }
            Item::Clip { x, y, w, h } => {
                clips += 1;
                write!(
                    out,
                    r#"<clipPath id="clip{clips}"><rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}"/></clipPath><g clip-path="url(#clip{clips})">"#
                )
                .ok();
            }
            Item::Unclip => out.push_str("</g>"),
        }
    }
    out.push_str("</svg>");
    out
}

/// One shape of the scene, as [`Item::Shape`] holds it.
struct Shape<'a> {
    class: &'a str,
    id: Option<&'a str>,
    title: Option<&'a str>,
    rings: &'a [Vec<(f64, f64)>],
    fill: Option<(Rgb, f64)>,
    stroke: Option<(Rgb, f64)>,
    closed: bool,
}

/// A shape as one `<path>`, its rings even-odd filled, with its title as a tooltip.
fn write_shape(out: &mut String, shape: Shape) {
    let mut d = String::new();
    for ring in shape.rings {
        svg_points(ring, shape.closed, &mut d);
    }
    write!(out, r#"<path class="{}""#, shape.class).ok();
    if let Some(id) = shape.id {
        write!(out, r#" id="{}""#, escape(id)).ok();
    }
    write!(out, r#" d="{d}""#).ok();
    match shape.fill {
        Some((c, opacity)) => {
            write!(out, r#" fill="{}" fill-rule="evenodd""#, hex(c)).ok();
            if opacity < 1.0 {
                write!(out, r#" fill-opacity="{opacity}""#).ok();
            }
        }
        None => out.push_str(r#" fill="none""#),
    }
    if let Some((c, width)) = shape.stroke {
        write!(
            out,
            r#" stroke="{}" stroke-width="{width:.2}" stroke-linejoin="round""#,
            hex(c)
        )
        .ok();
    }
    match shape.title {
        Some(t) => {
            write!(out, "><title>{}</title></path>", escape(t)).ok();
        }
        None => out.push_str("/>"),
    }
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
