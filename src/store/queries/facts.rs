//! Facts: the filtered list, and lookups by slug.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Select,
    sea_query::{Expr, ExprTrait, Query},
};

use super::by_key;
use crate::{
    domain::FactStance,
    store::{
        entities::*,
        page::{Ordering, SortType, SortValue},
    },
};

/// Which facts a list shows.
#[derive(Debug, Clone, Default)]
pub struct FactFilter {
    /// Only facts supported by claims from at least this many different sources: claims that
    /// only mention or dispute a fact do not count.
    pub min_sources: Option<u32>,
    /// Only facts that some claim disputes (`true`), or that none does (`false`).
    pub contested: Option<bool>,
}

/// Facts matching `filter`.
pub fn facts(filter: &FactFilter) -> Select<fact::Entity> {
    let mut select = fact::Entity::find();
    if let Some(min) = filter.min_sources {
        let corroborated = Query::select()
            .column(claim::Column::FactSlug)
            .from(claim::Entity)
            .and_where(claim::Column::FactSlug.is_not_null())
            .and_where(claim::Column::Stance.eq(FactStance::Supports))
            .group_by_col(claim::Column::FactSlug)
            .and_having(
                Expr::col(claim::Column::SourceSlug)
                    .count_distinct()
                    .gte(i64::from(min)),
            )
            .to_owned();
        select = select.filter(fact::Column::Slug.in_subquery(corroborated));
    }
    if let Some(contested) = filter.contested {
        let disputed = Query::select()
            .column(claim::Column::FactSlug)
            .from(claim::Entity)
            .and_where(claim::Column::FactSlug.is_not_null())
            .and_where(claim::Column::Stance.eq(FactStance::Disputes))
            .to_owned();
        select = select.filter(if contested {
            fact::Column::Slug.in_subquery(disputed)
        } else {
            fact::Column::Slug.not_in_subquery(disputed)
        });
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

/// Facts by slug.
pub async fn facts_by_slug(
    db: &impl ConnectionTrait,
    slugs: &[String],
) -> Result<HashMap<String, fact::Model>, DbErr> {
    by_key::<fact::Entity>(db, fact::Column::Slug, slugs, |row| &row.slug).await
}
