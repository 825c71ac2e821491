//! Long-term signatures, against a real time-stamping authority, OCSP responder and CRL
//! server on localhost (certomancer): `xborder audit --tsa URL` signs at PAdES B-T, B-LT and
//! B-LTA; with the servers stopped, `xborder verify` says when the report was signed at the
//! latest and judges it then, pdfsig reports the document time-stamp, and pyHanko's AdES
//! long-term validation accepts B-LT and B-LTA. A changed byte in the time-stamp token or
//! in the validation data is never accepted.

use std::path::{Path, PathBuf};

use xborder_tests::pki::Pki;
use xborder_tests::{assert_names_tsa_algorithm, require_tool, root, run, tool};

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

/// The test PKI, its files in `dir/pki`, serving.
fn start_pki(dir: &Path) -> Pki {
    let pki_dir = dir.join("pki");
    std::fs::create_dir_all(&pki_dir).expect("the PKI directory");
    Pki::start(&root().join("tests/data/pki/certomancer.yml"), &pki_dir)
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
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut pki = start_pki(dir.path());
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
    // The TSA's algorithm and key (the test PKI's keys are P-256), for the signature's
    // time-stamp and for the document time-stamp alike.
    assert_names_tsa_algorithm(
        &lta.display().to_string(),
        &root,
        "ECDSA with SHA-256 on a P-256 key",
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

/// The positions among `positions` whose change (by `flip`) the verifier accepts, checked
/// on both cores.
fn accepted_flips(
    positions: std::ops::Range<usize>,
    anchor: &str,
    flip: &(dyn Fn(usize) -> Vec<u8> + Sync),
) -> Vec<usize> {
    let all: Vec<usize> = positions.collect();
    let half = all.len() / 2;
    std::thread::scope(|scope| {
        let parts: Vec<_> = [&all[..half], &all[half..]]
            .into_iter()
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .copied()
                        .filter(|&i| !refused(&flip(i), anchor))
                        .collect::<Vec<usize>>()
                })
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().unwrap_or_default())
            .collect()
    })
}

/// Where the time-stamp token is in the hex `/Contents` of the signature whose byte range is
/// `range`: the token's DER and its offset in it. For a signature, the token is the value of
/// its unsigned attribute id-aa-signatureTimeStampToken; for a document time-stamp, the
/// whole of `/Contents`.
fn token_in(signed: &[u8], range: [u64; 4], document: bool) -> (Vec<u8>, std::ops::Range<usize>) {
    let [_, gap_start, gap_end, _] = range.map(|n| n as usize);
    let der = from_hex(&signed[gap_start + 1..gap_end - 1]);
    if document {
        let len = der_len(&der, 0);
        return (der, 0..len);
    }
    let oid = [
        0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x02, 0x0e,
    ];
    let at = der
        .windows(oid.len())
        .position(|w| w == oid)
        .expect("the signature time-stamp attribute")
        + oid.len();
    assert_eq!(der[at], 0x31, "a SET of one token");
    let set_header = if der[at + 1] < 0x80 {
        2
    } else {
        2 + (der[at + 1] & 0x7f) as usize
    };
    let start = at + set_header;
    let len = der_len(&der, start);
    (der, start..start + len)
}

/// Every byte of a time-stamp token changed in turn (in the hex of `/Contents`): none is
/// accepted.
fn assert_token_flips_refused(signed: &[u8], anchor: &str, index: usize, document: bool) {
    let v = xborder_sign::verify_pdf(signed, Some(anchor), None).expect("readable");
    let range = v.signatures[index].byte_range;
    let (der, token) = token_in(signed, range, document);
    assert!(token.len() > 500, "{}", token.len());
    let hex_at = range[1] as usize + 1;
    let accepted = accepted_flips(token.clone(), anchor, &|i| {
        let mut t = signed.to_vec();
        let digits = format!("{:02x}", der[i] ^ 0x01);
        t[hex_at + 2 * i..hex_at + 2 * i + 2].copy_from_slice(digits.as_bytes());
        t
    });
    assert!(
        accepted.is_empty(),
        "token bytes whose change is accepted: {:?}",
        accepted.iter().map(|i| i - token.start).collect::<Vec<_>>()
    );
}

#[test]
fn a_changed_byte_in_the_time_stamp_tokens_or_the_validation_data_is_never_accepted() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut pki = start_pki(dir.path());
    let map = "tests/maps/valid/minimal.yaml";
    let lt = sign_at(&pki, dir.path(), "B-LT", map);
    let lta = sign_at(&pki, dir.path(), "B-LTA", map);
    pki.stop();
    let anchor = std::fs::read_to_string(pki.root_cert()).expect("root certificate");
    let lt = std::fs::read(&lt).expect("the B-LT report");
    let lta = std::fs::read(&lta).expect("the B-LTA report");
    let v = xborder_sign::verify_pdf(&lt, Some(&anchor), None).expect("readable");
    assert!(v.is_valid(), "{v:?}");
    assert_eq!(v.pades_level(), Some("B-LT"));

    // The signature time-stamp, and the document time-stamp of B-LTA.
    assert_token_flips_refused(&lt, &anchor, 0, false);
    assert_token_flips_refused(&lta, &anchor, 1, true);

    // The document security store of B-LT, which no signature covers: every byte of the
    // update that adds it, from its first object to its end of file.
    let [_, _, b0, b_len] = v.signatures[0].byte_range.map(|n| n as usize);
    let update = b0 + b_len;
    let first = update
        + lt[update..]
            .iter()
            .position(u8::is_ascii_digit)
            .expect("an object after the signature");
    let accepted = accepted_flips(first..lt.len(), &anchor, &|pos| {
        let mut t = lt.clone();
        t[pos] ^= 0x01;
        t
    });
    let shown: Vec<String> = accepted
        .iter()
        .map(|&pos| {
            let around = &lt[pos.saturating_sub(12)..(pos + 12).min(lt.len())];
            format!(
                "{}: …{}…",
                pos - first,
                String::from_utf8_lossy(around).escape_debug()
            )
        })
        .collect();
    assert!(
        shown.is_empty(),
        "changes to the validation data accepted: {shown:#?}"
    );
}

#[test]
fn a_certificate_revoked_before_the_time_stamp_is_refused_when_signing() {
    if !tools() {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    let pki = start_pki(dir.path());
    let out = dir.path().join("revoked.pdf");
    let mut flags = pki.signing_flags();
    let cert = flags.iter().position(|f| f == "--cert").expect("--cert") + 1;
    flags[cert] = pki
        .path("certs/interm/revoked.cert.pem")
        .display()
        .to_string();
    let url = pki.tsa_url();
    let out_text = out.display().to_string();
    let mut args = vec![
        "audit",
        "tests/maps/valid/minimal.yaml",
        "--as-of",
        "2024-01-01",
        "--tsa",
        &url,
        "--out",
        &out_text,
    ];
    args.extend(flags.iter().map(String::as_str));
    let r = run(&args);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("`CN=Example Former Auditor,O=Example Audit PKI,C=CH` could not be recorded: it was revoked at 2021-01-01"),
        "{}",
        r.stderr
    );
    assert!(!out.exists(), "no file is written");
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
