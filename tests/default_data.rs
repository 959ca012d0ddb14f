//! The embedded default footprints: neighbours, colours and hit-testing on the real data.

use footprints::colour::{FOOTPRINT_PALETTE, colour_graph};
use footprints::defaults::default_footprints;
use footprints::index::{SpatialIndex, neighbours};

fn names(layer: &footprints::model::Layer, list: &[usize]) -> Vec<String> {
    list.iter()
        .map(|&i| layer.footprints[i].name.clone())
        .collect()
}

#[test]
fn every_footprint_differs_in_colour_from_all_its_neighbours() {
    let (layer, _) = default_footprints()
        .unwrap()
        .expect("built with ../shared/data");
    let graph = neighbours(&layer, 0.0004);
    // The app's palette, and a five-colour one (a map never needs more than four).
    for palette_len in [FOOTPRINT_PALETTE.len(), 5] {
        let colours = colour_graph(&graph, palette_len);
        assert_eq!(colours.len(), 44);
        assert!(colours.iter().all(|&c| c < palette_len));
        for (a, list) in graph.iter().enumerate() {
            assert!(
                !list.is_empty(),
                "{} has no neighbours",
                layer.footprints[a].name
            );
            for &b in list {
                assert_ne!(
                    colours[a], colours[b],
                    "{} and {} share a colour with {palette_len} colours",
                    layer.footprints[a].name, layer.footprints[b].name
                );
            }
        }
    }
}

#[test]
fn birmingham_and_solihull_has_the_expected_neighbours() {
    let (layer, _) = default_footprints().unwrap().unwrap();
    let graph = neighbours(&layer, 0.0004);
    let bsol = layer.index_of_code("E54000017").unwrap();
    let mut found = names(&layer, &graph[bsol]);
    found.sort();
    assert_eq!(
        found,
        vec![
            "Coventry and Warwickshire",
            "Herefordshire and Worcestershire",
            "Staffordshire",
            "The Black Country",
        ]
    );
}

#[test]
fn points_fall_in_the_right_footprint() {
    let (layer, _) = default_footprints().unwrap().unwrap();
    let index = SpatialIndex::build(&layer);
    let at = |lon: f64, lat: f64| {
        index
            .at(&layer, geo::Coord { x: lon, y: lat })
            .map(|i| layer.footprints[i].code.clone())
    };
    assert_eq!(
        at(-1.8904, 52.4862).as_deref(),
        Some("E54000017"),
        "Birmingham"
    );
    assert_eq!(
        at(-2.2426, 53.4808).as_deref(),
        Some("E54000007"),
        "Manchester"
    );
    assert_eq!(at(-1.5491, 53.8008).as_deref(), Some("E54000005"), "Leeds");
    assert_eq!(
        at(-5.5375, 50.1188).as_deref(),
        Some("E54000036"),
        "Penzance"
    );
    assert_eq!(at(-3.1883, 55.9533), None, "Edinburgh is in no footprint");
    assert_eq!(at(-3.75, 53.75), None, "the Irish Sea");
}

#[test]
fn the_fast_locator_agrees_with_the_index_across_england() {
    use footprints::lookup::PointLocator;
    let (layer, _) = default_footprints().unwrap().unwrap();
    let index = SpatialIndex::build(&layer);
    let locator = PointLocator::build(&layer);
    let mut disagreements = Vec::new();
    // A 200 × 200 lattice over England and its seas.
    for i in 0..200 {
        for j in 0..200 {
            let p = geo::Coord {
                x: -6.5 + i as f64 * 0.0415 + 0.00011,
                y: 49.8 + j as f64 * 0.0305 + 0.00007,
            };
            if locator.locate(p) != index.at(&layer, p) {
                disagreements.push(p);
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements, e.g. {:?}",
        disagreements.len(),
        disagreements.first()
    );
}

#[test]
fn postcodes_fall_in_their_footprints() {
    use footprints::lookup::PointLocator;
    use footprints::search::postcodes::PostcodeIndex;
    let (layer, _) = default_footprints().unwrap().unwrap();
    let locator = PointLocator::build(&layer);
    let postcodes = PostcodeIndex::embedded()
        .expect("built with ../shared/data")
        .unwrap();
    assert_eq!(postcodes.len(), 2_259_503);
    let code_of = |pc: &str| {
        let p = postcodes.get(pc).unwrap_or_else(|| panic!("{pc} missing"));
        locator.locate(p).map(|i| layer.footprints[i].code.clone())
    };
    assert_eq!(
        code_of("B15 2TT").as_deref(),
        Some("E54000017"),
        "Birmingham"
    );
    assert_eq!(
        code_of("M1 1AE").as_deref(),
        Some("E54000007"),
        "Manchester"
    );
    assert_eq!(code_of("LS1 4DY").as_deref(), Some("E54000005"), "Leeds");
    assert_eq!(
        code_of("TR18 2GD").as_deref(),
        Some("E54000036"),
        "Penzance"
    );
    assert_eq!(
        code_of("NE1 7RU").as_deref(),
        Some("E54000046"),
        "Newcastle"
    );
}

#[test]
fn every_palette_keeps_neighbours_apart_and_choropleths_follow_population() {
    use footprints::render::style::{ColourBy, Palette, VIRIDIS_5, style};
    let (layer, catalog) = default_footprints().unwrap().unwrap();
    let graph = neighbours(&layer, 0.0004);
    let facts = footprints::facts::LayerFacts::new(&layer, &catalog, None, &[]);
    for palette in Palette::ALL {
        let styled = style(&facts, &graph, &ColourBy::Footprint, palette);
        for (a, list) in graph.iter().enumerate() {
            for &b in list {
                assert_ne!(
                    styled.colours[a], styled.colours[b],
                    "{:?}: {} and {}",
                    palette, layer.footprints[a].name, layer.footprints[b].name
                );
            }
        }
    }

    let styled = style(&facts, &graph, &ColourBy::Population, Palette::Soft);
    let at = |code: &str| styled.colours[layer.index_of_code(code).unwrap()];
    assert_eq!(
        at("E54000007"),
        VIRIDIS_5[4],
        "Greater Manchester, the most populous"
    );
    assert_eq!(
        at("E54000047"),
        VIRIDIS_5[0],
        "West, North and East Cumbria, the least"
    );
    assert_eq!(styled.legend.title, "Population (ONS mid-2019)");
    assert_eq!(styled.legend.entries.len(), 5);
    assert!(
        styled.legend.entries[0].label.starts_with("319k"),
        "{:?}",
        styled.legend.entries[0]
    );

    let regions = style(&facts, &graph, &ColourBy::Region, Palette::OkabeIto);
    let labels: Vec<&str> = regions
        .legend
        .entries
        .iter()
        .map(|e| e.label.as_str())
        .collect();
    assert_eq!(
        labels,
        vec!["London", "Midlands and East", "North", "South"]
    );
}

#[test]
fn the_basemap_knows_where_its_land_was_cut() {
    // The Natural Earth extract is cut to a box: France and the Low Countries along its east and
    // south sides, the Faroes along its north (the map fades them out there), while Ireland's
    // west coast and Cornwall and Scilly, near the west and south sides, are real coast.
    use footprints::basemap::Side;
    let basemap = footprints::basemap::Basemap::embedded();
    let (extent, edges) = basemap.cut_edges().expect("built with ../shared/data");
    assert!(edges.iter().any(|e| e.side == Side::East));
    for edge in &edges {
        assert_ne!(edge.side, Side::West, "{edge:?} in {extent:?}");
        if edge.side == Side::South {
            assert!(
                edge.from > -2.5,
                "the cut is in Normandy, east of Cornwall: {edge:?}"
            );
        }
        if edge.side == Side::North {
            assert!(
                edge.to < -6.0,
                "the cut is in the Faroes, west of Shetland: {edge:?}"
            );
        }
    }
}

/// Every embedded file unpacks to exactly the file in the data folder (tables embedded in part
/// to the columns the app reads), whichever way it is packed: deflate for what the first frame
/// reads, LZMA for the rest.
#[test]
fn every_embedded_file_unpacks_to_its_source() {
    use footprints::embedded::{self, Packing};
    let mut lzma = 0;
    for &(name, file, relative) in embedded::ALL {
        let path = std::path::Path::new(embedded::DATA_DIR).join(relative);
        let source = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}: {}", path.display()));
        let unpacked = file
            .read()
            .unwrap_or_else(|| panic!("{name} is not embedded"));
        lzma += usize::from(file.packing() == Packing::Lzma);
        if let Some((_, columns)) = embedded::KEPT_COLUMNS.iter().find(|(n, _)| *n == name) {
            let text = String::from_utf8_lossy(&source);
            let mut lines = text.trim_start_matches('\u{feff}').lines();
            let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
            let at: Vec<usize> = columns
                .iter()
                .map(|c| header.iter().position(|h| h == c).expect("a kept column"))
                .collect();
            let kept: Vec<String> = lines
                .map(|line| {
                    let fields: Vec<&str> = line.split(',').collect();
                    at.iter().map(|&i| fields[i]).collect::<Vec<_>>().join(",")
                })
                .collect();
            let unpacked = String::from_utf8_lossy(&unpacked);
            let mut lines = unpacked.lines();
            assert_eq!(lines.next(), Some(columns.join(",").as_str()), "{name}");
            let rows: Vec<String> = lines.map(str::to_string).collect();
            assert!(
                rows == kept,
                "{name}: the kept columns differ from {}",
                path.display()
            );
        } else {
            assert!(
                *unpacked == source[..],
                "{name} differs from {}",
                path.display()
            );
        }
    }
    assert!(lzma >= 20, "the tables are packed with LZMA ({lzma} are)");
    assert_eq!(embedded::ALL.len(), embedded::FILES_FOUND);
}
