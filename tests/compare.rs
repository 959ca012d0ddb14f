//! `footprints compare`: the 2016 footprints against the STP boundaries of April 2021, checked
//! against what is known to have happened in between.

use crate::common::{footprints, shared_data};
use serde_json::Value;

fn compare_json(old: &str, new: &std::path::Path) -> Value {
    let output = footprints()
        .args(["compare", "--json", old])
        .arg(new)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn codes(value: &Value) -> Vec<&str> {
    let mut codes: Vec<&str> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    codes.sort();
    codes
}

/// `(code, share)` pairs of a successors or predecessors list.
fn shares(value: &Value) -> Vec<(&str, f64)> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["code"].as_str().unwrap(), s["share"].as_f64().unwrap()))
        .collect()
}

#[test]
fn stp_2016_to_2021_shows_the_mergers_and_moves() {
    let result = compare_json(
        "stp2016",
        &shared_data("boundaries/stp2021_ons_buc_42.geojson"),
    );

    // 44 footprints became 42: five new codes for seven old ones; the other 37 kept their land.
    assert_eq!(
        codes(&result["ended"]),
        [
            "E54000005",
            "E54000006",
            "E54000033",
            "E54000035",
            "E54000045",
            "E54000046",
            "E54000047"
        ]
    );
    assert_eq!(
        codes(&result["new"]),
        [
            "E54000050",
            "E54000051",
            "E54000052",
            "E54000053",
            "E54000054"
        ]
    );
    assert_eq!(result["unchanged"].as_array().unwrap().len(), 37);
    assert!(result["changed"].as_array().unwrap().is_empty());

    // 2018: Northumberland, Tyne and Wear and West, North and East Cumbria merged, with most of
    // Durham, Darlington and Tees, into Cumbria and North East.
    let successors = &result["successors"];
    for code in ["E54000046", "E54000047"] {
        let list = shares(&successors[code]);
        assert_eq!(list[0].0, "E54000050", "{code}");
        assert!(list[0].1 > 0.97, "{code}: {list:?}");
    }
    let durham = shares(&successors["E54000045"]);
    let codes_of: Vec<&str> = durham.iter().map(|s| s.0).collect();
    assert_eq!(
        codes_of,
        ["E54000051", "E54000050"],
        "Hambleton, Richmondshire and Whitby went south"
    );
    let merged = shares(&result["predecessors"]["E54000050"]);
    let from: Vec<&str> = merged.iter().map(|s| s.0).collect();
    assert_eq!(from, ["E54000046", "E54000047", "E54000045"]);
    assert!((merged.iter().map(|s| s.1).sum::<f64>() - 1.0).abs() < 0.02);

    // 2020: Harrogate left West Yorkshire for Humber, Coast and Vale.
    let west_yorkshire = shares(&successors["E54000005"]);
    assert_eq!(west_yorkshire[0].0, "E54000054");
    assert_eq!(west_yorkshire[1].0, "E54000051");
    assert!(
        (0.2..0.4).contains(&west_yorkshire[1].1),
        "{west_yorkshire:?}"
    );
    // About 160,000 people (Harrogate district, mid-2019), counted from the LSOAs.
    let harrogate = successors["E54000005"][1]["people"].as_u64().unwrap();
    assert!((140_000..180_000).contains(&harrogate), "{harrogate}");

    // Surrey: East Surrey left Sussex for Surrey Heartlands.
    let sussex = shares(&successors["E54000033"]);
    assert_eq!(sussex[0].0, "E54000053");
    assert_eq!(sussex[1].0, "E54000052");
    assert!((0.05..0.2).contains(&sussex[1].1), "{sussex:?}");
    let east_surrey = successors["E54000033"][1]["people"].as_u64().unwrap();
    assert!((150_000..250_000).contains(&east_surrey), "{east_surrey}");
    // Everyone in the two merged northern footprints is counted into the new one.
    let north: u64 = ["E54000046", "E54000047"]
        .iter()
        .map(|c| successors[*c][0]["people"].as_u64().unwrap())
        .sum();
    assert!(north > 2_000_000, "{north}");
    let heartlands = shares(&result["predecessors"]["E54000052"]);
    let from: Vec<&str> = heartlands.iter().map(|s| s.0).collect();
    assert_eq!(from, ["E54000035", "E54000033"]);
}

#[test]
fn the_same_file_against_itself_is_all_unchanged_and_text_says_so() {
    let path = shared_data("boundaries/icb2022_ons_buc_42_simplified.geojson");
    let result = compare_json(&path.display().to_string(), &path);
    assert_eq!(result["unchanged"].as_array().unwrap().len(), 42);
    for key in ["changed", "ended", "new"] {
        assert!(result[key].as_array().unwrap().is_empty(), "{key}");
    }
    let output = footprints()
        .args(["compare", "stp2016"])
        .arg(shared_data("boundaries/stp2021_ons_buc_42.geojson"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(
            "E54000047 West, North and East Cumbria → 100% Cumbria and North East (E54000050, 319,371 people)"
        ),
        "{text}"
    );
}
