//! A slug a record had before its current one: reserved forever, and still found by lookups.

use sea_orm::entity::prelude::*;

/// A row of the `former_slug` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "former_slug")]
pub struct Model {
    /// The slug namespace, as in `record.kind`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub record_id: String,
}

/// None: the import and the lookups join by hand.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
