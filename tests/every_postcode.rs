//! Every postcode, sector and district in the data, read by the query parser as itself and
//! resolved to its own position — all 2,259,503 postcodes, not a sample (issue 11: 1.7 % of
//! them were once taken for coordinates).

use std::io::Read;

use footprints::search::query::{Query, is_outward_code, parse};
use footprints::search::resolve::{Resolution, Sources, resolve};

fn data(relative: &str) -> Vec<u8> {
    let path = std::path::Path::new(footprints::embedded::DATA_DIR).join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{e}: {}", path.display()))
}

/// The ways a person types a code: as printed, without spaces, in lower case, with stray spaces.
fn spellings(code: &str) -> [String; 4] {
    let compact: String = code.split_whitespace().collect();
    [
        code.to_string(),
        compact.clone(),
        code.to_lowercase(),
        format!("  {}  ", code.to_lowercase().replace(' ', "   ")),
    ]
}

/// The built-in gazetteers, as `which` and the search box use them.
fn sources() -> Sources {
    footprints::cli::which::embedded_sources(true).expect("built with ../shared/data")
}

/// What a spelling must parse as, and whether it must resolve to this row's position.
type Expect = dyn Fn(&str, &str) -> (Query, bool) + Sync;

/// Checks one code's spellings; the failures as lines of text.
fn check(code: &str, expect: &Expect, lat: &str, lon: &str, sources: &Sources) -> Vec<String> {
    let mut failures = Vec::new();
    for typed in spellings(code) {
        let (expected, same_place) = expect(code, &typed);
        let query = match parse(&typed) {
            Ok(q) if q == expected => q,
            other => {
                failures.push(format!("{typed:?} parsed as {other:?}, not {expected:?}"));
                continue;
            }
        };
        if !same_place {
            continue;
        }
        match resolve(&query, sources, None) {
            Resolution::Found(found) => {
                // Compared in the data's own precision, five decimals (-0.00000 is 0).
                let fixed = |degrees: f64| (degrees * 1e5).round() as i64;
                let parsed = |text: &str| text.parse::<f64>().map(fixed).ok();
                let got = (Some(fixed(found.point.y)), Some(fixed(found.point.x)));
                let want = (parsed(lat), parsed(lon));
                if got != want {
                    failures.push(format!("{typed:?} resolved to {got:?}, not {want:?}"));
                }
            }
            other => failures.push(format!("{typed:?} resolved to {other:?}")),
        }
    }
    failures
}

/// Runs `check` over CSV rows `code,lat,lon,…` on every core; the failures, and rows seen.
fn check_all(text: &str, expected: &Expect) -> (Vec<String>, usize) {
    let sources = sources();
    let rows: Vec<&str> = text.lines().skip(1).filter(|l| !l.is_empty()).collect();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = rows.len().div_ceil(threads).max(1);
    let failures = std::thread::scope(|scope| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .map(|rows| {
                let sources = &sources;
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for row in rows {
                        let mut fields = row.split(',');
                        let (Some(code), Some(lat), Some(lon)) =
                            (fields.next(), fields.next(), fields.next())
                        else {
                            failures.push(format!("bad row {row:?}"));
                            continue;
                        };
                        failures.extend(check(code, expected, lat, lon, sources));
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect::<Vec<_>>()
    });
    (failures, rows.len())
}

fn assert_none_failed(what: &str, failures: &[String], rows: usize) {
    assert!(
        failures.is_empty(),
        "{} of {rows} {what} spellings failed, e.g.:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

#[test]
fn every_english_postcode_in_every_spelling_is_itself() {
    let mut text = String::new();
    flate2::read::MultiGzDecoder::new(&data("gazetteer/england_postcodes.csv.gz")[..])
        .read_to_string(&mut text)
        .unwrap();
    let (failures, rows) = check_all(&text, &|code, _| (Query::Postcode(code.to_string()), true));
    assert_eq!(rows, 2_259_503, "every postcode in the data");
    assert_none_failed("postcodes", &failures, rows);
}

#[test]
fn every_sector_and_district_in_the_gazetteer_is_itself() {
    let sectors = String::from_utf8(data("gazetteer/gb_postcode_sectors.csv")).unwrap();
    // Without its space a sector can spell a district ("B1 2" → "B12"): then it is that
    // district, as the parser's rules say; every other spelling is the sector.
    let (failures, rows) = check_all(&sectors, &|code, typed| {
        let upper = typed.to_uppercase();
        if is_outward_code(&upper) {
            (Query::District(upper), false)
        } else {
            (Query::Sector(code.to_string()), true)
        }
    });
    assert_eq!(rows, 12_015);
    assert_none_failed("sectors", &failures, rows);
    let districts = String::from_utf8(data("gazetteer/gb_postcode_districts.csv")).unwrap();
    let (failures, rows) = check_all(&districts, &|code, _| {
        (Query::District(code.to_string()), true)
    });
    assert_eq!(rows, 2_996);
    assert_none_failed("districts", &failures, rows);
}
