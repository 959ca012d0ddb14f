//! Reading a pair of coordinates: decimal or degrees–minutes–seconds latitude/longitude with
//! optional hemisphere letters, or a British National Grid easting/northing.
//!
//! The grammar is strict on purpose, so that postcodes never read as coordinates:
//! ```text
//! pair        = coordinate separator coordinate | coordinate coordinate
//! separator   = "," | ";"
//! coordinate  = [hemisphere] component{1,3} | component{1,3} [hemisphere]
//! component   = number [unit]
//! number      = ["+" | "-" | "−"] digits ["." digits]
//! unit        = "°" | "º" | "d"                 (degrees)
//!             | "'" | "′" | "’" | "m"           (minutes)
//!             | "\"" | "″" | "”" | "''" | "s"   (seconds, "s" only straight after minutes)
//! hemisphere  = "N" | "S" | "E" | "W"  (any case; not followed by another letter)
//! ```
//! Letters are units only straight after a number, so "M1 1NS" has no reading here: an "M"
//! before any number is not a unit. Without a separator the pair is split where both halves
//! are coordinates; when several splits would do, halves of equal length win ("52 28 1 53").

use geo::Coord;

/// A unit mark after a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Degrees,
    Minutes,
    Seconds,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Token {
    Number { value: f64, fraction: bool },
    Unit(Unit),
    Hemisphere(char),
    Separator,
}

/// What the text turned out to be.
#[derive(Clone, Debug, PartialEq)]
pub enum Pair {
    /// Not written as coordinates at all (letters other than units and hemispheres, no number).
    NotCoordinates,
    /// Written as coordinates, but not a valid pair: the reason, for the user.
    Invalid(String),
    LatLon(Coord<f64>),
    EastingNorthing {
        easting: f64,
        northing: f64,
    },
}

/// Splits text into tokens; `None` when a character has no place in coordinates.
fn tokens(text: &str) -> Option<Vec<Token>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    // Whether the previous character (no space between) ended a number.
    let mut after_number = false;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let starts_number = c.is_ascii_digit()
            || (c == '.' && next.is_some_and(|n| n.is_ascii_digit()))
            || (matches!(c, '+' | '-' | '−')
                && next.is_some_and(|n| n.is_ascii_digit() || n == '.'));
        if starts_number {
            let (token, end) = number(&chars, i)?;
            out.push(token);
            i = end;
            after_number = true;
            continue;
        }
        let previous_is_number = matches!(out.last(), Some(Token::Number { .. }));
        let unit = match c {
            '°' | 'º' => Some(Unit::Degrees),
            '\'' | '′' | '’' if next == Some('\'') => {
                i += 1;
                Some(Unit::Seconds)
            }
            '\'' | '′' | '’' => Some(Unit::Minutes),
            '"' | '″' | '”' => Some(Unit::Seconds),
            'd' | 'D' if after_number => Some(Unit::Degrees),
            'm' | 'M' if after_number => Some(Unit::Minutes),
            's' | 'S'
                if after_number
                    && out.len() >= 3
                    && out[out.len() - 2] == Token::Unit(Unit::Minutes) =>
            {
                Some(Unit::Seconds)
            }
            _ => None,
        };
        if let Some(unit) = unit {
            if !previous_is_number {
                return None;
            }
            out.push(Token::Unit(unit));
        } else if matches!(c.to_ascii_uppercase(), 'N' | 'S' | 'E' | 'W') {
            if next.is_some_and(char::is_alphabetic) {
                return None; // a word, not a hemisphere
            }
            out.push(Token::Hemisphere(c.to_ascii_uppercase()));
        } else if matches!(c, ',' | ';') {
            out.push(Token::Separator);
        } else if !(c.is_whitespace() || c == ':') {
            return None;
        }
        after_number = false;
        i += 1;
    }
    Some(out)
}

/// Reads a number starting at `start`: sign, digits, at most one point.
fn number(chars: &[char], start: usize) -> Option<(Token, usize)> {
    let mut end = start;
    let mut text = String::new();
    if matches!(chars[end], '+' | '-' | '−') {
        text.push(if chars[end] == '+' { '+' } else { '-' });
        end += 1;
    }
    let mut fraction = false;
    while let Some(&c) = chars.get(end) {
        if c.is_ascii_digit() {
            text.push(c);
        } else if c == '.' && !fraction {
            fraction = true;
            text.push(c);
        } else {
            break;
        }
        end += 1;
    }
    // "1.2.3" and "52x" are not numbers.
    if chars
        .get(end)
        .is_some_and(|&c| c == '.' || c.is_ascii_digit())
    {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    value
        .is_finite()
        .then_some((Token::Number { value, fraction }, end))
}

/// One coordinate read from its tokens: value, hemisphere, and whether it was a plain number.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Coordinate {
    value: f64,
    hemisphere: Option<char>,
    plain: bool,
}

/// Reads one coordinate; `None` when the tokens are not one.
fn coordinate(tokens: &[Token]) -> Option<Coordinate> {
    let mut body = tokens;
    let mut hemisphere = None;
    if let Some((Token::Hemisphere(h), rest)) = body.split_first() {
        hemisphere = Some(*h);
        body = rest;
    }
    if let Some((Token::Hemisphere(h), rest)) = body.split_last() {
        if hemisphere.is_some() {
            return None;
        }
        hemisphere = Some(*h);
        body = rest;
    }
    // Components: a number with an optional unit.
    let mut components: Vec<(f64, bool, Unit)> = Vec::new();
    let mut units_given = false;
    let mut iter = body.iter().peekable();
    while let Some(token) = iter.next() {
        let Token::Number { value, fraction } = *token else {
            return None;
        };
        let unit = match iter.peek() {
            Some(Token::Unit(u)) => {
                iter.next();
                units_given = true;
                *u
            }
            _ => match components.last() {
                None => Unit::Degrees,
                Some((_, _, Unit::Degrees)) => Unit::Minutes,
                Some((_, _, Unit::Minutes)) => Unit::Seconds,
                Some((_, _, Unit::Seconds)) => return None,
            },
        };
        if components.last().is_some_and(|(_, _, last)| *last >= unit) {
            return None;
        }
        components.push((value, fraction, unit));
    }
    let (first, rest) = components.split_first()?;
    let mut value = first.0.abs();
    for (i, &(part, _, unit)) in rest.iter().enumerate() {
        // Minutes and seconds are unsigned, under 60, and whole unless they come last.
        let last = i + 1 == rest.len();
        if part.is_sign_negative() || part >= 60.0 || (!last && part.fract() != 0.0) {
            return None;
        }
        value += part / if unit == Unit::Minutes { 60.0 } else { 3600.0 };
    }
    if !rest.is_empty() && first.1 {
        return None; // "52.5 30" mixes decimal degrees with minutes
    }
    let value = if first.0.is_sign_negative() {
        -value
    } else {
        value
    };
    Some(Coordinate {
        value,
        hemisphere,
        plain: components.len() == 1 && !units_given && hemisphere.is_none(),
    })
}

/// Splits the tokens into two coordinates: at the separator, or where both halves read.
fn split(tokens: &[Token]) -> Option<(Coordinate, Coordinate)> {
    let separators: Vec<usize> = (0..tokens.len())
        .filter(|&i| tokens[i] == Token::Separator)
        .collect();
    match separators.as_slice() {
        [at] => Some((coordinate(&tokens[..*at])?, coordinate(&tokens[at + 1..])?)),
        [] => {
            let readings: Vec<(usize, (Coordinate, Coordinate))> = (1..tokens.len())
                .filter_map(|k| Some((k, (coordinate(&tokens[..k])?, coordinate(&tokens[k..])?))))
                .collect();
            match readings.as_slice() {
                [(_, pair)] => Some(*pair),
                [] => None,
                several => several
                    .iter()
                    .find(|(k, _)| 2 * k == tokens.len())
                    .map(|(_, pair)| *pair),
            }
        }
        _ => None,
    }
}

/// Why `text` is not a pair of coordinates, with the forms that are (in characters every font
/// has: no primes).
pub fn unreadable(text: &str) -> String {
    format!(
        "\"{text}\" could not be read as coordinates: expected latitude, longitude (52.48, -1.89 or 52°28'48\"N 1°53'24\"W) or easting, northing (406123, 286456)"
    )
}

/// Reads `text` as a pair of coordinates.
pub fn parse_pair(text: &str) -> Pair {
    let Some(tokens) = tokens(text) else {
        return Pair::NotCoordinates;
    };
    let numbers = tokens
        .iter()
        .filter(|t| matches!(t, Token::Number { .. }))
        .count();
    if numbers == 0 {
        return Pair::NotCoordinates;
    }
    let plain_digits = text.trim().chars().all(|c| c.is_ascii_digit());
    if numbers == 1 && plain_digits {
        return Pair::Invalid(format!(
            "\"{}\" is a single number: give two, as latitude, longitude (52.48, -1.89) or easting, northing (406123, 286456)",
            text.trim()
        ));
    }
    let Some((a, b)) = split(&tokens) else {
        return Pair::Invalid(unreadable(text.trim()));
    };
    pair_meaning(text.trim(), a, b)
}

/// Decides what two coordinates mean: easting/northing, or latitude/longitude in either order.
fn pair_meaning(text: &str, a: Coordinate, b: Coordinate) -> Pair {
    // Easting/northing: two plain numbers, at least one beyond degree range.
    if a.plain && b.plain && (a.value.abs() > 180.0 || b.value.abs() > 180.0) {
        if (0.0..=700_000.0).contains(&a.value) && (0.0..=1_300_000.0).contains(&b.value) {
            return Pair::EastingNorthing {
                easting: a.value,
                northing: b.value,
            };
        }
        return Pair::Invalid(format!(
            "\"{text}\" is outside the British National Grid (eastings 0–700,000, northings 0–1,300,000)"
        ));
    }
    let is_lat = |h: Option<char>| matches!(h, Some('N' | 'S'));
    let is_lon = |h: Option<char>| matches!(h, Some('E' | 'W'));
    if (is_lat(a.hemisphere) && is_lat(b.hemisphere))
        || (is_lon(a.hemisphere) && is_lon(b.hemisphere))
    {
        return Pair::Invalid(format!(
            "\"{text}\" gives two latitudes or two longitudes: one needs N or S, the other E or W"
        ));
    }
    let signed = |c: Coordinate| match c.hemisphere {
        Some('S' | 'W') => -c.value.abs(),
        Some(_) => c.value.abs(),
        None => c.value,
    };
    // A letter on either decides which is latitude; otherwise latitude comes first.
    let (lat, lon) = if is_lon(a.hemisphere) || is_lat(b.hemisphere) {
        (signed(b), signed(a))
    } else {
        (signed(a), signed(b))
    };
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Pair::Invalid(format!(
            "\"{text}\" is not a valid latitude, longitude (latitude −90 to 90, longitude −180 to 180)"
        ));
    }
    Pair::LatLon(Coord { x: lon, y: lat })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latlon(text: &str) -> (f64, f64) {
        match parse_pair(text) {
            Pair::LatLon(c) => (c.y, c.x),
            other => panic!("{text:?} gave {other:?}"),
        }
    }

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    #[test]
    fn decimal_and_dms_in_every_spelling() {
        let birmingham = (52.48, -1.89);
        for text in [
            "52.48, -1.89",
            "52.48 -1.89",
            "52.48,-1.89",
            "52.48; -1.89",
            "52.48°, -1.89°",
            "52.48N 1.89W",
            "52.48n 1.89w",
            "52.48 N 1.89 W",
            "N52.48 W1.89",
            "N 52.48, W 1.89",
            "1.89W, 52.48N",
            "1.89W 52.48N",
            "W1.89 N52.48",
            "52°28'48\"N 1°53'24\"W",
            "52°28′48″N, 1°53′24″W",
            "52°28’48”N 1°53’24”W",
            "52°28'48''N 1°53'24''W",
            "52 28 48 N, 1 53 24 W",
            "52 28 48 N 1 53 24 W",
            "52d28m48sN 1d53m24sW",
            "52d 28m 48s N, 1d 53m 24s W",
            "52:28:48N 1:53:24W",
            "52 28 48 -1 53 24",
            "52 28.8, -1 53.4",
            "52 28.8 N 1 53.4 W",
            "+52.48 −1.89",
        ] {
            assert!(
                close(latlon(text), birmingham),
                "{text}: {:?}",
                latlon(text)
            );
        }
        // Equal halves win when a split is ambiguous.
        assert!(close(
            latlon("52 28 1 53"),
            (52.0 + 28.0 / 60.0, 1.0 + 53.0 / 60.0)
        ));
    }

    #[test]
    fn easting_northing() {
        assert_eq!(
            parse_pair("406123, 286456"),
            Pair::EastingNorthing {
                easting: 406_123.0,
                northing: 286_456.0
            }
        );
        assert_eq!(
            parse_pair("406123 286456"),
            Pair::EastingNorthing {
                easting: 406_123.0,
                northing: 286_456.0
            }
        );
        assert!(matches!(parse_pair("9406123, 286456"), Pair::Invalid(_)));
    }

    #[test]
    fn postcodes_and_words_are_not_coordinates() {
        for text in [
            "M1 1NS",
            "m11ns",
            "DE1 0DD",
            "NE1 1EW",
            "S1 1WN",
            "M1 1N",
            "SW1W 0NY",
            "Newport",
            "Wem",
            "Send",
            "Ness",
            "North 52",
            "52 Newport",
            "SP 06 86",
        ] {
            assert_eq!(parse_pair(text), Pair::NotCoordinates, "{text}");
        }
    }

    #[test]
    fn broken_pairs_say_why() {
        assert!(matches!(parse_pair("12345"), Pair::Invalid(m) if m.contains("single number")));
        assert!(
            matches!(parse_pair("52.48N 1.89S"), Pair::Invalid(m) if m.contains("two latitudes"))
        );
        assert!(
            matches!(parse_pair("152.48, -1.89"), Pair::Invalid(m) if m.contains("not a valid"))
        );
        assert!(
            matches!(parse_pair("52 61 0, 1 0 0"), Pair::Invalid(_)),
            "61 minutes"
        );
        assert!(
            matches!(parse_pair("52.5 30, 1 0"), Pair::Invalid(_)),
            "decimal degrees and minutes"
        );
        assert!(matches!(parse_pair("52.48, -1.89, 3"), Pair::Invalid(_)));
        assert_eq!(parse_pair("1.2.3, 4"), Pair::NotCoordinates);
    }

    #[test]
    fn any_text_of_coordinate_characters_is_read_or_refused_without_panicking() {
        // 300,000 strings drawn from the characters the grammar knows (and a few it does not),
        // from a fixed seed: each is read as a pair, refused, or left for other forms.
        let alphabet: Vec<char> = "0123456789.+-−,; :°º'′’\"″”dDmMsSnNeEwWxAB1 \u{0}é"
            .chars()
            .collect();
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..300_000 {
            let len = (next() % 24) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            if let Pair::LatLon(c) = parse_pair(&text) {
                assert!(
                    (-90.0..=90.0).contains(&c.y) && (-180.0..=180.0).contains(&c.x),
                    "{text:?}"
                );
            }
            // The batch fast path and the parser agree on what is a unit postcode.
            let parsed = crate::search::query::parse(&text);
            assert_eq!(
                matches!(parsed, Ok(crate::search::query::Query::Postcode(_))),
                crate::search::query::unit_postcode_key(&text).is_some(),
                "{text:?}"
            );
        }
    }
}
