//! Settings remembered between runs, and atomic file writing (temp file + rename).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::FieldChoice;

/// Light, dark, or whatever the system uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

/// What is drawn under the footprints.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TileChoice {
    /// The embedded vector basemap only (no network).
    #[default]
    Offline,
    /// OpenStreetMap raster tiles over the offline basemap (needs the network).
    OpenStreetMap,
    /// A local `.pmtiles` file over the offline basemap.
    PmTiles(PathBuf),
    /// A tile server of the user's own (an organisation's, say): an XYZ URL template with
    /// `{z}`, `{x}` and `{y}`, over the offline basemap.
    Server(String),
}

/// Where the map was looking.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    pub lon: f64,
    pub lat: f64,
    pub zoom: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub view: Option<SavedView>,
    pub theme: ThemeChoice,
    pub tiles: TileChoice,
    pub show_labels: bool,
    pub show_places: bool,
    /// Layers open when the app last closed, files and built-in ones (the default layer is
    /// implied when empty).
    pub open_files: Vec<crate::layer_ref::LayerRef>,
    /// Most recent first.
    pub recent_files: Vec<PathBuf>,
    /// Code/name fields the user chose, per file.
    pub field_choices: BTreeMap<PathBuf, FieldChoice>,
    pub colour_by: crate::render::style::ColourBy,
    pub palette: crate::render::style::Palette,
    pub label_mode: crate::render::style::LabelMode,
    /// The user's own details files (CSV or JSON keyed by code), reloaded at start.
    pub details_files: Vec<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            view: None,
            theme: ThemeChoice::System,
            tiles: TileChoice::Offline,
            show_labels: true,
            show_places: true,
            open_files: Vec::new(),
            recent_files: Vec::new(),
            field_choices: BTreeMap::new(),
            colour_by: Default::default(),
            palette: Default::default(),
            label_mode: Default::default(),
            details_files: Vec::new(),
        }
    }
}

/// How many recent files are remembered.
pub const MAX_RECENT: usize = 10;

impl Settings {
    pub fn remember_recent(&mut self, path: &Path) {
        self.recent_files.retain(|p| p != path);
        self.recent_files.insert(0, path.to_owned());
        self.recent_files.truncate(MAX_RECENT);
    }
}

/// The settings file: `$FOOTPRINTS_CONFIG_DIR/settings.json`, else the user's config folder.
pub fn settings_path() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("FOOTPRINTS_CONFIG_DIR") {
        return Some(PathBuf::from(dir).join("settings.json"));
    }
    directories::ProjectDirs::from("uk", "Footprints", "footprints")
        .map(|d| d.config_dir().join("settings.json"))
}

/// Reads settings. A missing file gives defaults silently; an unreadable or corrupt one gives
/// defaults, is moved aside to `settings.json.bak`, and a notice says so.
pub fn load(path: &Path) -> (Settings, Option<String>) {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Settings::default(), None),
        Err(e) => {
            return (
                Settings::default(),
                Some(format!(
                    "Settings could not be read ({e}); using defaults: {}",
                    path.display()
                )),
            );
        }
    };
    match serde_json::from_slice::<Settings>(&bytes) {
        Ok(settings) => (settings, None),
        Err(e) => {
            let backup = path.with_extension("json.bak");
            let kept = std::fs::rename(path, &backup).is_ok();
            let aside = if kept {
                format!("; the broken file was kept as {}", backup.display())
            } else {
                String::new()
            };
            (
                Settings::default(),
                Some(format!(
                    "Settings were corrupt ({e}) and defaults are used{aside}: {}",
                    path.display()
                )),
            )
        }
    }
}

/// The settings as their file holds them.
pub fn to_json(settings: &Settings) -> Vec<u8> {
    // Plain data (strings, numbers, paths as strings): serde_json writes it or nothing.
    serde_json::to_vec_pretty(settings).unwrap_or_default()
}

/// Saves settings atomically.
pub fn save(path: &Path, settings: &Settings) -> std::io::Result<()> {
    crate::fs::write_atomically(path, &to_json(settings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/settings.json");
        let mut settings = Settings {
            view: Some(SavedView {
                lon: -1.9,
                lat: 52.5,
                zoom: 8.0,
            }),
            theme: ThemeChoice::Dark,
            ..Settings::default()
        };
        settings.remember_recent(Path::new("/data/a.geojson"));
        save(&path, &settings).unwrap();
        let (loaded, notice) = load(&path);
        assert_eq!(notice, None);
        assert_eq!(loaded, settings);
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temporary file left behind");
    }

    #[test]
    fn corrupt_settings_are_kept_aside_and_defaults_used() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, b"{ this is not json").unwrap();
        let (loaded, notice) = load(&path);
        assert_eq!(loaded, Settings::default());
        let notice = notice.unwrap();
        assert!(notice.starts_with("Settings were corrupt"), "{notice}");
        assert!(notice.ends_with(&path.display().to_string()));
        assert_eq!(
            std::fs::read(path.with_extension("json.bak")).unwrap(),
            b"{ this is not json"
        );
        assert!(!path.exists());
    }

    #[test]
    fn recent_files_are_most_recent_first_and_unique() {
        let mut s = Settings::default();
        for name in ["a", "b", "a"] {
            s.remember_recent(Path::new(name));
        }
        assert_eq!(s.recent_files, vec![PathBuf::from("a"), PathBuf::from("b")]);
    }
}
