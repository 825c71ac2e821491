//! A raw walk over DER bytes: where the signed attributes are, exactly as received (the
//! signature covers those bytes, not a re-encoding), and how long the CMS in `/Contents` is.
//! Every access is checked: the bytes are untrusted.

use std::ops::Range;

/// (tag, content range) of the definite-length TLV at `pos` (DER only:
/// single-byte tags, at most 4 length bytes).
fn tlv(data: &[u8], pos: usize) -> Option<(u8, Range<usize>)> {
    let tag = *data.get(pos)?;
    if tag & 0x1f == 0x1f {
        return None;
    }
    let first = *data.get(pos.checked_add(1)?)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2usize)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            let b = *data.get(pos.checked_add(2 + i)?)?;
            len = len.checked_mul(256)?.checked_add(usize::from(b))?;
        }
        (len, 2 + n)
    };
    let start = pos.checked_add(header)?;
    let end = start.checked_add(len)?;
    (end <= data.len()).then_some((tag, start..end))
}

/// Length of the DER value at the start of `data` (header included).
pub(crate) fn der_total_len(data: &[u8]) -> Option<usize> {
    tlv(data, 0).map(|(_, r)| r.end)
}

/// Children of a constructed TLV's content: (tag, full range).
fn children(data: &[u8], content: Range<usize>) -> Option<Vec<(u8, Range<usize>)>> {
    let mut out = Vec::new();
    let mut pos = content.start;
    while pos < content.end {
        let (tag, r) = tlv(data, pos)?;
        if r.end > content.end {
            return None;
        }
        out.push((tag, pos..r.end));
        pos = r.end;
    }
    Some(out)
}

fn content_of(data: &[u8], full: &Range<usize>) -> Option<Range<usize>> {
    tlv(data, full.start).map(|(_, r)| r)
}

/// The signed attributes of the single SignerInfo exactly as encoded, with
/// the `[0] IMPLICIT` tag replaced by the SET OF tag (RFC 5652 §5.4).
pub(crate) fn raw_signed_attrs(cms: &[u8]) -> Option<Vec<u8>> {
    let (_, ci) = tlv(cms, 0)?;
    let ci_kids = children(cms, ci)?;
    let (_, explicit) = ci_kids.get(1)?;
    let sd_full = children(cms, content_of(cms, explicit)?)?
        .into_iter()
        .next()?
        .1;
    let sd_kids = children(cms, content_of(cms, &sd_full)?)?;
    let (tag, signer_infos) = sd_kids.last()?;
    if *tag != 0x31 {
        return None;
    }
    let si = children(cms, content_of(cms, signer_infos)?)?
        .into_iter()
        .next()?
        .1;
    let si_kids = children(cms, content_of(cms, &si)?)?;
    let (tag, attrs) = si_kids.get(3)?;
    if *tag != 0xA0 {
        return None;
    }
    let mut raw = cms.get(attrs.clone())?.to_vec();
    *raw.first_mut()? = 0x31;
    Some(raw)
}
