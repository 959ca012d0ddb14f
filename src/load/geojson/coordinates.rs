//! Reads GeoJSON coordinate arrays of any depth straight into one flat list of positions.

use geo::Coord;

/// The deepest nesting read (a MultiPolygon needs 4).
const MAX_DEPTH: usize = 64;

/// An array that held arrays (or was empty): its depth (0 = the coordinates member) and the
/// positions inside it.
#[derive(Clone, Copy, Debug)]
struct List {
    depth: u8,
    start: u32,
    end: u32,
}

/// Every position in document order with the depth of its array, and every list in the
/// order it closed.
#[derive(Debug, Default)]
pub struct Flat {
    positions: Vec<Coord<f64>>,
    depths: Vec<u8>,
    lists: Vec<List>,
    pub had_z: bool,
}

const INVALID: Coord<f64> = Coord {
    x: f64::NAN,
    y: f64::NAN,
};

impl Flat {
    /// Positions in `list`, those not at `depth` (something else where a position should
    /// be) as NaN, for the repair step to drop and count.
    fn slice(&self, list: &List, depth: u8) -> Vec<Coord<f64>> {
        let range = list.start as usize..list.end as usize;
        self.positions[range.clone()]
            .iter()
            .zip(&self.depths[range])
            .map(|(&c, &d)| if d == depth { c } else { INVALID })
            .collect()
    }

    /// The lists at `depth`, each as its positions (which should be at `position_depth`).
    pub fn lists_at(&self, depth: u8, position_depth: u8) -> Vec<Vec<Coord<f64>>> {
        self.lists
            .iter()
            .filter(|l| l.depth == depth)
            .map(|l| self.slice(l, position_depth))
            .collect()
    }

    /// Lists at `depth + 1` grouped by the list at `depth` that holds them (a
    /// MultiPolygon's rings by polygon).
    pub fn grouped(&self, depth: u8, position_depth: u8) -> Vec<Vec<Vec<Coord<f64>>>> {
        let mut groups = Vec::new();
        let mut current = Vec::new();
        for list in &self.lists {
            if list.depth == depth + 1 {
                current.push(self.slice(list, position_depth));
            } else if list.depth == depth {
                groups.push(std::mem::take(&mut current));
            }
        }
        groups
    }

    /// Valid positions whose array is at `depth`.
    pub fn positions_at(&self, depth: u8) -> impl Iterator<Item = Coord<f64>> + '_ {
        self.positions
            .iter()
            .zip(&self.depths)
            .filter(move |(c, d)| **d == depth && c.x.is_finite())
            .map(|(c, _)| *c)
    }
}

enum Element {
    Number(f64),
    /// An array (a position or a list), recorded.
    Array,
    /// A string, object, boolean or null.
    Other,
}

struct Reader<'a> {
    text: &'a [u8],
    at: usize,
    out: Flat,
}

/// Reads one coordinates member (already checked to be valid JSON by serde).
pub fn parse(text: &[u8]) -> Result<Flat, super::ParseError> {
    let mut reader = Reader {
        text,
        at: 0,
        out: Flat::default(),
    };
    reader.value(0)?;
    Ok(reader.out)
}

fn too_deep() -> super::ParseError {
    super::ParseError::Coordinates(format!(
        "its coordinates are nested more than {MAX_DEPTH} deep"
    ))
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        while let Some(b) = self.text.get(self.at) {
            if b.is_ascii_whitespace() {
                self.at += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.text.get(self.at).copied()
    }

    fn value(&mut self, depth: usize) -> Result<Element, super::ParseError> {
        if depth > MAX_DEPTH {
            return Err(too_deep());
        }
        match self.peek() {
            Some(b'[') => self.array(depth),
            Some(b'-' | b'0'..=b'9') => Ok(Element::Number(self.number())),
            _ => {
                self.skip_other();
                Ok(Element::Other)
            }
        }
    }

    /// Skips a string, object, literal or (inside a position) array, balancing brackets.
    fn skip_other(&mut self) {
        let mut nesting = 0usize;
        let mut in_string = false;
        while let Some(&b) = self.text.get(self.at) {
            if in_string {
                match b {
                    b'\\' => self.at += 1,
                    b'"' => in_string = false,
                    _ => {}
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'[' | b'{' => nesting += 1,
                    b']' | b'}' if nesting == 0 => return,
                    b']' | b'}' => nesting -= 1,
                    b',' if nesting == 0 => return,
                    _ => {}
                }
            }
            self.at += 1;
            if nesting == 0 && !in_string && matches!(b, b'"' | b']' | b'}') {
                return;
            }
        }
    }

    /// Reads a number: digits are gathered as they are passed (exact for up to 19 digits
    /// and no exponent); anything longer goes to the standard library's parser.
    fn number(&mut self) -> f64 {
        const POWERS: [f64; 23] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        ];
        let start = self.at;
        let text = self.text;
        let negative = text.get(self.at) == Some(&b'-');
        if negative {
            self.at += 1;
        }
        let mut mantissa: u64 = 0;
        let mut digits = 0u32;
        let mut fraction = 0usize;
        let mut seen_point = false;
        let mut simple = true;
        while let Some(&b) = text.get(self.at) {
            match b {
                b'0'..=b'9' => {
                    if digits < 19 {
                        mantissa = mantissa * 10 + (b - b'0') as u64;
                        if mantissa > 0 {
                            digits += 1;
                        }
                        fraction += seen_point as usize;
                    } else {
                        simple = false;
                    }
                }
                b'.' => seen_point = true,
                b'e' | b'E' | b'+' | b'-' => simple = false,
                _ => break,
            }
            self.at += 1;
        }
        if simple
            && self.at > start + negative as usize
            && mantissa < (1u64 << 53)
            && fraction < POWERS.len()
        {
            let value = mantissa as f64 / POWERS[fraction];
            return if negative { -value } else { value };
        }
        parse_number(&text[start..self.at])
    }

    fn array(&mut self, depth: usize) -> Result<Element, super::ParseError> {
        self.at += 1; // '['
        let start = self.out.positions.len() as u32;
        let close = |reader: &mut Self| {
            reader.out.lists.push(List {
                depth: depth.min(255) as u8,
                start,
                end: reader.out.positions.len() as u32,
            });
            Ok(Element::Array)
        };
        if self.peek() == Some(b']') {
            self.at += 1;
            return close(self);
        }
        match self.value(depth + 1)? {
            Element::Number(x) => {
                // A position: numbers only, at least two.
                let mut y = None;
                let mut valid = true;
                while self.peek() == Some(b',') {
                    self.at += 1;
                    match self.peek() {
                        Some(b'-' | b'0'..=b'9') => {
                            let v = self.number();
                            if y.is_none() {
                                y = Some(v);
                            } else {
                                self.out.had_z = true;
                            }
                        }
                        _ => {
                            self.skip_other();
                            valid = false;
                        }
                    }
                }
                self.expect_close();
                let position = match (valid, y) {
                    (true, Some(y)) => Coord { x, y },
                    _ => INVALID,
                };
                self.out.positions.push(position);
                self.out.depths.push(depth.min(255) as u8);
                Ok(Element::Array)
            }
            first => {
                self.invalid_child(first, depth + 1);
                while self.peek() == Some(b',') {
                    self.at += 1;
                    let child = self.value(depth + 1)?;
                    self.invalid_child(child, depth + 1);
                }
                self.expect_close();
                close(self)
            }
        }
    }

    /// A number or other value where a position or list should be: an invalid position.
    fn invalid_child(&mut self, child: Element, depth: usize) {
        if !matches!(child, Element::Array) {
            self.out.positions.push(INVALID);
            self.out.depths.push(depth.min(255) as u8);
        }
    }

    fn expect_close(&mut self) {
        if self.peek() == Some(b']') {
            self.at += 1;
        }
    }
}

/// A JSON number, by the standard library's parser (NaN if it is not one).
fn parse_number(text: &[u8]) -> f64 {
    std::str::from_utf8(text)
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_match_the_standard_parser() {
        for text in [
            "0",
            "-0",
            "1",
            "-1.5",
            "54.677761",
            "-1.227056",
            "406000",
            "0.1",
            "123456.789012",
            "1e5",
            "-2.5E-3",
            "0.30000000000000004",
            "12345678901234567890",
            "1.7976931348623157e308",
        ] {
            let expected: f64 = text.parse().unwrap();
            let mut reader = Reader {
                text: text.as_bytes(),
                at: 0,
                out: Flat::default(),
            };
            assert_eq!(reader.number().to_bits(), expected.to_bits(), "{text}");
            assert_eq!(reader.at, text.len());
        }
    }

    #[test]
    fn positions_and_lists_keep_their_depths() {
        let flat = parse(b"[[[0,1],[2,3,9],[4,\"x\"]],[]]").unwrap();
        assert!(flat.had_z);
        let rings = flat.lists_at(1, 2);
        assert_eq!(rings.len(), 2);
        assert_eq!(rings[0][0], Coord { x: 0.0, y: 1.0 });
        assert_eq!(rings[0][1], Coord { x: 2.0, y: 3.0 });
        assert!(
            rings[0][2].x.is_nan(),
            "a position with a string is invalid"
        );
        assert!(rings[1].is_empty());
    }
}
