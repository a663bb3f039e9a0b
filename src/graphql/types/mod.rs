//! The GraphQL object types. Each wraps a store model and decides what a client sees; the
//! fields that follow a link go through the request's loaders.

mod aggregate;
mod claim;
mod date;
mod entity;
mod fact;
mod graph;
mod json;
mod relation;
mod search;
mod source;
mod support;
mod timeline;
mod timestamp;

pub use claim::{Claim, Quantity, QuoteSpan};
pub use date::DateValue;
pub use entity::{
    Actor, Entity, Event, Law, Measure, Penalty, Provision, Recommendation, RelationDirection,
};
pub use fact::Fact;
pub use relation::Relation;
pub use source::Source;

pub use aggregate::Aggregates;
pub use graph::Graph;
pub use json::JsonValue;
pub use search::{SearchHit, SearchKind, SearchResult};
pub use support::{Citation, SourceSupport};
pub use timeline::{Interval, TimelineBucket, TimelineItem, TimelineKind};
pub use timestamp::Timestamp;

use std::sync::Arc;

use async_graphql::{Context, ID, Interface};
use sea_orm::DatabaseTransaction;

use crate::store::snapshot::Snapshot;

use super::{error::ApiError, loaders::Loaders};

/// The request's loaders.
pub(crate) fn loaders<'a>(ctx: &Context<'a>) -> Result<&'a Loaders, ApiError> {
    ctx.data_opt::<Loaders>()
        .ok_or_else(|| ApiError::Internal("the request carries no loaders".to_owned()))
}

/// What the request reads through: its one read-only transaction (see
/// [`crate::store::snapshot`]), begun by the first read.
pub(crate) async fn database<'a>(ctx: &Context<'a>) -> Result<&'a DatabaseTransaction, ApiError> {
    let snapshot = ctx
        .data_opt::<Arc<Snapshot>>()
        .ok_or_else(|| ApiError::Internal("the request carries no snapshot".to_owned()))?;
    Ok(snapshot.reader().await?)
}

/// Anything with a global ID, which `node(id:)` fetches whatever its type.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "The global ID: opaque, and the same across reloads and databases."
))]
pub enum Node {
    Source(Source),
    Actor(Actor),
    Law(Law),
    Measure(Measure),
    Event(Event),
    Recommendation(Recommendation),
    Claim(Claim),
    Relation(Relation),
    Fact(Fact),
}

impl From<Entity> for Node {
    fn from(entity: Entity) -> Self {
        match entity {
            Entity::Actor(actor) => Node::Actor(actor),
            Entity::Law(law) => Node::Law(law),
            Entity::Measure(measure) => Node::Measure(measure),
            Entity::Event(event) => Node::Event(event),
            Entity::Recommendation(recommendation) => Node::Recommendation(recommendation),
        }
    }
}
