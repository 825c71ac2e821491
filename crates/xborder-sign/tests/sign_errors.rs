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
fn only_p256_pkcs8_keys_are_accepted() {
    let err = sign_with_key(P384_PKCS8);
    assert!(
        matches!(err, SignError::UnsupportedKeyAlgorithm { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("P-384"), "{err}");
    assert_no_key_material(&err, P384_PKCS8);

    let err = sign_with_key(ED25519_PKCS8);
    assert!(
        matches!(err, SignError::UnsupportedKeyAlgorithm { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("Ed25519"), "{err}");

    let err = sign_with_key(P256_SEC1);
    assert_eq!(
        err,
        SignError::UnsupportedKeyFormat {
            label: "EC PRIVATE KEY".into()
        }
    );
    assert!(err.to_string().contains("openssl pkcs8 -topk8"));
    assert_no_key_material(&err, P256_SEC1);
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
