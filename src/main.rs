//! Footprints: run the desktop app, or a command-line subcommand.

// On Windows the app opens no console window; subcommands attach to the terminal they were
// run from (cli::console).
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Build footprints from blocks (LSOA 2021 unless --blocks) by an assignment CSV, and write
    /// them as GeoJSON with their blocks, parts, area and people.
    Build {
        /// Block polygons (GeoJSON); default: the built-in LSOA 2021.
        #[arg(long, value_name = "FILE")]
        blocks: Option<PathBuf>,
        /// The assignment: a CSV with a block code and a footprint code on each row.
        #[arg(long, value_name = "CSV")]
        assign: PathBuf,
        /// The assignment's block column (default: the column holding block codes).
        #[arg(long, value_name = "COL")]
        block_column: Option<String>,
        /// The assignment's footprint code column (default: footprint_code).
        #[arg(long, value_name = "COL")]
        group_column: Option<String>,
        /// The assignment's footprint name column (default: footprint_name, or the code column's
        /// NM twin).
        #[arg(long, value_name = "COL")]
        name_column: Option<String>,
        /// The GeoJSON to write (atomically); optional with --check.
        #[arg(long, value_name = "OUT")]
        out: Option<PathBuf>,
        /// Also write a JSON report: per footprint its blocks, parts, people and councils.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Print the rules' report as one JSON object on standard output (rules from the
        /// scenario's settings beside the CSV, else the defaults).
        #[arg(long)]
        check: bool,
    },
    /// Summarise a boundary file without opening a window.
    Info {
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// The GeoJSON file to read.
        path: PathBuf,
    },
    /// Draw the map to a PNG, SVG or PDF file (title, legend, scale bar, attribution); with
    /// --pack, the board pack: a cover with contents and one page per footprint.
    Export(ExportArgs),
    /// What changed between two vintages of boundaries: unchanged, changed, ended and new
    /// areas, and where each ended area's land went (matched by code and overlap).
    Compare {
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// The older boundaries: a GeoJSON file, stp2016 for the built-in footprints, or a
        /// built-in layer (icb2023, icb2026, subicb2026, lad2024, stp2021, icb2022, …).
        old: PathBuf,
        /// The newer boundaries: a GeoJSON file or a built-in layer.
        new: PathBuf,
    },
    /// Time loading a boundary file and drawing it over a scripted camera path (no window);
    /// the last line is one JSON object.
    Bench {
        /// Frames per leg of the camera path (six legs).
        #[arg(long, default_value_t = 60)]
        frames_per_leg: usize,
        /// Instead, time N builder edits on the LSOA 2021 blocks (council and LSOA moves,
        /// merges, undo and redo) from the ICBs of April 2026.
        #[arg(long, value_name = "N", conflicts_with = "path")]
        edits: Option<usize>,
        /// The GeoJSON file to load.
        #[arg(required_unless_present = "edits")]
        path: Option<PathBuf>,
    },
    /// Say which footprint each query (postcode, place, grid reference, coordinates) is in,
    /// or add footprint columns to a CSV.
    Which {
        /// Boundaries to use instead of the built-in 2016 footprints.
        #[arg(long, value_name = "PATH")]
        boundaries: Option<PathBuf>,
        /// A CSV file to process (it is never modified).
        #[arg(long, value_name = "IN", conflicts_with = "queries")]
        csv: Option<PathBuf>,
        /// The CSV column holding postcodes, places, grid references or coordinates.
        #[arg(long, value_name = "NAME", requires = "csv", conflicts_with_all = ["lat", "lon"])]
        column: Option<String>,
        /// The CSV column holding latitudes.
        #[arg(long, value_name = "NAME", requires_all = ["csv", "lon"])]
        lat: Option<String>,
        /// The CSV column holding longitudes.
        #[arg(long, value_name = "NAME", requires_all = ["csv", "lat"])]
        lon: Option<String>,
        /// Where to write the CSV (default: standard output); written atomically.
        #[arg(long, value_name = "OUT", requires = "csv")]
        out: Option<PathBuf>,
        /// Queries, e.g. "B15 2TT" "SP 06 86" "52.48, -1.89" Newport.
        #[arg(required_unless_present = "csv")]
        queries: Vec<String>,
    },
}

/// `footprints export`'s arguments.
#[derive(clap::Args)]
struct ExportArgs {
    /// The file to write: .png, .svg or .pdf (a .pdf, or a folder with --png-pages, for
    /// --pack).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// The board pack: a cover (England map, contents) and one page per footprint.
    #[arg(long)]
    pack: bool,
    /// With --pack: numbered PNG pages into the folder --out, for slide decks.
    #[arg(long, requires = "pack")]
    png_pages: bool,
    /// The layer: a built-in id (stp2016, icb2026, icb2023, subicb2026, lad2024, …) or a
    /// boundaries file (default: the 2016 footprints).
    #[arg(long, value_name = "NAME|FILE", conflicts_with = "boundaries")]
    layer: Option<String>,
    /// With --pack: only the footprints of this NHS region (the start of its name or of a
    /// word in it, in any case; repeatable).
    #[arg(long, value_name = "NAME", requires = "pack")]
    region: Vec<String>,
    /// Width in pixels (with --height).
    #[arg(long, requires = "height", conflicts_with = "paper")]
    width: Option<u32>,
    /// Height in pixels (with --width).
    #[arg(long, requires = "width")]
    height: Option<u32>,
    /// Landscape paper size: a4 or a3 (default a4).
    #[arg(long, value_parser = ["a4", "a3"])]
    paper: Option<String>,
    /// Dots per inch with --paper (default 150).
    #[arg(long, default_value_t = 150.0)]
    dpi: f64,
    /// Boundaries to draw instead of the built-in 2016 footprints.
    #[arg(long, value_name = "PATH")]
    boundaries: Option<PathBuf>,
    /// Outline this area (by code); with --pack, only these footprints' pages.
    #[arg(long, value_name = "CODE", num_args = 1..)]
    select: Vec<String>,
    /// footprint, region, population (mid-2019), population2022, aged65, deprivation (LSOA
    /// 2021, derived), or a numeric property of the layer.
    #[arg(long = "colour-by", value_name = "WHAT")]
    colour_by: Option<String>,
    /// The title line (default: the layer's title).
    #[arg(long)]
    title: Option<String>,
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
}

fn main() -> ExitCode {
    footprints::started();
    footprints::cli::console::attach_to_parent();
    // Over a file size limit, writes fail with an error the program reports (and the partial
    // file is removed) instead of the process being killed.
    #[cfg(unix)]
    // SAFETY: setting a signal to be ignored, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("warn,walkers=error"),
    )
    .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(command) => run_command(command),
        None => return footprints::ui::start::run(cli.paths),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("footprints: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a subcommand, printing what it reports.
fn run_command(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Info { json, path } => {
            let text =
                footprints::cli::info::run(&path, json).map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", text.trim_end());
        }
        Command::Build {
            blocks,
            assign,
            block_column,
            group_column,
            name_column,
            out,
            report,
            check,
        } => {
            let options = footprints::cli::build::BuildOptions {
                blocks,
                assign,
                columns: footprints::assign::AssignmentColumns {
                    block: block_column,
                    group: group_column,
                    name: name_column,
                },
                out,
                report,
                check,
            };
            let outcome = footprints::cli::build::run(&options)?;
            eprintln!("{}", outcome.summary);
            if let Some(json) = outcome.check {
                println!("{json}");
            }
        }
        Command::Compare { json, old, new } => {
            let text = footprints::cli::compare::run(&old, &new, json)?;
            println!("{}", text.trim_end());
        }
        Command::Bench {
            frames_per_leg,
            edits,
            path,
        } => match (edits, path) {
            (Some(edits), _) => {
                let report = footprints::cli::bench_edits::run(edits.max(1))?;
                println!("{}", report.text().trim_end());
                println!("{}", report.json());
            }
            (None, Some(path)) => {
                let report = footprints::cli::bench::run(&path, frames_per_leg.max(1))
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("{}", report.text().trim_end());
                println!("{}", report.json());
            }
            (None, None) => anyhow::bail!("give a GeoJSON file to time, or --edits N"),
        },
        Command::Export(args) => run_export(args)?,
        Command::Which {
            boundaries,
            csv,
            column,
            lat,
            lon,
            out,
            queries,
        } => match csv {
            Some(input) => run_batch(input, column, lat.zip(lon), out, boundaries)?,
            None => footprints::cli::which::run_queries(
                &queries,
                boundaries.as_deref(),
                &mut std::io::stdout().lock(),
            )?,
        },
    }
    Ok(())
}

fn run_batch(
    input: PathBuf,
    column: Option<String>,
    lat_lon: Option<(String, String)>,
    output: Option<PathBuf>,
    boundaries: Option<PathBuf>,
) -> anyhow::Result<()> {
    use footprints::cli::which::batch::{BatchOptions, Locate};
    let locate = match (column, lat_lon) {
        (Some(column), _) => Some(Locate::Column(column)),
        (None, Some((lat, lon))) => Some(Locate::LatLon { lat, lon }),
        (None, None) => None,
    };
    let options = BatchOptions {
        input,
        locate,
        output,
        boundaries,
    };
    let started = std::time::Instant::now();
    let mut last_report = std::time::Instant::now();
    let mut progress = |rows: usize, done: u64, total: u64| {
        // Only large files are worth a progress line.
        if total > 4_000_000 && last_report.elapsed().as_millis() >= 1000 {
            last_report = std::time::Instant::now();
            eprintln!(
                "footprints which: {} rows ({:.0}%)",
                footprints::geo_util::thousands(rows as u64),
                done as f64 * 100.0 / total.max(1) as f64
            );
        }
    };
    let (rows, placed) = footprints::cli::which::batch::run_batch(&options, &mut progress)?;
    eprintln!(
        "footprints which: {} rows, {} placed, {} not, in {:.1} s",
        footprints::geo_util::thousands(rows as u64),
        footprints::geo_util::thousands(placed as u64),
        footprints::geo_util::thousands((rows - placed) as u64),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `footprints export`: the map, or with --pack the board pack.
fn run_export(args: ExportArgs) -> anyhow::Result<()> {
    let ExportArgs {
        out,
        pack,
        png_pages,
        layer,
        region,
        width,
        height,
        paper,
        dpi,
        boundaries,
        select,
        colour_by,
        title,
        force,
    } = args;
    use footprints::render::export::Paper;
    let paper = paper.map(|p| (if p == "a3" { Paper::A3 } else { Paper::A4 }, dpi));
    if pack {
        let options = footprints::cli::pack::PackOptions {
            out: out.clone(),
            layer: layer.or(boundaries.map(|b| b.to_string_lossy().to_string())),
            paper: paper.map_or(Paper::A4, |p| p.0),
            dpi,
            colour_by,
            regions: region,
            select,
            title,
            png_pages,
            force,
        };
        let t = std::time::Instant::now();
        let (pages, bytes) = footprints::cli::pack::run(&options)?;
        eprintln!(
            "footprints export: wrote the board pack {} ({pages} pages, {bytes} bytes, {:.2} s)",
            out.display(),
            t.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    if select.len() > 1 {
        anyhow::bail!("a map outlines one area: give one --select CODE (or use --pack)");
    }
    let options = footprints::cli::export::ExportOptions {
        out: out.clone(),
        size: width.zip(height),
        paper,
        boundaries: layer.map(PathBuf::from).or(boundaries),
        select: select.into_iter().next(),
        colour_by,
        title,
        force,
    };
    let bytes = footprints::cli::export::run(&options)?;
    eprintln!(
        "footprints export: wrote {} ({} bytes)",
        out.display(),
        bytes
    );
    Ok(())
}
