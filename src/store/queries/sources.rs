//! Sources: the filtered list with its orderings, lookups by slug, and their actors.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Select,
    sea_query::{Alias, Expr, ExprTrait, Query, SimpleExpr},
};

use super::{DateRange, by_key, group, select_prefixed};
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

/// A source without its text and the text's file: what every field but the text itself
/// needs. The text is the one large column (kilobytes where the rest is a line), so a read
/// that prints a title leaves it in the database; [`source_texts`] reads it when asked.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct SourceHead {
    pub slug: String,
    pub id: String,
    pub title: String,
    pub kind: crate::domain::SourceKind,
    pub language: String,
    pub published: String,
    pub written_from: Option<String>,
    pub written_until: Option<String>,
    pub written_note: Option<String>,
    pub url: Option<String>,
    pub sha256: String,
}

impl From<&source::Model> for SourceHead {
    fn from(source: &source::Model) -> Self {
        Self {
            slug: source.slug.clone(),
            id: source.id.clone(),
            title: source.title.clone(),
            kind: source.kind,
            language: source.language.clone(),
            published: source.published.clone(),
            written_from: source.written_from.clone(),
            written_until: source.written_until.clone(),
            written_note: source.written_note.clone(),
            url: source.url.clone(),
            sha256: source.sha256.clone(),
        }
    }
}

/// The columns a [`SourceHead`] leaves out.
pub(super) const SOURCE_BODY: [source::Column; 2] = [source::Column::Text, source::Column::File];

/// Selects a [`SourceHead`]'s columns of the source table aliased `table`, prefixed `prefix`.
pub(super) fn select_source_head(
    query: &mut sea_orm::sea_query::SelectStatement,
    table: &str,
    prefix: &str,
) {
    select_prefixed::<source::Entity>(query, table, prefix, &SOURCE_BODY);
}

/// The sources with these slugs, without their texts.
pub async fn source_heads_by_slug(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, SourceHead>, DbErr> {
    let mut query = Query::select();
    query
        .from_as(source::Entity, Alias::new("source"))
        .and_where(
            Expr::col((Alias::new("source"), source::Column::Slug)).is_in(slugs.iter().cloned()),
        );
    select_source_head(&mut query, "source", "");
    let rows = db.query_all(&query).await?;
    rows.iter()
        .map(|row| {
            let head = SourceHead::from_query_result(row, "")?;
            Ok((head.slug.clone(), head))
        })
        .collect()
}

/// The texts of the sources with these slugs.
pub async fn source_texts(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, String>, DbErr> {
    let rows: Vec<(String, String)> = source::Entity::find()
        .select_only()
        .column(source::Column::Slug)
        .column(source::Column::Text)
        .filter(source::Column::Slug.is_in(slugs.iter().cloned()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The actors in `role` (`author` or `publisher`) of each source, in order, read with their
/// links in one statement.
pub async fn source_actor_entities(
    db: &impl ConnectionTrait,
    role: &str,
    slugs: &[String],
) -> Result<HashMap<String, Vec<entity::Model>>, DbErr> {
    let link = Alias::new("link");
    let actor = Alias::new("actor");
    let mut query = Query::select();
    query
        .expr_as(
            Expr::col((link.clone(), source_actor::Column::SourceSlug)),
            Alias::new("source_slug"),
        )
        .from_as(source_actor::Entity, link.clone())
        .join_as(
            sea_orm::JoinType::InnerJoin,
            entity::Entity,
            actor.clone(),
            Expr::col((actor.clone(), entity::Column::Slug))
                .equals((link.clone(), source_actor::Column::ActorSlug)),
        )
        .and_where(
            Expr::col((link.clone(), source_actor::Column::SourceSlug))
                .is_in(slugs.iter().cloned()),
        )
        .and_where(Expr::col((link.clone(), source_actor::Column::Role)).eq(role))
        .order_by(
            (link.clone(), source_actor::Column::SourceSlug),
            sea_orm::Order::Asc,
        )
        .order_by((link, source_actor::Column::Position), sea_orm::Order::Asc);
    select_prefixed::<entity::Entity>(&mut query, "actor", "actor_", &[]);
    let mut actors: HashMap<String, Vec<entity::Model>> = HashMap::new();
    for row in db.query_all(&query).await? {
        let source: String = row.try_get("", "source_slug")?;
        actors
            .entry(source)
            .or_default()
            .push(entity::Model::from_query_result(&row, "actor_")?);
    }
    Ok(actors)
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
