//! Understanding what was typed into the search box: a postcode, a grid reference, an
//! easting/northing pair, a latitude/longitude (decimal or degrees-minutes-seconds), or a name.

use geo::Coord;

use super::coordinates::{self, Pair};

/// What a query asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Query {
    /// A full unit postcode, normalised to "B15 2TT".
    Postcode(String),
    /// A postcode sector, normalised to "B15 2".
    Sector(String),
    /// A postcode district (outward code), normalised to "B15".
    District(String),
    /// An OS grid reference: the centre of the square it names, and the square's size (m).
    GridRef {
        easting: f64,
        northing: f64,
        precision_m: f64,
        /// Normalised, e.g. "SP 06123 86456".
        text: String,
    },
    /// Easting and northing in metres on the British National Grid.
    EastingNorthing { easting: f64, northing: f64 },
    /// WGS84 latitude/longitude.
    LatLon(Coord<f64>),
    /// Anything else: a place name.
    Place(String),
}

/// Why a query could not be understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error(
        "type a place, a postcode (B15 2TT), a grid reference (SP 06 86) or a latitude, longitude (52.48, -1.89)"
    )]
    Empty,
    #[error("{0}")]
    Invalid(String),
}

/// Parses a query. Forgiving about case, spaces, commas and degree signs.
///
/// The forms are tried in this order, each claiming only text of its own exact shape, so one
/// form is never taken for another:
/// 1. **Unit postcode**: an outward code (A9, A99, AA9, AA99, A9A, AA9A) then a digit and two
///    letters, spaces anywhere ("M1 1NS", "m11ns", " SW1A  1AA ").
/// 2. **Sector** ("B15 2", "B152") or **district** ("B15", "NW10", "SP06"): an outward code
///    with or without one digit. Two letters and two digits is a district, not a 10 km square.
/// 3. **OS grid reference**: a 100 km square's two letters and an even number (4–10) of digits.
/// 4. **Coordinates** (see [`coordinates`](super::coordinates)): two numbers that look like
///    coordinates — letters only as units straight after a number or as hemispheres — as
///    latitude/longitude (decimal or DMS) or, beyond ±180, easting/northing.
/// 5. Text shaped almost like a postcode is refused with an example of the real shape.
/// 6. Anything else is a **place name**.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(QueryError::Empty);
    }
    if let Some(q) = parse_postcode(text) {
        return Ok(q);
    }
    if let Some(q) = parse_grid_ref(text) {
        return q;
    }
    let broken_postcode = || {
        QueryError::Invalid(format!(
            "\"{text}\" looks like a postcode but is not one: expected e.g. B15 2TT, B15 2 or B15"
        ))
    };
    match coordinates::parse_pair(text) {
        Pair::LatLon(c) => return Ok(Query::LatLon(c)),
        Pair::EastingNorthing { easting, northing } => {
            return Ok(Query::EastingNorthing { easting, northing });
        }
        Pair::Invalid(_) if looks_like_a_broken_postcode(text) => return Err(broken_postcode()),
        Pair::Invalid(reason) => return Err(QueryError::Invalid(reason)),
        Pair::NotCoordinates => {}
    }
    if looks_like_a_broken_postcode(text) {
        return Err(broken_postcode());
    }
    if text.chars().all(|c| !c.is_alphabetic()) && text.chars().any(|c| c.is_ascii_digit()) {
        return Err(QueryError::Invalid(coordinates::unreadable(text)));
    }
    Ok(Query::Place(
        text.split_whitespace().collect::<Vec<_>>().join(" "),
    ))
}

// ----- postcodes -----

/// Outward code shapes: A9, A99, AA9, AA99, A9A, AA9A; and the two non-geographic codes the
/// data holds, NPT (Newport's retired district) and GIR (GIR 0AA).
fn valid_outward(outward: &str) -> bool {
    let b = outward.as_bytes();
    let a = |i: usize| b.get(i).is_some_and(u8::is_ascii_uppercase);
    let d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    match b.len() {
        2 => a(0) && d(1),
        3 => {
            (a(0) && d(1) && d(2))
                || (a(0) && a(1) && d(2))
                || (a(0) && d(1) && a(2))
                || outward == "NPT"
                || outward == "GIR"
        }
        4 => (a(0) && a(1) && d(2) && d(3)) || (a(0) && a(1) && d(2) && a(3)),
        _ => false,
    }
}

/// Whether text (upper case, no spaces) has the shape of a postcode district ("B15", "SW1A").
pub fn is_outward_code(text: &str) -> bool {
    valid_outward(text)
}

fn valid_inward(inward: &str) -> bool {
    let b = inward.as_bytes();
    b.len() == 3 && b[0].is_ascii_digit() && b[1].is_ascii_uppercase() && b[2].is_ascii_uppercase()
}

/// The letters and digits of a unit postcode without its spaces, upper-cased, checked for the
/// postcode's shape: (buffer, length). `None` if the text is not a unit postcode.
fn compact_postcode(text: &str) -> Option<([u8; 7], usize)> {
    let mut compact = [0u8; 7];
    let mut len = 0;
    for c in text.bytes() {
        if c.is_ascii_whitespace() {
            continue;
        }
        if len == 7 || !c.is_ascii_alphanumeric() {
            return None;
        }
        compact[len] = c.to_ascii_uppercase();
        len += 1;
    }
    if len < 5 {
        return None;
    }
    // Both halves are ASCII letters and digits, so they are valid UTF-8.
    let outward = std::str::from_utf8(&compact[..len - 3]).ok()?;
    let inward = std::str::from_utf8(&compact[len - 3..len]).ok()?;
    (valid_outward(outward) && valid_inward(inward)).then_some((compact, len))
}

/// Normalises a unit postcode ("b152tt", " B15  2TT ") to "B15 2TT"; `None` if it is not one.
pub fn normalise_postcode(text: &str) -> Option<String> {
    let (compact, len) = compact_postcode(text)?;
    let outward = String::from_utf8_lossy(&compact[..len - 3]);
    let inward = String::from_utf8_lossy(&compact[len - 3..len]);
    Some(format!("{outward} {inward}"))
}

/// The postcode table's key of a unit postcode in any spelling, without allocating: what
/// [`parse`] reads as `Query::Postcode` has a key here, and nothing else does.
pub fn unit_postcode_key(text: &str) -> Option<u64> {
    let (compact, len) = compact_postcode(text)?;
    super::postcode_table::pack(&compact[..len - 3], &compact[len - 3..len])
}

fn parse_postcode(text: &str) -> Option<Query> {
    if let Some(unit) = normalise_postcode(text) {
        return Some(Query::Postcode(unit));
    }
    let upper = text.to_ascii_uppercase();
    let parts: Vec<&str> = upper.split_whitespace().collect();
    match parts.as_slice() {
        [outward] if valid_outward(outward) => Some(Query::District(outward.to_string())),
        [outward, digit]
            if valid_outward(outward)
                && digit.len() == 1
                && digit.as_bytes()[0].is_ascii_digit() =>
        {
            Some(Query::Sector(format!("{outward} {digit}")))
        }
        // A sector typed without its space: "B152", "SW1A1". Text that is itself a district
        // stays one: "B15" is district B15, not sector 5 of B1.
        [joined] if joined.len() >= 3 && joined.as_bytes()[joined.len() - 1].is_ascii_digit() => {
            let (outward, digit) = joined.split_at(joined.len() - 1);
            valid_outward(outward).then(|| Query::Sector(format!("{outward} {digit}")))
        }
        _ => None,
    }
}

fn looks_like_a_broken_postcode(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let has_digit = compact.chars().any(|c| c.is_ascii_digit());
    let has_letter = compact.chars().any(|c| c.is_ascii_alphabetic());
    let alnum = compact.chars().all(|c| c.is_ascii_alphanumeric());
    alnum
        && has_digit
        && has_letter
        && (4..=8).contains(&compact.len())
        && compact.as_bytes()[0].is_ascii_alphabetic()
}

// ----- OS grid references -----

/// Easting and northing (in 100 km units) of the south-west corner of a two-letter square.
fn grid_square(letters: &str) -> Option<(u32, u32)> {
    let mut chars = letters.chars();
    let first = chars.next()?.to_ascii_uppercase();
    let second = chars.next()?.to_ascii_uppercase();
    if chars.next().is_some() {
        return None;
    }
    // Letters A–Z without I, in a 5×5 grid read from the top-left.
    let index = |c: char| -> Option<u32> {
        if !c.is_ascii_uppercase() || c == 'I' {
            return None;
        }
        let i = c as u32 - 'A' as u32;
        Some(if c > 'I' { i - 1 } else { i })
    };
    let big = index(first)?;
    let small = index(second)?;
    // 500 km squares: S (0,0) T (5,0) N (0,5) O (5,5) H (0,10) J (5,10), plus the rest of the
    // false-origin grid for completeness.
    let (big_e, big_n) = ((big % 5) as i32 * 5 - 10, 15 - (big / 5) as i32 * 5);
    let (small_e, small_n) = ((small % 5) as i32, 4 - (small / 5) as i32);
    let e = big_e + small_e;
    let n = big_n + small_n;
    // The National Grid covers 0–700 km east, 0–1300 km north.
    ((0..7).contains(&e) && (0..13).contains(&n)).then_some((e as u32, n as u32))
}

/// Formats easting/northing as an OS grid reference with `digits` per axis (1 to 5):
/// (406123, 286456, 5) → "SP 06123 86456". `None` outside the grid.
pub fn format_grid_ref(easting: f64, northing: f64, digits: u32) -> Option<String> {
    if !(0.0..700_000.0).contains(&easting) || !(0.0..1_300_000.0).contains(&northing) {
        return None;
    }
    let digits = digits.clamp(1, 5);
    let (e100, n100) = ((easting / 100_000.0) as u32, (northing / 100_000.0) as u32);
    // Invert the lettering of `grid_square`: 500 km square, then 100 km square.
    let letter = |index: u32| -> char {
        let c = (b'A' + index as u8) as char;
        if c >= 'I' { (c as u8 + 1) as char } else { c }
    };
    let (big_e, big_n) = ((e100 / 5) as i32 + 2, (n100 / 5) as i32);
    let big = (3 - big_n) * 5 + big_e;
    let (small_e, small_n) = (e100 % 5, n100 % 5);
    let small = (4 - small_n) * 5 + small_e;
    if !(0..25).contains(&big) {
        return None;
    }
    let scale = 10f64.powi(5 - digits as i32);
    let e = ((easting % 100_000.0) / scale).floor() as u64;
    let n = ((northing % 100_000.0) / scale).floor() as u64;
    Some(format!(
        "{}{} {e:0width$} {n:0width$}",
        letter(big as u32),
        letter(small),
        width = digits as usize
    ))
}

fn parse_grid_ref(text: &str) -> Option<Result<Query, QueryError>> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 2 || !compact.is_ascii() {
        return None;
    }
    let (letters, digits) = compact.split_at(2);
    if !letters.chars().all(|c| c.is_ascii_alphabetic())
        || !digits.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    // Two letters alone are a postcode area or a word, not a grid reference.
    if digits.is_empty() {
        return None;
    }
    let Some((square_e, square_n)) = grid_square(letters) else {
        // "AB12" and the like are postcodes; only say "grid" when it cannot be anything else.
        return None;
    };
    if digits.len() % 2 == 1 || !(2..=10).contains(&digits.len()) {
        if digits.len() <= 3 {
            return None; // e.g. "SE1", "NW10": postcode districts
        }
        return Some(Err(QueryError::Invalid(format!(
            "\"{}\" has {} digits; a grid reference has an even number, 4 to 10 (e.g. SP 06 86 or SP 06123 86456)",
            text.trim(),
            digits.len()
        ))));
    }
    if digits.len() == 2 {
        // "SP06" could be a grid square to 10 km, but a postcode district is likelier.
        return None;
    }
    let half = digits.len() / 2;
    let precision_m = 10f64.powi(5 - half as i32);
    let e_digits: f64 = digits[..half].parse().ok()?;
    let n_digits: f64 = digits[half..].parse().ok()?;
    let easting = square_e as f64 * 100_000.0 + e_digits * precision_m + precision_m / 2.0;
    let northing = square_n as f64 * 100_000.0 + n_digits * precision_m + precision_m / 2.0;
    Some(Ok(Query::GridRef {
        easting,
        northing,
        precision_m,
        text: format!(
            "{} {} {}",
            letters.to_ascii_uppercase(),
            &digits[..half],
            &digits[half..]
        ),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latlon(q: &str) -> (f64, f64) {
        match parse(q) {
            Ok(Query::LatLon(c)) => (c.y, c.x),
            other => panic!("{q:?} gave {other:?}"),
        }
    }

    #[test]
    fn unit_postcodes_in_any_spacing_and_case() {
        for q in ["B15 2TT", "b152tt", " b15  2tt ", "B152TT"] {
            assert_eq!(parse(q), Ok(Query::Postcode("B15 2TT".into())), "{q:?}");
        }
        assert_eq!(parse("SW1A 1AA"), Ok(Query::Postcode("SW1A 1AA".into())));
        assert_eq!(parse("m1 1ae"), Ok(Query::Postcode("M1 1AE".into())));
        assert_eq!(parse("EC1A1BB"), Ok(Query::Postcode("EC1A 1BB".into())));
        assert_eq!(normalise_postcode("W1A 0AX").as_deref(), Some("W1A 0AX"));
        assert_eq!(normalise_postcode("B15 2T"), None);
    }

    #[test]
    fn sectors_and_districts() {
        assert_eq!(parse("B15 2"), Ok(Query::Sector("B15 2".into())));
        assert_eq!(parse("sw1a 1"), Ok(Query::Sector("SW1A 1".into())));
        assert_eq!(parse("b15"), Ok(Query::District("B15".into())));
        assert_eq!(parse("SE1"), Ok(Query::District("SE1".into())));
        assert_eq!(parse("NW10"), Ok(Query::District("NW10".into())));
        assert_eq!(parse("W1A"), Ok(Query::District("W1A".into())));
    }

    #[test]
    fn grid_references_of_every_precision() {
        let check = |q: &str, e: f64, n: f64, p: f64| match parse(q) {
            Ok(Query::GridRef {
                easting,
                northing,
                precision_m,
                ..
            }) => {
                assert_eq!((easting, northing, precision_m), (e, n, p), "{q}");
            }
            other => panic!("{q:?} gave {other:?}"),
        };
        check("SP 06 86", 406_500.0, 286_500.0, 1_000.0);
        check("SP0686", 406_500.0, 286_500.0, 1_000.0);
        check("sp 061 864", 406_150.0, 286_450.0, 100.0);
        check("SP 0612 8645", 406_125.0, 286_455.0, 10.0);
        check("SP 06123 86456", 406_123.5, 286_456.5, 1.0);
        // Squares at the edges of the grid.
        check("SV 90 10", 90_500.0, 10_500.0, 1_000.0); // Isles of Scilly, far south-west
        check("TQ 30 80", 530_500.0, 180_500.0, 1_000.0); // London
        check("TV 50 95", 550_500.0, 95_500.0, 1_000.0);
        check("HP 60 10", 460_500.0, 1_210_500.0, 1_000.0); // Shetland, far north
        check("NT 25 73", 325_500.0, 673_500.0, 1_000.0); // Edinburgh
    }

    #[test]
    fn grid_references_format_back() {
        assert_eq!(
            format_grid_ref(406_123.0, 286_456.0, 5).as_deref(),
            Some("SP 06123 86456")
        );
        assert_eq!(
            format_grid_ref(406_123.0, 286_456.0, 2).as_deref(),
            Some("SP 06 86")
        );
        assert_eq!(
            format_grid_ref(90_500.0, 10_500.0, 3).as_deref(),
            Some("SV 905 105")
        );
        assert_eq!(
            format_grid_ref(460_500.0, 1_210_500.0, 2).as_deref(),
            Some("HP 60 10")
        );
        assert_eq!(
            format_grid_ref(530_500.0, 180_500.0, 2).as_deref(),
            Some("TQ 30 80")
        );
        assert_eq!(format_grid_ref(800_000.0, 10.0, 2), None);
        // Every 100 km square survives a round trip.
        for e in 0..7 {
            for n in 0..13 {
                let text = format_grid_ref(
                    e as f64 * 100_000.0 + 5_000.0,
                    n as f64 * 100_000.0 + 5_000.0,
                    2,
                )
                .unwrap();
                match parse(&text) {
                    Ok(Query::GridRef {
                        easting, northing, ..
                    }) => {
                        assert_eq!(
                            (easting, northing),
                            (
                                e as f64 * 100_000.0 + 5_500.0,
                                n as f64 * 100_000.0 + 5_500.0
                            ),
                            "{text}"
                        );
                    }
                    other => panic!("{text}: {other:?}"),
                }
            }
        }
    }

    #[test]
    fn grid_reference_with_odd_digits_says_so() {
        let err = parse("SP 061 86").unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"SP 061 86\" has 5 digits; a grid reference has an even number, 4 to 10 (e.g. SP 06 86 or SP 06123 86456)"
        );
    }

    #[test]
    fn easting_northing_pairs() {
        assert_eq!(
            parse("406123, 286456"),
            Ok(Query::EastingNorthing {
                easting: 406_123.0,
                northing: 286_456.0
            })
        );
        assert_eq!(
            parse("406123 286456"),
            Ok(Query::EastingNorthing {
                easting: 406_123.0,
                northing: 286_456.0
            })
        );
        assert!(parse("9406123, 286456").is_err());
    }

    #[test]
    fn decimal_latitude_longitude() {
        assert_eq!(latlon("52.48, -1.89"), (52.48, -1.89));
        assert_eq!(latlon("52.48 -1.89"), (52.48, -1.89));
        assert_eq!(latlon("52.48°, -1.89°"), (52.48, -1.89));
        assert_eq!(latlon("52.48N 1.89W"), (52.48, -1.89));
        assert_eq!(latlon("1.89W, 52.48N"), (52.48, -1.89));
        assert!(parse("152.48, -1.89").is_err());
    }

    #[test]
    fn degrees_minutes_seconds() {
        let (lat, lon) = latlon("52°28'48\"N 1°53'24\"W");
        assert!(
            (lat - 52.48).abs() < 1e-9 && (lon - -1.89).abs() < 1e-9,
            "{lat} {lon}"
        );
        let (lat, lon) = latlon("52 28 48 N, 1 53 24 W");
        assert!((lat - 52.48).abs() < 1e-9 && (lon - -1.89).abs() < 1e-9);
        let (lat, lon) = latlon("52°28′48″N, 1°53′24″W");
        assert!((lat - 52.48).abs() < 1e-9 && (lon - -1.89).abs() < 1e-9);
        let (lat, lon) = latlon("52 28.8, -1 53.4");
        assert!((lat - 52.48).abs() < 1e-9 && (lon - -1.89).abs() < 1e-9);
    }

    #[test]
    fn compass_letter_postcodes_are_postcodes() {
        // Inward codes made of N, E, S, W once read as hemispheres (issue 11).
        for (typed, postcode) in [
            ("M1 1NS", "M1 1NS"),
            ("m11ns", "M1 1NS"),
            ("DE1 0DD", "DE1 0DD"),
            ("NE1 1EW", "NE1 1EW"),
            ("S1 1WN", "S1 1WN"),
            ("SE1 7EW", "SE1 7EW"),
            ("E1 6SN", "E1 6SN"),
            ("N1 9NE", "N1 9NE"),
            ("W1D 3SW", "W1D 3SW"),
            ("sw1w 0ns", "SW1W 0NS"),
            (" N 1  9 N E ", "N1 9NE"),
        ] {
            assert_eq!(
                parse(typed),
                Ok(Query::Postcode(postcode.into())),
                "{typed:?}"
            );
        }
        assert_eq!(parse("N1 1"), Ok(Query::Sector("N1 1".into())));
        assert_eq!(parse("E1"), Ok(Query::District("E1".into())));
        assert_eq!(parse("S1"), Ok(Query::District("S1".into())));
    }

    #[test]
    fn near_misses_keep_their_meaning() {
        // Coordinates with hemisphere letters stay coordinates.
        for text in [
            "52N 1W",
            "52.48N 1.89W",
            "N52 W1",
            "52 N, 1 W",
            "1W 52N",
            "W1.89 N52.48",
        ] {
            assert!(
                matches!(parse(text), Ok(Query::LatLon(_))),
                "{text}: {:?}",
                parse(text)
            );
        }
        assert_eq!(latlon("52N 1E"), (52.0, 1.0));
        assert_eq!(latlon("51.5 S, 0.1 W"), (-51.5, -0.1));
        // Grid references shaped like postcodes stay grid references.
        for text in [
            "NN 16 67",
            "NN1667",
            "SE 123 456",
            "TQ 3001 8001",
            "SU 12 34",
            "NZ2564",
        ] {
            assert!(
                matches!(parse(text), Ok(Query::GridRef { .. })),
                "{text}: {:?}",
                parse(text)
            );
        }
        // Postcode districts shaped like grid squares stay districts.
        assert_eq!(parse("SE12"), Ok(Query::District("SE12".into())));
        assert_eq!(parse("NW10"), Ok(Query::District("NW10".into())));
        // Place names made of compass and unit letters stay names.
        for name in [
            "Wem",
            "Send",
            "Ness",
            "Sedbergh",
            "Newport",
            "West End",
            "Ashby de la Zouch",
        ] {
            assert_eq!(parse(name), Ok(Query::Place(name.into())), "{name}");
        }
        // Almost-postcodes are named as such, not as coordinates.
        for text in ["M1 1N", "N1 1S", "NE1 1E", "S1 1WNX"] {
            assert_eq!(
                parse(text),
                Err(QueryError::Invalid(format!(
                    "\"{text}\" looks like a postcode but is not one: expected e.g. B15 2TT, B15 2 or B15"
                ))),
                "{text}"
            );
        }
    }

    #[test]
    fn the_coordinate_hint_uses_characters_every_font_has() {
        let Err(QueryError::Invalid(message)) = parse("52.48, -1.89, 3") else {
            panic!("three numbers are not a pair");
        };
        assert!(message.contains("52°28'48\"N 1°53'24\"W"), "{message}");
        assert!(!message.contains(['′', '″']), "{message}");
    }

    #[test]
    fn names_and_nonsense() {
        assert_eq!(parse("  Newport "), Ok(Query::Place("Newport".into())));
        assert_eq!(
            parse("stoke on  trent"),
            Ok(Query::Place("stoke on trent".into()))
        );
        assert_eq!(parse(""), Err(QueryError::Empty));
        assert!(matches!(parse("B15 2TTX"), Err(QueryError::Invalid(_))));
        assert!(matches!(parse("12345"), Err(QueryError::Invalid(_))));
    }
}
