//! `xborder verify` on arbitrary bytes: every signature checked, with the seed CA as trust
//! anchor (inputs of even length) or without one (odd length), and the result read the way
//! the command prints it.
#![no_main]

use libfuzzer_sys::fuzz_target;

const TRUST: &str = include_str!("../data/seed-ca.pem");

fuzz_target!(|data: &[u8]| {
    let trust = data.len().is_multiple_of(2).then_some(TRUST);
    if let Ok(verification) = xborder_sign::verify_pdf(data, trust, None) {
        std::hint::black_box(verification.is_valid());
        for signature in &verification.signatures {
            std::hint::black_box((
                signature.is_intact(),
                signature.covers_whole_file(),
                signature.modified_after_signing(),
                signature.chain.to_string(),
            ));
        }
    }
});
