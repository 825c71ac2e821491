//! What is known about one hop while it is judged, and what judging it produces: the types
//! shared by the judgement (`judge.rs`), the mechanism families (`mechanisms/`) and the onward
//! rules (`onward.rs`).

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeSet;

use chrono::NaiveDate;
use xborder_law::{
    AdequacyDecision, Advisory, Bridge, Code, Dated, Fact, HopFacts, Membership, Rulebook, Sector,
    Severity, Tally, ToolEffectOrAdequacy, Whose,
};
use xborder_model::{Entity, EntityKind, Flow, Loc, Map, Text};

use crate::Options;
use crate::result::Verdict;

/// Everything known about one hop while it is judged: `'a` is the map and the rulebook,
/// which what the judgement returns may borrow; `'h` is the hop's own working data (its
/// categories come from the propagation labels, which are dropped before findings are made).
pub struct HopContext<'a, 'h> {
    pub map: &'a Map,
    pub rulebook: &'a Rulebook,
    pub date: NaiveDate,
    pub options: &'a Options,
    pub flow: &'a Flow,
    pub exporter: &'a Entity,
    pub importer: &'a Entity,
    pub regime: &'a str,
    /// The rulebook's adequacy entries (decisions and frameworks) of `regime`, in rulebook
    /// order: selected once per regime rather than per hop, since every hop consults them.
    pub adequacy: &'h [&'a AdequacyDecision],
    pub destination: &'a str,
    /// What the rulebook says about this destination under this regime on the date.
    pub at_destination: &'h AtDestination<'a>,
    /// Categories of the regime's data on this hop, as named in the map.
    pub categories: &'h [&'h str],
    /// What the exporter's flows of the regime's data out of its territory add up to in
    /// `individuals-per-year` (all, and those carrying sensitive data); `None` where no rule
    /// of the regime counts individuals.
    pub individuals: Option<(Tally, Tally)>,
    /// The facts rulebook conditions test, gathered on the first question (see
    /// [`HopContext::facts`]); start it empty.
    pub facts: OnceCell<HopFacts<'h>>,
}

/// What the rulebook says about one destination under one regime on the judgement's date,
/// the same for every hop there: looked up once per (regime, destination) rather than
/// again for each hop, a scan of the regime's territory and adequacy entries that
/// compared country names a few dozen times per hop.
#[derive(Debug)]
pub struct AtDestination<'a> {
    /// The regime's territory membership that holds the destination on the date: a hop
    /// there does not leave the regime's territory.
    pub membership: Option<&'a Membership>,
    /// The first bridge of the regime to the destination's country in force on the date and
    /// not assumed away: a hop under it is not a transfer.
    pub bridge: Option<&'a Bridge>,
    /// The regime's adequacy entries in force on the date, not assumed away, that name the
    /// destination's country or no country (those for international organisations), in
    /// rulebook order.
    pub adequacy: Vec<&'a AdequacyDecision>,
    /// The regime's advisories in force on the date whose destination condition the
    /// destination meets (or that have none), in rulebook order; their importer conditions
    /// are the hop's to test.
    pub advisories: Vec<&'a Advisory>,
}

impl<'a> AtDestination<'a> {
    /// `destination` under `regime`, whose adequacy entries are `adequacy` (in rulebook
    /// order), as of `date`.
    pub fn of(
        rulebook: &'a Rulebook,
        regime: &str,
        adequacy: &[&'a AdequacyDecision],
        destination: &str,
        date: NaiveDate,
        options: &Options,
    ) -> Self {
        let country = crate::propagate::country_of(destination);
        AtDestination {
            advisories: rulebook
                .advisories
                .iter()
                .filter(|a| a.regime == regime && a.validity().contains(date))
                .filter(|a| a.when.destination.as_deref().is_none_or(|d| d == country))
                .collect(),
            membership: rulebook.territory_membership(regime, destination, date),
            bridge: rulebook.bridges.iter().find(|b| {
                b.regime == regime
                    && b.destination == country
                    && b.validity().contains(date)
                    && !options.assumes_invalid(&b.id)
            }),
            adequacy: adequacy
                .iter()
                .filter(|d| d.destination.as_deref().is_none_or(|c| c == country))
                .filter(|d| in_force(d, date, options))
                .copied()
                .collect(),
        }
    }
}

/// Whether an adequacy decision is in force on `date` and not assumed away (`--assume-invalid`
/// names it or its framework).
fn in_force(decision: &AdequacyDecision, date: NaiveDate, options: &Options) -> bool {
    decision.validity().contains(date)
        && !options.assumes_invalid(&decision.id)
        && !decision
            .framework
            .as_ref()
            .is_some_and(|f| options.assumes_invalid(&f.id))
}

impl<'a, 'h> HopContext<'a, 'h> {
    /// Base categories of the carried data (map categories resolved through `like:`).
    pub fn base_categories(&self) -> impl Iterator<Item = &'h str> + use<'a, 'h> {
        let map: &'a Map = self.map;
        self.categories.iter().map(move |c| map.base_category(c))
    }

    /// Whether an entry with this id has been switched off by `--assume-invalid`.
    pub fn assumed_invalid(&self, id: &str) -> bool {
        self.options.assumes_invalid(id)
    }

    /// Whether an adequacy decision is in force for this hop's date and not assumed away.
    pub fn decision_in_force(&self, decision: &AdequacyDecision) -> bool {
        in_force(decision, self.date, self.options)
    }

    /// The facts of the importer, the exporter and the flow that rulebook conditions test:
    /// gathered once for the hop, however many of its rules ask (a hop asks its destination's
    /// decisions, advisories, transfer rules and derogations in turn).
    pub fn facts(&self) -> &HopFacts<'h> {
        self.facts.get_or_init(|| self.gather_facts())
    }

    fn gather_facts(&self) -> HopFacts<'h> {
        HopFacts {
            sector: law_sector(self.importer.sector),
            subject_to: self
                .importer
                .subject_to
                .as_ref()
                .map(|list| list.iter().map(String::as_str).collect()),
            kind: law_kind(self.importer.kind),
            exporter_kind: law_kind(self.exporter.kind),
            exporter_sector: law_sector(self.exporter.sector),
            purpose: self.flow.purpose.as_deref(),
            categories: self.base_categories().collect(),
            automated: self.flow.automated,
            public_powers: self.flow.public_powers,
            exporter_subject_to: self
                .exporter
                .subject_to
                .as_ref()
                .map(|list| list.iter().map(String::as_str).collect()),
            sensitive: {
                let own = self.rulebook.sensitive_list(self.regime);
                self.base_categories()
                    .any(|c| self.rulebook.is_sensitive_in(own, c))
            },
            individuals: self.individuals.map(|(all, _)| all),
            sensitive_individuals: self.individuals.map(|(_, sensitive)| sensitive),
        }
    }

    /// Warnings (XB021) for the facts a rule needed and the map does not state, saying how the
    /// rule judged them meanwhile.
    pub fn unknown_facts(
        &self,
        facts: &BTreeSet<Fact>,
        rule: &str,
        judged: &str,
        citation: &'a str,
    ) -> Vec<Note<'a>> {
        facts
            .iter()
            .map(|fact| {
                let whose = match fact.whose() {
                    Whose::Importer => format!("the importer \"{}\"", self.importer.id),
                    Whose::Exporter => format!("the exporter \"{}\"", self.exporter.id),
                    Whose::Flow => "the flow".to_string(),
                    Whose::ExporterFlows => format!(
                        "a flow of \"{}\" that carries {} data abroad",
                        self.exporter.id, self.regime
                    ),
                };
                Note::new(
                    Code::FactNotStated,
                    format!(
                        "{rule} depends on `{}`, which {whose} does not state: judged as {judged}; add `{}:` to {whose}",
                        fact.field(),
                        fact.field()
                    ),
                    citation,
                )
            })
            .collect()
    }
}

fn law_kind(kind: EntityKind) -> xborder_law::EntityKind {
    match kind {
        EntityKind::Company => xborder_law::EntityKind::Company,
        EntityKind::Vendor => xborder_law::EntityKind::Vendor,
        EntityKind::Partner => xborder_law::EntityKind::Partner,
        EntityKind::Authority => xborder_law::EntityKind::Authority,
        EntityKind::Subjects => xborder_law::EntityKind::Subjects,
    }
}

/// The map's role pair as the rulebook writes role pairs (modules, onward grounds).
pub fn law_roles(pair: xborder_model::RolePair) -> xborder_law::RolePair {
    let role = |r: xborder_model::Role| match r {
        xborder_model::Role::Controller => xborder_law::Role::Controller,
        xborder_model::Role::Processor => xborder_law::Role::Processor,
    };
    xborder_law::RolePair {
        exporter: role(pair.exporter),
        importer: role(pair.importer),
    }
}

/// Whether a role pair written in the rulebook (checked when it loads) is `pair`.
pub fn is_pair(written: &str, pair: xborder_model::RolePair) -> bool {
    written.parse::<xborder_law::RolePair>().ok() == Some(law_roles(pair))
}

fn law_sector(sector: xborder_model::Sector) -> Sector {
    match sector {
        xborder_model::Sector::Private => Sector::Private,
        xborder_model::Sector::Public => Sector::Public,
        xborder_model::Sector::Nonprofit => Sector::Nonprofit,
        xborder_model::Sector::Academic => Sector::Academic,
    }
}

/// A note the judgement produces, before it becomes a [`Finding`](crate::Finding). Text
/// taken from the map or the rulebook as it is (citations, advisories) is borrowed, not
/// copied: a large map has hundreds of thousands of notes, most citing one of a few dozen
/// sources.
#[derive(Debug, Clone)]
pub struct Note<'a> {
    pub code: Code,
    /// `None`: the rulebook's severity for the code (`codes.yaml`).
    pub severity: Option<Severity>,
    pub message: Message<'a>,
    pub citation: Cow<'a, str>,
    pub loc: Option<Loc>,
}

/// What a note says: rulebook text as it is (an advisory), or a message made for the hop,
/// kept at its exact length from the moment it is made and passed on to the finding as it
/// is. Notes wait for the onward pass with all the hops of a map, and a message as
/// formatted has room to spare (up to half again its length).
#[derive(Debug, Clone, PartialEq)]
pub enum Message<'a> {
    Rulebook(&'a str),
    Made(Text),
}

impl Message<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            Message::Rulebook(text) => text,
            Message::Made(text) => text,
        }
    }
}

impl std::fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'a> From<&'a str> for Message<'a> {
    fn from(text: &'a str) -> Self {
        Message::Rulebook(text)
    }
}

impl<'a> From<&'a String> for Message<'a> {
    fn from(text: &'a String) -> Self {
        Message::Rulebook(text)
    }
}

impl From<String> for Message<'_> {
    fn from(text: String) -> Self {
        Message::Made(Text::from(text))
    }
}

impl<'a> Note<'a> {
    pub fn new(
        code: Code,
        message: impl Into<Message<'a>>,
        citation: impl Into<Cow<'a, str>>,
    ) -> Self {
        Note {
            code,
            severity: None,
            message: message.into(),
            citation: citation.into(),
            loc: None,
        }
    }

    /// The warning (XB014) that a verdict rests on a rulebook point its sources do not settle.
    pub fn unconfirmed(why: &str, citation: impl Into<Cow<'a, str>>) -> Self {
        Note::new(
            Code::Unconfirmed,
            format!("the verdict rests on an unconfirmed rulebook point: {why}"),
            citation,
        )
    }

    #[must_use]
    pub fn at(mut self, loc: Loc) -> Self {
        self.loc = Some(loc);
        self
    }
}

/// What a verdict rests on, as the onward rules of an upstream instrument test it.
#[derive(Debug, Clone, Copy, Default)]
pub struct RestsOn<'a> {
    /// Adequacy (decision or framework), an appropriate safeguard, or a derogation.
    pub effect: Option<ToolEffectOrAdequacy>,
    /// For SCCs: the set.
    pub scc_version: Option<&'a str>,
    /// For derogations: the ground.
    pub ground: Option<&'a str>,
}

/// An onward-transfer rule that travels with data received on a basis, with how the rule
/// reads under the hop's regime (e.g. the 2021 SCCs through the UK Addendum).
#[derive(Debug, Clone, Copy)]
pub struct OnwardRule<'a> {
    pub rule: &'a xborder_law::Onward,
    pub reading: Option<&'a xborder_law::Citation>,
}

/// The judgement on one hop.
#[derive(Debug, Clone)]
pub struct Outcome<'a> {
    pub verdict: Verdict,
    pub mechanism: Option<&'a str>,
    pub basis: Cow<'a, str>,
    /// The rule that decided the verdict (the decision, set, tool, ground or not-a-transfer
    /// rule relied on; for an unlawful hop, the rule it breaks), cited for the date.
    pub citation: Cow<'a, str>,
    pub notes: Vec<Note<'a>>,
    /// Onward-transfer rule that travels with data received on this basis (SCC clause,
    /// framework principle, adequacy supplementary rules), for the importer's own onward hops.
    pub onward: Option<OnwardRule<'a>>,
    pub rests_on: RestsOn<'a>,
}

impl<'a> Outcome<'a> {
    pub fn new(
        verdict: Verdict,
        mechanism: Option<&'a str>,
        basis: impl Into<Cow<'a, str>>,
    ) -> Self {
        Outcome {
            verdict,
            mechanism,
            basis: basis.into(),
            citation: Cow::Borrowed(""),
            notes: Vec::new(),
            onward: None,
            rests_on: RestsOn::default(),
        }
    }

    #[must_use]
    pub fn with(mut self, note: Note<'a>) -> Self {
        if self.citation.is_empty() && self.verdict == Verdict::Unlawful {
            self.citation = note.citation.clone();
        }
        self.notes.push(note);
        self
    }

    #[must_use]
    pub fn citing(mut self, citation: impl Into<Cow<'a, str>>) -> Self {
        self.citation = citation.into();
        self
    }

    #[must_use]
    pub fn resting_on(mut self, rests_on: RestsOn<'a>) -> Self {
        self.rests_on = rests_on;
        self
    }
}
