//! End-to-end UI tests: the real app driven through egui_kittest (widgets found by label).

use egui::{Event, Modifiers, PointerButton};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use crate::common;

use crate::common::{
    App, app, click_at, click_through, harness_with, screen_pos, shared_data, wait_for_loads,
};

fn harness() -> Harness<'static, App> {
    harness_with_paths(Vec::new())
}

/// Birmingham city centre.
const BIRMINGHAM: (f64, f64) = (-1.8904, 52.4862);
/// The Irish Sea between Lancashire and the Isle of Man.
const IRISH_SEA: (f64, f64) = (-3.75, 53.75);

#[test]
fn clicking_birmingham_shows_its_lead_population_and_ccg() {
    let mut harness = harness();
    let pos = screen_pos(&harness, BIRMINGHAM.0, BIRMINGHAM.1);
    assert!(
        app(&harness).map_view().unwrap().rect.contains(pos),
        "Birmingham is on screen at start"
    );
    click_at(&mut harness, pos);

    assert_eq!(app(&harness).selected_code(), Some("E54000017"));
    harness.get_by_label("Birmingham and Solihull");
    harness.get_by_label("Mark Rogers");
    harness.get_by_label("1,180,567");
    harness.get_by_label("NHS Birmingham and Solihull CCG");
    harness.get_by_label_contains("split: 88% of its area here; 12% in The Black Country");
}

#[test]
fn clicking_the_sea_clears_the_selection() {
    let mut harness = harness();
    let pos = screen_pos(&harness, BIRMINGHAM.0, BIRMINGHAM.1);
    click_at(&mut harness, pos);
    assert!(harness.query_by_label("Mark Rogers").is_some());

    let sea = screen_pos(&harness, IRISH_SEA.0, IRISH_SEA.1);
    click_at(&mut harness, sea);
    assert_eq!(app(&harness).selected_code(), None);
    assert!(harness.query_by_label("Mark Rogers").is_none());
}

#[test]
fn a_drag_is_not_a_click() {
    let mut harness = harness();
    let start = screen_pos(&harness, BIRMINGHAM.0, BIRMINGHAM.1);
    harness.hover_at(start);
    harness.step();
    harness.drag_at(start);
    harness.step();
    for step in 1..=6 {
        harness.hover_at(start + egui::vec2(15.0 * step as f32, 8.0 * step as f32));
        harness.step();
    }
    harness.drop_at(start + egui::vec2(90.0, 48.0));
    harness.run_steps(3);
    assert_eq!(app(&harness).selected_code(), None);
    // ...but the map did move.
    let moved = screen_pos(&harness, BIRMINGHAM.0, BIRMINGHAM.1);
    assert!((moved - start).length() > 60.0, "{start:?} → {moved:?}");
}

#[test]
fn a_footprint_with_no_known_lead_says_so_with_its_status() {
    let mut harness = harness();
    // Harrow, in North West London.
    let pos = screen_pos(&harness, -0.3340, 51.5806);
    click_at(&mut harness, pos);
    assert_eq!(app(&harness).selected_code(), Some("E54000027"));
    harness.get_by_label("Lead not known");
    harness.get_by_label("NOT FOUND");
}

#[test]
fn neighbour_links_select_the_neighbour() {
    let mut harness = harness();
    let pos = screen_pos(&harness, BIRMINGHAM.0, BIRMINGHAM.1);
    click_at(&mut harness, pos);
    // The links are at the foot of the panel: scroll down to them as a user would.
    harness.get_by_label("The Black Country").scroll_to_me();
    harness.run_steps(3);
    harness.get_by_label("The Black Country").click();
    harness.run_steps(3);
    assert_eq!(app(&harness).selected_code(), Some("E54000016"));
}

/// The app without a GPU, with these files opened, once any loading has finished and the map
/// has fitted its first view.
pub fn harness_with_paths(paths: Vec<std::path::PathBuf>) -> Harness<'static, App> {
    let mut harness = harness_with(paths, None, None);
    wait_for_loads(&mut harness);
    harness
}

#[test]
fn an_opened_file_becomes_the_active_layer_and_shows_its_properties() {
    let path = shared_data("boundaries/icb2022_ons_buc_42_simplified.geojson");
    let mut harness = harness_with_paths(vec![path]);
    let layer = app(&harness).active_layer().unwrap();
    assert_eq!(layer.title, "icb2022_ons_buc_42_simplified");
    assert_eq!(layer.footprints.len(), 42);
    assert_eq!(layer.fields.code.as_deref(), Some("ICB22CD"));
    assert_eq!(
        app(&harness).layer_titles(),
        vec!["STP footprints 2016", "icb2022_ons_buc_42_simplified"]
    );

    // Clicking Birmingham now answers from the ICB layer, listing the file's own properties.
    let pos = screen_pos(&harness, BIRMINGHAM.0, BIRMINGHAM.1);
    click_at(&mut harness, pos);
    // The heading and the ICB22NM value.
    let name = "NHS Birmingham and Solihull Integrated Care Board";
    assert_eq!(harness.query_all_by_label(name).count(), 2);
    harness.get_by_label("ICB22NM");
    // Its code: in the panel's identity and as the file's ICB22CD value.
    assert_eq!(harness.query_all_by_label("E54000055").count(), 2);
}

#[test]
fn a_bad_file_is_reported_by_name_and_the_map_stays() {
    let bad =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/error_page.geojson");
    let harness = harness_with_paths(vec![bad.clone()]);
    let notices = app(&harness).notices();
    assert_eq!(notices.len(), 1);
    assert!(notices[0].is_error);
    assert_eq!(
        notices[0].text,
        format!(
            "Not GeoJSON (it is an HTML web page, perhaps an error page saved instead of the download): {}",
            bad.display()
        )
    );
    harness.get_by_label(&notices[0].text);
    assert_eq!(app(&harness).active_layer().unwrap().footprints.len(), 44);
}

#[test]
fn cancelling_a_large_load_leaves_the_map_as_it_was() {
    let lsoas = shared_data("perf/england_lsoa2011_bgc_wgs84.geojson");
    let mut harness = harness_with(vec![lsoas.clone()], None, None);
    harness.run_steps(2);
    assert!(app(&harness).is_loading());
    harness.get_by_label_contains("Loading england_lsoa2011_bgc_wgs84.geojson");

    // The map answers while the file loads.
    let pos = screen_pos(&harness, BIRMINGHAM.0, BIRMINGHAM.1);
    click_at(&mut harness, pos);
    assert_eq!(app(&harness).selected_code(), Some("E54000017"));

    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert!(!app(&harness).is_loading());
    let notice = format!(
        "Cancelled loading {}; the map is unchanged",
        lsoas.display()
    );
    harness.get_by_label(&notice);
    // Long enough for the background work to reach its next step and stop.
    for _ in 0..20 {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(app(&harness).layer_titles(), vec!["STP footprints 2016"]);
    assert_eq!(app(&harness).active_layer().unwrap().footprints.len(), 44);
    assert_eq!(app(&harness).selected_code(), Some("E54000017"));
    assert!(app(&harness).notices().iter().all(|n| !n.is_error));
    assert!(app(&harness).settings().open_files.is_empty());
}

fn wait_for_postcodes(harness: &mut Harness<'static, App>) {
    for _ in 0..600 {
        if app(harness).postcodes_ready() {
            return;
        }
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the postcode list did not load");
}

#[test]
fn typing_a_postcode_finds_its_footprint() {
    let mut harness = harness();
    // Typed straight away: the postcode list may still be loading, and the answer follows.
    let search = harness.get_by_label(footprints::ui::search::SEARCH_LABEL);
    search.click();
    harness.run_steps(2);
    harness
        .get_by_label(footprints::ui::search::SEARCH_LABEL)
        .type_text(" b15  2tt ");
    harness.run_steps(2);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    wait_for_postcodes(&mut harness);
    harness.run_steps(4);
    harness.get_by_label("B15 2TT is in Birmingham and Solihull");
    assert_eq!(app(&harness).selected_code(), Some("E54000017"));
    harness.get_by_label("Mark Rogers");
}

#[test]
fn postcodes_with_compass_letters_are_found_in_the_search_box() {
    // "M1 1NS" was once read as coordinates (issue 11). The postcode list is read when the
    // search box is first used: the answer follows once it is ready.
    let mut harness = harness();
    search_for(&mut harness, "M1 1NS");
    wait_for_postcodes(&mut harness);
    harness.run_steps(4);
    harness.get_by_label("M1 1NS is in Greater Manchester");
    assert_eq!(app(&harness).selected_code(), Some("E54000007"));
    retype(&mut harness, footprints::ui::search::SEARCH_LABEL, "s11wn");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(4);
    harness.get_by_label("S1 1WN is in South Yorkshire and Bassetlaw");
    assert_eq!(app(&harness).selected_code(), Some("E54000009"));
}

/// Types into the search box (Ctrl+F) and presses Enter.
fn search_for(harness: &mut Harness<'static, App>, text: &str) {
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::F);
    harness.run_steps(2);
    harness
        .get_by_label(footprints::ui::search::SEARCH_LABEL)
        .type_text(text);
    harness.run_steps(2);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(4);
}

/// Replaces the text of the box with this accessible label.
fn retype(harness: &mut Harness<'static, App>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label(label).type_text(text);
    harness.run_steps(2);
}

#[test]
fn a_name_shared_by_several_places_offers_a_choice() {
    let mut harness = harness();
    search_for(&mut harness, "Newport");
    harness.get_by_label("Several places have this name; pick one:");
    harness
        .get_by_label("Newport (England, Hampshire and the Isle of Wight, pop. 24,884)")
        .click();
    harness.run_steps(4);
    assert_eq!(app(&harness).selected_code(), Some("E54000042"));
    harness.get_by_label_contains("is in Hampshire and the Isle of Wight");
}

#[test]
fn a_point_outside_every_footprint_says_so() {
    let mut harness = harness();
    search_for(&mut harness, "NT 25 73");
    harness.get_by_label(
        "NT 25 73 is not in any of the 44 areas of STP footprints 2016 (the centre of a 1 km square)",
    );
    assert_eq!(app(&harness).selected_code(), None);
}

#[test]
fn the_footprints_list_filters_and_selects() {
    let mut harness = harness();
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::L);
    harness.run_steps(3);
    harness.get_by_label("44 of 44");
    harness
        .get_by_label(footprints::ui::list::FILTER_LABEL)
        .click();
    harness.run_steps(2);
    harness
        .get_by_label(footprints::ui::list::FILTER_LABEL)
        .type_text("solihull");
    harness.run_steps(3);
    harness.get_by_label("1 of 44");
    // Its lead is in the row (the last column, the table scrolling sideways to it); a click on
    // the row chooses it.
    harness.get_by_label("Mark Rogers");
    harness.get_by_label("E54000017").click();
    harness.run_steps(3);
    assert_eq!(app(&harness).selected_code(), Some("E54000017"));
}

/// A file dropped onto the window, as the windowing integration hands it over.
#[derive(Debug)]
pub struct DroppedPath(pub std::path::PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_file_dropped_onto_the_window_opens() {
    let mut harness = harness();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bng_declared.geojson");
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedPath(path)));
    harness.step();
    wait_for_loads(&mut harness);
    let layer = app(&harness).active_layer().unwrap();
    assert_eq!(layer.title, "bng_declared");
    assert_eq!(layer.footprints.len(), 2);
    harness.get_by_label("Opened bng_declared: 2 areas");
}

#[test]
fn opened_files_and_the_view_are_remembered_between_runs() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.json");
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bng_declared.geojson");
    let mut first = harness_with(vec![file.clone()], Some(settings.clone()), None);
    wait_for_loads(&mut first);
    first.key_press(egui::Key::Minus);
    first.run_steps(3);
    let view = app(&first).map_view().unwrap();
    first.state_mut().as_mut().unwrap().remember_view();
    drop(first);

    // The next run opens the same file again and looks where the last one left off.
    let mut second = harness_with(Vec::new(), Some(settings), None);
    wait_for_loads(&mut second);
    assert_eq!(
        app(&second).active_layer().unwrap().source.path(),
        Some(file.as_path())
    );
    let again = app(&second).map_view().unwrap();
    assert!(
        (again.zoom - view.zoom).abs() < 1e-9,
        "{} vs {}",
        again.zoom,
        view.zoom
    );
    assert!((again.centre.x - view.centre.x).abs() < 1e-9);
}

#[test]
fn presentation_mode_steps_through_footprints_by_region() {
    let mut harness = harness();
    harness.key_press(egui::Key::F5);
    harness.run_steps(3);
    assert!(app(&harness).is_presenting());
    assert_eq!(app(&harness).selected_code(), None, "it opens on England");
    // By region (London first), then by name: North Central London opens.
    harness.key_press(egui::Key::ArrowRight);
    harness.run_steps(3);
    assert_eq!(app(&harness).selected_code(), Some("E54000028"));
    harness.get_by_label("1 of 44");
    harness.get_by_label("North Central London");
    harness.get_by_label("David Sloman");
    harness.key_press(egui::Key::PageDown);
    harness.run_steps(3);
    assert_eq!(app(&harness).selected_code(), Some("E54000029"));
    harness.get_by_label("2 of 44");
    harness.get_by_label("North East London");
    harness.key_press(egui::Key::PageUp);
    harness.run_steps(3);
    assert_eq!(app(&harness).selected_code(), Some("E54000028"));
    harness.key_press(egui::Key::Home);
    harness.run_steps(3);
    assert_eq!(app(&harness).selected_code(), None);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(!app(&harness).is_presenting());
    harness.get_by_label("File");
}

/// Opens the export window (Ctrl+E), names the file and presses Export.
pub fn export_to(harness: &mut Harness<'static, App>, target: &str) {
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::E);
    harness.run_steps(3);
    retype(harness, footprints::ui::panels::EXPORT_FILE_LABEL, target);
    harness.get_by_label("Export").click();
    harness.run_steps(2);
}

#[test]
fn the_board_pack_is_made_from_the_app_with_a_page_per_footprint() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack.pdf");
    std::fs::write(&out, b"keep me").unwrap();
    let mut harness = harness();
    click_through(&mut harness, &["File", "Export board pack…"]);
    harness.run_steps(2);
    harness.get_by_label("Regions");
    retype(
        &mut harness,
        footprints::ui::panels::EXPORT_FILE_LABEL,
        &out.display().to_string(),
    );
    // The file is there: the form asks before replacing it.
    harness.get_by_label("Export").click();
    harness.run_steps(2);
    harness.get_by_label("That file exists.");
    assert_eq!(std::fs::read(&out).unwrap(), b"keep me");
    harness.get_by_label("Replace it").click();
    harness.run_steps(2);
    for _ in 0..400 {
        harness.step();
        if !app(&harness).is_exporting() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let pages = common::pdf_page_texts(&std::fs::read(&out).unwrap());
    assert_eq!(pages.len(), 45, "a cover and 44 footprints");
    assert_eq!(
        pages[0].first().map(String::as_str),
        Some("STP footprints 2016: board pack")
    );
    harness.get_by_label_contains("Exported the board pack (45 pages)");
    // The same pack as `footprints export --pack` makes of the same layer, page for page
    // (areas, people, leads, members; both dated today).
    let cli = dir.path().join("cli.pdf");
    common::success(
        common::footprints()
            .args(["export", "--pack", "--out"])
            .arg(&cli),
    );
    let cli_pages = common::pdf_page_texts(&std::fs::read(&cli).unwrap());
    assert_eq!(pages, cli_pages);
}

#[test]
fn exporting_from_the_app_writes_what_is_on_screen_and_asks_before_replacing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("board.svg");
    let mut harness = harness();
    let pos = screen_pos(&harness, BIRMINGHAM.0, BIRMINGHAM.1);
    click_at(&mut harness, pos);
    let target = out.display().to_string();
    export_to(&mut harness, &target);
    // The file is written in the background.
    for _ in 0..200 {
        harness.step();
        if !app(&harness).is_exporting() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let svg = std::fs::read_to_string(&out).expect("the export was written");
    assert_eq!(svg.matches(r#"class="footprint""#).count(), 44);
    assert_eq!(
        svg.matches(r#"class="selection""#).count(),
        2,
        "the selection is exported"
    );
    harness.get_by_label(&format!("Exported the map: {}", out.display()));

    // A second export to the same file asks first.
    export_to(&mut harness, &target);
    harness.get_by_label("That file exists.");
    harness.get_by_label("Replace it");
}

#[test]
fn built_in_layers_stack_and_a_click_says_what_the_point_is_in_each() {
    let mut harness = harness();
    for year in [
        "STP partnerships, April 2021",
        "Integrated Care Boards, July 2022",
    ] {
        harness.get_by_label("Layers").click();
        harness.run_steps(2);
        harness.get_by_label("Add a built-in layer").click();
        harness.run_steps(2);
        harness.get_by_label(year).click();
        harness.run_steps(2);
        wait_for_loads(&mut harness);
    }
    assert_eq!(
        app(&harness).layer_titles(),
        [
            "STP footprints 2016",
            "STP partnerships, April 2021",
            "Integrated Care Boards, July 2022"
        ]
    );
    let layer = app(&harness).active_layer().unwrap();
    assert_eq!(layer.footprints.len(), 42);

    // The ICB layer answers the click; the panel says what the point is in the others.
    let pos = screen_pos(&harness, BIRMINGHAM.0, BIRMINGHAM.1);
    click_at(&mut harness, pos);
    assert_eq!(app(&harness).selected_code(), Some("E54000055"));
    harness.get_by_label("Here in the other layers");
    // 2016 and 2021 alike.
    assert_eq!(
        harness
            .query_all_by_label("Birmingham and Solihull (E54000017)")
            .count(),
        2
    );
    // Its population, totalled from LSOAs as the ICB file has none.
    harness.get_by_label("population_mid2019_lsoa_total");

    // Choosing a neighbour from the panel moves the selection away from the clicked point:
    // what that point is in the other layers no longer describes the selection.
    // (The link is further down the panel, below the people and members.)
    harness
        .get_by_label("NHS Black Country Integrated Care Board")
        .scroll_to_me();
    harness.run_steps(3);
    harness
        .get_by_label("NHS Black Country Integrated Care Board")
        .click();
    harness.run_steps(3);
    assert_eq!(app(&harness).selected_code(), Some("E54000019"));
    assert!(harness.query_by_label("Here in the other layers").is_none());

    // Moving the 2016 footprints to the top and back, and hiding a layer, keep the chosen one.
    harness.get_by_label("Layers").click();
    harness.run_steps(2);
    // Each layer's ⬆ is named for the layer it moves.
    for title in app(&harness).layer_titles() {
        harness.get_by_label(&format!("Move {title} up"));
    }
    harness.get_by_label("Move STP footprints 2016 up").click();
    harness.run_steps(2);
    assert_eq!(
        app(&harness).layer_titles(),
        [
            "STP partnerships, April 2021",
            "STP footprints 2016",
            "Integrated Care Boards, July 2022"
        ]
    );
    assert_eq!(app(&harness).active_layer().unwrap().footprints.len(), 42);
}

#[test]
fn your_own_details_show_for_their_area_and_unknown_codes_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let details = dir.path().join("our leads.csv");
    std::fs::write(
        &details,
        "code,lead,notes\nE54000017,Dr A. Planner,interim\nE54000999,Nobody,\nE54000017,Dr B. Planner,from March\n",
    )
    .unwrap();
    let settings = dir.path().join("settings.json");
    std::fs::write(
        &settings,
        serde_json::json!({ "details_files": [details] }).to_string(),
    )
    .unwrap();
    let mut harness = harness_with(Vec::new(), Some(settings.clone()), None);
    wait_for_loads(&mut harness);
    harness.get_by_label(
        "Your details from our leads.csv: 2 area(s); 1 code(s) match no area: E54000999; given more than once (the last is used): E54000017",
    );
    let pos = screen_pos(&harness, BIRMINGHAM.0, BIRMINGHAM.1);
    click_at(&mut harness, pos);
    harness.get_by_label("Your details (our leads.csv)");
    harness.get_by_label("Dr B. Planner");
    harness.get_by_label("from March");
    // The built-in details are still there beneath.
    harness.get_by_label("Mark Rogers");
}

#[test]
fn comparing_two_layers_lists_what_ended_and_began_and_swipes_between_them() {
    let mut harness = harness();
    click_through(
        &mut harness,
        &[
            "Layers",
            "Add a built-in layer",
            "STP partnerships, April 2021",
        ],
    );
    wait_for_loads(&mut harness);

    harness.get_by_label("Layers").click();
    harness.run_steps(2);
    harness.get_by_label("Compare two layers…").click();
    harness.run_steps(4);
    harness.get_by_label("Compare two layers");
    harness.get_by_label("Compare").click();
    for _ in 0..200 {
        harness.step();
        if harness.query_by_label_contains("Ended (7)").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    harness.get_by_label("Ended (7)");
    harness.get_by_label("New (5)");
    harness.get_by_label_contains(
        "E54000047 West, North and East Cumbria, went to: 100% Cumbria and North East (E54000050, 319,371 people)",
    );

    // The swipe: the divider can be dragged across the map.
    harness
        .get_by_label("Swipe between them on the map")
        .click();
    harness.run_steps(2);
    let view = app(&harness).map_view().unwrap();
    let divider = egui::pos2(view.rect.center().x, view.rect.center().y + 100.0);
    let target = divider - egui::vec2(200.0, 0.0);
    harness.event(Event::PointerMoved(divider));
    harness.event(Event::PointerButton {
        pos: divider,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    harness.step();
    for step in 1..=5 {
        harness.event(Event::PointerMoved(
            divider + (target - divider) * step as f32 / 5.0,
        ));
        harness.step();
    }
    harness.event(Event::PointerButton {
        pos: target,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    harness.run_steps(2);
    let divider_at = app(&harness).swipe_divider().unwrap();
    let expected = (target.x - view.rect.left()) / view.rect.width();
    assert!(
        (divider_at - expected).abs() < 0.02,
        "{divider_at} vs {expected}"
    );
    // Dragging the divider does not pan the map.
    assert_eq!(app(&harness).map_view().unwrap().centre, view.centre);
}

#[test]
fn a_path_typed_into_the_prompt_opens() {
    // File → Open from path…: the prompt takes the keyboard, Enter opens what was typed.
    let mut harness = harness();
    click_through(&mut harness, &["File", "Open from path…"]);
    harness.run_steps(1);
    harness.get_by_label("Open boundaries from a path");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bng_declared.geojson");
    harness
        .input_mut()
        .events
        .push(egui::Event::Text(format!("\"{}\"", path.display())));
    harness.run_steps(2);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    wait_for_loads(&mut harness);
    assert_eq!(app(&harness).active_layer().unwrap().title, "bng_declared");
    assert!(
        harness
            .query_by_label("Open boundaries from a path")
            .is_none()
    );
}
