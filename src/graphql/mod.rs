//! The GraphQL schema: types, the query root, loaders, errors and limits.
//!
//! [`build`] makes the schema; it needs no database, so `nkhr schema` prints the SDL offline
//! and a test compares it with `schema/schema.graphql`. A served schema carries the database
//! connection; each request carries its own loaders (see [`request`]).

pub mod connection;
pub mod error;
pub mod ids;
pub mod loaders;
pub mod query;
pub mod types;

use async_graphql::{EmptyMutation, EmptySubscription, Schema};
use sea_orm::DatabaseConnection;

pub use query::Query;

/// The schema nkhr serves.
pub type NkhrSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// The limits a schema enforces on every document.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How deeply selections may nest.
    pub depth: usize,
    /// How much a document may cost: each field costs 1, and a list multiplies what its items
    /// select by the page size asked for.
    pub complexity: usize,
    /// How many directives a field may carry.
    pub directives: usize,
    /// Whether clients may introspect the schema (GraphiQL and code generators need it).
    pub introspection: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            depth: 15,
            complexity: 20_000,
            directives: 5,
            introspection: true,
        }
    }
}

/// Builds the schema; `db` is `None` when only the SDL is wanted.
pub fn build(db: Option<DatabaseConnection>, limits: &Limits) -> NkhrSchema {
    let mut builder = Schema::build(Query::default(), EmptyMutation, EmptySubscription)
        .extension(error::ErrorCodes)
        .limit_depth(limits.depth)
        .limit_complexity(limits.complexity)
        .limit_directives(limits.directives)
        .disable_suggestions();
    if !limits.introspection {
        builder = builder.disable_introspection();
    }
    if let Some(db) = db {
        builder = builder.data(db);
    }
    builder.finish()
}

/// The schema in SDL, as written to `schema/schema.graphql`.
pub fn sdl() -> String {
    build(None, &Limits::default()).sdl()
}

/// Prepares a request for execution: attaches a fresh set of loaders.
pub fn request(request: async_graphql::Request, db: &DatabaseConnection) -> async_graphql::Request {
    request.data(loaders::for_request(db.clone()))
}
