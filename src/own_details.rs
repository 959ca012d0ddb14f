//! A planner's own details (leads, populations, members, notes) from a CSV or JSON file keyed by
//! area code, shown beside and over the built-in details.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// One file of details: per area code, its fields in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OwnDetails {
    pub path: PathBuf,
    pub by_code: HashMap<String, Vec<(String, String)>>,
    /// Codes given more than once (the last one is used).
    pub duplicates: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DetailsError {
    #[error("Could not read the details ({source}): {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("Not a details file ({problem}): {}", path.display())]
    Invalid { path: PathBuf, problem: String },
}

/// Rows read from a file: each area's code with its fields (name, value) in file order.
type Rows = Vec<(String, Vec<(String, String)>)>;

/// Column names that hold the area code, in order of preference.
const CODE_COLUMNS: &[&str] = &["code", "ons_code", "stp17cd", "stp21cd", "icb22cd", "id"];

fn is_code_column(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    CODE_COLUMNS.contains(&lower.as_str()) || (lower.len() > 4 && lower.ends_with("cd"))
}

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(text_of)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        other => Some(other.to_string()),
    }
}

impl OwnDetails {
    /// Reads a CSV (a code column and any others) or JSON (an object keyed by code, or a list of
    /// objects with a code) file.
    pub fn load(path: &Path) -> Result<Self, DetailsError> {
        let bytes = std::fs::read(path).map_err(|source| DetailsError::Io {
            path: path.to_owned(),
            source,
        })?;
        let invalid = |problem: String| DetailsError::Invalid {
            path: path.to_owned(),
            problem,
        };
        if crate::load::text::looks_binary(&bytes) {
            return Err(invalid("it is binary data, not text".into()));
        }
        let (text, _) = crate::load::text::to_utf8(&bytes);
        let text = String::from_utf8_lossy(&text);
        let text = text.trim_start_matches('\u{feff}');
        let rows = if text.trim_start().starts_with(['{', '[']) {
            Self::json_rows(text).map_err(invalid)?
        } else {
            Self::csv_rows(text).map_err(invalid)?
        };
        if rows.is_empty() {
            return Err(invalid("it has no rows with a code".into()));
        }
        let mut details = OwnDetails {
            path: path.to_owned(),
            ..Default::default()
        };
        for (code, fields) in rows {
            if details.by_code.insert(code.clone(), fields).is_some()
                && !details.duplicates.contains(&code)
            {
                details.duplicates.push(code);
            }
        }
        Ok(details)
    }

    fn csv_rows(text: &str) -> Result<Rows, String> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| format!("its header row cannot be read: {e}"))?
            .clone();
        let code = headers
            .iter()
            .position(is_code_column)
            .ok_or_else(|| "it has no code column (name one \"code\")".to_string())?;
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| format!("a row cannot be read: {e}"))?;
            let Some(key) = record.get(code).map(str::trim).filter(|c| !c.is_empty()) else {
                continue;
            };
            let fields = headers
                .iter()
                .zip(record.iter())
                .enumerate()
                .filter(|(i, (_, v))| *i != code && !v.trim().is_empty())
                .map(|(_, (h, v))| (h.trim().to_string(), v.trim().to_string()))
                .collect();
            rows.push((key.to_string(), fields));
        }
        Ok(rows)
    }

    fn json_rows(text: &str) -> Result<Rows, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
        let fields_of = |object: &serde_json::Map<String, Value>, skip: Option<&str>| {
            object
                .iter()
                .filter(|(k, _)| Some(k.as_str()) != skip)
                .filter_map(|(k, v)| text_of(v).map(|t| (k.clone(), t)))
                .collect::<Vec<_>>()
        };
        match value {
            Value::Object(map) => Ok(map
                .iter()
                .map(|(code, v)| match v {
                    Value::Object(fields) => (code.clone(), fields_of(fields, None)),
                    other => (
                        code.clone(),
                        text_of(other)
                            .map(|t| vec![("value".to_string(), t)])
                            .unwrap_or_default(),
                    ),
                })
                .collect()),
            Value::Array(items) => Ok(items
                .iter()
                .filter_map(Value::as_object)
                .filter_map(|object| {
                    let key = object.keys().find(|k| is_code_column(k))?;
                    let code = text_of(&object[key])?;
                    Some((code, fields_of(object, Some(key))))
                })
                .collect()),
            _ => Err("it is neither an object keyed by code nor a list of objects".into()),
        }
    }

    /// The codes that match no area among `known`, in sorted order.
    pub fn unmatched<'a>(&self, known: impl Fn(&str) -> bool + 'a) -> Vec<String> {
        let mut codes: Vec<String> = self.by_code.keys().filter(|c| !known(c)).cloned().collect();
        codes.sort();
        codes
    }

    /// A population the file gives for `code`, from a column named like "population".
    pub fn population(&self, code: &str) -> Option<u64> {
        self.by_code.get(code)?.iter().find_map(|(k, v)| {
            k.to_ascii_lowercase()
                .starts_with("pop")
                .then(|| v.replace([',', ' '], "").parse::<f64>().ok())
                .flatten()
                .filter(|p| *p >= 0.0)
                .map(|p| p.round() as u64)
        })
    }

    /// What to tell the user after loading, given which codes are known.
    pub fn summary(&self, unmatched: &[String]) -> String {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut text = format!("Your details from {name}: {} area(s)", self.by_code.len());
        if !unmatched.is_empty() {
            let shown: Vec<&str> = unmatched.iter().take(5).map(String::as_str).collect();
            text.push_str(&format!(
                "; {} code(s) match no area: {}{}",
                unmatched.len(),
                shown.join(", "),
                if unmatched.len() > 5 { ", …" } else { "" }
            ));
        }
        if !self.duplicates.is_empty() {
            text.push_str(&format!(
                "; given more than once (the last is used): {}",
                self.duplicates.join(", ")
            ));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn csv_with_unknown_and_duplicate_codes() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "leads.csv",
            "code,lead,population,notes\nE54000017,A. Planner,\"1,200,000\",checked\nE54000099,Nobody,,\nE54000017,B. Planner,,rechecked\n",
        );
        let details = OwnDetails::load(&path).unwrap();
        assert_eq!(details.duplicates, ["E54000017"]);
        assert_eq!(
            details.by_code["E54000017"],
            [
                ("lead".to_string(), "B. Planner".to_string()),
                ("notes".to_string(), "rechecked".to_string())
            ]
        );
        let unmatched = details.unmatched(|c| c.starts_with("E5400001"));
        assert_eq!(unmatched, ["E54000099"]);
        assert_eq!(
            details.summary(&unmatched),
            "Your details from leads.csv: 2 area(s); 1 code(s) match no area: E54000099; given more than once (the last is used): E54000017"
        );
    }

    #[test]
    fn json_keyed_by_code_or_as_a_list() {
        let dir = tempfile::tempdir().unwrap();
        let keyed = write(
            dir.path(),
            "keyed.json",
            r#"{"E54000017": {"lead": "A. Planner", "population": 1180567, "members": ["X CCG", "Y Council"]}}"#,
        );
        let details = OwnDetails::load(&keyed).unwrap();
        assert_eq!(details.population("E54000017"), Some(1_180_567));
        assert!(
            details.by_code["E54000017"].contains(&("members".into(), "X CCG; Y Council".into()))
        );
        let list = write(
            dir.path(),
            "list.json",
            r#"[{"STP17CD": "E54000017", "lead": "A. Planner"}, {"name": "no code"}]"#,
        );
        let details = OwnDetails::load(&list).unwrap();
        assert_eq!(details.by_code.len(), 1);
        assert_eq!(
            details.by_code["E54000017"],
            [("lead".into(), "A. Planner".into())]
        );
    }

    #[test]
    fn files_without_codes_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "names.csv", "name,lead\nBirmingham,A\n");
        assert_eq!(
            OwnDetails::load(&path).unwrap_err().to_string(),
            format!(
                "Not a details file (it has no code column (name one \"code\")): {}",
                path.display()
            )
        );
    }
}
