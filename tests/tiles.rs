//! A user-chosen `.pmtiles` basemap is drawn over the offline map and under the footprints.

use std::time::Duration;

use crate::common::rendered_harness;
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

/// A tile server on 127.0.0.1 that fails on purpose: every other request gets a 500, the rest
/// a 200 whose body is not an image. Returns its URL template and the paths it was asked for.
fn failing_tile_server() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = asked.clone();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let read = stream.read(&mut request).unwrap_or(0);
            let text = String::from_utf8_lossy(&request[..read]);
            let path = text.split_whitespace().nth(1).unwrap_or("").to_string();
            log.lock().unwrap().push(path);
            let response: &[u8] = if n % 2 == 0 {
                b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\nConnection: close\r\n\r\noops!"
            } else {
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 12\r\nConnection: close\r\n\r\nnot an image"
            };
            let _ = stream.write_all(response);
        }
    });
    (
        format!("http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"),
        asked,
    )
}

#[test]
fn a_failing_tile_server_leaves_the_offline_map_and_is_not_flooded() {
    let dir = tempfile::tempdir().unwrap();
    let (template, asked) = failing_tile_server();
    let settings = serde_json::json!({ "theme": "Light", "tiles": { "Server": template } });
    let started = std::time::Instant::now();
    let mut harness = rendered_harness(&settings.to_string(), Vec::new(), dir.path());
    assert!(started.elapsed().as_secs() < 20, "starts at once");

    // Three seconds of frames while the server fails.
    for _ in 0..30 {
        harness.step();
        std::thread::sleep(Duration::from_millis(100));
    }
    let image = harness.render().unwrap();
    let app = harness.state().as_ref().unwrap();
    let view = app.map_view().unwrap();
    // The offline basemap is still drawn: the Irish Sea in the light theme's sea colour.
    let p = view.screen_pos(-3.75, 53.75);
    let px = image.get_pixel(p.x as u32, p.y as u32);
    assert_eq!([px[0], px[1], px[2]], [200, 222, 238]);

    let asked = asked.lock().unwrap().clone();
    assert!(!asked.is_empty(), "the server was asked for tiles");
    // Each failed tile is asked for once, not again on every frame.
    let mut unique = asked.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), asked.len(), "{asked:?}");
    assert!(asked.len() < 100, "{} requests", asked.len());
    // And the failures do not fill the status bar.
    assert!(app.notices().is_empty(), "{:?}", app.notices());
}
