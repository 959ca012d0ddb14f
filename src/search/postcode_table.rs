//! The compact postcode table: every unit postcode as a sorted key with a fixed-point position,
//! stored in blocks of delta-coded entries and searched in place (no per-postcode allocation).
//!
//! Plain `std` only: `build.rs` includes this file to write the table into the binary at build
//! time, and the library reads the same bytes back.
//!
//! Layout (little-endian):
//! ```text
//! "FPPC" | version u32 | count u32 | block_len u32 | blocks u32 | data_len u32
//!        | radix_shift u32 | radix_len u32
//! radix              u32 × radix_len  (entry r: blocks whose first key < r << radix_shift)
//! block first keys   u64 × blocks
//! block data offsets u32 × blocks
//! block first lat    i32 × blocks   (degrees × 100,000)
//! block first lon    i32 × blocks
//! data: for each block, for its entries after the first: their positions as offsets from
//!       the first's, (lat, lon) as i16 pairs, or as i32 pairs when the block's offset has its
//!       top bit set (a block spread over more than a third of a degree); then their keys as
//!       varint(key − previous key)
//! ```
//! Keys are scanned (about a byte each); a position is read straight from its slot.

/// Fixed-point units per degree: the source gives five decimal places (about a metre).
pub const UNITS_PER_DEGREE: f64 = 100_000.0;

use std::ops::Range;

use crate::varint;

const MAGIC: &[u8; 4] = b"FPPC";
const VERSION: u32 = 3;
/// The top bit of a block's offset: its positions are stored in 32 bits.
const WIDE: u32 = 1 << 31;
const HEADER_LEN: usize = 32;
/// Keys are below 37⁷ < 2³⁷; shifted by this they fall in 2¹⁶ radix buckets, so a lookup
/// searches a handful of blocks instead of all of them.
const RADIX_SHIFT: u32 = 21;
/// Entries per block: small enough that a lookup decodes a few dozen bytes.
const BLOCK_LEN: usize = 32;

/// One postcode: key (see [`pack`]), latitude and longitude in fixed point.
pub type Entry = (u64, i32, i32);

/// Characters of a padded postcode, in sort order: space, digits, letters.
fn char_value(c: u8) -> Option<u64> {
    match c {
        b' ' => Some(0),
        b'0'..=b'9' => Some(1 + (c - b'0') as u64),
        b'A'..=b'Z' => Some(11 + (c - b'A') as u64),
        _ => None,
    }
}

/// Packs an outward code (up to 4 characters) and an inward part (up to 3) into a number that
/// sorts like the postcodes do, district first. `None` for other characters or lengths.
pub fn pack(outward: &[u8], inward: &[u8]) -> Option<u64> {
    if outward.len() > 4 || inward.len() > 3 {
        return None;
    }
    let mut key = 0u64;
    for i in 0..7 {
        let c = if i < 4 {
            outward.get(i).copied().unwrap_or(b' ')
        } else {
            inward.get(i - 4).copied().unwrap_or(b' ')
        };
        key = key * 37 + char_value(c)?;
    }
    Some(key)
}

/// The postcode a key stands for, as "B15 2TT".
pub fn unpack(mut key: u64) -> String {
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

/// The key of a postcode written with or without spaces, in either case ("b15 2tt").
/// Only the shape "outward code, then three characters" is checked here.
pub fn key_of_text(text: &[u8]) -> Option<u64> {
    let mut compact = [0u8; 7];
    let mut len = 0;
    for &c in text {
        if c.is_ascii_whitespace() {
            continue;
        }
        if len == 7 {
            return None;
        }
        compact[len] = c.to_ascii_uppercase();
        len += 1;
    }
    if len < 5 {
        return None;
    }
    pack(&compact[..len - 3], &compact[len - 3..len])
}

/// Degrees as text ("-1.90353") to fixed point, exactly for up to five decimals.
pub fn fixed_of_text(text: &str) -> Option<i32> {
    let value: f64 = text.trim().parse().ok()?;
    let units = (value * UNITS_PER_DEGREE).round();
    (units.is_finite() && units.abs() < i32::MAX as f64).then_some(units as i32)
}

/// Fixed point back to degrees.
pub fn degrees_of_fixed(units: i32) -> f64 {
    units as f64 / UNITS_PER_DEGREE
}

/// Reads `postcode,lat,lon` CSV text (header first). On a bad line: its number and text.
pub fn entries_of_csv(text: &[u8]) -> Result<Vec<Entry>, (usize, String)> {
    let mut entries = Vec::with_capacity(text.len() / 26);
    for (number, line) in text.split(|&b| b == b'\n').enumerate().skip(1) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let bad = || (number + 1, String::from_utf8_lossy(line).into_owned());
        let mut fields = line.split(|&b| b == b',');
        let (Some(code), Some(lat), Some(lon)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(bad());
        };
        let number_of = |f: &[u8]| std::str::from_utf8(f).ok().and_then(fixed_of_text);
        match (key_of_text(code), number_of(lat), number_of(lon)) {
            (Some(key), Some(lat), Some(lon)) => entries.push((key, lat, lon)),
            _ => return Err(bad()),
        }
    }
    Ok(entries)
}

/// Encodes entries as a table (sorted, and the first of any repeated key kept).
pub fn encode(mut entries: Vec<Entry>) -> Vec<u8> {
    entries.sort_by_key(|e| e.0);
    entries.dedup_by_key(|e| e.0);
    let blocks: Vec<&[Entry]> = entries.chunks(BLOCK_LEN).collect();
    let mut data = Vec::new();
    let mut offsets = Vec::with_capacity(blocks.len());
    for block in &blocks {
        let (first, rest) = (block[0], &block[1..]);
        let offset = |e: &Entry| (e.1 as i64 - first.1 as i64, e.2 as i64 - first.2 as i64);
        let narrow = rest.iter().all(|e| {
            let (dlat, dlon) = offset(e);
            i16::try_from(dlat).is_ok() && i16::try_from(dlon).is_ok()
        });
        offsets.push(data.len() as u32 | if narrow { 0 } else { WIDE });
        for e in rest {
            let (dlat, dlon) = offset(e);
            if narrow {
                data.extend_from_slice(&(dlat as i16).to_le_bytes());
                data.extend_from_slice(&(dlon as i16).to_le_bytes());
            } else {
                data.extend_from_slice(&(dlat as i32).to_le_bytes());
                data.extend_from_slice(&(dlon as i32).to_le_bytes());
            }
        }
        let mut previous = first.0;
        for e in rest {
            varint::put(&mut data, e.0 - previous);
            previous = e.0;
        }
    }
    let buckets = blocks
        .last()
        .map_or(0, |b| (b[0].0 >> RADIX_SHIFT) as usize + 1);
    let radix: Vec<u32> = (0..=buckets)
        .map(|r| blocks.partition_point(|b| b[0].0 < (r as u64) << RADIX_SHIFT) as u32)
        .collect();
    let mut out = Vec::with_capacity(HEADER_LEN + radix.len() * 4 + blocks.len() * 20 + data.len());
    out.extend_from_slice(MAGIC);
    for n in [
        VERSION,
        entries.len() as u32,
        BLOCK_LEN as u32,
        blocks.len() as u32,
        data.len() as u32,
        RADIX_SHIFT,
        radix.len() as u32,
    ] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    for r in &radix {
        out.extend_from_slice(&r.to_le_bytes());
    }
    for block in &blocks {
        out.extend_from_slice(&block[0].0.to_le_bytes());
    }
    for offset in &offsets {
        out.extend_from_slice(&offset.to_le_bytes());
    }
    for block in &blocks {
        out.extend_from_slice(&block[0].1.to_le_bytes());
    }
    for block in &blocks {
        out.extend_from_slice(&block[0].2.to_le_bytes());
    }
    out.extend_from_slice(&data);
    out
}

/// A table read in place from its bytes.
#[derive(Clone, Copy, Debug)]
pub struct Table<'a> {
    count: usize,
    block_len: usize,
    radix_shift: u32,
    radix: &'a [u8],
    keys: &'a [u8],
    offsets: &'a [u8],
    lats: &'a [u8],
    lons: &'a [u8],
    data: &'a [u8],
}

fn u32_at(bytes: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(i * 4..i * 4 + 4)?.try_into().ok()?,
    ))
}

fn u64_at(bytes: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        bytes.get(i * 8..i * 8 + 8)?.try_into().ok()?,
    ))
}

/// Where each section of a table lies in its bytes: read and checked once, so that a table
/// kept for many lookups is not re-read for each.
#[derive(Clone, Debug)]
pub struct Layout {
    count: usize,
    block_len: usize,
    radix_shift: u32,
    radix: Range<usize>,
    keys: Range<usize>,
    offsets: Range<usize>,
    lats: Range<usize>,
    lons: Range<usize>,
    data: Range<usize>,
}

impl Layout {
    /// Checks the header and the section sizes; says what is wrong otherwise.
    pub fn read(bytes: &[u8]) -> Result<Self, &'static str> {
        if bytes.len() < HEADER_LEN || &bytes[..4] != MAGIC {
            return Err("not a postcode table");
        }
        let header = |i: usize| u32_at(&bytes[4..HEADER_LEN], i).unwrap_or(0) as usize;
        let (version, count, block_len, blocks, data_len) =
            (header(0), header(1), header(2), header(3), header(4));
        let (radix_shift, radix_len) = (header(5), header(6));
        if version != VERSION as usize {
            return Err("a postcode table of another version");
        }
        if block_len == 0 || blocks != count.div_ceil(block_len) || radix_shift >= 64 {
            return Err("a postcode table with inconsistent sizes");
        }
        if bytes.len() != HEADER_LEN + radix_len * 4 + blocks * 20 + data_len {
            return Err("a postcode table of the wrong length");
        }
        // The sections follow one another: radix, keys, offsets, latitudes, longitudes, data.
        let mut at = HEADER_LEN;
        let mut section = |len: usize| {
            at += len;
            at - len..at
        };
        Ok(Self {
            count,
            block_len,
            radix_shift: radix_shift as u32,
            radix: section(radix_len * 4),
            keys: section(blocks * 8),
            offsets: section(blocks * 4),
            lats: section(blocks * 4),
            lons: section(blocks * 4),
            data: section(data_len),
        })
    }

    /// The table over the bytes this layout was read from.
    pub fn table<'a>(&self, bytes: &'a [u8]) -> Table<'a> {
        let part = |range: &Range<usize>| bytes.get(range.clone()).unwrap_or_default();
        Table {
            count: self.count,
            block_len: self.block_len,
            radix_shift: self.radix_shift,
            radix: part(&self.radix),
            keys: part(&self.keys),
            offsets: part(&self.offsets),
            lats: part(&self.lats),
            lons: part(&self.lons),
            data: part(&self.data),
        }
    }
}

impl<'a> Table<'a> {
    /// Reads a table from its bytes (see [`Layout::read`] for what is checked).
    pub fn new(bytes: &'a [u8]) -> Result<Self, &'static str> {
        Ok(Layout::read(bytes)?.table(bytes))
    }

    /// How many postcodes the table holds.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn blocks(&self) -> usize {
        self.keys.len() / 8
    }

    /// Block `b`: its first entry, where its positions start, how wide each is (bytes per
    /// pair), where its keys start, and how many entries it has.
    fn block_head(self, b: usize) -> Option<(Entry, usize, usize, usize, usize)> {
        let key = u64_at(self.keys, b)?;
        let lat = u32_at(self.lats, b)? as i32;
        let lon = u32_at(self.lons, b)? as i32;
        let offset = u32_at(self.offsets, b)?;
        let width = if offset & WIDE == 0 { 4 } else { 8 };
        let positions = (offset & !WIDE) as usize;
        let n = (self.count - (b * self.block_len).min(self.count)).min(self.block_len);
        let keys = positions + n.saturating_sub(1) * width;
        Some(((key, lat, lon), positions, width, keys, n))
    }

    /// The position of entry `j` (from 1) of a block whose first is at `first`.
    fn position(
        self,
        first: Entry,
        positions: usize,
        width: usize,
        j: usize,
    ) -> Option<(i32, i32)> {
        let at = positions + (j - 1) * width;
        let bytes = self.data.get(at..at + width)?;
        let (dlat, dlon) = if width == 4 {
            (
                i64::from(i16::from_le_bytes([bytes[0], bytes[1]])),
                i64::from(i16::from_le_bytes([bytes[2], bytes[3]])),
            )
        } else {
            (
                i64::from(i32::from_le_bytes(bytes[..4].try_into().ok()?)),
                i64::from(i32::from_le_bytes(bytes[4..].try_into().ok()?)),
            )
        };
        let lat = i32::try_from(i64::from(first.1) + dlat).ok()?;
        let lon = i32::try_from(i64::from(first.2) + dlon).ok()?;
        Some((lat, lon))
    }

    /// The entries of block `b`, decoded one by one (stopping at any damage).
    fn block(self, b: usize) -> impl Iterator<Item = Entry> + 'a {
        let head = self.block_head(b);
        let n = head.map_or(0, |h| h.4);
        let mut key = head.map_or(0, |h| h.0.0);
        let mut at = head.map_or(0, |h| h.3);
        let table = self;
        (0..n).map_while(move |j| {
            let (first, positions, width, ..) = head?;
            if j == 0 {
                return Some(first);
            }
            key = key.checked_add(varint::get(table.data, &mut at)?)?;
            let (lat, lon) = table.position(first, positions, width, j)?;
            Some((key, lat, lon))
        })
    }

    /// The index of the block whose range could hold `key`.
    fn block_of(&self, key: u64) -> Option<usize> {
        // The number of blocks whose first key is at most `key`, less one; the radix bucket of
        // `key` bounds it (a damaged radix only makes the answer wrong, never a panic).
        let bucket = (key >> self.radix_shift) as usize;
        let radix_len = self.radix.len() / 4;
        let blocks = self.blocks();
        let bound = |r: usize| u32_at(self.radix, r).map_or(blocks, |b| (b as usize).min(blocks));
        let (mut low, mut high) = if bucket + 1 < radix_len {
            (bound(bucket), bound(bucket + 1))
        } else {
            (bound(radix_len.saturating_sub(1)), blocks)
        };
        low = low.min(high);
        while low < high {
            let mid = (low + high) / 2;
            if u64_at(self.keys, mid)? <= key {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low.checked_sub(1)
    }

    /// The position (lat, lon in fixed point) of a key: a radix bucket and a binary search
    /// over the blocks' first keys, a scan of one block's key deltas, then one slot read.
    pub fn get(&self, key: u64) -> Option<(i32, i32)> {
        let b = self.block_of(key)?;
        let (first, positions, width, mut at, n) = self.block_head(b)?;
        let mut k = first.0;
        let mut j = 0;
        while k < key && j + 1 < n {
            k = k.checked_add(varint::get(self.data, &mut at)?)?;
            j += 1;
        }
        match (k == key, j) {
            (false, _) => None,
            (true, 0) => Some((first.1, first.2)),
            (true, j) => self.position(first, positions, width, j),
        }
    }

    /// Every entry with `low <= key <= high`, in order.
    pub fn range(self, low: u64, high: u64) -> impl Iterator<Item = Entry> + 'a {
        let table = self;
        let start = self.block_of(low).unwrap_or(0);
        (start..table.blocks())
            .flat_map(move |b| table.block(b))
            .skip_while(move |e| e.0 < low)
            .take_while(move |e| e.0 <= high)
    }

    /// Every entry, in order.
    pub fn iter(self) -> impl Iterator<Item = Entry> + 'a {
        self.range(0, u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> u64 {
        key_of_text(text.as_bytes()).unwrap()
    }

    #[test]
    fn keys_sort_like_postcodes_and_round_trip() {
        let codes = [
            "B1 1AA", "B1 5AA", "B15 2TT", "B15 3AA", "B152 9ZZ", "BA1 0AA",
        ];
        let keys: Vec<u64> = codes.iter().map(|c| key(c)).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{codes:?}");
        for c in codes {
            assert_eq!(unpack(key(c)), c);
        }
        assert_eq!(key("b152tt"), key("B15 2TT"));
        assert_eq!(key_of_text(b"B15 2T!"), None);
        assert_eq!(key_of_text(b"SW1A 2TTX"), None, "eight characters");
    }

    #[test]
    fn fixed_point_is_exact_to_five_decimals() {
        for text in ["51.74909", "-0.34131", "-6.3", "0.00001", "55.8"] {
            let units = fixed_of_text(text).unwrap();
            assert_eq!(
                format!("{:.5}", degrees_of_fixed(units)),
                format!("{:.5}", text.parse::<f64>().unwrap())
            );
        }
        assert_eq!(fixed_of_text("x"), None);
        assert_eq!(fixed_of_text("NaN"), None);
    }

    #[test]
    fn every_entry_comes_back_across_block_edges() {
        // 1,000 postcodes over many blocks, positions jumping both ways.
        let mut entries = Vec::new();
        for i in 0..1000u64 {
            let outward = format!("B{}", 1 + i / 100);
            let inward = format!("{}{}{}", i % 10, (b'A' + (i / 10 % 10) as u8) as char, 'Z');
            let lat = 5_200_000 + ((i * 7919) % 10_000) as i32 - 5_000;
            // The first half close together (16-bit slots), the second spread (32-bit slots).
            let spread = if i < 500 { 20_000 } else { 300_000 };
            let lon = -190_000 - ((i * 104_729) % spread) as i32;
            entries.push((
                pack(outward.as_bytes(), inward.as_bytes()).unwrap(),
                lat,
                lon,
            ));
        }
        let bytes = encode(entries.clone());
        let table = Table::new(&bytes).unwrap();
        assert_eq!(table.len(), 1000);
        for &(k, lat, lon) in &entries {
            assert_eq!(table.get(k), Some((lat, lon)), "{}", unpack(k));
        }
        let mut sorted = entries.clone();
        sorted.sort_by_key(|e| e.0);
        assert_eq!(table.iter().collect::<Vec<_>>(), sorted);
        assert_eq!(table.get(key("B1 0AY")), None, "between two keys");
        assert_eq!(table.get(key("A1 1AA")), None, "before the first");
        assert_eq!(table.get(key("ZZ99 9ZZ")), None, "after the last");
    }

    #[test]
    fn damaged_tables_are_refused_or_read_without_panicking() {
        let entries = (0..100u64)
            .map(|i| (1000 + i * 3, i as i32, -(i as i32)))
            .collect();
        let bytes = encode(entries);
        assert!(Table::new(&bytes[..bytes.len() - 1]).is_err());
        assert!(Table::new(b"FPPC").is_err());
        assert!(Table::new(b"not a table at all, just text").is_err());
        // Garbage in the data section: lookups answer or not, but never panic.
        let mut damaged = bytes.clone();
        let data_start = damaged.len() - 50;
        for b in &mut damaged[data_start..] {
            *b = 0xff;
        }
        let table = Table::new(&damaged).unwrap();
        for k in 990..1400 {
            let _ = table.get(k);
        }
        assert!(table.iter().count() <= 100);
    }

    #[test]
    fn csv_lines_are_read_and_bad_ones_named() {
        let entries = entries_of_csv(b"postcode,lat,lon\r\nB15 2TT,52.45,-1.93\r\n\r\n").unwrap();
        assert_eq!(entries, vec![(key("B15 2TT"), 5_245_000, -193_000)]);
        assert_eq!(
            entries_of_csv(b"postcode,lat,lon\nB15 2TT,x,y\n"),
            Err((2, "B15 2TT,x,y".to_string()))
        );
    }
}
