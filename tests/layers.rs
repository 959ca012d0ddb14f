//! Closing, reopening and reordering layers with a selection and the compare window open: the
//! active layer, the selection and the compare (swipe) pair stay on the layers they were on.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::common::{
    App, app, click_at, click_through, harness_with, screen_pos, shared_data, wait_for_loads,
};

const ICB_FILE: &str = "boundaries/icb2022_ons_buc_42_simplified.geojson";
const ICB_TITLE: &str = "icb2022_ons_buc_42_simplified";
const STP_2016: &str = "STP footprints 2016";
const STP_2021: &str = "STP partnerships, April 2021";

/// Clicks an item of the Layers menu (opening it when it is not open).
fn in_layers_menu(harness: &mut Harness<'static, App>, label: &str) {
    let open = |h: &Harness<'static, App>| {
        h.query_by_label_contains("Top of the list is drawn on top")
            .is_some()
    };
    // (A click elsewhere may have left the menu closing: a second click opens it.)
    if !open(harness) {
        harness.get_by_label("Layers").click();
        harness.run_steps(2);
    }
    assert!(open(harness), "the Layers menu opens, for {label}");
    harness.get_by_label(label).click();
    harness.run_steps(3);
}

/// Closes the Layers menu (which stays open for several choices), so a click reaches the map.
fn close_layers_menu(harness: &mut Harness<'static, App>) {
    if harness
        .query_by_label_contains("Top of the list is drawn on top")
        .is_some()
    {
        harness.get_by_label("Layers").click();
        harness.run_steps(2);
    }
}

/// The active layer's title, the selected code and the compare pair's titles.
fn state(harness: &Harness<'static, App>) -> (String, Option<String>, Option<(String, String)>) {
    let app = app(harness);
    (
        app.active_layer()
            .map(|l| l.title.clone())
            .unwrap_or_default(),
        app.selected_code().map(str::to_string),
        app.compare_titles(),
    )
}

#[test]
fn closing_reopening_and_reordering_layers_keeps_the_selection_active_layer_and_swipe_pair() {
    let mut harness = harness_with(vec![shared_data(ICB_FILE)], None, None);
    wait_for_loads(&mut harness);
    click_through(&mut harness, &["Layers", "Add a built-in layer", STP_2021]);
    wait_for_loads(&mut harness);
    assert_eq!(
        app(&harness).layer_titles(),
        [STP_2016, ICB_TITLE, STP_2021]
    );

    // The compare window opens on the bottom and the top layer, swiping.
    in_layers_menu(&mut harness, "Compare two layers…");
    harness
        .get_by_label("Swipe between them on the map")
        .click();
    harness.run_steps(2);
    let pair = Some((STP_2016.to_string(), STP_2021.to_string()));
    assert_eq!(app(&harness).compare_titles(), pair);

    // The ICB file chosen, and Norwich in it (away from the swipe's divider).
    in_layers_menu(&mut harness, ICB_TITLE);
    close_layers_menu(&mut harness);
    let norwich = screen_pos(&harness, 1.2974, 52.6309);
    click_at(&mut harness, norwich);
    let chosen = (
        ICB_TITLE.to_string(),
        Some("E54000022".to_string()),
        pair.clone(),
    );
    assert_eq!(state(&harness), chosen);

    // Reordered: the 2016 footprints up above the file.
    in_layers_menu(&mut harness, &format!("Move {STP_2016} up"));
    assert_eq!(
        app(&harness).layer_titles(),
        [ICB_TITLE, STP_2016, STP_2021]
    );
    assert_eq!(state(&harness), chosen, "after reordering");

    // Reopened: the same file dropped again takes its own place.
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(crate::ui::DroppedPath(shared_data(
            ICB_FILE,
        ))));
    harness.step();
    wait_for_loads(&mut harness);
    assert_eq!(
        app(&harness).layer_titles(),
        [ICB_TITLE, STP_2016, STP_2021]
    );
    assert_eq!(state(&harness), chosen, "after reopening");

    // Another layer opened (it is chosen), then closed: the file is chosen again by hand and
    // its selection made again; closing the other layer leaves both alone.
    in_layers_menu(&mut harness, "Add a built-in layer");
    harness.get_by_label("CCGs, April 2021").click();
    harness.run_steps(2);
    wait_for_loads(&mut harness);
    assert_eq!(state(&harness).0, "CCGs, April 2021");
    assert_eq!(app(&harness).compare_titles(), pair, "a new layer");
    in_layers_menu(&mut harness, ICB_TITLE);
    close_layers_menu(&mut harness);
    click_at(&mut harness, norwich);
    assert_eq!(state(&harness), chosen);
    let open_files = app(&harness).settings().open_files.len();
    assert_eq!(
        open_files, 3,
        "the file and two built-in layers are remembered"
    );
    in_layers_menu(&mut harness, "Close CCGs, April 2021");
    assert_eq!(
        app(&harness).layer_titles(),
        [ICB_TITLE, STP_2016, STP_2021]
    );
    assert_eq!(state(&harness), chosen, "after closing another layer");

    // Closing a layer of the pair: the window compares two layers still open.
    in_layers_menu(&mut harness, &format!("Close {STP_2021}"));
    assert_eq!(app(&harness).layer_titles(), [ICB_TITLE, STP_2016]);
    let (active, selected, pair) = state(&harness);
    assert_eq!(
        (active.as_str(), selected.as_deref()),
        (ICB_TITLE, Some("E54000022"))
    );
    assert_eq!(pair, Some((ICB_TITLE.to_string(), STP_2016.to_string())));

    // Closing the chosen layer: the one in its place is chosen, with nothing selected in it.
    in_layers_menu(&mut harness, &format!("Close {ICB_TITLE}"));
    assert_eq!(state(&harness), (STP_2016.to_string(), None, None));
    assert_eq!(
        app(&harness).settings().open_files.len(),
        0,
        "{:?}",
        app(&harness).settings().open_files
    );
}

#[test]
fn a_built_in_layer_is_remembered_by_its_id_and_opened_again() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.json");
    let mut first = harness_with(Vec::new(), Some(settings.clone()), None);
    click_through(&mut first, &["Layers", "Add a built-in layer", STP_2021]);
    wait_for_loads(&mut first);
    first.state_mut().as_mut().unwrap().remember_view();
    drop(first);
    let written = std::fs::read_to_string(&settings).unwrap();
    assert!(written.contains("\"builtin:stp2021\""), "{written}");

    let mut second = harness_with(Vec::new(), Some(settings), None);
    wait_for_loads(&mut second);
    assert_eq!(app(&second).layer_titles(), [STP_2016, STP_2021]);
    assert_eq!(
        app(&second).active_layer().unwrap().source,
        footprints::model::LayerSource::BuiltIn(
            footprints::vintages::built_in_id("stp2021").unwrap()
        )
    );
}
