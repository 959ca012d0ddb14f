//! Text encodings (GeoJSON should be UTF-8, but files also arrive as UTF-16 or Windows-1252),
//! and CSV fields as they are written.

use std::borrow::Cow;

/// How a file's text was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    /// Not valid UTF-8: read byte by byte as Windows-1252 (a superset of Latin-1).
    Windows1252,
}

impl Encoding {
    /// What to tell the user, when the file was not UTF-8.
    pub fn note(self) -> Option<&'static str> {
        match self {
            Encoding::Utf8 => None,
            Encoding::Utf16Le | Encoding::Utf16Be => {
                Some("the file is UTF-16 text, not UTF-8; it was read as UTF-16")
            }
            Encoding::Windows1252 => Some(
                "the file is not UTF-8; its text was read as Windows-1252 (Latin-1), so check accented names",
            ),
        }
    }
}

/// Which UTF-16 the bytes are, from a byte-order mark or from the zero bytes of ASCII text.
fn utf16(bytes: &[u8]) -> Option<Encoding> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(Encoding::Utf16Le),
        [0xFE, 0xFF, ..] => Some(Encoding::Utf16Be),
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => Some(Encoding::Utf16Le),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some(Encoding::Utf16Be),
        _ => None,
    }
}

/// Whether the bytes are plainly not text: control characters other than tabs, line ends and
/// the record separator of a GeoJSON text sequence, in the first 4 KB (UTF-16 aside).
pub fn looks_binary(bytes: &[u8]) -> bool {
    utf16(bytes).is_none()
        && bytes
            .iter()
            .take(4096)
            .any(|&b| b < 0x09 || (0x0E..0x1E).contains(&b) || b == 0x1F)
}

/// Windows-1252's characters for bytes 0x80–0x9F (where Latin-1 has control codes).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// The bytes as UTF-8, converting UTF-16 and Windows-1252 text; UTF-8 is borrowed as it is.
pub fn to_utf8(bytes: &[u8]) -> (Cow<'_, [u8]>, Encoding) {
    if let Some(encoding) = utf16(bytes) {
        return (Cow::Owned(from_utf16(bytes, encoding)), encoding);
    }
    if std::str::from_utf8(bytes).is_ok() {
        return (Cow::Borrowed(bytes), Encoding::Utf8);
    }
    let text: String = bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[(b - 0x80) as usize],
            _ => b as char,
        })
        .collect();
    (Cow::Owned(text.into_bytes()), Encoding::Windows1252)
}

/// UTF-16 text as UTF-8, when it is UTF-16 (its byte-order mark becomes UTF-8's).
pub fn utf16_to_utf8(bytes: &[u8]) -> Option<Vec<u8>> {
    utf16(bytes).map(|encoding| from_utf16(bytes, encoding))
}

fn from_utf16(bytes: &[u8], encoding: Encoding) -> Vec<u8> {
    let units = bytes.chunks_exact(2).map(|pair| match encoding {
        Encoding::Utf16Be => u16::from_be_bytes([pair[0], pair[1]]),
        _ => u16::from_le_bytes([pair[0], pair[1]]),
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect::<String>()
        .into_bytes()
}

/// A CSV field as written: quoted (quotes doubled) when it holds a comma, quote or line end.
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_borrowed_untouched() {
        let (text, encoding) = to_utf8("{\"name\":\"Gwynedd – Môn\"}".as_bytes());
        assert_eq!(encoding, Encoding::Utf8);
        assert!(matches!(text, Cow::Borrowed(_)));
    }

    #[test]
    fn utf16_with_and_without_a_bom() {
        let source = "{\"n\":\"Bédford\"}";
        let le: Vec<u8> = source.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut le_bom = vec![0xFF, 0xFE];
        le_bom.extend(&le);
        let be: Vec<u8> = source.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, expected) in [
            (le, Encoding::Utf16Le),
            (le_bom, Encoding::Utf16Le),
            (be, Encoding::Utf16Be),
        ] {
            let (text, encoding) = to_utf8(&bytes);
            assert_eq!(encoding, expected);
            let text = std::str::from_utf8(&text).unwrap();
            assert_eq!(text.trim_start_matches('\u{feff}'), source);
        }
    }

    #[test]
    fn windows_1252_accents_and_dashes() {
        let (text, encoding) = to_utf8(b"{\"n\":\"Caf\xe9 \x96 \x80\"}");
        assert_eq!(encoding, Encoding::Windows1252);
        assert_eq!(std::str::from_utf8(&text).unwrap(), "{\"n\":\"Café – €\"}");
    }
}
