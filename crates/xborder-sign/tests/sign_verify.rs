//! Round trips through `sign_pdf` and `verify_pdf`, tampering, chains.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Flavor, MAP_SHA, other_pki, pki, request, sign, signing_time, test_pdf};
use xborder_sign::{ChainProblem, ChainStatus, Coverage, VerifyError, sign_pdf, verify_pdf};

#[test]
fn sign_then_verify_classic_and_xref_stream() {
    for flavor in [Flavor::Classic, Flavor::XrefStream] {
        let pdf = test_pdf(flavor);
        let signed = sign(&pdf);
        assert!(
            signed.starts_with(&pdf),
            "incremental update keeps the original bytes"
        );

        let v = verify_pdf(&signed, Some(&pki().ca_cert_pem), None).unwrap();
        assert!(v.is_valid(), "{v:#?}");
        assert_eq!(v.signatures.len(), 1);
        let s = &v.signatures[0];
        assert!(s.byte_range_ok && s.digest_ok && s.signature_ok, "{s:#?}");
        assert!(s.covers_whole_file());
        assert!(!s.modified_after_signing());
        assert_eq!(s.coverage, Coverage::WholeFile);
        assert!(
            matches!(s.chain, ChainStatus::Trusted { path_len: 2, .. }),
            "{:?}",
            s.chain
        );
        assert_eq!(s.signer_common_name.as_deref(), Some("Audit Signer"));
        assert!(
            s.signer_subject
                .as_deref()
                .unwrap()
                .contains("CN=Audit Signer")
        );
        assert_eq!(s.signing_time, Some(signing_time()));
        assert_eq!(s.sub_filter.as_deref(), Some("ETSI.CAdES.detached"));
        assert_eq!(s.field_name.as_deref(), Some("Signature1"));
        assert_eq!(s.location.as_deref(), Some("Zürich"));
        assert_eq!(
            s.reason.as_deref(),
            Some("Cross-border transfer audit report")
        );
        assert_eq!(s.name.as_deref(), Some("Audit Signer"));
        assert_eq!(s.cert_sha256.as_ref().map(String::len), Some(64));
        assert!(s.notes.is_empty(), "{:?}", s.notes);

        assert_eq!(
            v.info.get("XborderReportId").map(String::as_str),
            Some("R-1")
        );
        assert_eq!(
            v.info.get("XborderMapSha256").map(String::as_str),
            Some(MAP_SHA)
        );
        assert_eq!(
            v.info.get("XborderRulebookVersion").map(String::as_str),
            Some("2025.1")
        );
        assert!(
            !v.info.contains_key("Title"),
            "only Xborder* keys are returned"
        );
    }
}

#[test]
fn existing_form_fields_and_annotations_are_kept() {
    let pdf = test_pdf(Flavor::ExistingForms);
    let signed = sign(&pdf);
    let v = verify_pdf(&signed, Some(&pki().ca_cert_pem), None).unwrap();
    assert!(v.is_valid(), "{v:#?}");
    // "Signature1" is taken by the text field.
    assert_eq!(v.signatures[0].field_name.as_deref(), Some("Signature2"));

    let doc = lopdf::Document::load_mem(&signed).unwrap();
    let page = *doc.get_pages().get(&1).unwrap();
    let annots = doc.get_dictionary(page).unwrap().get(b"Annots").unwrap();
    let annots = match annots {
        lopdf::Object::Reference(r) => doc.get_object(*r).unwrap().as_array().unwrap(),
        other => other.as_array().unwrap(),
    };
    assert_eq!(annots.len(), 3, "link + text widget + signature widget");
    let acro = doc
        .catalog()
        .unwrap()
        .get(b"AcroForm")
        .unwrap()
        .as_reference()
        .unwrap();
    let acro = doc.get_dictionary(acro).unwrap();
    assert_eq!(acro.get(b"SigFlags").unwrap().as_i64().unwrap(), 3);
    let fields = acro.get(b"Fields").unwrap().as_array().unwrap();
    assert_eq!(fields.len(), 2, "text field + signature field");
}

#[test]
fn certificate_summary_matches_what_verification_reports() {
    let summary = xborder_sign::certificate_summary(&pki().signer_cert_pem).unwrap();
    let signed = sign(&test_pdf(Flavor::Classic));
    let v = verify_pdf(&signed, None, None).unwrap();
    let s = &v.signatures[0];
    assert_eq!(Some(&summary.sha256), s.cert_sha256.as_ref());
    assert_eq!(Some(&summary.subject), s.signer_subject.as_ref());
    assert_eq!(summary.common_name, s.signer_common_name);
    assert_eq!(summary.not_before.zip(summary.not_after), s.cert_validity);
    assert!(xborder_sign::certificate_summary("nope").is_err());
}

#[test]
fn signing_is_deterministic() {
    let pdf = test_pdf(Flavor::Classic);
    let a = sign(&pdf);
    let b = sign(&pdf);
    assert_eq!(a, b);
    let mut later = request(&pdf, pki());
    later.signing_time = common::t(2025, 6, 2);
    assert_ne!(
        sign_pdf(&later).unwrap(),
        a,
        "the time is part of the signed bytes"
    );
}

#[test]
fn no_anchor_means_untrusted_signer_but_intact() {
    let signed = sign(&test_pdf(Flavor::Classic));
    let v = verify_pdf(&signed, None, None).unwrap();
    let s = &v.signatures[0];
    assert_eq!(s.chain, ChainStatus::NoTrustAnchor);
    assert_eq!(
        s.chain.to_string(),
        "untrusted signer (no trust anchor given)"
    );
    assert!(s.is_intact());
    assert!(
        v.is_valid(),
        "without an anchor validity is about integrity only"
    );
}

#[test]
fn chain_not_reaching_another_anchor_is_not_trusted() {
    let signed = sign(&test_pdf(Flavor::Classic));
    let v = verify_pdf(&signed, Some(&other_pki().ca_cert_pem), None).unwrap();
    let s = &v.signatures[0];
    assert!(s.is_intact());
    assert!(
        matches!(
            s.chain,
            ChainStatus::NotTrusted(ChainProblem::NoPathToAnchor { .. })
        ),
        "{:?}",
        s.chain
    );
    assert!(!v.is_valid());

    // Several anchors in one PEM: the right one among them is found.
    let both = format!("{}{}", other_pki().ca_cert_pem, pki().ca_cert_pem);
    assert!(verify_pdf(&signed, Some(&both), None).unwrap().is_valid());

    // Anchor given but the chain certificate was not embedded: the CA is
    // still found among the anchors.
    let pdf = test_pdf(Flavor::Classic);
    let mut req = request(&pdf, pki());
    req.chain_pem = None;
    let lone = sign_pdf(&req).unwrap();
    assert!(
        verify_pdf(&lone, Some(&pki().ca_cert_pem), None)
            .unwrap()
            .is_valid()
    );
}

#[test]
fn validation_time_outside_certificate_validity_is_not_trusted() {
    let signed = sign(&test_pdf(Flavor::Classic));
    let v = verify_pdf(
        &signed,
        Some(&pki().ca_cert_pem),
        Some(common::t(2100, 1, 1)),
    )
    .unwrap();
    assert!(matches!(
        v.signatures[0].chain,
        ChainStatus::NotTrusted(ChainProblem::CertificateNotValidAt { .. })
    ));
    assert!(!v.is_valid());
}

#[test]
fn appended_bytes_are_modified_after_signing() {
    let mut signed = sign(&test_pdf(Flavor::Classic));
    signed.extend_from_slice(b"\n% trailing garbage\n");
    let v = verify_pdf(&signed, Some(&pki().ca_cert_pem), None).unwrap();
    let s = &v.signatures[0];
    assert!(s.is_intact(), "the signed ranges themselves are untouched");
    assert_eq!(s.coverage, Coverage::ModifiedAfterSigning { appended: 20 });
    assert!(s.modified_after_signing());
    assert!(!s.covers_whole_file());
    assert!(!v.is_valid());
}

/// Appends a classic incremental update that replaces the /Info dictionary.
fn append_info_update(signed: &[u8], report_id: &str) -> Vec<u8> {
    let doc = lopdf::Document::load_mem(signed).unwrap();
    let size = doc.trailer.get(b"Size").unwrap().as_i64().unwrap();
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let text = String::from_utf8_lossy(signed);
    let startxref: usize = text
        .rsplit("startxref")
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut out = signed.to_vec();
    let obj_at = out.len();
    out.extend_from_slice(
        format!(
            "{} 0 obj\n<</XborderReportId ({report_id})>>\nendobj\n",
            info.0
        )
        .as_bytes(),
    );
    let xref_at = out.len();
    out.extend_from_slice(
        format!(
            "xref\n{} 1\n{obj_at:010} 00000 n\r\ntrailer\n<</Size {size}/Root {} 0 R/Info {} 0 R/Prev {startxref}>>\nstartxref\n{xref_at}\n%%EOF\n",
            info.0, root.0, info.0
        )
        .as_bytes(),
    );
    out
}

#[test]
fn real_incremental_update_after_signing_is_detected() {
    let signed = sign(&test_pdf(Flavor::Classic));
    let updated = append_info_update(&signed, "R-2");
    // The update is a well-formed PDF revision (lopdf reads it).
    lopdf::Document::load_mem(&updated).unwrap();
    let v = verify_pdf(&updated, Some(&pki().ca_cert_pem), None).unwrap();
    let s = &v.signatures[0];
    assert!(s.is_intact());
    assert!(s.modified_after_signing(), "{:?}", s.coverage);
    assert!(!v.is_valid());
    // The metadata shown is the newest, i.e. the unsigned one: that is why
    // callers must look at is_valid().
    assert_eq!(
        v.info.get("XborderReportId").map(String::as_str),
        Some("R-2")
    );
}

#[test]
fn two_signatures_are_both_reported() {
    for flavor in [Flavor::Classic, Flavor::XrefStream] {
        let once = sign(&test_pdf(flavor));
        let other = other_pki();
        let mut req = request(&once, other);
        req.signing_time = common::t(2025, 6, 3);
        let twice = sign_pdf(&req).unwrap();
        let anchors = format!("{}{}", pki().ca_cert_pem, other.ca_cert_pem);
        let v = verify_pdf(&twice, Some(&anchors), None).unwrap();
        assert_eq!(v.signatures.len(), 2);
        let (first, second) = (&v.signatures[0], &v.signatures[1]);
        assert!(first.is_intact() && second.is_intact());
        assert!(matches!(
            first.coverage,
            Coverage::SignedLater { by: 1, .. }
        ));
        assert_eq!(second.coverage, Coverage::WholeFile);
        assert_eq!(first.field_name.as_deref(), Some("Signature1"));
        assert_eq!(second.field_name.as_deref(), Some("Signature2"));
        assert_eq!(first.signer_common_name.as_deref(), Some("Audit Signer"));
        assert_eq!(second.signer_common_name.as_deref(), Some("Someone Else"));
        assert!(v.is_valid(), "{v:#?}");

        // Only one of the two anchors: the second signer is untrusted.
        let v = verify_pdf(&twice, Some(&pki().ca_cert_pem), None).unwrap();
        assert!(v.signatures[0].chain.is_trusted());
        assert!(!v.signatures[1].chain.is_trusted());
        assert!(!v.is_valid());

        // Garbage after the second signature: the first is no longer covered.
        let mut tampered = twice.clone();
        tampered.extend_from_slice(b"x");
        let v = verify_pdf(&tampered, Some(&anchors), None).unwrap();
        assert!(v.signatures.iter().all(|s| s.modified_after_signing()));
    }
}

#[test]
fn flipped_bytes_in_signed_ranges_never_verify() {
    let signed = sign(&test_pdf(Flavor::Classic));
    let (gap_start, gap_len) = common::last_gap(&signed);
    let signed_positions: Vec<usize> = (0..signed.len())
        .filter(|&i| i < gap_start || i >= gap_start + gap_len)
        .collect();
    let step = (signed_positions.len() / 200).max(1);
    let mut checked = 0;
    let mut errors = 0;
    for &pos in signed_positions.iter().step_by(step) {
        for mask in [0x01u8, 0x20] {
            let mut t = signed.clone();
            t[pos] ^= mask;
            match verify_pdf(&t, Some(&pki().ca_cert_pem), None) {
                Ok(v) => assert!(!v.is_valid(), "flip of 0x{mask:02x} at {pos} still valid"),
                Err(_) => errors += 1,
            }
            checked += 1;
        }
    }
    assert!(checked >= 400, "{checked}");
    // Most flips leave the structure readable and are caught by the digest.
    assert!(errors < checked / 2, "{errors} of {checked} were errors");
}

#[test]
fn flipped_bytes_in_the_cms_never_verify() {
    let signed = sign(&test_pdf(Flavor::Classic));
    let (gap_start, gap_len) = common::last_gap(&signed);
    let hex = std::str::from_utf8(&signed[gap_start + 1..gap_start + gap_len - 1]).unwrap();
    let der_hex_len = hex.trim_end_matches('0').len().next_multiple_of(2);
    // The embedded copy of the CA certificate is not signed and is not used
    // when the CA is given as the trust anchor, so flips there (and in the
    // zero padding) legitimately change nothing; everything else must fail.
    let ca_hex = common::hex(&common::pem_der(&pki().ca_cert_pem));
    let ca_at = hex.find(&ca_hex).unwrap();
    let ca_range = ca_at..ca_at + ca_hex.len();
    let mut checked = 0;
    for i in (0..der_hex_len)
        .step_by(5)
        .filter(|i| !ca_range.contains(i))
    {
        let pos = gap_start + 1 + i;
        let mut t = signed.clone();
        t[pos] = if t[pos] == b'0' { b'8' } else { b'0' };
        if let Ok(v) = verify_pdf(&t, Some(&pki().ca_cert_pem), None) {
            assert!(
                !v.is_valid(),
                "flip at hex digit {i} of the CMS still valid"
            );
        }
        checked += 1;
    }
    assert!(checked > 200, "{checked}");
}

#[test]
fn a_signer_info_version_that_contradicts_its_identifier_never_verifies() {
    // The SignerInfo version is outside the signed attributes: only the verifier's syntax
    // check catches a changed one (RFC 5652 §5.3: 1 for issuer and serial number).
    let signed = sign(&test_pdf(Flavor::Classic));
    let (gap_start, gap_len) = common::last_gap(&signed);
    let hex = std::str::from_utf8(&signed[gap_start + 1..gap_start + gap_len - 1]).unwrap();
    // SignerInfos: SET { SEQUENCE { INTEGER version, SEQUENCE issuerAndSerialNumber ... } }.
    // The certificates are [0] and the digest algorithms a short SET, so this is the one
    // SET with a two-byte length that starts with a SEQUENCE starting with INTEGER 1.
    let at: Vec<usize> = (0..hex.len().saturating_sub(20))
        .step_by(2)
        .filter(|&i| {
            hex[i..].starts_with("3182")
                && hex[i + 8..].starts_with("3082")
                && hex[i + 16..].starts_with("02010130")
        })
        .collect();
    assert_eq!(at.len(), 1, "one SignerInfos set");
    let version_digit = gap_start + 1 + at[0] + 21;
    assert_eq!(signed[version_digit], b'1');
    for wrong in [b'0', b'3'] {
        let mut t = signed.clone();
        t[version_digit] = wrong;
        if let Ok(v) = verify_pdf(&t, Some(&pki().ca_cert_pem), None) {
            assert!(
                !v.is_valid(),
                "SignerInfo version {} accepted",
                wrong as char
            );
        }
    }
    assert!(
        verify_pdf(&signed, Some(&pki().ca_cert_pem), None).is_ok_and(|v| v.is_valid()),
        "the untouched signature verifies"
    );
}

#[test]
fn truncated_and_garbage_input_never_panics_or_verifies() {
    let signed = sign(&test_pdf(Flavor::XrefStream));
    for cut in (0..signed.len()).step_by(97) {
        if let Ok(v) = verify_pdf(&signed[..cut], None, None) {
            assert!(!v.is_valid(), "truncated at {cut} still valid");
        }
    }
    let mut seed = 7u64;
    for _ in 0..200 {
        let mut t = signed.clone();
        for _ in 0..8 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let pos = (seed >> 33) as usize % t.len();
            t[pos] = (seed >> 17) as u8;
        }
        let _ = verify_pdf(&t, None, None);
    }
}

#[test]
fn verify_errors_are_specific() {
    assert_eq!(verify_pdf(b"hello", None, None), Err(VerifyError::NotPdf));
    assert!(matches!(
        verify_pdf(&test_pdf(Flavor::Classic), None, None),
        Err(VerifyError::NoSignature { objects }) if objects > 0
    ));
    // Cut short before any signature: said to be truncated, with where it ends.
    let signed = sign(&test_pdf(Flavor::Classic));
    let cut = &signed[..signed.len() / 3];
    assert_eq!(
        verify_pdf(cut, None, None),
        Err(VerifyError::Truncated {
            len: cut.len() as u64
        })
    );
    let signed = sign(&test_pdf(Flavor::Classic));
    let err = verify_pdf(&signed, Some("not a pem"), None).unwrap_err();
    assert!(matches!(err, VerifyError::InvalidTrustAnchor { .. }));
    assert!(err.to_string().contains("CA certificate"));

    // A signature dictionary whose /Contents is still the zero placeholder.
    let pdf = test_pdf(Flavor::Classic);
    let (gap_start, gap_len) = common::last_gap(&signed);
    let mut zeroed = signed.clone();
    zeroed[gap_start + 1..gap_start + gap_len - 1].fill(b'0');
    let err = verify_pdf(&zeroed, None, None).unwrap_err();
    assert!(matches!(err, VerifyError::MalformedCms { .. }), "{err}");
    assert!(!pdf.is_empty());
}
