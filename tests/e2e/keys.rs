//! Keys as organisations have them, end to end: RSA-2048 and RSA-3072 keys signing with
//! PKCS#1 v1.5 and with PSS, a P-384 key, and a PKCS#12 file that carries the chain, all made
//! with OpenSSL, sign an audit report through the CLI; `xborder verify`, poppler's `pdfsig`
//! and pyHanko accept each with the root CA as trust anchor. And what is refused, with exit 2
//! and nothing written: a 1024-bit RSA key, P-521 and Ed25519 keys, a wrong or missing PKCS#12
//! passphrase, a legacy PKCS#12 file, a key that does not match the certificate, a PEM key
//! without its certificate, `--rsa-padding` with an ECDSA key.

use std::path::{Path, PathBuf};
use std::process::Command;

use xborder_tests::{Run, now_epoch, require_tool, root, run_env, tool};

use crate::audit::{pdftotext, squash};

const MAP: &str = "tests/maps/valid/minimal.yaml";
const PASSPHRASE: &str = "organisation passphrase";

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Runs `openssl ARGS` in `dir`, failing the test with its output when it fails.
fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An OpenSSL-made PKI in a temporary directory: `ca.pem` (root), optionally `sub.pem` (an
/// intermediate CA), and `signer.key` / `signer.pem` issued by the last CA, all with keys of
/// the same kind, the CAs signing with `sign` options.
struct Pki {
    dir: tempfile::TempDir,
}

/// `openssl genpkey` options of the keys of one kind.
const RSA2048: &[&str] = &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"];
const RSA3072: &[&str] = &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"];
const P384: &[&str] = &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"];

const CONFIG: &str = "[req]\ndistinguished_name=dn\n[dn]\n\
    [ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n\
    [signer]\nbasicConstraints=critical,CA:FALSE\n\
    keyUsage=critical,digitalSignature,nonRepudiation\n";

impl Pki {
    fn new(key: &[&str], sign: &[&str], intermediate: bool) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        std::fs::write(d.join("x.cnf"), CONFIG).expect("config");
        let genpkey = |out: &str| {
            let mut args = vec!["genpkey", "-out", out];
            args.extend_from_slice(key);
            openssl(d, &args);
        };
        genpkey("ca.key");
        let mut args = vec![
            "req",
            "-x509",
            "-new",
            "-key",
            "ca.key",
            "-subj",
            "/CN=Org Root CA/O=xborder tests",
            "-days",
            "3",
            "-config",
            "x.cnf",
            "-extensions",
            "ca",
            "-out",
            "ca.pem",
        ];
        args.extend_from_slice(sign);
        openssl(d, &args);
        // issue(NAME, CN, ISSUER, EXTENSIONS, SERIAL)
        let issue = |name: &str, cn: &str, issuer: &str, extensions: &str, serial: &str| {
            genpkey(&format!("{name}.key"));
            let subject = format!("/CN={cn}/O=xborder tests");
            let (key, csr, pem) = (
                format!("{name}.key"),
                format!("{name}.csr"),
                format!("{name}.pem"),
            );
            let (issuer_pem, issuer_key) = (format!("{issuer}.pem"), format!("{issuer}.key"));
            openssl(
                d,
                &[
                    "req", "-new", "-key", &key, "-subj", &subject, "-config", "x.cnf", "-out",
                    &csr,
                ],
            );
            let mut args = vec![
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                &issuer_pem,
                "-CAkey",
                &issuer_key,
                "-set_serial",
                serial,
                "-days",
                "2",
                "-extfile",
                "x.cnf",
                "-extensions",
                extensions,
                "-out",
                &pem,
            ];
            args.extend_from_slice(sign);
            openssl(d, &args);
        };
        let issuer = if intermediate {
            issue("sub", "Org Issuing CA", "ca", "ca", "2");
            "sub"
        } else {
            "ca"
        };
        issue("signer", "Org Signer", issuer, "signer", "3");
        Pki { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A PKCS#12 export of the signer with `certs` (PEM files) as its chain.
    fn pkcs12(&self, name: &str, certs: &[&str], extra: &[&str]) -> PathBuf {
        let chain = self.path("chain.pem");
        let text: String = certs
            .iter()
            .map(|c| std::fs::read_to_string(self.path(c)).expect("cert"))
            .collect();
        std::fs::write(&chain, text).expect("chain");
        let pass = format!("pass:{PASSPHRASE}");
        let mut args = vec![
            "pkcs12",
            "-export",
            "-inkey",
            "signer.key",
            "-in",
            "signer.pem",
            "-certfile",
            "chain.pem",
            "-passout",
            &pass,
            "-out",
            name,
        ];
        args.extend_from_slice(extra);
        openssl(self.dir.path(), &args);
        self.path(name)
    }
}

/// `audit MAP --out OUT ARGS…` at the current time, with `env`.
fn audit(out: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let epoch = now_epoch();
    let mut all = vec!["audit", MAP, "--as-of", "2024-01-01", "--out", p(out)];
    all.extend_from_slice(args);
    let mut env = env.to_vec();
    env.push(("SOURCE_DATE_EPOCH", &epoch));
    run_env(&root(), &all, &env)
}

/// The report is accepted by `xborder verify`, pdfsig and pyHanko, trusting only `ca`.
fn assert_valid_everywhere(pdf: &Path, ca: &Path, what: &str) {
    let checked = run_env(&root(), &["verify", p(pdf), "--trust", p(ca)], &[]);
    assert_eq!(checked.code, 0, "{what}: {}", checked.stdout);
    assert!(
        checked.stdout.contains("VALID") && checked.stdout.contains("trusted (chain of"),
        "{what}: {}",
        checked.stdout
    );
    if require_tool("pdfsig") {
        let (_, text) = tool("pdfsig", &[p(pdf)]);
        assert!(text.contains("Signature is Valid"), "{what}: {text}");
    }
    if require_tool("pyhanko") {
        let (code, text) = tool(
            "pyhanko",
            &[
                "sign",
                "validate",
                "--pretty-print",
                "--trust",
                p(ca),
                p(pdf),
            ],
        );
        assert_eq!(code, 0, "{what}: {text}");
        assert!(
            text.contains("The signature is judged VALID"),
            "{what}: {text}"
        );
    }
}

#[test]
fn rsa_and_p384_keys_sign_reports_that_every_validator_accepts() {
    if !require_tool("openssl") {
        return;
    }
    let rsa2048 = Pki::new(RSA2048, &["-sha256"], false);
    // The RSA-3072 CA signs its certificates with RSASSA-PSS too.
    let pss = [
        "-sha384",
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:digest",
    ];
    let rsa3072 = Pki::new(RSA3072, &pss, false);
    let p384 = Pki::new(P384, &["-sha384"], false);
    let out_dir = tempfile::tempdir().expect("temp dir");
    // (PKI, --rsa-padding, name, the signature the report's appendix states)
    for (pki, padding, name, stated) in [
        (
            &rsa2048,
            None,
            "rsa2048-pkcs1v15",
            "SHA-256, RSA-2048 PKCS#1 v1.5",
        ),
        (
            &rsa2048,
            Some("pss"),
            "rsa2048-pss",
            "SHA-256, RSA-2048 PSS",
        ),
        (
            &rsa3072,
            Some("pkcs1v15"),
            "rsa3072-pkcs1v15",
            "SHA-384, RSA-3072 PKCS#1 v1.5",
        ),
        (
            &rsa3072,
            Some("pss"),
            "rsa3072-pss",
            "SHA-384, RSA-3072 PSS",
        ),
        (&p384, None, "p384", "SHA-384, ECDSA P-384"),
    ] {
        let out = out_dir.path().join(format!("{name}.pdf"));
        let (key, cert, ca) = (
            pki.path("signer.key"),
            pki.path("signer.pem"),
            pki.path("ca.pem"),
        );
        let mut args = vec!["--key", p(&key), "--cert", p(&cert), "--chain", p(&ca)];
        if let Some(padding) = padding {
            args.extend(["--rsa-padding", padding]);
        }
        let signed = audit(&out, &args, &[]);
        assert_eq!(signed.code, 0, "{name}: {}", signed.stderr);
        assert_valid_everywhere(&out, &ca, name);
        if require_tool("pdftotext") {
            let text = squash(&pdftotext(&out, None));
            assert!(
                text.contains(&squash(&format!("(ETSI.CAdES.detached, {stated})"))),
                "{name}: the appendix does not state {stated}"
            );
        }
    }
}

#[test]
fn pkcs1v15_reports_are_reproducible_and_pss_reports_are_not() {
    if !require_tool("openssl") {
        return;
    }
    let pki = Pki::new(RSA2048, &["-sha256"], false);
    let dir = tempfile::tempdir().expect("temp dir");
    let (key, cert) = (pki.path("signer.key"), pki.path("signer.pem"));
    let epoch = now_epoch();
    let sign = |name: &str, padding: &str| {
        let out = dir.path().join(name);
        let args = [
            "audit",
            MAP,
            "--as-of",
            "2024-01-01",
            "--out",
            p(&out),
            "--key",
            p(&key),
            "--cert",
            p(&cert),
            "--rsa-padding",
            padding,
        ];
        let signed = run_env(&root(), &args, &[("SOURCE_DATE_EPOCH", &epoch)]);
        assert_eq!(signed.code, 0, "{}", signed.stderr);
        std::fs::read(out).expect("report")
    };
    assert_eq!(sign("a.pdf", "pkcs1v15"), sign("b.pdf", "pkcs1v15"));
    let (c, d) = (sign("c.pdf", "pss"), sign("d.pdf", "pss"));
    assert_ne!(c, d, "PSS draws a new salt for every signature");
    assert_eq!(c.len(), d.len(), "only the signature value differs");
}

#[test]
fn a_pkcs12_file_brings_its_certificate_and_chain() {
    if !require_tool("openssl") {
        return;
    }
    // Root → issuing CA → signer: only a chain embedded from the PKCS#12 file reaches the
    // root, the one anchor the validators are given.
    let pss = [
        "-sha256",
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:digest",
    ];
    let pki = Pki::new(RSA3072, &pss, true);
    let p12 = pki.pkcs12("signer.p12", &["sub.pem", "ca.pem"], &[]);
    let out = pki.path("report.pdf");
    let env = [("XBORDER_KEY_PASSPHRASE", PASSPHRASE)];
    let signed = audit(&out, &["--key", p(&p12), "--rsa-padding", "pss"], &env);
    assert_eq!(signed.code, 0, "{}", signed.stderr);
    assert_valid_everywhere(&out, &pki.path("ca.pem"), "PKCS#12");
    let checked = run_env(
        &root(),
        &["verify", p(&out), "--trust", p(&pki.path("ca.pem"))],
        &[],
    );
    assert!(checked.stdout.contains("chain of 3"), "{}", checked.stdout);

    // The same file under a `.pem` name is still read as PKCS#12 (by its content).
    let renamed = pki.path("signer-p12.pem");
    std::fs::copy(&p12, &renamed).expect("copy");
    let again = audit(&pki.path("again.pdf"), &["--key", p(&renamed)], &env);
    assert_eq!(again.code, 0, "{}", again.stderr);
}

#[test]
fn pkcs12_passphrase_problems_and_legacy_files_are_refused() {
    if !require_tool("openssl") {
        return;
    }
    let pki = Pki::new(P384, &["-sha384"], false);
    let p12 = pki.pkcs12("signer.p12", &["ca.pem"], &[]);
    let out = pki.path("report.pdf");
    let key = ["--key", p(&p12)];

    let wrong = audit(&out, &key, &[("XBORDER_KEY_PASSPHRASE", "not it")]);
    assert_eq!(wrong.code, 2, "{}", wrong.stderr);
    let located = format!("error: {}: ", p(&p12));
    for expected in [
        located.as_str(),
        "the passphrase is wrong",
        "the passphrase tried is the value of XBORDER_KEY_PASSPHRASE",
    ] {
        assert!(wrong.stderr.contains(expected), "{}", wrong.stderr);
    }
    assert!(!wrong.stderr.contains("not it"));

    // No variable and no terminal: refused at once.
    let none = audit(&out, &key, &[]);
    assert_eq!(none.code, 2, "{}", none.stderr);
    assert!(
        none.stderr
            .contains("protected by a passphrase, and none was given")
            && none.stderr.contains("XBORDER_KEY_PASSPHRASE"),
        "{}",
        none.stderr
    );

    // OpenSSL 1.x's scheme: refused with the command that re-exports it.
    let legacy = pki.pkcs12(
        "legacy.pfx",
        &["ca.pem"],
        &[
            "-keypbe",
            "PBE-SHA1-3DES",
            "-certpbe",
            "PBE-SHA1-3DES",
            "-macalg",
            "sha1",
        ],
    );
    let refused = audit(
        &out,
        &["--key", p(&legacy)],
        &[("XBORDER_KEY_PASSPHRASE", PASSPHRASE)],
    );
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("SHA-1")
            && refused
                .stderr
                .contains("openssl pkcs12 -legacy -in old.p12 -out old.pem"),
        "{}",
        refused.stderr
    );
    assert!(!out.exists());
}

/// `openssl genpkey` of `args` into `dir/name`.
fn key_file(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let mut all = vec!["genpkey", "-out", name];
    all.extend_from_slice(args);
    openssl(dir, &all);
    dir.join(name)
}

#[test]
fn keys_that_cannot_sign_or_do_not_fit_are_refused_at_their_file() {
    if !require_tool("openssl") {
        return;
    }
    let pki = Pki::new(P384, &["-sha384"], false);
    let d = pki.dir.path();
    let cert = pki.path("signer.pem");
    let out = pki.path("report.pdf");
    let rsa1024 = key_file(
        d,
        "rsa1024.pem",
        &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
    );
    let p521 = key_file(
        d,
        "p521.pem",
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
    );
    let ed25519 = key_file(d, "ed25519.pem", &["-algorithm", "ED25519"]);
    let rsa2048 = key_file(d, "rsa2048.pem", RSA2048);
    let signer_key = pki.path("signer.key");
    let with_cert = ["--cert", p(&cert)];
    let cases: [(&Path, &[&str], &[&str]); 6] = [
        (
            &rsa1024,
            &with_cert,
            &["1024-bit RSA key", "at least 2048 bits"],
        ),
        (&p521, &with_cert, &["P-521", "P-384"]),
        (&ed25519, &with_cert, &["Ed25519"]),
        (
            &rsa2048,
            &with_cert,
            &["does not match the signer certificate"],
        ),
        (
            &signer_key,
            &["--cert", p(&cert), "--rsa-padding", "pss"],
            &["ECDSA P-384", "--rsa-padding applies to RSA keys"],
        ),
        (
            &signer_key,
            &[],
            &["a PEM key needs its certificate", "--cert"],
        ),
    ];
    for (key, extra, expected) in cases {
        let mut args = vec!["--key", p(key)];
        args.extend_from_slice(extra);
        let refused = audit(&out, &args, &[]);
        assert_eq!(refused.code, 2, "{}: {}", p(key), refused.stderr);
        assert!(
            refused.stderr.starts_with(&format!("error: {}", p(key))),
            "named at the key file: {}",
            refused.stderr
        );
        for e in expected {
            assert!(refused.stderr.contains(e), "{e}: {}", refused.stderr);
        }
        assert!(!out.exists());
    }
}
