//! The integration tests, built as one test binary: one link instead of nineteen, and one copy
//! of the app and its embedded data on disk (each test binary carries both). Each file beside
//! this one is a module; run one with `cargo test --test all <file>::`, e.g. `which::`.

mod common;

mod build;
mod builder;
mod cli;
mod compare;
mod default_data;
mod every_postcode;
mod export;
mod facts;
mod faults;
mod fuzz_regressions;
mod imports;
mod layers;
mod levels_of_detail;
mod ostn15;
mod outputs;
mod pack;
mod render;
mod robustness;
mod tiles;
mod ui;
mod ui_builder;
mod which;
