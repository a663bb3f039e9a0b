//! Sources: the filtered list with its orderings, lookups by slug, and their actors.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Select,
    sea_query::{Expr, Query, SimpleExpr},
};

use super::{DateRange, by_key, group};
use crate::store::{
    entities::*,
    page::{Ordering, SortType, SortValue},
};

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

/// Sources by slug.
pub async fn sources_by_slug(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, source::Model>, DbErr> {
    by_key::<source::Entity>(db, source::Column::Slug, slugs, |row| &row.slug).await
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
