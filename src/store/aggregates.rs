//! Counts of the whole dataset for charts: entities and actors by kind, claims by certainty,
//! kind, source and year, relations by type, each one grouped statement.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use super::{entities::*, sql::Sql};
use crate::domain::{ActorKind, Certainty, ClaimKind, EntityKind, PartialDate, RelationType};

/// The counts a chart of the dataset shows.
#[derive(Debug, Clone, Default)]
pub struct Aggregates {
    pub entity_kinds: Vec<(EntityKind, u64)>,
    pub actor_kinds: Vec<(ActorKind, u64)>,
    pub certainties: Vec<(Certainty, u64)>,
    pub claim_kinds: Vec<(ClaimKind, u64)>,
    /// Claims per source slug.
    pub sources: Vec<(String, u64)>,
    /// Claims per year they hold from (the year the date names: a decade's first year, the
    /// year an approximate date is about); undated claims are not counted.
    pub years: Vec<(i32, u64)>,
    /// Relations per type.
    pub relation_types: Vec<(RelationType, u64)>,
}

fn counted<K: Ord>(mut rows: Vec<(K, i64)>) -> Vec<(K, u64)> {
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows.into_iter()
        .map(|(key, n)| (key, u64::try_from(n).unwrap_or_default()))
        .collect()
}

/// Every count a chart of the dataset needs, one grouped statement each.
pub async fn aggregates(db: &impl ConnectionTrait) -> Result<Aggregates, DbErr> {
    let entity_kinds: Vec<(EntityKind, i64)> = entity::Entity::find()
        .select_only()
        .column(entity::Column::Kind)
        .column_as(entity::Column::Slug.count(), "n")
        .group_by(entity::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let actor_kinds: Vec<(ActorKind, i64)> = entity::Entity::find()
        .select_only()
        .column(entity::Column::ActorKind)
        .column_as(entity::Column::Slug.count(), "n")
        .filter(entity::Column::ActorKind.is_not_null())
        .group_by(entity::Column::ActorKind)
        .into_tuple()
        .all(db)
        .await?;
    let certainties: Vec<(Certainty, i64)> = claim::Entity::find()
        .select_only()
        .column(claim::Column::Certainty)
        .column_as(claim::Column::Slug.count(), "n")
        .group_by(claim::Column::Certainty)
        .into_tuple()
        .all(db)
        .await?;
    let claim_kinds: Vec<(ClaimKind, i64)> = claim::Entity::find()
        .select_only()
        .column(claim::Column::Kind)
        .column_as(claim::Column::Slug.count(), "n")
        .group_by(claim::Column::Kind)
        .into_tuple()
        .all(db)
        .await?;
    let sources: Vec<(String, i64)> = claim::Entity::find()
        .select_only()
        .column(claim::Column::SourceSlug)
        .column_as(claim::Column::Slug.count(), "n")
        .group_by(claim::Column::SourceSlug)
        .into_tuple()
        .all(db)
        .await?;
    let relation_types: Vec<(RelationType, i64)> = relation::Entity::find()
        .select_only()
        .column(relation::Column::RelationType)
        .column_as(relation::Column::Key.count(), "n")
        .group_by(relation::Column::RelationType)
        .into_tuple()
        .all(db)
        .await?;
    // Grouped by date in SQL, then by year here: the year a date names (a decade's first
    // year, the year an approximate date is about) is `PartialDate`'s to read, not SQL's.
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(
        "SELECT holds_from AS date, COUNT(*) AS n FROM claim \
         WHERE holds_from IS NOT NULL GROUP BY holds_from",
    );
    let mut by_year: std::collections::BTreeMap<i32, i64> = std::collections::BTreeMap::new();
    for row in db.query_all_raw(sql.statement()).await? {
        let date: String = row.try_get("", "date")?;
        let n: i64 = row.try_get("", "n")?;
        let date: PartialDate = date
            .parse()
            .map_err(|_| DbErr::Custom(format!("a claim is dated {date:?}")))?;
        *by_year.entry(date.year_number()).or_default() += n;
    }
    let years = by_year.into_iter().collect();
    Ok(Aggregates {
        entity_kinds: counted(entity_kinds),
        actor_kinds: counted(actor_kinds),
        certainties: counted(certainties),
        claim_kinds: counted(claim_kinds),
        sources: counted(sources),
        years: counted(years),
        relation_types: counted(relation_types),
    })
}
