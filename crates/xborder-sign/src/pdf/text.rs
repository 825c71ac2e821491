//! PDF text strings (ISO 32000-1 §7.9.2.2) and dates (§7.9.4).

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Timelike, Utc};

/// PDFDocEncoding code points 0x80–0x9F, which differ from Latin-1
/// (ISO 32000-1 Annex D.2). 0x9F is undefined and maps to U+FFFD.
const PDFDOC_80_9F: [char; 32] = [
    '\u{2022}', '\u{2020}', '\u{2021}', '\u{2026}', '\u{2014}', '\u{2013}', '\u{0192}', '\u{2044}',
    '\u{2039}', '\u{203A}', '\u{2212}', '\u{2030}', '\u{201E}', '\u{201C}', '\u{201D}', '\u{2018}',
    '\u{2019}', '\u{201A}', '\u{2122}', '\u{FB01}', '\u{FB02}', '\u{0141}', '\u{0152}', '\u{0160}',
    '\u{0178}', '\u{017D}', '\u{0131}', '\u{0142}', '\u{0153}', '\u{0161}', '\u{017E}', '\u{FFFD}',
];

/// Decodes a PDF text string: UTF-16BE with BOM, UTF-8 with BOM (PDF 2.0), or
/// PDFDocEncoding.
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| match c {
                [h, l] => u16::from_be_bytes([*h, *l]),
                _ => 0xFFFD,
            })
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => PDFDOC_80_9F
                .get(usize::from(b - 0x80))
                .copied()
                .unwrap_or('\u{FFFD}'),
            0xA0 => '\u{20AC}',
            0xAD => '\u{FFFD}',
            _ => char::from(b),
        })
        .collect()
}

/// Encodes a text string: plain bytes when ASCII, otherwise UTF-16BE with a
/// byte order mark, which every PDF version understands.
pub(crate) fn encode_text(s: &str) -> Vec<u8> {
    if s.is_ascii() {
        return s.as_bytes().to_vec();
    }
    let mut out = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_be_bytes());
    }
    out
}

/// Formats a UTC time as a PDF date `D:YYYYMMDDHHmmSS+00'00'`.
pub(crate) fn format_date(t: DateTime<Utc>) -> String {
    format!(
        "D:{:04}{:02}{:02}{:02}{:02}{:02}+00'00'",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parses a PDF date; every component after the year is optional, and the
/// time zone may be `Z`, `+HH'mm'`, `-HH'mm` or absent (taken as UTC).
pub(crate) fn parse_date(raw: &[u8]) -> Option<DateTime<Utc>> {
    let s = raw.strip_prefix(b"D:").unwrap_or(raw);
    let mut i = 0usize;
    let mut field = |len: usize, default: u32| -> Option<u32> {
        let part = s.get(i..i + len);
        match part {
            Some(p) if p.iter().all(u8::is_ascii_digit) => {
                i += len;
                std::str::from_utf8(p).ok()?.parse().ok()
            }
            _ => Some(default),
        }
    };
    let year = field(4, u32::MAX)?;
    if year == u32::MAX {
        return None;
    }
    let month = field(2, 1)?;
    let day = field(2, 1)?;
    let hour = field(2, 0)?;
    let minute = field(2, 0)?;
    let second = field(2, 0)?;
    let year = i32::try_from(year).ok()?;
    let naive = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(hour, minute, second)?;
    let tz = s.get(i..).unwrap_or_default();
    let offset_secs = match tz.first() {
        None | Some(b'Z') => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let digits: Vec<u8> = tz
                .iter()
                .skip(1)
                .copied()
                .filter(u8::is_ascii_digit)
                .collect();
            let num = |r: std::ops::Range<usize>| -> i32 {
                digits
                    .get(r)
                    .and_then(|d| std::str::from_utf8(d).ok())
                    .and_then(|d| d.parse().ok())
                    .unwrap_or(0)
            };
            let secs = num(0..2) * 3600 + num(2..4) * 60;
            if sign == b'-' { -secs } else { secs }
        }
        Some(_) => return None,
    };
    let offset = FixedOffset::east_opt(offset_secs)?;
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_roundtrip() {
        let t = Utc
            .with_ymd_and_hms(2025, 3, 4, 5, 6, 7)
            .single()
            .expect("time");
        let s = format_date(t);
        assert_eq!(s, "D:20250304050607+00'00'");
        assert_eq!(parse_date(s.as_bytes()), Some(t));
        assert_eq!(parse_date(b"D:20250304070607+02'00'"), Some(t));
        assert_eq!(parse_date(b"D:20250304050607Z"), Some(t));
        assert!(parse_date(b"D:2025").is_some());
        assert!(parse_date(b"garbage").is_none());
        assert!(parse_date(b"D:20251399").is_none());
    }

    #[test]
    fn text_strings() {
        assert_eq!(decode_text(b"abc"), "abc");
        assert_eq!(decode_text(&encode_text("Zürich €")), "Zürich €");
        assert_eq!(decode_text(&[0xFE, 0xFF, 0x00]), "\u{FFFD}");
        assert_eq!(decode_text(&[0x80]), "\u{2022}");
    }
}
