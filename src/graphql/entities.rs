//! The query roots for entities: `entity`/`entities` over every kind, and one pair per kind
//! (`actor`/`actors`, `law`/`laws`…), generated once by `kind_query!` so that the five pairs
//! cannot drift apart.

#![expect(
    clippy::too_many_arguments,
    reason = "a Relay list field takes first, after, last and before besides its filter and order"
)]

use async_graphql::{Context, Enum, ID, InputObject, Object};

use super::{
    args::{IsoDate, OrderDirection, entity_key, filter_text, lookup_key, page, range},
    connection::{Connection, paginate_with_retracted},
    error::ApiError,
    ids::NodeType,
    loaders::EntityBySlug,
    node::{retracted_model, retracted_rows},
    types::{Actor, Entity, Event, Law, Measure, Recommendation, loaders},
};
use crate::{
    domain::{ActorKind, EntityKind},
    store::{
        entities::entity,
        page::Ordering,
        queries::{self, EntitySort},
    },
};

/// Which entities a list shows.
#[derive(Debug, Clone, Default, InputObject)]
struct EntityFilter {
    /// Only entities of these kinds.
    kinds: Option<Vec<EntityKind>>,
    /// Only actors of these kinds (and no other entities).
    actor_kinds: Option<Vec<ActorKind>>,
    /// Only entities whose name or an alias contains this text, ignoring case.
    name: Option<String>,
    /// Only entities with a relation, either way, to the entity with this slug.
    related_to: Option<String>,
    /// Only entities whose dates reach this date or later: a measure's or event's period
    /// runs from its start to its end, or to its `asOf` date when its end is unknown, and a
    /// date reaches as far as its `latest` day.
    from: Option<IsoDate>,
    /// Only entities whose dates start on or before this date.
    to: Option<IsoDate>,
}

/// Which actors a list shows.
#[derive(Debug, Clone, Default, InputObject)]
struct ActorFilter {
    /// Only actors of these kinds.
    kinds: Option<Vec<ActorKind>>,
    /// Only actors whose name or an alias contains this text, ignoring case.
    name: Option<String>,
    /// Only actors with a relation, either way, to the entity with this slug.
    related_to: Option<String>,
}

/// Which laws, measures, events or recommendations a list shows.
#[derive(Debug, Clone, Default, InputObject)]
struct DatedFilter {
    /// Only those whose name or an alias contains this text, ignoring case.
    name: Option<String>,
    /// Only those with a relation, either way, to the entity with this slug.
    related_to: Option<String>,
    /// Only those whose dates reach this date or later: a measure's or event's period
    /// runs from its start to its end, or to its `asOf` date when its end is unknown, and a
    /// date reaches as far as its `latest` day.
    from: Option<IsoDate>,
    /// Only those whose dates start on or before this date.
    to: Option<IsoDate>,
}

/// What to sort entities by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Default)]
enum EntityOrderField {
    /// Name.
    #[default]
    Name,
    /// Slug.
    Slug,
    /// The date it started, was enacted or happened; undated entities last.
    Date,
}

/// How to sort entities.
#[derive(Debug, Clone, Copy, Default, InputObject)]
struct EntityOrder {
    /// What to sort by.
    #[graphql(default)]
    field: EntityOrderField,
    /// Which way.
    #[graphql(default)]
    direction: OrderDirection,
}

impl EntityOrder {
    fn ordering(self) -> Ordering<entity::Model> {
        let sort = match self.field {
            EntityOrderField::Name => EntitySort::Name,
            EntityOrderField::Slug => EntitySort::Slug,
            EntityOrderField::Date => EntitySort::Date,
        };
        queries::entity_ordering(sort, self.direction == OrderDirection::Desc)
    }
}

/// A filter of one kind's list, as the store takes it.
trait KindFilter: Default {
    /// Whether any part of the filter is set.
    fn is_given(&self) -> bool;

    /// The store's filter for the entities of `kind` this filter lets through.
    fn for_kind(self, kind: EntityKind) -> Result<queries::EntityFilter, ApiError>;
}

impl KindFilter for ActorFilter {
    fn is_given(&self) -> bool {
        self.kinds.is_some() || self.name.is_some() || self.related_to.is_some()
    }

    fn for_kind(self, kind: EntityKind) -> Result<queries::EntityFilter, ApiError> {
        Ok(queries::EntityFilter {
            kinds: vec![kind],
            actor_kinds: self.kinds.unwrap_or_default(),
            name: filter_text(self.name, "name")?,
            related_to: self.related_to,
            ..Default::default()
        })
    }
}

impl KindFilter for DatedFilter {
    fn is_given(&self) -> bool {
        self.name.is_some() || self.related_to.is_some() || self.from.is_some() || self.to.is_some()
    }

    fn for_kind(self, kind: EntityKind) -> Result<queries::EntityFilter, ApiError> {
        Ok(queries::EntityFilter {
            kinds: vec![kind],
            name: filter_text(self.name, "name")?,
            related_to: self.related_to,
            dates: range(self.from, self.to),
            ..Default::default()
        })
    }
}

/// An entity of `kind`, by global ID or slug.
async fn entity_of_kind(
    ctx: &Context<'_>,
    kind: EntityKind,
    id: Option<ID>,
    slug: Option<String>,
) -> Result<Option<entity::Model>, ApiError> {
    if let (None, Some(slug)) = (&id, &slug)
        && let Some(found) = loaders(ctx)?.load_one(EntityBySlug(slug.clone())).await?
    {
        // A live entity with this slug has it as its current slug: only a slug that finds
        // none may be a former one, which takes the record tables to resolve.
        return Ok(Some(found).filter(|m| m.kind == kind));
    }
    let slug = lookup_key(ctx, id, slug, NodeType::Entity(kind)).await?;
    let found = match loaders(ctx)?.load_one(EntityBySlug(slug.clone())).await? {
        Some(found) => Some(found),
        None => retracted_model(ctx, NodeType::Entity(kind), &slug).await?,
    };
    Ok(found.filter(|m: &entity::Model| m.kind == kind))
}

/// The `entity` and `entities` fields, over every kind.
#[derive(Default)]
pub struct EntityQuery;

#[Object]
impl EntityQuery {
    /// An entity of any kind, by global ID or slug.
    async fn entity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global ID.")] id: Option<ID>,
        #[graphql(desc = "Its slug.")] slug: Option<String>,
    ) -> Result<Option<Entity>, ApiError> {
        let slug = entity_key(ctx, id, slug).await?;
        let found = match loaders(ctx)?.load_one(EntityBySlug(slug.clone())).await? {
            Some(found) => Some(found),
            None => retracted_model(ctx, NodeType::Entity(EntityKind::Actor), &slug).await?,
        };
        Ok(found.map(Entity::from_model))
    }

    /// Entities of every kind, by name unless `orderBy` says otherwise.
    async fn entities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which entities to list.")] filter: Option<EntityFilter>,
        #[graphql(desc = "How to sort them.")] order_by: Option<EntityOrder>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
        #[graphql(
            desc = "Also list the retracted entities, as they last stood, each with its `retraction`. False by default; of `filter`, only `kinds` and `actorKinds` combine with it.",
            default
        )]
        include_retracted: bool,
    ) -> Result<Connection<Entity>, ApiError> {
        let filter = filter.unwrap_or_default();
        let given = filter.name.is_some()
            || filter.related_to.is_some()
            || filter.from.is_some()
            || filter.to.is_some();
        let (kinds, actor_kinds) = (filter.kinds.clone(), filter.actor_kinds.clone());
        let retracted = retracted_rows(
            ctx,
            "entity",
            include_retracted,
            given,
            |m: &entity::Model| {
                kinds
                    .as_ref()
                    .is_none_or(|k| k.is_empty() || k.contains(&m.kind))
                    && actor_kinds.as_ref().is_none_or(|k| {
                        k.is_empty() || m.actor_kind.is_some_and(|a| k.contains(&a))
                    })
            },
        )
        .await?;
        let select = queries::entities(&queries::EntityFilter {
            kinds: filter.kinds.unwrap_or_default(),
            actor_kinds: filter.actor_kinds.unwrap_or_default(),
            name: filter_text(filter.name, "name")?,
            related_to: filter.related_to,
            dates: range(filter.from, filter.to),
        });
        paginate_with_retracted(
            ctx,
            select,
            order_by.unwrap_or_default().ordering(),
            page(first, after, last, before),
            retracted,
            Entity::from_model,
        )
        .await
    }
}

/// Defines the query root of one entity kind: the lookup by ID or slug, and the list.
macro_rules! kind_query {
    (
        $(#[doc = $doc:literal])+
        $root:ident: $kind:ident, $filter:ty,
        $one:ident = $one_doc:literal,
        $many:ident = $many_doc:literal,
        $filter_doc:literal,
        $retracted_doc:literal
    ) => {
        $(#[doc = $doc])+
        #[derive(Default)]
        pub struct $root;

        #[Object]
        impl $root {
            #[doc = $one_doc]
            async fn $one(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "Its global ID.")] id: Option<ID>,
                #[graphql(desc = "Its slug.")] slug: Option<String>,
            ) -> Result<Option<$kind>, ApiError> {
                Ok(entity_of_kind(ctx, EntityKind::$kind, id, slug)
                    .await?
                    .map($kind))
            }

            #[doc = $many_doc]
            async fn $many(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = $filter_doc)] filter: Option<$filter>,
                #[graphql(desc = "How to sort them.")] order_by: Option<EntityOrder>,
                #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
                #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
                #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
                #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
                #[graphql(desc = $retracted_doc, default)] include_retracted: bool,
            ) -> Result<Connection<$kind>, ApiError> {
                let filter = filter.unwrap_or_default();
                let given = filter.is_given();
                let filter = filter.for_kind(EntityKind::$kind)?;
                let retracted = retracted_rows(
                    ctx,
                    "entity",
                    include_retracted,
                    given,
                    |m: &entity::Model| m.kind == EntityKind::$kind,
                )
                .await?;
                paginate_with_retracted(
                    ctx,
                    queries::entities(&filter),
                    order_by.unwrap_or_default().ordering(),
                    page(first, after, last, before),
                    retracted,
                    $kind,
                )
                .await
            }
        }
    };
}

kind_query! {
    /// The `actor` and `actors` fields.
    ActorQuery: Actor, ActorFilter,
    actor = "An actor, by global ID or slug.",
    actors = "Actors, by name unless `orderBy` says otherwise.",
    "Which actors to list.",
    "Also list the retracted actors, as they last stood, each with its `retraction`. False by default; cannot be combined with `filter`."
}

kind_query! {
    /// The `law` and `laws` fields.
    LawQuery: Law, DatedFilter,
    law = "A law, by global ID or slug.",
    laws = "Laws, by name unless `orderBy` says otherwise.",
    "Which laws to list.",
    "Also list the retracted laws, as they last stood, each with its `retraction`. False by default; cannot be combined with `filter`."
}

kind_query! {
    /// The `measure` and `measures` fields.
    MeasureQuery: Measure, DatedFilter,
    measure = "A measure, by global ID or slug.",
    measures = "Measures, by name unless `orderBy` says otherwise.",
    "Which measures to list.",
    "Also list the retracted measures, as they last stood, each with its `retraction`. False by default; cannot be combined with `filter`."
}

kind_query! {
    /// The `event` and `events` fields.
    EventQuery: Event, DatedFilter,
    event = "An event, by global ID or slug.",
    events = "Events, by name unless `orderBy` says otherwise.",
    "Which events to list.",
    "Also list the retracted events, as they last stood, each with its `retraction`. False by default; cannot be combined with `filter`."
}

kind_query! {
    /// The `recommendation` and `recommendations` fields.
    RecommendationQuery: Recommendation, DatedFilter,
    recommendation = "A recommendation, by global ID or slug.",
    recommendations = "Recommendations, by name unless `orderBy` says otherwise.",
    "Which recommendations to list.",
    "Also list the retracted recommendations, as they last stood, each with its `retraction`. False by default; cannot be combined with `filter`."
}
