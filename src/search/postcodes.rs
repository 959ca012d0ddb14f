//! Every English unit postcode with its position, in a compact sorted table (16 bytes each),
//! read from the ONS-derived `postcode,lat,lon` CSV (optionally gzipped).

use std::io::Read;

use geo::Coord;

/// Sorted postcode keys with their positions.
#[derive(Clone, Debug, Default)]
pub struct PostcodeIndex {
    keys: Vec<u64>,
    positions: Vec<[f32; 2]>,
}

#[derive(Debug, thiserror::Error)]
pub enum PostcodeError {
    #[error("the postcode file could not be decompressed ({0})")]
    Gzip(#[from] std::io::Error),
    #[error("line {line} of the postcode file is not \"postcode,lat,lon\": {text:?}")]
    BadLine { line: usize, text: String },
}

/// Characters of a padded postcode, in sort order: space, digits, letters.
fn char_value(c: u8) -> Option<u64> {
    match c {
        b' ' => Some(0),
        b'0'..=b'9' => Some(1 + (c - b'0') as u64),
        b'A'..=b'Z' => Some(11 + (c - b'A') as u64),
        _ => None,
    }
}

/// Packs outward (up to 4 characters, padded) and inward (up to 3) into a number that sorts
/// like the postcodes do, district first.
fn pack(outward: &str, inward: &str) -> Option<u64> {
    if outward.len() > 4 || inward.len() > 3 {
        return None;
    }
    let mut key = 0u64;
    let padded = format!("{outward:<4}{inward:<3}");
    for c in padded.bytes() {
        key = key * 37 + char_value(c)?;
    }
    Some(key)
}

/// The key of a normalised unit postcode such as "B15 2TT".
pub fn key_of(postcode: &str) -> Option<u64> {
    let (outward, inward) = postcode.split_once(' ')?;
    pack(outward, inward)
}

fn unpack(mut key: u64) -> String {
    let mut chars = [b' '; 7];
    for slot in chars.iter_mut().rev() {
        let v = (key % 37) as u8;
        key /= 37;
        *slot = match v {
            0 => b' ',
            1..=10 => b'0' + v - 1,
            _ => b'A' + v - 11,
        };
    }
    let text = String::from_utf8_lossy(&chars).into_owned();
    let (outward, inward) = text.split_at(4);
    format!("{} {}", outward.trim_end(), inward.trim_end())
}

impl PostcodeIndex {
    /// Reads `postcode,lat,lon` CSV (header line first). Gzip is detected and decompressed.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PostcodeError> {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut text = Vec::with_capacity(bytes.len() * 5);
            flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut text)?;
            Self::from_csv(&text)
        } else {
            Self::from_csv(bytes)
        }
    }

    fn from_csv(text: &[u8]) -> Result<Self, PostcodeError> {
        let mut entries: Vec<(u64, [f32; 2])> = Vec::with_capacity(text.len() / 26);
        for (number, line) in text.split(|&b| b == b'\n').enumerate().skip(1) {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            let bad = || PostcodeError::BadLine {
                line: number + 1,
                text: String::from_utf8_lossy(line).into_owned(),
            };
            let mut fields = line.split(|&b| b == b',');
            let (Some(code), Some(lat), Some(lon)) = (fields.next(), fields.next(), fields.next())
            else {
                return Err(bad());
            };
            let code = std::str::from_utf8(code).map_err(|_| bad())?;
            let parse =
                |f: &[u8]| -> Option<f32> { std::str::from_utf8(f).ok()?.trim().parse().ok() };
            let Some(normalised) = super::query::normalise_postcode(code) else {
                return Err(bad());
            };
            let (Some(key), Some(lat), Some(lon)) = (key_of(&normalised), parse(lat), parse(lon))
            else {
                return Err(bad());
            };
            entries.push((key, [lon, lat]));
        }
        entries.sort_unstable_by_key(|e| e.0);
        entries.dedup_by_key(|e| e.0);
        let (keys, positions) = entries.into_iter().unzip();
        Ok(Self { keys, positions })
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Position of a normalised unit postcode ("B15 2TT").
    pub fn get(&self, postcode: &str) -> Option<Coord<f64>> {
        let key = key_of(postcode)?;
        let i = self.keys.binary_search(&key).ok()?;
        let [lon, lat] = self.positions[i];
        Some(Coord {
            x: lon as f64,
            y: lat as f64,
        })
    }

    /// Every postcode of a district ("B15") or sector ("B15 2"), with its position.
    pub fn in_area(&self, area: &str) -> impl Iterator<Item = (String, Coord<f64>)> + '_ {
        let (outward, sector) = match area.split_once(' ') {
            Some((o, s)) => (o, Some(s)),
            None => (area, None),
        };
        let (low, high) = match sector {
            Some(digit) => (pack(outward, digit), pack(outward, &format!("{digit}ZZ"))),
            None => (pack(outward, ""), pack(outward, "ZZZ")),
        };
        let range = match (low, high) {
            (Some(low), Some(high)) => {
                let start = self.keys.partition_point(|&k| k < low);
                let end = self.keys.partition_point(|&k| k <= high);
                start..end
            }
            _ => 0..0,
        };
        range.map(move |i| {
            let [lon, lat] = self.positions[i];
            (
                unpack(self.keys[i]),
                Coord {
                    x: lon as f64,
                    y: lat as f64,
                },
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "postcode,lat,lon\r\nB1 1AA,52.47667,-1.90353\r\nB15 2TT,52.45,-1.93\r\nB15 2UA,52.451,-1.931\r\nB15 3AA,52.46,-1.94\r\nB1 5AA,52.40,-1.80\r\nSW1 1AA,51.5,-0.14\r\nSW1A 1AA,51.5,-0.14\r\nSW15 2AB,51.46,-0.22\r\n";

    #[test]
    fn keys_sort_like_postcodes_and_round_trip() {
        let codes = [
            "B1 1AA", "B1 5AA", "B15 2TT", "B15 3AA", "B152 9ZZ", "BA1 0AA",
        ];
        let keys: Vec<u64> = codes.iter().map(|c| key_of(c).unwrap()).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{codes:?}");
        for c in codes {
            assert_eq!(unpack(key_of(c).unwrap()), c);
        }
    }

    #[test]
    fn lookups_by_unit_sector_and_district() {
        let index = PostcodeIndex::from_bytes(SAMPLE.as_bytes()).unwrap();
        assert_eq!(index.len(), 8);
        let c = index.get("B15 2TT").unwrap();
        assert!((c.y - 52.45).abs() < 1e-5 && (c.x - -1.93).abs() < 1e-5);
        assert_eq!(index.get("B15 2TU"), None);
        let sector: Vec<String> = index.in_area("B15 2").map(|(c, _)| c).collect();
        assert_eq!(sector, vec!["B15 2TT", "B15 2UA"]);
        let district: Vec<String> = index.in_area("B15").map(|(c, _)| c).collect();
        assert_eq!(
            district,
            vec!["B15 2TT", "B15 2UA", "B15 3AA"],
            "B1 5AA and B152 stay out"
        );
        let b1: Vec<String> = index.in_area("B1").map(|(c, _)| c).collect();
        assert_eq!(b1, vec!["B1 1AA", "B1 5AA"]);
    }

    #[test]
    fn gzip_is_read_and_bad_lines_are_named() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(SAMPLE.as_bytes()).unwrap();
        let index = PostcodeIndex::from_bytes(&gz.finish().unwrap()).unwrap();
        assert_eq!(index.len(), 8);
        let err = PostcodeIndex::from_bytes(b"postcode,lat,lon\nB15 2TT,x,y\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2 of the postcode file is not \"postcode,lat,lon\": \"B15 2TT,x,y\""
        );
    }
}
