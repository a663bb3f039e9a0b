//! The query root for facts: one by ID or slug, and the list, which can keep only the facts
//! several sources support.

#![expect(
    clippy::too_many_arguments,
    reason = "a Relay list field takes first, after, last and before besides its filter"
)]

use async_graphql::{Context, ID, InputObject, Object};

use super::{
    args::{lookup_key, page},
    connection::{Connection, paginate_with_retracted},
    error::ApiError,
    ids::NodeType,
    loaders::FactBySlug,
    node::{retracted_model, retracted_rows},
    types::{Fact, loaders},
};
use crate::store::queries::{self};

/// Which facts a list shows.
#[derive(Debug, Clone, Default, InputObject)]
struct FactFilter {
    /// Only facts supported by claims from at least this many different sources: 2 lists the
    /// facts the sources corroborate. A claim counts only when it supports the fact (states it
    /// itself); one that mentions it in passing or disputes it does not.
    min_sources: Option<u32>,
    /// `true`: only the facts some claim disputes (see `Fact.contested`); `false`: only those
    /// no claim disputes.
    contested: Option<bool>,
}

/// The `fact` and `facts` fields.
#[derive(Default)]
pub struct FactQuery;

#[Object]
impl FactQuery {
    /// A fact, by global ID or slug.
    async fn fact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global ID.")] id: Option<ID>,
        #[graphql(desc = "Its slug.")] slug: Option<String>,
    ) -> Result<Option<Fact>, ApiError> {
        let slug = lookup_key(ctx, id, slug, NodeType::Fact).await?;
        let found = match loaders(ctx)?.load_one(FactBySlug(slug.clone())).await? {
            Some(found) => Some(found),
            None => retracted_model(ctx, NodeType::Fact, &slug).await?,
        };
        Ok(found.map(Fact))
    }

    /// Facts that claims state, by slug; `minSources: 2` lists those that claims from more
    /// than one source support, `contested: true` those that a claim disputes.
    async fn facts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which facts to list.")] filter: Option<FactFilter>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
        #[graphql(
            desc = "Also list the retracted facts, as they last stood, each with its `retraction`. False by default; cannot be combined with `filter`.",
            default
        )]
        include_retracted: bool,
    ) -> Result<Connection<Fact>, ApiError> {
        let filter = filter.unwrap_or_default();
        let given = filter.min_sources.is_some();
        let retracted = retracted_rows(
            ctx,
            "fact",
            include_retracted,
            given,
            |_: &crate::store::entities::fact::Model| true,
        )
        .await?;
        let select = queries::facts(&queries::FactFilter {
            min_sources: filter.min_sources,
            contested: filter.contested,
        });
        paginate_with_retracted(
            ctx,
            select,
            queries::fact_ordering(false),
            page(first, after, last, before),
            retracted,
            Fact,
        )
        .await
    }
}
