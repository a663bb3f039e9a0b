//! The fixed vocabularies of the dataset: kinds of entities and actors, types of relations,
//! how certain a claim is, and what sort of statement it makes.
//!
//! Each vocabulary is written once, here, and used by all three layers: the dataset files
//! spell a value in `snake_case` (`government_body`), the database stores that same string,
//! and GraphQL shows it as an enum value (`GOVERNMENT_BODY`) whose description is the doc
//! comment below. Adding a value means adding one line here.

use sea_orm::entity::prelude::*;

/// Defines a vocabulary enum with the same spelling in the files, the database and GraphQL.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[doc = $doc:literal])+ $variant:ident = $value:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Deserialize, serde::Serialize,
            async_graphql::Enum, EnumIter, DeriveActiveEnum,
        )]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        pub enum $name {
            $(
                $(#[doc = $doc])+
                #[serde(rename = $value)]
                #[sea_orm(string_value = $value)]
                $variant,
            )+
        }

        impl $name {
            /// The value as the dataset files and the database spell it.
            pub fn as_str(&self) -> &'static str {
                match self { $( Self::$variant => $value, )+ }
            }

            /// Every value, in the order of declaration.
            pub const ALL: &'static [Self] = &[ $( Self::$variant, )+ ];
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// The kind of an entity: who acts, the laws and measures they make, what happens, and
    /// what is recommended.
    pub enum EntityKind {
        /// Someone who acts or is acted upon: a state, a body, an organization, a person, a group.
        Actor = "actor",
        /// A law or other legal instrument.
        Law = "law",
        /// A policy action one actor imposes and others feel: a border closure, a grant freeze.
        Measure = "measure",
        /// Something that happened at a time: a summit, a publication, an admission, a heist.
        Event = "event",
        /// A policy recommendation made by an author to one or more addressees.
        Recommendation = "recommendation",
    }
}

vocabulary! {
    /// What sort of actor an actor is.
    pub enum ActorKind {
        /// A sovereign state, such as North Korea (the DPRK) or the United States.
        State = "state",
        /// The government or ruling regime of a state, such as the Kim regime.
        Government = "government",
        /// A ministry, department, bureau, agency or office of a government.
        GovernmentBody = "government_body",
        /// A legislature, such as the U.S. Congress.
        Legislature = "legislature",
        /// An organization whose members are states, outside the UN system.
        IntergovernmentalOrganization = "intergovernmental_organization",
        /// The United Nations, or one of its bodies, agencies, offices or mandates.
        UnBody = "un_body",
        /// A non-governmental organization, such as a human rights group.
        Ngo = "ngo",
        /// A news organization or broadcaster.
        Media = "media",
        /// A university, one of its faculties, or a research institute attached to one.
        AcademicInstitution = "academic_institution",
        /// A working group, think tank or policy institute.
        ThinkTank = "think_tank",
        /// A named individual.
        Person = "person",
        /// Armed forces, soldiers, police or security forces.
        ArmedForces = "armed_forces",
        /// A group of people the texts speak of together, such as defectors or aid workers.
        Population = "population",
        /// An office or post, such as a special envoy, whoever holds it.
        Office = "office",
    }
}

vocabulary! {
    /// The type of a directed relation between two entities. Read a relation as
    /// "subject TYPE object": "the grant freeze AFFECTS the Citizens' Alliance".
    pub enum RelationType {
        /// The subject (a measure, law or event) affected the object.
        Affects = "affects",
        /// The subject (a measure) was imposed by the object.
        ImposedBy = "imposed_by",
        /// The subject (a law) was enacted by the object.
        EnactedBy = "enacted_by",
        /// The subject funds the object.
        Funds = "funds",
        /// The subject is part of the object.
        PartOf = "part_of",
        /// The subject is a member of the object.
        MemberOf = "member_of",
        /// The subject was established by the object.
        EstablishedBy = "established_by",
        /// The subject is convened by the object.
        ConvenedBy = "convened_by",
        /// The subject leads or rules the object.
        Leads = "leads",
        /// The subject succeeded the object in a position.
        Succeeded = "succeeded",
        /// The subject (a recommendation) is addressed to the object.
        AddressedTo = "addressed_to",
        /// The subject (a recommendation, report or statement) was authored by the object.
        AuthoredBy = "authored_by",
        /// The subject is affiliated with, or works at, the object.
        AffiliatedWith = "affiliated_with",
        /// The subject met the object.
        MetWith = "met_with",
        /// The subject negotiated with the object.
        NegotiatedWith = "negotiated_with",
        /// The subject sent troops or soldiers to the object.
        SentTroopsTo = "sent_troops_to",
        /// The subject fought, or supported fighting, against the object.
        FoughtAgainst = "fought_against",
        /// The subject worked together with the object.
        WorkedWith = "worked_with",
        /// The subject contributed to producing the object (a report, an outcome).
        ContributedTo = "contributed_to",
        /// The subject issued the object (a statement, a report, an order).
        Issued = "issued",
        /// The subject (a report, resolution or body) condemned or found against the object.
        Condemns = "condemns",
        /// The subject is an ally of the object.
        AlliedWith = "allied_with",
        /// The subject was caused by, or was a response to, the object.
        CausedBy = "caused_by",
        /// The subject targets or restricts the object.
        Targets = "targets",
        /// The subject (a recommendation) concerns the object without being addressed to it:
        /// someone it would engage or influence, a post it would fill, a policy it would replace.
        Concerns = "concerns",
        /// The subject supports or provides aid to the object.
        Supports = "supports",
        /// The subject refuses to cooperate with, or ignores, the object.
        RefusesToCooperateWith = "refuses_to_cooperate_with",
        /// The subject is located in the object.
        LocatedIn = "located_in",
        /// The subject (an actor) carried out the object (an act or activity): a weapons test,
        /// the laundering of stolen money.
        CarriedOut = "carried_out",
        /// The subject keeps channels of communication open with the object.
        CommunicatesWith = "communicates_with",
        /// The subject (a person) holds the object (an office, post or UN mandate).
        Holds = "holds",
    }
}

vocabulary! {
    /// How firmly a claim is asserted by whoever asserts it.
    pub enum Certainty {
        /// Asserted as a fact, without hedging.
        Stated = "stated",
        /// Relayed from someone else ("According to Human Rights Watch…"); see `assertedBy`.
        Reported = "reported",
        /// Drawn as a conclusion from other facts ("strongly suggesting that…").
        Inferred = "inferred",
        /// Asserted as probable ("have likely been lost", "appears to be waiting").
        Likely = "likely",
        /// Asserted as a possibility ("could open entry points").
        Possible = "possible",
        /// The text says it cannot be known ("impossible to know how widespread").
        Unknown = "unknown",
    }
}

vocabulary! {
    /// What sort of statement a claim makes.
    pub enum ClaimKind {
        /// A statement of what is, was or happened.
        Fact = "fact",
        /// The author's judgment or argument about the facts ("a new low").
        Assessment = "assessment",
        /// What the author says should be done.
        Recommendation = "recommendation",
        /// What the author expects to happen.
        Prediction = "prediction",
    }
}

vocabulary! {
    /// What sort of document a source is.
    pub enum SourceKind {
        /// A signed opinion or analysis piece.
        Commentary = "commentary",
        /// A report by an organization.
        Report = "report",
        /// A statement issued by an organization or group.
        Statement = "statement",
        /// A news article.
        Article = "article",
    }
}

vocabulary! {
    /// Whether a measure is still in force, as of its source's publication.
    pub enum MeasureStatus {
        /// In force when the source was written.
        InEffect = "in_effect",
        /// Lifted or ended.
        Ended = "ended",
        /// Lifted for a while, then imposed again.
        Reimposed = "reimposed",
        /// The sources do not say.
        Unknown = "unknown",
    }
}

vocabulary! {
    /// A penalty a law provides for.
    pub enum PenaltyKind {
        /// The death penalty.
        Death = "death",
        /// Imprisonment or detention.
        Imprisonment = "imprisonment",
        /// Forced or reform labour.
        Labour = "labour",
        /// A fine.
        Fine = "fine",
    }
}

vocabulary! {
    /// How a relation is known: whether a quote says it, or the editors read it out of the
    /// text. An inferred relation carries its `inference`, in words.
    pub enum RelationBasis {
        /// A quote of its evidence says it.
        Stated = "stated",
        /// No quote says it: the editors infer it from the evidence, and `inference` says how.
        Inferred = "inferred",
    }
}

impl Default for RelationBasis {
    /// A relation is stated unless its record says otherwise.
    fn default() -> Self {
        Self::Stated
    }
}

vocabulary! {
    /// What an entity's description rests on.
    pub enum DescriptionBasis {
        /// It says no more than the claims about the entity say.
        Claims = "claims",
        /// The editors wrote it: it gives context no claim gives, and names no source.
        Editorial = "editorial",
    }
}

impl Default for DescriptionBasis {
    /// A description rests on claims unless its record labels it editorial.
    fn default() -> Self {
        Self::Claims
    }
}

vocabulary! {
    /// How a claim bears on the fact it is linked to. Only a claim that supports a fact makes
    /// its source corroborate it: a passing mention does not, and a dispute makes the fact
    /// contested.
    pub enum FactStance {
        /// The claim states the fact itself.
        Supports = "supports",
        /// The claim names or presupposes the fact in passing ("the Kim Jong-un regime")
        /// without stating it.
        Mentions = "mentions",
        /// The claim says the fact is not so.
        Disputes = "disputes",
    }
}

impl Default for FactStance {
    /// A claim linked to a fact supports it unless its record says otherwise.
    fn default() -> Self {
        Self::Supports
    }
}

impl RelationType {
    /// Whether the type says that the subject was caused by, or was a response to, the
    /// object: such a relation is stated only when a quote gives the cause. `affects` is
    /// not causal in this sense: it says that the subject bears on the object ("the freeze
    /// affects the organizations whose grants it froze"), which a quote can state without
    /// a causal word.
    pub fn is_causal(&self) -> bool {
        matches!(self, Self::CausedBy)
    }
}
