//! Facts: what several claims, possibly from different sources, state alike.

use std::collections::BTreeSet;

use async_graphql::{Context, ID, Object};

use super::{Claim, Source, SourceSupport, loaders, support};
use crate::{
    graphql::{
        args::first_of,
        error::ApiError,
        ids,
        loaders::{ClaimsOfFact, SourceBySlug},
    },
    store::entities::fact,
};

/// A fact that one or more claims state. When claims from different sources state it, the
/// sources corroborate each other; each claim carries its own source's quote.
#[derive(Debug, Clone)]
pub struct Fact(pub fact::Model);

impl Fact {
    async fn source_slugs(&self, ctx: &Context<'_>) -> Result<BTreeSet<String>, ApiError> {
        let claims = loaders(ctx)?
            .load_one(ClaimsOfFact(self.0.slug.clone()))
            .await?
            .unwrap_or_default();
        Ok(claims.into_iter().map(|claim| claim.source_slug).collect())
    }
}

/// A fact that one or more claims state. When claims from different sources state it, the
/// sources corroborate each other; each claim carries its own source's quote.
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

    /// The claims that state it, each with its source's quote.
    async fn claims(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
    ) -> Result<Vec<Claim>, ApiError> {
        let claims = loaders(ctx)?
            .load_one(ClaimsOfFact(self.0.slug.clone()))
            .await?
            .unwrap_or_default();
        first_of(
            claims.into_iter().map(Claim::new).collect(),
            first,
            "claims",
        )
    }

    /// The distinct sources whose claims state it.
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

    /// How many distinct sources state it.
    async fn source_count(&self, ctx: &Context<'_>) -> Result<usize, ApiError> {
        Ok(self.source_slugs(ctx).await?.len())
    }

    /// The distinct sources that state the fact, each with its own quotes.
    async fn support(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many (at most 100; 20 by default).")] first: i32,
    ) -> Result<Vec<SourceSupport>, ApiError> {
        let claims = loaders(ctx)?
            .load_one(ClaimsOfFact(self.0.slug.clone()))
            .await?
            .unwrap_or_default();
        first_of(support::by_source(claims), first, "support")
    }
}
