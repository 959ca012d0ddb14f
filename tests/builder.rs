//! The footprint builder's model on the real LSOA 2021 blocks: start from the ICBs of April
//! 2026, move a council, see totals and rules change, undo and redo, merge, and save and reopen
//! byte for byte; edits give the same shapes as building from scratch.

use crate::common;

use std::sync::{Arc, OnceLock};

use footprints::blocks::Blocks;
use footprints::builder::rules::{self, Rules};
use footprints::builder::{BlockSet, Scenario, file};
use footprints::load::Progress;

fn blocks() -> Arc<BlockSet> {
    static SET: OnceLock<Arc<BlockSet>> = OnceLock::new();
    SET.get_or_init(|| {
        let people = Blocks::embedded().expect("built with ../shared/data");
        let layer = footprints::blocks::embedded_lsoa_layer(&Progress::default())
            .expect("built with ../shared/data")
            .expect("the LSOA 2021 blocks load");
        Arc::new(BlockSet::new(&layer, people))
    })
    .clone()
}

fn icb_2026() -> Scenario {
    let set = blocks();
    Scenario::from_lookup("ICB April 2026", set.clone(), &set.people.icb_2026)
}

fn footprint(scenario: &Scenario, code: &str) -> u32 {
    scenario
        .footprints
        .iter()
        .position(|f| f.code == code)
        .unwrap_or_else(|| panic!("{code} is a footprint")) as u32
}

fn council_blocks(code: &str) -> Vec<usize> {
    let set = blocks();
    let councils = &set.people.council_2024;
    let index = councils.index_of(code).expect("a 2024 council");
    set.by_lookup(councils).swap_remove(index)
}

fn people(scenario: &Scenario, footprint: u32) -> u64 {
    scenario.totals(footprint).unwrap().population_mid2022()
}

#[test]
fn moving_rushmoor_changes_totals_and_rules_and_undoes_and_redoes() {
    let mut scenario = icb_2026();
    let hiow = footprint(&scenario, "E54000067");
    let surrey_sussex = footprint(&scenario, "E54000069");
    let rushmoor = council_blocks("E07000092");
    assert!(rushmoor.len() > 40, "{} LSOAs", rushmoor.len());
    let rushmoor_people = blocks().people_of(&rushmoor);
    let (before_hiow, before_ss) = (people(&scenario, hiow), people(&scenario, surrey_sussex));
    let before_rules = rules::check(&scenario, &Rules::default());

    let changed = scenario.move_blocks("Rushmoor", &rushmoor, Some(surrey_sussex));
    assert_eq!(changed, vec![hiow, surrey_sussex]);
    assert_eq!(people(&scenario, hiow), before_hiow - rushmoor_people);
    assert_eq!(
        people(&scenario, surrey_sussex),
        before_ss + rushmoor_people
    );
    let last = scenario.history().last().unwrap().to_string();
    assert!(
        last.starts_with("Rushmoor: NHS Hampshire and Isle of Wight Integrated Care Board to NHS Surrey and Sussex Integrated Care Board,"),
        "{last}"
    );
    // Hart, split by the 2026 changes, is still split; moving all of Rushmoor splits nothing new.
    let after_rules = rules::check(&scenario, &Rules::default());
    let splits = |failures: &[rules::Failure]| -> Vec<String> {
        failures
            .iter()
            .filter(|f| f.rule == "councils_whole")
            .filter_map(|f| f.code.clone())
            .collect()
    };
    assert_eq!(splits(&before_rules), splits(&after_rules));
    // Half of Rushmoor makes it a split council, named with both footprints.
    scenario.move_blocks(
        "Part of Rushmoor",
        &rushmoor[..rushmoor.len() / 2],
        Some(hiow),
    );
    let split = rules::check(&scenario, &Rules::default())
        .into_iter()
        .find(|f| f.code.as_deref() == Some("E07000092"))
        .expect("Rushmoor is split");
    assert!(
        split.message.starts_with("Rushmoor is split:"),
        "{}",
        split.message
    );
    assert!(split.message.contains("Surrey and Sussex") && split.message.contains("Hampshire"));

    // Undo both, redo one.
    scenario.undo();
    scenario.undo();
    assert_eq!(people(&scenario, hiow), before_hiow);
    assert!(!scenario.can_undo() && scenario.can_redo());
    scenario.redo();
    assert_eq!(people(&scenario, hiow), before_hiow - rushmoor_people);
    assert_eq!(scenario.history().count(), 1);
}

#[test]
fn merging_two_icbs_leaves_one_with_both_and_the_rules_see_it() {
    let mut scenario = icb_2026();
    let bsol = footprint(&scenario, "E54000055");
    let black_country = footprint(&scenario, "E54000062");
    let total = people(&scenario, bsol) + people(&scenario, black_country);
    scenario.merge(
        black_country,
        bsol,
        "Birmingham, Solihull and the Black Country",
    );
    assert_eq!(people(&scenario, bsol), total);
    assert_eq!(people(&scenario, black_country), 0);
    assert_eq!(
        scenario.footprints[bsol as usize].name,
        "Birmingham, Solihull and the Black Country"
    );
    assert_eq!(scenario.shape(bsol).unwrap().parts, 1);
    assert!(scenario.shape(black_country).unwrap().geometry.0.is_empty());
    // Shropshire, Telford and Wrekin is under a million people.
    let failures = rules::check(&scenario, &Rules::default());
    assert!(
        failures
            .iter()
            .any(|f| f.rule == "population" && f.code.as_deref() == Some("E54000011"))
    );
    scenario.undo();
    assert_eq!(
        scenario.footprints[bsol as usize].name,
        "NHS Birmingham and Solihull Integrated Care Board"
    );
}

#[test]
fn edits_give_the_shapes_a_fresh_dissolve_gives() {
    let mut scenario = icb_2026();
    let set = blocks();
    let councils = set.by_lookup(&set.people.council_2024);
    for (i, council) in councils.iter().enumerate().step_by(37) {
        scenario.move_blocks("a council", council, Some((i % 36) as u32));
    }
    let fresh = set
        .topology
        .full()
        .dissolve(scenario.group_of(), scenario.footprints.len());
    for (i, expected) in fresh.iter().enumerate() {
        assert_eq!(
            scenario.shape(i as u32).unwrap().geometry,
            expected.geometry,
            "{}",
            scenario.footprints[i].name
        );
    }
}

#[test]
fn a_saved_scenario_reopens_exactly_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scenario.csv");
    let mut scenario = icb_2026();
    let new = scenario.add_footprint("X01", "North Hampshire, \"new\"");
    scenario.move_blocks("Rushmoor", &council_blocks("E07000092"), Some(new));
    let rules = Rules {
        min_population: 500_000,
        ..Rules::default()
    };
    file::save(&scenario, &rules, &path).unwrap();
    let saved = std::fs::read(&path).unwrap();
    let (reopened, reopened_rules) = file::open(&path, blocks()).unwrap();
    assert_eq!(reopened_rules, rules);
    assert_eq!(file::to_csv(&reopened).as_bytes(), saved.as_slice());
    assert_eq!(reopened.footprints, scenario.footprints);
    let x = footprint(&reopened, "X01");
    assert_eq!(people(&reopened, x), people(&scenario, new));

    // Unknown codes: the rows are named, nothing is opened.
    std::fs::write(
        &path,
        "block_code,footprint_code\nE01000001,A\nW01000001,A\n",
    )
    .unwrap();
    std::fs::remove_file(file::settings_path(&path)).unwrap();
    let Err(message) = file::open(&path, blocks()) else {
        panic!("a scenario of other blocks opened");
    };
    assert!(
        message.contains("row 3 (W01000001)") && message.contains("scenario.csv"),
        "{message}"
    );
    // Corrupt: binary, or without the columns.
    std::fs::write(&path, [0u8, 159, 146, 150, 0, 1]).unwrap();
    let refused = |path: &std::path::Path| match file::open(path, blocks()) {
        Ok(_) => panic!("a bad scenario opened"),
        Err(message) => message,
    };
    assert!(refused(&path).contains("binary"));
    std::fs::write(&path, "lsoa,icb\nE01000001,A\n").unwrap();
    assert!(refused(&path).contains("block_code and footprint_code"));
}

#[test]
fn the_edit_benchmark_reports_its_percentiles_last() {
    let output = common::success(common::footprints().args(["bench", "--edits", "30"]));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["edits"], 30);
    assert!(last["edit_p95_ms"].as_f64().unwrap() > 0.0);
    assert!(stdout.contains("council"));
}

#[test]
fn the_definition_names_whole_councils_and_lists_the_lsoas_of_shared_ones() {
    use footprints::builder::definition;
    let mut scenario = icb_2026();
    let hiow = footprint(&scenario, "E54000067");
    let surrey_sussex = footprint(&scenario, "E54000069");
    let rushmoor = council_blocks("E07000092");
    // Half of Rushmoor to Surrey and Sussex: Rushmoor is then held in part by each.
    let half = &rushmoor[..rushmoor.len() / 2];
    scenario.move_blocks("Part of Rushmoor", half, Some(surrey_sussex));
    let parts = definition::definition(&scenario);
    let held = |footprint: u32| {
        parts[footprint as usize]
            .iter()
            .find(|p| p.council_code == "E07000092")
            .expect("Rushmoor is held")
            .clone()
    };
    assert_eq!(held(surrey_sussex).lsoas.len(), half.len());
    assert_eq!(held(hiow).lsoas.len(), rushmoor.len() - half.len());
    // Portsmouth is whole in Hampshire and Isle of Wight, listed before the shared councils.
    let portsmouth = parts[hiow as usize]
        .iter()
        .position(|p| p.council_name == "Portsmouth")
        .unwrap();
    assert!(parts[hiow as usize][portsmouth].whole());
    let first_shared = parts[hiow as usize]
        .iter()
        .position(|p| !p.whole())
        .unwrap();
    assert!(portsmouth < first_shared);
    // Every LSOA is in the definition once.
    let listed: usize = parts
        .iter()
        .flatten()
        .map(|p| {
            if p.whole() {
                council_blocks(&p.council_code).len()
            } else {
                p.lsoas.len()
            }
        })
        .sum();
    assert_eq!(listed, blocks().codes.len());
    let csv = definition::to_csv(&scenario);
    assert!(
        csv.starts_with("footprint_code,footprint_name,council_code,council_name,whole,lsoas\n")
    );
    assert!(csv.contains("E54000067,NHS Hampshire and Isle of Wight Integrated Care Board,E06000044,Portsmouth,yes,\n"));
    let markdown = definition::to_markdown(&scenario);
    assert!(markdown.contains("## NHS Surrey and Sussex Integrated Care Board (E54000069)"));
    assert!(markdown.contains(&format!("| Rushmoor | E07000092 | part | {}: ", half.len())));
}

#[test]
fn an_export_writes_the_footprints_and_the_definition_beside_the_assignment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.csv");
    let mut scenario = icb_2026();
    let bsol = footprint(&scenario, "E54000055");
    let black_country = footprint(&scenario, "E54000062");
    scenario.merge(
        black_country,
        bsol,
        "Birmingham, Solihull and the Black Country",
    );
    let files = file::export(&scenario, &Rules::default(), &path).unwrap();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "merged.csv",
            "merged.json",
            "merged.geojson",
            "merged_definition.csv",
            "merged_definition.md"
        ]
    );
    let geojson: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("merged.geojson")).unwrap())
            .unwrap();
    let features = geojson["features"].as_array().unwrap();
    // The Black Country is merged away: 35 footprints with blocks.
    assert_eq!(features.len(), 35);
    let merged = features
        .iter()
        .find(|f| f["properties"]["code"] == "E54000055")
        .unwrap();
    assert_eq!(
        merged["properties"]["name"],
        "Birmingham, Solihull and the Black Country"
    );
    assert_eq!(
        merged["properties"]["population_mid2022"].as_u64().unwrap(),
        people(&scenario, bsol)
    );
    let definition = std::fs::read_to_string(dir.path().join("merged_definition.md")).unwrap();
    assert!(
        definition.contains("| Wolverhampton | E08000031 | whole |"),
        "{definition}"
    );
    // The window exports a copy of the scenario as it stands (made in the background): the
    // same files, byte for byte.
    let copied = dir.path().join("copy").join("merged.csv");
    let copies = file::export(&scenario.parts().build(), &Rules::default(), &copied).unwrap();
    for (original, copy) in files.iter().zip(&copies) {
        assert_eq!(
            std::fs::read(original).unwrap(),
            std::fs::read(copy).unwrap(),
            "{}",
            original.display()
        );
    }
}

#[test]
fn at_council_level_every_block_moves_with_its_whole_council() {
    use footprints::builder::BlockLevel;
    let set = blocks();
    let rushmoor = council_blocks("E07000092");
    let unit = set
        .unit_of(BlockLevel::Council2024, rushmoor[0])
        .expect("a block");
    assert_eq!(unit.label, "Rushmoor");
    assert_eq!(unit.blocks, rushmoor);
    // Every one of the 33,755 blocks, at each level: the units cover each block exactly once.
    let all: Vec<usize> = (0..set.codes.len()).collect();
    assert_eq!(all.len(), 33_755);
    for level in BlockLevel::ALL {
        let units = set.units_of(level, &all);
        let mut covered: Vec<usize> = units.iter().flat_map(|u| u.blocks.clone()).collect();
        covered.sort_unstable();
        assert_eq!(covered, all, "{level:?}");
        assert!(units.iter().all(|u| !u.label.is_empty()));
    }
    assert_eq!(set.units_of(BlockLevel::Council2024, &all).len(), 296);
    assert_eq!(
        set.units_of(BlockLevel::SubIcb2026, &all).len(),
        set.people.sub_icb_2026.areas.len()
    );
}

#[test]
fn a_brush_stroke_is_one_edit_and_one_undo() {
    let mut scenario = icb_2026();
    let hiow = footprint(&scenario, "E54000067");
    let surrey_sussex = footprint(&scenario, "E54000069");
    let rushmoor = council_blocks("E07000092");
    let before = (people(&scenario, hiow), people(&scenario, surrey_sussex));
    // Three frames of one drag over Rushmoor, overlapping.
    for (i, chunk) in rushmoor.chunks(20).enumerate() {
        let mut blocks = chunk.to_vec();
        if i > 0 {
            blocks.push(rushmoor[0]); // already painted: moves nothing again
        }
        scenario.paint(&blocks, Some(surrey_sussex), i > 0);
    }
    let history: Vec<&str> = scenario.history().collect();
    assert_eq!(history.len(), 1, "{history:?}");
    let moved = blocks().people_of(&rushmoor);
    assert_eq!(
        history[0],
        format!(
            "{} block(s): NHS Hampshire and Isle of Wight Integrated Care Board to NHS Surrey and Sussex Integrated Care Board, {} people",
            rushmoor.len(),
            footprints::geo_util::thousands(moved)
        )
    );
    assert_eq!(people(&scenario, surrey_sussex), before.1 + moved);
    scenario.undo();
    assert_eq!(
        (people(&scenario, hiow), people(&scenario, surrey_sussex)),
        before
    );
    // A new stroke (not continuing) is a second edit.
    scenario.redo();
    scenario.paint(&rushmoor[..3], Some(hiow), false);
    assert_eq!(scenario.history().count(), 2);
}

#[test]
fn a_scenario_as_a_layer_sums_its_own_blocks_and_flows_exactly() {
    use footprints::blocks::layer_statistics;
    let mut scenario = icb_2026();
    let start = scenario.to_layer("start");
    let hiow = footprint(&scenario, "E54000067");
    let surrey_sussex = footprint(&scenario, "E54000069");
    let rushmoor = council_blocks("E07000092");
    scenario.move_blocks("Rushmoor", &rushmoor, Some(surrey_sussex));
    let after = scenario.to_layer("after");
    let people_table = blocks().people;
    let locator = footprints::lookup::PointLocator::build(&after);
    let statistics = layer_statistics::for_layer(&after, people_table, &locator);
    assert_eq!(statistics.lookup, Some(layer_statistics::Lookup::OwnMakeUp));
    for (i, f) in after.footprints.iter().enumerate() {
        let s = footprint(&scenario, &f.code);
        assert_eq!(
            statistics.totals[i]
                .as_ref()
                .map(|t| t.population_mid2022()),
            Some(people(&scenario, s)),
            "{}",
            f.name
        );
    }
    let (flows, source) = layer_statistics::flows(&start, &after, people_table).expect("flows");
    assert!(source.contains(layer_statistics::OWN_MAKE_UP), "{source}");
    let moved = flows
        .get(&("E54000067".to_string(), "E54000069".to_string()))
        .copied();
    assert_eq!(moved, Some(blocks().people_of(&rushmoor)));
    let stayed: u64 = flows
        .iter()
        .filter(|((a, b), _)| a == b)
        .map(|(_, p)| p)
        .sum();
    let total: u64 = flows.values().sum();
    assert_eq!(total - stayed, blocks().people_of(&rushmoor));
    let hiow_before = start
        .footprints
        .iter()
        .position(|f| f.code == "E54000067")
        .unwrap();
    let start_statistics = layer_statistics::for_layer(
        &start,
        people_table,
        &footprints::lookup::PointLocator::build(&start),
    );
    assert_eq!(
        start_statistics.totals[hiow_before]
            .as_ref()
            .map(|t| t.population_mid2022()),
        Some(people(&scenario, hiow) + blocks().people_of(&rushmoor))
    );
}

#[test]
fn an_autosave_is_written_after_each_edit_and_reopens_as_it_was() {
    use footprints::builder::autosave::{self, Autosaver, Snapshot};
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("autosave");
    let autosaver = Autosaver::new(dir.clone());
    let mut scenario = icb_2026();
    let rules = Rules::default();
    let surrey_sussex = footprint(&scenario, "E54000069");
    let rushmoor = council_blocks("E07000092");
    for (i, block) in rushmoor.iter().take(5).enumerate() {
        scenario.move_blocks(&format!("block {i}"), &[*block], Some(surrey_sussex));
        autosaver.save("one", Snapshot::of(&scenario, &rules));
    }
    autosaver.flush();
    assert_eq!(autosave::left_in(&dir), vec![autosaver.path_of("one")]);
    let (reopened, reopened_rules) =
        file::open(&autosaver.path_of("one"), blocks()).expect("the autosave opens");
    assert_eq!(file::to_csv(&reopened), file::to_csv(&scenario));
    assert_eq!(reopened_rules, rules);
    autosaver.forget("one");
    autosaver.flush();
    assert!(autosave::left_in(&dir).is_empty());
}

#[test]
fn beside_a_scenario_a_layer_no_lookup_knows_is_placed_by_best_fit() {
    use footprints::blocks::layer_statistics;
    let mut scenario = icb_2026();
    // The start as a layer of codes no lookup knows, and without its make-up.
    let mut plain = scenario.to_layer("plain");
    plain.lsoa_2021_make_up = None;
    for f in &mut plain.footprints {
        f.code = format!("X{}", f.code);
    }
    let surrey_sussex = footprint(&scenario, "E54000069");
    let rushmoor = council_blocks("E07000092");
    scenario.move_blocks("Rushmoor", &rushmoor, Some(surrey_sussex));
    let after = scenario.to_layer("after");
    let (flows, source) = layer_statistics::flows(&plain, &after, blocks().people).expect("flows");
    assert!(source.contains("best fit"), "{source}");
    let moved = flows
        .get(&("XE54000067".to_string(), "E54000069".to_string()))
        .copied()
        .unwrap_or(0);
    let rushmoor_people = blocks().people_of(&rushmoor);
    assert!(
        moved as f64 >= 0.95 * rushmoor_people as f64 && moved <= rushmoor_people + 20_000,
        "{moved} of {rushmoor_people}"
    );
    // Two layers without a make-up and unknown codes: no flows are made up.
    assert!(layer_statistics::flows(&plain, &plain, blocks().people).is_none());
}

#[test]
fn a_scenario_layer_makes_a_board_pack_with_what_each_footprint_is_made_of_and_its_change() {
    use footprints::builder::CHANGE_PROPERTY;
    let mut scenario = icb_2026();
    let surrey_sussex = footprint(&scenario, "E54000069");
    let rushmoor = council_blocks("E07000092");
    let moved = blocks().people_of(&rushmoor) as i64;
    scenario.move_blocks("Rushmoor", &rushmoor, Some(surrey_sussex));
    let mut layer = scenario.to_layer("Scenario: Rushmoor to Surrey");
    for f in &mut layer.footprints {
        let change = match f.code.as_str() {
            "E54000069" => moved,
            "E54000067" => -moved,
            _ => 0,
        };
        f.properties.insert(CHANGE_PROPERTY.into(), change.into());
    }
    let people = blocks().people;
    let locator = footprints::lookup::PointLocator::build(&layer);
    let statistics = footprints::blocks::layer_statistics::for_layer(&layer, people, &locator);
    let areas = vec![0.0; layer.footprints.len()];
    let labels = vec![String::new(); layer.footprints.len()];
    let catalog = Default::default();
    let layer_facts =
        footprints::facts::LayerFacts::new(&layer, &catalog, Some(&statistics), &areas);
    let facts = footprints::facts::facts_of(&layer_facts, &labels);
    let hiow = facts.iter().find(|f| f.code == "E54000067").expect("HIOW");
    let change = hiow
        .card
        .iter()
        .find(|(label, _)| label == "Change from the starting layer")
        .map(|(_, value)| value.clone());
    assert_eq!(
        change,
        Some(format!(
            "−{} people",
            footprints::geo_util::thousands(moved as u64)
        ))
    );
    // What it is made of: its councils, Rushmoor no longer among them.
    let councils = hiow
        .tables
        .iter()
        .find(|t| t.title.starts_with("Councils (2024"))
        .expect("councils");
    assert!(councils.rows.iter().any(|r| r[1] == "Hart"));
    assert!(!councils.rows.iter().any(|r| r[1] == "Rushmoor"));
    assert_eq!(hiow.region.as_deref(), Some("South East"));
    // Its pack: a cover and a page per footprint.
    let order = footprints::render::export::page_order(&facts, &[], &[]);
    let basemap = footprints::basemap::Basemap::embedded();
    let colours = vec![footprints::colour::Rgb(200, 200, 200); layer.footprints.len()];
    let request = footprints::render::export::PackRequest {
        layer: &layer,
        basemap: &basemap,
        colours: &colours,
        legend: &Default::default(),
        facts: &facts,
        title: "Scenario".into(),
        date: "29 November 2026".into(),
        paper: footprints::render::export::Paper::A4,
        dpi: 150.0,
        order,
    };
    let pack = footprints::render::export::pack(&request, &|_, _| true).expect("a pack");
    assert_eq!(pack.pages.len(), 1 + layer.footprints.len());
    assert_eq!(pack.bookmarks.len(), pack.pages.len());
    // Stopped part way, there is no pack.
    assert!(footprints::render::export::pack(&request, &|done, _| done < 3).is_none());
}
