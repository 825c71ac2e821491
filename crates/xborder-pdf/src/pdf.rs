//! Turning laid-out pages into PDF bytes, and making those bytes
//! deterministic.
//!
//! printpdf builds the page objects, embeds and subsets the fonts. We then
//! take its `lopdf::Document` (via `to_lopdf_document`) and fix what it gets
//! wrong for a signed audit report:
//!
//! * **Info dictionary.** printpdf writes `GTS_PDFXVersion`, `Trapped` and
//!   `Identifier` keys, which make `pdfinfo` report the file as PDF/X. We
//!   replace the whole dictionary with the keys from [`Meta`].
//! * **Trailer `/ID`.** printpdf fills it from a process-wide counter, so two
//!   saves in one process differ. We set both halves to `meta.document_id`.
//! * **Outline.** printpdf sorts bookmarks by (page, title), which reorders
//!   sections sharing a page, and writes `/PageMode` as a string. We build the
//!   outline ourselves, in section order, with destinations at the section's
//!   position on the page.
//! * **Tagging and metadata.** The catalog gets what a tagged PDF needs (ISO 32000-1
//!   §14.7–14.8): `/MarkInfo << /Marked true >>`, the `/StructTreeRoot` (see
//!   [`crate::structure`]), `/Lang`, and `/ViewerPreferences << /DisplayDocTitle true >>`
//!   so viewers show the title rather than the file name; and `/Metadata`, the XMP packet
//!   (see [`crate::xmp`]), uncompressed so any tool can read it.
//!
//! Font and graphics-state resource names are chosen by us (see
//! [`crate::fonts::font_id`]), the rest of printpdf's output is a function of
//! the page operations, so the same document always yields the same bytes.
//!
//! Dictionaries and arrays go into object streams and the cross-reference is a stream
//! (ISO 32000-1 §7.5.7, §7.5.8): a tagged report has one structure element per table cell,
//! about 250,000 for a 10,000-hop audit, and written one by one they would triple the file
//! and its writing time. The signer's incremental update continues with a cross-reference
//! stream (see `xborder-sign`'s `incremental`).

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use printpdf::{Mm, PdfDocument, PdfFont, PdfPage, PdfParseErrorSeverity, PdfSaveOptions};

use crate::RenderError;
use crate::canvas::Canvas;
use crate::chrome;
use crate::flow::OutlineEntry;
use crate::fonts::{Face, Fonts, font_id};
use crate::model::Meta;
use crate::structure::StructTree;
use crate::theme::PAGE_H;
use crate::xmp;

/// `/Info` keys written by us; custom keys may not reuse them.
const RESERVED_INFO_KEYS: &[&str] = &[
    "Title",
    "Author",
    "Subject",
    "Keywords",
    "Creator",
    "Producer",
    "CreationDate",
    "ModDate",
    "Trapped",
];

/// Producer and creator recorded in `/Info`.
const PRODUCER: &str = "xborder";

/// Check the metadata before doing any work.
pub fn validate_meta(meta: &Meta) -> Result<(), RenderError> {
    use chrono::Datelike;
    let year = meta.created.year();
    if !(0..=9999).contains(&year) {
        return Err(RenderError::InvalidDate(year));
    }
    let language = &meta.language;
    if !language.starts_with(|c: char| c.is_ascii_alphabetic())
        || !language
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(RenderError::InvalidLanguage(language.clone()));
    }
    let mut seen: Vec<&str> = Vec::new();
    for (key, _) in &meta.custom_info {
        // A name in PDF and in XML (the XMP mirror): a letter first.
        let valid_chars = key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !valid_chars
            || RESERVED_INFO_KEYS.contains(&key.as_str())
            || seen.contains(&key.as_str())
        {
            return Err(RenderError::InvalidInfoKey(key.clone()));
        }
        seen.push(key);
    }
    Ok(())
}

/// What layout made: the pages, the outline and the structure tree.
pub struct Layout<'a> {
    pub pages: Vec<Canvas>,
    pub outline: &'a [OutlineEntry],
    pub tree: StructTree,
}

/// Serialise the pages into a finished PDF file.
pub fn write(
    meta: &Meta,
    fonts: &Fonts,
    layout: Layout<'_>,
    watermark: bool,
) -> Result<Vec<u8>, RenderError> {
    let Layout {
        pages,
        outline,
        mut tree,
    } = layout;
    let mut pdf = PdfDocument::new(&meta.title);
    for face in [Face::Regular, Face::Bold] {
        pdf.resources.fonts.map.insert(
            font_id(face),
            PdfFont::new(fonts.get(face).parsed().clone()),
        );
    }
    if watermark {
        pdf.resources
            .extgstates
            .map
            .insert(chrome::watermark_gs_id(), chrome::watermark_gs());
    }
    pdf.pages = pages
        .into_iter()
        .map(|canvas| {
            let (ops, owners) = canvas.finish();
            tree.add_page(owners);
            PdfPage::new(Mm(210.0), Mm(297.0), ops)
        })
        .collect();

    let options = PdfSaveOptions {
        optimize: false,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut doc = pdf.to_lopdf_document(&options, &mut warnings);
    // The operations are content streams now: free them before the structure tree and the
    // compressed streams are made (a 10,000-hop audit has millions of them).
    drop(pdf);
    let errors: Vec<String> = warnings
        .iter()
        .filter(|w| w.severity == PdfParseErrorSeverity::Error)
        .map(|w| w.msg.clone())
        .collect();
    if !errors.is_empty() {
        return Err(RenderError::Pdf(errors.join("; ")));
    }

    // 1.4 is the minimum for transparency (watermark); 1.7 is what every
    // current viewer and validator expects.
    doc.version = "1.7".to_string();
    let catalog_id = trailer_ref(&doc, b"Root")?;
    let info_id = trailer_ref(&doc, b"Info")?;
    doc.objects
        .insert(info_id, Object::Dictionary(info_dictionary(meta)));
    let id = Object::String(meta.document_id.to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    write_outline(&mut doc, catalog_id, outline)?;
    write_tagging(&mut doc, catalog_id, meta, &tree)?;

    compress_streams(&mut doc);
    let mut bytes = Vec::new();
    let options = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .max_objects_per_stream(OBJECTS_PER_STREAM)
        .compression_level(u32::from(DEFLATE_LEVEL))
        .build();
    doc.save_with_options(&mut bytes, options)
        .map_err(|e| RenderError::Pdf(format!("cannot serialise PDF: {e}")))?;
    Ok(bytes)
}

fn trailer_ref(doc: &lopdf::Document, key: &[u8]) -> Result<ObjectId, RenderError> {
    doc.trailer
        .get(key)
        .and_then(Object::as_reference)
        .map_err(|_| {
            RenderError::Pdf(format!(
                "printpdf output has no /{} in the trailer",
                String::from_utf8_lossy(key)
            ))
        })
}

/// A PDF text string: plain literal for printable ASCII, otherwise UTF-16BE
/// with a byte-order mark (the only Unicode encoding every reader accepts).
pub fn text_string(s: &str) -> Object {
    if s.chars().all(|c| (' '..='~').contains(&c)) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xfe, 0xff];
        for unit in s.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

fn pdf_date(meta: &Meta) -> Object {
    let stamp = meta.created.format("D:%Y%m%d%H%M%SZ").to_string();
    Object::String(stamp.into_bytes(), StringFormat::Literal)
}

/// The Info dictionary (ISO 32000-1 §14.3.3). Its values are the XMP packet's (see
/// [`crate::xmp`]): the same text ([`xmp::plain`]), and empty standard entries left out of
/// both.
fn info_dictionary(meta: &Meta) -> Dictionary {
    let mut info = Dictionary::new();
    for (key, value) in [
        ("Title", &meta.title),
        ("Author", &meta.author),
        ("Subject", &meta.subject),
        ("Keywords", &meta.keywords),
    ] {
        if !value.is_empty() {
            info.set(key, text_string(&xmp::plain(value)));
        }
    }
    info.set("Creator", text_string(PRODUCER));
    info.set("Producer", text_string(PRODUCER));
    info.set("CreationDate", pdf_date(meta));
    info.set("ModDate", pdf_date(meta));
    for (key, value) in &meta.custom_info {
        info.set(key.as_bytes().to_vec(), text_string(&xmp::plain(value)));
    }
    info
}

/// The structure tree, the XMP metadata stream, and the catalog entries that announce them
/// (ISO 32000-1 §14.7.2 Table 322, §14.3.2, §14.7.1 Table 321 `/MarkInfo`, §12.2 Table 150
/// `/ViewerPreferences`, §14.9.2.1 `/Lang`).
fn write_tagging(
    doc: &mut lopdf::Document,
    catalog_id: ObjectId,
    meta: &Meta,
    tree: &StructTree,
) -> Result<(), RenderError> {
    // `get_pages` is keyed by page number, so its values are the pages in order.
    let page_ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let struct_tree_root = tree.write(doc, &page_ids)?;
    let mut xmp_dict = Dictionary::new();
    xmp_dict.set("Type", Object::Name(b"Metadata".to_vec()));
    xmp_dict.set("Subtype", Object::Name(b"XML".to_vec()));
    let packet = xmp::packet(meta, PRODUCER).into_bytes();
    let metadata = doc.add_object(Stream::new(xmp_dict, packet).with_compression(false));

    let catalog = doc
        .get_object_mut(catalog_id)
        .and_then(Object::as_dict_mut)
        .map_err(|e| RenderError::Pdf(format!("catalog is not a dictionary: {e}")))?;
    let mut mark_info = Dictionary::new();
    mark_info.set("Marked", Object::Boolean(true));
    catalog.set("MarkInfo", Object::Dictionary(mark_info));
    catalog.set("StructTreeRoot", Object::Reference(struct_tree_root));
    catalog.set("Lang", text_string(&meta.language));
    let mut preferences = Dictionary::new();
    preferences.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", Object::Dictionary(preferences));
    catalog.set("Metadata", Object::Reference(metadata));
    Ok(())
}

fn write_outline(
    doc: &mut lopdf::Document,
    catalog_id: ObjectId,
    outline: &[OutlineEntry],
) -> Result<(), RenderError> {
    if outline.is_empty() {
        return Ok(());
    }
    let pages = doc.get_pages();
    let root_id = doc.new_object_id();
    let item_ids: Vec<ObjectId> = outline.iter().map(|_| doc.new_object_id()).collect();
    for (i, (entry, &item_id)) in outline.iter().zip(&item_ids).enumerate() {
        let page_number = u32::try_from(entry.page + 1)
            .map_err(|_| RenderError::Pdf("too many pages".to_string()))?;
        let page_id = pages.get(&page_number).copied().ok_or_else(|| {
            RenderError::Pdf(format!("outline points at missing page {page_number}"))
        })?;
        // Land a little above the section so its heading is not flush with
        // the window edge.
        let top = ((PAGE_H - entry.y + 12.0).min(PAGE_H) * 100.0).round() / 100.0;
        let mut item = Dictionary::new();
        item.set("Title", text_string(&entry.title));
        item.set("Parent", Object::Reference(root_id));
        if i > 0 {
            item.set("Prev", Object::Reference(item_ids[i - 1]));
        }
        if let Some(next) = item_ids.get(i + 1) {
            item.set("Next", Object::Reference(*next));
        }
        item.set(
            "Dest",
            Object::Array(vec![
                Object::Reference(page_id),
                Object::Name(b"XYZ".to_vec()),
                Object::Null,
                Object::Real(top),
                Object::Null,
            ]),
        );
        doc.objects.insert(item_id, Object::Dictionary(item));
    }
    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"Outlines".to_vec()));
    root.set("First", Object::Reference(item_ids[0]));
    root.set("Last", Object::Reference(item_ids[item_ids.len() - 1]));
    root.set("Count", Object::Integer(item_ids.len() as i64));
    doc.objects.insert(root_id, Object::Dictionary(root));

    let catalog = doc
        .get_object_mut(catalog_id)
        .and_then(Object::as_dict_mut)
        .map_err(|e| RenderError::Pdf(format!("catalog is not a dictionary: {e}")))?;
    catalog.set("Outlines", Object::Reference(root_id));
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    Ok(())
}

/// Objects per object stream (ISO 32000-1 §7.5.7).
const OBJECTS_PER_STREAM: usize = 200;

/// zlib level for page content and fonts. lopdf's own `compress` uses the best (9), which
/// spent 40% of a 10,000-hop audit in the compressor for a few percent of size; level 6 is
/// zlib's default and keeps reports small.
const DEFLATE_LEVEL: u8 = 6;

/// Compresses every stream that has no filter yet (`FlateDecode`, ISO 32000-1 §7.4.4), like
/// lopdf's `Document::compress` but at [`DEFLATE_LEVEL`], and on every core: each stream is
/// compressed on its own, so the work splits into one run of streams per core. Deterministic:
/// a stream's bytes depend on its content only, whichever thread compresses it.
fn compress_streams(doc: &mut lopdf::Document) {
    let mut streams: Vec<&mut lopdf::Stream> = doc
        .objects
        .values_mut()
        .filter_map(|object| match object {
            Object::Stream(stream)
                if stream.allows_compression && stream.dict.get(b"Filter").is_err() =>
            {
                Some(stream)
            }
            _ => None,
        })
        .collect();
    // Runs of about equal length on every core: page streams are alike, so equal counts
    // balance well. Each stream is compressed on its own, so the bytes do not depend on the
    // number of cores.
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let run = streams.len().div_ceil(cores).max(1);
    std::thread::scope(|scope| {
        for chunk in streams.chunks_mut(run) {
            scope.spawn(move || chunk.iter_mut().for_each(|stream| compress_stream(stream)));
        }
    });
}

fn compress_stream(stream: &mut lopdf::Stream) {
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(&stream.content, DEFLATE_LEVEL);
    // Keep the plain stream when compression does not pay for the filter entry.
    if compressed.len() + 19 < stream.content.len() {
        stream.dict.set("Filter", "FlateDecode");
        stream.set_content(compressed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Meta {
        Meta {
            title: "T".into(),
            author: "A".into(),
            subject: "S".into(),
            keywords: "K".into(),
            language: "en".into(),
            created: chrono::NaiveDate::from_ymd_opt(2025, 3, 4)
                .and_then(|d| d.and_hms_opt(5, 6, 7))
                .unwrap_or_default(),
            document_id: [7; 16],
            custom_info: vec![("XborderReportId".into(), "r-1".into())],
        }
    }

    #[test]
    fn custom_info_keys_are_validated() {
        assert!(validate_meta(&meta()).is_ok());
        for bad in ["", "Title", "Has Space", "Ünï", "Producer", "1st", "-x"] {
            let mut m = meta();
            m.custom_info.push((bad.into(), "x".into()));
            assert_eq!(
                validate_meta(&m),
                Err(RenderError::InvalidInfoKey(bad.into())),
                "{bad:?}"
            );
        }
        let mut dup = meta();
        dup.custom_info
            .push(("XborderReportId".into(), "again".into()));
        assert!(validate_meta(&dup).is_err());
    }

    #[test]
    fn info_dictionary_has_standard_and_custom_keys_only() {
        let info = info_dictionary(&meta());
        for key in [
            "Title",
            "Author",
            "Subject",
            "Keywords",
            "Producer",
            "CreationDate",
            "ModDate",
            "XborderReportId",
        ] {
            assert!(info.has(key.as_bytes()), "missing {key}");
        }
        for key in ["GTS_PDFXVersion", "Trapped", "Identifier"] {
            assert!(!info.has(key.as_bytes()), "unexpected {key}");
        }
        assert_eq!(
            info.get(b"CreationDate").and_then(Object::as_str).ok(),
            Some(&b"D:20250304050607Z"[..])
        );
    }

    #[test]
    fn non_ascii_text_is_utf16() {
        assert_eq!(
            text_string("Ü"),
            Object::String(vec![0xfe, 0xff, 0x00, 0xdc], StringFormat::Hexadecimal)
        );
        assert_eq!(
            text_string("ok (1)"),
            Object::String(b"ok (1)".to_vec(), StringFormat::Literal)
        );
    }
}
