//! Signing keys, safe writes and the verifier's edge cases, end to end: encrypted PKCS#8
//! keys and their passphrase, the warning about a key file others can read, key material
//! that never reaches output, reports that are never overwritten by accident nor left half
//! written, and reports with several signatures, an update after signing or a chain to
//! another anchor.

use std::path::{Path, PathBuf};
use std::process::Command;

use xborder_tests::{Run, assert_names_tsa_algorithm, binary, root, run, run_env};

const MAP: &str = "tests/maps/valid/minimal.yaml";
const KEYS: &str = "tests/data/keys";
const PASSPHRASE: &str = "demo passphrase";
const GENERATED: &str = "2026-01-01T00:00:00Z";

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn fixture(name: &str) -> String {
    format!("{KEYS}/{name}")
}

/// A copy of a fixture key in `dir` with `mode` (a checkout gives files the default mode).
fn key_copy(dir: &Path, name: &str, mode: u32) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(root().join(KEYS).join(name), &path).expect("copy key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    #[cfg(not(unix))]
    let _ = mode;
    path
}

/// `audit MAP --key KEY --cert CERT --out OUT` with the fixed generation time.
fn audit(key: &str, cert: &str, out: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args = vec![
        "audit",
        MAP,
        "--as-of",
        "2024-01-01",
        "--generated-at",
        GENERATED,
        "--key",
        key,
        "--cert",
        cert,
        "--out",
        p(out),
    ];
    args.extend_from_slice(extra);
    run_env(&root(), &args, env)
}

fn verify(pdf: &Path, trust: &str) -> Run {
    run(&["verify", p(pdf), "--trust", trust])
}

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn encrypted_keys_sign_with_the_passphrase_from_the_environment() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cert = fixture("signer.pem");
    let mut reports = Vec::new();
    // PBKDF2-HMAC-SHA256, scrypt, and `openssl pkey -aes256`, all AES-256-CBC.
    for name in [
        "signer.pbkdf2.key.pem",
        "signer.scrypt.key.pem",
        "signer.aes256.key.pem",
    ] {
        let key = key_copy(dir.path(), name, 0o600);
        let out = dir.path().join(format!("{name}.pdf"));
        let signed = audit(
            p(&key),
            &cert,
            &out,
            &[],
            &[("XBORDER_KEY_PASSPHRASE", PASSPHRASE)],
        );
        assert_eq!(signed.code, 0, "{name}: {}", signed.stderr);
        assert!(!signed.stderr.contains("warning"), "{}", signed.stderr);
        let checked = verify(&out, &fixture("ca.pem"));
        assert_eq!(checked.code, 0, "{name}: {}", checked.stdout);
        assert!(checked.stdout.contains("VALID"));
        reports.push(std::fs::read(&out).expect("report"));
    }
    // The same key however it was stored: the same signature, byte for byte.
    assert!(reports.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn an_encrypted_key_without_a_passphrase_or_with_a_wrong_one_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report.pdf");
    let key = fixture("signer.pbkdf2.key.pem");
    let cert = fixture("signer.pem");

    // No variable and no terminal (the tests' standard input is not one): refused at once.
    let refused = audit(&key, &cert, &out, &[], &[]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    for expected in [
        "signer.pbkdf2.key.pem:1:",
        "is encrypted",
        "XBORDER_KEY_PASSPHRASE",
    ] {
        assert!(refused.stderr.contains(expected), "{}", refused.stderr);
    }
    assert!(!out.exists());

    let wrong = audit(
        &key,
        &cert,
        &out,
        &[],
        &[("XBORDER_KEY_PASSPHRASE", "not the passphrase")],
    );
    assert_eq!(wrong.code, 2, "{}", wrong.stderr);
    assert!(
        wrong.stderr.contains("could not be decrypted")
            && wrong.stderr.contains("passphrase is wrong"),
        "{}",
        wrong.stderr
    );
    assert!(!wrong.stderr.contains("not the passphrase"));
    assert!(listing(dir.path()).is_empty(), "{:?}", listing(dir.path()));
}

#[test]
fn keygen_encrypt_writes_a_key_openssl_and_audit_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pki = dir.path().join("pki");
    let env = [("XBORDER_KEY_PASSPHRASE", "a long demo passphrase")];
    let made = run_env(
        &root(),
        &[
            "keygen",
            "--name",
            "Encrypting Auditor",
            "--out",
            p(&pki),
            "--encrypt",
        ],
        &env,
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    let key = pki.join("signer.key.pem");
    let text = std::fs::read_to_string(&key).expect("key");
    assert!(
        text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let out = dir.path().join("report.pdf");
    let cert = pki.join("signer.pem");
    let epoch = xborder_tests::now_epoch();
    let signed = run_env(
        &root(),
        &[
            "audit",
            MAP,
            "--as-of",
            "2024-01-01",
            "--key",
            p(&key),
            "--cert",
            p(&cert),
            "--out",
            p(&out),
        ],
        &[env[0], ("SOURCE_DATE_EPOCH", &epoch)],
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    assert_eq!(verify(&out, p(&pki.join("ca.pem"))).code, 0);

    // OpenSSL decrypts it with the same passphrase: a standard PKCS#8 file.
    if Command::new("openssl").arg("version").output().is_ok() {
        let status = Command::new("openssl")
            .args(["pkey", "-in", p(&key), "-noout", "-passin"])
            .arg("env:XBORDER_KEY_PASSPHRASE")
            .env("XBORDER_KEY_PASSPHRASE", env[0].1)
            .status()
            .expect("openssl");
        assert!(status.success());
    }

    // Without a passphrase to use, nothing is written.
    let empty = dir.path().join("none");
    let refused = run(&["keygen", "--name", "X", "--out", p(&empty), "--encrypt"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("XBORDER_KEY_PASSPHRASE"),
        "{}",
        refused.stderr
    );
    assert!(!empty.join("signer.key.pem").exists());
}

#[cfg(unix)]
#[test]
fn a_key_file_others_can_read_is_signed_with_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cert = fixture("signer.pem");
    let open = key_copy(dir.path(), "signer.key.pem", 0o644);
    let out = dir.path().join("open.pdf");
    let signed = audit(p(&open), &cert, &out, &[], &[]);
    assert_eq!(
        signed.code, 0,
        "a warning, not a refusal: {}",
        signed.stderr
    );
    let warning = signed
        .stderr
        .lines()
        .find(|l| l.starts_with("warning:"))
        .unwrap_or_else(|| panic!("no warning:\n{}", signed.stderr));
    assert!(
        warning.contains(p(&open)) && warning.contains("0644"),
        "{warning}"
    );
    assert!(signed.stderr.contains(&format!("chmod 600 {}", p(&open))));

    // Group-readable is as open as world-readable; owner-only is quiet.
    std::fs::remove_file(&out).expect("rm");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    assert!(
        audit(p(&open), &cert, &out, &[], &[])
            .stderr
            .contains("warning:")
    );
    std::fs::remove_file(&out).expect("rm");
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let quiet = audit(p(&open), &cert, &out, &[], &[]);
    assert_eq!(quiet.code, 0);
    assert!(!quiet.stderr.contains("warning:"), "{}", quiet.stderr);
}

/// The 32-byte private scalar of an unencrypted P-256 PKCS#8 key: the OCTET STRING after
/// `version 1` in the inner ECPrivateKey (RFC 5915).
fn private_scalar(pem: &str) -> Vec<u8> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = xborder_tests::decode_base64(&body);
    let at = der
        .windows(5)
        .position(|w| w == [0x02, 0x01, 0x01, 0x04, 0x20])
        .expect("ECPrivateKey");
    der[at + 5..at + 37].to_vec()
}

fn hex(bytes: &[u8], upper: bool) -> String {
    bytes
        .iter()
        .map(|b| {
            if upper {
                format!("{b:02X}")
            } else {
                format!("{b:02x}")
            }
        })
        .collect()
}

#[test]
fn key_material_is_never_printed_nor_embedded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pem = std::fs::read_to_string(root().join(KEYS).join("signer.key.pem")).expect("key");
    let scalar = private_scalar(&pem);
    assert_eq!(scalar.len(), 32);
    let secrets: Vec<Vec<u8>> = pem
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 8)
        .map(|l| l.as_bytes().to_vec())
        .chain([
            scalar.clone(),
            hex(&scalar, false).into_bytes(),
            hex(&scalar, true).into_bytes(),
        ])
        .collect();
    let leaks = |bytes: &[u8]| {
        secrets
            .iter()
            .any(|s| bytes.windows(s.len()).any(|w| w == s.as_slice()))
    };
    let key = key_copy(dir.path(), "signer.key.pem", 0o600);
    let encrypted = key_copy(dir.path(), "signer.pbkdf2.key.pem", 0o600);
    let out = dir.path().join("report.pdf");
    let env = [("XBORDER_KEY_PASSPHRASE", PASSPHRASE)];
    // Refusals: a key that does not match, certificates out of their validity, a wrong
    // passphrase, the key given as the certificate.
    for (k, cert) in [
        (p(&key), fixture("ca.pem")),
        (p(&key), fixture("expired.pem")),
        (p(&key), fixture("not-yet-valid.pem")),
        (p(&key), p(&key).to_string()),
        (p(&encrypted), fixture("expired.pem")),
    ] {
        let refused = audit(k, &cert, &out, &[], &env);
        assert_eq!(refused.code, 2, "{k} {cert}: {}", refused.stderr);
        assert!(!out.exists());
        assert!(
            !leaks(refused.stderr.as_bytes()) && !leaks(refused.stdout.as_bytes()),
            "key material in the output of {k} {cert}:\n{}",
            refused.stderr
        );
    }
    let wrong = audit(
        p(&encrypted),
        &fixture("signer.pem"),
        &out,
        &[],
        &[("XBORDER_KEY_PASSPHRASE", "wrong")],
    );
    assert_eq!(wrong.code, 2);
    assert!(!leaks(wrong.stderr.as_bytes()));

    // A signed report holds the certificate, never the key.
    for k in [&key, &encrypted] {
        let signed = audit(p(k), &fixture("signer.pem"), &out, &["--force"], &env);
        assert_eq!(signed.code, 0, "{}", signed.stderr);
        assert!(!leaks(signed.stderr.as_bytes()) && !leaks(signed.stdout.as_bytes()));
        let bytes = std::fs::read(&out).expect("report");
        assert!(!leaks(&bytes), "the report embeds key material");
        let checked = verify(&out, &fixture("ca.pem"));
        assert!(!leaks(checked.stdout.as_bytes()));
    }
}

#[test]
fn an_existing_signed_report_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = key_copy(dir.path(), "signer.key.pem", 0o600);
    let cert = fixture("signer.pem");
    let out = dir.path().join("report.pdf");
    assert_eq!(audit(p(&key), &cert, &out, &[], &[]).code, 0);
    let before = std::fs::read(&out).expect("report");

    // Another run, even with other inputs, leaves the signed report alone.
    let again = run_env(
        &root(),
        &[
            "audit",
            "data/coursera/2021-01.yaml",
            "--as-of",
            "2021-01-01",
            "--unsigned",
            "--out",
            p(&out),
        ],
        &[],
    );
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(
        again.stderr.contains("already exists") && again.stderr.contains("--force"),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read(&out).expect("report"), before);

    // With --force it is replaced, through a temporary file that does not stay.
    let forced = audit(
        p(&key),
        &cert,
        &out,
        &["--force", "--signer-role", "Second reviewer"],
        &[],
    );
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_ne!(std::fs::read(&out).expect("report"), before);
    assert_eq!(verify(&out, &fixture("ca.pem")).code, 0);
    assert_eq!(listing(dir.path()), ["report.pdf", "signer.key.pem"]);
}

#[test]
fn failing_runs_leave_no_temporary_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = key_copy(dir.path(), "signer.key.pem", 0o600);
    let out = dir.path().join("report.pdf");
    // Refused before any work, refused for the input, and failing at the write itself (the
    // directory of --out does not exist).
    let missing_dir = dir.path().join("no-such-dir").join("report.pdf");
    let runs = [
        audit(p(&key), &fixture("expired.pem"), &out, &[], &[]),
        run(&[
            "audit",
            "tests/malformed/maps/bad-dates.yaml",
            "--unsigned",
            "--out",
            p(&out),
        ]),
        audit(p(&key), &fixture("signer.pem"), &missing_dir, &[], &[]),
    ];
    for r in &runs {
        assert_eq!(r.code, 2, "{}", r.stderr);
    }
    assert!(
        runs[2].stderr.contains("cannot write"),
        "{}",
        runs[2].stderr
    );
    assert_eq!(listing(dir.path()), ["signer.key.pem"]);
}

/// An interrupted run leaves either the complete report or nothing: never a partial file or
/// a temporary one. SIGTERM is sent at several moments of a run; whichever step it lands in,
/// the directory must be clean.
#[cfg(unix)]
#[test]
fn interrupted_runs_leave_nothing_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = key_copy(dir.path(), "signer.key.pem", 0o600);
    let cert = root().join(KEYS).join("signer.pem");
    for delay_ms in [0u64, 50, 150, 300, 600, 1000] {
        let out = dir.path().join(format!("report-{delay_ms}.pdf"));
        let mut child = Command::new(binary())
            .current_dir(root())
            .args([
                "audit",
                "data/coursera/2021-01.yaml",
                "--as-of",
                "2021-01-01",
                "--generated-at",
                GENERATED,
                "--key",
                p(&key),
                "--cert",
                p(&cert),
                "--out",
                p(&out),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn xborder");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let status = child.wait().expect("wait");
        let names = listing(dir.path());
        assert!(
            names.iter().all(|n| !n.ends_with(".tmp")),
            "after SIGTERM at {delay_ms} ms: {names:?}"
        );
        if out.exists() {
            assert_eq!(
                verify(&out, &fixture("ca.pem")).code,
                0,
                "a report that exists is complete (exit {status})"
            );
        }
    }
}

/// Appends an incremental update to `pdf` that replaces its /Info dictionary, as an editor
/// saving a changed title would: the new object and a cross-reference stream section (ISO
/// 32000-1 §7.5.8), the form the report's last revision has.
fn append_info_update(pdf: &[u8]) -> Vec<u8> {
    let tail = String::from_utf8_lossy(&pdf[pdf.len().saturating_sub(64)..]).into_owned();
    let prev: usize = tail
        .rsplit("startxref")
        .next()
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("startxref");
    // The last section's dictionary: from its offset to the start of its stream.
    let section = String::from_utf8_lossy(&pdf[prev..]).into_owned();
    let dict = &section[..section.find("stream").expect("a cross-reference stream")];
    assert!(
        dict.contains("/XRef"),
        "the last section is a stream: {dict}"
    );
    let number_after = |key: &str| -> u64 {
        let at = dict.find(key).expect(key) + key.len();
        let digits: String = dict[at..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().expect(key)
    };
    let size = number_after("/Size");
    let root_obj = number_after("/Root");
    let info = number_after("/Info");
    let mut out = pdf.to_vec();
    let obj_at = out.len();
    out.extend_from_slice(
        format!("{info} 0 obj\n<</Title (Changed after signing)>>\nendobj\n").as_bytes(),
    );
    let xref_at = out.len();
    // Two entries of type 1 (in use, at an offset), fields 1, 4 and 2 bytes wide: the
    // changed /Info, and the stream itself as object `size`.
    let mut entries = Vec::new();
    for offset in [obj_at, xref_at] {
        entries.push(1u8);
        entries.extend_from_slice(&u32::try_from(offset).expect("offset").to_be_bytes());
        entries.extend_from_slice(&[0, 0]);
    }
    out.extend_from_slice(
        format!(
            "{size} 0 obj\n<</Type/XRef/Size {}/Root {root_obj} 0 R/Info {info} 0 R/Prev {prev}/W[1 4 2]/Index[{info} 1 {size} 1]/Length {}>>\nstream\n",
            size + 1,
            entries.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&entries);
    out.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
    out
}

/// A signed report of the fixture signer, in a fresh directory.
fn signed_report() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = key_copy(dir.path(), "signer.key.pem", 0o600);
    let out = dir.path().join("report.pdf");
    let signed = audit(
        p(&key),
        &fixture("signer.pem"),
        &out,
        &["--chain", &fixture("ca.pem")],
        &[],
    );
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    (dir, out)
}

#[test]
fn an_incremental_update_after_signing_is_reported_as_modified() {
    let (dir, out) = signed_report();
    let updated = append_info_update(&std::fs::read(&out).expect("report"));
    let changed = dir.path().join("changed.pdf");
    std::fs::write(&changed, updated).expect("write");
    if xborder_tests::require_tool("qpdf") {
        let (code, text) = xborder_tests::tool("qpdf", &["--check", p(&changed)]);
        assert_eq!(code, 0, "the update is a well-formed revision: {text}");
    }
    let checked = verify(&changed, &fixture("ca.pem"));
    assert_eq!(checked.code, 1, "{}", checked.stdout);
    assert!(
        checked.stdout.contains("modified after signing") && checked.stdout.contains("INVALID"),
        "{}",
        checked.stdout
    );
}

#[test]
fn a_chain_that_does_not_reach_the_trust_anchor_is_not_trusted() {
    let (dir, out) = signed_report();
    let other = dir.path().join("other");
    let made = run(&["keygen", "--name", "Unrelated", "--out", p(&other)]);
    assert_eq!(made.code, 0, "{}", made.stderr);
    let checked = verify(&out, p(&other.join("ca.pem")));
    assert_eq!(checked.code, 1, "{}", checked.stdout);
    assert!(
        checked
            .stdout
            .contains("signer chain:  FAILED — not trusted")
            && checked.stdout.contains("INVALID"),
        "{}",
        checked.stdout
    );
    // The signature itself is intact: only the trust fails.
    assert!(checked.stdout.contains("digest:        ok"));
}

#[test]
fn verify_names_the_signature_algorithm_and_the_key() {
    let (_dir, out) = signed_report();
    // The test signer's key is an ECDSA P-256 key (`tests/data/keys/signer.key.pem`).
    let checked = verify(&out, &fixture("ca.pem"));
    assert_eq!(checked.code, 0, "{}", checked.stdout);
    assert!(
        checked
            .stdout
            .contains("  algorithm:     ECDSA with SHA-256 on a P-256 key\n"),
        "{}",
        checked.stdout
    );
    let json = run(&[
        "verify",
        p(&out),
        "--trust",
        &fixture("ca.pem"),
        "--format",
        "json",
    ]);
    assert_eq!(
        json.json()["signatures"][0]["algorithm"],
        "ECDSA with SHA-256 on a P-256 key",
        "{}",
        json.stdout
    );
}

#[test]
fn verify_names_the_time_stamping_authority_algorithm_of_the_sample_b_lta_report() {
    // The long-term sample report of `reports/`, signed with the test PKI's P-256 keys: its
    // signature's time-stamp and its document time-stamp name the TSA's algorithm too.
    let sample = "reports/coursera-2021-01-as-of-2021-01-01-b-lta.pdf";
    let root = "reports/archive-root-ca.pem";
    assert_eq!(run(&["verify", sample, "--trust", root]).code, 0);
    assert_names_tsa_algorithm(sample, root, "ECDSA with SHA-256 on a P-256 key");
}

#[test]
fn a_report_with_two_signatures_reports_both() {
    let (dir, out) = signed_report();
    let once = std::fs::read(&out).expect("report");
    // A second signer, as a co-signing auditor would add with any PAdES tool.
    let second = xborder_sign::keygen("Second Auditor", chrono_like(2020), chrono_like(2120))
        .expect("keygen");
    let twice = xborder_sign::sign_pdf(&xborder_sign::SignRequest {
        pdf: &once,
        key_pem: &second.signer_key_pem,
        cert_pem: &second.signer_cert_pem,
        chain_pem: Some(&second.ca_cert_pem),
        signing_time: chrono_like(2026),
        signer_name: Some("Second Auditor"),
        reason: Some("Co-signed"),
        location: None,
    })
    .expect("second signature");
    let cosigned = dir.path().join("cosigned.pdf");
    std::fs::write(&cosigned, &twice).expect("write");
    let anchors = dir.path().join("anchors.pem");
    let first_ca = std::fs::read_to_string(root().join(KEYS).join("ca.pem")).expect("ca");
    std::fs::write(&anchors, format!("{first_ca}{}", second.ca_cert_pem)).expect("write");

    let both = verify(&cosigned, p(&anchors));
    assert_eq!(both.code, 0, "{}", both.stdout);
    for expected in [
        "2 signature(s)",
        "signature 1",
        "signature 2",
        "CN=Test Signer",
        "CN=Second Auditor",
        "later byte(s) covered by signature 2",
        "VALID",
    ] {
        assert!(
            both.stdout.contains(expected),
            "{expected}:\n{}",
            both.stdout
        );
    }
    // Trusting only the first CA: the second signer is not trusted, so the file is not valid.
    let one = verify(&cosigned, &fixture("ca.pem"));
    assert_eq!(one.code, 1, "{}", one.stdout);
    assert!(
        one.stdout.contains("FAILED — not trusted"),
        "{}",
        one.stdout
    );
    // Bytes after the second signature: both signatures are modified after signing.
    let mut tampered = twice.clone();
    tampered.extend_from_slice(b"\n% later\n");
    std::fs::write(&cosigned, &tampered).expect("write");
    let after = verify(&cosigned, p(&anchors));
    assert_eq!(after.code, 1);
    assert_eq!(
        after.stdout.matches("modified after signing").count(),
        2,
        "{}",
        after.stdout
    );
}

/// 1 January of `year`, midnight UTC.
fn chrono_like(year: i32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone as _;
    chrono::Utc
        .with_ymd_and_hms(year, 1, 1, 0, 0, 0)
        .single()
        .expect("valid date")
}
