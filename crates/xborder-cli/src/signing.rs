//! Signing and writing a rendered PDF (the audit report, the vendor memo): key material is
//! read before any work is done, the generation time comes from the flag, the environment or
//! the clock, the document's identity is a digest of what it is computed from, and the file
//! appears only at the end, signed and complete.
//!
//! A command flattens [`SignArgs`] into its flags, calls [`prepare`] before any work and
//! [`Signing::write`] with a function rendering its document: that is the whole signing path,
//! the same for every signed document. What differs between documents is a [`Document`].

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike as _, Utc};
use sha2::{Digest, Sha256};
use xborder_report::audit::Signer;
use xborder_sign::{PadesLevel, Zeroizing};

use crate::http::Http;
use crate::input::Failure;
use crate::write;

mod key_file;

/// The signing flags of every command that writes a signed PDF, flattened into its flags
/// (`#[command(flatten)]`). Each requires `--out`: the audit always has one, the vendor review
/// writes a memo only when given one. `--signer-role` has no default here: the document
/// supplies it ([`Document::default_role`]).
#[derive(Debug, clap::Args)]
pub struct SignArgs {
    /// Signer's private key: PEM (PKCS#8, encrypted PKCS#8, PKCS#1 RSA or SEC1 EC) of an
    /// ECDSA P-256 or P-384 key or an RSA key of 2048 to 4096 bits, or a PKCS#12 file
    /// (.p12/.pfx) that holds the certificate and chain too. An encrypted key's or a PKCS#12
    /// file's passphrase is read from XBORDER_KEY_PASSPHRASE, else asked for on a terminal.
    #[arg(long, value_name = "KEY.pem|KEY.p12", requires = "out")]
    pub key: Option<PathBuf>,
    /// Padding of an RSA key's signature [default: pkcs1v15]; refused for ECDSA keys.
    #[arg(long, value_name = "PADDING", value_enum, requires = "key")]
    pub rsa_padding: Option<RsaPaddingArg>,
    /// Signer's certificate (PEM); required with a PEM key, taken from a PKCS#12 key
    /// file when not given.
    #[arg(long, value_name = "CERT.pem", requires_all = ["key", "out"])]
    pub cert: Option<PathBuf>,
    /// Further certificates of the chain (PEM), embedded in the signature; taken from a
    /// PKCS#12 key file when not given.
    #[arg(long, value_name = "CHAIN.pem", requires = "out")]
    pub chain: Option<PathBuf>,
    /// Name in the sign-off block (default: the certificate's common name).
    #[arg(long, value_name = "NAME", requires = "out")]
    pub signer_name: Option<String>,
    /// Role in the sign-off block (default: "Auditor" for an audit report, "Privacy counsel"
    /// for a vendor memo).
    #[arg(long, value_name = "ROLE")]
    pub signer_role: Option<String>,
    /// Write a draft without a signature ("UNSIGNED DRAFT" on every page).
    #[arg(long, requires = "out", conflicts_with_all = ["key", "cert", "chain"])]
    pub unsigned: bool,
    /// Generation time written into the document and its signature (RFC 3339, e.g.
    /// 2026-01-01T00:00:00Z); defaults to SOURCE_DATE_EPOCH, then the clock.
    #[arg(long, value_name = "TIME", requires = "out")]
    pub generated_at: Option<String>,
    /// Overwrite an existing output file.
    #[arg(long, requires = "out")]
    pub force: bool,
    /// Time-stamp authority (RFC 3161 over plain HTTP) whose time-stamp makes the signature
    /// verifiable after its certificate expires (PAdES B-T and above).
    #[arg(long, value_name = "URL", requires_all = ["key", "out"])]
    pub tsa: Option<String>,
    /// PAdES baseline level: B-T (signature time-stamp), B-LT (and the certificates'
    /// OCSP/CRL status embedded), B-LTA (and a document time-stamp over it all, the archive
    /// level) [default: B-LTA with --tsa, B-B without]
    #[arg(long, value_name = "LEVEL", requires = "tsa")]
    pub pades_level: Option<PadesLevel>,
}

/// `--rsa-padding`: the padding of an RSA signature (RFC 8017 §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RsaPaddingArg {
    /// RSASSA-PKCS1-v1_5: deterministic, the same inputs give the same file
    #[value(name = "pkcs1v15")]
    Pkcs1v15,
    /// RSASSA-PSS: a random salt per signature (RFC 8017 §9.1), so every run's file differs
    #[value(name = "pss")]
    Pss,
}

impl RsaPaddingArg {
    /// The flag value, for messages.
    fn name(self) -> &'static str {
        match self {
            RsaPaddingArg::Pkcs1v15 => "pkcs1v15",
            RsaPaddingArg::Pss => "pss",
        }
    }
}

impl From<RsaPaddingArg> for xborder_sign::RsaPadding {
    fn from(padding: RsaPaddingArg) -> Self {
        match padding {
            RsaPaddingArg::Pkcs1v15 => xborder_sign::RsaPadding::Pkcs1v15,
            RsaPaddingArg::Pss => xborder_sign::RsaPadding::Pss,
        }
    }
}

/// What differs between the signed documents.
#[derive(Debug, Clone, Copy)]
pub struct Document {
    /// What is written, for messages: "audit report", "vendor memo".
    pub what: &'static str,
    /// The sign-off block's role without `--signer-role` (named in that flag's help).
    pub default_role: &'static str,
    /// The first part of the document's id: `XB-…`, `XBV-…`.
    pub id_prefix: &'static str,
    /// The signature's /Reason.
    pub reason: &'static str,
}

/// The audit report of `xborder audit`.
pub const AUDIT_REPORT: Document = Document {
    what: "audit report",
    default_role: "Auditor",
    id_prefix: "XB",
    reason: "Cross-border transfer audit report",
};

/// The decision memo of `xborder vendor review --out`.
pub const VENDOR_MEMO: Document = Document {
    what: "vendor memo",
    default_role: "Privacy counsel",
    id_prefix: "XBV",
    reason: "Vendor review memo",
};

/// The environment variable the passphrase of an encrypted key is read from.
pub const PASSPHRASE_ENV: &str = "XBORDER_KEY_PASSPHRASE";

/// The key material of a signed run, read and checked before any work is done.
#[derive(Debug)]
struct SigningMaterial {
    /// The key as an unencrypted PKCS#8 PEM, wiped from memory when dropped.
    key_pem: Zeroizing<String>,
    cert_pem: String,
    chain_pem: Option<String>,
    /// Used by an RSA key only.
    rsa_padding: xborder_sign::RsaPadding,
    /// The sign-off block's signer, from the certificate.
    signer: Signer,
}

/// Reads the key, certificate and chain, or accepts `--unsigned`; refuses to go on without
/// either, so that an unsigned document is always a deliberate draft. An encrypted key or a
/// PKCS#12 file is opened here ([`key_file`]), and the key, the certificate and its validity
/// at `signing_time` are checked as signing will check them, so that a refusal comes before
/// any work.
fn material(
    args: &SignArgs,
    document: &Document,
    signing_time: NaiveDateTime,
) -> Result<Option<SigningMaterial>, Failure> {
    let key = match args.key.as_deref() {
        Some(key) => key,
        None if args.unsigned => return Ok(None),
        None => {
            return Err(Failure::new(format!(
                "error: refusing to write an unsigned {}\n  hint: pass --key KEY.pem --cert CERT.pem (or --key KEY.p12) to sign it (xborder keygen makes a demo pair), or --unsigned for a draft marked UNSIGNED DRAFT",
                document.what
            )));
        }
    };
    let files = key_file::read(key, args.cert.as_deref(), args.chain.as_deref())?;
    files.check_rsa_padding(args.rsa_padding)?;
    xborder_sign::check_signing_material(
        &files.key_pem,
        &files.cert_pem,
        files.chain_pem.as_deref(),
        signing_time.and_utc(),
    )
    .map_err(|e| files.failure(&e))?;
    warn_if_exposed(key);
    let summary =
        xborder_sign::certificate_summary(&files.cert_pem).map_err(|e| files.failure(&e))?;
    let rsa_padding = args.rsa_padding.map(Into::into).unwrap_or_default();
    let signer = Signer {
        name: args.signer_name.as_deref().map_or_else(
            || {
                summary
                    .common_name
                    .clone()
                    .unwrap_or_else(|| summary.subject.clone())
            },
            str::to_string,
        ),
        role: args
            .signer_role
            .as_deref()
            .unwrap_or(document.default_role)
            .to_string(),
        certificate_subject: summary.subject,
        certificate_sha256: summary.sha256,
        signature: xborder_sign::key_algorithm(&files.key_pem)
            .map_err(|e| files.failure(&e))?
            .signature_name(rsa_padding),
    };
    Ok(Some(SigningMaterial {
        key_pem: files.key_pem,
        cert_pem: files.cert_pem,
        chain_pem: files.chain_pem,
        rsa_padding,
        signer,
    }))
}

/// The passphrase a new key is encrypted with: from [`PASSPHRASE_ENV`], else asked for twice
/// on the terminal; refused when empty or when there is neither.
pub fn new_passphrase(key: &Path) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let text = match std::env::var_os(PASSPHRASE_ENV) {
        Some(value) => Zeroizing::new(
            value
                .into_string()
                .map_err(|_| Failure::new(format!("error: {PASSPHRASE_ENV} is not UTF-8 text")))?,
        ),
        None if std::io::stdin().is_terminal() => {
            let ask = |prompt: String| {
                rpassword::prompt_password(prompt).map(Zeroizing::new).map_err(|e| {
                    Failure::new(format!(
                        "error: cannot read a passphrase from the terminal: {e}\n  hint: set {PASSPHRASE_ENV} instead"
                    ))
                })
            };
            let first = ask(format!("passphrase for {}: ", key.display()))?;
            let second = ask("the same passphrase again: ".to_string())?;
            if first != second {
                return Err(Failure::new(
                    "error: the two passphrases differ; nothing was written",
                ));
            }
            first
        }
        None => {
            return Err(Failure::new(format!(
                "error: --encrypt needs a passphrase and there is no terminal to ask for it\n  hint: set {PASSPHRASE_ENV}"
            )));
        }
    };
    if text.is_empty() {
        return Err(Failure::new(format!(
            "error: the passphrase for {} is empty\n  hint: an empty passphrase protects nothing; leave out --encrypt instead",
            key.display()
        )));
    }
    Ok(Zeroizing::new(text.as_bytes().to_vec()))
}

/// Warns when the private key file can be read or changed by anyone but its owner (any
/// group or other permission bit, as OpenSSH judges key files): a signing key is only as
/// trustworthy as the file it lives in. A warning, not a refusal, since shared CI runners
/// and containers often check keys out with a default mode.
#[cfg(unix)]
fn warn_if_exposed(key: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    let Ok(meta) = std::fs::metadata(key) else {
        return;
    };
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 && !crate::style::quiet() {
        eprintln!(
            "{}",
            crate::style::failure_text(&format!(
                "warning: {}: the private key file is accessible to other users (mode {mode:04o})\n  hint: chmod 600 {}",
                key.display(),
                key.display()
            ))
        );
    }
}

#[cfg(not(unix))]
fn warn_if_exposed(_key: &Path) {}

/// `--generated-at`, else `SOURCE_DATE_EPOCH` (reproducible builds), else the clock.
fn generation_time(flag: Option<&str>) -> Result<NaiveDateTime, Failure> {
    if let Some(text) = flag {
        return DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc).naive_utc())
            .map_err(|_| Failure::new(format!("error: --generated-at \"{text}\" is not an RFC 3339 time\n  hint: write e.g. 2026-01-01T00:00:00Z")));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let seconds: i64 = epoch.trim().parse().map_err(|_| {
            Failure::new(format!(
                "error: SOURCE_DATE_EPOCH=\"{epoch}\" is not a number of seconds"
            ))
        })?;
        return DateTime::from_timestamp(seconds, 0)
            .map(|t| t.naive_utc())
            .ok_or_else(|| {
                Failure::new(format!("error: SOURCE_DATE_EPOCH={epoch} is out of range"))
            });
    }
    let now = Utc::now().naive_utc();
    Ok(now.with_nanosecond(0).unwrap_or(now))
}

/// A document's identity: `PREFIX-YYYYMMDD-XXXXXXXXXXXX` from the SHA-256 of `parts` (one per
/// line: input hashes, dates, the signer's certificate), and the PDF `/ID` from the same
/// digest.
fn identity(prefix: &str, as_of: NaiveDate, parts: &[&str]) -> (String, [u8; 16]) {
    let digest = Sha256::digest(parts.join("\n"));
    let hex: String = digest.iter().map(|b| format!("{b:02X}")).collect();
    let id = format!("{prefix}-{}-{}", as_of.format("%Y%m%d"), &hex[..12]);
    let mut document_id = [0u8; 16];
    document_id.copy_from_slice(&digest[..16]);
    (id, document_id)
}

/// A signed (or unsigned draft) document to be written, prepared by [`prepare`] before any
/// work. (No `Debug`: it holds the key.)
pub struct Signing<'a> {
    out: &'a Path,
    force: bool,
    document: Document,
    generated_at: NaiveDateTime,
    /// `None` for an unsigned draft.
    material: Option<SigningMaterial>,
    /// The time-stamp authority and the level, above PAdES B-B.
    time_stamping: Option<(String, PadesLevel)>,
}

/// What a document says about itself, for its renderer: its id and PDF `/ID`, its generation
/// time and its signer (`None` in an unsigned draft).
#[derive(Debug)]
pub struct Stamp {
    pub id: String,
    pub document_id: [u8; 16],
    pub generated_at: NaiveDateTime,
    pub signer: Option<Signer>,
}

impl Stamp {
    /// "signed" or "UNSIGNED DRAFT", for the message naming the file written.
    pub fn state(&self) -> &'static str {
        if self.signer.is_some() {
            "signed"
        } else {
            "UNSIGNED DRAFT"
        }
    }
}

/// Everything that can refuse writing `document` to `out`, checked before any work, in this
/// order: the generation time, the key material (or `--unsigned`), the output file.
pub fn prepare<'a>(
    args: &SignArgs,
    out: &'a Path,
    document: Document,
) -> Result<Signing<'a>, Failure> {
    let generated_at = generation_time(args.generated_at.as_deref())?;
    let material = material(args, &document, generated_at)?;
    write::check_target(out, args.force)?;
    Ok(Signing {
        out,
        force: args.force,
        document,
        generated_at,
        material,
        time_stamping: args
            .tsa
            .clone()
            .map(|url| (url, args.pades_level.unwrap_or(PadesLevel::BLta))),
    })
}

impl Signing<'_> {
    /// The file written.
    pub fn out(&self) -> &Path {
        self.out
    }

    /// The one path from a document to its file: stamps the document (its identity is the
    /// digest of `inputs`, one per line, then the generation time and the signer's
    /// certificate), renders it with `render`, signs it (unless an unsigned draft) as the last
    /// step, and writes it atomically, so that the file appears only complete.
    pub fn write(
        &self,
        as_of: NaiveDate,
        inputs: &[&str],
        render: impl FnOnce(&Stamp) -> Result<Vec<u8>, Failure>,
    ) -> Result<Stamp, Failure> {
        let signer = self.material.as_ref().map(|m| m.signer.clone());
        let generated = self.generated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let certificate = signer
            .as_ref()
            .map_or("", |s| s.certificate_sha256.as_str());
        let mut parts = inputs.to_vec();
        parts.extend([generated.as_str(), certificate]);
        let (id, document_id) = identity(self.document.id_prefix, as_of, &parts);
        let stamp = Stamp {
            id,
            document_id,
            generated_at: self.generated_at,
            signer,
        };
        let pdf = render(&stamp)?;
        let bytes = match &self.material {
            Some(m) => sign(
                pdf,
                m,
                self.generated_at,
                self.document.reason,
                self.time_stamping.as_ref(),
            )?,
            None => pdf,
        };
        write::write_atomic(self.out, &bytes, false, self.force)?;
        Ok(stamp)
    }
}

/// The rendered PDF with its signature appended, at PAdES B-B, or at the level given with the
/// time-stamp authority.
fn sign(
    pdf: Vec<u8>,
    material: &SigningMaterial,
    generated_at: NaiveDateTime,
    reason: &str,
    time_stamping: Option<&(String, PadesLevel)>,
) -> Result<Vec<u8>, Failure> {
    let request = xborder_sign::SignRequest {
        pdf: &pdf,
        key_pem: &material.key_pem,
        cert_pem: &material.cert_pem,
        chain_pem: material.chain_pem.as_deref(),
        signing_time: generated_at.and_utc(),
        signer_name: Some(material.signer.name.as_str()),
        reason: Some(reason),
        location: None,
    };
    match time_stamping {
        Some((url, level)) => xborder_sign::sign_pdf_at_level(
            &request,
            material.rsa_padding,
            *level,
            Some(url),
            &mut Http::new(),
        ),
        None => xborder_sign::sign_pdf_with_rsa_padding(&request, material.rsa_padding),
    }
    .map_err(|e| Failure::new(format!("error: cannot sign the document: {e}")))
}

#[cfg(test)]
mod tests {
    use clap::Args as _;

    use super::*;

    /// `--signer-role` has no default of its own: its help names each document's.
    #[test]
    fn signer_role_help_names_the_default_of_every_document() {
        let out = clap::Arg::new("out").long("out");
        let command = SignArgs::augment_args(clap::Command::new("sign").arg(out));
        let help = command
            .get_arguments()
            .find(|a| a.get_id() == "signer_role")
            .and_then(|a| a.get_help())
            .map(ToString::to_string)
            .unwrap_or_default();
        for document in [AUDIT_REPORT, VENDOR_MEMO] {
            let named = format!("\"{}\" for a", document.default_role);
            assert!(help.contains(&named), "{help:?} names {named:?}");
            assert!(
                help.contains(document.what),
                "{help:?} names {}",
                document.what
            );
        }
    }
}
