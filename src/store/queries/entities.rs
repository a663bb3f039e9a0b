//! Entities: the filtered list with its orderings, lookups by slug, and what hangs off an
//! entity (aliases, a law's provisions and penalties, a source's recommendations).

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Select,
    sea_query::{Expr, Func, Query},
};

use super::{DateRange, by_key, contains, dated, group, linked, undated};
use crate::{
    domain::{ActorKind, EntityKind},
    store::{
        entities::*,
        page::{Ordering, SortType, SortValue},
    },
};

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
    select.filter(
        filter.dates.overlapping(
            Expr::col((entity::Entity, entity::Column::StartsOnEarliest)),
            Func::coalesce([
                Expr::col((entity::Entity, entity::Column::EndsOnLatest)),
                Expr::col((entity::Entity, entity::Column::AsOfLatest)),
                Expr::col((entity::Entity, entity::Column::StartsOnLatest)),
            ])
            .into(),
        ),
    )
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
                    dated((entity::Entity, entity::Column::StartsOnSort)),
                    SortType::Text,
                ),
                slug,
            ],
            descending,
            values: |row| {
                vec![
                    undated(&row.starts_on_sort),
                    SortValue::Text(row.slug.clone()),
                ]
            },
        },
    }
}

/// Entities by slug.
pub async fn entities_by_slug(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, entity::Model>, DbErr> {
    by_key::<entity::Entity>(db, entity::Column::Slug, slugs, |row| &row.slug).await
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
