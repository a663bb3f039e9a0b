//! Relations: the filtered list, lookups by key, the relations at either end of an entity,
//! and their evidence.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Select,
    sea_query::Expr,
};

use super::{End, by_key, claims_by_slug, group};
use crate::{
    domain::RelationType,
    store::{
        entities::*,
        page::{Ordering, SortType, SortValue},
    },
};

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
        select = select.filter(relation::Column::Key.in_subquery(relations_with_sources(min)));
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

/// Relations by key.
pub async fn relations_by_key(
    db: &impl ConnectionTrait,
    keys: &[String],
) -> Result<HashMap<String, relation::Model>, DbErr> {
    by_key::<relation::Entity>(db, relation::Column::Key, keys, |row| &row.key).await
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

/// The keys of the relations whose evidence quotes at least `min` distinct sources.
pub fn relations_with_sources(min: u32) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    Query::select()
        .column((
            relation_evidence::Entity,
            relation_evidence::Column::RelationKey,
        ))
        .from(relation_evidence::Entity)
        .inner_join(
            claim::Entity,
            Expr::col((claim::Entity, claim::Column::Slug)).equals((
                relation_evidence::Entity,
                relation_evidence::Column::ClaimSlug,
            )),
        )
        .group_by_col((
            relation_evidence::Entity,
            relation_evidence::Column::RelationKey,
        ))
        .and_having(
            Expr::col((claim::Entity, claim::Column::SourceSlug))
                .count_distinct()
                .gte(i64::from(min)),
        )
        .to_owned()
}
