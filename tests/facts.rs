//! One fact, one source: every ICB of April 2026 walked through every output — the board pack's
//! facts, an exported map's card and titles (SVG and PDF), the details panel, the list, the
//! tooltip and the presentation card — each must name the ICB's own 2026 chief executive and
//! chair as the leaders file gives them, or "not known", and never a 2016 STP lead (19 of the
//! 36 codes were STP codes in 2016). The 2016 footprints keep their 2016 leads everywhere.

use egui::Modifiers;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::common::{App, app, click_through, harness_with, shared_data, wait_for_loads};

/// One ICB's leaders as the data file gives them, read here on their own (not through the
/// app's parser): "Name (as of date)", or "not known" where the file says "not found".
pub struct Expected {
    pub code: String,
    pub chief_executive: Option<String>,
    pub chief_executive_line: String,
    pub chair: Option<String>,
    pub chair_line: String,
    /// The dates as given ("" when none).
    pub chief_executive_as_of: String,
    pub chair_as_of: String,
    /// The data's note (which may name an earlier chief executive).
    pub note: String,
}

/// Every row of `footprints/icb2026_leaders.csv`.
pub fn expected_icb_leads() -> Vec<Expected> {
    let path = shared_data("footprints/icb2026_leaders.csv");
    let mut reader = csv::Reader::from_path(&path).expect("the leaders file");
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let (code, ce, ce_as_of, chair, chair_as_of) = (
        column("ICB26CD"),
        column("chief_executive"),
        column("chief_executive_as_of"),
        column("chair"),
        column("chair_as_of"),
    );
    let note = column("note");
    let known = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && !s.to_lowercase().starts_with("not found")).then(|| s.to_string())
    };
    let line = |name: &Option<String>, as_of: &str| match (name, as_of.trim()) {
        (Some(n), "") => n.clone(),
        (Some(n), d) => format!("{n} (as of {d})"),
        (None, _) => "not known".to_string(),
    };
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let chief_executive = known(&r[ce]);
            let chair_name = known(&r[chair]);
            Expected {
                code: r[code].trim().to_string(),
                chief_executive_line: format!(
                    "Chief executive: {}",
                    line(&chief_executive, &r[ce_as_of])
                ),
                chief_executive,
                chair_line: format!("Chair: {}", line(&chair_name, &r[chair_as_of])),
                chair: chair_name,
                chief_executive_as_of: r[ce_as_of].trim().to_string(),
                chair_as_of: r[chair_as_of].trim().to_string(),
                note: r[note].to_string(),
            }
        })
        .collect()
}

/// The 2016 leads by code, from the 2016 footprints' own attributes.
fn leads_2016() -> Vec<(String, Option<String>)> {
    let (_, catalog) = footprints::defaults::default_footprints()
        .unwrap()
        .expect("built with the data");
    catalog
        .by_code
        .iter()
        .map(|(code, d)| (code.clone(), d.leader.name.clone()))
        .collect()
}

/// Text as one line of words (long lines wrap at spaces).
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every text drawn on an exported page.
fn texts(scene: &footprints::render::export::Scene) -> Vec<String> {
    scene
        .items
        .iter()
        .filter_map(|item| match item {
            footprints::render::export::Item::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// The exported map of `styled` with footprint `selected` chosen, as a scene.
fn exported(
    styled: &footprints::cli::export::Styled,
    labels: &[String],
    selected: usize,
) -> footprints::render::export::Scene {
    let basemap = footprints::basemap::Basemap::embedded();
    let request = footprints::render::export::ExportRequest {
        facts: styled.facts(),
        basemap: &basemap,
        colours: &styled.colours,
        legend: &styled.legend,
        selected: Some(selected),
        label_mode: footprints::render::style::LabelMode::Name,
        short_labels: labels,
        title: styled.layer.title.clone(),
        frame: None,
        width: 900,
        height: 640,
    };
    footprints::render::export::scene(&request).expect("the page is drawn")
}

#[test]
fn every_icb_2026_lead_is_its_2026_one_in_the_pack_facts_and_the_exported_map() {
    let styled = footprints::cli::export::styled_layer(Some("icb2026"), None).unwrap();
    let facts = styled.facts();
    assert_eq!(
        facts.catalogue(),
        footprints::facts::Catalogue::Icb2026,
        "decided by the lookup its codes match"
    );
    let labels = footprints::render::labels::short_labels(&facts);
    let pack = footprints::facts::facts_of(&facts, &labels);
    let expected = expected_icb_leads();
    assert_eq!(expected.len(), 36);
    assert_eq!(styled.layer.footprints.len(), 36);
    let old_leads = leads_2016();
    let mut shared_codes = 0;
    for e in &expected {
        let i = styled
            .layer
            .index_of_code(&e.code)
            .unwrap_or_else(|| panic!("{} in the layer", e.code));
        // The board pack's facts.
        let lead = &pack[i].lead;
        assert_eq!(lead[0], e.chief_executive_line, "{}: pack", e.code);
        assert_eq!(lead[1], e.chair_line, "{}: pack", e.code);
        assert!(
            lead.iter().all(|l| !l.starts_with("Lead:")),
            "{}: a 2016-style lead line {lead:?}",
            e.code
        );
        assert_eq!(
            pack[i].lead_short,
            e.chief_executive.as_deref().unwrap_or("not known"),
            "{}: contents",
            e.code
        );
        // The exported map's card, in the scene and in the PDF and SVG written from it.
        let scene = exported(&styled, &labels, i);
        let drawn = texts(&scene);
        let card = words(&drawn.join(" "));
        for line in [&e.chief_executive_line, &e.chair_line] {
            assert!(
                card.contains(&words(line)),
                "{}: card {line:?} in {card}",
                e.code
            );
        }
        let pdf = footprints::render::export::to_pdf(&scene, 0.75);
        let pdf_text = words(&crate::common::pdf_page_texts(&pdf).concat().join(" "));
        assert!(
            pdf_text.contains(&words(&e.chief_executive_line)),
            "{}: PDF {pdf_text:?}",
            e.code
        );
        // Its own shape's title (the SVG's <title>) names its lead.
        let summary = match &e.chief_executive {
            Some(name) => format!("Lead: {name} (chief executive"),
            None => "Lead: not known".to_string(),
        };
        let title = scene
            .items
            .iter()
            .find_map(|item| match item {
                footprints::render::export::Item::Shape {
                    id: Some(id),
                    title: Some(title),
                    ..
                } if *id == e.code => Some(title.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{}: a shape with a title", e.code));
        assert!(title.contains(&summary), "{}: title {title}", e.code);
        let svg = footprints::render::export::to_svg(&scene);
        let escaped = title.replace('&', "&amp;").replace('<', "&lt;");
        assert!(
            svg.contains(&escaped),
            "{}: the SVG carries the title",
            e.code
        );
        // A 2016 lead of the same code appears nowhere, unless the same person leads in 2026.
        if let Some((_, Some(old))) = old_leads.iter().find(|(c, _)| *c == e.code) {
            shared_codes += 1;
            let same_person = e
                .chief_executive
                .as_deref()
                .is_some_and(|n| n.contains(old))
                || e.chair.as_deref().is_some_and(|n| n.contains(old));
            if !same_person {
                assert!(
                    !lead.iter().any(|l| l.contains(old.as_str())),
                    "{}: 2016 lead {old} in the pack",
                    e.code
                );
                assert!(
                    !drawn.iter().any(|t| t.contains(old.as_str())),
                    "{}: 2016 lead {old} on the map",
                    e.code
                );
            }
        }
    }
    assert!(shared_codes >= 10, "codes shared with 2016: {shared_codes}");
}

#[test]
fn the_2016_footprints_keep_their_2016_leads_in_every_output() {
    let styled = footprints::cli::export::styled_layer(Some("stp2016"), None).unwrap();
    let facts = styled.facts();
    assert_eq!(facts.catalogue(), footprints::facts::Catalogue::Stp2016);
    let labels = footprints::render::labels::short_labels(&facts);
    let pack = footprints::facts::facts_of(&facts, &labels);
    let leads = leads_2016();
    assert_eq!(leads.len(), 44);
    for (code, name) in &leads {
        let i = styled.layer.index_of_code(code).unwrap();
        let line = format!("Lead: {}", name.as_deref().unwrap_or("not known"));
        assert!(
            pack[i].lead[0].starts_with(&line),
            "{code}: {:?}",
            pack[i].lead
        );
        let card = words(&texts(&exported(&styled, &labels, i)).join(" "));
        assert!(
            card.contains(&words(&line)),
            "{code}: {line} on the map's card"
        );
        // Its 2016 number, where the data infers one, is its label.
        if let Some(number) = facts.number_2016(i) {
            assert_eq!(labels[i], number.to_string(), "{code}");
        }
    }
}

/// Sets a text field (found by its accessible label) to `text`.
fn retype(harness: &mut Harness<'static, App>, label: &str, text: &str) {
    let field = harness.get_by_label(label);
    field.click();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label(label).type_text(text);
    harness.run_steps(3);
}

/// Whether any node's label holds `text`.
fn shows(harness: &Harness<'static, App>, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

/// The details panel names the ICB's 2026 chief executive and chair with their dates (or "not
/// known") under the 2026 heading, and no 2016 lead.
fn assert_panel_names_leads(
    harness: &Harness<'static, App>,
    e: &Expected,
    old_leads: &[(String, Option<String>)],
) {
    for (name, as_of, line) in [
        (
            &e.chief_executive,
            &e.chief_executive_as_of,
            &e.chief_executive_line,
        ),
        (&e.chair, &e.chair_as_of, &e.chair_line),
    ] {
        match name {
            Some(name) => {
                assert!(shows(harness, name), "{}: panel {line}", e.code);
                if !as_of.is_empty() {
                    let dated = format!("as of {as_of}");
                    assert!(shows(harness, &dated), "{}: panel {dated}", e.code);
                }
            }
            None => assert!(shows(harness, "not known"), "{}: panel {line}", e.code),
        }
    }
    assert!(shows(harness, "Lead (ICB, April 2026)"), "{}", e.code);
    assert!(!shows(harness, "Lead (2016)"), "{}: a 2016 lead", e.code);
    if let Some((_, Some(old))) = old_leads.iter().find(|(c, _)| *c == e.code) {
        let same = [&e.chief_executive, &e.chair]
            .iter()
            .any(|n| n.as_deref().is_some_and(|n| n.contains(old.as_str())));
        // (The data's note may name an earlier chief executive: shown as the note.)
        let in_note = e.note.contains(old.as_str());
        assert!(
            same || in_note || !shows(harness, old),
            "{}: 2016 lead {old}",
            e.code
        );
    }
}

/// The pointer over a point inside the largest part of footprint `code` of the active layer
/// (which must be on screen).
fn hover_inside(harness: &mut Harness<'static, App>, code: &str) {
    let view = app(harness).map_view().unwrap();
    let layer = app(harness).active_layer().unwrap();
    let footprint = &layer.footprints[layer.index_of_code(code).unwrap()];
    let largest = footprint
        .geometry
        .0
        .iter()
        .max_by(|a, b| {
            use geo::Area;
            a.unsigned_area().total_cmp(&b.unsigned_area())
        })
        .unwrap();
    let inside = geo::InteriorPoint::interior_point(largest).unwrap();
    let pos = crate::common::screen_pos(harness, inside.x(), inside.y());
    assert!(
        view.rect.contains(pos),
        "{}: on screen: {pos:?} in {:?}, {inside:?}",
        code,
        view.rect
    );
    harness.hover_at(pos);
    harness.run_steps(3);
}

#[test]
fn every_icb_2026_lead_is_the_same_in_the_panel_list_tooltip_and_presentation() {
    let mut harness = harness_with(Vec::new(), None, None);
    harness.run_steps(2);
    click_through(&mut harness, &["Layers", "Add a built-in layer"]);
    harness
        .get_by_label("ICBs, April 2026 (36, built from LSOAs)")
        .click();
    harness.run_steps(2);
    wait_for_loads(&mut harness);
    assert_eq!(app(&harness).active_layer().unwrap().footprints.len(), 36);
    harness
        .ctx
        .global_style_mut(|s| s.interaction.tooltip_delay = 0.0);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::L);
    harness.run_steps(3);
    let expected = expected_icb_leads();
    let old_leads = leads_2016();
    // The list, filtered to one ICB at a time (nothing selected, so only the list speaks):
    // its lead column.
    for e in &expected {
        retype(&mut harness, footprints::ui::list::FILTER_LABEL, &e.code);
        harness.get_by_label("1 of 36");
        let list_lead = e.chief_executive.as_deref().unwrap_or("not known");
        assert!(shows(&harness, list_lead), "{}: list {list_lead}", e.code);
    }
    for e in &expected {
        // Chosen from the list, which then closes: the details panel (the only panel left)
        // names both leaders, with their dates.
        retype(&mut harness, footprints::ui::list::FILTER_LABEL, &e.code);
        harness.get_by_label(&e.code).click();
        harness.run_steps(4);
        harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::L);
        harness.run_steps(6);
        assert_eq!(app(&harness).selected_code(), Some(e.code.as_str()));
        assert!(
            harness
                .query_by_label(footprints::ui::list::FILTER_LABEL)
                .is_none()
        );
        assert_panel_names_leads(&harness, e, &old_leads);
        // The tooltip over the ICB (framed by the selection): its lead.
        hover_inside(&mut harness, &e.code);
        let summary = match &e.chief_executive {
            Some(name) => format!("Lead: {name} (chief executive"),
            None => "Lead: not known".to_string(),
        };
        assert!(shows(&harness, &summary), "{}: tooltip {summary}", e.code);
        harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::L);
        harness.run_steps(3);
    }
    // The presentation steps through all 36: each card names the same leaders.
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::L);
    harness.run_steps(2);
    harness.key_press(egui::Key::F5);
    harness.run_steps(3);
    assert!(app(&harness).is_presenting());
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..expected.len() {
        harness.key_press(egui::Key::ArrowRight);
        harness.run_steps(3);
        let code = app(&harness).selected_code().unwrap().to_string();
        let e = expected.iter().find(|e| e.code == code).unwrap();
        assert!(shows(&harness, "Lead (ICB, April 2026)"), "{code}: card");
        for name in [&e.chief_executive, &e.chair] {
            let text = name.as_deref().unwrap_or("not known");
            assert!(shows(&harness, text), "{code}: card {text}");
        }
        seen.insert(code);
    }
    assert_eq!(seen.len(), 36, "every ICB had its card");
}
