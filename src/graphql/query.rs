//! The query root: lookups by ID and slug, and filtered, ordered, paginated lists, one part
//! per domain, merged into one `Query` type.

#![expect(
    clippy::too_many_arguments,
    reason = "a Relay list field takes first, after, last and before besides its filter and order"
)]

use async_graphql::{
    Context, Enum, ID, InputObject, InputValueError, InputValueResult, MergedObject, Object,
    Scalar, ScalarType, SimpleObject, Value,
};

use super::{
    connection::{Connection, PageArgs, paginate},
    error::ApiError,
    ids::{self, NodeType},
    loaders::{ClaimBySlug, EntityBySlug, FactBySlug, RelationByKey, SourceBySlug},
    types::{
        Actor, Claim, Entity, Event, Fact, Law, Measure, Node, Recommendation, Relation, Source,
        database, loaders,
    },
};
use crate::{
    domain::{ActorKind, Certainty, ClaimKind, EntityKind, PartialDate, RelationType},
    store::queries::{self, ClaimSort, DateRange, EntitySort, SourceSort},
};

/// The most IDs `nodes(ids:)` takes at once.
pub const MAX_NODES: usize = 100;

/// Every query a client can make.
#[derive(MergedObject, Default)]
pub struct Query(
    NodeQuery,
    super::rate_limit::RateLimitQuery,
    SourceQuery,
    EntityQuery,
    ClaimQuery,
    RelationQuery,
    FactQuery,
    DatasetQuery,
    super::explore::ExploreQuery,
    super::history::HistoryQuery,
);

/// A date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precise as you mean it: `2020` means the
/// whole year.
#[derive(Debug, Clone, Copy)]
pub struct IsoDate(pub PartialDate);

/// A date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precise as you mean it: `2020` means the
/// whole year.
#[Scalar]
impl ScalarType for IsoDate {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => {
                text.parse()
                    .map(IsoDate)
                    .map_err(|error: crate::domain::InvalidDate| {
                        InputValueError::custom(error.to_string())
                    })
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

pub(crate) fn range(from: Option<IsoDate>, to: Option<IsoDate>) -> DateRange {
    DateRange {
        from: from.map(|d| d.0),
        to: to.map(|d| d.0),
    }
}

/// Which way a list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Default)]
pub enum OrderDirection {
    /// Smallest first: A to Z, oldest first.
    #[default]
    Asc,
    /// Largest first: Z to A, newest first.
    Desc,
}

/// The current key of the record `id` or `slug` names; exactly one of them must be given.
/// An ID names a record by its identity, whatever its slug is now; a slug may be a former
/// one, which names the record that had it.
pub(crate) async fn lookup_key(
    ctx: &Context<'_>,
    id: Option<ID>,
    slug: Option<String>,
    node: NodeType,
) -> Result<String, ApiError> {
    let key = lookup(id.clone(), slug, |id| ids::decode_as(id, node))?;
    current_key(ctx, id.is_some(), node, key).await
}

/// The current slug an `id` or `slug` names for an entity of any kind; exactly one must be
/// given.
pub(crate) async fn entity_key(
    ctx: &Context<'_>,
    id: Option<ID>,
    slug: Option<String>,
) -> Result<String, ApiError> {
    let mut kind = None;
    let key = lookup(id.clone(), slug, |id| match ids::decode(id)? {
        (node @ NodeType::Entity(_), key) => {
            kind = Some(node);
            Ok(key)
        }
        _ => Err(ApiError::InvalidId(id.chars().take(100).collect())),
    })?;
    let node = kind.unwrap_or(NodeType::Entity(EntityKind::Actor));
    current_key(ctx, id.is_some(), node, key).await
}

/// The slug (or relation key) a record has now: from its identity when `by_id`, else from
/// a slug that may be a former one. Unknown keys are returned as they are, to find nothing.
async fn current_key(
    ctx: &Context<'_>,
    by_id: bool,
    node: NodeType,
    key: String,
) -> Result<String, ApiError> {
    let db = database(ctx)?;
    let found = if by_id {
        crate::store::history::record(db, &format!("{}:{key}", node.name())).await?
    } else {
        let namespace = crate::store::identity::namespace_of_type(node.name()).unwrap_or("entity");
        crate::store::history::by_slug(db, namespace, &key).await?
    };
    Ok(found.map_or(key, |record| record.slug))
}

fn lookup(
    id: Option<ID>,
    slug: Option<String>,
    decode: impl FnOnce(&str) -> Result<String, ApiError>,
) -> Result<String, ApiError> {
    match (id, slug) {
        (Some(id), None) => decode(&id),
        (None, Some(slug)) => Ok(slug),
        _ => Err(ApiError::InvalidArgument(
            "give exactly one of `id` and `slug`".to_owned(),
        )),
    }
}

/// The longest text a name or text filter takes.
pub const MAX_FILTER_TEXT: usize = 200;

/// A name or text filter, checked: at most [`MAX_FILTER_TEXT`] characters.
fn filter_text(text: Option<String>, field: &str) -> Result<Option<String>, ApiError> {
    match text {
        Some(text) if text.chars().count() > MAX_FILTER_TEXT => Err(ApiError::InvalidArgument(
            format!("`{field}` takes at most {MAX_FILTER_TEXT} characters"),
        )),
        text => Ok(text),
    }
}

/// The Relay arguments, gathered.
fn page(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> PageArgs {
    PageArgs {
        first,
        after,
        last,
        before,
    }
}

/// The complexity of a list field: its page size times the cost of what each item selects.
pub(crate) fn list_cost(first: Option<i32>, last: Option<i32>, child: usize) -> usize {
    let size = first
        .or(last)
        .map(|n| n.max(0) as usize)
        .unwrap_or(crate::store::page::DEFAULT_PAGE_SIZE as usize);
    size.saturating_mul(child.max(1)).saturating_add(1)
}

#[derive(Default)]
struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any record by its global ID, whatever its type. Unknown IDs give null.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global ID.")] id: ID,
    ) -> Result<Option<Node>, ApiError> {
        let (node, key) = ids::decode(&id)?;
        load_node(ctx, node, key).await
    }

    /// Fetches up to 100 records by their global IDs, in the order given; unknown IDs give
    /// null in their place.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global IDs.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>, ApiError> {
        if ids.len() > MAX_NODES {
            return Err(ApiError::InvalidArgument(format!(
                "`nodes` takes at most {MAX_NODES} IDs"
            )));
        }
        let mut found = Vec::with_capacity(ids.len());
        for id in &ids {
            let (node, key) = ids::decode(id)?;
            found.push(load_node(ctx, node, key).await?);
        }
        Ok(found)
    }
}

pub(crate) async fn load_node(
    ctx: &Context<'_>,
    node: NodeType,
    key: String,
) -> Result<Option<Node>, ApiError> {
    // The ID names an identity; the record may have another slug, or another entity kind,
    // since it was minted.
    let identity = format!("{}:{key}", node.name());
    let Some(record) = crate::store::history::record(database(ctx)?, &identity).await? else {
        return Ok(None);
    };
    if let Some(row) = &record.retracted_row {
        // A retracted record is no longer in the dataset tables: it resolves to the last row
        // it had there, and its `retraction` says when and why it went.
        return Ok(retracted(node, row));
    }
    let key = record.slug;
    let loaders = loaders(ctx)?;
    Ok(match node {
        NodeType::Source => loaders
            .load_one(SourceBySlug(key))
            .await?
            .map(|m| Node::Source(Source(m))),
        NodeType::Entity(_) => loaders
            .load_one(EntityBySlug(key))
            .await?
            .filter(|m| m.id == identity)
            .map(|m| Entity::from_model(m).into()),
        NodeType::Claim => loaders
            .load_one(ClaimBySlug(key))
            .await?
            .map(|m| Node::Claim(Claim(m))),
        NodeType::Relation => loaders
            .load_one(RelationByKey(key))
            .await?
            .map(|m| Node::Relation(Relation(m))),
        NodeType::Fact => loaders
            .load_one(FactBySlug(key))
            .await?
            .map(|m| Node::Fact(Fact(m))),
    })
}

/// The node a retracted record's last row describes.
fn retracted(node: NodeType, row: &str) -> Option<Node> {
    use crate::store::entities::{claim, entity, fact, relation, source};
    Some(match node {
        NodeType::Source => Node::Source(Source(serde_json::from_str::<source::Model>(row).ok()?)),
        NodeType::Entity(_) => {
            Entity::from_model(serde_json::from_str::<entity::Model>(row).ok()?).into()
        }
        NodeType::Claim => Node::Claim(Claim(serde_json::from_str::<claim::Model>(row).ok()?)),
        NodeType::Relation => {
            Node::Relation(Relation(serde_json::from_str::<relation::Model>(row).ok()?))
        }
        NodeType::Fact => Node::Fact(Fact(serde_json::from_str::<fact::Model>(row).ok()?)),
    })
}

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

#[derive(Default)]
struct SourceQuery;

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
        Ok(loaders(ctx)?
            .load_one(SourceBySlug(slug))
            .await?
            .map(Source))
    }

    /// The sources, oldest first unless `orderBy` says otherwise.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which sources to list.")] filter: Option<SourceFilter>,
        #[graphql(desc = "How to sort them.")] order_by: Option<SourceOrder>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
    ) -> Result<Connection<Source>, ApiError> {
        let filter = filter.unwrap_or_default();
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
        paginate(
            ctx,
            select,
            ordering,
            page(first, after, last, before),
            Source,
        )
        .await
    }
}

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
    /// Only entities whose dates reach this date or later.
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
    /// Only those whose dates reach this date or later.
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
    fn ordering(self) -> crate::store::page::Ordering<crate::store::entities::entity::Model> {
        let sort = match self.field {
            EntityOrderField::Name => EntitySort::Name,
            EntityOrderField::Slug => EntitySort::Slug,
            EntityOrderField::Date => EntitySort::Date,
        };
        queries::entity_ordering(sort, self.direction == OrderDirection::Desc)
    }
}

/// An entity of `kind`, by global ID or slug.
async fn entity_of_kind(
    ctx: &Context<'_>,
    kind: EntityKind,
    id: Option<ID>,
    slug: Option<String>,
) -> Result<Option<crate::store::entities::entity::Model>, ApiError> {
    let slug = lookup_key(ctx, id, slug, NodeType::Entity(kind)).await?;
    Ok(loaders(ctx)?
        .load_one(EntityBySlug(slug))
        .await?
        .filter(|m| m.kind == kind))
}

fn dated(kind: EntityKind, filter: Option<DatedFilter>) -> Result<queries::EntityFilter, ApiError> {
    let filter = filter.unwrap_or_default();
    Ok(queries::EntityFilter {
        kinds: vec![kind],
        name: filter_text(filter.name, "name")?,
        related_to: filter.related_to,
        dates: range(filter.from, filter.to),
        ..Default::default()
    })
}

#[derive(Default)]
struct EntityQuery;

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
        Ok(loaders(ctx)?
            .load_one(EntityBySlug(slug))
            .await?
            .map(Entity::from_model))
    }

    /// Entities of every kind, by name unless `orderBy` says otherwise.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn entities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which entities to list.")] filter: Option<EntityFilter>,
        #[graphql(desc = "How to sort them.")] order_by: Option<EntityOrder>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
    ) -> Result<Connection<Entity>, ApiError> {
        let filter = filter.unwrap_or_default();
        let select = queries::entities(&queries::EntityFilter {
            kinds: filter.kinds.unwrap_or_default(),
            actor_kinds: filter.actor_kinds.unwrap_or_default(),
            name: filter_text(filter.name, "name")?,
            related_to: filter.related_to,
            dates: range(filter.from, filter.to),
        });
        paginate(
            ctx,
            select,
            order_by.unwrap_or_default().ordering(),
            page(first, after, last, before),
            Entity::from_model,
        )
        .await
    }

    /// An actor, by global ID or slug.
    async fn actor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global ID.")] id: Option<ID>,
        #[graphql(desc = "Its slug.")] slug: Option<String>,
    ) -> Result<Option<Actor>, ApiError> {
        Ok(entity_of_kind(ctx, EntityKind::Actor, id, slug)
            .await?
            .map(Actor))
    }

    /// Actors, by name unless `orderBy` says otherwise.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn actors(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which actors to list.")] filter: Option<ActorFilter>,
        #[graphql(desc = "How to sort them.")] order_by: Option<EntityOrder>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
    ) -> Result<Connection<Actor>, ApiError> {
        let filter = filter.unwrap_or_default();
        let select = queries::entities(&queries::EntityFilter {
            kinds: vec![EntityKind::Actor],
            actor_kinds: filter.kinds.unwrap_or_default(),
            name: filter_text(filter.name, "name")?,
            related_to: filter.related_to,
            ..Default::default()
        });
        paginate(
            ctx,
            select,
            order_by.unwrap_or_default().ordering(),
            page(first, after, last, before),
            Actor,
        )
        .await
    }

    /// A law, by global ID or slug.
    async fn law(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global ID.")] id: Option<ID>,
        #[graphql(desc = "Its slug.")] slug: Option<String>,
    ) -> Result<Option<Law>, ApiError> {
        Ok(entity_of_kind(ctx, EntityKind::Law, id, slug)
            .await?
            .map(Law))
    }

    /// Laws, by name unless `orderBy` says otherwise.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn laws(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which laws to list.")] filter: Option<DatedFilter>,
        #[graphql(desc = "How to sort them.")] order_by: Option<EntityOrder>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
    ) -> Result<Connection<Law>, ApiError> {
        let select = queries::entities(&dated(EntityKind::Law, filter)?);
        paginate(
            ctx,
            select,
            order_by.unwrap_or_default().ordering(),
            page(first, after, last, before),
            Law,
        )
        .await
    }

    /// A measure, by global ID or slug.
    async fn measure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global ID.")] id: Option<ID>,
        #[graphql(desc = "Its slug.")] slug: Option<String>,
    ) -> Result<Option<Measure>, ApiError> {
        Ok(entity_of_kind(ctx, EntityKind::Measure, id, slug)
            .await?
            .map(Measure))
    }

    /// Measures, by name unless `orderBy` says otherwise.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn measures(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which measures to list.")] filter: Option<DatedFilter>,
        #[graphql(desc = "How to sort them.")] order_by: Option<EntityOrder>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
    ) -> Result<Connection<Measure>, ApiError> {
        let select = queries::entities(&dated(EntityKind::Measure, filter)?);
        paginate(
            ctx,
            select,
            order_by.unwrap_or_default().ordering(),
            page(first, after, last, before),
            Measure,
        )
        .await
    }

    /// An event, by global ID or slug.
    async fn event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global ID.")] id: Option<ID>,
        #[graphql(desc = "Its slug.")] slug: Option<String>,
    ) -> Result<Option<Event>, ApiError> {
        Ok(entity_of_kind(ctx, EntityKind::Event, id, slug)
            .await?
            .map(Event))
    }

    /// Events, by name unless `orderBy` says otherwise.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which events to list.")] filter: Option<DatedFilter>,
        #[graphql(desc = "How to sort them.")] order_by: Option<EntityOrder>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
    ) -> Result<Connection<Event>, ApiError> {
        let select = queries::entities(&dated(EntityKind::Event, filter)?);
        paginate(
            ctx,
            select,
            order_by.unwrap_or_default().ordering(),
            page(first, after, last, before),
            Event,
        )
        .await
    }

    /// A recommendation, by global ID or slug.
    async fn recommendation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its global ID.")] id: Option<ID>,
        #[graphql(desc = "Its slug.")] slug: Option<String>,
    ) -> Result<Option<Recommendation>, ApiError> {
        Ok(entity_of_kind(ctx, EntityKind::Recommendation, id, slug)
            .await?
            .map(Recommendation))
    }

    /// Recommendations, by name unless `orderBy` says otherwise.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn recommendations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which recommendations to list.")] filter: Option<DatedFilter>,
        #[graphql(desc = "How to sort them.")] order_by: Option<EntityOrder>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
    ) -> Result<Connection<Recommendation>, ApiError> {
        let select = queries::entities(&dated(EntityKind::Recommendation, filter)?);
        paginate(
            ctx,
            select,
            order_by.unwrap_or_default().ordering(),
            page(first, after, last, before),
            Recommendation,
        )
        .await
    }
}

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

#[derive(Default)]
struct ClaimQuery;

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
        Ok(loaders(ctx)?.load_one(ClaimBySlug(slug)).await?.map(Claim))
    }

    /// Claims, in source order unless `orderBy` says otherwise.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn claims(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which claims to list.")] filter: Option<ClaimFilter>,
        #[graphql(desc = "How to sort them.")] order_by: Option<ClaimOrder>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
    ) -> Result<Connection<Claim>, ApiError> {
        let filter = filter.unwrap_or_default();
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
        paginate(
            ctx,
            select,
            ordering,
            page(first, after, last, before),
            Claim,
        )
        .await
    }
}

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

#[derive(Default)]
struct RelationQuery;

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
        Ok(loaders(ctx)?
            .load_one(RelationByKey(key))
            .await?
            .map(Relation))
    }

    /// Relations, by key.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn relations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which relations to list.")] filter: Option<RelationFilter>,
        #[graphql(desc = "Which way to sort them by key.", default)] direction: OrderDirection,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
    ) -> Result<Connection<Relation>, ApiError> {
        let filter = filter.unwrap_or_default();
        let select = queries::relations(&queries::RelationFilter {
            types: filter.types.unwrap_or_default(),
            subject: filter.subject,
            object: filter.object,
            entity: filter.entity,
            min_sources: filter.min_sources,
        });
        let ordering = queries::relation_ordering(direction == OrderDirection::Desc);
        paginate(
            ctx,
            select,
            ordering,
            page(first, after, last, before),
            Relation,
        )
        .await
    }
}

/// Which facts a list shows.
#[derive(Debug, Clone, Default, InputObject)]
struct FactFilter {
    /// Only facts stated by claims from at least this many different sources: 2 lists the
    /// facts the sources corroborate.
    min_sources: Option<u32>,
}

#[derive(Default)]
struct FactQuery;

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
        Ok(loaders(ctx)?.load_one(FactBySlug(slug)).await?.map(Fact))
    }

    /// Facts that claims state, by slug; `minSources: 2` lists those more than one source
    /// supports.
    #[graphql(complexity = "list_cost(first, last, child_complexity)")]
    async fn facts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which facts to list.")] filter: Option<FactFilter>,
        #[graphql(desc = "Return the first n items (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Return the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Return the last n items (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Return the items before this cursor.")] before: Option<String>,
    ) -> Result<Connection<Fact>, ApiError> {
        let filter = filter.unwrap_or_default();
        let select = queries::facts(&queries::FactFilter {
            min_sources: filter.min_sources,
        });
        paginate(
            ctx,
            select,
            queries::fact_ordering(false),
            page(first, after, last, before),
            Fact,
        )
        .await
    }
}

/// What the dataset holds, and which version of it this is.
#[derive(SimpleObject)]
#[graphql(complex)]
struct DatasetInfo {
    /// The version number, raised each time a load changes the data. Responses are the same
    /// for the same version.
    version: i32,
    /// A digest of the dataset files the version was loaded from.
    digest: String,
    /// When this version was loaded, in RFC 3339.
    loaded_at: String,
    /// How many records of each kind the dataset holds.
    counts: DatasetCounts,
}

#[async_graphql::ComplexObject]
impl DatasetInfo {
    /// Every version of the dataset, oldest first, with when it was made and how many
    /// changes it made. Exports take `?version=N` to return one as it was.
    async fn versions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many versions (at most 100; 20 by default).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the last page read.")] after: Option<String>,
    ) -> Result<Connection<super::history::DatasetVersion>, ApiError> {
        super::history::versions(ctx, first, after).await
    }
}

/// How many records of each kind the dataset holds.
#[derive(SimpleObject)]
struct DatasetCounts {
    /// Source documents.
    sources: u64,
    /// Actors.
    actors: u64,
    /// Laws.
    laws: u64,
    /// Measures.
    measures: u64,
    /// Events.
    events: u64,
    /// Recommendations.
    recommendations: u64,
    /// Claims.
    claims: u64,
    /// Relations.
    relations: u64,
    /// Facts stated by claims.
    facts: u64,
}

#[derive(Default)]
struct DatasetQuery;

#[Object]
impl DatasetQuery {
    /// The dataset's version, when it last changed, and how much it holds.
    async fn dataset(&self, ctx: &Context<'_>) -> Result<DatasetInfo, ApiError> {
        let db = database(ctx)?;
        let version = queries::latest_version(db)
            .await?
            .ok_or_else(|| ApiError::Internal("the database holds no dataset".to_owned()))?;
        let counts = queries::counts(db).await?;
        let of = |kind| counts.entities.get(&kind).copied().unwrap_or_default();
        Ok(DatasetInfo {
            version: version.id,
            digest: version.digest,
            loaded_at: version.loaded_at.to_rfc3339(),
            counts: DatasetCounts {
                sources: counts.sources,
                actors: of(EntityKind::Actor),
                laws: of(EntityKind::Law),
                measures: of(EntityKind::Measure),
                events: of(EntityKind::Event),
                recommendations: of(EntityKind::Recommendation),
                claims: counts.claims,
                relations: counts.relations,
                facts: counts.facts,
            },
        })
    }
}
