//! A version of the dataset: one row each time a sync changed the database.

use sea_orm::entity::prelude::*;

/// A row of the `dataset_version` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dataset_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Digest of the dataset files this version was loaded from.
    pub digest: String,
    pub loaded_at: DateTimeUtc,
    /// How many records of each kind the version holds, for people reading the table.
    pub summary: String,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
