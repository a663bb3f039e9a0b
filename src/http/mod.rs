//! HTTP: the axum router that serves GraphQL, GraphiQL, the SDL, and health checks.
//!
//! [`router`] builds the whole service from an [`AppState`], so tests drive it with
//! `tower::ServiceExt::oneshot` exactly as the server runs it.

pub mod error;
pub mod export;
pub mod graphiql;
pub mod graphql;
pub mod health;
pub mod permalink;

use axum::{
    Router,
    http::{HeaderValue, Method, header},
    response::IntoResponse,
    routing::get,
};
use sea_orm::DatabaseConnection;
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    trace::TraceLayer,
};

pub use graphiql::GraphiqlAssets;

use crate::graphql::Executor;

/// The largest request body accepted by default, in bytes.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

/// How the HTTP layer behaves.
#[derive(Clone)]
pub struct HttpSettings {
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Where GraphiQL's scripts come from.
    pub graphiql_assets: GraphiqlAssets,
    /// The origins browsers may call the API from; `None` allows any origin.
    pub cors_origins: Option<Vec<HeaderValue>>,
    /// The base URL readers reach the service at, which permalinks start with.
    pub public_url: crate::citation::PublicUrl,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            body_limit: DEFAULT_BODY_LIMIT,
            graphiql_assets: GraphiqlAssets::Cdn,
            cors_origins: None,
            public_url: crate::citation::PublicUrl::default(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub executor: Executor,
    pub db: DatabaseConnection,
    pub settings: HttpSettings,
}

/// `GET /schema.graphql`: the schema in SDL, for code generators.
async fn schema_sdl(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        state.executor.schema().sdl(),
    )
}

fn cors(origins: &Option<Vec<HeaderValue>>) -> CorsLayer {
    let allow = match origins {
        None => AllowOrigin::any(),
        Some(list) => AllowOrigin::list(list.clone()),
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::AUTHORIZATION,
            header::IF_NONE_MATCH,
        ])
        .max_age(std::time::Duration::from_secs(3600))
}

/// The whole service.
pub fn router(state: AppState) -> Router {
    let cors = cors(&state.settings.cors_origins);
    Router::new()
        .route(
            "/graphql",
            get(graphql::get)
                .post(graphql::post)
                .fallback(graphql::other_method),
        )
        .route("/", get(graphiql::graphiql))
        .route("/graphiql", get(graphiql::graphiql))
        .route("/graphiql/assets/{name}", get(graphiql::asset))
        .route("/schema.graphql", get(schema_sdl))
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .route("/export/{file}", get(export::export))
        .route("/claims/{slug}", get(permalink::claim))
        .route("/sources/{slug}", get(permalink::source))
        .layer(cors)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
