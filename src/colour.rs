//! Colours for footprints: a soft qualitative palette, assigned so that neighbours never match.

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub const fn hex(value: u32) -> Self {
        Self((value >> 16) as u8, (value >> 8) as u8, value as u8)
    }
}

/// Light fills from ColorBrewer Set3 (pastels that keep dark labels legible).
pub const FOOTPRINT_PALETTE: &[Rgb] = &[
    Rgb::hex(0x8dd3c7),
    Rgb::hex(0xffffb3),
    Rgb::hex(0xbebada),
    Rgb::hex(0xfb8072),
    Rgb::hex(0x80b1d3),
    Rgb::hex(0xfdb462),
    Rgb::hex(0xb3de69),
    Rgb::hex(0xfccde5),
    Rgb::hex(0xbc80bd),
    Rgb::hex(0xccebc5),
];

/// Colours a graph so that adjacent nodes differ (DSatur: most-constrained node first).
/// Returns a palette index per node. Uses as few colours as it can; if a node's neighbours
/// already use every colour of a `palette_len` palette, it gets the least used one among them
/// (this cannot happen for maps, which need at most four).
pub fn colour_graph(neighbours: &[Vec<usize>], palette_len: usize) -> Vec<usize> {
    let n = neighbours.len();
    // DSatur looks at every node for every pick: fine for hundreds, too slow for 30,000 LSOAs,
    // which get smallest-last order instead (linearithmic; at most six colours on a map).
    if n > 2_000 {
        return colour_smallest_last(neighbours, palette_len);
    }
    let palette_len = palette_len.max(1);
    let mut colour: Vec<Option<usize>> = vec![None; n];
    let mut usage = vec![0usize; palette_len];
    for _ in 0..n {
        // Pick the uncoloured node with most distinctly coloured neighbours, then highest degree.
        let Some(node) = (0..n).filter(|&i| colour[i].is_none()).max_by_key(|&i| {
            let mut seen: Vec<usize> = neighbours[i].iter().filter_map(|&j| colour[j]).collect();
            seen.sort_unstable();
            seen.dedup();
            (seen.len(), neighbours[i].len(), usize::MAX - i)
        }) else {
            break;
        };
        colour[node] = Some(pick_colour(&neighbours[node], &colour, &mut usage));
    }
    colour.into_iter().map(|c| c.unwrap_or(0)).collect()
}

/// A colour none of `node_neighbours` has; among those, the least used so the map stays
/// varied. (If all are taken, which a map never needs, the least used of all.)
fn pick_colour(node_neighbours: &[usize], colour: &[Option<usize>], usage: &mut [usize]) -> usize {
    let taken: Vec<usize> = node_neighbours.iter().filter_map(|&j| colour[j]).collect();
    let choice = (0..usage.len())
        .filter(|c| !taken.contains(c))
        .min_by_key(|&c| (usage[c], c))
        .unwrap_or_else(|| (0..usage.len()).min_by_key(|&c| usage[c]).unwrap_or(0));
    usage[choice] += 1;
    choice
}

/// Greedy colouring in smallest-last order: repeatedly set aside a node of least remaining
/// degree, then colour in reverse. On a planar map each node then has at most five coloured
/// neighbours, so six colours always suffice.
fn colour_smallest_last(neighbours: &[Vec<usize>], palette_len: usize) -> Vec<usize> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let n = neighbours.len();
    let palette_len = palette_len.max(1);
    let mut degree: Vec<usize> = neighbours.iter().map(Vec::len).collect();
    let mut removed = vec![false; n];
    let mut heap: BinaryHeap<Reverse<(usize, usize)>> =
        (0..n).map(|i| Reverse((degree[i], i))).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse((d, node))) = heap.pop() {
        if removed[node] || d != degree[node] {
            continue;
        }
        removed[node] = true;
        order.push(node);
        for &j in &neighbours[node] {
            if !removed[j] {
                degree[j] -= 1;
                heap.push(Reverse((degree[j], j)));
            }
        }
    }
    let mut colour: Vec<Option<usize>> = vec![None; n];
    let mut usage = vec![0usize; palette_len];
    for &node in order.iter().rev() {
        colour[node] = Some(pick_colour(&neighbours[node], &colour, &mut usage));
    }
    colour.into_iter().map(|c| c.unwrap_or(0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_planar_grids_are_coloured_quickly_and_properly() {
        // A 200 × 200 grid with diagonals (a triangulated, planar mesh): 40,000 nodes.
        let side = 200;
        let id = |x: usize, y: usize| y * side + x;
        let mut neighbours = vec![Vec::new(); side * side];
        for y in 0..side {
            for x in 0..side {
                for (dx, dy) in [(1, 0), (0, 1), (1, 1)] {
                    if x + dx < side && y + dy < side {
                        let (a, b) = (id(x, y), id(x + dx, y + dy));
                        neighbours[a].push(b);
                        neighbours[b].push(a);
                    }
                }
            }
        }
        let colours = colour_graph(&neighbours, FOOTPRINT_PALETTE.len());
        for (a, list) in neighbours.iter().enumerate() {
            for &b in list {
                assert_ne!(colours[a], colours[b]);
            }
        }
    }

    #[test]
    fn adjacent_nodes_never_share_a_colour() {
        // A wheel: a hub touching a ring of 7 (needs 4 colours).
        let mut neighbours = vec![Vec::new(); 8];
        for i in 1..8 {
            let next = if i == 7 { 1 } else { i + 1 };
            for (a, b) in [(0, i), (i, next)] {
                neighbours[a].push(b);
                neighbours[b].push(a);
            }
        }
        let colours = colour_graph(&neighbours, FOOTPRINT_PALETTE.len());
        for (a, list) in neighbours.iter().enumerate() {
            for &b in list {
                assert_ne!(colours[a], colours[b], "{a} and {b}");
            }
        }
    }
}
