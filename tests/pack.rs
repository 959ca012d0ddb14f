//! The board pack from the command line, on the built-in layers: a cover whose contents match
//! the layer, one page per footprint with its name and people as text, a bookmark for each,
//! region and code filters, PNG pages, and no overwriting without --force.

use crate::common::{failure, footprints, pdf_page_texts, success};

/// Every string on each page of the pack made with `args`.
fn pack(args: &[&str]) -> (Vec<Vec<String>>, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack.pdf");
    success(
        footprints()
            .args(["export", "--pack", "--out"])
            .arg(&out)
            .args(args),
    );
    let pdf = std::fs::read(&out).unwrap();
    (pdf_page_texts(&pdf), pdf)
}

/// The people (mid-2022) and name of each footprint of a built-in layer, by code.
fn layer_people(id: &str) -> Vec<(String, String, u64)> {
    let layer = match id {
        "stp2016" => {
            footprints::defaults::default_footprints()
                .unwrap()
                .expect("built with the data")
                .0
        }
        id => footprints::vintages::BuiltIn::by_id(id)
            .expect("a built-in layer")
            .load()
            .unwrap(),
    };
    let blocks = footprints::blocks::Blocks::embedded().expect("built with the data");
    let locator = footprints::lookup::PointLocator::build(&layer);
    let statistics = footprints::blocks::layer_statistics::for_layer(&layer, blocks, &locator);
    layer
        .footprints
        .iter()
        .zip(&statistics.totals)
        .map(|(f, t)| {
            (
                f.code.clone(),
                f.name.clone(),
                t.as_ref().map(|t| t.population_mid2022()).unwrap_or(0),
            )
        })
        .collect()
}

/// Checks a pack of `layer`: one cover, a page per footprint with its name, code and people,
/// the contents naming each page, a bookmark each. Returns each page's text.
fn check_whole_pack(id: &str, footprints_count: usize) -> Vec<Vec<String>> {
    let (pages, pdf) = pack(&["--layer", id]);
    assert_eq!(pages.len(), footprints_count + 1, "a cover and a page each");
    let expected = layer_people(id);
    assert_eq!(expected.len(), footprints_count);
    let cover = pages[0].join("\n");
    for (code, name, people) in &expected {
        let people = footprints::geo_util::thousands(*people);
        // Its own page: the title is its name; its code and its people are text on it.
        let page = pages
            .iter()
            .position(|p| p.first() == Some(name))
            .unwrap_or_else(|| panic!("a page titled {name}"));
        let text = pages[page].join("\n");
        assert!(text.contains(code), "{name}: code");
        assert!(
            text.contains(&format!("{people} (derived, ONS)")),
            "{name}: {people}"
        );
        assert!(text.contains("Contains OS data"), "{name}: attribution");
        assert!(text.contains(&format!("Page {} of {}", page + 1, pages.len())));
        // The contents give its people and its page.
        assert!(cover.contains(&people), "contents: {name} {people}");
        let prefix: String = name.chars().take(18).collect();
        assert!(cover.contains(&prefix), "contents: {name}");
    }
    // A bookmark for the cover and each footprint.
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains(&format!(
        "/Type /Outlines /First {} 0 R",
        6 + 2 * pages.len()
    )));
    assert!(text.contains(&format!("/Count {} >>", footprints_count + 1)));
    assert!(text.contains("/PageMode /UseOutlines"));
    pages
}

/// A page's strings as one line of words (the pack wraps long lines at spaces).
fn words(page: &[String]) -> String {
    page.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_2016_pack_has_a_cover_and_a_page_for_each_of_the_44() {
    let pages = check_whole_pack("stp2016", 44);
    let (_, catalog) = footprints::defaults::default_footprints().unwrap().unwrap();
    for d in catalog.by_code.values() {
        let page = pages[1..]
            .iter()
            .map(|p| words(p))
            .find(|p| p.contains(&format!("Code {}", d.code)))
            .unwrap_or_else(|| panic!("{}: a page", d.code));
        let lead = format!("Lead: {}", d.leader.name.as_deref().unwrap_or("not known"));
        assert!(page.contains(&lead), "{}: {lead}", d.code);
    }
}

#[test]
fn the_icb_2026_pack_has_a_cover_and_a_page_for_each_of_the_36() {
    let pages = check_whole_pack("icb2026", 36);
    // Each ICB's page names its own chief executive and chair of 2026 as the leaders file
    // gives them (with their dates), or "not known": never a 2016 lead.
    for e in crate::facts::expected_icb_leads() {
        let page = pages[1..]
            .iter()
            .map(|p| words(p))
            .find(|p| p.contains(&format!("Code {}", e.code)))
            .unwrap_or_else(|| panic!("{}: a page", e.code));
        for line in [&e.chief_executive_line, &e.chair_line] {
            let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(page.contains(&line), "{}: {line} in {page}", e.code);
        }
        assert!(!page.contains("Lead: "), "{}: a 2016-style lead", e.code);
        assert!(!page.contains("Mar 2016"), "{}: a 2016 date", e.code);
    }
    // An ICB's page names its chief executive, or says the data does not.
    let (pages, _) = pack(&["--layer", "icb2026", "--select", "E54000050"]);
    assert_eq!(pages.len(), 2);
    let text = pages[1].join("\n");
    assert!(text.contains("Chief executive: "), "{text}");
    assert!(text.contains("Sub-ICB locations (April 2026"), "{text}");
}

#[test]
fn a_region_gives_only_its_footprints_pages() {
    let (pages, _) = pack(&["--region", "london"]);
    // The 2016 footprints of London: five.
    assert_eq!(
        pages.len(),
        1 + 5,
        "{:?}",
        pages.iter().map(|p| p.first()).collect::<Vec<_>>()
    );
    for page in &pages[1..] {
        assert!(
            page.iter().any(|s| s.contains("London")),
            "{:?}",
            page.first()
        );
    }
    let failed = failure(
        footprints()
            .args(["export", "--pack", "--region", "Atlantis", "--out"])
            .arg(tempfile::tempdir().unwrap().path().join("x.pdf")),
    );
    assert!(failed.contains("no footprint"), "{failed}");
}

#[test]
fn a_pack_is_not_written_over_without_force_and_png_pages_are_numbered() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack.pdf");
    std::fs::write(&out, b"keep me").unwrap();
    let failed = failure(footprints().args(["export", "--pack", "--out"]).arg(&out));
    assert!(failed.contains("--force"), "{failed}");
    assert_eq!(std::fs::read(&out).unwrap(), b"keep me");
    success(
        footprints()
            .args(["export", "--pack", "--force", "--region", "london", "--out"])
            .arg(&out),
    );
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    let folder = dir.path().join("slides");
    success(
        footprints()
            .args([
                "export",
                "--pack",
                "--png-pages",
                "--region",
                "london",
                "--out",
            ])
            .arg(&folder),
    );
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "page-01.png",
            "page-02.png",
            "page-03.png",
            "page-04.png",
            "page-05.png",
            "page-06.png"
        ]
    );
    let first = std::fs::read(folder.join("page-01.png")).unwrap();
    assert!(first.starts_with(b"\x89PNG"));
}
