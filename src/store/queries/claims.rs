//! Claims: the filtered list with its orderings, lookups by slug, and the links from claims
//! to the entities they are about, the actors who assert them and the facts they state.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Select,
    sea_query::{Expr, Func, Query},
};

use super::{DateRange, by_key, contains, dated, group, linked, undated};
use crate::{
    domain::{Certainty, ClaimKind},
    store::{
        entities::*,
        page::{Ordering, SortType, SortValue},
    },
};

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
    select.filter(
        filter.dates.overlapping(
            Expr::col((claim::Entity, claim::Column::HoldsFromEarliest)),
            Func::coalesce([
                Expr::col((claim::Entity, claim::Column::HoldsUntilLatest)),
                Expr::col((claim::Entity, claim::Column::HoldsFromLatest)),
            ])
            .into(),
        ),
    )
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
                    dated((claim::Entity, claim::Column::HoldsFromSort)),
                    SortType::Text,
                ),
                slug,
            ],
            descending,
            values: |row| {
                vec![
                    undated(&row.holds_from_sort),
                    SortValue::Text(row.slug.clone()),
                ]
            },
        },
    }
}

/// Claims by slug.
pub async fn claims_by_slug(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, claim::Model>, DbErr> {
    by_key::<claim::Entity>(db, claim::Column::Slug, slugs, |row| &row.slug).await
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
