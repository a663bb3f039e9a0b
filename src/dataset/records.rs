//! The records of the dataset files, exactly as an editor writes them.
//!
//! Any `*.toml` file under the dataset folder may hold any of these records, as arrays of
//! tables (`[[actor]]`, `[[claim]]`, …), so the data can be split however reads best: by
//! source, by kind, by topic. Unknown fields are refused rather than ignored, so a misspelt
//! field is an error and not silently lost data.

use serde::Deserialize;

use crate::domain::{
    ActorKind, Certainty, ClaimKind, DescriptionBasis, FactStance, MeasureStatus, PartialDate,
    PenaltyKind, RelationBasis, RelationType, SourceKind,
};

/// A date as an editor wrote it. It is kept as written so that a malformed date is reported
/// by the loader against its record and rule, not as a bare parse error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateField {
    pub text: String,
    pub date: Option<PartialDate>,
}

impl DateField {
    /// The date, when the field was written well.
    pub fn of(field: &Option<DateField>) -> Option<PartialDate> {
        field.as_ref().and_then(|f| f.date)
    }
}

impl<'de> Deserialize<'de> for DateField {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// A quoted string, or a TOML date literal written without quotes.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Text(String),
            Literal(toml::value::Datetime),
        }
        let text = match Written::deserialize(deserializer)? {
            Written::Text(text) => text,
            Written::Literal(literal) => literal.to_string(),
        };
        let date = text.parse().ok();
        Ok(Self { text, date })
    }
}

/// A claim's stance towards its fact, as an editor wrote it. Like [`DateField`], it is kept
/// as written so that a value outside the vocabulary is reported against its claim and the
/// `fact-support` rule, not as a bare parse error of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StanceField {
    pub text: String,
    pub stance: Option<FactStance>,
}

impl StanceField {
    /// The stance a claim takes: the one written, or `supports` when none is.
    pub fn of(field: &Option<StanceField>) -> FactStance {
        field.as_ref().and_then(|f| f.stance).unwrap_or_default()
    }
}

impl<'de> Deserialize<'de> for StanceField {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let stance = FactStance::ALL
            .iter()
            .copied()
            .find(|stance| stance.as_str() == text);
        Ok(Self { text, stance })
    }
}

/// Everything one dataset file may contain.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetFile {
    #[serde(default)]
    pub source: Vec<SourceRecord>,
    #[serde(default)]
    pub actor: Vec<ActorRecord>,
    #[serde(default)]
    pub law: Vec<LawRecord>,
    #[serde(default)]
    pub measure: Vec<MeasureRecord>,
    #[serde(default)]
    pub event: Vec<EventRecord>,
    #[serde(default)]
    pub recommendation: Vec<RecommendationRecord>,
    #[serde(default)]
    pub fact: Vec<FactRecord>,
    #[serde(default)]
    pub claim: Vec<ClaimRecord>,
    #[serde(default)]
    pub relation: Vec<RelationRecord>,
    #[serde(default)]
    pub exclusion: Vec<ExclusionRecord>,
    #[serde(default)]
    pub change: Vec<ChangeRecord>,
}

/// A source document and where its text is kept.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRecord {
    pub slug: String,
    /// Slugs the record had before its current one, oldest first: they keep resolving, and
    /// a record new to a database mints its identity from the oldest.
    #[serde(default)]
    pub former_slugs: Vec<String>,
    /// The record's identity, `"<Type>:<slug>"`, written only where it cannot be derived
    /// from the oldest slug: an entity whose kind changed keeps the identity it was minted
    /// with, and a fresh database reproduces it only from this field.
    pub id: Option<String>,
    pub title: String,
    /// Path of the text, relative to the dataset folder.
    pub file: String,
    /// SHA-256 of the text file, in hex: the text must be the one the claims were checked against.
    pub sha256: String,
    /// Actor slugs of the authors.
    pub authors: Vec<String>,
    /// Actor slug of the publisher, when the text names one.
    pub publisher: Option<String>,
    pub published: DateField,
    /// The earliest the text can have been written: the latest event it reports. Derived
    /// from the text alone, with the reasoning in `written_note`.
    pub written_from: Option<DateField>,
    /// The latest the text can have been written: before what it speaks of as still to come,
    /// and never after its publication. Derived from the text alone, with the reasoning in
    /// `written_note`.
    pub written_until: Option<DateField>,
    /// How the writing time is read off the text: which events it reports, what it speaks of
    /// as still to come. Required with `written_from` or `written_until`.
    pub written_note: Option<String>,
    pub kind: SourceKind,
    /// BCP 47 language tag of the text.
    pub language: String,
    /// Where the text is published online, when the text or a checked copy of it gives the
    /// address; never guessed.
    pub url: Option<String>,
}

impl SourceRecord {
    /// The last day the text can have been written: `written_until` when given, else its
    /// publication. Words relative to the text's time ("current", "now") mean that time.
    pub fn written_by(&self) -> Option<PartialDate> {
        DateField::of(&self.written_until).or(self.published.date)
    }
}

/// Fields every entity record has.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorRecord {
    pub slug: String,
    /// Slugs the record had before its current one, oldest first: they keep resolving, and
    /// a record new to a database mints its identity from the oldest.
    #[serde(default)]
    pub former_slugs: Vec<String>,
    /// The record's identity, `"<Type>:<slug>"`, written only where it cannot be derived
    /// from the oldest slug: an entity whose kind changed keeps the identity it was minted
    /// with, and a fresh database reproduces it only from this field.
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub description: String,
    /// What the description rests on: the entity's claims (the default), or the editors
    /// (`"editorial"`): knowledge no claim gives, labelled so and naming no source.
    #[serde(default)]
    pub description_basis: DescriptionBasis,
    pub kind: ActorKind,
}

/// A law or legal instrument.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LawRecord {
    pub slug: String,
    /// Slugs the record had before its current one, oldest first: they keep resolving, and
    /// a record new to a database mints its identity from the oldest.
    #[serde(default)]
    pub former_slugs: Vec<String>,
    /// The record's identity, `"<Type>:<slug>"`, written only where it cannot be derived
    /// from the oldest slug: an entity whose kind changed keeps the identity it was minted
    /// with, and a fresh database reproduces it only from this field.
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub description: String,
    /// What the description rests on: the entity's claims (the default), or the editors
    /// (`"editorial"`): knowledge no claim gives, labelled so and naming no source.
    #[serde(default)]
    pub description_basis: DescriptionBasis,
    /// Actor slug of the state whose law it is.
    pub jurisdiction: Option<String>,
    pub enacted: Option<DateField>,
    #[serde(default)]
    pub provision: Vec<ProvisionRecord>,
    #[serde(default)]
    pub penalty: Vec<PenaltyRecord>,
}

/// One provision of a law, backed by a claim.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvisionRecord {
    /// The article number, when the text gives one.
    pub article: Option<String>,
    /// What the provision does, in our words.
    pub summary: String,
    /// Slug of the claim that says so.
    pub evidence: String,
}

/// A penalty a law provides for, backed by a claim.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PenaltyRecord {
    pub kind: PenaltyKind,
    /// For what the penalty is imposed, in our words.
    pub applies_to: String,
    /// Slug of the claim that says so.
    pub evidence: String,
}

/// A policy action that one actor imposes and others feel.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasureRecord {
    pub slug: String,
    /// Slugs the record had before its current one, oldest first: they keep resolving, and
    /// a record new to a database mints its identity from the oldest.
    #[serde(default)]
    pub former_slugs: Vec<String>,
    /// The record's identity, `"<Type>:<slug>"`, written only where it cannot be derived
    /// from the oldest slug: an entity whose kind changed keeps the identity it was minted
    /// with, and a fresh database reproduces it only from this field.
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub description: String,
    /// What the description rests on: the entity's claims (the default), or the editors
    /// (`"editorial"`): knowledge no claim gives, labelled so and naming no source.
    #[serde(default)]
    pub description_basis: DescriptionBasis,
    pub start: Option<DateField>,
    pub end: Option<DateField>,
    /// A date the measure is known to be still in force, its end unknown ("closed again at
    /// the time of writing"); never with `end`.
    pub as_of: Option<DateField>,
    pub status: MeasureStatus,
}

/// Something that happened at a time.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRecord {
    pub slug: String,
    /// Slugs the record had before its current one, oldest first: they keep resolving, and
    /// a record new to a database mints its identity from the oldest.
    #[serde(default)]
    pub former_slugs: Vec<String>,
    /// The record's identity, `"<Type>:<slug>"`, written only where it cannot be derived
    /// from the oldest slug: an entity whose kind changed keeps the identity it was minted
    /// with, and a fresh database reproduces it only from this field.
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub description: String,
    /// What the description rests on: the entity's claims (the default), or the editors
    /// (`"editorial"`): knowledge no claim gives, labelled so and naming no source.
    #[serde(default)]
    pub description_basis: DescriptionBasis,
    pub start: Option<DateField>,
    pub end: Option<DateField>,
    /// A date the event is known to be still going on, its end unknown; never with `end`.
    pub as_of: Option<DateField>,
}

/// A policy recommendation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendationRecord {
    pub slug: String,
    /// Slugs the record had before its current one, oldest first: they keep resolving, and
    /// a record new to a database mints its identity from the oldest.
    #[serde(default)]
    pub former_slugs: Vec<String>,
    /// The record's identity, `"<Type>:<slug>"`, written only where it cannot be derived
    /// from the oldest slug: an entity whose kind changed keeps the identity it was minted
    /// with, and a fresh database reproduces it only from this field.
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub description: String,
    /// What the description rests on: the entity's claims (the default), or the editors
    /// (`"editorial"`): knowledge no claim gives, labelled so and naming no source.
    #[serde(default)]
    pub description_basis: DescriptionBasis,
    /// Slug of the source that makes the recommendation.
    pub source: String,
}

/// A fact that one or more claims, possibly from different sources, state.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactRecord {
    pub slug: String,
    /// Slugs the record had before its current one, oldest first: they keep resolving, and
    /// a record new to a database mints its identity from the oldest.
    #[serde(default)]
    pub former_slugs: Vec<String>,
    /// The record's identity, `"<Type>:<slug>"`, written only where it cannot be derived
    /// from the oldest slug: an entity whose kind changed keeps the identity it was minted
    /// with, and a fresh database reproduces it only from this field.
    pub id: Option<String>,
    /// The fact, in our words.
    pub statement: String,
}

/// An amount a claim states.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuantityRecord {
    pub value: f64,
    /// The unit, lower case and plural: `people`, `usd`, `kilometres`, `agencies`, `meetings`.
    pub unit: String,
}

/// The atomic, citable statement: a verbatim quote from a source and what it says.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRecord {
    pub slug: String,
    /// Slugs the record had before its current one, oldest first: they keep resolving, and
    /// a record new to a database mints its identity from the oldest.
    #[serde(default)]
    pub former_slugs: Vec<String>,
    /// The record's identity, `"<Type>:<slug>"`, written only where it cannot be derived
    /// from the oldest slug: an entity whose kind changed keeps the identity it was minted
    /// with, and a fresh database reproduces it only from this field.
    pub id: Option<String>,
    pub source: String,
    /// The exact words of the source.
    pub quote: String,
    /// Which occurrence of the quote is meant (1 for the first), required when it occurs more than once.
    pub occurrence: Option<usize>,
    /// What the quote says, in our words.
    pub statement: String,
    /// Slugs of the entities the claim is about.
    pub about: Vec<String>,
    /// Slugs of the actors the author attributes the claim to; empty means the source's authors.
    #[serde(default)]
    pub asserted_by: Vec<String>,
    pub certainty: Certainty,
    pub kind: ClaimKind,
    /// When the claim holds: a single date, or the start of a period.
    pub date: Option<DateField>,
    /// The end of the period the claim holds over, when it is one.
    pub until: Option<DateField>,
    pub quantity: Option<QuantityRecord>,
    /// Slug of the fact this claim bears on, linking it to other sources that bear on it too.
    pub fact: Option<String>,
    /// How the claim bears on its `fact`: `supports` (the default: it states the fact
    /// itself), `mentions` (it names or presupposes it in passing) or `disputes`.
    pub stance: Option<StanceField>,
    /// Anything a reader of the claim should know: an ambiguity, what the text leaves open.
    pub note: Option<String>,
}

/// A typed, directed edge between two entities, backed by claims.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationRecord {
    /// A key for the relation; by default `subject/type/object`.
    pub slug: Option<String>,
    /// Keys (slugs or `subject/type/object`) the relation had before its current one, oldest first: they keep resolving, and
    /// a record new to a database mints its identity from the oldest.
    #[serde(default)]
    pub former_slugs: Vec<String>,
    /// The record's identity, `"<Type>:<slug>"`, written only where it cannot be derived
    /// from the oldest key: an entity whose kind changed keeps the identity it was minted
    /// with, and a fresh database reproduces it only from this field.
    pub id: Option<String>,
    pub subject: String,
    #[serde(rename = "type")]
    pub relation_type: RelationType,
    pub object: String,
    /// How, in our words: "pushed into survival mode".
    pub description: Option<String>,
    pub start: Option<DateField>,
    pub end: Option<DateField>,
    /// Slugs of the claims that support the relation.
    pub evidence: Vec<String>,
    /// How the relation is known: a quote states it (the default), or the editors infer it.
    #[serde(default)]
    pub basis: RelationBasis,
    /// The editors' inference, in words: required when `basis = "inferred"`, refused otherwise.
    pub inference: Option<String>,
    /// Actor slug of whoever the evidence attributes the relation to ("According to Human
    /// Rights Watch…"); omitted when the source's authors assert it.
    pub asserted_by: Option<String>,
}

/// A sentence of a source that asserts nothing, left out of the coverage count.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusionRecord {
    pub source: String,
    /// The sentence, exactly as the coverage report prints it.
    pub sentence: String,
    /// Why it asserts nothing.
    pub reason: String,
}

/// A changelog entry: why a record changed. The import attaches its reason to the revision it
/// makes for that record, once.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeRecord {
    /// The record: `<kind>:<slug>`, the kind being `source`, `actor`, `law`, `measure`,
    /// `event`, `recommendation`, `entity` (any of those five), `fact`, `claim` or
    /// `relation` (with its key).
    pub record: String,
    /// Why it changed, for readers of the history and the corrections page.
    pub reason: String,
    /// Whether the change corrects an error (as opposed to adding or refining).
    #[serde(default)]
    pub correction: bool,
    /// The entry explains the record's removal: the record is no longer in the files.
    #[serde(default)]
    pub retracted: bool,
}
