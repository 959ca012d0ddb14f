//! Opening the window on a graphics backend that works: the platform's own first (DX12 on
//! Windows, Vulkan or Metal elsewhere), then the others, then OpenGL. A backend that cannot
//! start (no adapter, a device lost at start-up — as DX12 is under Wine or on some virtual
//! desktops) is retried in a fresh process with the next one, because a window system's event
//! loop cannot be made twice in one process. When none works, a plain message (a message box
//! on Windows) says what to try.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::ui::app::{FootprintsApp, Startup};

/// A child started with the next backend exits with this when it, too, could not open the
/// window (so that its parent tries the one after).
const NO_WINDOW: u8 = 3;

/// Set in a child started for a fallback: which backends were tried before it.
const TRIED_ENV: &str = "FOOTPRINTS_BACKENDS_TRIED";

/// The backends to try, by `WGPU_BACKEND` name, in order; `FOOTPRINTS_BACKENDS` (e.g.
/// `dx12,gl`) overrides the platform's order.
pub fn backend_order() -> Vec<String> {
    if let Ok(order) = std::env::var("FOOTPRINTS_BACKENDS") {
        let names: Vec<String> = order
            .split(',')
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        if !names.is_empty() {
            return names;
        }
    }
    let order: &[&str] = if cfg!(windows) {
        &["dx12", "vulkan", "gl"]
    } else if cfg!(target_os = "macos") {
        &["metal", "gl"]
    } else {
        &["vulkan", "gl"]
    };
    order.iter().map(|s| s.to_string()).collect()
}

/// The app in a window, on the first backend that opens one. Returns the process's exit code.
pub fn run(paths: Vec<PathBuf>) -> ExitCode {
    // A backend named by the user (or by a parent trying the next one) is the only one tried.
    if let Ok(name) = std::env::var("WGPU_BACKEND") {
        return match open_on(&name, paths) {
            Ok(()) => ExitCode::SUCCESS,
            Err(Failure::NoWindow(e)) => {
                eprintln!("footprints: {e:#}");
                if std::env::var_os(TRIED_ENV).is_none() {
                    tell_user(&[name], &e);
                }
                ExitCode::from(NO_WINDOW)
            }
            Err(Failure::App(e)) => {
                eprintln!("footprints: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    let order = backend_order();
    let mut tried = Vec::new();
    let mut last = anyhow::anyhow!("no graphics backend to try");
    for (i, name) in order.iter().enumerate() {
        tried.push(name.clone());
        let result = if i == 0 {
            open_on(name, paths.clone())
        } else {
            log::warn!("{last:#}; trying the {name} backend");
            in_child(name, &tried)
        };
        match result {
            Ok(()) => return ExitCode::SUCCESS,
            Err(Failure::NoWindow(e)) => last = e,
            Err(Failure::App(e)) => {
                eprintln!("footprints: {e:#}");
                return ExitCode::FAILURE;
            }
        }
    }
    eprintln!("footprints: {last:#}");
    tell_user(&tried, &last);
    ExitCode::from(NO_WINDOW)
}

/// Why the window did not run to the end.
enum Failure {
    /// The backend could not open the window (try the next).
    NoWindow(anyhow::Error),
    /// The app started and then failed.
    App(anyhow::Error),
}

/// This program again, with the same arguments, on backend `name`.
fn in_child(name: &str, tried: &[String]) -> Result<(), Failure> {
    let exe = std::env::current_exe()
        .map_err(|e| Failure::NoWindow(anyhow::anyhow!("could not start again on {name} ({e})")))?;
    let status = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("WGPU_BACKEND", name)
        .env(TRIED_ENV, tried.join(","))
        .status()
        .map_err(|e| Failure::NoWindow(anyhow::anyhow!("could not start again on {name} ({e})")))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(code) if code == i32::from(NO_WINDOW) => Err(Failure::NoWindow(anyhow::anyhow!(
            "the {name} backend could not open the window either"
        ))),
        _ => Err(Failure::App(anyhow::anyhow!("the app stopped ({status})"))),
    }
}

/// Says that no backend worked, and what to try: on standard error, and on Windows (where a
/// double-clicked program has no terminal) in a message box.
fn tell_user(tried: &[String], error: &anyhow::Error) {
    let message = format!(
        "Footprints could not open its window: no graphics backend worked (tried {}).\n\n\
         Last error: {error:#}\n\n\
         What to try: update the graphics driver; on a virtual desktop (Citrix, RDP) ask for \
         OpenGL or a software renderer; or set WGPU_BACKEND=gl (or vulkan, dx12) before starting. \
         The command-line tools (footprints which, export, info) work without a window.",
        tried.join(", ")
    );
    eprintln!("{message}");
    #[cfg(windows)]
    {
        rfd::MessageDialog::new()
            .set_title("Footprints")
            .set_description(message)
            .set_level(rfd::MessageLevel::Error)
            .show();
    }
}

/// eframe's wgpu set-up on `backends`, with device memory suballocated in 4 MB blocks: the
/// map's buffers are small, and on a software renderer every block (64 MB by default, still
/// 8 MB or more when asked to favour memory) is host memory held for as long as one buffer in
/// it lives.
pub fn wgpu_options(backends: eframe::wgpu::Backends) -> eframe::egui_wgpu::WgpuConfiguration {
    use eframe::egui_wgpu::{WgpuConfiguration, WgpuSetup};
    let mut options = WgpuConfiguration::default();
    if let WgpuSetup::CreateNew(setup) = &mut options.wgpu_setup {
        setup.instance_descriptor.backends = backends;
        let base = std::sync::Arc::clone(&setup.device_descriptor);
        setup.device_descriptor =
            std::sync::Arc::new(move |adapter| eframe::wgpu::DeviceDescriptor {
                memory_hints: eframe::wgpu::MemoryHints::Manual {
                    suballocated_device_memory_block_size: (4 << 20)..(4 << 20),
                },
                ..base(adapter)
            });
    }
    options
}

/// Opens the window on the backend called `name` and runs the app.
fn open_on(name: &str, paths: Vec<PathBuf>) -> Result<(), Failure> {
    let backends = eframe::wgpu::Backends::from_comma_list(name);
    if backends.is_empty() {
        return Err(Failure::NoWindow(anyhow::anyhow!(
            "no graphics backend is called {name:?}"
        )));
    }
    let started = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let result = run_window(paths, backends, std::sync::Arc::clone(&started));
    match result {
        Ok(()) => Ok(()),
        // Once the app has started, a failure is not the renderer's start-up: say it.
        Err(e) if started.load(std::sync::atomic::Ordering::SeqCst) => Err(Failure::App(e)),
        Err(e) => Err(Failure::NoWindow(e)),
    }
}

/// Opens the window on `backends`; `started` is set once the app itself is created.
fn run_window(
    paths: Vec<PathBuf>,
    backends: eframe::wgpu::Backends,
    started: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> anyhow::Result<()> {
    let mut viewport = egui::ViewportBuilder::default();
    // The icon is the project's own (assets/icon.png); a bad one only costs the icon.
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport: viewport
            .with_title("Footprints")
            .with_app_id("footprints")
            .with_inner_size([1280.0, 860.0])
            .with_min_inner_size([640.0, 420.0])
            .with_drag_and_drop(true),
        wgpu_options: wgpu_options(backends),
        ..Default::default()
    };
    let startup = Startup {
        paths,
        settings_path: crate::settings::settings_path(),
    };
    eframe::run_native(
        "Footprints",
        options,
        Box::new(move |cc| {
            started.store(true, std::sync::atomic::Ordering::SeqCst);
            if let Some(state) = &cc.wgpu_render_state {
                log::info!("drawing with {:?}", state.adapter.get_info().backend);
                walkers::install_renderer(Some(state));
            }
            Ok(Box::new(FootprintsApp::new(&cc.egui_ctx, startup)))
        }),
    )
    .map_err(|e| anyhow::anyhow!("the window could not be opened ({backends:?}): {e}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_platform_order_ends_with_opengl_and_can_be_overridden() {
        let order = super::backend_order();
        if std::env::var_os("FOOTPRINTS_BACKENDS").is_none() {
            assert_eq!(order.last().map(String::as_str), Some("gl"));
            assert!(order.len() >= 2);
            if cfg!(windows) {
                assert_eq!(order[0], "dx12");
            }
        }
        for name in &order {
            assert!(
                !eframe::wgpu::Backends::from_comma_list(name).is_empty(),
                "{name}"
            );
        }
    }
}
