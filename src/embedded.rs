//! The files embedded at build time from the data folder (`../shared/data` or
//! `FOOTPRINTS_DATA`), packed by `build.rs` and unpacked when read. Depends only on [`crate::memory`]
//! (which depends on nothing), so that every reader (loading, search, blocks, the default layer)
//! can use it.

// The embedded files (`get()` is `None` when the build found no data folder), as build.rs
// wrote them.
include!(concat!(env!("OUT_DIR"), "/embedded_data.rs"));

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
fn unpack(packing: Packing, bytes: &'static [u8]) -> Vec<u8> {
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
    // The packed bytes are not read again (the unpacked copy is kept, or parsed and dropped).
    crate::memory::forget_read_only(bytes);
    // The guess above is six times the packed size: the postcode table (1.6 times) would keep
    // 33 MB it never uses (committed memory on Windows).
    out.shrink_to_fit();
    out
}
