//! Object identifiers used here, with the document that defines each.

use der::asn1::ObjectIdentifier as Oid;

/// id-data (RFC 5652 §4).
pub(crate) const ID_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.1");
/// id-signedData (RFC 5652 §5.1).
pub(crate) const ID_SIGNED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.2");
/// id-contentType attribute (RFC 5652 §11.1).
pub(crate) const ID_CONTENT_TYPE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.3");
/// id-messageDigest attribute (RFC 5652 §11.2).
pub(crate) const ID_MESSAGE_DIGEST: Oid = Oid::new_unwrap("1.2.840.113549.1.9.4");
/// id-signingTime attribute (RFC 5652 §11.3) — must be absent in PAdES.
pub(crate) const ID_SIGNING_TIME: Oid = Oid::new_unwrap("1.2.840.113549.1.9.5");
/// id-aa-signingCertificateV2 (RFC 5035 §3).
pub(crate) const ID_AA_SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// id-sha256 / id-sha384 / id-sha512 (RFC 5754 §2).
pub(crate) const ID_SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
pub(crate) const ID_SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
pub(crate) const ID_SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
/// ecdsa-with-SHA256/384/512 (RFC 5758 §3.2).
pub(crate) const ECDSA_WITH_SHA256: Oid = Oid::new_unwrap("1.2.840.10045.4.3.2");
pub(crate) const ECDSA_WITH_SHA384: Oid = Oid::new_unwrap("1.2.840.10045.4.3.3");
pub(crate) const ECDSA_WITH_SHA512: Oid = Oid::new_unwrap("1.2.840.10045.4.3.4");
/// id-ecPublicKey (RFC 5480 §2.1.1).
pub(crate) const ID_EC_PUBLIC_KEY: Oid = Oid::new_unwrap("1.2.840.10045.2.1");
/// Named curves (RFC 5480 §2.1.1.1).
pub(crate) const SECP256R1: Oid = Oid::new_unwrap("1.2.840.10045.3.1.7");
pub(crate) const SECP384R1: Oid = Oid::new_unwrap("1.3.132.0.34");
pub(crate) const SECP521R1: Oid = Oid::new_unwrap("1.3.132.0.35");
/// rsaEncryption (RFC 8017 Appendix C).
pub(crate) const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
/// sha256/384/512WithRSAEncryption (RFC 4055 §5, RFC 8017 Appendix C).
pub(crate) const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
pub(crate) const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
pub(crate) const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
/// id-RSASSA-PSS and id-mgf1 (RFC 4055 §3.1, §2.2).
pub(crate) const ID_RSASSA_PSS: Oid = Oid::new_unwrap("1.2.840.113549.1.1.10");
pub(crate) const ID_MGF1: Oid = Oid::new_unwrap("1.2.840.113549.1.1.8");
/// id-sha1 (RFC 3279 §2.2.1): only to name a legacy PKCS#12 MAC.
pub(crate) const ID_SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
/// id-encryptedData (RFC 5652 §8), the encrypted SafeContents of a PKCS#12 file.
pub(crate) const ID_ENCRYPTED_DATA: Oid = Oid::new_unwrap("1.2.840.113549.1.7.6");
/// pkcs-12PbeIds (RFC 7292 Appendix C): the legacy PKCS#12 encryption arc (3DES, RC2, RC4).
pub(crate) const PKCS12_PBE_IDS: Oid = Oid::new_unwrap("1.2.840.113549.1.12.1");
/// id-PBMAC1 (RFC 8018 §7.1), the newer PKCS#12 MAC of RFC 9579.
pub(crate) const ID_PBMAC1: Oid = Oid::new_unwrap("1.2.840.113549.1.5.14");
/// x509Certificate, the certType of a PKCS#12 certBag (RFC 7292 §4.2.3).
pub(crate) const X509_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.22.1");
/// id-Ed25519 / id-Ed448 (RFC 8410 §3).
pub(crate) const ID_ED25519: Oid = Oid::new_unwrap("1.3.101.112");
pub(crate) const ID_ED448: Oid = Oid::new_unwrap("1.3.101.113");
/// Certificate extensions (RFC 5280 §4.2.1).
pub(crate) const ID_CE_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.15");
pub(crate) const ID_CE_BASIC_CONSTRAINTS: Oid = Oid::new_unwrap("2.5.29.19");
/// id-at-commonName (RFC 5280 Appendix A.1).
pub(crate) const ID_AT_COMMON_NAME: Oid = Oid::new_unwrap("2.5.4.3");
/// id-at-organizationName.
pub(crate) const ID_AT_ORGANIZATION: Oid = Oid::new_unwrap("2.5.4.10");

/// `id-ct-TSTInfo`: the content of a time-stamp token (RFC 3161 §2.4.2).
pub(crate) const ID_CT_TST_INFO: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.1.4");
/// `id-aa-signingCertificate` (RFC 2634 §5.4, SHA-1 ESSCertID), as many TSAs still write.
pub(crate) const ID_AA_SIGNING_CERTIFICATE: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.12");
/// `id-aa-signatureTimeStampToken` (RFC 3161 Appendix A): the unsigned attribute of a
/// SignerInfo holding a time-stamp over its signature value.
pub(crate) const ID_AA_SIGNATURE_TIME_STAMP_TOKEN: Oid =
    Oid::new_unwrap("1.2.840.113549.1.9.16.2.14");
/// `id-ce-extKeyUsage` (RFC 5280 §4.2.1.12).
pub(crate) const ID_CE_EXT_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");
/// `id-kp-timeStamping`: the only extended key usage a TSA certificate may have, critical
/// (RFC 3161 §2.3).
pub(crate) const ID_KP_TIME_STAMPING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.8");
/// `id-kp-OCSPSigning`: a responder delegated by the CA (RFC 6960 §4.2.2.2).
pub(crate) const ID_KP_OCSP_SIGNING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.9");
/// `id-pkix-ocsp-basic` (RFC 6960 §4.2.1).
pub(crate) const ID_PKIX_OCSP_BASIC: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.1");
/// `id-pe-authorityInfoAccess` (RFC 5280 §4.2.2.1) and its OCSP access method.
pub(crate) const ID_PE_AUTHORITY_INFO_ACCESS: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.1.1");
pub(crate) const ID_AD_OCSP: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1");
/// `id-ce-cRLDistributionPoints` (RFC 5280 §4.2.1.13).
pub(crate) const ID_CE_CRL_DISTRIBUTION_POINTS: Oid = Oid::new_unwrap("2.5.29.31");
