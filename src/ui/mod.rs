//! The egui user interface: panels that draw and return what the user asked for, and the app
//! that applies those requests once per frame.

pub mod app;
pub mod details;
pub mod map;
pub mod panels;

use std::path::PathBuf;

use crate::model::FieldChoice;
use crate::settings::{ThemeChoice, TileChoice};

/// Something the user asked for; the app applies it once, after drawing.
#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Select a footprint of the active layer (or clear the selection).
    Select(Option<usize>),
    SelectAndZoom(usize),
    ZoomIn,
    ZoomOut,
    /// Fit the whole active layer (England for the default footprints).
    FitAll,
    ZoomToSelection,
    OpenDialog,
    /// Type a path instead of using the system's file dialog.
    OpenPathPrompt,
    OpenPaths(Vec<PathBuf>),
    ActivateLayer(usize),
    CloseLayer(usize),
    SetFields(FieldChoice),
    SetTheme(ThemeChoice),
    SetTiles(TileChoice),
    ChoosePmTiles,
    ToggleLabels,
    TogglePlaces,
    ToggleFullscreen,
    ShowAbout,
    ShowShortcuts,
    ShowFields,
    DismissNotice(usize),
    CancelLoads,
    CopyText(String),
    Quit,
}
