//! The finding codes as typed ids. Everything said about a code — its title, severity,
//! meaning, why, citation and fix — is rulebook data (`codes.yaml`), read through
//! [`Rulebook::doc`](crate::Rulebook::doc); this list only gives each stable code a name the
//! code can use, and the loader checks that the rulebook documents every one of them.

use serde::{Serialize, Serializer};

macro_rules! finding_codes {
    ($($(#[$doc:meta])* $name:ident = $code:literal,)*) => {
        /// A finding code. The number never changes meaning once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[$doc])* $name,)*
        }

        impl Code {
            /// Every code, in number order.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// The code as printed: `XB001` ...
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $code,)*
                }
            }
        }
    };
}

finding_codes! {
    /// Restricted transfer with no valid mechanism.
    NoMechanism = "XB001",
    /// Relies on a framework not in force at the date.
    FrameworkNotInForce = "XB002",
    /// Importer not certified under the framework at the date, or out of scope.
    NotCertified = "XB003",
    /// SCC module does not match the hop's role pair.
    WrongSccModule = "XB004",
    /// SCC set no longer provides safeguards (superseded, grandfathering over).
    SccSuperseded = "XB005",
    /// No documented transfer impact assessment for a tool that needs one.
    MissingTia = "XB006",
    /// Systematic use of a derogation.
    SystematicDerogation = "XB007",
    /// Special-category or criminal data in a transfer.
    SpecialCategory = "XB008",
    /// UK transfer on EU SCCs without the UK Addendum.
    MissingUkAddendum = "XB009",
    /// Swiss transfer on EU SCCs without the Swiss adaptations.
    MissingSwissAdaptation = "XB010",
    /// Direct collection from data subjects is not a transfer.
    DirectCollection = "XB011",
    /// 2021 SCCs with an importer subject to the GDPR via Art. 3(2).
    SccArt3Importer = "XB012",
    /// The basis is under legal risk or ambiguity (rulebook advisory).
    Advisory = "XB013",
    /// The verdict rests on an unconfirmed point of the rulebook.
    Unconfirmed = "XB014",
    /// Mechanism not available under the regime, or not yet in force.
    MechanismUnavailable = "XB015",
    /// The agreement carrying the mechanisms has expired.
    AgreementExpired = "XB016",
    /// Onward transfer: the upstream instrument's onward clause applies and is met.
    OnwardTransfer = "XB017",
    /// An adequacy decision exists but does not cover this importer or data.
    OutsideAdequacyScope = "XB018",
    /// Occasional derogation: lawful only under the ground's conditions.
    OccasionalDerogation = "XB019",
    /// The hop's basis stops being valid within the `--horizon`.
    ExpiresSoon = "XB020",
    /// A fact the verdict depends on is not stated in the map.
    FactNotStated = "XB021",
    /// A derogation ground that the law does not make available to this hop.
    DerogationNotAvailable = "XB022",
    /// An onward transfer the upstream instrument's onward clause does not permit.
    OnwardNotPermitted = "XB023",
    /// Exporter and importer are one legal person: not a transfer.
    SameLegalPerson = "XB024",
    /// A risk acceptance's `until` has passed: the finding counts again.
    AcceptanceExpired = "XB025",
    /// A risk acceptance accepts no finding of the check.
    AcceptanceUnused = "XB026",
    /// The regime requires another kind of mechanism for this transfer (a threshold).
    MechanismInsufficient = "XB027",
    /// The regime does not let its data go to this destination (a negative list).
    DestinationRestricted = "XB028",
    /// The transfer is exempt from the regime's transfer mechanisms.
    Exempt = "XB029",
    /// A prerequisite of every transfer under the regime (an impact assessment) is not met.
    PrerequisiteNotMet = "XB030",
}

impl Code {
    /// The code spelled `code` (any case), if there is one.
    pub fn parse(code: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(code))
    }

    /// The position of the code in [`Code::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
