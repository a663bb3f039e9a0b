//! A source document with its full text.

use sea_orm::entity::prelude::*;

use crate::domain::SourceKind;

/// A row of the `source` table.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "source")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    /// The record's identity, `"<Type>:<slug at creation>"`, minted once: the global ID encodes it.
    pub id: String,
    pub title: String,
    pub kind: SourceKind,
    pub language: String,
    /// Publication date as a partial ISO date.
    pub published: String,
    /// The earliest the text can have been written, as a partial ISO date.
    #[serde(default)]
    pub written_from: Option<String>,
    /// The latest the text can have been written, as a partial ISO date.
    #[serde(default)]
    pub written_until: Option<String>,
    /// How the writing time is read off the text.
    #[serde(default)]
    pub written_note: Option<String>,
    pub url: Option<String>,
    /// Path of the text in the dataset folder.
    pub file: String,
    pub text: String,
    pub sha256: String,
}

/// None: links are followed by the batched queries in `store::queries`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
