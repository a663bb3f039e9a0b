//! The GraphQL schema: types, the query root, loaders, errors and limits.
//!
//! The query root is merged from one part per domain, each in a module of its own: [`node`],
//! [`sources`], [`entities`], [`claims`], [`relations`], [`facts`], [`explore`] and
//! [`dataset`] (and the caller's [`rate_limit`]). The object types they return are in
//! [`types`], one module per type, since a type is reached from many roots.
//!
//! The subscription root, [`subscription`], pushes the change feed as it grows.
//!
//! [`build`] makes the schema; it needs no database, so `nkhr schema` prints the SDL offline
//! and a test compares it with `schema/schema.graphql`. A served schema carries the database
//! connection; each request carries its own loaders (see [`request`]).

pub mod args;
pub mod claims;
pub mod connection;
pub mod cost;
pub mod dataset;
pub mod entities;
pub mod error;
mod error_code;
pub mod explore;
pub mod facts;
pub mod history;
pub mod ids;
pub mod loaders;
pub mod locate;
pub mod node;
pub mod rate_limit;
pub mod relations;
pub mod response;
pub mod shape;
pub mod sources;
pub mod subscription;
pub mod types;

use std::sync::Arc;

use async_graphql::{EmptyMutation, MergedObject, Schema};
use sea_orm::DatabaseConnection;

use crate::store::snapshot::Snapshot;

pub use error::ErrorCode;

/// Every query a client can make.
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    rate_limit::RateLimitQuery,
    sources::SourceQuery,
    locate::LocateQuery,
    entities::EntityQuery,
    entities::ActorQuery,
    entities::LawQuery,
    entities::MeasureQuery,
    entities::EventQuery,
    entities::RecommendationQuery,
    claims::ClaimQuery,
    relations::RelationQuery,
    facts::FactQuery,
    dataset::DatasetQuery,
    explore::ExploreQuery,
    history::HistoryQuery,
);

/// The schema nkhr serves.
pub type NkhrSchema = Schema<Query, EmptyMutation, subscription::Subscription>;

/// The limits a schema enforces on every document.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How deeply data selections may nest.
    pub depth: usize,
    /// How deeply introspection may nest, counted from `__schema` or `__type` (see [`shape`]).
    pub introspection_depth: usize,
    /// How many selections a document may have once its fragment spreads are expanded.
    pub selections: u64,
    /// The node limit: how much a query may cost, counted before it runs (see [`cost`]).
    pub complexity: usize,
    /// How many directives a field may carry.
    pub directives: usize,
    /// Whether clients may introspect the schema (GraphiQL and code generators need it).
    pub introspection: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            depth: 12,
            // The standard introspection queries reach 15 levels (`ofType` nine deep under
            // `__schema { types { fields { args { type`); 32 leaves room for their
            // `typeDepth` option up to 26 levels without letting introspection nest unboundedly.
            introspection_depth: 32,
            // Twice the most fields a document within the token limit can spell out without
            // fragments, and some 20 times what the standard introspection query expands to.
            selections: 10_000,
            complexity: 250_000,
            directives: 5,
            introspection: true,
        }
    }
}

/// Builds the schema; `db` is `None` when only the SDL is wanted.
pub fn build(db: Option<DatabaseConnection>, limits: &Limits) -> NkhrSchema {
    build_with(db, limits, crate::citation::PublicUrl::default())
}

/// Builds the schema whose permalinks start with `public_url`.
pub fn build_with(
    db: Option<DatabaseConnection>,
    limits: &Limits,
    public_url: crate::citation::PublicUrl,
) -> NkhrSchema {
    let mut builder = Schema::build(Query::default(), EmptyMutation, subscription::Subscription)
        // Every error code is listed in the SDL, though no field returns one.
        .register_output_type::<ErrorCode>()
        .extension(error::ErrorCodes)
        .extension(rate_limit::RateLimits {
            node_limit: limits.complexity as u64,
        })
        .extension(response::SpecResponse)
        // The parser's own bound on nested selections; the depth limits proper are checked
        // before the schema runs (see `shape`).
        .limit_recursive_depth(64)
        .limit_directives(limits.directives)
        .disable_suggestions()
        .data(public_url);
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
    sdl_of(&build(None, &Limits::default()))
}

/// A schema's SDL, with each custom scalar's `@specifiedBy` URL.
pub fn sdl_of(schema: &NkhrSchema) -> String {
    schema.sdl_with_options(async_graphql::SDLExportOptions::new().include_specified_by())
}

/// Marks the answer of a subscription step that had no event, inside [`Executor`] only.
const NO_EVENT: &str = "nkhr-no-event";

/// Runs requests against the schema, each with a fresh set of loaders reading through one
/// [`Snapshot`], so that every read of a request sees one dataset version.
///
/// A request runs on the task that calls [`Executor::execute`], on the runtime's own threads:
/// its loaders' fetches are driven by the same task, which starts each wave once the executor
/// is idle (see [`loaders`]), so batching needs no thread of its own. Dropping the future of
/// [`Executor::execute`] — a client that went away, a timeout — cancels the run.
#[derive(Clone)]
pub struct Executor {
    schema: NkhrSchema,
    db: DatabaseConnection,
    shape: shape::ShapeLimits,
}

impl Executor {
    /// An executor for `schema` over `db`, checking documents' shapes against `limits`.
    pub fn new(schema: NkhrSchema, db: DatabaseConnection, limits: &Limits) -> Self {
        Self {
            schema,
            db,
            shape: shape::ShapeLimits {
                depth: limits.depth,
                introspection_depth: limits.introspection_depth,
                selections: limits.selections,
            },
        }
    }

    /// Checks a parsed document's shape — its expanded size and its depths — before it is
    /// handed to [`Executor::execute`]: validation follows every fragment spread, so this
    /// must pass first.
    pub fn check_shape(
        &self,
        document: &async_graphql::parser::types::ExecutableDocument,
    ) -> Result<shape::Shape, shape::ShapeError> {
        shape::check(document, &self.shape)
    }

    /// The schema requests run against.
    pub fn schema(&self) -> &NkhrSchema {
        &self.schema
    }

    /// Runs one request to completion. A resolver that panics fails the request with a coded
    /// internal error instead of taking the connection's task down with it.
    pub async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        let schema = self.schema.clone();
        self.run(request, move |request| async move {
            schema.execute(request).await
        })
        .await
    }

    /// Runs one step of a subscription (see [`subscription`]): the subscription document,
    /// with a read transaction and loaders of its own, up to its first event. `None` when the
    /// step has no event to deliver.
    pub async fn execute_step(
        &self,
        request: async_graphql::Request,
    ) -> Option<async_graphql::Response> {
        use futures_util::StreamExt;

        let schema = self.schema.clone();
        let outcome = self
            .run(request, move |request| async move {
                let mut events = schema.execute_stream(request);
                match events.next().await {
                    // A subscription's events do not pass the extensions' `request` hook,
                    // which gives every error its code: they get theirs here.
                    Some(mut event) => {
                        event.errors.iter_mut().for_each(error::classify);
                        event
                    }
                    None => async_graphql::Response::new(async_graphql::Value::Null)
                        .extension(NO_EVENT, async_graphql::Value::Boolean(true)),
                }
            })
            .await;
        (!outcome.extensions.contains_key(NO_EVENT)).then_some(outcome)
    }

    /// Runs `execute` on `request` with a fresh snapshot and loaders, catching a panic.
    async fn run<F, Fut>(
        &self,
        request: async_graphql::Request,
        execute: F,
    ) -> async_graphql::Response
    where
        F: FnOnce(async_graphql::Request) -> Fut,
        Fut: std::future::Future<Output = async_graphql::Response>,
    {
        use futures_util::FutureExt;

        let snapshot = Arc::new(Snapshot::new(self.db.clone()));
        let (loaders, waves) = loaders::for_request(snapshot.clone());
        let run = waves.drive(execute(request.data(loaders).data(snapshot.clone())));
        let outcome = std::panic::AssertUnwindSafe(run).catch_unwind().await;
        // The request's own handles on the snapshot went with it; the last one ends the
        // transaction (were one still held, dropping it would roll the transaction back).
        if let Ok(snapshot) = Arc::try_unwrap(snapshot) {
            snapshot.finish().await;
        }
        match outcome {
            Ok(response) => response,
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|message| (*message).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                tracing::error!(panic = %message, "a request's execution panicked");
                let mut error = async_graphql::ServerError::new(error::INTERNAL_MESSAGE, None);
                error::set_code(&mut error, ErrorCode::InternalServerError);
                async_graphql::Response::from_errors(vec![error])
            }
        }
    }
}
