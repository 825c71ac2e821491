//! The XMP metadata packet (ISO 16684-1) of the catalog's `/Metadata` stream (ISO 32000-1
//! §14.3.2): the document information again, as RDF/XML, which is where archival and
//! accessibility checkers (PDF/A, PDF/UA) and most document managers read it.
//!
//! Every value is the Info dictionary's, from the same [`Meta`], property for property as
//! ISO 32000-1 Table 317 and the XMP specification pair them: `/Title` is `dc:title`,
//! `/Author` `dc:creator`, `/Subject` `dc:description`, `/Keywords` `pdf:Keywords`,
//! `/Producer` `pdf:Producer`, `/Creator` `xmp:CreatorTool`, `/CreationDate` and `/ModDate`
//! `xmp:CreateDate` and `xmp:ModifyDate` (the same instants, in ISO 8601 with their offset).
//! The custom Info entries (`XborderReportId`…) are mirrored under their own names in the
//! [`NAMESPACE`] namespace. The document ID is the trailer's `/ID`, as a UUID.
//!
//! The packet is a pure function of the metadata, like the rest of the file: no timestamp,
//! no random instance ID. It claims no conformance (no `pdfaid`, no `pdfuaid`).

use std::fmt::Write as _;

use crate::model::Meta;

/// Namespace of the custom Info entries mirrored in XMP.
pub const NAMESPACE: &str = "http://ns.xborder.invalid/info/1.0/";

/// The text of a metadata value as both the Info dictionary and the XMP packet carry it:
/// the characters XML 1.0 cannot hold at all (§2.2: C0 controls other than tab, line feed
/// and carriage return; U+FFFE and U+FFFF) become U+FFFD, so that the two never disagree.
pub fn plain(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// `value` (already [`plain`]) as XML character data. A carriage return is written as a
/// character reference: a literal one would be read back as a line feed (XML 1.0 §2.11).
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in plain(value).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
    out
}

/// `meta.created` in ISO 8601 with its offset: the instant of `/CreationDate` (written in
/// UTC).
pub fn date(meta: &Meta) -> String {
    meta.created.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
}

/// The document ID as a UUID URN-style string (`uuid:…`, as XMP's `xmpMM` properties carry
/// it).
fn uuid(id: &[u8; 16]) -> String {
    let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// A language alternative (`rdf:Alt`) with only the default entry.
fn alt(out: &mut String, property: &str, value: &str) {
    let _ = writeln!(
        out,
        "   <{property}><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></{property}>",
        escape(value)
    );
}

/// A simple property.
fn simple(out: &mut String, property: &str, value: &str) {
    let _ = writeln!(out, "   <{property}>{}</{property}>", escape(value));
}

/// The XMP packet of a document with `meta`, produced by `producer` (both `/Producer` and
/// `/Creator`). Empty standard values are left out, as they are from the Info dictionary.
pub fn packet(meta: &Meta, producer: &str) -> String {
    let mut out = String::new();
    out.push_str("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    out.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n");
    out.push_str(" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    out.push_str("  <rdf:Description rdf:about=\"\"\n");
    out.push_str("    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n");
    out.push_str("    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n");
    out.push_str("    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n");
    out.push_str("    xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\"\n");
    let _ = writeln!(out, "    xmlns:xborder=\"{NAMESPACE}\">");
    simple(&mut out, "dc:format", "application/pdf");
    if !meta.title.is_empty() {
        alt(&mut out, "dc:title", &meta.title);
    }
    if !meta.author.is_empty() {
        let _ = writeln!(
            out,
            "   <dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>",
            escape(&meta.author)
        );
    }
    if !meta.subject.is_empty() {
        alt(&mut out, "dc:description", &meta.subject);
    }
    let _ = writeln!(
        out,
        "   <dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>",
        escape(&meta.language)
    );
    if !meta.keywords.is_empty() {
        simple(&mut out, "pdf:Keywords", &meta.keywords);
    }
    simple(&mut out, "pdf:Producer", producer);
    simple(&mut out, "xmp:CreatorTool", producer);
    let when = date(meta);
    for property in ["xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"] {
        simple(&mut out, property, &when);
    }
    let id = uuid(&meta.document_id);
    simple(&mut out, "xmpMM:DocumentID", &id);
    simple(&mut out, "xmpMM:InstanceID", &id);
    for (key, value) in &meta.custom_info {
        // Keys are checked to be XML names too (`pdf::validate_meta`).
        simple(&mut out, &format!("xborder:{key}"), value);
    }
    out.push_str("  </rdf:Description>\n");
    out.push_str(" </rdf:RDF>\n");
    out.push_str("</x:xmpmeta>\n");
    out.push_str("<?xpacket end=\"r\"?>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Meta {
        Meta {
            title: "Audit <Acme & Co> \"2025\"".into(),
            author: "Ann".into(),
            subject: String::new(),
            keywords: "a, b".into(),
            language: "en".into(),
            created: chrono::NaiveDate::from_ymd_opt(2025, 3, 4)
                .and_then(|d| d.and_hms_opt(5, 6, 7))
                .unwrap_or_default(),
            document_id: [0xab; 16],
            custom_info: vec![("XborderReportId".into(), "r\u{1}\r\n1".into())],
        }
    }

    #[test]
    fn values_are_escaped_and_dates_carry_their_offset() {
        let xmp = packet(&meta(), "xborder");
        assert!(
            xmp.contains("Audit &lt;Acme &amp; Co&gt; &quot;2025&quot;"),
            "{xmp}"
        );
        assert!(xmp.contains("<xmp:CreateDate>2025-03-04T05:06:07+00:00</xmp:CreateDate>"));
        assert!(
            xmp.contains("<xborder:XborderReportId>r\u{fffd}&#xD;\n1</xborder:XborderReportId>")
        );
        assert!(xmp.contains("uuid:abababab-abab-abab-abab-abababababab"));
        // An empty subject is left out, as from the Info dictionary.
        assert!(!xmp.contains("dc:description"));
        assert!(xmp.starts_with("<?xpacket begin=\"\u{feff}\""));
        assert!(xmp.ends_with("<?xpacket end=\"r\"?>"));
    }

    #[test]
    fn plain_keeps_what_xml_can_carry() {
        assert_eq!(plain("a\tb\nc\u{7}d\u{ffff}é"), "a\tb\nc\u{fffd}d\u{fffd}é");
    }
}
