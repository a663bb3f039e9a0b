//! A penalty a law provides for, backed by a claim.

use sea_orm::entity::prelude::*;

use crate::domain::PenaltyKind;

/// A row of the `law_penalty` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "law_penalty")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub law_slug: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub penalty: PenaltyKind,
    pub applies_to: String,
    pub evidence_slug: String,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
