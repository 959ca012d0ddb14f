//! The formats an export is written in, told by the output file's extension.

use std::path::Path;

use anyhow::bail;

/// The formats an export is written in, by file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
    Pdf,
}

/// The format for an output path; an error naming the path for any other extension.
pub fn format_of(path: &Path) -> anyhow::Result<Format> {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("png") => Ok(Format::Png),
        Some("svg") => Ok(Format::Svg),
        Some("pdf") => Ok(Format::Pdf),
        _ => bail!(
            "the output must end in .png, .svg or .pdf: {}",
            path.display()
        ),
    }
}
