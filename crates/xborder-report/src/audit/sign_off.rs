//! The sign-off: the signer's statement and certificate, or the unsigned-draft notice.

use xborder_pdf::{Block, Section, Tone};

use super::AuditInput;
use crate::provenance;

/// The signer's statement with their certificate rows, or a warning that the report is an
/// unsigned draft.
pub(super) fn sign_off(input: &AuditInput<'_>) -> Section {
    let blocks = match &input.signer {
        Some(s) => vec![
            Block::Paragraph(format!(
                "I have reviewed the transfers of {} as recorded in {} (SHA-256 {}) against rulebook {} as of {}, and I sign this report with the certificate below. The digital signature covers the whole document.",
                input.organisation, input.map_file, input.map_sha256, input.rulebook.manifest.version, input.evaluation.as_of
            )),
            Block::KeyValue(provenance::signer_rows(s, input.generated_at)),
        ],
        None => vec![Block::Callout {
            tone: Tone::Caution,
            text: "UNSIGNED DRAFT: this report was produced without a signing key. It carries no digital signature and no sign-off; do not rely on it as audit evidence.".to_string(),
        }],
    };
    Section::new("Sign-off", blocks).on_new_page()
}
