//! End-to-end tests of `footprints export`: PNG and SVG, size, colours, shapes, attribution.

use crate::common::{failure, footprints, shared_data};
use footprints::render::export::{PageLayout, Paper};
use footprints::render::style::VIRIDIS_5;

/// England's extent, as the default layer frames it.
fn england() -> geo::Rect<f64> {
    let (layer, _) = footprints::defaults::default_footprints().unwrap().unwrap();
    layer.bbox().unwrap()
}

#[test]
fn png_at_a4_150_dpi_has_the_colours_of_its_footprints() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("england.png");
    let status = footprints()
        .args([
            "export",
            "--paper",
            "a4",
            "--dpi",
            "150",
            "--colour-by",
            "population",
            "--out",
        ])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let image = image::open(&out).unwrap().to_rgb8();
    assert_eq!(image.dimensions(), Paper::A4.pixels(150.0));
    assert_eq!(image.dimensions(), (1754, 1240));

    // The fill is 85% opaque over the land colour.
    let land = [0xec, 0xea, 0xe2];
    let expected = |c: footprints::colour::Rgb| {
        [c.0, c.1, c.2]
            .iter()
            .zip(land)
            .map(|(&c, l)| (0.85 * c as f64 + 0.15 * l as f64).round() as i32)
            .collect::<Vec<_>>()
    };
    let page = PageLayout::new(england(), 1754, 1240);
    let at = |lon: f64, lat: f64| {
        let (x, y) = page.point(lon, lat);
        let p = image.get_pixel(x as u32, y as u32);
        vec![p[0] as i32, p[1] as i32, p[2] as i32]
    };
    let close = |a: &[i32], b: &[i32]| a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 6);
    // Greater Manchester is in the top population class, Cumbria (WNEC) in the bottom one.
    let manchester = at(-2.35, 53.52);
    assert!(
        close(&manchester, &expected(VIRIDIS_5[4])),
        "{manchester:?}"
    );
    let cumbria = at(-3.05, 54.6);
    assert!(close(&cumbria, &expected(VIRIDIS_5[0])), "{cumbria:?}");
    let sea = at(-3.75, 53.75);
    assert!(close(&sea, &[0xc8, 0xde, 0xee]), "{sea:?}");
}

#[test]
fn svg_has_one_shape_per_footprint_text_as_text_and_the_attribution() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("england.svg");
    let status = footprints()
        .args([
            "export",
            "--width",
            "1600",
            "--height",
            "1000",
            "--select",
            "E54000017",
        ])
        .args(["--title", "Footprints & leads, 2016", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(r#"width="1600" height="1000""#));
    assert_eq!(svg.matches(r#"class="footprint""#).count(), 44);
    assert_eq!(
        svg.matches(r#"<path class="selection""#).count(),
        2,
        "halo and line"
    );
    assert!(svg.contains(r#"id="E54000017""#));
    assert!(svg.contains(">Footprints &amp; leads, 2016</text>"));
    assert!(
        svg.matches(r#"class="label""#).count() >= 30,
        "most footprints are labelled"
    );
    for line in footprints::DATA_ATTRIBUTION {
        assert!(svg.contains(&format!(">{line}</text>")), "missing: {line}");
    }
}

#[test]
fn other_boundaries_export_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("icb.svg");
    let status = footprints()
        .args(["export", "--boundaries"])
        .arg(shared_data(
            "boundaries/icb2022_ons_buc_42_simplified.geojson",
        ))
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let svg = std::fs::read_to_string(&out).unwrap();
    assert_eq!(svg.matches(r#"class="footprint""#).count(), 42);
}

#[test]
fn an_existing_file_needs_force_and_bad_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.svg");
    std::fs::write(&out, "keep me").unwrap();
    assert_eq!(
        failure(footprints().args(["export", "--out"]).arg(&out)),
        format!(
            "footprints: the file exists; add --force to replace it: {}",
            out.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");

    let status = footprints()
        .args(["export", "--force", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("<svg"));

    let bad = dir.path().join("map.gif");
    let output = footprints()
        .args(["export", "--out"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("must end in .png, .svg or .pdf"));
    assert!(!bad.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary files left"
    );
}

#[test]
fn pdf_is_a_vector_page_of_the_paper_size_with_the_attribution() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("england.pdf");
    let status = footprints()
        .args(["export", "--paper", "a3", "--dpi", "300", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-1.4"));
    let text = String::from_utf8_lossy(&bytes);
    // A3 landscape is 420 × 297 mm: 1190.55 × 841.89 points (to the pixel grid at 300 dpi).
    let media = text.split("/MediaBox [0 0 ").nth(1).unwrap();
    let numbers: Vec<f64> = media
        .split(&[' ', ']'][..])
        .take(2)
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(
        (numbers[0] - 1190.55).abs() < 0.2 && (numbers[1] - 841.89).abs() < 0.2,
        "{numbers:?}"
    );
    // Every footprint is a filled vector shape; text is text.
    assert!(
        text.matches("f* Q").count() >= 44 + 4,
        "footprints and land are filled paths"
    );
    assert!(
        text.contains(
            "(Contains OS data \\251 Crown copyright and database right 2016\\2262025.) Tj"
        )
    );
    assert!(text.contains("(STP footprints 2016) Tj"));
    assert!(text.trim_end().ends_with("%%EOF"));
}
