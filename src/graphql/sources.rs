//! The query root for sources: one by ID or slug, and the filtered, ordered list.

#![expect(
    clippy::too_many_arguments,
    reason = "a Relay list field takes first, after, last and before besides its filter and order"
)]

use async_graphql::{Context, Enum, ID, InputObject, Object};

use super::{
    args::{IsoDate, OrderDirection, lookup_key, page, range},
    connection::{Connection, paginate_with_retracted},
    error::ApiError,
    ids::NodeType,
    loaders::SourceBySlug,
    node::{retracted_model, retracted_rows},
    types::{Source, loaders},
};
use crate::store::queries::{self, SourceSort};

/// Which sources a list shows.
#[derive(Debug, Clone, Default, InputObject)]
struct SourceFilter {
    /// Only sources by this author (an actor's slug).
    author: Option<String>,
    /// Only sources published on or after this date.
    from: Option<IsoDate>,
    /// Only sources published on or before this date.
    to: Option<IsoDate>,
}

/// What to sort sources by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Default)]
enum SourceOrderField {
    /// Publication date.
    #[default]
    Published,
    /// Title.
    Title,
}

/// How to sort sources.
#[derive(Debug, Clone, Copy, Default, InputObject)]
struct SourceOrder {
    /// What to sort by.
    #[graphql(default)]
    field: SourceOrderField,
    /// Which way.
    #[graphql(default)]
    direction: OrderDirection,
}

/// The `source` and `sources` fields.
#[derive(Default)]
pub struct SourceQuery;

#[Object]
impl SourceQuery {
    /// A source, by global ID or slug.
    async fn source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global ID.")] id: Option<ID>,
        #[graphql(desc = "Its slug.")] slug: Option<String>,
    ) -> Result<Option<Source>, ApiError> {
        let slug = lookup_key(ctx, id, slug, NodeType::Source).await?;
        Ok(
            match loaders(ctx)?.load_one(SourceBySlug(slug.clone())).await? {
                Some(found) => Some(Source::new(found)),
                None => retracted_model::<crate::store::entities::source::Model>(
                    ctx,
                    NodeType::Source,
                    &slug,
                )
                .await?
                .map(Source::from),
            },
        )
    }

    /// The sources, oldest first unless `orderBy` says otherwise.
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which sources to list.")] filter: Option<SourceFilter>,
        #[graphql(desc = "How to sort them.")] order_by: Option<SourceOrder>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
        #[graphql(
            desc = "Also list the retracted sources, as they last stood, each with its `retraction`. False by default; cannot be combined with `filter`.",
            default
        )]
        include_retracted: bool,
    ) -> Result<Connection<Source>, ApiError> {
        let filter = filter.unwrap_or_default();
        let given = filter.author.is_some() || filter.from.is_some() || filter.to.is_some();
        let retracted = retracted_rows(
            ctx,
            "source",
            include_retracted,
            given,
            |_: &crate::store::entities::source::Model| true,
        )
        .await?;
        let order = order_by.unwrap_or_default();
        let select = queries::sources(&queries::SourceFilter {
            author: filter.author,
            published: range(filter.from, filter.to),
        });
        let sort = match order.field {
            SourceOrderField::Published => SourceSort::Published,
            SourceOrderField::Title => SourceSort::Title,
        };
        let ordering = queries::source_ordering(sort, order.direction == OrderDirection::Desc);
        paginate_with_retracted(
            ctx,
            select,
            ordering,
            page(first, after, last, before),
            retracted,
            Source::from,
        )
        .await
    }
}
