//! One row per identity ever minted: the register of every record, live or retracted.
//!
//! The dataset tables hold the live records only, so every list, search and count shows
//! exactly what the files hold; this table is what remembers the rest. A retracted record
//! keeps its row here, with the version and reason of its retraction and the last row it had
//! (`retracted_row`), so it still resolves by ID and by slug.

use sea_orm::entity::prelude::*;

/// A row of the `record` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "record")]
pub struct Model {
    /// The identity, `"<Type>:<slug at creation>"`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// The slug namespace: `source`, `entity`, `fact`, `claim` or `relation`.
    pub kind: String,
    /// The current slug (a relation's current key).
    pub slug: String,
    /// The number of the latest revision.
    pub revision: i32,
    /// The dataset version the record was first imported in.
    pub created_version: i32,
    pub retracted_version: Option<i32>,
    pub retraction_reason: Option<String>,
    /// The record after its latest revision, as JSON, as the API describes it.
    pub snapshot: String,
    /// The dataset-table row the record had when it was retracted, as JSON.
    pub retracted_row: Option<String>,
}

/// None: the import and the history queries join by hand.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
