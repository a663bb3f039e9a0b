//! Claims: the citable statements, each with its verbatim quote.

use async_graphql::{Context, ID, Object, SimpleObject};

use super::{Actor, Citation, DateValue, Entity, Fact, Source, loaders, support};
use crate::{
    domain::{Certainty, ClaimKind, FactStance},
    graphql::{
        args::first_of,
        error::ApiError,
        ids,
        loaders::{AssertersOf, AuthorsOf, EntityBySlug, FactBySlug, SourceBySlug, SubjectsOf},
    },
    store::{entities::claim, queries::SourceHead},
};

/// A citable statement: a verbatim quote from a source, located in its text, and what it
/// says in plain words — who or what it is about, who asserts it, how firmly, and when it
/// holds.
///
/// A claim read as evidence comes with its source (a [`SourceHead`]), read in the same
/// statement, so `source` needs none of its own.
#[derive(Debug, Clone)]
pub struct Claim(pub claim::Model, Option<Box<SourceHead>>);

impl Claim {
    /// A claim whose source is loaded when asked for.
    pub fn new(row: claim::Model) -> Self {
        Self(row, None)
    }

    /// A claim read with its source.
    pub fn with_source(row: claim::Model, source: SourceHead) -> Self {
        Self(row, Some(Box::new(source)))
    }

    /// The claim's source, as read with it or loaded now.
    async fn source_head(&self, ctx: &Context<'_>) -> Result<SourceHead, ApiError> {
        if let Some(source) = &self.1 {
            return Ok(SourceHead::clone(source));
        }
        loaders(ctx)?
            .load_one(SourceBySlug(self.0.source_slug.clone()))
            .await?
            .ok_or_else(|| ApiError::Internal(format!("claim {} has no source", self.0.slug)))
    }
}

/// An amount a claim states.
#[derive(Debug, Clone, SimpleObject)]
pub struct Quantity {
    /// The number: 63, 1500000000, 2.
    value: f64,
    /// The unit, lower case and plural: `people`, `usd`, `kilometres`, `agencies`, `meetings`.
    unit: String,
}

/// Where a quote lies in its source's text, in Unicode characters (code points) from 0: the
/// text's characters `start` up to but not including `end`.
#[derive(Debug, Clone, SimpleObject)]
pub struct QuoteSpan {
    /// The offset of the quote's first character.
    start: i32,
    /// The offset just past the quote's last character.
    end: i32,
}

impl QuoteSpan {
    /// The span of the characters `start` up to but not including `end`.
    pub(crate) fn new(start: usize, end: usize) -> Self {
        let offset = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        Self {
            start: offset(start),
            end: offset(end),
        }
    }
}

/// A citable statement: a verbatim quote from a source, located in its text, and what it
/// says in plain words — who or what it is about, who asserts it, how firmly, and when it
/// holds.
#[Object]
impl Claim {
    /// The global ID: opaque, and the same across reloads and databases.
    pub async fn id(&self) -> Result<ID, ApiError> {
        Ok(ids::of(&self.0.id))
    }

    /// The number of the record's latest revision: 1 when it was first imported, raised by
    /// each change.
    async fn revision(&self, ctx: &Context<'_>) -> Result<i32, ApiError> {
        crate::graphql::history::revision_number(ctx, &self.0.id).await
    }

    /// The record's history: every change to it, oldest first, with when, who, why and
    /// what changed.
    async fn revisions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many revisions (at most 100; 20 by default).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the last page read.")] after: Option<String>,
    ) -> Result<crate::graphql::connection::Connection<crate::graphql::history::Revision>, ApiError>
    {
        crate::graphql::history::revisions(ctx, &self.0.id, first, after).await
    }

    /// The slugs the record had before its current one; each still finds it in a `slug:`
    /// lookup.
    async fn former_slugs(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
    ) -> Result<Vec<String>, ApiError> {
        crate::graphql::history::former_slugs(ctx, &self.0.id, first).await
    }

    /// When and why the record was retracted from the dataset; null while it is in it.
    async fn retraction(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::history::Retraction>, ApiError> {
        crate::graphql::history::retraction(ctx, &self.0.id).await
    }

    /// The stable, human-readable identifier, as used in the dataset files.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The source the quote comes from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Source, ApiError> {
        Ok(Source::new(self.source_head(ctx).await?))
    }

    /// The source's exact words — spelling, typos, curly quotes and dashes included.
    async fn quote(&self) -> &str {
        &self.0.quote
    }

    /// Where the quote lies in the source's text, in Unicode characters (code points).
    async fn quote_span(&self) -> QuoteSpan {
        QuoteSpan {
            start: self.0.start_offset,
            end: self.0.end_offset,
        }
    }

    /// Where the quote starts in the source's text, counted in Unicode characters (code
    /// points) from 0.
    #[graphql(
        deprecation = "Use `quoteSpan { start }`: `start` is a date on events and measures, \
                             so the two cannot be selected together in a union. Removed after 2027-06-02."
    )]
    async fn start(&self) -> i32 {
        self.0.start_offset
    }

    /// Where the quote ends in the source's text: the offset just past its last character.
    #[graphql(
        deprecation = "Use `quoteSpan { end }`: `end` is a date on events and measures, \
                             so the two cannot be selected together in a union. Removed after 2027-06-02."
    )]
    async fn end(&self) -> i32 {
        self.0.end_offset
    }

    /// What the quote says, in plain words. It may correct a typo; the quote never does.
    async fn statement(&self) -> &str {
        &self.0.statement
    }

    /// The entities the claim is about.
    async fn about(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
    ) -> Result<Vec<Entity>, ApiError> {
        let slugs = loaders(ctx)?
            .load_one(SubjectsOf(self.0.slug.clone()))
            .await?
            .unwrap_or_default();
        Entity::load_many(ctx, &first_of(slugs, first, "about")?).await
    }

    /// Who asserts the claim: the actors the author attributes it to ("According to Human
    /// Rights Watch…"), or else the source's authors.
    async fn asserted_by(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10, desc = "How many (at most 100; 10 by default).")] first: i32,
    ) -> Result<Vec<Actor>, ApiError> {
        let loaders = loaders(ctx)?;
        let mut slugs = loaders
            .load_one(AssertersOf(self.0.slug.clone()))
            .await?
            .unwrap_or_default();
        if slugs.is_empty() {
            slugs = loaders
                .load_one(AuthorsOf(self.0.source_slug.clone()))
                .await?
                .unwrap_or_default();
        }
        let slugs = first_of(slugs, first, "assertedBy")?;
        let found = loaders
            .load_many(slugs.iter().cloned().map(EntityBySlug))
            .await?;
        Ok(slugs
            .into_iter()
            .filter_map(|slug| found.get(&EntityBySlug(slug)).cloned())
            .map(Actor)
            .collect())
    }

    /// Whether the author attributes the claim to someone else rather than asserting it.
    async fn attributed(&self, ctx: &Context<'_>) -> Result<bool, ApiError> {
        let asserters = loaders(ctx)?
            .load_one(AssertersOf(self.0.slug.clone()))
            .await?;
        Ok(asserters.is_some_and(|slugs| !slugs.is_empty()))
    }

    /// How firmly it is asserted: stated as fact, reported, inferred, likely, possible, or
    /// unknowable.
    async fn certainty(&self) -> Certainty {
        self.0.certainty
    }

    /// What sort of statement it is: a fact, an assessment, a recommendation, a prediction.
    async fn claim_kind(&self) -> ClaimKind {
        self.0.kind
    }

    /// What sort of statement it is: a fact, an assessment, a recommendation, a prediction.
    #[graphql(
        deprecation = "Use `claimKind`: `kind` is an `EntityKind` on entities, so the two \
                             cannot be selected together in a union. Removed after 2027-06-02."
    )]
    async fn kind(&self) -> ClaimKind {
        self.0.kind
    }

    /// When the claim holds — or when the period it holds over starts — in its source's own
    /// time: a 2021 text's "current administration" is dated 2017, not today.
    async fn date(&self) -> Option<DateValue> {
        DateValue::parse(self.0.holds_from.as_deref())
    }

    /// When the period the claim holds over ends, when it is a period.
    async fn until(&self) -> Option<DateValue> {
        DateValue::parse(self.0.holds_until.as_deref())
    }

    /// The amount the claim states, if it states one.
    async fn quantity(&self) -> Option<Quantity> {
        match (self.0.quantity_value, &self.0.quantity_unit) {
            (Some(value), Some(unit)) => Some(Quantity {
                value,
                unit: unit.clone(),
            }),
            _ => None,
        }
    }

    /// The fact the claim bears on, shared with claims from other sources that bear on it
    /// too; `stance` says how.
    async fn fact(&self, ctx: &Context<'_>) -> Result<Option<Fact>, ApiError> {
        let Some(slug) = &self.0.fact_slug else {
            return Ok(None);
        };
        Ok(loaders(ctx)?
            .load_one(FactBySlug(slug.clone()))
            .await?
            .map(Fact))
    }

    /// How the claim bears on its `fact`: it supports it (states the fact itself), mentions
    /// it in passing, or disputes it. Only support makes the claim's source corroborate the
    /// fact. Null when the claim has no fact.
    async fn stance(&self) -> Option<FactStance> {
        self.0.fact_slug.as_ref().map(|_| self.0.stance)
    }

    /// What a reader should know: an ambiguity in the text, what it leaves open. A note is
    /// always the editors' text, never the source's: cite the quote, not the note.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// How to cite the claim: the quote and its source as a line of text and as CSL-JSON,
    /// with the permalink.
    async fn citation(&self, ctx: &Context<'_>) -> Result<Citation, ApiError> {
        let source = self.source_head(ctx).await?;
        support::cite(ctx, &source, Some(&self.0)).await
    }

    /// The URL a reader follows back to this claim: a page with the quote, its source and
    /// its citation.
    async fn permalink(&self, ctx: &Context<'_>) -> Result<String, ApiError> {
        Ok(support::public_url(ctx)?.claim(&self.0.slug))
    }
}
