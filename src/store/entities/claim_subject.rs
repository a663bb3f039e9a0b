//! An entity a claim is about.

use sea_orm::entity::prelude::*;

/// A row of the `claim_subject` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claim_subject")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub claim_slug: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub entity_slug: String,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
