//! Signed output checked by independent implementations: pyHanko (PAdES
//! validation with diff analysis), poppler's `pdfsig` and `qpdf --check`.
//!
//! A missing tool fails the test when the `CI` environment variable is set
//! and is skipped with a notice otherwise. Install them with
//! `apt-get install -y poppler-utils qpdf` and `pip install pyhanko pyhanko-cli`.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Flavor, other_pki, pki, request, sign, t, test_pdf};
use xborder_sign::{keygen, sign_pdf};

/// Whether `tool` can be run; panics under CI when it cannot.
fn available(tool: &str, version_arg: &str) -> bool {
    let probe = Command::new(tool)
        .arg(version_arg)
        .output()
        .map_err(|e| e.to_string())
        .and_then(|o| {
            // A pyenv/asdf shim exists even when the tool is not installed.
            o.status
                .success()
                .then_some(())
                .ok_or_else(|| format!("`{tool} {version_arg}` exited with {}", o.status))
        });
    match probe {
        Ok(()) => true,
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "`{tool}` is required in CI but cannot be run ({e}); install poppler-utils, \
                 qpdf (apt) and pyhanko pyhanko-cli (pip)"
            );
            eprintln!("SKIPPED: `{tool}` is not installed ({e})");
            false
        }
    }
}

fn run(cmd: &mut Command) -> (bool, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    (status.success(), text)
}

struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Self {
        Files {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn put(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

fn pyhanko_validate(pdf: &Path, trust: &[&Path]) -> (bool, String) {
    let mut cmd = Command::new("pyhanko");
    cmd.args(["sign", "validate", "--pretty-print"]);
    for t in trust {
        cmd.arg("--trust").arg(t);
    }
    cmd.arg(pdf);
    run(&mut cmd)
}

/// One signature and two signatures, over classic-xref and xref-stream input.
fn signed_variants() -> Vec<(&'static str, Vec<u8>)> {
    let classic = sign(&test_pdf(Flavor::Classic));
    let xstream = sign(&test_pdf(Flavor::XrefStream));
    let mut req = request(&xstream, other_pki());
    req.signing_time = t(2025, 6, 3);
    let double = sign_pdf(&req).unwrap();
    let forms = sign(&test_pdf(Flavor::ExistingForms));
    vec![
        ("forms.pdf", forms),
        ("classic.pdf", classic),
        ("xstream.pdf", xstream),
        ("double.pdf", double),
    ]
}

#[test]
fn pyhanko_judges_signatures_valid_and_intact() {
    if !available("pyhanko", "--version") {
        return;
    }
    let files = Files::new();
    let ca = files.put("ca.pem", pki().ca_cert_pem.as_bytes());
    let ca2 = files.put("ca2.pem", other_pki().ca_cert_pem.as_bytes());
    for (name, bytes) in signed_variants() {
        let pdf = files.put(name, &bytes);
        let (ok, out) = pyhanko_validate(&pdf, &[&ca, &ca2]);
        assert!(ok, "{name}: pyhanko failed:\n{out}");
        let sigs = if name == "double.pdf" { 2 } else { 1 };
        assert_eq!(
            out.matches("The signature is judged VALID.").count(),
            sigs,
            "{name}:\n{out}"
        );
        assert_eq!(
            out.matches("The signature is cryptographically sound.")
                .count(),
            sigs
        );
        assert_eq!(
            out.matches("The signer's certificate is trusted.").count(),
            sigs
        );
        assert!(
            out.contains("The signature covers the entire file."),
            "{name}:\n{out}"
        );
        assert!(out.contains("Common Name: Audit Signer"), "{name}:\n{out}");
        if sigs == 2 {
            assert!(
                out.contains("All modifications relate to signing and form filling operations"),
                "{out}"
            );
        }
    }
}

#[test]
fn pyhanko_agrees_about_untrusted_and_modified_files() {
    if !available("pyhanko", "--version") {
        return;
    }
    let files = Files::new();
    let other_ca = files.put("other.pem", other_pki().ca_cert_pem.as_bytes());
    let signed = sign(&test_pdf(Flavor::Classic));
    let pdf = files.put("signed.pdf", &signed);
    let (ok, out) = pyhanko_validate(&pdf, &[&other_ca]);
    assert!(!ok && out.contains("judged INVALID"), "{out}");

    // An unsigned incremental update replacing the page tree's /Count.
    let ca = files.put("ca.pem", pki().ca_cert_pem.as_bytes());
    let mut modified = signed.clone();
    let doc = lopdf::Document::load_mem(&signed).unwrap();
    let pages = doc
        .catalog()
        .unwrap()
        .get(b"Pages")
        .unwrap()
        .as_reference()
        .unwrap();
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let size = doc.trailer.get(b"Size").unwrap().as_i64().unwrap();
    let prev = String::from_utf8_lossy(&signed)
        .rsplit("startxref")
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let at = modified.len();
    modified.extend_from_slice(
        format!(
            "{} 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\n",
            pages.0
        )
        .as_bytes(),
    );
    let xref = modified.len();
    modified.extend_from_slice(
        format!(
            "xref\n{} 1\n{at:010} 00000 n\r\ntrailer\n<</Size {size}/Root {} 0 R/Prev {prev}>>\nstartxref\n{xref}\n%%EOF\n",
            pages.0, root.0
        )
        .as_bytes(),
    );
    let pdf = files.put("modified.pdf", &modified);
    let (ok, out) = pyhanko_validate(&pdf, &[&ca]);
    assert!(!ok, "pyhanko accepted a modified file:\n{out}");
    let ours = xborder_sign::verify_pdf(&modified, Some(&pki().ca_cert_pem), None).unwrap();
    assert!(ours.signatures[0].modified_after_signing() && !ours.is_valid());
}

#[test]
fn pdfsig_says_signature_is_valid() {
    if !available("pdfsig", "-v") {
        return;
    }
    let files = Files::new();
    for (name, bytes) in signed_variants() {
        let pdf = files.put(name, &bytes);
        let (ok, out) = run(Command::new("pdfsig").arg(&pdf));
        assert!(ok, "{name}: pdfsig failed:\n{out}");
        let sigs = if name == "double.pdf" { 2 } else { 1 };
        assert_eq!(
            out.matches("Signature Validation: Signature is Valid.")
                .count(),
            sigs,
            "{name}:\n{out}"
        );
        assert!(out.contains("Signature Type: ETSI.CAdES.detached"), "{out}");
        assert!(
            out.contains("Signer Certificate Common Name: Audit Signer"),
            "{out}"
        );
        assert!(out.contains("Total document signed"), "{out}");
    }
}

#[test]
fn qpdf_check_passes() {
    if !available("qpdf", "--version") {
        return;
    }
    let files = Files::new();
    for (name, bytes) in signed_variants() {
        let pdf = files.put(name, &bytes);
        let (ok, out) = run(Command::new("qpdf").arg("--check").arg(&pdf));
        assert!(ok, "{name}: qpdf --check failed:\n{out}");
        assert!(
            out.contains("No syntax or stream encoding errors found"),
            "{out}"
        );
    }
}

/// Every fixture above already comes from `keygen` (see `common::pki`);
/// this checks a fresh PKI end to end with our own verifier, and with
/// pdfsig, which is quick to start.
#[test]
fn keygen_output_signs_and_validates() {
    let pki = keygen("Keygen Check", t(2024, 1, 1), t(2090, 1, 1)).unwrap();
    let pdf = test_pdf(Flavor::Classic);
    let signed = sign_pdf(&request(&pdf, &pki)).unwrap();
    let ours = xborder_sign::verify_pdf(&signed, Some(&pki.ca_cert_pem), None).unwrap();
    assert!(ours.is_valid());
    if !available("pdfsig", "-v") {
        return;
    }
    let files = Files::new();
    let p = files.put("signed.pdf", &signed);
    let (ok, out) = run(Command::new("pdfsig").arg(&p));
    assert!(ok && out.contains("Signature is Valid."), "{out}");
    assert!(
        out.contains("Signer Certificate Common Name: Keygen Check"),
        "{out}"
    );
}
