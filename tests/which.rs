//! End-to-end tests of `footprints which`: single queries and CSV batches.

use crate::common::{failure, fixture, footprints, shared_data};

#[test]
fn each_query_gets_one_tab_separated_line() {
    let output = footprints()
        .args([
            "which",
            "B15 2TT",
            " b15  2tt ",
            "SP 06123 86456",
            "52.48, -1.89",
            "52°28'48\"N 1°53'24\"W",
            "406123, 286456",
            "Newport Pagnell",
            "55.95, -3.19",
            "EH16 4SA",
            "SP 061 86",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        vec![
            "B15 2TT\tE54000017\tBirmingham and Solihull",
            " b15  2tt \tE54000017\tBirmingham and Solihull",
            "SP 06123 86456\tE54000017\tBirmingham and Solihull",
            "52.48, -1.89\tE54000017\tBirmingham and Solihull",
            "52°28'48\"N 1°53'24\"W\tE54000017\tBirmingham and Solihull",
            "406123, 286456\tE54000017\tBirmingham and Solihull",
            "Newport Pagnell\tE54000024\tMilton Keynes, Bedfordshire and Luton",
            "55.95, -3.19\t-\t55.95000, -3.19000 is not in any of the 44 areas of STP footprints 2016",
            "EH16 4SA\t-\tEH16 4SA is not an English postcode (district EH16 is outside England, where no footprint is)",
            "SP 061 86\t-\t\"SP 061 86\" has 5 digits; a grid reference has an even number, 4 to 10 (e.g. SP 06 86 or SP 06123 86456)",
        ]
    );
}

#[test]
fn queries_can_use_other_boundaries() {
    let boundaries = shared_data("boundaries/icb2022_ons_buc_42_simplified.geojson");
    let output = footprints()
        .args(["which", "--boundaries"])
        .arg(&boundaries)
        .arg("B15 2TT")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "B15 2TT\tE54000055\tNHS Birmingham and Solihull Integrated Care Board\n"
    );
}

#[test]
fn a_csv_round_trips_with_quotes_bom_crlf_and_missing_values() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("sites.csv");
    std::fs::copy(fixture("sites.csv"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let out = dir.path().join("sites_with_footprints.csv");
    let status = footprints()
        .args(["which", "--csv"])
        .arg(&input)
        .args(["--column", "postcode", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the input is never modified"
    );
    let written = std::fs::read(&out).unwrap();
    assert_eq!(
        String::from_utf8(written).unwrap(),
        "\u{feff}name,postcode,notes,footprint_code,footprint_name,reason\r\n\
         \"Queen Elizabeth Hospital, Birmingham\",B15 2TH,\"main site, \"\"QE\"\"\",E54000017,Birmingham and Solihull,\r\n\
         Leeds General Infirmary,ls13ex,,E54000005,West Yorkshire,\r\n\
         Unknown site,,no postcode given,,,no value in postcode\r\n\
         Royal Infirmary of Edinburgh,EH16 4SA,Scotland,,,\"EH16 4SA is not an English postcode (district EH16 is outside England, where no footprint is)\"\r\n"
    );
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 2, "no temporary file is left behind");
}

#[test]
fn latitude_and_longitude_columns_are_found_or_named() {
    let output = footprints()
        .args(["which", "--csv"])
        .arg(fixture("points.csv"))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "site,lat,lon,footprint_code,footprint_name,reason\n\
         Birmingham,52.48,-1.89,E54000017,Birmingham and Solihull,\n\
         Sea,53.75,-3.75,,,not in any footprint\n\
         Blank,,,,,no latitude/longitude\n\
         Text,abc,-1.5,,,latitude/longitude are not valid numbers\n"
    );
}

#[test]
fn batch_errors_name_the_file_and_leave_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    let input = fixture("points.csv");
    assert_eq!(
        failure(
            footprints()
                .args(["which", "--csv"])
                .arg(&input)
                .args(["--column", "postcode", "--out"])
                .arg(&out)
        ),
        format!(
            "footprints: there is no column named \"postcode\": {}",
            input.display()
        )
    );
    assert!(!out.exists());

    let output = footprints()
        .args(["which", "--csv"])
        .arg(&input)
        .arg("--out")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("would overwrite the input"));
}

#[test]
fn binary_and_utf16_csvs_are_refused_or_read() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("sites.csv");
    std::fs::write(&binary, b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00").unwrap();
    assert_eq!(
        failure(footprints().args(["which", "--csv"]).arg(&binary)),
        format!(
            "footprints: Not a CSV (it is binary data, not text): {}",
            binary.display()
        )
    );

    // "Unicode text" from a spreadsheet: UTF-16 with a byte-order mark.
    let utf16 = dir.path().join("unicode.csv");
    let text = "\u{feff}postcode,site\r\nB15 2TT,Queen Elizabeth Hospital\r\n";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    std::fs::write(&utf16, &bytes).unwrap();
    let out = dir.path().join("assigned.csv");
    let output = footprints()
        .args(["which", "--csv"])
        .arg(&utf16)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        written,
        "\u{feff}postcode,site,footprint_code,footprint_name,reason\r\nB15 2TT,Queen Elizabeth Hospital,E54000017,Birmingham and Solihull,\r\n"
    );
    assert_eq!(
        std::fs::read(&utf16).unwrap(),
        bytes,
        "the input is untouched"
    );
}

#[test]
fn postcodes_with_compass_letters_are_placed_by_query_and_by_column() {
    // Inward codes of N, E, S and W were once read as hemispheres (issue 11); the search box,
    // `which` and `which --csv` share one parser, so all three place them.
    let expected = [
        ("M1 1NS", "E54000007\tGreater Manchester"),
        ("m11ns", "E54000007\tGreater Manchester"),
        ("DE1 0DD", "E54000012\tDerbyshire"),
        ("NE1 1EW", "E54000046\tNorthumberland, Tyne and Wear"),
        ("S1 1WN", "E54000009\tSouth Yorkshire and Bassetlaw"),
    ];
    let output = footprints()
        .arg("which")
        .args(expected.iter().map(|(q, _)| q))
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let want: Vec<String> = expected.iter().map(|(q, a)| format!("{q}\t{a}")).collect();
    assert_eq!(stdout.lines().collect::<Vec<_>>(), want);

    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("sites.csv");
    let rows: String = expected
        .iter()
        .enumerate()
        .map(|(i, (q, _))| format!("site {i},{q}\n"))
        .collect();
    std::fs::write(&input, format!("name,postcode\n{rows}")).unwrap();
    let output = footprints()
        .args(["which", "--csv"])
        .arg(&input)
        .args(["--column", "postcode"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let want: String = expected
        .iter()
        .enumerate()
        .map(|(i, (q, a))| {
            let (code, name) = a.split_once('\t').unwrap();
            let name = if name.contains(',') {
                format!("\"{name}\"")
            } else {
                name.to_string()
            };
            format!("site {i},{q},{code},{name},\n")
        })
        .collect();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!("name,postcode,footprint_code,footprint_name,reason\n{want}")
    );
}
