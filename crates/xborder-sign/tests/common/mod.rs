//! Shared fixtures: test PDFs built with lopdf (the library printpdf 0.12
//! serialises through), a demo PKI, fixed times.

#![allow(dead_code, clippy::unwrap_used)]

use std::sync::OnceLock;

use chrono::{DateTime, TimeZone, Utc};
use lopdf::{Document, Object, Stream, dictionary};
use xborder_sign::{DemoPki, SignRequest, keygen};

pub const MAP_SHA: &str = "abc123def4567890abc123def4567890abc123def4567890abc123def4567890";

pub fn t(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).single().unwrap()
}

/// The claimed signing time used throughout.
pub fn signing_time() -> DateTime<Utc> {
    t(2025, 6, 1)
}

/// A demo PKI valid 2020–2099, shared by the tests of one binary (key
/// generation is random, so share it where equal keys matter).
pub fn pki() -> &'static DemoPki {
    static PKI: OnceLock<DemoPki> = OnceLock::new();
    PKI.get_or_init(|| keygen("Audit Signer", t(2020, 1, 1), t(2099, 1, 1)).unwrap())
}

/// A second, unrelated demo PKI.
pub fn other_pki() -> &'static DemoPki {
    static PKI: OnceLock<DemoPki> = OnceLock::new();
    PKI.get_or_init(|| keygen("Someone Else", t(2020, 1, 1), t(2099, 1, 1)).unwrap())
}

pub enum Flavor {
    /// Classic xref table (what printpdf 0.12 writes).
    Classic,
    /// Cross-reference stream + object streams (PDF 1.5 "modern").
    XrefStream,
    /// Classic, with an indirect /AcroForm holding an indirect /Fields array
    /// with a text field, and a first page whose /Annots is an indirect array
    /// holding a link: the signer must extend these, not replace them.
    ExistingForms,
}

/// A two-page PDF with an /Info dictionary holding xborder metadata.
pub fn test_pdf(flavor: Flavor) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let mut kids = Vec::new();
    for n in 1..=2 {
        let text = format!("BT /F1 24 Tf 72 720 Td (Cross-border audit, page {n}) Tj ET");
        let content_id = doc.add_object(Stream::new(dictionary! {}, text.into_bytes()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        kids.push(Object::Reference(page_id));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids.clone(), "Count" => 2 }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info_id = doc.add_object(dictionary! {
        "Title" => Object::string_literal("Transfer audit"),
        "XborderReportId" => Object::string_literal("R-1"),
        "XborderMapSha256" => Object::string_literal(MAP_SHA),
        "XborderRulebookVersion" => Object::string_literal("2025.1"),
    });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("Info", info_id);
    if let Flavor::ExistingForms = flavor {
        let first_page = kids[0].as_reference().unwrap();
        let link = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Link",
            "Rect" => vec![72.into(), 700.into(), 200.into(), 720.into()],
            "Border" => vec![0.into(), 0.into(), 0.into()],
            "A" => dictionary! { "S" => "URI", "URI" => Object::string_literal("https://example.invalid/") },
        });
        let text_field = doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Widget", "FT" => "Tx",
            "T" => Object::string_literal("Signature1"),
            "Rect" => vec![0.into(), 0.into(), 0.into(), 0.into()],
            "P" => first_page,
        });
        let annots = doc.add_object(vec![Object::Reference(link), Object::Reference(text_field)]);
        let fields = doc.add_object(vec![Object::Reference(text_field)]);
        let acroform = doc.add_object(dictionary! { "Fields" => fields });
        doc.get_dictionary_mut(first_page)
            .unwrap()
            .set("Annots", annots);
        doc.get_dictionary_mut(catalog_id)
            .unwrap()
            .set("AcroForm", acroform);
    }
    let mut out = Vec::new();
    match flavor {
        Flavor::Classic | Flavor::ExistingForms => {
            doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
            doc.save_to(&mut out).unwrap();
        }
        Flavor::XrefStream => {
            doc.save_modern(&mut out).unwrap();
        }
    }
    out
}

pub fn request<'a>(pdf: &'a [u8], pki: &'a DemoPki) -> SignRequest<'a> {
    SignRequest {
        pdf,
        key_pem: &pki.signer_key_pem,
        cert_pem: &pki.signer_cert_pem,
        chain_pem: Some(&pki.ca_cert_pem),
        signing_time: signing_time(),
        signer_name: Some("Audit Signer"),
        reason: Some("Cross-border transfer audit report"),
        location: Some("Zürich"),
    }
}

pub fn sign(pdf: &[u8]) -> Vec<u8> {
    xborder_sign::sign_pdf(&request(pdf, pki())).unwrap()
}

/// Returns `(offset, length)` of the `/Contents <…>` gap of the last
/// signature: the bytes a byte-flip test must skip.
pub fn last_gap(signed: &[u8]) -> (usize, usize) {
    let v = xborder_sign::verify_pdf(signed, None, None).unwrap();
    let br = v.signatures.last().unwrap().byte_range;
    (br[1] as usize, (br[2] - br[1]) as usize)
}

/// The DER of the first PEM block (test helper; no external base64 crate).
pub fn pem_der(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in body.bytes().filter(|&c| c != b'=') {
        let v = alphabet.iter().position(|&a| a == c).unwrap() as u32;
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    out
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
