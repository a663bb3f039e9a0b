//! A claim: a verbatim quote located in its source, and what it says.

use sea_orm::entity::prelude::*;

use crate::domain::{Certainty, ClaimKind, FactStance};

/// A row of the `claim` table.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "claim")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    /// The record's identity, `"<Type>:<slug at creation>"`, minted once: the global ID encodes it.
    pub id: String,
    pub source_slug: String,
    pub quote: String,
    /// Offsets of the quote in the source text, in Unicode scalar values.
    pub start_offset: i32,
    pub end_offset: i32,
    pub statement: String,
    pub certainty: Certainty,
    pub kind: ClaimKind,
    /// When the claim holds, or starts to, as a partial ISO date.
    pub holds_from: Option<String>,
    /// When the period the claim holds over ends, as a partial ISO date.
    pub holds_until: Option<String>,
    /// The first day `holds_from` can mean, `YYYY-MM-DD`; the columns below are derived from
    /// the dates as `PartialDate` defines them, so that SQL sorts and filters by the same
    /// days (`*_sort` is `PartialDate::sort_key`). Defaulted when a retracted row kept from
    /// before the columns existed is read back.
    #[serde(default)]
    pub holds_from_earliest: Option<String>,
    #[serde(default)]
    pub holds_from_latest: Option<String>,
    #[serde(default)]
    pub holds_from_sort: Option<String>,
    #[serde(default)]
    pub holds_until_earliest: Option<String>,
    #[serde(default)]
    pub holds_until_latest: Option<String>,
    #[serde(default)]
    pub holds_until_sort: Option<String>,
    pub quantity_value: Option<f64>,
    pub quantity_unit: Option<String>,
    pub fact_slug: Option<String>,
    /// How the claim bears on its fact; `supports` when it has none. A row kept from before
    /// the column existed (a retracted record's last row) reads as `supports`.
    #[serde(default)]
    pub stance: FactStance,
    pub note: Option<String>,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
