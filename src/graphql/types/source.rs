//! Sources: the documents every claim quotes.

use async_graphql::{Context, ID, Object};

use super::{Actor, Citation, DateValue, Recommendation, loaders, support};
use crate::{
    domain::SourceKind,
    graphql::{
        args::first_of,
        error::ApiError,
        ids,
        loaders::{AuthorEntitiesOf, PublisherEntitiesOf, RecommendationsOf, SourceTextOf},
    },
    store::{entities::source, queries::SourceHead},
};

/// A source document, with its full text. Every claim quotes one; list a source's claims
/// with `claims(filter: {source: "<slug>"})`.
///
/// Most reads know the source without its text (a [`SourceHead`]): the text is kilobytes
/// where the rest is a line, so it is read, through [`SourceTextOf`], only when `text` or
/// `length` is asked for.
#[derive(Debug, Clone)]
pub struct Source(pub SourceHead, Option<String>);

impl Source {
    /// A source known without its text.
    pub fn new(head: SourceHead) -> Self {
        Self(head, None)
    }

    /// The source's text, read now unless it was read with the source.
    async fn full_text(&self, ctx: &Context<'_>) -> Result<String, ApiError> {
        if let Some(text) = &self.1 {
            return Ok(text.clone());
        }
        loaders(ctx)?
            .load_one(SourceTextOf(self.0.slug.clone()))
            .await?
            .ok_or_else(|| ApiError::Internal(format!("source {} has no text", self.0.slug)))
    }
}

impl From<source::Model> for Source {
    fn from(source: source::Model) -> Self {
        Self(SourceHead::from(&source), Some(source.text))
    }
}

/// A source document, with its full text. Every claim quotes one; list a source's claims
/// with `claims(filter: {source: "<slug>"})`.
#[Object]
impl Source {
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

    /// The title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What sort of document it is.
    async fn source_kind(&self) -> SourceKind {
        self.0.kind
    }

    /// What sort of document it is.
    #[graphql(
        deprecation = "Use `sourceKind`: `kind` is an `EntityKind` on entities, so the two \
                             cannot be selected together in a union. Removed after 2027-06-02."
    )]
    async fn kind(&self) -> SourceKind {
        self.0.kind
    }

    /// The language of the text, as a BCP 47 tag (`en`).
    async fn language(&self) -> &str {
        &self.0.language
    }

    /// When it was published.
    async fn published(&self) -> Result<DateValue, ApiError> {
        DateValue::parse(Some(&self.0.published))
            .ok_or_else(|| ApiError::Internal(format!("source {} has no valid date", self.0.slug)))
    }

    /// The earliest the text can have been written: the latest event it reports. Null when
    /// the text does not show it. Read off the text alone; `writtenNote` says how.
    async fn written_from(&self) -> Option<DateValue> {
        DateValue::parse(self.0.written_from.as_deref())
    }

    /// The latest the text can have been written: before what it speaks of as still to come,
    /// and no later than its publication. Its "current", "now" and "recent" mean the time up
    /// to here, and no claim of it is dated after it. Null when the text does not show it
    /// (then the publication date bounds it).
    async fn written_until(&self) -> Option<DateValue> {
        DateValue::parse(self.0.written_until.as_deref())
    }

    /// How the writing time is read off the text: the latest event it reports, what it
    /// speaks of as still to come. The editors' reasoning, not the source's words.
    async fn written_note(&self) -> Option<&str> {
        self.0.written_note.as_deref()
    }

    /// Where it was published online, when a checked copy gives the address; null when it
    /// is not known (never guessed).
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    /// Who wrote it.
    async fn authors(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10, desc = "How many (at most 100; 10 by default).")] first: i32,
    ) -> Result<Vec<Actor>, ApiError> {
        let authors = loaders(ctx)?
            .load_one(AuthorEntitiesOf(self.0.slug.clone()))
            .await?
            .unwrap_or_default();
        Ok(first_of(authors, first, "authors")?
            .into_iter()
            .map(Actor)
            .collect())
    }

    /// Who published it, when the text names a publisher; null when it does not (a body
    /// that convenes the authors is not, by that, the publisher).
    async fn publisher(&self, ctx: &Context<'_>) -> Result<Option<Actor>, ApiError> {
        let publishers = loaders(ctx)?
            .load_one(PublisherEntitiesOf(self.0.slug.clone()))
            .await?
            .unwrap_or_default();
        Ok(publishers.into_iter().next().map(Actor))
    }

    /// The SHA-256 of the text, in hex: the text every quote was checked against.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }

    /// The full text, exactly as kept. Claims' `quoteSpan` offsets are into it, in Unicode
    /// characters. Beyond its point in the query's cost, it costs one point per 100 bytes,
    /// charged as it is sent.
    async fn text(&self, ctx: &Context<'_>) -> Result<String, ApiError> {
        let text = self.full_text(ctx).await?;
        crate::graphql::rate_limit::spend(ctx, text_points(&text));
        Ok(text)
    }

    /// The length of the text in Unicode characters.
    async fn length(&self, ctx: &Context<'_>) -> Result<usize, ApiError> {
        Ok(self.full_text(ctx).await?.chars().count())
    }

    /// How to cite the source, as a line of text and as CSL-JSON, with its permalink.
    async fn citation(&self, ctx: &Context<'_>) -> Result<Citation, ApiError> {
        support::cite(ctx, &self.0, None).await
    }

    /// The URL a reader follows back to this source.
    async fn permalink(&self, ctx: &Context<'_>) -> Result<String, ApiError> {
        Ok(support::public_url(ctx)?.source(&self.0.slug))
    }

    /// The recommendations this source makes.
    async fn recommendations(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, desc = "How many (at most 100; 50 by default).")] first: i32,
    ) -> Result<Vec<Recommendation>, ApiError> {
        let rows = loaders(ctx)?
            .load_one(RecommendationsOf(self.0.slug.clone()))
            .await?
            .unwrap_or_default();
        first_of(
            rows.into_iter().map(Recommendation).collect(),
            first,
            "recommendations",
        )
    }
}

/// What a source's text costs beyond its field's point: one point per
/// [`TEXT_POINT_BYTES`] bytes, charged as it is sent.
pub fn text_points(text: &str) -> u64 {
    (text.len() as u64).div_ceil(TEXT_POINT_BYTES)
}

/// How many bytes of a source's text cost one point.
pub const TEXT_POINT_BYTES: u64 = 100;
