//! A provision of a law, backed by a claim.

use sea_orm::entity::prelude::*;

/// A row of the `law_provision` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "law_provision")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub law_slug: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub article: Option<String>,
    pub summary: String,
    pub evidence_slug: String,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
