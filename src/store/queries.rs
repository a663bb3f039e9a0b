//! The queries the API runs: filtered lists with their orderings, and the batched lookups
//! behind every relation field.
//!
//! SQL lives here, one function per question. Every batched lookup takes all the keys a
//! request level needs and answers with one statement (two where it follows a link table),
//! so the number of statements a request runs does not grow with the rows it returns.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
    sea_query::{Expr, ExprTrait, Func, Query, SimpleExpr},
};

use super::{
    entities::*,
    page::{Ordering, SortType, SortValue},
};
use crate::domain::{ActorKind, Certainty, ClaimKind, EntityKind, PartialDate, RelationType};

/// A period to filter dated rows by: a row matches when its own period overlaps this one.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateRange {
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
}

impl DateRange {
    /// Rows whose period, from `start` to `end` (or `start` alone when `end` is null),
    /// overlaps the range. Undated rows never match a range.
    ///
    /// Dates are stored as ISO prefixes of their precision, which sort as text. A row starts
    /// no later than the range ends when its start, as text, is at most the range's last
    /// day. A row ends no earlier than the range starts when its end is at least the range's
    /// first day cut to the row's precision; the three `LIKE` shapes pick that precision.
    fn condition(&self, start: SimpleExpr, end: SimpleExpr) -> Condition {
        let mut condition = Condition::all();
        let end = SimpleExpr::from(Func::coalesce([end, start.clone()]));
        if let Some(to) = self.to {
            condition = condition.add(start.lte(to.latest()));
        }
        if let Some(from) = self.from {
            let earliest = from.earliest();
            condition = condition.add(
                Condition::any()
                    .add(
                        end.clone()
                            .like("____")
                            .and(end.clone().gte(&earliest[..4])),
                    )
                    .add(
                        end.clone()
                            .like("____-__")
                            .and(end.clone().gte(&earliest[..7])),
                    )
                    .add(
                        end.clone()
                            .like("____-__-__")
                            .and(end.gte(earliest.as_str())),
                    ),
            );
        }
        condition
    }
}

/// A case-insensitive "contains" pattern for `LIKE`, with the wildcards in `text` escaped.
fn contains_pattern(text: &str) -> String {
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

fn lower(column: impl sea_orm::sea_query::IntoColumnRef) -> SimpleExpr {
    Func::lower(Expr::col(column)).into()
}

fn contains(column: impl sea_orm::sea_query::IntoColumnRef, text: &str) -> SimpleExpr {
    lower(column).like(sea_orm::sea_query::LikeExpr::new(contains_pattern(text)).escape('\\'))
}

/// Which entities a list shows.
#[derive(Debug, Clone, Default)]
pub struct EntityFilter {
    pub kinds: Vec<EntityKind>,
    pub actor_kinds: Vec<ActorKind>,
    /// Part of the name or of an alias, ignoring case.
    pub name: Option<String>,
    /// Only entities with a relation, either way, to the entity with this slug.
    pub related_to: Option<String>,
    /// Only entities whose own dates overlap this range.
    pub dates: DateRange,
}

/// The orders an entity list can be sorted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntitySort {
    Name,
    Slug,
    Date,
}

/// Entities matching `filter`.
pub fn entities(filter: &EntityFilter) -> Select<entity::Entity> {
    let mut select = entity::Entity::find();
    if !filter.kinds.is_empty() {
        select = select.filter(entity::Column::Kind.is_in(filter.kinds.iter().copied()));
    }
    if !filter.actor_kinds.is_empty() {
        select = select.filter(entity::Column::ActorKind.is_in(filter.actor_kinds.iter().copied()));
    }
    if let Some(name) = &filter.name {
        let aliased = Query::select()
            .column(entity_alias::Column::EntitySlug)
            .from(entity_alias::Entity)
            .and_where(contains(
                (entity_alias::Entity, entity_alias::Column::Alias),
                name,
            ))
            .to_owned();
        select = select.filter(
            Condition::any()
                .add(contains((entity::Entity, entity::Column::Name), name))
                .add(entity::Column::Slug.in_subquery(aliased)),
        );
    }
    if let Some(slug) = &filter.related_to {
        let objects = Query::select()
            .column(relation::Column::ObjectSlug)
            .from(relation::Entity)
            .and_where(relation::Column::SubjectSlug.eq(slug.as_str()))
            .to_owned();
        let subjects = Query::select()
            .column(relation::Column::SubjectSlug)
            .from(relation::Entity)
            .and_where(relation::Column::ObjectSlug.eq(slug.as_str()))
            .to_owned();
        select = select.filter(
            Condition::any()
                .add(entity::Column::Slug.in_subquery(objects))
                .add(entity::Column::Slug.in_subquery(subjects)),
        );
    }
    select.filter(filter.dates.condition(
        Expr::col((entity::Entity, entity::Column::StartsOn)),
        Expr::col((entity::Entity, entity::Column::EndsOn)),
    ))
}

/// A sort key for an optional date that puts undated rows last in ascending order.
fn dated(column: impl sea_orm::sea_query::IntoColumnRef) -> SimpleExpr {
    Func::coalesce([Expr::col(column), Expr::val("9999-99-99")]).into()
}

fn undated(value: &Option<String>) -> SortValue {
    SortValue::Text(value.clone().unwrap_or_else(|| "9999-99-99".to_owned()))
}

/// The order of an entity list; every order ends with the slug, which breaks ties.
pub fn entity_ordering(sort: EntitySort, descending: bool) -> Ordering<entity::Model> {
    let slug = (
        Expr::col((entity::Entity, entity::Column::Slug)),
        SortType::Text,
    );
    match sort {
        EntitySort::Name => Ordering {
            name: "entity:name".to_owned(),
            columns: vec![
                (
                    Expr::col((entity::Entity, entity::Column::Name)),
                    SortType::Text,
                ),
                slug,
            ],
            descending,
            values: |row| {
                vec![
                    SortValue::Text(row.name.clone()),
                    SortValue::Text(row.slug.clone()),
                ]
            },
        },
        EntitySort::Slug => Ordering {
            name: "entity:slug".to_owned(),
            columns: vec![slug],
            descending,
            values: |row| vec![SortValue::Text(row.slug.clone())],
        },
        EntitySort::Date => Ordering {
            name: "entity:date".to_owned(),
            columns: vec![
                (
                    dated((entity::Entity, entity::Column::StartsOn)),
                    SortType::Text,
                ),
                slug,
            ],
            descending,
            values: |row| vec![undated(&row.starts_on), SortValue::Text(row.slug.clone())],
        },
    }
}

/// Which sources a list shows.
#[derive(Debug, Clone, Default)]
pub struct SourceFilter {
    /// Only sources by this author (an actor slug).
    pub author: Option<String>,
    /// Only sources published within this range.
    pub published: DateRange,
}

/// Sources matching `filter`.
pub fn sources(filter: &SourceFilter) -> Select<source::Entity> {
    let mut select = source::Entity::find();
    if let Some(author) = &filter.author {
        let authored = Query::select()
            .column(source_actor::Column::SourceSlug)
            .from(source_actor::Entity)
            .and_where(source_actor::Column::ActorSlug.eq(author.as_str()))
            .and_where(source_actor::Column::Role.eq("author"))
            .to_owned();
        select = select.filter(source::Column::Slug.in_subquery(authored));
    }
    let published: SimpleExpr = Expr::col((source::Entity, source::Column::Published));
    select.filter(filter.published.condition(published.clone(), published))
}

/// The orders a source list can be sorted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceSort {
    Published,
    Title,
}

/// The order of a source list; every order ends with the slug.
pub fn source_ordering(sort: SourceSort, descending: bool) -> Ordering<source::Model> {
    let slug = (
        Expr::col((source::Entity, source::Column::Slug)),
        SortType::Text,
    );
    match sort {
        SourceSort::Published => Ordering {
            name: "source:published".to_owned(),
            columns: vec![
                (
                    Expr::col((source::Entity, source::Column::Published)),
                    SortType::Text,
                ),
                slug,
            ],
            descending,
            values: |row| {
                vec![
                    SortValue::Text(row.published.clone()),
                    SortValue::Text(row.slug.clone()),
                ]
            },
        },
        SourceSort::Title => Ordering {
            name: "source:title".to_owned(),
            columns: vec![
                (
                    Expr::col((source::Entity, source::Column::Title)),
                    SortType::Text,
                ),
                slug,
            ],
            descending,
            values: |row| {
                vec![
                    SortValue::Text(row.title.clone()),
                    SortValue::Text(row.slug.clone()),
                ]
            },
        },
    }
}

/// Which claims a list shows.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    /// Only claims quoting this source (a slug).
    pub source: Option<String>,
    /// Only claims about this entity (a slug).
    pub about: Option<String>,
    /// Only claims this actor asserts: claims attributed to them, and their own sources'
    /// claims that are not attributed to anyone else.
    pub asserted_by: Option<String>,
    pub certainties: Vec<Certainty>,
    pub kinds: Vec<ClaimKind>,
    /// Only claims stating this fact (a slug).
    pub fact: Option<String>,
    /// Only claims whose quote or statement contains this text, ignoring case.
    pub text: Option<String>,
    /// Only claims whose dates overlap this range.
    pub dates: DateRange,
}

/// Claims matching `filter`.
pub fn claims(filter: &ClaimFilter) -> Select<claim::Entity> {
    let mut select = claim::Entity::find();
    if let Some(source) = &filter.source {
        select = select.filter(claim::Column::SourceSlug.eq(source.as_str()));
    }
    if let Some(entity) = &filter.about {
        let about = Query::select()
            .column(claim_subject::Column::ClaimSlug)
            .from(claim_subject::Entity)
            .and_where(claim_subject::Column::EntitySlug.eq(entity.as_str()))
            .to_owned();
        select = select.filter(claim::Column::Slug.in_subquery(about));
    }
    if let Some(actor) = &filter.asserted_by {
        let attributed = Query::select()
            .column(claim_asserter::Column::ClaimSlug)
            .from(claim_asserter::Entity)
            .and_where(claim_asserter::Column::ActorSlug.eq(actor.as_str()))
            .to_owned();
        let attributed_to_anyone = Query::select()
            .column(claim_asserter::Column::ClaimSlug)
            .from(claim_asserter::Entity)
            .to_owned();
        let authored = Query::select()
            .column(source_actor::Column::SourceSlug)
            .from(source_actor::Entity)
            .and_where(source_actor::Column::ActorSlug.eq(actor.as_str()))
            .and_where(source_actor::Column::Role.eq("author"))
            .to_owned();
        select = select.filter(
            Condition::any()
                .add(claim::Column::Slug.in_subquery(attributed))
                .add(
                    Condition::all()
                        .add(claim::Column::Slug.not_in_subquery(attributed_to_anyone))
                        .add(claim::Column::SourceSlug.in_subquery(authored)),
                ),
        );
    }
    if !filter.certainties.is_empty() {
        select = select.filter(claim::Column::Certainty.is_in(filter.certainties.iter().copied()));
    }
    if !filter.kinds.is_empty() {
        select = select.filter(claim::Column::Kind.is_in(filter.kinds.iter().copied()));
    }
    if let Some(fact) = &filter.fact {
        select = select.filter(claim::Column::FactSlug.eq(fact.as_str()));
    }
    if let Some(text) = &filter.text {
        select = select.filter(
            Condition::any()
                .add(contains((claim::Entity, claim::Column::Quote), text))
                .add(contains((claim::Entity, claim::Column::Statement), text)),
        );
    }
    select.filter(filter.dates.condition(
        Expr::col((claim::Entity, claim::Column::HoldsFrom)),
        Expr::col((claim::Entity, claim::Column::HoldsUntil)),
    ))
}

/// The orders a claim list can be sorted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimSort {
    /// By source, then by where the quote stands in the source's text.
    Source,
    /// By the date the claim holds from; undated claims last.
    Date,
}

/// The order of a claim list; every order ends with the slug.
pub fn claim_ordering(sort: ClaimSort, descending: bool) -> Ordering<claim::Model> {
    let slug = (
        Expr::col((claim::Entity, claim::Column::Slug)),
        SortType::Text,
    );
    match sort {
        ClaimSort::Source => Ordering {
            name: "claim:source".to_owned(),
            columns: vec![
                (
                    Expr::col((claim::Entity, claim::Column::SourceSlug)),
                    SortType::Text,
                ),
                (
                    Expr::col((claim::Entity, claim::Column::StartOffset)),
                    SortType::Int,
                ),
                slug,
            ],
            descending,
            values: |row| {
                vec![
                    SortValue::Text(row.source_slug.clone()),
                    SortValue::Int(i64::from(row.start_offset)),
                    SortValue::Text(row.slug.clone()),
                ]
            },
        },
        ClaimSort::Date => Ordering {
            name: "claim:date".to_owned(),
            columns: vec![
                (
                    dated((claim::Entity, claim::Column::HoldsFrom)),
                    SortType::Text,
                ),
                slug,
            ],
            descending,
            values: |row| vec![undated(&row.holds_from), SortValue::Text(row.slug.clone())],
        },
    }
}

/// Which relations a list shows.
#[derive(Debug, Clone, Default)]
pub struct RelationFilter {
    pub types: Vec<RelationType>,
    pub subject: Option<String>,
    pub object: Option<String>,
    /// Only relations with this entity at either end.
    pub entity: Option<String>,
    /// Only relations whose evidence quotes at least this many distinct sources.
    pub min_sources: Option<u32>,
}

/// Relations matching `filter`.
pub fn relations(filter: &RelationFilter) -> Select<relation::Entity> {
    let mut select = relation::Entity::find();
    if !filter.types.is_empty() {
        select = select.filter(relation::Column::RelationType.is_in(filter.types.iter().copied()));
    }
    if let Some(subject) = &filter.subject {
        select = select.filter(relation::Column::SubjectSlug.eq(subject.as_str()));
    }
    if let Some(object) = &filter.object {
        select = select.filter(relation::Column::ObjectSlug.eq(object.as_str()));
    }
    if let Some(entity) = &filter.entity {
        select = select.filter(
            Condition::any()
                .add(relation::Column::SubjectSlug.eq(entity.as_str()))
                .add(relation::Column::ObjectSlug.eq(entity.as_str())),
        );
    }
    if let Some(min) = filter.min_sources {
        select = select
            .filter(relation::Column::Key.in_subquery(super::explore::relations_with_sources(min)));
    }
    select
}

/// Relations in key order.
pub fn relation_ordering(descending: bool) -> Ordering<relation::Model> {
    Ordering {
        name: "relation:key".to_owned(),
        columns: vec![(
            Expr::col((relation::Entity, relation::Column::Key)),
            SortType::Text,
        )],
        descending,
        values: |row| vec![SortValue::Text(row.key.clone())],
    }
}

/// Which facts a list shows.
#[derive(Debug, Clone, Default)]
pub struct FactFilter {
    /// Only facts stated by claims from at least this many different sources.
    pub min_sources: Option<u32>,
}

/// Facts matching `filter`.
pub fn facts(filter: &FactFilter) -> Select<fact::Entity> {
    let mut select = fact::Entity::find();
    if let Some(min) = filter.min_sources {
        let corroborated = Query::select()
            .column(claim::Column::FactSlug)
            .from(claim::Entity)
            .and_where(claim::Column::FactSlug.is_not_null())
            .group_by_col(claim::Column::FactSlug)
            .and_having(
                Expr::col(claim::Column::SourceSlug)
                    .count_distinct()
                    .gte(i64::from(min)),
            )
            .to_owned();
        select = select.filter(fact::Column::Slug.in_subquery(corroborated));
    }
    select
}

/// Facts in slug order.
pub fn fact_ordering(descending: bool) -> Ordering<fact::Model> {
    Ordering {
        name: "fact:slug".to_owned(),
        columns: vec![(
            Expr::col((fact::Entity, fact::Column::Slug)),
            SortType::Text,
        )],
        descending,
        values: |row| vec![SortValue::Text(row.slug.clone())],
    }
}

/// Groups `rows` under the key `key` gives each, keeping their order.
fn group<M, K: std::hash::Hash + Eq>(rows: Vec<M>, key: impl Fn(&M) -> K) -> HashMap<K, Vec<M>> {
    let mut groups: HashMap<K, Vec<M>> = HashMap::new();
    for row in rows {
        groups.entry(key(&row)).or_default().push(row);
    }
    groups
}

/// The rows of `E` whose `column` is one of `keys`, by that key.
async fn by_key<E: EntityTrait>(
    db: &impl ConnectionTrait,
    column: E::Column,
    keys: &[String],
    key: fn(&E::Model) -> &String,
) -> Result<HashMap<String, E::Model>, DbErr> {
    let rows = E::find()
        .filter(column.is_in(keys.iter().cloned()))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| (key(&row).clone(), row))
        .collect())
}

/// Entities by slug.
pub async fn entities_by_slug(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, entity::Model>, DbErr> {
    by_key::<entity::Entity>(db, entity::Column::Slug, slugs, |row| &row.slug).await
}

/// Sources by slug.
pub async fn sources_by_slug(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, source::Model>, DbErr> {
    by_key::<source::Entity>(db, source::Column::Slug, slugs, |row| &row.slug).await
}

/// Claims by slug.
pub async fn claims_by_slug(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, claim::Model>, DbErr> {
    by_key::<claim::Entity>(db, claim::Column::Slug, slugs, |row| &row.slug).await
}

/// Facts by slug.
pub async fn facts_by_slug(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, fact::Model>, DbErr> {
    by_key::<fact::Entity>(db, fact::Column::Slug, slugs, |row| &row.slug).await
}

/// Relations by key.
pub async fn relations_by_key(
    db: &impl ConnectionTrait,
    keys: &[String],
) -> Result<HashMap<String, relation::Model>, DbErr> {
    by_key::<relation::Entity>(db, relation::Column::Key, keys, |row| &row.key).await
}

/// For each of `keys`, the values of the link rows of `E` whose `parent` column holds it, in
/// `position` order: a claim's subjects, a source's authors, an entity's aliases.
async fn linked<E: EntityTrait>(
    db: &impl ConnectionTrait,
    parent: E::Column,
    position: E::Column,
    keys: &[String],
    parent_of: fn(&E::Model) -> &String,
    value_of: fn(E::Model) -> String,
) -> Result<HashMap<String, Vec<String>>, DbErr> {
    let rows = E::find()
        .filter(parent.is_in(keys.iter().cloned()))
        .order_by_asc(parent)
        .order_by_asc(position)
        .all(db)
        .await?;
    Ok(group(rows, |row| parent_of(row).clone())
        .into_iter()
        .map(|(key, rows)| (key, rows.into_iter().map(value_of).collect()))
        .collect())
}

/// Each entity's aliases, in order.
pub async fn aliases(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, Vec<String>>, DbErr> {
    use entity_alias::{Column, Entity};
    linked::<Entity>(
        db,
        Column::EntitySlug,
        Column::Position,
        slugs,
        |row| &row.entity_slug,
        |row| row.alias,
    )
    .await
}

/// Which end of a relation an entity is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum End {
    Subject,
    Object,
}

/// The relations each entity is at `end` of, in key order.
pub async fn relations_of(
    db: &impl ConnectionTrait,
    end: End,
    slugs: &[String],
) -> Result<HashMap<String, Vec<relation::Model>>, DbErr> {
    let column = match end {
        End::Subject => relation::Column::SubjectSlug,
        End::Object => relation::Column::ObjectSlug,
    };
    let rows = relation::Entity::find()
        .filter(column.is_in(slugs.iter().cloned()))
        .order_by_asc(relation::Column::Key)
        .all(db)
        .await?;
    Ok(group(rows, |row| match end {
        End::Subject => row.subject_slug.clone(),
        End::Object => row.object_slug.clone(),
    }))
}

/// Each relation's evidence claims, in order.
pub async fn evidence(
    db: &impl ConnectionTrait,
    keys: &[String],
) -> Result<HashMap<String, Vec<claim::Model>>, DbErr> {
    let links = relation_evidence::Entity::find()
        .filter(relation_evidence::Column::RelationKey.is_in(keys.iter().cloned()))
        .order_by_asc(relation_evidence::Column::RelationKey)
        .order_by_asc(relation_evidence::Column::Position)
        .all(db)
        .await?;
    let slugs: Vec<String> = links.iter().map(|link| link.claim_slug.clone()).collect();
    let claims = claims_by_slug(db, &slugs).await?;
    Ok(group(links, |link| link.relation_key.clone())
        .into_iter()
        .map(|(key, links)| {
            let claims = links
                .into_iter()
                .filter_map(|link| claims.get(&link.claim_slug).cloned())
                .collect();
            (key, claims)
        })
        .collect())
}

/// The claims about each entity, in source order.
pub async fn claims_about(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, Vec<claim::Model>>, DbErr> {
    let links = claim_subject::Entity::find()
        .filter(claim_subject::Column::EntitySlug.is_in(slugs.iter().cloned()))
        .all(db)
        .await?;
    let claim_slugs: Vec<String> = links.iter().map(|link| link.claim_slug.clone()).collect();
    let claims = claims_by_slug(db, &claim_slugs).await?;
    Ok(group(links, |link| link.entity_slug.clone())
        .into_iter()
        .map(|(entity, links)| {
            let mut about: Vec<claim::Model> = links
                .into_iter()
                .filter_map(|link| claims.get(&link.claim_slug).cloned())
                .collect();
            about.sort_by(|a, b| {
                (&a.source_slug, a.start_offset, &a.slug).cmp(&(
                    &b.source_slug,
                    b.start_offset,
                    &b.slug,
                ))
            });
            (entity, about)
        })
        .collect())
}

/// The slugs of the entities each claim is about, in order.
pub async fn claim_subjects(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, Vec<String>>, DbErr> {
    use claim_subject::{Column, Entity};
    linked::<Entity>(
        db,
        Column::ClaimSlug,
        Column::Position,
        slugs,
        |row| &row.claim_slug,
        |row| row.entity_slug,
    )
    .await
}

/// The slugs of the actors each claim is attributed to, in order (none when its source's
/// authors assert it themselves).
pub async fn claim_asserters(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, Vec<String>>, DbErr> {
    use claim_asserter::{Column, Entity};
    linked::<Entity>(
        db,
        Column::ClaimSlug,
        Column::Position,
        slugs,
        |row| &row.claim_slug,
        |row| row.actor_slug,
    )
    .await
}

/// The slugs of each source's actors in `role` (`author` or `publisher`), in order.
pub async fn source_actors(
    db: &impl ConnectionTrait,
    role: &str,
    slugs: &[String],
) -> Result<HashMap<String, Vec<String>>, DbErr> {
    let rows = source_actor::Entity::find()
        .filter(source_actor::Column::SourceSlug.is_in(slugs.iter().cloned()))
        .filter(source_actor::Column::Role.eq(role))
        .order_by_asc(source_actor::Column::SourceSlug)
        .order_by_asc(source_actor::Column::Position)
        .all(db)
        .await?;
    Ok(group(rows, |row| row.source_slug.clone())
        .into_iter()
        .map(|(source, rows)| (source, rows.into_iter().map(|row| row.actor_slug).collect()))
        .collect())
}

/// The sources each actor authored, by publication date.
pub async fn authored_sources(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, Vec<source::Model>>, DbErr> {
    let links = source_actor::Entity::find()
        .filter(source_actor::Column::ActorSlug.is_in(slugs.iter().cloned()))
        .filter(source_actor::Column::Role.eq("author"))
        .all(db)
        .await?;
    let source_slugs: Vec<String> = links.iter().map(|link| link.source_slug.clone()).collect();
    let sources = sources_by_slug(db, &source_slugs).await?;
    Ok(group(links, |link| link.actor_slug.clone())
        .into_iter()
        .map(|(actor, links)| {
            let mut authored: Vec<source::Model> = links
                .into_iter()
                .filter_map(|link| sources.get(&link.source_slug).cloned())
                .collect();
            authored.sort_by(|a, b| (&a.published, &a.slug).cmp(&(&b.published, &b.slug)));
            (actor, authored)
        })
        .collect())
}

/// Each law's provisions, in order.
pub async fn provisions(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, Vec<law_provision::Model>>, DbErr> {
    let rows = law_provision::Entity::find()
        .filter(law_provision::Column::LawSlug.is_in(slugs.iter().cloned()))
        .order_by_asc(law_provision::Column::LawSlug)
        .order_by_asc(law_provision::Column::Position)
        .all(db)
        .await?;
    Ok(group(rows, |row| row.law_slug.clone()))
}

/// Each law's penalties, in order.
pub async fn penalties(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, Vec<law_penalty::Model>>, DbErr> {
    let rows = law_penalty::Entity::find()
        .filter(law_penalty::Column::LawSlug.is_in(slugs.iter().cloned()))
        .order_by_asc(law_penalty::Column::LawSlug)
        .order_by_asc(law_penalty::Column::Position)
        .all(db)
        .await?;
    Ok(group(rows, |row| row.law_slug.clone()))
}

/// The claims stating each fact, in source order.
pub async fn claims_of_facts(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, Vec<claim::Model>>, DbErr> {
    let rows = claim::Entity::find()
        .filter(claim::Column::FactSlug.is_in(slugs.iter().cloned()))
        .order_by_asc(claim::Column::SourceSlug)
        .order_by_asc(claim::Column::StartOffset)
        .all(db)
        .await?;
    Ok(group(rows, |row| row.fact_slug.clone().unwrap_or_default()))
}

/// The recommendations each source makes, by name.
pub async fn recommendations_of_sources(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, Vec<entity::Model>>, DbErr> {
    let rows = entity::Entity::find()
        .filter(entity::Column::Kind.eq(EntityKind::Recommendation))
        .filter(entity::Column::SourceSlug.is_in(slugs.iter().cloned()))
        .order_by_asc(entity::Column::Name)
        .all(db)
        .await?;
    Ok(group(rows, |row| {
        row.source_slug.clone().unwrap_or_default()
    }))
}

/// The latest dataset version, if the database was ever synced.
pub async fn latest_version(
    db: &impl ConnectionTrait,
) -> Result<Option<dataset_version::Model>, DbErr> {
    dataset_version::Entity::find()
        .order_by_desc(dataset_version::Column::Id)
        .one(db)
        .await
}

/// How many rows of each kind the dataset holds: entities by kind, then the other tables.
pub async fn counts(db: &impl ConnectionTrait) -> Result<Counts, DbErr> {
    use sea_orm::PaginatorTrait;
    let by_kind: Vec<(EntityKind, i64)> = entity::Entity::find()
        .select_only()
        .column(entity::Column::Kind)
        .column_as(entity::Column::Slug.count(), "count")
        .group_by(entity::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    Ok(Counts {
        entities: by_kind
            .into_iter()
            .map(|(kind, n)| (kind, n as u64))
            .collect(),
        sources: source::Entity::find().count(db).await?,
        claims: claim::Entity::find().count(db).await?,
        relations: relation::Entity::find().count(db).await?,
        facts: fact::Entity::find().count(db).await?,
    })
}

/// Row counts of the dataset.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub entities: HashMap<EntityKind, u64>,
    pub sources: u64,
    pub claims: u64,
    pub relations: u64,
    pub facts: u64,
}
