//! Choosing which properties hold each feature's code and name (ONS `xxxxYYCD`/`xxxxYYNM` first).

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::model::{FieldChoice, shortened, text_of};

/// Property keys in the order first seen across all features.
pub fn property_keys<'a>(properties: impl Iterator<Item = &'a Map<String, Value>>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut keys = Vec::new();
    for map in properties {
        for key in map.keys() {
            if seen.insert(key.as_str().to_owned()) {
                keys.push(key.clone());
            }
        }
    }
    keys
}

/// `Some(prefix)` for an ONS code key such as `STP17CD` → `STP17`.
fn ons_code_prefix(key: &str) -> Option<&str> {
    let upper_ok = key.len() > 4 && key.is_char_boundary(key.len() - 2);
    if !upper_ok {
        return None;
    }
    let (prefix, suffix) = key.split_at(key.len() - 2);
    if !suffix.eq_ignore_ascii_case("CD") {
        return None;
    }
    let bytes = prefix.as_bytes();
    let n = bytes.len();
    let year_digits = n >= 3 && bytes[n - 1].is_ascii_digit() && bytes[n - 2].is_ascii_digit();
    let letters = bytes[..n - 2].iter().all(u8::is_ascii_alphabetic) && n > 2;
    (year_digits && letters).then_some(prefix)
}

/// How well `key` works as an identifier: share of features with a distinct, non-empty value.
fn uniqueness(key: &str, features: &[&Map<String, Value>]) -> f64 {
    if features.is_empty() {
        return 0.0;
    }
    let mut seen = HashSet::new();
    let mut good = 0usize;
    for props in features {
        if let Some(text) = props.get(key).and_then(text_of)
            && seen.insert(text)
        {
            good += 1;
        }
    }
    good as f64 / features.len() as f64
}

fn mostly_text(key: &str, features: &[&Map<String, Value>]) -> bool {
    let strings = features
        .iter()
        .filter(|p| matches!(p.get(key), Some(Value::String(s)) if !s.trim().is_empty()))
        .count();
    strings * 2 > features.len()
}

/// Picks the code and name fields for a set of features.
pub fn detect(keys: &[String], features: &[&Map<String, Value>]) -> FieldChoice {
    // 1. ONS pairs: XXXXyyCD with XXXXyyNM.
    let mut best_pair: Option<(f64, &String, Option<&String>)> = None;
    for key in keys {
        if let Some(prefix) = ons_code_prefix(key) {
            // Compared as bytes: another key may have a multi-byte character anywhere.
            let name_key = keys.iter().find(|k| {
                let (k, n) = (k.as_bytes(), prefix.len());
                k.len() == key.len()
                    && k[..n].eq_ignore_ascii_case(prefix.as_bytes())
                    && k[n..].eq_ignore_ascii_case(b"NM")
            });
            let score = uniqueness(key, features) + if name_key.is_some() { 0.5 } else { 0.0 };
            if best_pair.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best_pair = Some((score, key, name_key));
            }
        }
    }
    let code = match best_pair {
        Some((_, code, _)) => Some(code.clone()),
        None => fallback_code(keys, features),
    };
    let name = match best_pair.and_then(|(_, _, name)| name) {
        Some(name) => Some(name.clone()),
        None => fallback_name(keys, features, code.as_deref()),
    };
    FieldChoice { code, name }
}

fn fallback_code(keys: &[String], features: &[&Map<String, Value>]) -> Option<String> {
    const EXACT: &[&str] = &[
        "code", "ons_code", "gss_code", "geo_code", "id", "objectid", "fid",
    ];
    let lower = |k: &String| k.to_ascii_lowercase();
    let score = |k: &String| -> Option<f64> {
        let l = lower(k);
        let named = if let Some(rank) = EXACT.iter().position(|e| *e == l) {
            3.0 - rank as f64 * 0.1
        } else if l.ends_with("cd") || l.ends_with("code") || l.ends_with("_id") {
            2.0
        } else {
            return None;
        };
        let unique = uniqueness(k, features);
        (unique > 0.5).then_some(named + unique)
    };
    best_first(keys, score)
}

fn fallback_name(
    keys: &[String],
    features: &[&Map<String, Value>],
    code: Option<&str>,
) -> Option<String> {
    let score = |k: &String| -> Option<f64> {
        if Some(k.as_str()) == code || !mostly_text(k, features) {
            return None;
        }
        let l = k.to_ascii_lowercase();
        let named = if l == "name" {
            4.0
        } else if l.starts_with("name") {
            3.5
        } else if l.ends_with("nm") || l.ends_with("name") || l.contains("_name") {
            3.0
        } else if l == "title" || l == "label" {
            2.5
        } else {
            return None;
        };
        Some(named + uniqueness(k, features))
    };
    best_first(keys, score)
}

/// The highest-scoring key; on a tie the one that comes first in the file.
fn best_first(keys: &[String], score: impl Fn(&String) -> Option<f64>) -> Option<String> {
    let mut best: Option<(f64, &String)> = None;
    for key in keys {
        if let Some(s) = score(key)
            && best.is_none_or(|(b, _)| s > b)
        {
            best = Some((s, key));
        }
    }
    best.map(|(_, k)| k.clone())
}

/// A property's value for display: strings as they are, null as "—", anything else as JSON;
/// at most `max` characters, without writing out the whole of a huge value.
pub fn display_value(value: &Value, max: usize) -> String {
    use std::io::Write;
    let text = match value {
        Value::String(s) => return shortened(s, max),
        Value::Null => return "—".to_string(),
        other => other,
    };
    /// Keeps the first bytes written and then refuses more, which stops serde early.
    struct Limited(Vec<u8>, usize);
    impl Write for Limited {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.0.len() >= self.1 {
                return Err(std::io::Error::other("enough"));
            }
            self.0.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut out = Limited(Vec::new(), max * 4 + 4);
    let _ = serde_json::to_writer(&mut out, text);
    shortened(&String::from_utf8_lossy(&out.0), max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_with_accented_letters_beside_an_ons_code_do_not_break_detection() {
        // Found by fuzzing: a key as long as WARD13CD with a two-byte letter across the cut.
        let features = [json!({"WARD13CD": "E05000001", "WND13ÈM": "x"})];
        let choice = choose(&features);
        assert_eq!(choice.code.as_deref(), Some("WARD13CD"));
    }

    #[test]
    fn huge_values_are_shown_short_without_being_written_out() {
        let long = "x".repeat(5_000_000);
        assert_eq!(display_value(&json!(long), 10), "xxxxxxxxxx…");
        let big: Vec<u32> = (0..1_000_000).collect();
        let shown = display_value(&json!(big), 20);
        assert_eq!(shown, "[0,1,2,3,4,5,6,7,8,9…");
        assert_eq!(display_value(&json!(null), 10), "—");
        assert_eq!(display_value(&json!(12.5), 10), "12.5");
        assert_eq!(shortened("Côte", 3), "Côt…");
    }

    fn choose(features: &[Value]) -> FieldChoice {
        let maps: Vec<&Map<String, Value>> = features.iter().filter_map(Value::as_object).collect();
        let keys = property_keys(maps.iter().copied());
        detect(&keys, &maps)
    }

    #[test]
    fn ons_code_and_name_pairs_are_found() {
        let features = [
            json!({"OBJECTID": 1, "ICB22CD": "E54000008", "ICB22NM": "NHS Cheshire and Merseyside ICB"}),
            json!({"OBJECTID": 2, "ICB22CD": "E54000010", "ICB22NM": "NHS Staffordshire ICB"}),
        ];
        let fields = choose(&features);
        assert_eq!(fields.code.as_deref(), Some("ICB22CD"));
        assert_eq!(fields.name.as_deref(), Some("ICB22NM"));
    }

    #[test]
    fn lower_case_ons_fields_are_found_too() {
        let features = [
            json!({"lad19cd": "E06000001", "lad19nm": "Hartlepool"}),
            json!({"lad19cd": "E06000002", "lad19nm": "Middlesbrough"}),
        ];
        let fields = choose(&features);
        assert_eq!(fields.code.as_deref(), Some("lad19cd"));
        assert_eq!(fields.name.as_deref(), Some("lad19nm"));
    }

    #[test]
    fn default_footprint_file_uses_stp17cd_and_name_2016() {
        let features = [
            json!({"STP17CD": "E54000005", "name_2016": "West Yorkshire", "name_2018_ons": "West Yorkshire and Harrogate", "leader_name": "Rob Webster"}),
            json!({"STP17CD": "E54000006", "name_2016": "Coast, Humber and Vale", "name_2018_ons": "Humber, Coast and Vale", "leader_name": "Emma Latimer"}),
        ];
        let fields = choose(&features);
        assert_eq!(fields.code.as_deref(), Some("STP17CD"));
        assert_eq!(fields.name.as_deref(), Some("name_2016"));
    }

    #[test]
    fn plain_code_and_name_are_fallbacks() {
        let features = [
            json!({"code": "A", "Name": "Alpha", "value": 3}),
            json!({"code": "B", "Name": "Beta", "value": 4}),
        ];
        let fields = choose(&features);
        assert_eq!(fields.code.as_deref(), Some("code"));
        assert_eq!(fields.name.as_deref(), Some("Name"));
    }

    #[test]
    fn missing_fields_fall_back_to_the_feature_number() {
        let props = Map::new();
        let (code, name) = FieldChoice::default().code_and_name(&props, 6);
        assert_eq!(code, "#7");
        assert_eq!(name, "#7");
    }
}
