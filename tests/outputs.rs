//! The window's exports and the command line's agree: the same layer exported from the window
//! and by `footprints export` gives each footprint the same colour and facts on the same page.

use egui_kittest::Harness;

use crate::common::{self, App, app, click_through, wait_for_loads};
use crate::ui::{export_to, harness_with_paths};

/// Each footprint's (code, fill, title) in an exported SVG, in file order.
fn footprint_fills(svg: &str) -> Vec<(String, String, String)> {
    svg.split(r#"<path class="footprint" id=""#)
        .skip(1)
        .map(|rest| {
            let id = rest.split('"').next().unwrap_or_default().to_string();
            let fill = rest
                .split(r#" fill=""#)
                .nth(1)
                .and_then(|f| f.split('"').next())
                .unwrap_or_default()
                .to_string();
            let title = rest
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next())
                .unwrap_or_default()
                .to_string();
            (id, fill, title)
        })
        .collect()
}

/// Exports from the window (the form's size: A4 landscape at 150 dpi) into `out`.
fn export_from_window(harness: &mut Harness<'static, App>, out: &std::path::Path) {
    export_to(harness, &out.display().to_string());
    for _ in 0..300 {
        harness.step();
        if !app(harness).is_exporting() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn the_windows_export_and_footprints_export_of_a_layer_agree() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = harness_with_paths(Vec::new());
    click_through(
        &mut harness,
        &[
            "Layers",
            "Add a built-in layer",
            "ICBs, April 2026 (36, built from LSOAs)",
        ],
    );
    wait_for_loads(&mut harness);
    let (window_svg, window_pdf) = (dir.path().join("w.svg"), dir.path().join("w.pdf"));
    export_from_window(&mut harness, &window_svg);
    export_from_window(&mut harness, &window_pdf);
    let (cli_svg, cli_pdf) = (dir.path().join("c.svg"), dir.path().join("c.pdf"));
    for out in [&cli_svg, &cli_pdf] {
        common::success(
            common::footprints()
                .args([
                    "export",
                    "--boundaries",
                    "icb2026",
                    "--paper",
                    "a4",
                    "--dpi",
                    "150",
                ])
                .arg("--out")
                .arg(out),
        );
    }
    // The same colour and the same facts (people, lead) for every footprint.
    let window = footprint_fills(&std::fs::read_to_string(&window_svg).unwrap());
    let cli = footprint_fills(&std::fs::read_to_string(&cli_svg).unwrap());
    assert_eq!(window.len(), 36);
    assert_eq!(window, cli);
    // The same page: size in pixels and, in the PDF, in points.
    let size = |svg: &std::path::Path| {
        let text = std::fs::read_to_string(svg).unwrap();
        let head: String = text.chars().take(200).collect();
        head.split(" viewBox=")
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(size(&window_svg), size(&cli_svg));
    let media_box = |pdf: &std::path::Path| {
        let bytes = std::fs::read(pdf).unwrap();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let at = text.find("/MediaBox").expect("a page");
        text[at..at + 40].to_string()
    };
    assert_eq!(media_box(&window_pdf), media_box(&cli_pdf));
    let a4 = media_box(&cli_pdf);
    assert!(a4.contains("[0 0 841.9"), "A4 landscape in points: {a4}");
}
