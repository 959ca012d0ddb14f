//! The egui user interface: panels that draw and return what the user asked for, and the app
//! that applies those requests once per frame.

pub mod app;
pub mod builder;
pub mod camera;
pub mod compare;
pub mod details;
pub mod job;
pub mod keymap;
pub mod list;
pub mod map;
pub mod menu_bar;
pub mod panels;
pub mod people;
pub mod present;
pub mod search;
pub mod start;
pub mod theme;
pub mod windows;

use std::path::PathBuf;

use crate::model::FieldChoice;
use crate::settings::{ThemeChoice, TileChoice};

/// What can be asked of the open layers, each by its id.
#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum LayerAction {
    Activate(crate::workspace::LayerId),
    Close(crate::workspace::LayerId),
    /// Shows or hides a layer.
    Show(crate::workspace::LayerId, bool),
    SetOpacity(crate::workspace::LayerId, f32),
    /// Moves a layer up (drawn later) or down the panel.
    Move(crate::workspace::LayerId, bool),
    /// Opens the compare window.
    ShowCompare,
    /// Picks the compare window's (older, newer) layers.
    PickCompare(crate::workspace::LayerId, crate::workspace::LayerId),
    /// Compares two open layers (older, newer) in the background.
    Compare(crate::workspace::LayerId, crate::workspace::LayerId),
}

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
    /// The open layers: which is active, shown, in what order; compare.
    Layer(LayerAction),
    SetFields(FieldChoice),
    SetTheme(ThemeChoice),
    SetTiles(TileChoice),
    ChoosePmTiles,
    ToggleLabels,
    SetColourBy(crate::render::style::ColourBy),
    SetPalette(crate::render::style::Palette),
    SetLabelMode(crate::render::style::LabelMode),
    TogglePlaces,
    ToggleFullscreen,
    ShowAbout,
    ShowShortcuts,
    ShowFields,
    DismissNotice(usize),
    CancelLoads,
    /// Asks for a details file (a dialog, or a path typed in).
    ChooseDetails,
    /// Loads the user's own details from a CSV or JSON file.
    LoadDetails(std::path::PathBuf),
    /// Forgets a details file.
    ForgetDetails(std::path::PathBuf),
    /// Opens a built-in layer (by its id, e.g. `stp2021`).
    AddBuiltIn(crate::model::BuiltInId),
    CopyText(String),
    /// Look up what was typed in the search box.
    Search(String),
    /// Go to one place of the gazetteer (a suggestion or a choice).
    GoToPlace(usize),
    FocusSearch,
    ToggleList,
    /// Show what is at a point (right-click), or close that window.
    WhatsHere(Option<(geo::Coord<f64>, egui::Pos2)>),
    /// Drop the search pin and its message.
    ClearSearch,
    /// Presentation mode: enter (F5), leave (Esc), step, or back to the overview (Home).
    ShowExport,
    /// The board pack form: a cover and a page per footprint of the active layer.
    ShowExportPack,
    /// Stop the board pack being made.
    CancelPack,
    /// Write the export described in the export window (replacing an existing file if set).
    Export {
        replace: bool,
    },
    StartPresentation,
    StopPresentation,
    PresentNext,
    PresentPrevious,
    PresentOverview,
    Quit,
    /// The footprint builder's requests.
    Build(crate::ui::builder::BuildAction),
}
