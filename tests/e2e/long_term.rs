//! Long-term signatures, against a real time-stamping authority, OCSP responder and CRL
//! server on localhost (certomancer): `xborder audit --tsa URL` signs at PAdES B-T, B-LT and
//! B-LTA; with the servers stopped, `xborder verify` says when the report was signed at the
//! latest and judges it then, pdfsig reports the document time-stamp, and pyHanko's AdES
//! long-term validation accepts B-LT and B-LTA. A changed byte in the time-stamp token or
//! in the validation data is never accepted.

use std::path::{Path, PathBuf};

use xborder_tests::pki::Pki;
use xborder_tests::{require_tool, run, tool};

/// A report signed at one level, in `dir`.
fn sign_at(pki: &Pki, dir: &Path, level: &str, map: &str) -> PathBuf {
    let out = dir.join(format!("{level}.pdf"));
    let url = pki.tsa_url();
    let out_text = out.display().to_string();
    let mut args = vec![
        "audit",
        map,
        "--as-of",
        "2024-01-01",
        "--generated-at",
        "2026-01-01T00:00:00Z",
        "--tsa",
        &url,
        "--pades-level",
        level,
        "--out",
        &out_text,
    ];
    let flags = pki.signing_flags();
    args.extend(flags.iter().map(String::as_str));
    let r = run(&args);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    out
}

/// The tools these tests need: the server and the key maker. `false` skips (never under CI).
fn tools() -> bool {
    require_tool("certomancer") & require_tool("openssl")
}

/// The signing time-stamp's time, from `xborder verify --format json`.
fn stamped_at(pdf: &Path) -> String {
    let r = run(&["verify", &pdf.display().to_string(), "--format", "json"]);
    let doc = r.json();
    doc["signatures"][0]["time_stamp"]["signed_no_later_than"]
        .as_str()
        .unwrap_or_else(|| panic!("no time-stamp in {doc}"))
        .to_string()
}

#[test]
fn reports_signed_at_b_t_b_lt_and_b_lta_verify_with_the_servers_stopped() {
    if !tools() {
        return;
    }
    let mut pki = Pki::start();
    let dir = tempfile::tempdir().expect("temporary directory");
    let map = "data/coursera/2021-01.yaml";
    let t = sign_at(&pki, dir.path(), "B-T", map);
    let lt = sign_at(&pki, dir.path(), "B-LT", map);
    let lta = sign_at(&pki, dir.path(), "B-LTA", map);
    pki.stop();
    let root = pki.root_cert().display().to_string();

    for (pdf, level) in [(&t, "B-T"), (&lt, "B-LT"), (&lta, "B-LTA")] {
        let r = run(&["verify", &pdf.display().to_string(), "--trust", &root]);
        assert_eq!(r.code, 0, "{level}: {}", r.stdout);
        assert!(
            r.stdout.contains(&format!("PAdES level:     {level}\n")),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout
                .contains("time-stamp:    ok — signed no later than"),
            "{}",
            r.stdout
        );
        assert!(r.stdout.contains("\nVALID"), "{}", r.stdout);
    }
    // B-T proves the time but carries no status; B-LT and B-LTA say the signer's and the
    // TSA's certificates were not revoked at the time-stamp, from the embedded answers.
    let r = run(&["verify", &t.display().to_string(), "--trust", &root]);
    assert!(!r.stdout.contains("revocation:"), "{}", r.stdout);
    let r = run(&["verify", &lta.display().to_string(), "--trust", &root]);
    assert!(
        r.stdout.contains("  revocation:    not revoked at"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("from the embedded OCSP"), "{}", r.stdout);
    assert!(
        r.stdout.contains("signature 2 (document time-stamp)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("validation data: ok — 5 certificate(s), 1 OCSP response(s), 2 CRL(s)"),
        "{}",
        r.stdout
    );
    let json = run(&[
        "verify",
        &lta.display().to_string(),
        "--trust",
        &root,
        "--format",
        "json",
    ])
    .json();
    assert_eq!(json["pades_level"], "B-LTA", "{json}");
    assert_eq!(
        json["signatures"][1]["kind"], "document time-stamp",
        "{json}"
    );

    if require_tool("pdfsig") {
        let (_, text) = tool("pdfsig", &[&lta.display().to_string()]);
        assert!(text.contains("Signature #2"), "{text}");
        assert!(text.contains("Time-Stamping Authority"), "{text}");
        assert!(text.contains("Total document signed"), "{text}");
    }
    if require_tool("pyhanko") {
        for pdf in [&lt, &lta] {
            // pyHanko's AdES validation (ETSI EN 319 102-1) with the revocation data
            // embedded in the file, judged at the time of the signature time-stamp: no
            // server answers any more.
            let at = stamped_at(pdf);
            let (code, text) = tool(
                "pyhanko",
                &[
                    "sign",
                    "adesverify",
                    "--trust",
                    &root,
                    "--trust-replace",
                    "--validation-time",
                    &at,
                    "--pretty-print",
                    &pdf.display().to_string(),
                ],
            );
            assert_eq!(code, 0, "{}: {text}", pdf.display());
            assert!(text.contains("The signature is judged VALID"), "{text}");
            assert!(
                text.contains("This timestamp is backed by a time stamping authority"),
                "{text}"
            );
        }
    }
}

/// The DER length of the element at `der[at..]`, its header included.
fn der_len(der: &[u8], at: usize) -> usize {
    let first = der[at + 1] as usize;
    if first < 0x80 {
        return 2 + first;
    }
    let n = first & 0x7f;
    let len = der[at + 2..at + 2 + n]
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | *b as usize);
    2 + n + len
}

fn from_hex(hex: &[u8]) -> Vec<u8> {
    hex.chunks(2)
        .map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap_or("00"), 16).unwrap_or(0))
        .collect()
}

/// Whether the flipped file is refused: an error, or a verification that is not valid.
fn refused(bytes: &[u8], anchor: &str) -> bool {
    match xborder_sign::verify_pdf(bytes, Some(anchor), None) {
        Ok(v) => !v.is_valid(),
        Err(_) => true,
    }
}

#[test]
fn a_changed_byte_in_the_time_stamp_token_or_the_validation_data_is_never_accepted() {
    if !tools() {
        return;
    }
    let mut pki = Pki::start();
    let dir = tempfile::tempdir().expect("temporary directory");
    let lt = sign_at(&pki, dir.path(), "B-LT", "tests/maps/valid/minimal.yaml");
    pki.stop();
    let anchor = std::fs::read_to_string(pki.root_cert()).expect("root certificate");
    let signed = std::fs::read(&lt).expect("the signed report");
    let v = xborder_sign::verify_pdf(&signed, Some(&anchor), None).expect("readable");
    assert!(v.is_valid(), "{v:?}");
    assert_eq!(v.pades_level(), Some("B-LT"));
    let [_, gap_start, gap_end, tail] = v.signatures[0].byte_range.map(|n| n as usize);

    // The token: the value of the unsigned attribute id-aa-signatureTimeStampToken, at the
    // end of the CMS in /Contents (hex).
    let hex = &signed[gap_start + 1..gap_end - 1];
    let cms = from_hex(hex);
    let oid = [
        0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x0e,
    ];
    let at = cms
        .windows(oid.len())
        .position(|w| w == oid)
        .expect("the signature time-stamp attribute")
        + oid.len();
    assert_eq!(cms[at], 0x31, "a SET of one token");
    let set_header = if cms[at + 1] < 0x80 {
        2
    } else {
        2 + (cms[at + 1] & 0x7f) as usize
    };
    let token_start = at + set_header;
    let token_len = der_len(&cms, token_start);
    assert!(token_len > 500, "{token_len}");
    let accepted: Vec<String> = (token_start..token_start + token_len)
        .filter(|&i| {
            let mut t = signed.clone();
            let digits = format!("{:02x}", cms[i] ^ 0x01);
            t[gap_start + 1 + 2 * i..gap_start + 3 + 2 * i].copy_from_slice(digits.as_bytes());
            !refused(&t, &anchor)
        })
        .map(|i| {
            format!(
                "{} ({:02x} in …{:02x?}…)",
                i - token_start,
                cms[i],
                &cms[i.saturating_sub(6)..(i + 6).min(cms.len())]
            )
        })
        .collect();
    assert!(
        accepted.is_empty(),
        "flips of token bytes still valid: {accepted:#?}"
    );

    // The document security store: every byte of the objects of the update that adds it.
    let update = gap_end + tail;
    let text = &signed[update..];
    let first = text
        .iter()
        .position(u8::is_ascii_digit)
        .expect("an object after the signature")
        + update;
    let last = signed
        .windows(b"endobj".len())
        .rposition(|w| w == b"endobj")
        .expect("the last object")
        + b"endobj".len();
    assert!(
        last > first + 1000,
        "the store holds certificates and answers"
    );
    let accepted: Vec<String> = (first..last)
        .filter(|&pos| {
            let mut t = signed.clone();
            t[pos] ^= 0x01;
            !refused(&t, &anchor)
        })
        .map(|pos| {
            format!(
                "{}: …{}…",
                pos - first,
                String::from_utf8_lossy(
                    &signed[pos.saturating_sub(12)..(pos + 12).min(signed.len())]
                )
                .escape_debug()
            )
        })
        .collect();
    assert!(
        accepted.is_empty(),
        "flips in the validation data still valid: {accepted:#?}"
    );
}

#[test]
fn a_time_stamp_authority_that_cannot_be_reached_leaves_no_file_and_says_why() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let pki_dir = dir.path().join("pki");
    let r = run(&[
        "keygen",
        "--name",
        "Audit Team",
        "--out",
        &pki_dir.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = dir.path().join("report.pdf");
    // Nothing listens on port 9 (discard) of localhost.
    for (url, says) in [
        ("http://127.0.0.1:9/tsa", "gave no time-stamp"),
        ("https://tsa.example/", "not a plain http:// URL"),
    ] {
        let r = run(&[
            "audit",
            "tests/maps/valid/minimal.yaml",
            "--as-of",
            "2024-01-01",
            "--key",
            &pki_dir.join("signer.key.pem").display().to_string(),
            "--cert",
            &pki_dir.join("signer.pem").display().to_string(),
            "--tsa",
            url,
            "--out",
            &out.display().to_string(),
        ]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains(says), "{}", r.stderr);
        assert!(!out.exists(), "no file is written when signing fails");
    }
}
