//! The query root for relations: one by ID or key, and the filtered list.

#![expect(
    clippy::too_many_arguments,
    reason = "a Relay list field takes first, after, last and before besides its filter and order"
)]

use async_graphql::{Context, ID, InputObject, Object};

use super::{
    args::{OrderDirection, lookup_key, page},
    connection::{Connection, paginate_with_retracted},
    error::ApiError,
    ids::NodeType,
    loaders::RelationByKey,
    node::{retracted_model, retracted_rows},
    types::{Relation, loaders},
};
use crate::{
    domain::RelationType,
    store::queries::{self},
};

/// Which relations a list shows.
#[derive(Debug, Clone, Default, InputObject)]
struct RelationFilter {
    /// Only relations of these types.
    types: Option<Vec<RelationType>>,
    /// Only relations from this entity (its slug).
    subject: Option<String>,
    /// Only relations to this entity (its slug).
    object: Option<String>,
    /// Only relations with this entity (its slug) at either end.
    entity: Option<String>,
    /// Only relations whose evidence quotes at least this many distinct sources: 2 lists the
    /// relations the sources corroborate.
    min_sources: Option<u32>,
}

/// The `relation` and `relations` fields.
#[derive(Default)]
pub struct RelationQuery;

#[Object]
impl RelationQuery {
    /// A relation, by global ID or key.
    async fn relation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global ID.")] id: Option<ID>,
        #[graphql(desc = "Its key: `subject/type/object` in slugs.")] key: Option<String>,
    ) -> Result<Option<Relation>, ApiError> {
        let key = lookup_key(ctx, id, key, NodeType::Relation).await?;
        let found = match loaders(ctx)?.load_one(RelationByKey(key.clone())).await? {
            Some(found) => Some(found),
            None => retracted_model(ctx, NodeType::Relation, &key).await?,
        };
        Ok(found.map(Relation::new))
    }

    /// Relations, by key.
    async fn relations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which relations to list.")] filter: Option<RelationFilter>,
        #[graphql(desc = "Which way to sort them by key.", default)] direction: OrderDirection,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
        #[graphql(
            desc = "Also list the retracted relations, as they last stood, each with its `retraction`. False by default; cannot be combined with `filter`.",
            default
        )]
        include_retracted: bool,
    ) -> Result<Connection<Relation>, ApiError> {
        let filter = filter.unwrap_or_default();
        let given = filter.types.is_some()
            || filter.subject.is_some()
            || filter.object.is_some()
            || filter.entity.is_some()
            || filter.min_sources.is_some();
        let retracted = retracted_rows(
            ctx,
            "relation",
            include_retracted,
            given,
            |_: &crate::store::entities::relation::Model| true,
        )
        .await?;
        let select = queries::relations(&queries::RelationFilter {
            types: filter.types.unwrap_or_default(),
            subject: filter.subject,
            object: filter.object,
            entity: filter.entity,
            min_sources: filter.min_sources,
        });
        let ordering = queries::relation_ordering(direction == OrderDirection::Desc);
        paginate_with_retracted(
            ctx,
            select,
            ordering,
            page(first, after, last, before),
            retracted,
            Relation::new,
        )
        .await
    }
}
