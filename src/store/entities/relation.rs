//! A typed, directed edge between two entities.

use sea_orm::entity::prelude::*;

use crate::domain::{RelationBasis, RelationType};

/// A row of the `relation` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "relation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// The record's identity, `"<Type>:<key at creation>"`, minted once: the global ID encodes it.
    pub id: String,
    pub subject_slug: String,
    pub relation_type: RelationType,
    pub object_slug: String,
    pub description: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    /// Stated by a quote, or inferred by the editors. Defaulted when a retracted row kept
    /// from before the column existed is read back.
    #[serde(default)]
    pub basis: RelationBasis,
    /// The editors' inference, for an inferred relation.
    #[serde(default)]
    pub inference: Option<String>,
    /// Slug of the actor the evidence attributes the relation to, when not the authors.
    #[serde(default)]
    pub asserted_by: Option<String>,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
