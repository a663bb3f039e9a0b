//! Another name an entity goes by.

use sea_orm::entity::prelude::*;

/// A row of the `entity_alias` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "entity_alias")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub entity_slug: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub alias: String,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
