//! The map as drawn on the GPU (Mesa's lavapipe on CI): footprints filled in their colours,
//! the sea and the land of the offline basemap, rendered headless through egui_kittest.

use egui_kittest::Harness;
use egui_kittest::wgpu::{WgpuTestRenderer, create_render_state, default_wgpu_setup};
use footprints::ui::app::{FootprintsApp, Startup};

type App = Option<FootprintsApp>;

fn rendered_harness(settings_dir: &std::path::Path) -> Harness<'static, App> {
    rendered_harness_with(settings_dir, Vec::new())
}

fn rendered_harness_with(
    settings_dir: &std::path::Path,
    paths: Vec<std::path::PathBuf>,
) -> Harness<'static, App> {
    // A light theme, as a user would have chosen it in View → Theme.
    let settings_path = settings_dir.join("settings.json");
    std::fs::write(&settings_path, r#"{"theme": "Light"}"#).unwrap();
    let render_state = create_render_state(
        default_wgpu_setup(),
        egui_wgpu::RendererOptions::PREDICTABLE,
    );
    // The map's meshes are drawn by walkers' own wgpu renderer, as in the app.
    walkers::install_renderer(Some(&render_state));
    let mut harness = Harness::builder()
        .with_size([1280.0, 860.0])
        .with_theme(egui::Theme::Light)
        .renderer(WgpuTestRenderer::from_render_state(render_state))
        .build_ui_state(
            move |ui, app: &mut App| {
                app.get_or_insert_with(|| {
                    FootprintsApp::new(
                        ui.ctx(),
                        Startup {
                            paths: paths.clone(),
                            settings_path: Some(settings_path.clone()),
                        },
                    )
                })
                .show(ui);
            },
            None,
        );
    harness.run_steps(4);
    harness
}

fn pixel(image: &image::RgbaImage, pos: egui::Pos2) -> [u8; 3] {
    let p = image.get_pixel(pos.x.round() as u32, pos.y.round() as u32);
    [p[0], p[1], p[2]]
}

fn distance(a: [u8; 3], b: [u8; 3]) -> i32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (*x as i32 - y as i32).abs())
        .max()
        .unwrap_or(0)
}

#[test]
fn footprints_sea_and_land_are_drawn_in_their_colours() {
    let settings_dir = tempfile::tempdir().unwrap();
    let mut harness = rendered_harness(settings_dir.path());
    let image = harness.render().expect("rendered with wgpu");
    if let Ok(dir) = std::env::var("FOOTPRINTS_SAVE_RENDER") {
        let _ = image.save(std::path::Path::new(&dir).join("render_test.png"));
    }
    let app = harness.state().as_ref().unwrap();
    let view = app.map_view().unwrap();
    let layer = app.active_layer().unwrap();

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
    assert_eq!(layer.footprints.len(), 44);
}

#[test]
fn a_file_with_a_polygon_of_no_area_loads_and_draws() {
    let settings_dir = tempfile::tempdir().unwrap();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/flat_and_square.geojson");
    let mut harness = rendered_harness_with(settings_dir.path(), vec![fixture]);
    for _ in 0..100 {
        harness.step();
        if !harness.state().as_ref().unwrap().is_loading() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run_steps(3);
    let image = harness.render().expect("rendered with wgpu");
    let app = harness.state().as_ref().unwrap();
    assert_eq!(app.active_layer().unwrap().footprints.len(), 2);
    let view = app.map_view().unwrap();
    let inside = pixel(&image, view.screen_pos(-1.5, 52.5));
    assert!(
        distance(inside, [236, 234, 226]) > 20,
        "the square is filled: {inside:?}"
    );
}
