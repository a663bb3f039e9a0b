//! A fact that one or more claims state, possibly from different sources.

use sea_orm::entity::prelude::*;

/// A row of the `fact` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "fact")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    /// The record's identity, `"<Type>:<slug at creation>"`, minted once: the global ID encodes it.
    pub id: String,
    pub statement: String,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
