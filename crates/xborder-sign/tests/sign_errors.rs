//! What signing refuses, and that refusals explain themselves without
//! leaking key material.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Flavor, other_pki, pki, request, t, test_pdf};
use xborder_sign::{SignError, keygen, sign_pdf};

// Throw-away keys generated with OpenSSL for these tests only.
const P384_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDAumzHbRU6gJWG0SIX1
RS4epaFel1pHXQ28xoMroOa13mzp0iDMV86hp422ph9eulahZANiAAQJGz2N9r7t
nm9V/eOM71VaS2EBptzQiWktwgW0MH0fvN2SenMrAyHr77Q3yQzLaWG/R4EbCjq2
IicwS/q9PRfnfu6RVzqt9hrUY3q+d8YcMGiFosBh/u8O0uN6j0tYndk=
-----END PRIVATE KEY-----
";
const ED25519_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIK+O+jl1dUiP3Sb0ymKDAWjmhP9cU0K0BgK0KqSs1Q8l
-----END PRIVATE KEY-----
";
const P521_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIHuAgEAMBAGByqGSM49AgEGBSuBBAAjBIHWMIHTAgEBBEIAE3w/9DsmIVlnobW3
a/oC/YscixuMsnqCeTfpj16ISTQyhjWIsC5NvZlU+fvdMJRxMcWvja2Sto1xp9Xq
39Xgfb+hgYkDgYYABACyFed4T9QcTf5zqX/SCmkj7kOTLc7czH5wQLrzv+Kd+WWN
OYRJ8ovbrnCaZZauZfyjpecdoD+L4g/ZH79X5atstABRzALrnRfS6VG5eDTGts1A
S5JCDYK9zVB/y3qiRqU7RA0IK9MzA+bA4UbEke6GoKOuAZTuKNkAjrVyIlB2f+iT
Qg==
-----END PRIVATE KEY-----
";
const RSA1024_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAOhw3BCX5/jv68l1
jI8yMMdFjrNbjo2+vZXN8eNTlL23B5o04wYY+tRzcn12maKULazrGgs49CH1OKu0
lFmYQ4K/8GRCG5DfSMAY22z9ixKx7kg6X88Iqu1JrC42h50l5QqA7IeGtwkO1O43
axtW0DU7IlSm25yBr5ew/Q6NXtBXAgMBAAECgYEA4ZXGvgPvilWuzFJdHAxl8r+7
Aq705vQbIuxAuZNAY+7iXfK98gkERnPUxZb4/CQ7P/rbx9B6fwpy+ZHD+EAiI0Vf
oZbK7p7MfEAmSHwJ4ptIKt8aZuxkV3Xm9FtXdPk9dLJ/5NfzblxQhgUp6Qmdyz9I
ijN1Ll6he0cRYBv/BuECQQD63UJKf+Oa++QF33oyk4+3hFRNo9xGAAGZlvOAsxgI
6ByAGNzDxgF2sazzUfCa1PFh23tM9nxoXFNcs+THbtsTAkEA7TML2knilO5DG/ED
o8l0wezdwi2Bvve7hlvuBMBQTb50lIGYBaxfIQFKnPPOlP4xEn7ixPne1PNm8PLT
AcA6LQJBAPkYiMGW+bckFUgrnpfn5BXSxS8O3SN40B3lQMbzjpMRf3NGvLd8vmlQ
ha5aF7J2bXTAzk8elWu++VucmTfagJcCQBgdk3vq/R1VJ/+EPnF9fuBke5tNUx6e
QzOCzy0ufDubPHEIx/Lztmw9nF9erkcZnNWbjuSl3tDZukKO/YL1DzUCQElwINDF
aLl3WA577xa9t96jOB3wzepp/toDq+xD8BBbdmhDKQgmc6Zppw2K6CuO5xdMk4mB
yEZHQon2PXPEZjM=
-----END PRIVATE KEY-----
";
const P256_SEC1: &str = "-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIK+7CkGm0KErnaTweq43hDwTm6Z6i9u690rtccK260XQoAoGCCqGSM49
AwEHoUQDQgAEGkaJjFK8BL03LgLHRTpp0VmASI/QUiIRToGxCm4jbaxmcYu/O3HP
YoggT7OkSgNoB2hVbZFb12t9Ihfeo64X2Q==
-----END EC PRIVATE KEY-----
";

fn sign_with_key(key_pem: &str) -> SignError {
    let pdf = test_pdf(Flavor::Classic);
    let mut req = request(&pdf, pki());
    req.key_pem = key_pem;
    sign_pdf(&req).unwrap_err()
}

/// No base64 line of any key may appear in an error message.
fn assert_no_key_material(err: &SignError, key_pem: &str) {
    let msg = err.to_string();
    let debug = format!("{err:?}");
    for line in key_pem
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() > 8)
    {
        assert!(
            !msg.contains(line) && !debug.contains(line),
            "key material leaked: {msg}"
        );
    }
}

#[test]
fn key_not_matching_the_certificate_is_refused() {
    let key = &other_pki().signer_key_pem;
    let err = sign_with_key(key);
    assert!(
        matches!(err, SignError::KeyCertificateMismatch { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("does not match"));
    assert_no_key_material(&err, key);

    // The CA key does not match the signer certificate either.
    let err = sign_with_key(&pki().ca_key_pem);
    assert!(matches!(err, SignError::KeyCertificateMismatch { .. }));
}

#[test]
fn certificate_must_be_valid_at_signing_time() {
    let pdf = test_pdf(Flavor::Classic);
    let expired = keygen("Old Signer", t(2020, 1, 1), t(2021, 1, 1)).unwrap();
    let err = sign_pdf(&request(&pdf, &expired)).unwrap_err();
    assert!(matches!(err, SignError::CertificateExpired { .. }), "{err}");
    assert!(err.to_string().contains("expired"));

    let future = keygen("New Signer", t(2030, 1, 1), t(2040, 1, 1)).unwrap();
    let err = sign_pdf(&request(&pdf, &future)).unwrap_err();
    assert!(
        matches!(err, SignError::CertificateNotYetValid { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("not valid until"));

    // The bounds themselves are inside the validity period.
    let mut req = request(&pdf, &future);
    req.signing_time = t(2030, 1, 1);
    assert!(sign_pdf(&req).is_ok());
}

#[test]
fn keys_other_than_p256_p384_and_rsa_2048_to_4096_are_refused() {
    // Other curves and algorithms: named, with what can sign instead.
    for (key, named) in [(P521_PKCS8, "P-521"), (ED25519_PKCS8, "Ed25519")] {
        let err = sign_with_key(key);
        assert!(
            matches!(err, SignError::UnsupportedKeyAlgorithm { line: 1, .. }),
            "{err}"
        );
        let text = err.to_string();
        assert!(text.contains(named) && text.contains("P-384"), "{text}");
        assert_no_key_material(&err, key);
    }
    // RSA below 2048 bits: too weak, with the size and how to make a longer key.
    let err = sign_with_key(RSA1024_PKCS8);
    assert_eq!(
        err,
        SignError::RsaKeySize {
            line: 1,
            bits: 1024
        }
    );
    let text = err.to_string();
    assert!(
        text.contains("1024-bit RSA key") && text.contains("at least 2048 bits"),
        "{text}"
    );
    assert!(text.contains("rsa_keygen_bits:3072"), "{text}");
    assert_no_key_material(&err, RSA1024_PKCS8);

    // P-384 in PKCS#8 and P-256 in SEC1 are read: these keys are simply not the
    // certificate's.
    for key in [P384_PKCS8, P256_SEC1] {
        let err = sign_with_key(key);
        assert!(
            matches!(err, SignError::KeyCertificateMismatch { .. }),
            "{err}"
        );
        assert_no_key_material(&err, key);
    }
    // A PEM of a kind that is not read says which kinds are.
    let dsa = "-----BEGIN DSA PRIVATE KEY-----\nMAMCAQA=\n-----END DSA PRIVATE KEY-----\n";
    let err = sign_with_key(dsa);
    assert!(
        matches!(&err, SignError::UnsupportedKeyFormat { label, .. } if label == "DSA PRIVATE KEY"),
        "{err}"
    );
    assert!(err.to_string().contains("RSA PRIVATE KEY"), "{err}");
}

#[test]
fn malformed_pem_is_refused() {
    for bad in [
        "",
        "not a key",
        "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\nMC4CAQAw\n",
    ] {
        let err = sign_with_key(bad);
        assert!(
            matches!(err, SignError::InvalidKeyPem { .. }),
            "{bad:?}: {err}"
        );
    }
    // A certificate where the key should be.
    let err = sign_with_key(&pki().signer_cert_pem);
    assert!(matches!(err, SignError::InvalidKeyPem { .. }), "{err}");

    let pdf = test_pdf(Flavor::Classic);
    let mut req = request(&pdf, pki());
    req.cert_pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let err = sign_pdf(&req).unwrap_err();
    assert!(
        matches!(
            err,
            SignError::InvalidCertificatePem {
                which: "signer certificate",
                ..
            }
        ),
        "{err}"
    );
    let mut req = request(&pdf, pki());
    req.chain_pem = Some("garbage");
    let err = sign_pdf(&req).unwrap_err();
    assert!(matches!(
        err,
        SignError::InvalidCertificatePem {
            which: "certificate chain",
            ..
        }
    ));
}

#[test]
fn non_pdf_input_is_refused() {
    for bad in [
        &b""[..],
        b"hello",
        b"%PDF-1.7\n",
        b"%PDF-1.7\nstartxref\n999999\n%%EOF",
    ] {
        let mut req = request(bad, pki());
        req.pdf = bad;
        let err = sign_pdf(&req).unwrap_err();
        assert!(matches!(err, SignError::InvalidPdf { .. }), "{err}");
    }
}

#[test]
fn keygen_rejects_bad_input_and_redacts_keys() {
    assert!(matches!(
        keygen("", t(2020, 1, 1), t(2030, 1, 1)),
        Err(SignError::InvalidKeygenInput { .. })
    ));
    assert!(matches!(
        keygen("x", t(2030, 1, 1), t(2020, 1, 1)),
        Err(SignError::InvalidKeygenInput { .. })
    ));
    assert!(matches!(
        keygen(&"n".repeat(100), t(2020, 1, 1), t(2030, 1, 1)),
        Err(SignError::InvalidKeygenInput { .. })
    ));
    let p = pki();
    let debug = format!("{p:?}");
    assert!(debug.contains("<redacted>"));
    assert!(!debug.contains(&p.signer_key_pem) && !debug.contains(&p.ca_key_pem));
    let pdf = test_pdf(Flavor::Classic);
    let req_debug = format!("{:?}", request(&pdf, p));
    assert!(!req_debug.contains("PRIVATE KEY"), "{req_debug}");

    // Names with RFC 4514 special characters need no escaping by the caller.
    let odd = keygen("Müller, Audit = Team", t(2020, 1, 1), t(2099, 1, 1)).unwrap();
    let signed = sign_pdf(&request(&pdf, &odd)).unwrap();
    let v = xborder_sign::verify_pdf(&signed, Some(&odd.ca_cert_pem), None).unwrap();
    assert!(v.is_valid());
    assert_eq!(
        v.signatures[0].signer_common_name.as_deref(),
        Some("Müller, Audit = Team")
    );
}

/// The demo key of the end-to-end tests, encrypted by OpenSSL three ways (see
/// `tests/data/keys/make.sh` at the workspace root).
fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/keys")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const PASSPHRASE: &[u8] = b"demo passphrase";

#[test]
fn openssl_encrypted_keys_decrypt_to_the_same_key() {
    let plain = fixture("signer.key.pem");
    let cert = fixture("signer.pem");
    for name in [
        "signer.pbkdf2.key.pem",
        "signer.scrypt.key.pem",
        "signer.aes256.key.pem",
    ] {
        let encrypted = fixture(name);
        assert!(xborder_sign::key_is_encrypted(&encrypted), "{name}");
        let key = xborder_sign::decrypt_key(&encrypted, PASSPHRASE)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"), "{name}");
        xborder_sign::check_signing_material(&key, &cert, None, t(2030, 1, 1))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // Unencrypted input comes back as it is.
        assert_eq!(
            *xborder_sign::decrypt_key(&plain, PASSPHRASE).unwrap(),
            plain
        );

        // Signing without decrypting first says what is missing.
        let err = xborder_sign::check_signing_material(&encrypted, &cert, None, t(2030, 1, 1))
            .unwrap_err();
        assert_eq!(err, SignError::KeyPassphraseRequired { line: 1 });

        let err = xborder_sign::decrypt_key(&encrypted, b"wrong passphrase").unwrap_err();
        assert_eq!(err, SignError::KeyDecryptionFailed { line: 1 }, "{name}");
        assert_no_key_material(&err, &encrypted);
        assert_no_key_material(&err, &plain);
    }
    assert!(!xborder_sign::key_is_encrypted(&plain));
}

#[test]
fn encrypt_key_round_trips_and_is_readable_by_openssl_conventions() {
    let p = pki();
    let encrypted = xborder_sign::encrypt_key(&p.signer_key_pem, PASSPHRASE).unwrap();
    assert!(encrypted.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    assert!(!encrypted.contains(&p.signer_key_pem));
    let back = xborder_sign::decrypt_key(&encrypted, PASSPHRASE).unwrap();
    assert_eq!(*back, p.signer_key_pem);
    assert!(matches!(
        xborder_sign::decrypt_key(&encrypted, b"other"),
        Err(SignError::KeyDecryptionFailed { .. })
    ));
    // Only unencrypted PKCS#8 keys are encrypted.
    assert!(matches!(
        xborder_sign::encrypt_key(P256_SEC1, PASSPHRASE),
        Err(SignError::UnsupportedKeyFormat { .. })
    ));
}

#[test]
fn errors_point_at_the_line_of_the_problem() {
    // Text before the block moves it down; a stray character is reported on its own line.
    let key = format!("Bag Attributes\n    friendlyName: demo\n{ED25519_PKCS8}");
    let err = sign_with_key(&key);
    assert_eq!(
        err.location(),
        Some((xborder_sign::SignInput::Key, 3)),
        "{err}"
    );
    let mut lines: Vec<String> = pki().signer_key_pem.lines().map(str::to_owned).collect();
    lines[2].replace_range(4..5, "!");
    let err = sign_with_key(&(lines.join("\n") + "\n"));
    assert_eq!(err.location(), Some((xborder_sign::SignInput::Key, 3)));

    let pdf = test_pdf(Flavor::Classic);
    let mut req = request(&pdf, pki());
    let chain = format!(
        "{}\n{}",
        pki().ca_cert_pem,
        "-----BEGIN CERTIFICATE-----\nAAAA\n"
    );
    req.chain_pem = Some(&chain);
    let err = sign_pdf(&req).unwrap_err();
    let line = pki().ca_cert_pem.lines().count() + 2;
    assert_eq!(
        err.location(),
        Some((xborder_sign::SignInput::Chain, line)),
        "{err}"
    );
}
