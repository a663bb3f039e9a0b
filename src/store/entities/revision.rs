//! One change to one record: the history, and the change feed read in `id` order.

use sea_orm::entity::prelude::*;

/// A row of the `revision` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "revision")]
pub struct Model {
    /// The position in the change feed: increasing, in the order the changes were made.
    #[sea_orm(primary_key)]
    pub id: i32,
    pub record_id: String,
    /// 1 for the record's first revision, then 2, 3…
    pub number: i32,
    /// The dataset version the change belongs to.
    pub version: i32,
    pub at: DateTimeUtc,
    /// The GraphQL type of the record after the change: `Claim`, `Actor`, `Relation`…
    pub node_type: String,
    /// The record's slug (a relation's key) after the change.
    pub slug: String,
    /// Who made the change: the dataset files with their digest, for an import.
    pub author: String,
    /// Why, when the change says so.
    pub reason: Option<String>,
    /// What changed: a JSON array of `{ "field", "before", "after" }`.
    pub changes: String,
    /// `UPSERT` or `RETRACT`.
    pub operation: String,
    /// Whether the change corrects an error, as the changelog says.
    pub correction: bool,
    /// The record after the change, as JSON, as the API describes it.
    pub snapshot: String,
    /// The digest of the changelog entry that gave the reason, so it is attached only once.
    pub changelog_digest: Option<String>,
}

/// None: the history queries join by hand.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
