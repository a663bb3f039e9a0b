//! The rules the data obeys, and the error that names a file, a record and the rule it broke.
//!
//! A load that breaks any rule fails as a whole: nothing is skipped, nothing is half-loaded.
//! Every violation found is reported at once, so an editor fixes a file in one pass.

use std::fmt;

/// A rule of the dataset. The code is stable: tools and tests match on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// A file parses as TOML, holds only known record types and fields, and every slug is
    /// lower-case words joined by hyphens. No file in the folder goes unused.
    FileFormat,
    /// Every slug is used once across the whole dataset, per kind of record.
    UniqueSlug,
    /// A source's text file exists, is UTF-8, and matches the SHA-256 recorded for it.
    SourceIntegrity,
    /// Rule 1: every claim's quote appears verbatim in its source's text, at one
    /// unambiguous place.
    QuoteVerbatim,
    /// Rule 2: every relation, provision, penalty and fact is backed by at least one claim,
    /// and that claim is about what it backs.
    EvidenceRequired,
    /// Rule 2: every reference to another record resolves, to a record of the right kind.
    ReferencesResolve,
    /// Rule 3: dates are as precise as the text and no more, in one of the forms a
    /// `PartialDate` reads (YYYY, YYYY-MM, YYYY-MM-DD, a decade `1990s`, `early`/`mid`/`late`
    /// and a year or decade, an approximate `1995~`); a period does not end before it starts,
    /// an "as of" date is not beside an end nor before the start, and a source's publication
    /// date is a year, a month or a day.
    DatePrecision,
    /// Rule 4: a claim is dated in its text's own time: never after the text was written
    /// (its `written_until`, else its publication), and a claim whose quote speaks of time
    /// relative to the text ("current", "recent", "yet to") carries the date it means. A
    /// source's writing time ends no later than its publication and says how it was read off
    /// the text (`written_note`).
    TextTime,
    /// Rule 5: a hedged quote ("likely", "strongly suggesting", "impossible to know") is not
    /// recorded as a stated fact.
    HedgedNotStated,
    /// A quote that attributes what it says to someone ("According to…") names who asserts it.
    AttributionNamed,
    /// A coverage exclusion names a sentence that exists in its source, once.
    ExclusionMatches,
    /// A changelog entry names a record of the files (or, with `retracted = true`, one no
    /// longer in them) and gives its reason.
    ChangelogNamesRecord,
    /// A relation says how it is known: an `inferred` one writes its inference down, a
    /// `stated` one has none to write.
    RelationBasis,
    /// A causal relation (`caused_by`) is `stated` only when a quote of its
    /// evidence gives the cause ("because", "due to", "led to", "in response to"…).
    CausalMarker,
    /// An entity's description rests on claims about it, or is labelled editorial; an
    /// editorial description names no source.
    DescriptionBasis,
    /// Every number in a claim's statement (a year, a count, an amount) appears in its quote,
    /// or its note explains where it comes from ("the text says \"in January\"; written in
    /// 2020, it means January 2020").
    StatementNumbers,
    /// A statement keeps the hedge its quote carries: "have likely been lost" is not recorded
    /// as "have been lost".
    HedgeKept,
    /// A stated `addressed_to` relation names its addressee in a quote of its evidence; an
    /// addressee the text only implies is the editors' inference, marked `inferred`.
    AddresseeNamed,
    /// A fact has at least one claim that supports it (states it itself); a claim's `stance`
    /// is `supports`, `mentions` or `disputes`, and is given only with a `fact`.
    FactSupport,
}

impl Rule {
    /// The stable code of the rule, as error messages print it.
    pub fn code(&self) -> &'static str {
        match self {
            Rule::FileFormat => "file-format",
            Rule::UniqueSlug => "unique-slug",
            Rule::SourceIntegrity => "source-integrity",
            Rule::QuoteVerbatim => "quote-verbatim",
            Rule::EvidenceRequired => "evidence-required",
            Rule::ReferencesResolve => "references-resolve",
            Rule::DatePrecision => "date-precision",
            Rule::TextTime => "text-time",
            Rule::HedgedNotStated => "hedged-not-stated",
            Rule::AttributionNamed => "attribution-named",
            Rule::ExclusionMatches => "exclusion-matches",
            Rule::ChangelogNamesRecord => "changelog-names-record",
            Rule::RelationBasis => "relation-basis",
            Rule::CausalMarker => "causal-marker",
            Rule::DescriptionBasis => "description-basis",
            Rule::StatementNumbers => "statement-numbers",
            Rule::HedgeKept => "hedge-kept",
            Rule::AddresseeNamed => "addressee-named",
            Rule::FactSupport => "fact-support",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One broken rule: in which file, in which record, which rule, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Path of the file, relative to the dataset folder.
    pub file: String,
    /// The record, as `kind "slug"` (or `kind #n` when it has no slug).
    pub record: String,
    pub rule: Rule,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: [{}] {}",
            self.file, self.record, self.rule, self.message
        )
    }
}

/// Every rule a dataset broke. Loading fails with this when the list is not empty.
#[derive(Debug, Clone, thiserror::Error)]
pub struct DatasetError {
    pub origin: String,
    pub violations: Vec<Violation>,
}

impl fmt::Display for DatasetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "the dataset in {} breaks {} rule{}:",
            self.origin,
            self.violations.len(),
            if self.violations.len() == 1 { "" } else { "s" }
        )?;
        for violation in &self.violations {
            writeln!(f, "  {violation}")?;
        }
        Ok(())
    }
}
