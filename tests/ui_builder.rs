//! The footprint builder driven through its window (egui_kittest, on the real LSOA 2021
//! blocks): a click, a whole council, a brush stroke, merge and new footprint, rules that warn
//! where a council is split, undo and redo, save and reopen, and an autosave that outlives the
//! app.

use egui::{Event, Modifiers, PointerButton};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use footprints::ui::builder::{MERGE_WITH_LABEL, MERGED_NAME_LABEL, SCENARIO_NAME_LABEL};

use crate::common::{
    App, app, click_at, click_at_with, click_through, harness_with, screen_pos, wait_for_loads,
};

/// Birmingham city centre.
const BIRMINGHAM: (f64, f64) = (-1.8904, 52.4862);
/// Farnborough, in Rushmoor (Hampshire and Isle of Wight's since April 2026).
const FARNBOROUGH: (f64, f64) = (-0.7553, 51.2869);
/// Guildford, in Surrey and Sussex.
const GUILDFORD: (f64, f64) = (-0.5704, 51.2362);
/// Winchester, in Hampshire and Isle of Wight.
const WINCHESTER: (f64, f64) = (-1.3131, 51.0632);

fn harness() -> Harness<'static, App> {
    harness_with(Vec::new(), None, None)
}

/// The app started on the ICBs of April 2026 in the builder.
fn building() -> Harness<'static, App> {
    let mut harness = harness();
    click_through(&mut harness, &["Build", "Start from ICBs, April 2026"]);
    wait_for_loads(&mut harness);
    harness
}

fn history(harness: &Harness<'static, App>) -> Vec<String> {
    app(harness)
        .scenario()
        .expect("a scenario is open")
        .history()
        .map(str::to_string)
        .collect()
}

/// The builder's footprint with this code.
fn footprint_index(harness: &Harness<'static, App>, code: &str) -> u32 {
    app(harness)
        .scenario()
        .expect("a scenario is open")
        .footprints
        .iter()
        .position(|f| f.code == code)
        .expect("a footprint with the code") as u32
}

/// A builder footprint's people, mid-2022.
fn people(harness: &Harness<'static, App>, footprint: u32) -> u64 {
    app(harness)
        .scenario()
        .expect("a scenario is open")
        .totals(footprint)
        .expect("a footprint")
        .population_mid2022()
}

#[test]
fn the_builder_gives_a_clicked_block_to_the_chosen_footprint_and_undoes_it() {
    let mut harness = building();
    assert!(app(&harness).scenario().is_some(), "a scenario is open");
    let (hiow, surrey_sussex) = (
        footprint_index(&harness, "E54000067"),
        footprint_index(&harness, "E54000069"),
    );
    let before = (people(&harness, hiow), people(&harness, surrey_sussex));
    // A click with no footprint chosen changes nothing and says why.
    let farnborough = screen_pos(&harness, -0.7553, 51.2869);
    click_at(&mut harness, farnborough);
    harness.get_by_label_contains("Choose a footprint first");
    // Alt+click Guildford chooses Surrey and Sussex; a click on Farnborough (in Hampshire and
    // Isle of Wight's Rushmoor) gives its LSOA to it.
    let guildford = screen_pos(&harness, -0.5704, 51.2362);
    click_at_with(&mut harness, guildford, Modifiers::ALT);
    assert_eq!(app(&harness).scenario().unwrap().history().count(), 0);
    let farnborough = screen_pos(&harness, -0.7553, 51.2869);
    click_at(&mut harness, farnborough);
    harness.run_steps(3);
    let after = (people(&harness, hiow), people(&harness, surrey_sussex));
    let moved = before.0 - after.0;
    assert!(moved > 500, "one LSOA's people moved: {moved}");
    assert_eq!(after.1, before.1 + moved);
    let history: Vec<String> = app(&harness)
        .scenario()
        .unwrap()
        .history()
        .map(str::to_string)
        .collect();
    assert_eq!(history.len(), 1);
    assert!(history[0].contains("Rushmoor"), "{history:?}");
    harness.get_by_label_contains("failing");

    // Ctrl+Z puts it back; Ctrl+Shift+Z again.
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(3);
    assert_eq!(
        (people(&harness, hiow), people(&harness, surrey_sussex)),
        before
    );
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, egui::Key::Z);
    harness.run_steps(3);
    assert_eq!(
        (people(&harness, hiow), people(&harness, surrey_sussex)),
        after
    );
}

#[test]
fn the_builder_merges_two_footprints_and_adds_a_new_one() {
    let mut harness = building();
    let (bsol, black_country) = (
        footprint_index(&harness, "E54000055"),
        footprint_index(&harness, "E54000062"),
    );
    let both = people(&harness, bsol) + people(&harness, black_country);
    // Alt+click Birmingham chooses Birmingham and Solihull; merge it into the Black Country.
    let birmingham = screen_pos(&harness, BIRMINGHAM.0, BIRMINGHAM.1);
    click_at_with(&mut harness, birmingham, Modifiers::ALT);
    // Merge with the Black Country (far down a scrolled list: pressed as a screen reader
    // would), named as typed.
    harness.get_by_label(MERGE_WITH_LABEL).click();
    harness.run_steps(2);
    harness
        .get_by_label("NHS Black Country Integrated Care Board")
        .click_accesskit();
    harness.run_steps(2);
    harness.get_by_label(MERGED_NAME_LABEL).click();
    harness.run_steps(1);
    harness
        .input_mut()
        .events
        .push(Event::Text("West Midlands".into()));
    harness.run_steps(2);
    harness.get_by_label("Merge").click();
    harness.run_steps(3);
    assert_eq!(people(&harness, black_country), both);
    assert_eq!(people(&harness, bsol), 0);
    assert_eq!(
        app(&harness).scenario().unwrap().footprints[black_country as usize].name,
        "West Midlands"
    );
    let last = app(&harness)
        .scenario()
        .unwrap()
        .history()
        .last()
        .unwrap()
        .to_string();
    assert!(
        last.starts_with("Merged NHS Birmingham and Solihull"),
        "{last}"
    );
    // A new footprint is chosen at once, and Birmingham's block goes to it.
    harness.get_by_label("New footprint").click();
    harness.run_steps(3);
    let new = app(&harness).scenario().unwrap().footprints.len() as u32 - 1;
    click_at(&mut harness, birmingham);
    assert!(people(&harness, new) > 500);
    assert_eq!(
        people(&harness, black_country),
        both - people(&harness, new)
    );
}

/// Clicks a place (lon, lat) on the map.
fn click_on(harness: &mut Harness<'static, App>, place: (f64, f64)) {
    let pos = screen_pos(harness, place.0, place.1);
    click_at(harness, pos);
}

/// Alt+clicks a place: chooses the footprint there.
fn alt_click_on(harness: &mut Harness<'static, App>, place: (f64, f64)) {
    let pos = screen_pos(harness, place.0, place.1);
    click_at_with(harness, pos, Modifiers::ALT);
}

/// Everyone in a footprint.
fn total(harness: &Harness<'static, App>) -> u64 {
    let scenario = app(harness).scenario().expect("a scenario is open");
    (0..scenario.footprints.len() as u32)
        .filter_map(|f| scenario.totals(f))
        .map(|t| t.population_mid2022())
        .sum()
}

/// Whether a line containing `text` is shown.
fn shows(harness: &Harness<'static, App>, text: &str) -> bool {
    harness.query_by_label_contains(text).is_some()
}

#[test]
fn a_whole_council_moves_at_council_level_and_a_split_one_is_warned_of() {
    let mut harness = building();
    let hiow = footprint_index(&harness, "E54000067");
    let surrey_sussex = footprint_index(&harness, "E54000069");
    let before = (people(&harness, hiow), people(&harness, surrey_sussex));
    assert!(!shows(&harness, "Rushmoor is split"));
    // Council level; Alt+click Guildford chooses Surrey and Sussex; a click in Farnborough
    // moves all of Rushmoor back across.
    harness.get_by_label("Council 2024").click();
    harness.run_steps(2);
    alt_click_on(&mut harness, GUILDFORD);
    click_on(&mut harness, FARNBOROUGH);
    let moved = before.0 - people(&harness, hiow);
    assert!(
        (90_000..120_000).contains(&moved),
        "Rushmoor's people: {moved}"
    );
    assert_eq!(people(&harness, surrey_sussex), before.1 + moved);
    let lines = history(&harness);
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("Rushmoor: NHS Hampshire and Isle of Wight Integrated Care Board to NHS Surrey and Sussex"),
        "{lines:?}"
    );
    assert!(
        !shows(&harness, "Rushmoor is split"),
        "a whole council moved"
    );
    // One LSOA of it back to Hampshire and Isle of Wight: now Rushmoor is split, and said so.
    harness.get_by_label("LSOA 2021").click();
    harness.run_steps(2);
    alt_click_on(&mut harness, WINCHESTER);
    click_on(&mut harness, FARNBOROUGH);
    assert_eq!(history(&harness).len(), 2);
    assert!(shows(&harness, "Rushmoor is split"));
    // Undo: whole again; redo: split again.
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(3);
    assert!(!shows(&harness, "Rushmoor is split"));
    assert_eq!(people(&harness, hiow), before.0 - moved);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, egui::Key::Z);
    harness.run_steps(3);
    assert!(shows(&harness, "Rushmoor is split"));
}

#[test]
fn a_brush_stroke_paints_the_blocks_it_crosses_as_one_edit() {
    let mut harness = building();
    let hiow = footprint_index(&harness, "E54000067");
    let surrey_sussex = footprint_index(&harness, "E54000069");
    let before = (people(&harness, hiow), people(&harness, surrey_sussex));
    let everyone = total(&harness);
    let view = app(&harness).map_view().unwrap();
    alt_click_on(&mut harness, GUILDFORD);
    harness.get_by_label("Brush").click();
    harness.run_steps(2);
    // Drag from Guildford across Farnborough, in a few frames.
    let (from, to) = (
        screen_pos(&harness, GUILDFORD.0, GUILDFORD.1),
        screen_pos(&harness, FARNBOROUGH.0 - 0.05, FARNBOROUGH.1),
    );
    drag(&mut harness, from, to);
    // Hampshire and Isle of Wight loses people (and the brush, wide at this zoom, may take
    // some from its other neighbours too); Surrey and Sussex gains all of them.
    let lost = before.0 - people(&harness, hiow);
    let gained = people(&harness, surrey_sussex) - before.1;
    assert!(lost > 1_000, "the brush moved people: {lost}");
    assert!(gained >= lost);
    assert_eq!(total(&harness), everyone);
    let lines = history(&harness);
    assert_eq!(lines.len(), 1, "one stroke, one edit: {lines:?}");
    assert!(
        lines[0].contains("block(s): NHS Hampshire and Isle of Wight"),
        "{lines:?}"
    );
    // The brush paints; it does not pan.
    assert_eq!(app(&harness).map_view().unwrap().centre, view.centre);
    harness.key_press_modifiers(Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(3);
    assert_eq!(
        (people(&harness, hiow), people(&harness, surrey_sussex)),
        before
    );
}

/// Drags with the primary button from `from` to `to` over a few frames.
fn drag(harness: &mut Harness<'static, App>, from: egui::Pos2, to: egui::Pos2) {
    harness.hover_at(from);
    harness.step();
    harness.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    harness.step();
    for step in 1..=8 {
        harness.event(Event::PointerMoved(from + (to - from) * step as f32 / 8.0));
        harness.step();
    }
    harness.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    harness.run_steps(3);
}

#[test]
fn a_rectangle_gives_every_block_inside_it() {
    let mut harness = building();
    let hiow = footprint_index(&harness, "E54000067");
    let surrey_sussex = footprint_index(&harness, "E54000069");
    let before = (people(&harness, hiow), people(&harness, surrey_sussex));
    alt_click_on(&mut harness, GUILDFORD);
    harness.get_by_label("Rectangle").click();
    harness.run_steps(2);
    // A small rectangle around Farnborough, all in Hampshire and Isle of Wight.
    let (from, to) = (
        screen_pos(&harness, FARNBOROUGH.0 - 0.03, FARNBOROUGH.1 + 0.02),
        screen_pos(&harness, FARNBOROUGH.0 + 0.03, FARNBOROUGH.1 - 0.02),
    );
    drag(&mut harness, from, to);
    let moved = before.0 - people(&harness, hiow);
    assert!(moved > 1_000, "the rectangle moved people: {moved}");
    assert_eq!(people(&harness, surrey_sussex), before.1 + moved);
    let lines = history(&harness);
    assert_eq!(lines.len(), 1, "{lines:?}");
}

/// Types `path` into the path prompt that a Build menu item opened, and presses Enter.
fn answer_prompt(harness: &mut Harness<'static, App>, path: &std::path::Path) {
    harness.run_steps(1);
    harness
        .input_mut()
        .events
        .push(Event::Text(path.display().to_string()));
    harness.run_steps(2);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(2);
    wait_for_loads(harness);
}

#[test]
fn a_saved_scenario_reopens_with_the_same_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first.csv"), dir.path().join("second.csv"));
    let mut harness = building();
    alt_click_on(&mut harness, GUILDFORD);
    click_on(&mut harness, FARNBOROUGH);
    click_through(&mut harness, &["Build", "Save scenario as…"]);
    answer_prompt(&mut harness, &first);
    assert!(shows(&harness, "Saved the scenario"));
    let people_saved = people(&harness, footprint_index(&harness, "E54000069"));
    harness.get_by_label("Close scenario").click();
    harness.run_steps(3);
    assert!(app(&harness).scenario().is_none());
    click_through(&mut harness, &["Build", "Open scenario…"]);
    answer_prompt(&mut harness, &first);
    assert_eq!(
        people(&harness, footprint_index(&harness, "E54000069")),
        people_saved
    );
    click_through(&mut harness, &["Build", "Save scenario as…"]);
    answer_prompt(&mut harness, &second);
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );
}

#[test]
fn an_edit_outlives_the_app_in_its_autosave() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.json");
    let people_edited;
    {
        let mut harness = harness_with(Vec::new(), Some(settings.clone()), None);
        click_through(&mut harness, &["Build", "Start from ICBs, April 2026"]);
        wait_for_loads(&mut harness);
        alt_click_on(&mut harness, GUILDFORD);
        click_on(&mut harness, FARNBOROUGH);
        people_edited = people(&harness, footprint_index(&harness, "E54000069"));
        app(&harness).flush_autosaves();
        let autosave = app(&harness).autosave_path().expect("an autosave folder");
        assert!(autosave.exists(), "{}", autosave.display());
        // The harness goes without saving, as a killed app would.
    }
    let mut harness = harness_with(Vec::new(), Some(settings), None);
    harness.run_steps(2);
    assert!(shows(&harness, "unsaved changes were kept"));
    click_through(&mut harness, &["Build", "Reopen autosaved scenarios (1)"]);
    wait_for_loads(&mut harness);
    assert_eq!(
        people(&harness, footprint_index(&harness, "E54000069")),
        people_edited
    );
    assert!(shows(&harness, "ICBs, April 2026 *"), "marked unsaved");
}

/// How many rules fail, as the panel heads them ("Rules: N failing"), checked against the
/// model.
fn failing(harness: &Harness<'static, App>) -> usize {
    let app = app(harness);
    let count = footprints::builder::rules::check(
        app.scenario().expect("a scenario"),
        app.scenario_rules().expect("a scenario"),
    )
    .len();
    assert!(shows(harness, &format!("Rules: {count} failing")));
    count
}

#[test]
fn rules_can_be_switched_off_and_an_island_accepted() {
    let mut harness = building();
    let all = failing(&harness);
    assert!(all > 10, "{all}");
    // Islands: accepting Kent and Medway's takes one failure away.
    assert!(shows(
        &harness,
        "NHS Kent and Medway Integrated Care Board is in"
    ));
    let pieces_before = all;
    harness
        .get_all_by_label("Accept")
        .next()
        .expect("an island to accept")
        .click();
    harness.run_steps(3);
    assert_eq!(failing(&harness), pieces_before - 1);
    // The population rule off: only the pieces and councils rules are left.
    harness.get_by_label("People at least").click();
    harness.run_steps(3);
    assert!(!shows(&harness, "below 1,000,000"));
    let without_population = failing(&harness);
    assert!(without_population < pieces_before - 1);
    // Everything off: nothing fails; the settings are the scenario's own.
    for rule in ["One piece", "Councils whole", "Every block in one"] {
        harness.get_by_label(rule).click();
        harness.run_steps(2);
    }
    assert_eq!(failing(&harness), 0);
    let rules = app(&harness).scenario_rules().expect("a scenario").clone();
    assert!(!rules.population && !rules.one_piece && !rules.councils_whole && !rules.every_block);
    assert_eq!(rules.accepted_pieces.len(), 1);
}

#[test]
fn a_corrupt_scenario_is_refused_by_name_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let corrupt = dir.path().join("corrupt.csv");
    std::fs::write(
        &corrupt,
        "block_code,footprint_code\nE01000001,X\nNOTANLSOA,Y\n",
    )
    .unwrap();
    let mut harness = harness();
    let layers = app(&harness).layer_titles();
    click_through(&mut harness, &["Build", "Open scenario…"]);
    answer_prompt(&mut harness, &corrupt);
    assert!(app(&harness).scenario().is_none());
    assert_eq!(app(&harness).layer_titles(), layers, "no stray block layer");
    let message = app(&harness)
        .notices()
        .iter()
        .find(|n| n.is_error)
        .expect("an error")
        .text
        .clone();
    assert!(message.contains("row 3 (NOTANLSOA)"), "{message}");
    assert!(
        message.ends_with(&corrupt.display().to_string()),
        "{message}"
    );
    // With a scenario open, a corrupt one leaves it as it was.
    click_through(&mut harness, &["Build", "Start from ICBs, April 2026"]);
    wait_for_loads(&mut harness);
    alt_click_on(&mut harness, GUILDFORD);
    click_on(&mut harness, FARNBOROUGH);
    click_through(&mut harness, &["Build", "Open scenario…"]);
    answer_prompt(&mut harness, &corrupt);
    assert_eq!(
        history(&harness).len(),
        1,
        "the open scenario and its history are kept"
    );
}

#[test]
fn a_scenario_is_renamed_in_the_panel() {
    let mut harness = building();
    harness.get_by_label(SCENARIO_NAME_LABEL).click();
    harness.run_steps(2);
    harness.key_press(egui::Key::End);
    for _ in 0.."ICBs, April 2026".len() {
        harness.key_press(egui::Key::Backspace);
    }
    harness.run_steps(2);
    harness
        .input_mut()
        .events
        .push(Event::Text("Merger options 2027".into()));
    harness.run_steps(1);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    assert_eq!(
        app(&harness).scenario().unwrap().name,
        "Merger options 2027"
    );
    assert!(shows(&harness, "Merger options 2027 *"));
}
