//! Facts: what several claims, possibly from different sources, state alike.

use std::collections::BTreeSet;

use async_graphql::{Context, ID, Object};

use super::{Claim, Source, SourceSupport, loaders, support};
use crate::{
    domain::FactStance,
    graphql::{
        args::first_of,
        error::ApiError,
        ids,
        loaders::{ClaimsOfFact, SourceBySlug},
    },
    store::entities::{claim, fact},
};

/// A fact that one or more claims state. When claims from different sources state it, the
/// sources corroborate each other; each claim carries its own source's quote.
#[derive(Debug, Clone)]
pub struct Fact(pub fact::Model);

impl Fact {
    /// The claims linked to the fact, in source order, those with `stance` only when given.
    async fn linked_claims(
        &self,
        ctx: &Context<'_>,
        stance: Option<FactStance>,
    ) -> Result<Vec<claim::Model>, ApiError> {
        let claims = loaders(ctx)?
            .load_one(ClaimsOfFact(self.0.slug.clone()))
            .await?
            .unwrap_or_default();
        Ok(claims
            .into_iter()
            .filter(|claim| stance.is_none_or(|stance| claim.stance == stance))
            .collect())
    }

    /// The distinct sources whose claims support the fact.
    async fn source_slugs(&self, ctx: &Context<'_>) -> Result<BTreeSet<String>, ApiError> {
        let claims = self.linked_claims(ctx, Some(FactStance::Supports)).await?;
        Ok(claims.into_iter().map(|claim| claim.source_slug).collect())
    }
}

/// A fact that one or more claims state. When claims from different sources support it, the
/// sources corroborate each other; each claim carries its own source's quote and its
/// `stance`: a claim may also mention the fact in passing, or dispute it.
#[Object]
impl Fact {
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

    /// The fact, in plain words.
    async fn statement(&self) -> &str {
        &self.0.statement
    }

    /// The claims linked to the fact, each with its source's quote and its `stance`: all of
    /// them, or with `stance` only those that support, mention or dispute it.
    async fn claims(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
        #[graphql(
            desc = "Only the claims that take this stance: `SUPPORTS`, `MENTIONS` or `DISPUTES`."
        )]
        stance: Option<FactStance>,
    ) -> Result<Vec<Claim>, ApiError> {
        let claims = self.linked_claims(ctx, stance).await?;
        first_of(
            claims.into_iter().map(Claim::new).collect(),
            first,
            "claims",
        )
    }

    /// Whether the fact is contested: some claim disputes it, while others support it.
    async fn contested(&self, ctx: &Context<'_>) -> Result<bool, ApiError> {
        Ok(!self
            .linked_claims(ctx, Some(FactStance::Disputes))
            .await?
            .is_empty())
    }

    /// The distinct sources whose claims support it (state it themselves), in slug order. A
    /// source whose claims only mention or dispute the fact is not among them.
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
    ) -> Result<Vec<Source>, ApiError> {
        let slugs = first_of(
            self.source_slugs(ctx).await?.into_iter().collect(),
            first,
            "sources",
        )?;
        let found = loaders(ctx)?
            .load_many(slugs.iter().cloned().map(SourceBySlug))
            .await?;
        Ok(slugs
            .into_iter()
            .filter_map(|slug| found.get(&SourceBySlug(slug)).cloned())
            .map(Source::new)
            .collect())
    }

    /// How many distinct sources support it: what `facts(filter: {minSources:})` counts.
    async fn source_count(&self, ctx: &Context<'_>) -> Result<usize, ApiError> {
        Ok(self.source_slugs(ctx).await?.len())
    }

    /// The distinct sources that support the fact, each with its own quotes and the claims
    /// that support it.
    async fn support(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
    ) -> Result<Vec<SourceSupport>, ApiError> {
        let claims = self.linked_claims(ctx, Some(FactStance::Supports)).await?;
        first_of(support::by_source(claims), first, "support")
    }

    /// The distinct sources that dispute the fact, each with its own quotes and the claims
    /// that dispute it; empty unless the fact is `contested`.
    async fn disputes(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
    ) -> Result<Vec<SourceSupport>, ApiError> {
        let claims = self.linked_claims(ctx, Some(FactStance::Disputes)).await?;
        first_of(support::by_source(claims), first, "disputes")
    }
}
