//! `xborder keygen --name NAME --out DIR`: a demo CA and signer for trying `audit`.

use crate::cli::KeygenArgs;
use crate::exit;
use crate::input::Failure;
use crate::signing;
use crate::write;

pub fn run(args: &KeygenArgs) -> Result<u8, Failure> {
    let files = [
        ("ca.pem", false),
        ("signer.pem", false),
        ("signer.key.pem", true),
    ];
    for (name, _) in files {
        write::check_target(&args.out.join(name), args.force)?;
    }
    if args.days < 1 {
        return Err(Failure::new("error: --days must be at least 1"));
    }
    let passphrase = if args.encrypt {
        Some(signing::new_passphrase(&args.out.join("signer.key.pem"))?)
    } else {
        None
    };
    let now = chrono::Utc::now();
    let not_before = now - chrono::Duration::hours(1);
    let not_after = now + chrono::Duration::days(args.days);
    let pki = xborder_sign::keygen(&args.name, not_before, not_after)
        .map_err(|e| Failure::new(format!("error: {e}")))?;
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::new(format!("error: cannot create {}: {e}", args.out.display())))?;
    let key_pem = match &passphrase {
        Some(passphrase) => xborder_sign::encrypt_key(&pki.signer_key_pem, passphrase)
            .map_err(|e| Failure::new(format!("error: cannot encrypt the key: {e}")))?,
        None => xborder_sign::Zeroizing::new(pki.signer_key_pem.clone()),
    };
    let contents = [&pki.ca_cert_pem, &pki.signer_cert_pem, &*key_pem];
    for ((name, private), text) in files.iter().zip(contents) {
        write::write_atomic(&args.out.join(name), text.as_bytes(), *private, args.force)?;
    }
    outln!(
        "wrote {dir}/ca.pem (demo CA certificate: the trust anchor for `xborder verify --trust`), {dir}/signer.pem and {dir}/signer.key.pem ({}owner-readable only), valid until {}",
        if passphrase.is_some() {
            "encrypted, "
        } else {
            ""
        },
        not_after.format("%Y-%m-%d"),
        dir = args.out.display()
    );
    outln!(
        "this is a demo PKI for trying xborder; sign real reports with your organisation's certificate"
    );
    Ok(exit::OK)
}
