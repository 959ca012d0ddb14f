//! Footprints: an offline desktop map of England's health and care footprints.
//!
//! Data flows one way: bytes → [`load`] (parse, detect fields and CRS, repair, reproject) →
//! [`model`] (layers of footprints) → [`analysis`] (levels of detail from [`topology`],
//! neighbours, colours, anchors; point lookups from [`index`] and [`lookup`]) → [`render`]
//! (colours, labels, export pages) → [`ui`] (egui panels and the walkers map) → the app, which
//! applies what the panels ask for once per frame. [`search`] reads queries, [`details`] and
//! [`vintages`] know each footprint's members, lead and people, [`compare`] what changed,
//! [`facts`] gathers them as text for the board pack.
//! Today's footprints are built from LSOA 2021 [`blocks`] (their people, lookups and members)
//! by an [`assign`]ment, dissolved on the blocks' shared arcs ([`topology`]).
//! Everything above `ui` is plain Rust with no egui in it, tested on its own; the command line
//! ([`cli`]) calls the same modules.

pub mod analysis;
pub mod assign;
pub mod basemap;
pub mod blocks;
pub mod builder;
pub mod cli;
pub mod colour;
pub mod compare;
pub mod defaults;
pub mod details;
pub mod embedded;
pub mod facts;
pub mod fs;
pub mod geo_util;
pub mod index;
pub mod layer_ref;
pub mod load;
pub mod lookup;
pub mod memory;
pub mod model;
pub mod own_details;
pub mod parallel;
pub mod polylabel;
pub mod render;
pub mod search;
pub mod settings;
pub mod topology;
#[cfg(feature = "app")]
pub mod ui;
pub mod varint;
pub mod vintages;
pub mod workspace;

/// The data attribution that `../shared/data/README.md` requires in the app and every export.
pub const DATA_ATTRIBUTION: &[&str] = &[
    "Contains public sector information licensed under the Open Government Licence v3.0.",
    "Contains National Statistics data © Crown copyright and database right 2016–2025.",
    "Contains OS data © Crown copyright and database right 2016–2025.",
    "Postcodes: Contains Royal Mail data © Royal Mail copyright and database right 2025; Source: Office for National Statistics (NSPL, May 2025).",
    "Made with Natural Earth (public domain). Place names: GeoNames (CC BY 4.0).",
];

/// One line short enough for a map corner.
pub const SHORT_ATTRIBUTION: &str = "Contains OS data © Crown copyright and database right 2016–2025 · ONS/OGL v3.0 · Natural Earth · GeoNames (CC BY 4.0)";

static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// When the process started (first call wins; `main` calls it first), for start-up timings.
pub fn started() -> std::time::Instant {
    *STARTED.get_or_init(std::time::Instant::now)
}
