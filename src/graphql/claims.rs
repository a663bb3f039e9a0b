//! The query root for claims: one by ID or slug, and the filtered, ordered list.

#![expect(
    clippy::too_many_arguments,
    reason = "a Relay list field takes first, after, last and before besides its filter and order"
)]

use async_graphql::{Context, Enum, ID, InputObject, Object};

use super::{
    args::{IsoDate, OrderDirection, filter_text, lookup_key, page, range},
    connection::{Connection, paginate_with_retracted},
    error::ApiError,
    ids::NodeType,
    loaders::ClaimBySlug,
    node::{retracted_model, retracted_rows},
    types::{Claim, loaders},
};
use crate::{
    domain::{Certainty, ClaimKind},
    store::queries::{self, ClaimSort},
};

/// Which claims a list shows.
#[derive(Debug, Clone, Default, InputObject)]
struct ClaimFilter {
    /// Only claims quoting this source (its slug).
    source: Option<String>,
    /// Only claims about this entity (its slug).
    about: Option<String>,
    /// Only claims this actor asserts (its slug): those attributed to them, and those their
    /// own sources make without attributing them to anyone else.
    asserted_by: Option<String>,
    /// Only claims asserted with these certainties.
    certainties: Option<Vec<Certainty>>,
    /// Only claims of these kinds.
    kinds: Option<Vec<ClaimKind>>,
    /// Only claims stating this fact (its slug).
    fact: Option<String>,
    /// Only claims whose quote or statement contains this text, ignoring case.
    text: Option<String>,
    /// Only claims whose dates reach this date or later.
    from: Option<IsoDate>,
    /// Only claims whose dates start on or before this date.
    to: Option<IsoDate>,
}

impl ClaimFilter {
    /// Whether any part of the filter is set.
    fn is_given(&self) -> bool {
        self.source.is_some()
            || self.about.is_some()
            || self.asserted_by.is_some()
            || self.certainties.is_some()
            || self.kinds.is_some()
            || self.fact.is_some()
            || self.text.is_some()
            || self.from.is_some()
            || self.to.is_some()
    }
}

/// What to sort claims by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Default)]
enum ClaimOrderField {
    /// By source, then by where the quote stands in the source's text.
    #[default]
    Source,
    /// By the date the claim holds from; undated claims last.
    Date,
}

/// How to sort claims.
#[derive(Debug, Clone, Copy, Default, InputObject)]
struct ClaimOrder {
    /// What to sort by.
    #[graphql(default)]
    field: ClaimOrderField,
    /// Which way.
    #[graphql(default)]
    direction: OrderDirection,
}

/// The `claim` and `claims` fields.
#[derive(Default)]
pub struct ClaimQuery;

#[Object]
impl ClaimQuery {
    /// A claim, by global ID or slug.
    async fn claim(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global ID.")] id: Option<ID>,
        #[graphql(desc = "Its slug.")] slug: Option<String>,
    ) -> Result<Option<Claim>, ApiError> {
        let slug = lookup_key(ctx, id, slug, NodeType::Claim).await?;
        let found = match loaders(ctx)?.load_one(ClaimBySlug(slug.clone())).await? {
            Some(found) => Some(found),
            None => retracted_model(ctx, NodeType::Claim, &slug).await?,
        };
        Ok(found.map(Claim::new))
    }

    /// Claims, in source order unless `orderBy` says otherwise.
    async fn claims(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which claims to list.")] filter: Option<ClaimFilter>,
        #[graphql(desc = "How to sort them.")] order_by: Option<ClaimOrder>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
        #[graphql(
            desc = "Also list the retracted claims, as they last stood, each with its `retraction`. False by default; cannot be combined with `filter`.",
            default
        )]
        include_retracted: bool,
    ) -> Result<Connection<Claim>, ApiError> {
        let filter = filter.unwrap_or_default();
        let retracted = retracted_rows(
            ctx,
            "claim",
            include_retracted,
            filter.is_given(),
            |_: &crate::store::entities::claim::Model| true,
        )
        .await?;
        let order = order_by.unwrap_or_default();
        let select = queries::claims(&queries::ClaimFilter {
            source: filter.source,
            about: filter.about,
            asserted_by: filter.asserted_by,
            certainties: filter.certainties.unwrap_or_default(),
            kinds: filter.kinds.unwrap_or_default(),
            fact: filter.fact,
            text: filter_text(filter.text, "text")?,
            dates: range(filter.from, filter.to),
        });
        let sort = match order.field {
            ClaimOrderField::Source => ClaimSort::Source,
            ClaimOrderField::Date => ClaimSort::Date,
        };
        let ordering = queries::claim_ordering(sort, order.direction == OrderDirection::Desc);
        paginate_with_retracted(
            ctx,
            select,
            ordering,
            page(first, after, last, before),
            retracted,
            Claim::new,
        )
        .await
    }
}
