//! Full-text search over claims, entities and sources, the same on SQLite and PostgreSQL.
//!
//! Two engines, one behaviour. SQLite has FTS5 and PostgreSQL has `tsvector`; they split text
//! into words differently (PostgreSQL keeps `kim-jong-un` whole *and* in parts, reads `1.5`
//! as one number, and so on), so a query handed to each as typed would find different
//! records. Instead nkhr splits every text into words itself ([`words`]: runs of letters and
//! digits, lower-cased) and stores those words, space-separated, in the `search_index` table;
//! it parses the user's search with its own small grammar ([`SearchQuery::parse`]) and writes
//! it out in each engine's syntax. Both engines then see the same words on both sides and
//! find the same records. Only the ranking differs: FTS5 ranks by BM25, PostgreSQL by
//! `ts_rank`, so records that both find may come in another order.
//!
//! The parts: [`grammar`] reads a search, [`index`] keeps and queries the index, and
//! [`snippet`] cuts the window of text a hit shows. This module holds what they share: the
//! kinds of record and the hits with their cursors.

mod grammar;
mod index;
pub mod snippet;

use sha2::{Digest, Sha256};

pub use grammar::{MAX_QUERY_CHARS, MAX_TERMS, SearchQuery, SyntaxError, Term, words};
pub use index::{Subset, count, ensure_fresh, refresh, reindex, search, update};

use super::page::{Cursor, PageError, SortValue};
use crate::domain::EntityKind;

/// What kind of record a search hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SearchKind {
    /// A claim: its statement and its quote are searched.
    Claim,
    /// A source document: its title, its authors' names and its full text are searched.
    Source,
    /// An actor: its name, aliases and description are searched.
    Actor,
    /// A law: its name, aliases and description are searched.
    Law,
    /// A measure: its name, aliases and description are searched.
    Measure,
    /// An event: its name, aliases and description are searched.
    Event,
    /// A recommendation: its name, aliases and description are searched.
    Recommendation,
}

impl SearchKind {
    /// The kind as the index stores it.
    pub fn as_str(&self) -> &'static str {
        match self {
            SearchKind::Claim => "claim",
            SearchKind::Source => "source",
            SearchKind::Actor => "actor",
            SearchKind::Law => "law",
            SearchKind::Measure => "measure",
            SearchKind::Event => "event",
            SearchKind::Recommendation => "recommendation",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "claim" => SearchKind::Claim,
            "source" => SearchKind::Source,
            "actor" => SearchKind::Actor,
            "law" => SearchKind::Law,
            "measure" => SearchKind::Measure,
            "event" => SearchKind::Event,
            "recommendation" => SearchKind::Recommendation,
            _ => return None,
        })
    }

    /// The search kind of an entity of `kind`.
    pub fn of_entity(kind: EntityKind) -> Self {
        match kind {
            EntityKind::Actor => SearchKind::Actor,
            EntityKind::Law => SearchKind::Law,
            EntityKind::Measure => SearchKind::Measure,
            EntityKind::Event => SearchKind::Event,
            EntityKind::Recommendation => SearchKind::Recommendation,
        }
    }
}

/// A record the index found, with its rank as an integer (higher is better) so that it can
/// sit in a cursor and compare exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: SearchKind,
    pub slug: String,
    pub score: i64,
}

/// The name of the ordering a search's cursors belong to: a cursor from one search is refused
/// by another.
pub fn ordering_name(query: &SearchQuery, kinds: &[SearchKind]) -> String {
    let mut kinds: Vec<&str> = kinds.iter().map(SearchKind::as_str).collect();
    kinds.sort_unstable();
    let digest = Sha256::digest(format!("{}|{}", query.describe(), kinds.join(",")));
    format!("search:{}", hex::encode(&digest[..6]))
}

impl Hit {
    /// The cursor that marks this hit's place in the results of the search `ordering`.
    pub fn cursor(&self, ordering: &str) -> Cursor {
        Cursor {
            ordering: ordering.to_owned(),
            values: vec![
                SortValue::Int(self.score),
                SortValue::Text(self.kind.as_str().to_owned()),
                SortValue::Text(self.slug.clone()),
            ],
        }
    }

    /// The hit a cursor of the search `ordering` marks.
    pub fn from_cursor(cursor: &Cursor, ordering: &str) -> Result<Self, PageError> {
        match (cursor.ordering == ordering, cursor.values.as_slice()) {
            (
                true,
                [
                    SortValue::Int(score),
                    SortValue::Text(kind),
                    SortValue::Text(slug),
                ],
            ) => Ok(Hit {
                kind: SearchKind::parse(kind).ok_or(PageError::BadCursor)?,
                slug: slug.clone(),
                score: *score,
            }),
            _ => Err(PageError::BadCursor),
        }
    }
}
