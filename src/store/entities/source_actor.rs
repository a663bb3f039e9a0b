//! An author or the publisher of a source.

use sea_orm::entity::prelude::*;

/// A row of the `source_actor` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "source_actor")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub source_slug: String,
    /// `author` or `publisher`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub role: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub actor_slug: String,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
