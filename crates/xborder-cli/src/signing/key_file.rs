//! The key material that `--key`, `--cert` and `--chain` name, read and opened: a PEM key
//! (decrypted with its passphrase when encrypted) with the certificate and chain files, or a
//! PKCS#12 file (`.p12`, `.pfx`) that carries its certificate and chain itself, unless
//! `--cert` or `--chain` name others. A problem is reported at the file, and the line of a
//! text file, it is in; messages of the signing library never contain key material.

use std::ffi::OsStr;
use std::io::IsTerminal as _;
use std::path::Path;

use xborder_sign::{KeyAlgorithm, SignError, SignInput, Zeroizing};

use super::{PASSPHRASE_ENV, RsaPaddingArg};
use crate::input::{self, Failure};

/// The key (unencrypted PEM, wiped from memory when dropped), the certificate and the chain,
/// and where each came from.
pub(super) struct KeyFiles<'a> {
    pub key_pem: Zeroizing<String>,
    pub cert_pem: String,
    pub chain_pem: Option<String>,
    origin: Origin<'a>,
}

/// The files the material came from, to point at the one a problem is in.
struct Origin<'a> {
    key: &'a Path,
    /// The line of the key block in a PEM key file; `None` for a PKCS#12 file.
    key_line: Option<usize>,
    /// `None` when the certificate comes from the PKCS#12 file.
    cert: Option<&'a Path>,
    /// `None` when the chain comes from the PKCS#12 file (or there is none).
    chain: Option<&'a Path>,
}

/// Reads `--key` (PEM or PKCS#12, told apart by content or by a `.p12`/`.pfx` name) with
/// `--cert` and `--chain`, asking for a passphrase where one is needed.
pub(super) fn read<'a>(
    key: &'a Path,
    cert: Option<&'a Path>,
    chain: Option<&'a Path>,
) -> Result<KeyFiles<'a>, Failure> {
    let bytes = Zeroizing::new(input::read_bytes(key)?);
    let named_pkcs12 = key
        .extension()
        .and_then(OsStr::to_str)
        .is_some_and(|e| e.eq_ignore_ascii_case("p12") || e.eq_ignore_ascii_case("pfx"));
    if named_pkcs12 || xborder_sign::looks_like_pkcs12(&bytes) {
        read_pkcs12(&bytes, key, cert, chain)
    } else {
        read_pem(bytes.to_vec(), key, cert, chain)
    }
}

/// A PEM key file, decrypted when encrypted, with the certificate (required) and chain files.
fn read_pem<'a>(
    bytes: Vec<u8>,
    key: &'a Path,
    cert: Option<&'a Path>,
    chain: Option<&'a Path>,
) -> Result<KeyFiles<'a>, Failure> {
    let key_text = Zeroizing::new(input::utf8_text(key, bytes)?);
    let Some(cert) = cert else {
        return Err(Failure::new(format!(
            "error: {}: a PEM key needs its certificate\n  hint: pass --cert CERT.pem, the certificate issued for this key (a PKCS#12 file carries its own)",
            key.display()
        )));
    };
    let cert_pem = input::read_text(cert)?;
    let chain_pem = chain.map(input::read_text).transpose()?;
    let key_line = key_text
        .lines()
        .position(|l| l.starts_with("-----BEGIN") && l.contains("PRIVATE KEY"))
        .map_or(1, |i| i + 1);
    let origin = Origin {
        key,
        key_line: Some(key_line),
        cert: Some(cert),
        chain,
    };
    let needed = xborder_sign::key_is_encrypted(&key_text);
    let key_pem = match passphrase(key, needed)? {
        Some((passphrase, from_env)) => {
            xborder_sign::decrypt_key(&key_text, &passphrase).map_err(|e| {
                let wrong = matches!(e, SignError::KeyDecryptionFailed { .. });
                origin.failure_with_env_hint(&e, from_env && wrong)
            })?
        }
        // An unencrypted key, or an encrypted one without a passphrase, which the checks
        // refuse with the line of the key and a hint.
        None => key_text,
    };
    Ok(KeyFiles {
        key_pem,
        cert_pem,
        chain_pem,
        origin,
    })
}

/// A PKCS#12 file, opened with its passphrase (the empty one when none can be had: a file
/// exported without one); `--cert` and `--chain` replace what it carries.
fn read_pkcs12<'a>(
    bytes: &[u8],
    key: &'a Path,
    cert: Option<&'a Path>,
    chain: Option<&'a Path>,
) -> Result<KeyFiles<'a>, Failure> {
    let origin = Origin {
        key,
        key_line: None,
        cert,
        chain,
    };
    let opened = match passphrase(key, true)? {
        Some((passphrase, from_env)) => xborder_sign::read_pkcs12(bytes, &passphrase)
            .map_err(|e| {
                let wrong = matches!(e, SignError::Pkcs12PassphraseWrong);
                origin.failure_with_env_hint(&e, from_env && wrong)
            })?,
        None => xborder_sign::read_pkcs12(bytes, b"").map_err(|e| match e {
            SignError::Pkcs12PassphraseWrong => Failure::new(format!(
                "error: {}: the PKCS#12 file is protected by a passphrase, and none was given\n  hint: set {PASSPHRASE_ENV} to its passphrase, or run in a terminal to be asked for it",
                key.display()
            )),
            other => origin.failure(&other),
        })?,
    };
    let cert_pem = match cert {
        Some(path) => input::read_text(path)?,
        None => opened.cert_pem,
    };
    let chain_pem = match chain {
        Some(path) => Some(input::read_text(path)?),
        None => opened.chain_pem,
    };
    Ok(KeyFiles {
        key_pem: opened.key_pem,
        cert_pem,
        chain_pem,
        origin,
    })
}

impl KeyFiles<'_> {
    /// The located message of a problem with this material.
    pub(super) fn failure(&self, e: &SignError) -> Failure {
        self.origin.failure(e)
    }

    /// Refuses `--rsa-padding` for a key that is not RSA: the flag would do nothing, and a
    /// run that asks for PSS should not pass for one that made it.
    pub(super) fn check_rsa_padding(&self, padding: Option<RsaPaddingArg>) -> Result<(), Failure> {
        let Some(padding) = padding else {
            return Ok(());
        };
        match xborder_sign::key_algorithm(&self.key_pem) {
            // An unusable key is reported by the checks that follow, at its line.
            Ok(KeyAlgorithm::Rsa { .. }) | Err(_) => Ok(()),
            Ok(algorithm) => Err(Failure::new(format!(
                "error: {}: the key is {algorithm}, and --rsa-padding applies to RSA keys only\n  hint: leave out --rsa-padding {}",
                self.origin.key.display(),
                padding.name()
            ))),
        }
    }
}

impl Origin<'_> {
    /// Where a problem of `input` at `line` is: `FILE:LINE` in a text file, the PKCS#12
    /// file for what came from it.
    fn place(&self, input: SignInput, line: usize) -> String {
        let key = self.key.display();
        match (input, self.cert, self.chain) {
            (SignInput::Certificate, Some(cert), _) => format!("{}:{line}", cert.display()),
            (SignInput::Chain, _, Some(chain)) => format!("{}:{line}", chain.display()),
            (SignInput::Key, ..) if self.key_line.is_some() => format!("{key}:{line}"),
            _ => key.to_string(),
        }
    }

    /// `error: FILE[:LINE]: message` for a key or certificate problem, naming the file the
    /// problem is in.
    fn failure(&self, e: &SignError) -> Failure {
        let key = self.key.display();
        let mut text = match e.location() {
            // Two files disagree: name the key (at its block), which is the one to replace
            // more often, and point at the certificate.
            Some((_, line)) if matches!(e, SignError::KeyCertificateMismatch { .. }) => {
                let at_key = self
                    .key_line
                    .map_or_else(|| key.to_string(), |l| format!("{key}:{l}"));
                format!(
                    "error: {at_key}: {e} ({})",
                    self.place(SignInput::Certificate, line)
                )
            }
            Some((input, line)) => format!("error: {}: {e}", self.place(input, line)),
            // What a PKCS#12 file is refused for has no line: the file is named.
            None if self.key_line.is_none() => format!("error: {key}: {e}"),
            None => format!("error: {e}"),
        };
        if let SignError::KeyPassphraseRequired { .. } = e {
            text.push_str(&format!(
                "\n  hint: set {PASSPHRASE_ENV} to the key's passphrase, or run in a terminal to be asked for it"
            ));
        }
        Failure::new(text)
    }

    /// [`Self::failure`], saying where the wrong passphrase came from when it was the
    /// environment's.
    fn failure_with_env_hint(&self, e: &SignError, from_env: bool) -> Failure {
        let mut failure = self.failure(e);
        if from_env {
            failure.message.push_str(&format!(
                "\n  hint: the passphrase tried is the value of {PASSPHRASE_ENV}"
            ));
        }
        failure
    }
}

/// A passphrase, and whether it came from [`PASSPHRASE_ENV`].
type Passphrase = (Zeroizing<Vec<u8>>, bool);

/// The passphrase of a key that `needed` one: from [`PASSPHRASE_ENV`], else asked for on the
/// terminal without echo; `None` when not needed, and when there is neither (a pipeline
/// never waits for input). The flag says whether it came from the environment.
fn passphrase(key: &Path, needed: bool) -> Result<Option<Passphrase>, Failure> {
    if !needed {
        return Ok(None);
    }
    if let Some(value) = std::env::var_os(PASSPHRASE_ENV) {
        let text = value.into_string().map_err(|_| {
            Failure::new(format!(
                "error: {PASSPHRASE_ENV} is not UTF-8 text\n  hint: set it to the passphrase of {}",
                key.display()
            ))
        })?;
        return Ok(Some((Zeroizing::new(text.into_bytes()), true)));
    }
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let prompt = format!("passphrase for {}: ", key.display());
    let text = rpassword::prompt_password(prompt).map_err(|e| {
        Failure::new(format!(
            "error: cannot read the passphrase of {} from the terminal: {e}\n  hint: set {PASSPHRASE_ENV} instead",
            key.display()
        ))
    })?;
    Ok(Some((Zeroizing::new(text.into_bytes()), false)))
}
