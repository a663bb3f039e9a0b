//! Relations: the filtered list, lookups by key, the relations at either end of an entity,
//! and their evidence.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, JoinType,
    QueryFilter, QueryOrder, Select,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use super::{End, SourceHead, by_key, group, select_prefixed, select_source_head};
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

/// Which of an entity's relations a list shows, answered in SQL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RelationsAt {
    /// The end the entity is at; `None` for either.
    pub end: Option<End>,
    /// Only relations of these types; every type when empty.
    pub types: Vec<RelationType>,
    /// Whether to read each relation's evidence with it.
    pub evidence: bool,
}

/// A relation with the entities at its ends and, when they were asked for, its evidence
/// claims with each claim's source.
#[derive(Debug, Clone)]
pub struct FullRelation {
    pub relation: relation::Model,
    pub subject: entity::Model,
    pub object: entity::Model,
    pub evidence: Option<Vec<(claim::Model, SourceHead)>>,
}

/// The relations each entity in `slugs` has as `at` says, in key order, each with its ends
/// (and its evidence) joined in: one statement for the whole wave.
pub async fn relations_at(
    db: &impl ConnectionTrait,
    at: &RelationsAt,
    slugs: &[String],
) -> Result<HashMap<String, Vec<FullRelation>>, DbErr> {
    let r = Alias::new("r");
    let col = |table: &str, column: &str| Expr::col((Alias::new(table), Alias::new(column)));
    let mut query = Query::select();
    query
        .from_as(relation::Entity, r.clone())
        .join_as(
            JoinType::InnerJoin,
            entity::Entity,
            Alias::new("s"),
            col("s", "slug").equals((r.clone(), relation::Column::SubjectSlug)),
        )
        .join_as(
            JoinType::InnerJoin,
            entity::Entity,
            Alias::new("o"),
            col("o", "slug").equals((r.clone(), relation::Column::ObjectSlug)),
        );
    let subject = col("r", "subject_slug").is_in(slugs.iter().cloned());
    let object = col("r", "object_slug").is_in(slugs.iter().cloned());
    query.and_where(match at.end {
        Some(End::Subject) => subject,
        Some(End::Object) => object,
        None => subject.or(object),
    });
    if !at.types.is_empty() {
        query.and_where(
            col("r", "relation_type").is_in(at.types.iter().map(sea_orm::ActiveEnum::to_value)),
        );
    }
    select_prefixed::<relation::Entity>(&mut query, "r", "r_", &[]);
    select_prefixed::<entity::Entity>(&mut query, "s", "s_", &[]);
    select_prefixed::<entity::Entity>(&mut query, "o", "o_", &[]);
    query.order_by((r.clone(), relation::Column::Key), sea_orm::Order::Asc);
    if at.evidence {
        // A relation always has evidence; the outer joins keep one that lost it visible, so
        // that its `certainty` reports the fault instead of the relation vanishing.
        query
            .join_as(
                JoinType::LeftJoin,
                relation_evidence::Entity,
                Alias::new("e"),
                col("e", "relation_key").equals((r, relation::Column::Key)),
            )
            .expr_as(col("e", "position"), Alias::new("e_position"))
            .order_by(
                (Alias::new("e"), relation_evidence::Column::Position),
                sea_orm::Order::Asc,
            );
        join_evidence_claims(&mut query, JoinType::LeftJoin);
    }
    let mut relations: Vec<FullRelation> = Vec::new();
    for row in db.query_all(&query).await? {
        let relation = relation::Model::from_query_result(&row, "r_")?;
        if relations
            .last()
            .is_none_or(|last| last.relation.key != relation.key)
        {
            relations.push(FullRelation {
                relation,
                subject: entity::Model::from_query_result(&row, "s_")?,
                object: entity::Model::from_query_result(&row, "o_")?,
                evidence: at.evidence.then(Vec::new),
            });
        }
        let position: Option<i32> = row.try_get("", "e_position")?;
        if let (Some(_), Some(last)) = (position, relations.last_mut())
            && let Some(evidence) = &mut last.evidence
        {
            evidence.push((
                claim::Model::from_query_result(&row, "c_")?,
                SourceHead::from_query_result(&row, "src_")?,
            ));
        }
    }
    let mut found: HashMap<String, Vec<FullRelation>> = HashMap::new();
    for relation in relations {
        let (from, to) = (
            &relation.relation.subject_slug,
            &relation.relation.object_slug,
        );
        let at_subject = at.end != Some(End::Object) && slugs.contains(from);
        let at_object = at.end != Some(End::Subject) && slugs.contains(to) && from != to;
        if at_object {
            found.entry(to.clone()).or_default().push(relation.clone());
        }
        if at_subject {
            found.entry(from.clone()).or_default().push(relation);
        }
    }
    Ok(found)
}

/// Each relation's evidence claims, in order.
pub async fn evidence(
    db: &impl ConnectionTrait,
    keys: &[String],
) -> Result<HashMap<String, Vec<claim::Model>>, DbErr> {
    Ok(evidence_with_sources(db, keys)
        .await?
        .into_iter()
        .map(|(key, claims)| (key, claims.into_iter().map(|(claim, _)| claim).collect()))
        .collect())
}

/// Joins the claim of each evidence link `e` (as `c`) and the claim's source (as `src`), and
/// selects their columns under the prefixes `c_` and `src_` (the source without its text).
fn join_evidence_claims(query: &mut sea_orm::sea_query::SelectStatement, join: JoinType) {
    let col = |table: &str, column: &str| Expr::col((Alias::new(table), Alias::new(column)));
    query
        .join_as(
            join,
            claim::Entity,
            Alias::new("c"),
            col("c", "slug").equals((Alias::new("e"), relation_evidence::Column::ClaimSlug)),
        )
        .join_as(
            join,
            source::Entity,
            Alias::new("src"),
            col("src", "slug").equals((Alias::new("c"), claim::Column::SourceSlug)),
        );
    select_prefixed::<claim::Entity>(query, "c", "c_", &[]);
    select_source_head(query, "src", "src_");
}

/// Each relation's evidence claims, in order, each with its source: one statement.
pub async fn evidence_with_sources(
    db: &impl ConnectionTrait,
    keys: &[String],
) -> Result<HashMap<String, Vec<(claim::Model, SourceHead)>>, DbErr> {
    let col = |table: &str, column: &str| Expr::col((Alias::new(table), Alias::new(column)));
    let mut query = Query::select();
    query
        .from_as(relation_evidence::Entity, Alias::new("e"))
        .expr_as(col("e", "relation_key"), Alias::new("relation_key"))
        .and_where(col("e", "relation_key").is_in(keys.iter().cloned()))
        .order_by(
            (Alias::new("e"), relation_evidence::Column::RelationKey),
            sea_orm::Order::Asc,
        )
        .order_by(
            (Alias::new("e"), relation_evidence::Column::Position),
            sea_orm::Order::Asc,
        );
    join_evidence_claims(&mut query, JoinType::InnerJoin);
    let mut found: HashMap<String, Vec<(claim::Model, SourceHead)>> = HashMap::new();
    for row in db.query_all(&query).await? {
        let key: String = row.try_get("", "relation_key")?;
        found.entry(key).or_default().push((
            claim::Model::from_query_result(&row, "c_")?,
            SourceHead::from_query_result(&row, "src_")?,
        ));
    }
    Ok(found)
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
