//! An entity of any kind: actor, law, measure, event or recommendation.
//!
//! The kinds share one table because relations and claims point at entities of any kind;
//! the columns a kind does not use are null.

use sea_orm::entity::prelude::*;

use crate::domain::{ActorKind, DescriptionBasis, EntityKind, MeasureStatus};

/// A row of the `entity` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "entity")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    /// The record's identity, `"<Type>:<slug at creation>"`, minted once: the global ID encodes it.
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub description: String,
    /// Whether the description rests on claims or is editorial. Defaulted when a retracted
    /// row kept from before the column existed is read back.
    #[serde(default)]
    pub description_basis: DescriptionBasis,
    /// Actors only.
    pub actor_kind: Option<ActorKind>,
    /// Measures only.
    pub status: Option<MeasureStatus>,
    /// When a measure or event started, or a law was enacted, as a partial ISO date.
    pub starts_on: Option<String>,
    /// When a measure or event ended, as a partial ISO date.
    pub ends_on: Option<String>,
    /// A measure or event known to hold at this date, its end unknown ("as of").
    #[serde(default)]
    pub as_of: Option<String>,
    /// The first day `starts_on` can mean, `YYYY-MM-DD`; the columns below are derived from
    /// the dates as `PartialDate` defines them, so that SQL sorts and filters by the same
    /// days (`*_sort` is `PartialDate::sort_key`). Defaulted when a retracted row kept from
    /// before the columns existed is read back.
    #[serde(default)]
    pub starts_on_earliest: Option<String>,
    #[serde(default)]
    pub starts_on_latest: Option<String>,
    #[serde(default)]
    pub starts_on_sort: Option<String>,
    #[serde(default)]
    pub ends_on_earliest: Option<String>,
    #[serde(default)]
    pub ends_on_latest: Option<String>,
    #[serde(default)]
    pub ends_on_sort: Option<String>,
    #[serde(default)]
    pub as_of_latest: Option<String>,
    /// Laws only: the actor whose law it is.
    pub jurisdiction: Option<String>,
    /// Recommendations only: the source that makes it.
    pub source_slug: Option<String>,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
