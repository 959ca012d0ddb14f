//! The map as drawn on the GPU (Mesa's lavapipe on CI): footprints filled in their colours,
//! the sea and the land of the offline basemap, rendered headless through egui_kittest.

use crate::common::{app, distance, fixture, pixel, rendered_harness, wait_for_loads};

const LIGHT: &str = r#"{"theme": "Light"}"#;

#[test]
fn footprints_sea_and_land_are_drawn_in_their_colours() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = rendered_harness(LIGHT, Vec::new(), dir.path());
    let image = harness.render().expect("rendered with wgpu");
    if let Ok(save_to) = std::env::var("FOOTPRINTS_SAVE_RENDER") {
        let _ = image.save(std::path::Path::new(&save_to).join("render_test.png"));
    }
    let view = app(&harness).map_view().unwrap();

    let sea = pixel(&image, view.screen_pos(-3.75, 53.75)); // Irish Sea
    let scotland = pixel(&image, view.screen_pos(-3.6, 55.4)); // Southern Uplands: land, no footprint
    let birmingham = pixel(&image, view.screen_pos(-1.8904, 52.4862));
    let black_country = pixel(&image, view.screen_pos(-2.05, 52.55)); // Walsall/Wolverhampton
    let leeds = pixel(&image, view.screen_pos(-1.5491, 53.8008));

    assert!(distance(sea, [200, 222, 238]) <= 4, "sea {sea:?}");
    assert!(
        distance(scotland, [236, 234, 226]) <= 4,
        "land {scotland:?}"
    );
    for (name, p) in [
        ("Birmingham", birmingham),
        ("Black Country", black_country),
        ("Leeds", leeds),
    ] {
        assert!(
            distance(p, sea) > 20 && distance(p, scotland) > 20,
            "{name} is not filled: {p:?}"
        );
    }
    assert!(
        distance(birmingham, black_country) > 20,
        "neighbours look alike: {birmingham:?} vs {black_country:?}"
    );
    assert_eq!(app(&harness).active_layer().unwrap().footprints.len(), 44);
}

#[test]
fn a_file_with_a_polygon_of_no_area_loads_and_draws() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = rendered_harness(LIGHT, vec![fixture("flat_and_square.geojson")], dir.path());
    wait_for_loads(&mut harness);
    let image = harness.render().expect("rendered with wgpu");
    assert_eq!(app(&harness).active_layer().unwrap().footprints.len(), 2);
    let view = app(&harness).map_view().unwrap();
    let inside = pixel(&image, view.screen_pos(-1.5, 52.5));
    assert!(
        distance(inside, [236, 234, 226]) > 20,
        "the square is filled: {inside:?}"
    );
}
