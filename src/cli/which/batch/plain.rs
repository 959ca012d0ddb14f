//! The fast path for CSVs without quotes: blocks of whole lines, each split at commas, answered
//! and formatted on its own thread, written in order.

use std::borrow::Cow;

use super::{Columns, Rows, Sink, Suffixes};
use crate::cli::which::locate_query;

/// Bytes of input handled by one thread at a time.
const BLOCK_BYTES: usize = 4 << 20;

/// The suffix for one row's fields; `true` when it fell in a footprint.
fn suffix<'s>(rows: &Rows<'s>, fields: &[&[u8]]) -> (Cow<'s, [u8]>, bool) {
    let suffixes = rows.suffixes;
    let field = |i: usize| fields.get(i).copied().unwrap_or(b"");
    match rows.columns {
        Columns::LatLon(lat, lon) => {
            let number = |f: &[u8]| -> Option<f64> {
                std::str::from_utf8(f.trim_ascii()).ok()?.parse().ok()
            };
            match (number(field(lat)), number(field(lon))) {
                (Some(y), Some(x))
                    if (-90.0..=90.0).contains(&y) && (-180.0..=180.0).contains(&x) =>
                {
                    match rows.boundaries.locator.locate(geo::Coord { x, y }) {
                        Some(i) => (Cow::Borrowed(suffixes.footprints[i].as_slice()), true),
                        None => (Cow::Borrowed(suffixes.outside.as_slice()), false),
                    }
                }
                _ if field(lat).trim_ascii().is_empty() || field(lon).trim_ascii().is_empty() => {
                    (Cow::Borrowed(suffixes.no_lat_lon.as_slice()), false)
                }
                _ => (Cow::Borrowed(suffixes.bad_lat_lon.as_slice()), false),
            }
        }
        Columns::Query(column) => {
            let text = String::from_utf8_lossy(field(column));
            let text = text.trim();
            let answer = if text.is_empty() {
                Err(format!("no value in {}", rows.query_column_name))
            } else {
                locate_query(text, rows.sources, rows.boundaries)
            };
            match answer {
                Ok(i) => (Cow::Borrowed(suffixes.footprints[i].as_slice()), true),
                Err(reason) => (Cow::Owned(Suffixes::reason(&reason)), false),
            }
        }
    }
}

/// Answers every line of `body` (rows after the header), writing each with its suffix; returns
/// (rows, rows placed).
pub(super) fn plain_batch(
    body: &[u8],
    rows_how: &Rows,
    sink: &mut Sink,
    progress: &mut dyn FnMut(usize, u64),
) -> anyhow::Result<(usize, usize)> {
    // Cut the body into blocks that end at line ends.
    let mut blocks = Vec::new();
    let mut start = 0;
    while start < body.len() {
        let mut end = (start + BLOCK_BYTES).min(body.len());
        while end < body.len() && body[end - 1] != b'\n' {
            end += 1;
        }
        blocks.push(&body[start..end]);
        start = end;
    }
    let width = rows_how.width;
    let process = |block: &[u8]| -> (Vec<u8>, usize, usize) {
        let mut out = Vec::with_capacity(block.len() * 2);
        let (mut rows, mut placed) = (0, 0);
        let mut fields: Vec<&[u8]> = Vec::with_capacity(width);
        for line in block.split(|&b| b == b'\n') {
            let mut end = line.len();
            while end > 0 && line[end - 1] == b'\r' {
                end -= 1;
            }
            let line = &line[..end];
            if line.is_empty() {
                continue;
            }
            rows += 1;
            fields.clear();
            fields.extend(line.split(|&b| b == b','));
            let (suffix, was_placed) = suffix(rows_how, &fields);
            placed += usize::from(was_placed);
            out.extend_from_slice(line);
            out.resize(out.len() + width.saturating_sub(fields.len()), b',');
            out.extend_from_slice(&suffix);
            out.extend_from_slice(rows_how.terminator);
        }
        (out, rows, placed)
    };
    let (mut rows, mut placed, mut done) = (0usize, 0usize, 0u64);
    // A group of blocks at a time, one per core, so that memory stays a few blocks' worth.
    for group in blocks.chunks(crate::parallel::threads()) {
        let results = crate::parallel::map(group, |block| process(block));
        for ((out, r, p), block) in results.into_iter().zip(group) {
            sink.write_all(&out)?;
            rows += r;
            placed += p;
            done += block.len() as u64;
        }
        progress(rows, done);
    }
    Ok((rows, placed))
}
