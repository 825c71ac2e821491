//! Transfer claims in a privacy notice, checked against the rulebook at the notice's
//! effective date and, optionally, against a data map.
//!
//! The notice is split into sentences (with line and column); a sentence that contains a claim
//! phrase (`data/interop/notice-claims.yaml`) and a reliance cue is a claim. Framework claims
//! (Safe Harbor, Privacy Shield, DPF) are judged by the validity of the rulebook entry they name
//! on the effective date; SCC and BCR claims by the sets and tools in force; adequacy claims are
//! informational; "we do not sell" is compared with the map's disclosures to third parties.
//! Dates and citations come from the rulebook only.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use xborder_engine::{Evaluation, Verdict};
use xborder_law::{Dated, Rulebook, SccStatus};
use xborder_model::{EntityKind, Map, Mechanism, Role};

/// The built-in claim phrases.
pub const DEFAULT_CLAIMS: &str = include_str!("../../../data/interop/notice-claims.yaml");

/// What the claim relies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClaimKind {
    Framework,
    Scc,
    Bcr,
    Adequacy,
    NoSale,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Variant {
    rulebook: String,
    qualifiers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimDef {
    id: String,
    name: String,
    kind: ClaimKind,
    phrases: Vec<String>,
    #[serde(default)]
    variants: Vec<Variant>,
    #[serde(default)]
    default: Option<String>,
    #[serde(default)]
    citation: Option<String>,
}

/// The claim phrases and cues.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Claims {
    format: u32,
    window: usize,
    abbreviations: Vec<String>,
    reliance: Vec<String>,
    not_reliance: Vec<String>,
    claims: Vec<ClaimDef>,
}

impl Claims {
    pub fn parse(text: &str) -> Result<Self, String> {
        let claims: Claims = serde_saphyr::from_str(text).map_err(|e| e.to_string())?;
        if claims.format != 1 {
            return Err(format!(
                "unsupported claims table format {} (this version reads `format: 1`)",
                claims.format
            ));
        }
        Ok(claims)
    }

    pub fn embedded() -> Result<Self, String> {
        Self::parse(DEFAULT_CLAIMS)
    }
}

/// The verdict on one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The instrument it relies on was valid on the effective date.
    Valid,
    /// Informational: nothing to judge on the date alone.
    Info,
    /// Needs a human look (an unknown instrument, a grandfathered set, a possible sale).
    Review,
    /// The instrument was not yet in force.
    NotYetValid,
    /// The instrument was invalid (struck down or expired) on the effective date.
    Invalid,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Info => "info",
            Status::Review => "review",
            Status::NotYetValid => "not-yet-valid",
            Status::Invalid => "invalid",
        }
    }

    /// Whether it makes `notice check` exit 1.
    pub fn is_error(self) -> bool {
        matches!(self, Status::NotYetValid | Status::Invalid)
    }
}

/// How the map stands to a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MapCheck {
    /// The map claims the same mechanism (or, for "we do not sell", shows no third-party
    /// disclosure).
    pub consistent: bool,
    pub message: String,
}

/// One claim found in the notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Claim {
    pub line: usize,
    pub column: usize,
    /// The sentence, quoted as written (whitespace collapsed).
    pub sentence: String,
    /// Claim id from the phrase table (`privacy-shield`, `scc`, ...).
    pub claim: String,
    /// What it relies on, e.g. "EU-US Privacy Shield".
    pub instrument: String,
    /// The rulebook entry judged, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rulebook: Option<String>,
    /// The sentence names no jurisdiction: the default variant was assumed.
    pub assumed: bool,
    pub status: Status,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub map: Option<MapCheck>,
}

/// A sentence that mentions an instrument without relying on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    pub line: usize,
    pub column: usize,
    pub sentence: String,
    pub claim: String,
}

/// The whole check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub effective: NaiveDate,
    pub claims: Vec<Claim>,
    pub mentions: Vec<Mention>,
    /// Mechanisms the map claims that the notice does not mention.
    pub map_only: Vec<String>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.claims.iter().any(|c| c.status.is_error())
    }
}

// ---- sentences ------------------------------------------------------------------------------

/// A sentence with the position of its first character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub line: usize,
    pub column: usize,
    pub text: String,
}

fn ends_with_abbreviation(before: &str, abbreviations: &[String]) -> bool {
    let token = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_lowercase();
    abbreviations.iter().any(|a| {
        token.ends_with(a.as_str())
            && token[..token.len() - a.len()]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Splits a notice into sentences. A period ends a sentence unless it closes an abbreviation
/// (U.S., e.g., Inc.); a line break ends one unless the line ends in an abbreviation or the next
/// line starts in lower case (a wrapped line); a blank line always does.
pub fn sentences(text: &str, abbreviations: &[String]) -> Vec<Sentence> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut positions = Vec::with_capacity(chars.len());
    let (mut line, mut column) = (1usize, 1usize);
    for (_, c) in &chars {
        positions.push((line, column));
        if *c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    let byte = |i: usize| chars.get(i).map_or(text.len(), |c| c.0);
    let mut out = Vec::new();
    let mut finish = |from: usize, to: usize| {
        let collapsed = text[byte(from)..byte(to)]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let trimmed = collapsed
            .trim_start_matches(['*', '•', '-', '·'])
            .trim()
            .to_string();
        if trimmed.chars().any(char::is_alphanumeric) {
            let (line, column) = positions[from];
            out.push(Sentence {
                line,
                column,
                text: trimmed,
            });
        }
    };
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let Some(s) = start else {
            if c.is_whitespace() {
                i += 1;
            } else {
                start = Some(i);
            }
            continue;
        };
        if matches!(c, '.' | '!' | '?') {
            // Closing quotes and brackets belong to the sentence.
            let mut end = i + 1;
            while end < chars.len() && matches!(chars[end].1, '"' | '\'' | '”' | '’' | ')' | ']')
            {
                end += 1;
            }
            let at_gap = end >= chars.len() || chars[end].1.is_whitespace();
            let abbreviation =
                c == '.' && ends_with_abbreviation(&text[byte(s)..byte(i + 1)], abbreviations);
            if at_gap && !abbreviation {
                let gap = chars[end..].iter().take_while(|x| x.1.is_whitespace());
                let newline_in_gap = gap.clone().any(|x| x.1 == '\n');
                let next = chars[end..]
                    .iter()
                    .map(|x| x.1)
                    .find(|x| !x.is_whitespace());
                if newline_in_gap || next.is_none_or(|n| !n.is_lowercase()) {
                    finish(s, end);
                    start = None;
                    i = end;
                    continue;
                }
            }
        } else if c == '\n' {
            let line_text = &text[byte(s)..byte(i)];
            let last_line = line_text.rsplit('\n').next().unwrap_or("").trim_end();
            let rest = &chars[i + 1..];
            let blank_follows = rest
                .iter()
                .take_while(|x| x.1 != '\n')
                .all(|x| x.1.is_whitespace())
                && rest.iter().any(|x| x.1 == '\n');
            let next = rest.iter().map(|x| x.1).find(|x| !x.is_whitespace());
            let wrapped = ends_with_abbreviation(last_line, abbreviations)
                || next.is_some_and(char::is_lowercase);
            if blank_follows || !wrapped {
                finish(s, i);
                start = None;
            }
        }
        i += 1;
    }
    if let Some(s) = start {
        finish(s, chars.len());
    }
    out
}

/// Lower case, unified quotes and dashes, "U.S." → "us", whitespace collapsed.
fn normalise(text: &str) -> String {
    let lower: String = text
        .to_lowercase()
        .chars()
        .map(|c| match c {
            '“' | '”' | '„' => '"',
            '‘' | '’' => '\'',
            '–' | '—' | '‑' => '-',
            c => c,
        })
        .collect();
    let replaced = lower
        .replace("u.s.a.", "usa")
        .replace("u.s.", "us")
        .replace("u.k.", "uk")
        .replace("e.u.", "eu");
    replaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Positions where `phrase` occurs in `text` as whole words.
fn find_phrase(text: &str, phrase: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find(phrase) {
        let at = from + pos;
        let end = at + phrase.len();
        let before_ok = text[..at]
            .chars()
            .last()
            .is_none_or(|c| !c.is_alphanumeric());
        let after_ok = text[end..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            out.push(at);
        }
        from = at + phrase.len().max(1);
        if from >= text.len() {
            break;
        }
    }
    out
}

fn words(text: &str) -> String {
    let tokens: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    format!(" {} ", tokens.join(" "))
}

// ---- checking -------------------------------------------------------------------------------

/// The map and its evaluation at the effective date, for the comparison.
#[derive(Debug, Clone, Copy)]
pub struct MapContext<'a> {
    pub map: &'a Map,
    pub eval: &'a Evaluation,
}

/// Finds and checks every transfer claim of `text`.
pub fn check(
    text: &str,
    effective: NaiveDate,
    rulebook: &Rulebook,
    claims: &Claims,
    map: Option<MapContext<'_>>,
) -> Report {
    let mut found = Vec::new();
    let mut mentions = Vec::new();
    let mut claimed_kinds: BTreeSet<String> = BTreeSet::new();
    for sentence in sentences(text, &claims.abbreviations) {
        let norm = normalise(&sentence.text);
        let padded = format!(" {norm} ");
        let reliance = claims
            .reliance
            .iter()
            .any(|cue| padded.contains(&normalise(cue)))
            && !claims
                .not_reliance
                .iter()
                .any(|cue| padded.contains(&normalise(cue)));
        for def in &claims.claims {
            let mut positions: Vec<(usize, usize)> = def
                .phrases
                .iter()
                .flat_map(|p| {
                    let p = normalise(p);
                    find_phrase(&norm, &p)
                        .into_iter()
                        .map(move |at| (at, at + p.len()))
                })
                .collect();
            if positions.is_empty() {
                continue;
            }
            positions.sort_unstable();
            if def.kind != ClaimKind::NoSale && !reliance {
                mentions.push(Mention {
                    line: sentence.line,
                    column: sentence.column,
                    sentence: sentence.text.clone(),
                    claim: def.id.clone(),
                });
                continue;
            }
            // Which instruments: for frameworks, the qualifiers just before each occurrence.
            let mut targets: Vec<(Option<String>, bool)> = Vec::new();
            if def.variants.is_empty() {
                targets.push((None, false));
            } else {
                let mut previous_end = 0;
                for (at, end) in &positions {
                    let from = at.saturating_sub(claims.window).max(previous_end);
                    let from = (from..=*at)
                        .find(|i| norm.is_char_boundary(*i))
                        .unwrap_or(*at);
                    let window = words(&norm[from..*at]);
                    // Variants in the order their qualifiers appear ("EU-U.S. and Swiss-U.S.").
                    let mut hits: Vec<(usize, &Variant)> = def
                        .variants
                        .iter()
                        .filter_map(|v| {
                            v.qualifiers
                                .iter()
                                .filter_map(|q| window.find(&words(&normalise(q))))
                                .min()
                                .map(|pos| (pos, v))
                        })
                        .collect();
                    hits.sort_by_key(|(pos, _)| *pos);
                    let hit = !hits.is_empty();
                    for (_, v) in hits {
                        match targets
                            .iter_mut()
                            .find(|(t, _)| t.as_deref() == Some(&v.rulebook))
                        {
                            Some((_, assumed)) => *assumed = false,
                            None => targets.push((Some(v.rulebook.clone()), false)),
                        }
                    }
                    if !hit && let Some(d) = &def.default {
                        // An unqualified mention next to qualified ones adds nothing.
                        if targets.is_empty() {
                            targets.push((Some(d.clone()), true));
                        }
                    }
                    previous_end = *end;
                }
                // A qualified variant found later replaces an assumed default.
                if targets.iter().any(|(_, assumed)| !assumed) {
                    targets.retain(|(_, assumed)| !assumed);
                }
            }
            for (target, assumed) in targets {
                let claim = judge(
                    def,
                    target.as_deref(),
                    assumed,
                    &sentence,
                    effective,
                    rulebook,
                    map,
                );
                if let Some(kind) = mechanism_kind(def, target.as_deref(), rulebook) {
                    claimed_kinds.insert(kind);
                }
                found.push(claim);
            }
        }
    }
    let map_only = map
        .map(|ctx| map_only(ctx.map, &claimed_kinds))
        .unwrap_or_default();
    Report {
        effective,
        claims: found,
        mentions,
        map_only,
    }
}

/// The map mechanism kind a claim corresponds to.
fn mechanism_kind(def: &ClaimDef, target: Option<&str>, rulebook: &Rulebook) -> Option<String> {
    match def.kind {
        ClaimKind::Framework => target.and_then(|id| {
            rulebook
                .adequacy
                .iter()
                .find(|a| a.id == id)
                .and_then(|a| a.framework.as_ref())
                .map(|f| f.mechanism.clone())
        }),
        ClaimKind::Scc => Some("scc".to_string()),
        ClaimKind::Bcr => Some("bcr".to_string()),
        ClaimKind::Adequacy => Some("adequacy".to_string()),
        ClaimKind::NoSale => None,
    }
}

fn judge(
    def: &ClaimDef,
    target: Option<&str>,
    assumed: bool,
    sentence: &Sentence,
    date: NaiveDate,
    rulebook: &Rulebook,
    map: Option<MapContext<'_>>,
) -> Claim {
    let mut claim = Claim {
        line: sentence.line,
        column: sentence.column,
        sentence: sentence.text.clone(),
        claim: def.id.clone(),
        instrument: def.name.clone(),
        rulebook: target.map(str::to_string),
        assumed,
        status: Status::Info,
        message: String::new(),
        citation: def.citation.clone(),
        map: None,
    };
    match def.kind {
        ClaimKind::Framework => framework(&mut claim, def, target, date, rulebook, map),
        ClaimKind::Scc => scc(&mut claim, sentence, date, rulebook, map),
        ClaimKind::Bcr => bcr(&mut claim, date, rulebook, map),
        ClaimKind::Adequacy => {
            claim.message = format!(
                "relies on adequacy: a basis only for destinations with an adequacy decision in force on {date} (`xborder rules --as-of {date}` lists them)"
            );
            claim.citation = Some(format!(
                "adequacy decisions of the rulebook {}",
                rulebook.manifest.version
            ));
            if let Some(ctx) = map {
                claim.map = Some(map_for_kind(ctx, "adequacy", None));
            }
        }
        ClaimKind::NoSale => no_sale(&mut claim, map),
    }
    claim
}

fn framework(
    claim: &mut Claim,
    def: &ClaimDef,
    target: Option<&str>,
    date: NaiveDate,
    rulebook: &Rulebook,
    map: Option<MapContext<'_>>,
) {
    let Some(id) = target else {
        claim.status = Status::Review;
        claim.message = format!("mentions {} but names no instrument", def.name);
        return;
    };
    let Some(entry) = rulebook.adequacy.iter().find(|a| a.id == id) else {
        claim.status = Status::Review;
        claim.message = format!(
            "relies on \"{id}\", which the rulebook has no entry for: it cannot be judged; check it by hand"
        );
        return;
    };
    claim.instrument = entry.name.clone();
    claim.citation = Some(entry.citation.on(date).to_string());
    let validity = entry.validity();
    let assumed = if claim.assumed {
        format!(
            " (the sentence names no jurisdiction: {} assumed)",
            entry.name
        )
    } else {
        String::new()
    };
    let scope = format!(
        "{} → {}",
        entry.regime,
        entry
            .destination
            .as_deref()
            .unwrap_or("international organisation")
    );
    if validity.contains(date) {
        claim.status = Status::Valid;
        claim.message = format!(
            "relies on {} ({scope}), in force on {date} (from {}){assumed}",
            entry.name,
            validity
                .from
                .map_or("the start".to_string(), |d| d.to_string())
        );
        if let Some(u) = &entry.unconfirmed {
            claim.status = Status::Review;
            claim.message.push_str(&format!("; UNCONFIRMED: {u}"));
        }
    } else if validity.from.is_some_and(|f| date < f) {
        claim.status = Status::NotYetValid;
        claim.message = format!(
            "relies on {} ({scope}), not yet in force on {date} (from {}){assumed}",
            entry.name,
            validity.from.map_or(String::new(), |d| d.to_string())
        );
    } else {
        claim.status = Status::Invalid;
        claim.message = match validity.invalid_from {
            Some(day)
                if validity.last_day().is_some_and(|l| l < day) || validity.until.is_none() =>
            {
                format!(
                    "relies on {} ({scope}), invalid since {day}: the notice is effective {date}{assumed}",
                    entry.name
                )
            }
            _ => format!(
                "relies on {} ({scope}), which ended on {}: the notice is effective {date}{assumed}",
                entry.name,
                validity.last_day().map_or(String::new(), |d| d.to_string())
            ),
        };
    }
    if let (Some(ctx), Some(fw)) = (map, &entry.framework) {
        let mut check = map_for_kind(ctx, &fw.mechanism, Some(&entry.regime));
        let certified: Vec<&str> = ctx
            .map
            .entities
            .iter()
            .filter(|e| {
                e.certifications.iter().any(|c| {
                    c.framework == fw.id && c.from <= date && c.until.is_none_or(|u| date <= u)
                })
            })
            .map(|e| e.id.as_str())
            .collect();
        check.message.push_str(&format!(
            "; {} entit{} certified to {} on {date}{}",
            certified.len(),
            if certified.len() == 1 { "y" } else { "ies" },
            fw.id,
            if certified.is_empty() {
                String::new()
            } else {
                format!(" ({})", certified.join(", "))
            }
        ));
        claim.map = Some(check);
    }
}

fn scc(
    claim: &mut Claim,
    sentence: &Sentence,
    date: NaiveDate,
    rulebook: &Rulebook,
    map: Option<MapContext<'_>>,
) {
    let named: Vec<_> = rulebook
        .scc_sets
        .iter()
        .filter(|s| sentence.text.contains(&s.version))
        .collect();
    let sets: Vec<_> = if named.is_empty() {
        rulebook.scc_sets.iter().collect()
    } else {
        named
    };
    let mut available = Vec::new();
    let mut grandfathered = Vec::new();
    for set in &sets {
        let mut regimes_a = Vec::new();
        let mut regimes_g = Vec::new();
        for terms in &set.terms {
            match terms.status_on(date) {
                Some(SccStatus::Available) => regimes_a.push(terms.regime.as_str()),
                Some(SccStatus::Grandfathered) => regimes_g.push(terms.regime.as_str()),
                None => {}
            }
        }
        if !regimes_a.is_empty() {
            available.push((set, regimes_a));
        } else if !regimes_g.is_empty() {
            grandfathered.push((set, regimes_g));
        }
    }
    let list = |v: &[(&&xborder_law::SccSet, Vec<&str>)]| {
        v.iter()
            .map(|(s, r)| format!("{} ({})", s.version, r.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    };
    if let Some((set, _)) = available.last() {
        claim.status = Status::Valid;
        claim.instrument = "Standard contractual clauses".to_string();
        claim.message = format!(
            "relies on standard contractual clauses; sets open for new contracts on {date}: {}",
            list(&available)
        );
        claim.citation = Some(set.citation.on(date).to_string());
    } else if let Some((set, _)) = grandfathered.last() {
        claim.status = Status::Review;
        claim.message = format!(
            "relies on standard contractual clauses; on {date} only contracts concluded earlier still count: {}",
            list(&grandfathered)
        );
        claim.citation = Some(set.citation.on(date).to_string());
    } else {
        claim.status = Status::Invalid;
        claim.message = format!(
            "relies on standard contractual clauses, but no set {}is usable on {date}",
            if sets.len() == rulebook.scc_sets.len() {
                String::new()
            } else {
                format!(
                    "it names ({}) ",
                    sets.iter()
                        .map(|s| s.version.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
        claim.citation = sets.first().map(|s| s.citation.on(date).to_string());
    }
    if let Some(ctx) = map {
        claim.map = Some(map_for_kind(ctx, "scc", None));
    }
}

fn bcr(claim: &mut Claim, date: NaiveDate, rulebook: &Rulebook, map: Option<MapContext<'_>>) {
    let tools: Vec<_> = rulebook.tools.iter().filter(|t| t.kind == "bcr").collect();
    let in_force: Vec<_> = tools
        .iter()
        .filter(|t| t.validity().contains(date))
        .collect();
    if let Some(t) = in_force.first() {
        claim.status = Status::Valid;
        claim.message = format!(
            "relies on binding corporate rules, a transfer tool on {date} under {}",
            in_force
                .iter()
                .map(|t| t.regime.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        claim.citation = Some(t.citation.on(date).to_string());
    } else {
        claim.status = Status::Review;
        claim.message = format!(
            "relies on binding corporate rules, which the rulebook has in force for no regime on {date}"
        );
        claim.citation = tools.first().map(|t| t.citation.on(date).to_string());
    }
    if let Some(ctx) = map {
        claim.map = Some(map_for_kind(ctx, "bcr", None));
    }
}

fn no_sale(claim: &mut Claim, map: Option<MapContext<'_>>) {
    let Some(ctx) = map else {
        claim.status = Status::Info;
        claim.message = "states that personal information is not sold; pass --map to compare it with the map's disclosures".to_string();
        return;
    };
    let mut third_parties: Vec<String> = Vec::new();
    for flow in &ctx.map.flows {
        let from = &ctx.map.entities[flow.from];
        let to = &ctx.map.entities[flow.to];
        if from.kind != EntityKind::Company
            || matches!(
                to.kind,
                EntityKind::Company | EntityKind::Subjects | EntityKind::Authority
            )
        {
            continue;
        }
        let role = flow.roles.map(|r| r.importer).or(to.role);
        if role == Some(Role::Controller) {
            let name = match &flow.purpose {
                Some(p) => format!("{} ({p})", to.id),
                None => to.id.clone(),
            };
            if !third_parties.contains(&name) {
                third_parties.push(name);
            }
        }
    }
    if third_parties.is_empty() {
        claim.status = Status::Valid;
        claim.message =
            "states that personal information is not sold; the map discloses it to no third party"
                .to_string();
        claim.map = Some(MapCheck {
            consistent: true,
            message: "no flow from the business to a third-party controller".to_string(),
        });
    } else {
        claim.status = Status::Review;
        claim.message = format!(
            "states that personal information is not sold, but the map discloses it to {} third part{}: check that none of these disclosures is made for monetary or other valuable consideration",
            third_parties.len(),
            if third_parties.len() == 1 { "y" } else { "ies" }
        );
        claim.map = Some(MapCheck {
            consistent: false,
            message: format!(
                "third-party controllers receiving data: {}",
                third_parties.join(", ")
            ),
        });
    }
}

/// Flows of the map claiming a mechanism kind, and the hops it decided.
fn map_for_kind(ctx: MapContext<'_>, kind: &str, regime: Option<&str>) -> MapCheck {
    let claims = |ms: &[Mechanism]| ms.iter().any(|m| m.kind_name() == kind);
    let flows: Vec<String> = ctx
        .map
        .flows
        .iter()
        .filter(|f| {
            claims(&f.mechanisms)
                || f.agreement
                    .and_then(|a| ctx.map.agreements.get(a))
                    .is_some_and(|a| claims(&a.mechanisms))
        })
        .map(|f| {
            f.id.as_deref()
                .map_or_else(|| format!("#{}", f.index), str::to_string)
        })
        .collect();
    let hops: Vec<_> = ctx
        .eval
        .hops
        .iter()
        .filter(|h| h.mechanism.as_deref() == Some(kind) && regime.is_none_or(|r| h.regime == r))
        .collect();
    let count = |v: Verdict| hops.iter().filter(|h| h.verdict == v).count();
    let decided = if hops.is_empty() {
        String::new()
    } else {
        format!(
            "; {} {}hop(s) decided by it on {}: {} lawful, {} conditional, {} unlawful",
            hops.len(),
            regime.map(|r| format!("{r} ")).unwrap_or_default(),
            ctx.eval.as_of,
            count(Verdict::Lawful),
            count(Verdict::Conditional),
            count(Verdict::Unlawful)
        )
    };
    if flows.is_empty() && kind != "adequacy" {
        MapCheck {
            consistent: false,
            message: format!(
                "the map claims no `{kind}` mechanism: the notice and the map disagree{decided}"
            ),
        }
    } else {
        MapCheck {
            consistent: true,
            message: format!(
                "the map claims `{kind}` on {} flow(s){}{decided}",
                flows.len(),
                if flows.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", abbreviate(&flows, 6))
                }
            ),
        }
    }
}

fn abbreviate(items: &[String], n: usize) -> String {
    if items.len() <= n {
        items.join(", ")
    } else {
        format!("{}, … {} more", items[..n].join(", "), items.len() - n)
    }
}

/// Mechanism kinds the map claims that no claim of the notice covers.
fn map_only(map: &Map, claimed: &BTreeSet<String>) -> Vec<String> {
    let mut kinds: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |kind: &str, flow: String| match kinds.iter_mut().find(|(k, _)| k == kind) {
        Some((_, flows)) => {
            if !flows.contains(&flow) {
                flows.push(flow);
            }
        }
        None => kinds.push((kind.to_string(), vec![flow])),
    };
    for f in &map.flows {
        let name =
            f.id.as_deref()
                .map_or_else(|| format!("#{}", f.index), str::to_string);
        let mut ms: Vec<&Mechanism> = f.mechanisms.iter().collect();
        if let Some(a) = f.agreement.and_then(|a| map.agreements.get(a)) {
            ms.extend(a.mechanisms.iter());
        }
        for m in ms {
            if !claimed.contains(m.kind_name()) {
                add(m.kind_name(), name.clone());
            }
        }
    }
    kinds
        .into_iter()
        .map(|(kind, flows)| {
            format!(
                "the map claims `{kind}` on {} flow(s) ({}), which the notice does not mention",
                flows.len(),
                abbreviate(&flows, 6)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn abbrevs() -> Vec<String> {
        Claims::embedded().expect("claims").abbreviations
    }

    #[test]
    fn sentences_keep_abbreviations_and_wrapped_lines_together() {
        let text = "Intro line\nWe adhere to the EU-U.S.\nPrivacy Shield Framework when transferring data. Next one, e.g. this.\n\n2018-03-16: removed outdated Swiss Safe Harbor Policy\n2017-06-28: Updated";
        let s = sentences(text, &abbrevs());
        let texts: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Intro line",
                "We adhere to the EU-U.S. Privacy Shield Framework when transferring data.",
                "Next one, e.g. this.",
                "2018-03-16: removed outdated Swiss Safe Harbor Policy",
                "2017-06-28: Updated"
            ]
        );
        assert_eq!((s[1].line, s[1].column), (2, 1));
        assert_eq!((s[2].line, s[2].column), (3, 50));
        assert_eq!((s[3].line, s[3].column), (5, 1));
    }

    #[test]
    fn qualifiers_pick_each_framework_named() {
        let claims = Claims::embedded().expect("claims");
        let rulebook = Rulebook::embedded().expect("rulebook");
        let date = NaiveDate::from_ymd_opt(2021, 1, 1).expect("date");
        let text = "We participate in and commit to adhering to the EU-U.S. and Swiss-U.S. Privacy Shield Frameworks when transferring data from the EEA or Switzerland to the United States. Please see our Privacy Shield Notice below.";
        let report = check(text, date, &rulebook, &claims, None);
        let ids: Vec<_> = report
            .claims
            .iter()
            .map(|c| c.rulebook.clone().unwrap_or_default())
            .collect();
        assert_eq!(ids, ["eu-us-privacy-shield", "swiss-us-privacy-shield"]);
        assert!(report.claims.iter().all(|c| c.status == Status::Invalid));
        assert_eq!(report.mentions.len(), 1);
    }
}
