//! Helpers shared by the end-to-end tests: the app in a kittest harness (headless or rendered
//! with wgpu), and the command-line binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use egui_kittest::wgpu::{WgpuTestRenderer, create_render_state, default_wgpu_setup};
use footprints::ui::app::{FootprintsApp, Startup};

/// The app is created on the harness's first frame, with the harness's context.
pub type App = Option<FootprintsApp>;

pub fn app<'h>(harness: &'h Harness<'static, App>) -> &'h FootprintsApp {
    harness
        .state()
        .as_ref()
        .expect("the app was created on the first frame")
}

/// The app in a harness: headless (widgets found through AccessKit) or, given a renderer,
/// drawn with wgpu; with these files opened and these settings (`None`: defaults, unsaved).
pub fn harness_with(
    paths: Vec<PathBuf>,
    settings_path: Option<PathBuf>,
    renderer: Option<WgpuTestRenderer>,
) -> Harness<'static, App> {
    let mut builder = Harness::builder()
        .with_size([1280.0, 860.0])
        .with_max_steps(40);
    if let Some(renderer) = renderer {
        builder = builder.renderer(renderer);
    }
    builder.build_ui_state(
        move |ui, app: &mut App| {
            app.get_or_insert_with(|| {
                FootprintsApp::new(
                    ui.ctx(),
                    Startup {
                        paths: paths.clone(),
                        settings_path: settings_path.clone(),
                    },
                )
            })
            .show(ui);
        },
        None,
    )
}

/// The app rendered with wgpu (Mesa's lavapipe on CI), with the settings and files given;
/// the map's meshes are drawn by walkers' own renderer, as in the app.
pub fn rendered_harness(
    settings_json: &str,
    paths: Vec<PathBuf>,
    dir: &Path,
) -> Harness<'static, App> {
    let settings_path = dir.join("settings.json");
    std::fs::write(&settings_path, settings_json).unwrap();
    let render_state = create_render_state(
        default_wgpu_setup(),
        egui_wgpu::RendererOptions::PREDICTABLE,
    );
    walkers::install_renderer(Some(&render_state));
    let renderer = WgpuTestRenderer::from_render_state(render_state);
    let mut harness = harness_with(paths, Some(settings_path), Some(renderer));
    harness.run_steps(4);
    harness
}

/// Steps the harness until background loading (layers and their people) has finished.
pub fn wait_for_loads(harness: &mut Harness<'static, App>) {
    for _ in 0..600 {
        harness.step();
        if !app(harness).is_busy() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert!(!app(harness).is_busy(), "loading did not finish");
    harness.run_steps(3);
}

pub fn pixel(image: &image::RgbaImage, pos: egui::Pos2) -> [u8; 3] {
    let p = image.get_pixel(pos.x.round() as u32, pos.y.round() as u32);
    [p[0], p[1], p[2]]
}

/// The largest difference of one channel.
pub fn distance(a: [u8; 3], b: [u8; 3]) -> i32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (*x as i32 - y as i32).abs())
        .max()
        .unwrap_or(0)
}

/// The built binary.
pub fn footprints() -> Command {
    Command::new(env!("CARGO_BIN_EXE_footprints"))
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn shared_data(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(relative)
}

/// Runs a command that must succeed (else its standard error is shown) and returns its output.
pub fn success(command: &mut Command) -> std::process::Output {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Runs a command that must fail with exit code 1 and returns its message (standard error,
/// without the final line end).
pub fn failure(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    String::from_utf8_lossy(&output.stderr)
        .trim_end()
        .to_string()
}

// ----- driving the app's window -----

/// Screen position of a lon/lat point as of the last frame.
pub fn screen_pos(harness: &Harness<'static, App>, lon: f64, lat: f64) -> Pos2 {
    app(harness)
        .map_view()
        .expect("the map was drawn")
        .screen_pos(lon, lat)
}

pub fn click_at(harness: &mut Harness<'static, App>, pos: Pos2) {
    click_at_with(harness, pos, Modifiers::NONE);
}

pub fn click_at_with(harness: &mut Harness<'static, App>, pos: Pos2, modifiers: Modifiers) {
    harness.hover_at(pos);
    harness.step();
    for pressed in [true, false] {
        harness.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers,
        });
    }
    harness.run_steps(3);
}

/// Clicks each labelled item in turn (a menu, then its items), letting the UI settle between.
pub fn click_through(harness: &mut Harness<'static, App>, labels: &[&str]) {
    for label in labels {
        harness.get_by_label(label).click();
        harness.run_steps(2);
    }
}

// ----- reading PDFs the app writes -----

/// The text of each page of a PDF written by Footprints, in page order: every string shown
/// with `Tj`, decoded from PDF's escapes and WinAnsi, with content streams inflated.
pub fn pdf_page_texts(pdf: &[u8]) -> Vec<Vec<String>> {
    use std::io::Read as _;
    let mut pages = Vec::new();
    let mut rest = pdf;
    while let Some(start) = find(rest, b"stream\n") {
        let header = &rest[..start];
        let body_start = start + b"stream\n".len();
        let Some(len) = find(&rest[body_start..], b"endstream") else {
            break;
        };
        let mut body = &rest[body_start..body_start + len];
        let dict_start = header.iter().rposition(|&b| b == b'<').unwrap_or(0);
        let dict = String::from_utf8_lossy(&header[dict_start.saturating_sub(200)..]);
        let mut content = Vec::new();
        if dict.contains("/FlateDecode") {
            if body.last() == Some(&b'\n') {
                body = &body[..body.len() - 1];
            }
            flate2::read::ZlibDecoder::new(body)
                .read_to_end(&mut content)
                .expect("a deflated stream");
        } else {
            content = body.to_vec();
        }
        pages.push(strings_shown(&content));
        rest = &rest[body_start + len + b"endstream".len()..];
    }
    pages
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The `( … ) Tj` strings of a content stream, decoded.
fn strings_shown(content: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < content.len() {
        if content[i] != b'(' {
            i += 1;
            continue;
        }
        let mut bytes = Vec::new();
        i += 1;
        while i < content.len() && content[i] != b')' {
            if content[i] == b'\\' && i + 1 < content.len() {
                let next = content[i + 1];
                if next.is_ascii_digit() {
                    let octal = std::str::from_utf8(&content[i + 1..i + 4]).unwrap_or("077");
                    bytes.push(u8::from_str_radix(octal, 8).unwrap_or(b'?'));
                    i += 4;
                } else {
                    bytes.push(next);
                    i += 2;
                }
            } else {
                bytes.push(content[i]);
                i += 1;
            }
        }
        i += 1;
        let after =
            String::from_utf8_lossy(&content[i.min(content.len())..(i + 4).min(content.len())])
                .to_string();
        if after.trim_start().starts_with("Tj") {
            out.push(bytes.iter().map(|&b| win_ansi(b)).collect());
        }
    }
    out
}

fn win_ansi(b: u8) -> char {
    match b {
        0x85 => '…',
        0x91 => '‘',
        0x92 => '’',
        0x96 => '–',
        0x97 => '—',
        _ => b as char,
    }
}
