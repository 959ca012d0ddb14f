//! A user-chosen `.pmtiles` basemap is drawn over the offline map and under the footprints.

use std::time::Duration;

mod common;

use common::rendered_harness;
use pmtiles::{PmTilesWriter, TileCoord, TileType};

const MAGENTA: [u8; 3] = [230, 0, 200];

/// Writes a raster PMTiles file whose every tile over Great Britain, zoom 0 to 8, is magenta.
fn write_magenta_pmtiles(path: &std::path::Path) {
    let mut png = Vec::new();
    image::RgbaImage::from_pixel(
        256,
        256,
        image::Rgba([MAGENTA[0], MAGENTA[1], MAGENTA[2], 255]),
    )
    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
    .unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut writer = PmTilesWriter::new(TileType::Png)
        .max_zoom(8)
        .create(file)
        .unwrap();
    let mut coords = Vec::new();
    for z in 0..=8u8 {
        let n = 2f64.powi(z as i32);
        let x_of = |lon: f64| ((lon + 180.0) / 360.0 * n).floor() as u32;
        let y_of = |lat: f64| {
            let r = lat.to_radians();
            ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor() as u32
        };
        for x in x_of(-12.0)..=x_of(4.0) {
            for y in y_of(61.0)..=y_of(48.0) {
                coords.push(TileCoord::new(z, x, y).unwrap());
            }
        }
    }
    // The writer wants tiles in tile-id order.
    coords.sort_by_key(|c| pmtiles::TileId::from(*c).value());
    for coord in coords {
        writer.add_tile(coord, &png).unwrap();
    }
    writer.finalize().unwrap();
}

#[test]
fn a_pmtiles_basemap_shows_under_the_footprints() {
    let dir = tempfile::tempdir().unwrap();
    let tiles = dir.path().join("magenta.pmtiles");
    write_magenta_pmtiles(&tiles);
    let settings = serde_json::json!({ "theme": "Light", "tiles": { "PmTiles": tiles } });

    let mut harness = rendered_harness(&settings.to_string(), Vec::new(), dir.path());

    // Tiles are read in the background: give them up to ten seconds to arrive.
    let mut sea = [0u8; 3];
    for _ in 0..100 {
        harness.step();
        let image = harness.render().unwrap();
        let view = harness.state().as_ref().unwrap().map_view().unwrap();
        let p = view.screen_pos(-3.75, 53.75); // the Irish Sea
        let px = image.get_pixel(p.x as u32, p.y as u32);
        sea = [px[0], px[1], px[2]];
        if sea == MAGENTA {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(sea, MAGENTA, "the PMTiles tile never covered the sea");

    let image = harness.render().unwrap();
    let app = harness.state().as_ref().unwrap();
    let view = app.map_view().unwrap();
    let p = view.screen_pos(-1.5491, 53.8008); // Leeds: a footprint over the tile
    let px = image.get_pixel(p.x as u32, p.y as u32);
    assert_ne!(
        [px[0], px[1], px[2]],
        MAGENTA,
        "footprints are drawn over the tiles"
    );
    assert!(app.notices().is_empty(), "{:?}", app.notices());
}
