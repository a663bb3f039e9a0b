//! A claim that backs a relation.

use sea_orm::entity::prelude::*;

/// A row of the `relation_evidence` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "relation_evidence")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub relation_key: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub claim_slug: String,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
