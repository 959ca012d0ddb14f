//! The default dataset embedded at build time: the 44 STP footprints of 2016 with their details.

use crate::details::DetailsCatalog;
use crate::load::{self, Progress};
use crate::model::{FieldChoice, Layer, LayerSource};

/// The embedded files (`get()` is `None` when the build found no data folder).
pub mod embedded {
    pub use super::Embedded;
    include!(concat!(env!("OUT_DIR"), "/embedded_data.rs"));
}

/// How an embedded file is packed in the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    /// As it is (small files).
    Raw,
    /// Deflated (zlib): what the first frame reads, and the (binary) postcode table, as
    /// inflating is fast.
    Deflate,
    /// LZMA: everything else (tables, other layers, the OSTN15 grid), a fifth smaller again.
    Lzma,
}

/// A file embedded at build time: as it is, or packed (text of any size, a sixth to a tenth of
/// its size in the binary) and unpacked when read.
pub struct Embedded {
    bytes: Option<&'static [u8]>,
    packing: Packing,
    unpacked: std::sync::OnceLock<Vec<u8>>,
}

impl std::fmt::Debug for Embedded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.bytes {
            Some(bytes) => write!(f, "Embedded({:?}, {} bytes)", self.packing, bytes.len()),
            None => write!(f, "Embedded(none)"),
        }
    }
}

/// The same file is the same static.
impl PartialEq for Embedded {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Embedded {}

impl Embedded {
    pub const fn raw(bytes: Option<&'static [u8]>) -> Self {
        Self::packed(bytes, Packing::Raw)
    }

    pub const fn deflated(bytes: Option<&'static [u8]>) -> Self {
        Self::packed(bytes, Packing::Deflate)
    }

    pub const fn lzma(bytes: Option<&'static [u8]>) -> Self {
        Self::packed(bytes, Packing::Lzma)
    }

    const fn packed(bytes: Option<&'static [u8]>, packing: Packing) -> Self {
        Embedded {
            bytes,
            packing,
            unpacked: std::sync::OnceLock::new(),
        }
    }

    /// Whether the build found the file.
    pub fn is_some(&self) -> bool {
        self.bytes.is_some()
    }

    /// How the file is packed in the binary.
    pub fn packing(&self) -> Packing {
        self.packing
    }

    /// The file's bytes for one read, not kept: for tables parsed once into something smaller
    /// (the unpacked text is dropped after), borrowed when the file is raw or already kept.
    pub fn read(&'static self) -> Option<std::borrow::Cow<'static, [u8]>> {
        let bytes = self.bytes?;
        if self.packing == Packing::Raw {
            return Some(std::borrow::Cow::Borrowed(bytes));
        }
        if let Some(kept) = self.unpacked.get() {
            return Some(std::borrow::Cow::Borrowed(kept));
        }
        Some(std::borrow::Cow::Owned(unpack(self.packing, bytes)))
    }

    /// The file's bytes (unpacked on first use and kept), or `None` when the build had no
    /// data folder.
    pub fn get(&'static self) -> Option<&'static [u8]> {
        let bytes = self.bytes?;
        if self.packing == Packing::Raw {
            return Some(bytes);
        }
        Some(self.unpacked.get_or_init(|| unpack(self.packing, bytes)))
    }
}

/// A packed copy written by our own build script, unpacked. A failure here is a broken build,
/// and reads as an empty file (which every reader reports as such).
fn unpack(packing: Packing, bytes: &[u8]) -> Vec<u8> {
    use std::io::Read as _;
    let mut out = Vec::with_capacity(bytes.len() * 6);
    let read = match packing {
        Packing::Raw => {
            out.extend_from_slice(bytes);
            Ok(0)
        }
        Packing::Deflate => flate2::read::ZlibDecoder::new(bytes).read_to_end(&mut out),
        Packing::Lzma => lzma_rust2::LzmaReader::new_mem_limit(bytes, u32::MAX, None)
            .map_err(std::io::Error::other)
            .and_then(|mut reader| reader.read_to_end(&mut out)),
    };
    if read.is_err() {
        out.clear();
    }
    // The guess above is six times the packed size: the postcode table (1.6 times) would keep
    // 33 MB it never uses (committed memory on Windows).
    out.shrink_to_fit();
    out
}

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
        LayerSource::Embedded(DEFAULT_TITLE),
        DEFAULT_TITLE.to_string(),
        Some(fields.clone()),
    )?;
    if let Some(detail_bytes) = embedded::FOOTPRINTS_DETAIL.get() {
        let detail = load::load_bytes(
            detail_bytes,
            LayerSource::Embedded("STP footprints 2016 (detail)"),
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
