//! The dataset as a whole: its latest version and how many rows of each kind it holds.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryOrder, QuerySelect};

use crate::{domain::EntityKind, store::entities::*};

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
