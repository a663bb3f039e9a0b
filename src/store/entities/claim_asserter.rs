//! An actor a claim's author attributes it to.

use sea_orm::entity::prelude::*;

/// A row of the `claim_asserter` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "claim_asserter")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub claim_slug: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub actor_slug: String,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
