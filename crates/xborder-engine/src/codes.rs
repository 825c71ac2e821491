//! The stable finding codes. Their documentation (meaning, why, citation, fix) lives in
//! the rulebook (`data/rulebook/codes.yaml`) and is printed by `xborder explain`; a test
//! checks that every code here is documented there.

use xborder_law::Severity;

/// A finding code. The number never changes meaning once released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// Restricted transfer with no valid mechanism.
    NoMechanism,
    /// Relies on a framework not in force at the date (Safe Harbor, Privacy Shield).
    FrameworkNotInForce,
    /// Importer not certified under the framework at the date, or out of scope.
    NotCertified,
    /// SCC module does not match the hop's role pair.
    WrongSccModule,
    /// SCC set no longer provides safeguards (superseded, grandfathering over).
    SccSuperseded,
    /// No documented transfer impact assessment for an Art. 46 tool.
    MissingTia,
    /// Systematic use of an Art. 49 derogation.
    SystematicDerogation,
    /// Special-category or criminal data in a transfer.
    SpecialCategory,
    /// UK transfer on EU SCCs without the UK Addendum.
    MissingUkAddendum,
    /// Swiss transfer on EU SCCs without the Swiss adaptations.
    MissingSwissAdaptation,
    /// Direct collection from data subjects is not a transfer.
    DirectCollection,
    /// 2021 SCCs with an importer subject to the GDPR via Art. 3(2).
    SccArt3Importer,
    /// The basis is under legal risk or ambiguity (rulebook advisory).
    Advisory,
    /// The verdict rests on an unconfirmed point of the rulebook.
    Unconfirmed,
    /// Mechanism not available under the regime, or not yet in force.
    MechanismUnavailable,
    /// The agreement carrying the mechanisms has expired.
    AgreementExpired,
    /// Onward transfer: the upstream instrument's onward clause applies.
    OnwardTransfer,
    /// An adequacy decision exists but does not cover this importer or data.
    OutsideAdequacyScope,
    /// Occasional derogation: lawful only under the ground's conditions.
    OccasionalDerogation,
    /// The hop's basis stops being valid within the `--horizon`.
    ExpiresSoon,
}

impl Code {
    pub const ALL: [Code; 20] = [
        Code::NoMechanism,
        Code::FrameworkNotInForce,
        Code::NotCertified,
        Code::WrongSccModule,
        Code::SccSuperseded,
        Code::MissingTia,
        Code::SystematicDerogation,
        Code::SpecialCategory,
        Code::MissingUkAddendum,
        Code::MissingSwissAdaptation,
        Code::DirectCollection,
        Code::SccArt3Importer,
        Code::Advisory,
        Code::Unconfirmed,
        Code::MechanismUnavailable,
        Code::AgreementExpired,
        Code::OnwardTransfer,
        Code::OutsideAdequacyScope,
        Code::OccasionalDerogation,
        Code::ExpiresSoon,
    ];

    /// The code as printed: `XB001` ...
    pub fn as_str(self) -> &'static str {
        match self {
            Code::NoMechanism => "XB001",
            Code::FrameworkNotInForce => "XB002",
            Code::NotCertified => "XB003",
            Code::WrongSccModule => "XB004",
            Code::SccSuperseded => "XB005",
            Code::MissingTia => "XB006",
            Code::SystematicDerogation => "XB007",
            Code::SpecialCategory => "XB008",
            Code::MissingUkAddendum => "XB009",
            Code::MissingSwissAdaptation => "XB010",
            Code::DirectCollection => "XB011",
            Code::SccArt3Importer => "XB012",
            Code::Advisory => "XB013",
            Code::Unconfirmed => "XB014",
            Code::MechanismUnavailable => "XB015",
            Code::AgreementExpired => "XB016",
            Code::OnwardTransfer => "XB017",
            Code::OutsideAdequacyScope => "XB018",
            Code::OccasionalDerogation => "XB019",
            Code::ExpiresSoon => "XB020",
        }
    }

    pub fn parse(code: &str) -> Option<Code> {
        Code::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(code))
    }

    /// Severity when nothing else keeps the hop lawful.
    pub fn severity(self) -> Severity {
        match self {
            Code::MissingTia
            | Code::SpecialCategory
            | Code::SccArt3Importer
            | Code::Advisory
            | Code::Unconfirmed
            | Code::ExpiresSoon => Severity::Warning,
            Code::DirectCollection | Code::OnwardTransfer | Code::OccasionalDerogation => {
                Severity::Info
            }
            _ => Severity::Error,
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
