//! What a signed document records about how it was made: when, with which tool and
//! rulebook, from which input files (each with its SHA-256), and who signed it. The audit
//! report and the vendor memo record it alike, on the cover, in the sign-off and in the PDF's
//! Info dictionary, so that a reader can recompute and check either with the same steps.

use chrono::{NaiveDate, NaiveDateTime};
use xborder_law::Rulebook;

use crate::audit::Signer;

/// An input file a document was computed from, as its cover names it.
pub(crate) struct InputFile<'a> {
    /// What the file is ("Data map", "Vendor intake").
    pub label: &'static str,
    /// The label of its hash ("Map SHA-256").
    pub hash_label: &'static str,
    pub path: &'a str,
    pub sha256: &'a str,
}

impl<'a> InputFile<'a> {
    /// The data map a document judges.
    pub(crate) fn map(path: &'a str, sha256: &'a str) -> Self {
        InputFile {
            label: "Data map",
            hash_label: "Map SHA-256",
            path,
            sha256,
        }
    }
}

/// The language the documents are written in (their own words and the rulebook's texts):
/// the PDF's `/Lang`, which tells a screen reader how to read them.
pub(crate) const LANGUAGE: &str = "en";

/// The time a document was generated, as it prints it (UTC, RFC 3339).
pub(crate) fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The PDF's author: the signer, or the tool for an unsigned draft.
pub(crate) fn author(signer: Option<&Signer>) -> String {
    signer.map_or_else(|| "xborder".to_string(), |s| s.name.clone())
}

/// When and with what a document was made.
pub(crate) struct Made<'a> {
    /// The date the transfers are judged on.
    pub as_of: NaiveDate,
    pub generated_at: NaiveDateTime,
    pub tool_version: &'a str,
    pub rulebook: &'a Rulebook,
}

/// The Info dictionary entries of a document about `map` (the document's own entries,
/// `more`, follow the map's), ending with the rulebook and tool versions.
pub(crate) fn info(
    made: &Made<'_>,
    id: &str,
    map: &InputFile<'_>,
    more: Vec<(String, String)>,
) -> Vec<(String, String)> {
    [
        ("XborderReportId".into(), id.into()),
        ("XborderAsOf".into(), made.as_of.to_string()),
        ("XborderGeneratedAt".into(), stamp(made.generated_at)),
        ("XborderMapFile".into(), map.path.into()),
        ("XborderMapSha256".into(), map.sha256.into()),
    ]
    .into_iter()
    .chain(more)
    .chain([
        (
            "XborderRulebookVersion".into(),
            made.rulebook.manifest.version.clone(),
        ),
        ("XborderRulebookSha256".into(), made.rulebook.sha256.clone()),
        ("XborderToolVersion".into(), made.tool_version.into()),
    ])
    .collect()
}

/// The cover's rows on how the document was made: the date judged, the generation time, the
/// tool and rulebook, each input file and its hash, and the rulebook's hash.
pub(crate) fn made_from(made: &Made<'_>, inputs: &[InputFile<'_>]) -> Vec<(String, String)> {
    let rulebook = made.rulebook;
    let mut rows = vec![
        ("As-of date".to_string(), made.as_of.to_string()),
        ("Generated".to_string(), stamp(made.generated_at)),
        ("Tool".to_string(), format!("xborder {}", made.tool_version)),
        (
            "Rulebook".to_string(),
            format!(
                "{} (researched to {})",
                rulebook.manifest.version, rulebook.manifest.researched
            ),
        ),
    ];
    for input in inputs {
        rows.push((input.label.to_string(), input.path.to_string()));
        rows.push((input.hash_label.to_string(), input.sha256.to_string()));
    }
    rows.push(("Rulebook SHA-256".to_string(), rulebook.sha256.clone()));
    rows
}

/// The cover's last row: who signed, or that the document is an unsigned draft.
pub(crate) fn signature_row(signer: Option<&Signer>) -> (String, String) {
    (
        "Signature".to_string(),
        match signer {
            Some(s) => format!("digitally signed by {} ({}), PAdES-B-B", s.name, s.role),
            None => "none — this is an UNSIGNED DRAFT".to_string(),
        },
    )
}

/// The sign-off's rows on the signer and the certificate the signature is made with.
pub(crate) fn signer_rows(signer: &Signer, generated_at: NaiveDateTime) -> Vec<(String, String)> {
    vec![
        ("Signer".to_string(), signer.name.clone()),
        ("Role".to_string(), signer.role.clone()),
        ("Date".to_string(), stamp(generated_at)),
        (
            "Certificate".to_string(),
            signer.certificate_subject.clone(),
        ),
        (
            "Certificate SHA-256".to_string(),
            signer.certificate_sha256.clone(),
        ),
    ]
}
