//! LEB128 variable-length integers (seven bits a byte, the top bit saying "more"), and their
//! zigzag form for signed values: the compact tables' number format.
//!
//! Plain `std` only: `build.rs` includes this file for the tables it writes at build time.

/// Appends `v` as a varint.
pub fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint at `*at`, moving past it: `None` if it runs off the end or past 64 bits.
#[inline]
pub fn get(data: &[u8], at: &mut usize) -> Option<u64> {
    // Most values fit in one byte.
    let first = *data.get(*at)?;
    if first < 0x80 {
        *at += 1;
        return Some(u64::from(first));
    }
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *data.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(value);
        }
    }
    None
}

/// Appends a signed value as the varint of its zigzag form (0, -1, 1, -2 … as 0, 1, 2, 3 …).
pub fn put_signed(out: &mut Vec<u8>, v: i64) {
    put(out, ((v << 1) ^ (v >> 63)) as u64);
}

/// Reads a value written by [`put_signed`].
pub fn get_signed(data: &[u8], at: &mut usize) -> Option<i64> {
    let zigzag = get(data, at)?;
    Some(((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_damage_is_none() {
        let values = [0i64, 1, -1, 63, -64, 64, 1 << 40, i64::MIN, i64::MAX];
        let mut bytes = Vec::new();
        for &v in &values {
            put_signed(&mut bytes, v);
        }
        put(&mut bytes, u64::MAX);
        let mut at = 0;
        for &v in &values {
            assert_eq!(get_signed(&bytes, &mut at), Some(v));
        }
        assert_eq!(get(&bytes, &mut at), Some(u64::MAX));
        assert_eq!(at, bytes.len());
        assert_eq!(get(&[0x80, 0x80], &mut 0), None);
        assert_eq!(get(&[0xff; 11], &mut 0), None);
    }
}
