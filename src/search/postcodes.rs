//! Every English unit postcode with its position: the compact table built into the binary
//! (inflated from the binary once, then read in place) or one read from a `postcode,lat,lon` CSV.

use std::borrow::Cow;
use std::io::Read;

use geo::Coord;

use super::postcode_table::{self as table, Layout, Table, degrees_of_fixed};

/// Sorted postcodes with their positions, searched in place.
#[derive(Clone, Debug)]
pub struct PostcodeIndex {
    /// A table as [`table::encode`] writes it.
    bytes: Cow<'static, [u8]>,
    /// Its sections, read and checked when the index is made.
    layout: Layout,
}

#[derive(Debug, thiserror::Error)]
pub enum PostcodeError {
    #[error("the postcode file could not be decompressed ({0})")]
    Gzip(#[from] std::io::Error),
    #[error("line {line} of the postcode file is not \"postcode,lat,lon\": {text:?}")]
    BadLine { line: usize, text: String },
    #[error("the built-in postcode list is damaged ({0})")]
    Damaged(&'static str),
}

fn coord_of((lat, lon): (i32, i32)) -> Coord<f64> {
    Coord {
        x: degrees_of_fixed(lon),
        y: degrees_of_fixed(lat),
    }
}

impl PostcodeIndex {
    /// The table built into the binary, `None` when the build had no postcode list.
    /// The table is inflated from the binary on first use (kept for the process); nothing
    /// else is decoded up front.
    pub fn embedded() -> Option<Result<Self, PostcodeError>> {
        crate::embedded::POSTCODE_TABLE.get().map(Self::from_table)
    }

    /// The built-in table, opened once per process and shared (the inflated bytes are read in
    /// place, so a copy costs nothing). `None` when the build had no postcode list.
    pub fn shared() -> Option<Result<Self, String>> {
        static SHARED: std::sync::OnceLock<Option<Result<PostcodeIndex, String>>> =
            std::sync::OnceLock::new();
        SHARED
            .get_or_init(|| {
                Self::embedded().map(|r| {
                    r.map_err(|e| format!("The built-in postcodes could not be read: {e}"))
                })
            })
            .clone()
    }

    /// A table as [`table::encode`] writes it.
    pub fn from_table(bytes: &'static [u8]) -> Result<Self, PostcodeError> {
        Ok(Self {
            layout: Layout::read(bytes).map_err(PostcodeError::Damaged)?,
            bytes: Cow::Borrowed(bytes),
        })
    }

    /// Reads `postcode,lat,lon` CSV (header line first). Gzip is detected and decompressed.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PostcodeError> {
        let entries = if bytes.starts_with(&[0x1f, 0x8b]) {
            let mut text = Vec::with_capacity(bytes.len() * 5);
            flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut text)?;
            table::entries_of_csv(&text)
        } else {
            table::entries_of_csv(bytes)
        }
        .map_err(|(line, text)| PostcodeError::BadLine { line, text })?;
        let bytes = table::encode(entries);
        Ok(Self {
            layout: Layout::read(&bytes).map_err(PostcodeError::Damaged)?,
            bytes: Cow::Owned(bytes),
        })
    }

    fn table(&self) -> Table<'_> {
        self.layout.table(&self.bytes)
    }

    pub fn len(&self) -> usize {
        self.table().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Position of a unit postcode, in any case and spacing ("B15 2TT", "b152tt").
    pub fn get(&self, postcode: &str) -> Option<Coord<f64>> {
        let key = table::key_of_text(postcode.as_bytes())?;
        self.get_key(key)
    }

    /// Position of a postcode by its table key (see [`crate::search::query::unit_postcode_key`]).
    pub fn get_key(&self, key: u64) -> Option<Coord<f64>> {
        self.table().get(key).map(coord_of)
    }

    /// Every postcode of a district ("B15") or sector ("B15 2"), with its position.
    pub fn in_area(&self, area: &str) -> impl Iterator<Item = (String, Coord<f64>)> + '_ {
        let (outward, sector) = match area.split_once(' ') {
            Some((o, s)) => (o.as_bytes(), Some(s.as_bytes())),
            None => (area.as_bytes(), None),
        };
        let bounds = match sector {
            Some(digit) => {
                let high: Vec<u8> = digit.iter().copied().chain(*b"ZZ").collect();
                (table::pack(outward, digit), table::pack(outward, &high))
            }
            None => (table::pack(outward, b""), table::pack(outward, b"ZZZ")),
        };
        let range = match bounds {
            (Some(low), Some(high)) => Some(self.table().range(low, high)),
            _ => None,
        };
        range
            .into_iter()
            .flatten()
            .map(|(key, lat, lon)| (table::unpack(key), coord_of((lat, lon))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "postcode,lat,lon\r\nB1 1AA,52.47667,-1.90353\r\nB15 2TT,52.45,-1.93\r\nB15 2UA,52.451,-1.931\r\nB15 3AA,52.46,-1.94\r\nB1 5AA,52.40,-1.80\r\nSW1 1AA,51.5,-0.14\r\nSW1A 1AA,51.5,-0.14\r\nSW15 2AB,51.46,-0.22\r\n";

    #[test]
    fn lookups_by_unit_sector_and_district() {
        let index = PostcodeIndex::from_bytes(SAMPLE.as_bytes()).unwrap();
        assert_eq!(index.len(), 8);
        let c = index.get("B15 2TT").unwrap();
        assert!((c.y - 52.45).abs() < 1e-9 && (c.x - -1.93).abs() < 1e-9);
        assert_eq!(index.get("b152tt"), Some(c));
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
        assert_eq!(index.in_area("Q").count(), 0);
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

    #[test]
    fn a_damaged_table_is_refused_by_name() {
        let err =
            PostcodeIndex::from_table(b"FPPC and then thirty-odd bytes of nonsense").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the built-in postcode list is damaged (a postcode table of another version)"
        );
    }
}
