//! The command line: subcommands that use the same domain modules as the app.

#[cfg(feature = "app")]
pub mod bench;
pub mod bench_edits;
pub mod build;
pub mod compare;
pub mod console;
pub mod export;
pub mod info;
pub mod pack;
pub mod which;
