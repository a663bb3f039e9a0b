//! An API key, stored as its SHA-256 only.

use sea_orm::entity::prelude::*;

/// A row of the `api_key` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Who the key is for, for people reading the table.
    pub name: String,
    /// SHA-256 of the key, in hex.
    pub key_hash: String,
    /// The key's query-cost budget per hour; the default for keys when null.
    pub points_per_hour: Option<i64>,
    pub created_at: DateTimeUtc,
    /// When the key stopped working, if it did.
    pub revoked_at: Option<DateTimeUtc>,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
