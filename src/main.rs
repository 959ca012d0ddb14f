//! Footprints: run the desktop app, or a command-line subcommand.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use footprints::ui::app::{FootprintsApp, Startup};

#[derive(Parser)]
#[command(
    name = "footprints",
    version,
    about = "Offline map of England's 44 health and care footprints (STP 2016)",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// Boundary files (GeoJSON) to open in the app; none opens the built-in footprints.
    paths: Vec<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Summarise a boundary file without opening a window.
    Info {
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// The GeoJSON file to read.
        path: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Info { json, path }) => match footprints::cli::info::run(&path, json) {
            Ok(text) => {
                println!("{}", text.trim_end());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("footprints: {e}");
                ExitCode::FAILURE
            }
        },
        None => match run_app(cli.paths) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("footprints: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}

fn run_app(paths: Vec<PathBuf>) -> anyhow::Result<()> {
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("warn,walkers=error"),
    )
    .init();
    // TLS for the optional online tiles; ring is the provider this build carries.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut viewport = egui::ViewportBuilder::default();
    // The icon is the project's own (assets/icon.png); a bad one only costs the icon.
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../assets/icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport: viewport
            .with_title("Footprints")
            .with_app_id("footprints")
            .with_inner_size([1280.0, 860.0])
            .with_min_inner_size([640.0, 420.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let startup = Startup {
        paths,
        settings_path: footprints::settings::settings_path(),
    };
    eframe::run_native(
        "Footprints",
        options,
        Box::new(move |cc| {
            if cc.wgpu_render_state.is_some() {
                walkers::install_renderer(cc.wgpu_render_state.as_ref());
            }
            Ok(Box::new(FootprintsApp::new(&cc.egui_ctx, startup)))
        }),
    )
    .map_err(|e| anyhow::anyhow!("the window could not be opened: {e}"))
}
