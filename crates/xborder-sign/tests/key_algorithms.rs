//! Keys as organisations have them, made by OpenSSL: RSA-2048 and RSA-3072 with PKCS#1 v1.5
//! and PSS, ECDSA P-384, in PKCS#8, PKCS#1 and SEC1 PEM and in PKCS#12 files, each under a CA
//! of its own kind (so chains signed with RSA, RSASSA-PSS and ECDSA P-384 are checked too).
//! Every signature is verified by this crate and, independently, by `openssl cms -verify`.
//!
//! A missing `openssl` fails the tests when the `CI` environment variable is set and skips
//! them with a notice otherwise.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Utc};
use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use common::{Flavor, test_pdf};
use der::{Decode, Encode, SliceReader};
use xborder_sign::{
    KeyAlgorithm, RsaPadding, SignError, SignRequest, key_algorithm, read_pkcs12,
    sign_pdf_with_rsa_padding, verify_pdf,
};

const PASSPHRASE: &str = "organisation passphrase";

fn openssl_available() -> bool {
    let present = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "`openssl` is required in CI (apt-get install openssl)"
        );
        eprintln!("SKIPPED: `openssl` is not installed");
    }
    present
}

/// Runs `openssl ARGS` in `dir`, panicking with its output when it fails.
fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// How one test PKI is made.
struct Kind {
    /// `openssl genpkey` arguments of the CA key.
    ca_key: &'static [&'static str],
    /// `openssl` arguments writing the signer key to `signer.key`.
    signer_key: &'static [&'static str],
    /// Digest and signature options of the CA when it signs certificates.
    ca_sign: &'static [&'static str],
}

const RSA2048: Kind = Kind {
    ca_key: &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    // PKCS#8 `PRIVATE KEY`.
    signer_key: &[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        "signer.key",
    ],
    ca_sign: &["-sha256"],
};
const RSA3072: Kind = Kind {
    ca_key: &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"],
    // PKCS#1 `RSA PRIVATE KEY`.
    signer_key: &["genrsa", "-traditional", "-out", "signer.key", "3072"],
    // Certificates signed with RSASSA-PSS.
    ca_sign: &[
        "-sha384",
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:digest",
    ],
};
const P384: Kind = Kind {
    ca_key: &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
    // SEC1 `EC PRIVATE KEY`.
    signer_key: &[
        "ecparam",
        "-genkey",
        "-name",
        "secp384r1",
        "-noout",
        "-out",
        "signer.key",
    ],
    ca_sign: &["-sha384"],
};

/// A CA and a signer certificate issued by it, valid around now, in a directory.
struct Pki {
    dir: tempfile::TempDir,
    ca_pem: String,
    key_pem: String,
    cert_pem: String,
}

impl Pki {
    fn new(kind: &Kind) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // `req` takes the names from -subj but wants a [req] section all the same.
        std::fs::write(
            d.join("ext.cnf"),
            "[req]\ndistinguished_name=dn\n[dn]\n\
             [ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n\
             subjectKeyIdentifier=hash\n\
             [signer]\nbasicConstraints=critical,CA:FALSE\n\
             keyUsage=critical,digitalSignature,nonRepudiation\n",
        )
        .unwrap();
        let mut args = vec!["genpkey", "-out", "ca.key"];
        args.extend_from_slice(kind.ca_key);
        openssl(d, &args);
        let mut args = vec![
            "req",
            "-x509",
            "-new",
            "-key",
            "ca.key",
            "-subj",
            "/CN=Test Org CA/O=xborder tests",
            "-days",
            "3",
            "-config",
            "ext.cnf",
            "-extensions",
            "ca",
            "-out",
            "ca.pem",
        ];
        args.extend_from_slice(kind.ca_sign);
        openssl(d, &args);
        openssl(d, kind.signer_key);
        openssl(
            d,
            &[
                "req",
                "-new",
                "-key",
                "signer.key",
                "-subj",
                "/CN=Test Org Signer/O=xborder tests",
                "-config",
                "ext.cnf",
                "-out",
                "signer.csr",
            ],
        );
        let mut args = vec![
            "x509",
            "-req",
            "-in",
            "signer.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            "2",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
            "-extensions",
            "signer",
            "-out",
            "signer.pem",
        ];
        args.extend_from_slice(kind.ca_sign);
        openssl(d, &args);
        let read = |name: &str| std::fs::read_to_string(d.join(name)).unwrap();
        Pki {
            ca_pem: read("ca.pem"),
            key_pem: read("signer.key"),
            cert_pem: read("signer.pem"),
            dir,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn request<'a>(&'a self, pdf: &'a [u8], at: DateTime<Utc>) -> SignRequest<'a> {
        SignRequest {
            pdf,
            key_pem: &self.key_pem,
            cert_pem: &self.cert_pem,
            chain_pem: Some(&self.ca_pem),
            signing_time: at,
            signer_name: Some("Test Org Signer"),
            reason: Some("Cross-border transfer audit report"),
            location: None,
        }
    }

    /// `openssl pkcs12 -export` of the signer key, certificate and CA with `extra` options.
    fn pkcs12(&self, name: &str, passphrase: &str, extra: &[&str]) -> Vec<u8> {
        let pass = format!("pass:{passphrase}");
        let mut args = vec![
            "pkcs12",
            "-export",
            "-inkey",
            "signer.key",
            "-in",
            "signer.pem",
            "-certfile",
            "ca.pem",
            "-name",
            "Test Org Signer",
            "-passout",
            &pass,
            "-out",
            name,
        ];
        args.extend_from_slice(extra);
        openssl(self.dir.path(), &args);
        std::fs::read(self.path(name)).unwrap()
    }
}

/// Now, to the second: the certificates OpenSSL makes are valid from now on.
fn now() -> DateTime<Utc> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    DateTime::from_timestamp(i64::try_from(secs).unwrap(), 0).unwrap()
}

/// The /ByteRange of the last signature of `signed`.
fn report_range(signed: &[u8]) -> [usize; 4] {
    let v = verify_pdf(signed, None, None).unwrap();
    v.signatures.last().unwrap().byte_range.map(|n| n as usize)
}

/// The CMS of the last signature of `signed`, and the bytes its ByteRange covers.
fn cms_of(signed: &[u8]) -> (ContentInfo, Vec<u8>) {
    let [a0, a_len, b0, b_len] = report_range(signed);
    let hex = &signed[a0 + a_len + 1..b0 - 1];
    let bytes: Vec<u8> = hex
        .chunks(2)
        .map(|h| u8::from_str_radix(std::str::from_utf8(h).unwrap(), 16).unwrap())
        .collect();
    let info = ContentInfo::decode(&mut SliceReader::new(&bytes).unwrap()).unwrap();
    let mut content = signed[a0..a0 + a_len].to_vec();
    content.extend_from_slice(&signed[b0..b0 + b_len]);
    (info, content)
}

/// The digest and signature algorithm OIDs of the one SignerInfo, and the DER of the
/// signature algorithm's parameters.
fn algorithms(info: &ContentInfo) -> (String, String, Vec<u8>) {
    let sd: SignedData = info.content.decode_as().unwrap();
    let si = sd.signer_infos.0.iter().next().unwrap();
    (
        si.digest_alg.oid.to_string(),
        si.signature_algorithm.oid.to_string(),
        si.signature_algorithm
            .parameters
            .as_ref()
            .map(|p| p.to_der().unwrap())
            .unwrap_or_default(),
    )
}

/// `openssl cms -verify` of the detached signature over `content`, trusting `ca`.
fn openssl_verifies(pki: &Pki, info: &ContentInfo, content: &[u8]) -> bool {
    std::fs::write(pki.path("sig.der"), info.to_der().unwrap()).unwrap();
    std::fs::write(pki.path("content.bin"), content).unwrap();
    Command::new("openssl")
        .args([
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "sig.der",
            "-content",
            "content.bin",
            "-CAfile",
            "ca.pem",
            "-purpose",
            "any",
            "-out",
            "/dev/null",
        ])
        .current_dir(pki.dir.path())
        .output()
        .unwrap()
        .status
        .success()
}

const SHA256: &str = "2.16.840.1.101.3.4.2.1";
const SHA384: &str = "2.16.840.1.101.3.4.2.2";
const SHA256_RSA: &str = "1.2.840.113549.1.1.11";
const SHA384_RSA: &str = "1.2.840.113549.1.1.12";
const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
const ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
/// DER NULL, the parameters of shaNNNWithRSAEncryption.
const NULL: [u8; 2] = [0x05, 0x00];

#[test]
fn each_key_kind_signs_with_its_algorithm_and_verifies_here_and_in_openssl() {
    if !openssl_available() {
        return;
    }
    let pdf = test_pdf(Flavor::Classic);
    let rsa2048 = Pki::new(&RSA2048);
    let rsa3072 = Pki::new(&RSA3072);
    let p384 = Pki::new(&P384);
    // (PKI, padding, key algorithm, digest, signature algorithm, its parameters' hash)
    let cases = [
        (
            &rsa2048,
            RsaPadding::Pkcs1v15,
            KeyAlgorithm::Rsa { bits: 2048 },
            SHA256,
            SHA256_RSA,
            None,
        ),
        (
            &rsa2048,
            RsaPadding::Pss,
            KeyAlgorithm::Rsa { bits: 2048 },
            SHA256,
            RSASSA_PSS,
            Some(SHA256),
        ),
        (
            &rsa3072,
            RsaPadding::Pkcs1v15,
            KeyAlgorithm::Rsa { bits: 3072 },
            SHA384,
            SHA384_RSA,
            None,
        ),
        (
            &rsa3072,
            RsaPadding::Pss,
            KeyAlgorithm::Rsa { bits: 3072 },
            SHA384,
            RSASSA_PSS,
            Some(SHA384),
        ),
        (
            &p384,
            RsaPadding::Pkcs1v15,
            KeyAlgorithm::EcdsaP384,
            SHA384,
            ECDSA_SHA384,
            None,
        ),
    ];
    for ((pki, padding, algorithm, digest, signature, pss_hash), in_words) in
        cases.into_iter().zip([
            "RSASSA-PKCS1-v1_5 with SHA-256 on a 2048-bit RSA key",
            "RSASSA-PSS with SHA-256 on a 2048-bit RSA key",
            "RSASSA-PKCS1-v1_5 with SHA-384 on a 3072-bit RSA key",
            "RSASSA-PSS with SHA-384 on a 3072-bit RSA key",
            "ECDSA with SHA-384 on a P-384 key",
        ])
    {
        let what = format!("{algorithm} {padding:?}");
        assert_eq!(key_algorithm(&pki.key_pem).unwrap(), algorithm, "{what}");
        let at = now();
        let signed = sign_pdf_with_rsa_padding(&pki.request(&pdf, at), padding).unwrap();

        let report = verify_pdf(&signed, Some(&pki.ca_pem), Some(at)).unwrap();
        assert!(report.is_valid(), "{what}: {report:#?}");
        let check = &report.signatures[0];
        assert!(check.chain.is_trusted(), "{what}: {}", check.chain);
        assert_eq!(check.algorithm.as_deref(), Some(in_words), "{what}");
        let mut tampered = signed.clone();
        tampered[100] ^= 0x01;
        let report = verify_pdf(&tampered, Some(&pki.ca_pem), Some(at)).unwrap();
        assert!(!report.is_valid(), "{what}: a changed byte went unnoticed");

        let (info, content) = cms_of(&signed);
        let (digest_alg, signature_alg, params) = algorithms(&info);
        assert_eq!(
            (digest_alg.as_str(), signature_alg.as_str()),
            (digest, signature),
            "{what}"
        );
        match pss_hash {
            // RSASSA-PSS-params (RFC 4055): the hash, MGF1 with it, a salt as long as it.
            Some(hash) => {
                let text = format!("{params:02x?}");
                let hash_der = der::asn1::ObjectIdentifier::new_unwrap(hash)
                    .to_der()
                    .unwrap();
                let salt = if hash == SHA256 { 0x20 } else { 0x30 };
                assert_eq!(
                    params
                        .windows(hash_der.len())
                        .filter(|w| *w == hash_der.as_slice())
                        .count(),
                    2,
                    "{what}: {text}"
                );
                assert!(
                    params.ends_with(&[0xa2, 0x03, 0x02, 0x01, salt]),
                    "{what}: {text}"
                );
            }
            None if signature == ECDSA_SHA384 => assert!(params.is_empty(), "{what}"),
            None => assert_eq!(params, NULL, "{what}"),
        }
        // The last byte of the CMS is the signature value's: changed, the digest still
        // matches and the signature alone fails.
        let [_, a_len, ..] = report_range(&signed);
        let last_hex = a_len + 1 + 2 * info.to_der().unwrap().len() - 1;
        let mut forged = signed.clone();
        forged[last_hex] = if forged[last_hex] == b'0' { b'1' } else { b'0' };
        let check = &verify_pdf(&forged, Some(&pki.ca_pem), Some(at))
            .unwrap()
            .signatures[0];
        assert!(
            check.digest_ok && !check.signature_ok,
            "{what}: {:?}",
            check.notes
        );
        assert!(
            openssl_verifies(pki, &info, &content),
            "{what}: openssl cms -verify"
        );
        let mut changed = content.clone();
        changed[10] ^= 0x01;
        assert!(
            !openssl_verifies(pki, &info, &changed),
            "{what}: a changed byte"
        );
    }
}

#[test]
fn pkcs1v15_and_ecdsa_are_deterministic_and_pss_is_salted() {
    if !openssl_available() {
        return;
    }
    let pdf = test_pdf(Flavor::XrefStream);
    let rsa = Pki::new(&RSA2048);
    let p384 = Pki::new(&P384);
    let at = now();
    for (pki, padding) in [(&rsa, RsaPadding::Pkcs1v15), (&p384, RsaPadding::Pkcs1v15)] {
        let once = sign_pdf_with_rsa_padding(&pki.request(&pdf, at), padding).unwrap();
        let twice = sign_pdf_with_rsa_padding(&pki.request(&pdf, at), padding).unwrap();
        assert_eq!(once, twice, "{padding:?}: the same request, the same bytes");
    }
    // A fresh random salt per signature (RFC 8017 §9.1.1): the files differ, both verify.
    let once = sign_pdf_with_rsa_padding(&rsa.request(&pdf, at), RsaPadding::Pss).unwrap();
    let twice = sign_pdf_with_rsa_padding(&rsa.request(&pdf, at), RsaPadding::Pss).unwrap();
    assert_ne!(once, twice);
    assert_eq!(once.len(), twice.len());
    for signed in [&once, &twice] {
        assert!(
            verify_pdf(signed, Some(&rsa.ca_pem), Some(at))
                .unwrap()
                .is_valid()
        );
    }
}

#[test]
fn a_pkcs12_file_gives_key_certificate_and_chain() {
    if !openssl_available() {
        return;
    }
    let pdf = test_pdf(Flavor::Classic);
    let pki = Pki::new(&RSA2048);
    // OpenSSL 3's defaults: PBES2 AES-256-CBC with PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC.
    let p12 = pki.pkcs12("signer.p12", PASSPHRASE, &[]);
    assert!(xborder_sign::looks_like_pkcs12(&p12));
    let opened = read_pkcs12(&p12, PASSPHRASE.as_bytes()).unwrap();
    assert!(opened.key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(
        !format!("{opened:?}").contains("PRIVATE KEY"),
        "Debug redacts the key"
    );
    let cert_der = |pem: &str| common::pem_der(pem);
    assert_eq!(cert_der(&opened.cert_pem), cert_der(&pki.cert_pem));
    assert_eq!(
        opened.chain_pem.as_deref().map(cert_der),
        Some(cert_der(&pki.ca_pem))
    );
    let at = now();
    let request = SignRequest {
        key_pem: &opened.key_pem,
        cert_pem: &opened.cert_pem,
        chain_pem: opened.chain_pem.as_deref(),
        ..pki.request(&pdf, at)
    };
    let signed = sign_pdf_with_rsa_padding(&request, RsaPadding::Pss).unwrap();
    assert!(
        verify_pdf(&signed, Some(&pki.ca_pem), Some(at))
            .unwrap()
            .is_valid()
    );

    // Exported without a passphrase, and without encrypting the bags: read with "".
    let open = pki.pkcs12("open.p12", "", &["-keypbe", "NONE", "-certpbe", "NONE"]);
    assert!(read_pkcs12(&open, b"").is_ok());
}

#[test]
fn pkcs12_refusals_say_why_and_how_to_re_export() {
    if !openssl_available() {
        return;
    }
    let pki = Pki::new(&P384);
    let p12 = pki.pkcs12("signer.p12", PASSPHRASE, &[]);
    assert_eq!(
        read_pkcs12(&p12, b"not the passphrase").unwrap_err(),
        SignError::Pkcs12PassphraseWrong
    );
    // A changed byte inside fails the same integrity check.
    let mut damaged = p12.clone();
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x01;
    assert!(read_pkcs12(&damaged, PASSPHRASE.as_bytes()).is_err());

    // OpenSSL 1.x's scheme: 3DES with SHA-1, SHA-1 MAC.
    let legacy = pki.pkcs12(
        "legacy.p12",
        PASSPHRASE,
        &[
            "-keypbe",
            "PBE-SHA1-3DES",
            "-certpbe",
            "PBE-SHA1-3DES",
            "-macalg",
            "sha1",
        ],
    );
    let err = read_pkcs12(&legacy, PASSPHRASE.as_bytes()).unwrap_err();
    assert!(matches!(err, SignError::UnsupportedPkcs12 { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("SHA-1"), "{text}");
    assert!(
        text.contains("-keypbe AES-256-CBC -certpbe AES-256-CBC -macalg sha256"),
        "{text}"
    );
    // A modern MAC over legacy-encrypted bags.
    let mixed = pki.pkcs12("mixed.p12", PASSPHRASE, &["-certpbe", "PBE-SHA1-3DES"]);
    let err = read_pkcs12(&mixed, PASSPHRASE.as_bytes()).unwrap_err();
    assert!(
        err.to_string().contains("legacy PKCS#12 encryption"),
        "{err}"
    );

    // No certificate for the key.
    let keyless = pki.pkcs12("nocerts.p12", PASSPHRASE, &["-nocerts"]);
    let err = read_pkcs12(&keyless, PASSPHRASE.as_bytes()).unwrap_err();
    assert!(
        matches!(&err, SignError::InvalidPkcs12 { reason } if reason.contains("issued for its key")),
        "{err}"
    );
    // Errors never carry the passphrase.
    for e in [err, SignError::Pkcs12PassphraseWrong] {
        assert!(!e.to_string().contains(PASSPHRASE));
    }
}

#[test]
fn a_key_of_another_kind_than_the_certificate_is_a_mismatch() {
    if !openssl_available() {
        return;
    }
    let pdf = test_pdf(Flavor::Classic);
    let rsa = Pki::new(&RSA2048);
    let p384 = Pki::new(&P384);
    let at = now();
    for (key, cert) in [
        (&rsa.key_pem, &p384.cert_pem),
        (&p384.key_pem, &rsa.cert_pem),
    ] {
        let request = SignRequest {
            key_pem: key,
            cert_pem: cert,
            ..rsa.request(&pdf, at)
        };
        let err = sign_pdf_with_rsa_padding(&request, RsaPadding::Pkcs1v15).unwrap_err();
        assert!(
            matches!(err, SignError::KeyCertificateMismatch { .. }),
            "{err}"
        );
    }
    // Another RSA key than the certificate's.
    let other = Pki::new(&RSA2048);
    let request = SignRequest {
        key_pem: &other.key_pem,
        ..rsa.request(&pdf, at)
    };
    let err = sign_pdf_with_rsa_padding(&request, RsaPadding::Pss).unwrap_err();
    assert!(
        matches!(err, SignError::KeyCertificateMismatch { .. }),
        "{err}"
    );
}
