//! The default dataset embedded at build time: the 44 STP footprints of 2016 with their details
//! (the embedded files themselves are [`crate::embedded`]).

use crate::details::DetailsCatalog;
use crate::embedded;
use crate::load::{self, Progress};
use crate::model::{FieldChoice, Layer, LayerSource};

/// Title of the default layer.
pub const DEFAULT_TITLE: &str = "STP footprints 2016";

/// Whether this binary carries the default footprints.
pub fn has_default_data() -> bool {
    embedded::FOOTPRINTS.is_some()
}

/// The 44 footprints (simplified geometry for drawing, detail geometry for hit-testing) and
/// their details. `None` when the binary was built without the data folder.
pub fn default_footprints() -> anyhow::Result<Option<(Layer, DetailsCatalog)>> {
    let Some(bytes) = embedded::FOOTPRINTS.get() else {
        return Ok(None);
    };
    let t = std::time::Instant::now();
    let document = load::geojson::parse(bytes)?;
    let fields = FieldChoice {
        code: Some("STP17CD".into()),
        name: Some("name_2016".into()),
    };
    let mut layer = load::build_layer(
        document,
        LayerSource::BuiltIn(crate::model::BuiltInId::STP2016),
        DEFAULT_TITLE.to_string(),
        Some(fields.clone()),
    )?;
    if let Some(detail_bytes) = embedded::FOOTPRINTS_DETAIL.get() {
        let detail = load::load_bytes(
            detail_bytes,
            LayerSource::Made("STP footprints 2016 (detail)"),
            String::new(),
            &Progress::default(),
        )?;
        let mut detail_layer = detail;
        detail_layer.apply_fields(fields);
        let by_code: std::collections::HashMap<&str, &geo::MultiPolygon<f64>> = detail_layer
            .footprints
            .iter()
            .map(|f| (f.code.as_str(), &f.geometry))
            .collect();
        let matched: Option<Vec<geo::MultiPolygon<f64>>> = layer
            .footprints
            .iter()
            .map(|f| by_code.get(f.code.as_str()).map(|g| (*g).clone()))
            .collect();
        layer.detail = matched;
    }
    log::debug!(
        "default footprints parsed: {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let catalog = DetailsCatalog::build(
        layer
            .footprints
            .iter()
            .map(|f| (f.code.as_str(), &f.properties)),
        embedded::MEMBERS.get(),
    )?;
    Ok(Some((layer, catalog)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_data_has_44_footprints_with_detail_and_members() {
        let Some((layer, catalog)) = default_footprints().unwrap() else {
            panic!("built without ../shared/data: {}", embedded::DATA_DIR);
        };
        assert_eq!(layer.footprints.len(), 44);
        assert_eq!(layer.detail.as_ref().map(Vec::len), Some(44));
        let bsol = catalog.get("E54000017").unwrap();
        assert_eq!(bsol.name_2016, "Birmingham and Solihull");
        assert_eq!(bsol.leader.name.as_deref(), Some("Mark Rogers"));
        assert_eq!(bsol.members.ccgs[0].name, "NHS Birmingham and Solihull CCG");
        let total: u64 = catalog
            .by_code
            .values()
            .filter_map(|d| d.population.mid2019)
            .sum();
        assert_eq!(total, 56_286_961, "England total from the data README");
    }
}
