//! The OSTN15 shift grid in compact form: each node's easting and northing shifts in millimetres,
//! stored as residuals from a plane predicted by its neighbours (a byte or so a value).
//!
//! Plain `std` only: the library decodes the embedded grid (`assets/ostn15/ostn15_grid.lzma`)
//! once, when first needed; `build.rs` includes this file to encode Ordnance Survey's grid anew
//! with the `ostn15-source` feature (`assets/ostn15/README.md`).
//!
//! Layout: `"OS15"`, then for the easting shifts and then the northing shifts, node by node
//! (rows of [`COLUMNS`] from the south-west corner northwards), the zigzag varint (`varint`) of
//! `value − (west + south − south-west)`, with missing neighbours counted as 0.

/// Nodes per row: eastings 0 to 700 km, every kilometre.
pub const COLUMNS: usize = 701;
/// Rows: northings 0 to 1,250 km, every kilometre.
pub const ROWS: usize = 1251;
/// Nodes in the grid.
pub const NODES: usize = COLUMNS * ROWS;

use crate::varint;

const MAGIC: &[u8; 4] = b"OS15";

/// What neighbours predict for node `i` of one plane.
fn predicted(plane: &[i32], i: usize) -> i32 {
    let (column, row) = (i % COLUMNS, i / COLUMNS);
    let west = if column > 0 { plane[i - 1] } else { 0 };
    let south = if row > 0 { plane[i - COLUMNS] } else { 0 };
    let south_west = if column > 0 && row > 0 {
        plane[i - COLUMNS - 1]
    } else {
        0
    };
    west.wrapping_add(south).wrapping_sub(south_west)
}

/// Encodes the shifts (easting, northing in mm) of every node, in node order.
pub fn encode(shifts: &[[i32; 2]]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for axis in 0..2 {
        let plane: Vec<i32> = shifts.iter().map(|s| s[axis]).collect();
        for (i, &value) in plane.iter().enumerate() {
            let residual = value.wrapping_sub(predicted(&plane, i));
            varint::put_signed(&mut out, i64::from(residual));
        }
    }
    out
}

/// The decoded grid: each node's shifts as 16-bit offsets from the grid's smallest, half the
/// memory of 32-bit values (3.5 MB; OSTN15's shifts span 28.9 m east and 40.3 m north).
#[derive(Debug, PartialEq)]
pub struct Shifts {
    base: [i32; 2],
    offsets: Vec<[u16; 2]>,
}

impl Shifts {
    /// Node `i`'s easting and northing shifts in millimetres; `None` past the last node.
    pub fn get(&self, i: usize) -> Option<[i32; 2]> {
        let [east, north] = *self.offsets.get(i)?;
        Some([
            self.base[0] + i32::from(east),
            self.base[1] + i32::from(north),
        ])
    }
}

/// Decodes [`encode`]'s bytes back into the shifts of every node.
pub fn decode(bytes: &[u8]) -> Result<Shifts, String> {
    let body = bytes
        .strip_prefix(MAGIC.as_slice())
        .ok_or("not an OSTN15 grid (bad header)")?;
    let mut planes = [Vec::with_capacity(NODES), Vec::with_capacity(NODES)];
    let mut at = 0;
    for plane in &mut planes {
        for i in 0..NODES {
            let residual = varint::get_signed(body, &mut at)
                .and_then(|r| i32::try_from(r).ok())
                .ok_or("OSTN15 grid ends early or has a malformed number")?;
            let value = residual.wrapping_add(predicted(plane, i));
            plane.push(value);
        }
    }
    if at != body.len() {
        return Err("OSTN15 grid has trailing bytes".into());
    }
    let base = planes
        .each_ref()
        .map(|plane| plane.iter().copied().min().unwrap_or(0));
    let offset = |axis: usize, value: i32| {
        u16::try_from(i64::from(value) - i64::from(base[axis]))
            .map_err(|_| "OSTN15 grid's shifts span more than 65 m".to_string())
    };
    let [eastings, northings] = &planes;
    let offsets = eastings
        .iter()
        .zip(northings)
        .map(|(&e, &n)| Ok([offset(0, e)?, offset(1, n)?]))
        .collect::<Result<_, String>>()?;
    Ok(Shifts { base, offsets })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_smooth_grid_round_trips_in_about_a_byte_a_value() {
        let shifts: Vec<[i32; 2]> = (0..NODES)
            .map(|i| {
                let (c, r) = ((i % COLUMNS) as i32, (i / COLUMNS) as i32);
                [90_000 + c * 3 + r * 2 + (c * r) % 7, -80_000 + r * 5 - c]
            })
            .collect();
        let bytes = encode(&shifts);
        assert!(bytes.len() < NODES * 2 + 100, "{} bytes", bytes.len());
        let grid = decode(&bytes).unwrap();
        assert!((0..NODES).all(|i| grid.get(i) == Some(shifts[i])));
        assert_eq!(grid.get(NODES), None);
    }

    #[test]
    fn shifts_spanning_more_than_16_bits_are_refused() {
        let mut shifts = vec![[90_000, -80_000]; NODES];
        shifts[NODES / 2][1] = -80_000 + 65_536;
        assert!(decode(&encode(&shifts)).is_err());
        shifts[NODES / 2][1] = -80_000 + 65_535;
        assert_eq!(
            decode(&encode(&shifts)).unwrap().get(NODES / 2),
            Some([90_000, -14_465])
        );
    }

    #[test]
    fn damaged_bytes_are_an_error_not_a_panic() {
        let shifts = vec![[1, -1]; NODES];
        let bytes = encode(&shifts);
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
        assert!(decode(b"OS14").is_err());
        let mut long = bytes.clone();
        long.push(0);
        assert!(decode(&long).is_err());
        assert!(decode(&[b'O', b'S', b'1', b'5', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]).is_err());
    }
}
