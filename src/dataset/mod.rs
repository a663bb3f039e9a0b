//! The dataset: human-editable TOML files and the source texts they quote, checked against
//! the rules the data obeys.
//!
//! [`load`] turns a [`DatasetFiles`] into a [`Dataset`] or refuses it with a [`DatasetError`]
//! that names the file, the record and the rule for every problem found. A `Dataset` is
//! therefore always valid: every quote was found in its source and located, every reference
//! resolves, every relation has evidence. Syncing it into a database is the job of
//! [`crate::store::sync`]; measuring how much of the sources it covers is [`coverage`]'s.

pub mod coverage;
mod files;
pub mod locate;
mod markers;
pub mod records;
mod rules;
mod validate;

pub use files::DatasetFiles;
pub use records::*;
pub use rules::{DatasetError, Rule, Violation};
pub use validate::{load, namespace_of};

/// A source document with its text.
#[derive(Debug, Clone)]
pub struct Source {
    pub record: SourceRecord,
    pub text: String,
}

/// A claim whose quote has been found in its source.
#[derive(Debug, Clone)]
pub struct Claim {
    pub record: ClaimRecord,
    /// Offset of the quote's first character in the source text, counted in Unicode scalar values.
    pub start: usize,
    /// Offset just past the quote's last character, counted in Unicode scalar values.
    pub end: usize,
}

/// A relation with its key.
#[derive(Debug, Clone)]
pub struct Relation {
    /// The stable key: the record's slug, or `subject/type/object`.
    pub key: String,
    pub record: RelationRecord,
}

/// A checked dataset: everything the files hold, with every rule obeyed.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// A digest of every file, so that two loads of the same files have the same version.
    pub version: String,
    pub sources: Vec<Source>,
    pub actors: Vec<ActorRecord>,
    pub laws: Vec<LawRecord>,
    pub measures: Vec<MeasureRecord>,
    pub events: Vec<EventRecord>,
    pub recommendations: Vec<RecommendationRecord>,
    pub facts: Vec<FactRecord>,
    /// Claims in source order: by source, then by where the quote starts.
    pub claims: Vec<Claim>,
    pub relations: Vec<Relation>,
    pub exclusions: Vec<ExclusionRecord>,
    /// The changelog's entries, in file order.
    pub changelog: Vec<ChangelogEntry>,
}

/// A changelog entry whose record reference has been checked.
#[derive(Debug, Clone)]
pub struct ChangelogEntry {
    /// The file that holds it, and its position there (1 for the first), for messages.
    pub file: String,
    pub position: usize,
    /// The slug namespace of the record: `source`, `entity`, `fact`, `claim` or `relation`.
    pub namespace: &'static str,
    /// The record's slug as the entry names it, current or former; a relation's key as it is
    /// now, when the entry wrote it with an end's former slug.
    pub slug: String,
    pub record: ChangeRecord,
    /// A digest of the entry's content, so that the import attaches it once and only once.
    pub digest: String,
}

impl Dataset {
    /// How many records of each kind the dataset holds, for messages.
    pub fn summary(&self) -> String {
        format!(
            "{} sources, {} actors, {} laws, {} measures, {} events, {} recommendations, {} facts, {} claims, {} relations",
            self.sources.len(),
            self.actors.len(),
            self.laws.len(),
            self.measures.len(),
            self.events.len(),
            self.recommendations.len(),
            self.facts.len(),
            self.claims.len(),
            self.relations.len()
        )
    }
}
