//! What a layer is opened from — a file or a built-in layer — as the window remembers it in its
//! settings and as every subcommand names it: one resolver ([`LayerRef::parse`]) and one loader
//! ([`LayerRef::load`]) for both.

use std::path::{Path, PathBuf};

use crate::model::{BuiltInId, Layer, LayerSource};

/// How the settings write a built-in layer among opened files: `builtin:stp2021`.
const BUILT_IN_PREFIX: &str = "builtin:";

/// A layer to open.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(from = "PathBuf", into = "PathBuf")]
pub enum LayerRef {
    File(PathBuf),
    BuiltIn(BuiltInId),
}

impl LayerRef {
    /// A name as given on the command line: a built-in layer's id (`stp2016`, `icb2026`, …)
    /// names that layer, anything else a file (`./icb2026` for a file of that name).
    pub fn parse(name: &str) -> LayerRef {
        match crate::vintages::built_in_id(name) {
            Some(id) => LayerRef::BuiltIn(id),
            None => LayerRef::File(PathBuf::from(name)),
        }
    }

    /// What a layer of this source is opened from again; `None` for layers made in the app.
    pub fn of_source(source: &LayerSource) -> Option<LayerRef> {
        match source {
            LayerSource::File(path) => Some(LayerRef::File(path.clone())),
            LayerSource::BuiltIn(id) => Some(LayerRef::BuiltIn(*id)),
            LayerSource::Made(_) => None,
        }
    }

    /// The file, when it is one (for the recent files).
    pub fn path(&self) -> Option<&Path> {
        match self {
            LayerRef::File(path) => Some(path),
            LayerRef::BuiltIn(_) => None,
        }
    }

    /// In words, for messages: the file's path or "the built-in layer icb2026".
    pub fn describe(&self) -> String {
        match self {
            LayerRef::File(path) => path.display().to_string(),
            LayerRef::BuiltIn(id) => format!("the built-in layer {}", id.as_str()),
        }
    }

    /// Reads the layer: a built-in one from the binary, a file with its populations from
    /// LSOAs when it has none and its codes are known (the same in the window and on the
    /// command line). `memory_per_byte` is what the reader may hold per byte of a file.
    pub fn load(
        &self,
        progress: &crate::load::Progress,
        memory_per_byte: u64,
    ) -> anyhow::Result<Layer> {
        match self {
            LayerRef::BuiltIn(id) if *id == BuiltInId::STP2016 => {
                match crate::defaults::default_footprints()? {
                    Some((layer, _)) => Ok(layer),
                    None => anyhow::bail!("this build has no built-in footprints: stp2016"),
                }
            }
            LayerRef::BuiltIn(id) => match crate::vintages::BuiltIn::by_id(id.as_str()) {
                Some(built_in) => Ok(built_in.load()?),
                None => anyhow::bail!("there is no built-in layer called {}", id.as_str()),
            },
            LayerRef::File(path) => {
                let mut layer = crate::load::load_path_needing(path, progress, memory_per_byte)?;
                crate::vintages::add_populations(&mut layer);
                Ok(layer)
            }
        }
    }
}

/// Settings name a built-in layer `builtin:ID`; any other path is a file (an id this build
/// does not know stays a path, whose loading then says it is not there).
impl From<PathBuf> for LayerRef {
    fn from(path: PathBuf) -> Self {
        let built_in = path
            .to_str()
            .and_then(|p| p.strip_prefix(BUILT_IN_PREFIX))
            .and_then(crate::vintages::built_in_id);
        match built_in {
            Some(id) => LayerRef::BuiltIn(id),
            None => LayerRef::File(path),
        }
    }
}

impl From<LayerRef> for PathBuf {
    fn from(layer: LayerRef) -> Self {
        match layer {
            LayerRef::File(path) => path,
            LayerRef::BuiltIn(id) => PathBuf::from(format!("{BUILT_IN_PREFIX}{}", id.as_str())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_to_built_ins_first_and_files_otherwise() {
        assert_eq!(
            LayerRef::parse("stp2016"),
            LayerRef::BuiltIn(BuiltInId::STP2016)
        );
        assert_eq!(
            LayerRef::parse("icb2026"),
            LayerRef::BuiltIn(crate::vintages::ICB2026)
        );
        assert_eq!(
            LayerRef::parse("./icb2026"),
            LayerRef::File("./icb2026".into())
        );
        assert_eq!(
            LayerRef::parse("sites.geojson"),
            LayerRef::File("sites.geojson".into())
        );
    }

    #[test]
    fn settings_keep_the_form_they_always_had() {
        let refs = vec![
            LayerRef::BuiltIn(crate::vintages::ICB2026),
            LayerRef::File("/data/a.geojson".into()),
        ];
        let json = serde_json::to_string(&refs).unwrap();
        assert_eq!(json, r#"["builtin:icb2026","/data/a.geojson"]"#);
        let back: Vec<LayerRef> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, refs);
        // An id this build does not know stays a path (its load then says so).
        let unknown: LayerRef = serde_json::from_str(r#""builtin:nowhere""#).unwrap();
        assert_eq!(unknown, LayerRef::File("builtin:nowhere".into()));
    }
}
