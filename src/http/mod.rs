//! HTTP: the axum router that serves GraphQL (and its subscriptions over WebSocket),
//! GraphiQL, the SDL, the permalink and corrections pages, metrics and health checks.
//!
//! [`router`] builds the whole service from an [`AppState`], so tests drive it with
//! `tower::ServiceExt::oneshot` exactly as the server runs it.

pub mod assets;
pub mod cache;
pub mod caller;
pub mod charge;
pub mod corrections;
pub mod document;
pub mod error;
pub mod explore;
pub mod export;
pub mod graphiql;
pub mod graphql;
pub mod health;
pub mod listen;
pub mod metrics;
pub mod permalink;
pub mod persisted;
pub mod response_cache;
pub mod subscriptions;

use std::{sync::Arc, time::Duration};

use axum::{
    Router,
    http::{HeaderName, HeaderValue, Method, Request, header},
    response::IntoResponse,
    routing::get,
};
use sea_orm::DatabaseConnection;
use tower_http::{
    cors::{AllowOrigin, CorsLayer},
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer},
    trace::{DefaultOnResponse, TraceLayer},
};

pub use document::DocumentLimits;
pub use graphiql::GraphiqlAssets;

use crate::graphql::{
    Executor,
    rate_limit::{RateLimitSettings, RateLimiter},
};

/// The largest request body accepted by default, in bytes.
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

/// The largest GraphQL answer sent by default, in bytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// How long a request may take by default.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How the HTTP layer behaves.
#[derive(Clone)]
pub struct HttpSettings {
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// The largest GraphQL answer sent, in bytes; a larger one is replaced by a
    /// `RESPONSE_TOO_LARGE` error.
    pub max_response_bytes: usize,
    /// How large and intricate a GraphQL document may be.
    pub documents: DocumentLimits,
    /// How long a request may take before it is cancelled.
    pub request_timeout: Duration,
    /// Where GraphiQL's scripts come from.
    pub graphiql_assets: GraphiqlAssets,
    /// The origins browsers may call the API from; `None` allows any origin.
    pub cors_origins: Option<Vec<HeaderValue>>,
    /// The budgets of callers.
    pub rate_limits: RateLimitSettings,
    /// Whether a client's address is read from `X-Forwarded-For` (set behind a trusted
    /// proxy), and which proxies are trusted besides the peer.
    pub forwarded_for: caller::ForwardedFor,
    /// Whether metrics are recorded and served at `/metrics`.
    pub metrics: bool,
    /// The bearer token `/metrics` asks for; without one, `/metrics` is not served.
    pub metrics_token: Option<String>,
    /// The known documents, and whether only they may run.
    pub persisted: Arc<persisted::PersistedQueries>,
    /// The base URL readers reach the service at, which permalinks start with.
    pub public_url: crate::citation::PublicUrl,
    /// How many connections and requests at once, and how long a client may take to send.
    pub connections: listen::ConnectionLimits,
    /// How many subscriptions one connection, and the whole server, may hold at once.
    pub subscriptions: subscriptions::SubscriptionLimits,
    /// How many bytes of answers are kept in memory by dataset version; 0 keeps none.
    pub response_cache_bytes: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            body_limit: DEFAULT_BODY_LIMIT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            documents: DocumentLimits::default(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            graphiql_assets: GraphiqlAssets::Embedded,
            cors_origins: None,
            rate_limits: RateLimitSettings::default(),
            forwarded_for: caller::ForwardedFor::default(),
            metrics: true,
            metrics_token: None,
            persisted: Arc::default(),
            public_url: crate::citation::PublicUrl::default(),
            connections: listen::ConnectionLimits::default(),
            subscriptions: subscriptions::SubscriptionLimits::default(),
            response_cache_bytes: response_cache::DEFAULT_BUDGET_BYTES,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub executor: Executor,
    pub db: DatabaseConnection,
    pub settings: HttpSettings,
    pub limiter: Arc<RateLimiter>,
    pub persisted: Arc<persisted::PersistedQueries>,
    pub keys: Arc<caller::KeyCache>,
    pub versions: Arc<cache::VersionCache>,
    /// One permit per request that may be served at once (see [`shed`]).
    pub in_flight: Arc<tokio::sync::Semaphore>,
    /// The subscriptions being served, and the watch on the change feed they share.
    pub subscriptions: subscriptions::Subscriptions,
    /// Answers kept in memory by dataset version.
    pub responses: Arc<response_cache::ResponseCache>,
}

impl AppState {
    /// The state of a service running `executor` over `db` with `settings`.
    pub fn new(executor: Executor, db: DatabaseConnection, settings: HttpSettings) -> Self {
        if settings.metrics {
            metrics::handle();
        }
        Self {
            limiter: Arc::new(RateLimiter::new(settings.rate_limits.clone())),
            persisted: settings.persisted.clone(),
            keys: Arc::default(),
            versions: Arc::default(),
            in_flight: Arc::new(tokio::sync::Semaphore::new(
                settings.connections.max_in_flight,
            )),
            subscriptions: subscriptions::Subscriptions::new(settings.subscriptions),
            responses: Arc::new(response_cache::ResponseCache::new(
                settings.response_cache_bytes,
            )),
            executor,
            db,
            settings,
        }
    }
}

/// `GET /schema.graphql`: the schema in SDL, for code generators.
async fn schema_sdl(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        crate::graphql::sdl_of(state.executor.schema()),
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
            header::IF_MODIFIED_SINCE,
            HeaderName::from_static("x-api-key"),
        ])
        .expose_headers([
            header::ETAG,
            header::LAST_MODIFIED,
            header::CONTENT_DISPOSITION,
            header::RETRY_AFTER,
            HeaderName::from_static(export::VERSION_HEADER),
            HeaderName::from_static(export::DIGEST_HEADER),
            REQUEST_ID,
            HeaderName::from_static("ratelimit-limit"),
            HeaderName::from_static("ratelimit-remaining"),
            HeaderName::from_static("ratelimit-reset"),
            HeaderName::from_static("ratelimit-cost"),
            HeaderName::from_static("ratelimit-policy"),
        ])
        .max_age(Duration::from_secs(3600))
}

/// The header that carries a request's ID, in requests and responses.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The tracing span of a request: every log line written while serving it carries its ID.
fn request_span(request: &Request<axum::body::Body>) -> tracing::Span {
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", request_id = %id, method = %request.method(), path = %request.uri().path())
}

/// The longest request ID a client may send.
pub const MAX_REQUEST_ID_LEN: usize = 64;

/// Drops a client's `X-Request-Id` unless it is short and made of letters, digits, `-`, `_`,
/// `.` and `:`, so that a new one is minted in its place: the ID goes into every log line,
/// and a client must not be able to forge lines (a newline) or bloat them.
async fn safe_request_id(
    mut request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let safe = |value: &HeaderValue| {
        let bytes = value.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= MAX_REQUEST_ID_LEN
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    };
    let headers = request.headers_mut();
    let values: Vec<&HeaderValue> = headers.get_all(&REQUEST_ID).iter().collect();
    if values.len() != 1 || !values.iter().all(|v| safe(v)) {
        headers.remove(&REQUEST_ID);
    }
    next.run(request).await
}

/// Load shedding: a request past [`listen::ConnectionLimits::max_in_flight`] at once gets
/// `503 Service Unavailable` with `Retry-After` at once, rather than waiting in a queue that
/// makes every later request late too.
async fn shed(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    match state.in_flight.clone().try_acquire_owned() {
        Ok(_permit) => next.run(request).await,
        Err(_) => {
            if state.settings.metrics {
                metrics::record_shed();
            }
            error::HttpError::Overloaded.into_response()
        }
    }
}

/// Reads a request's body whole, within [`listen::ConnectionLimits::body_timeout`] counted
/// from its first byte to its last, before the request takes a place among those in flight.
///
/// A per-frame timer (as `tower_http`'s body timeout is) never fires for a client that sends a
/// byte a second; and a body read inside the handler would hold its in-flight place all that
/// while, so a few hundred such clients would shed everyone else. Reading stops one byte past
/// the body limit, so what follows sees the body as too large and answers as it always does.
async fn read_body(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use http_body_util::BodyExt;
    let headers = request.headers();
    if !headers.contains_key(axum::http::header::CONTENT_LENGTH)
        && !headers.contains_key(axum::http::header::TRANSFER_ENCODING)
    {
        return next.run(request).await;
    }
    let (parts, mut body) = request.into_parts();
    let most = state.settings.body_limit.saturating_add(1);
    let within = state.settings.connections.body_timeout;
    let read = async {
        let mut bytes = Vec::new();
        while bytes.len() < most {
            let Some(frame) = body.frame().await else {
                break;
            };
            if let Ok(data) = frame?.into_data() {
                let room = most - bytes.len();
                bytes.extend_from_slice(&data[..data.len().min(room)]);
            }
        }
        Ok::<_, axum::Error>(bytes)
    };
    match tokio::time::timeout(within, read).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
        Ok(Err(_)) => error::HttpError::BadRequest("the request body could not be read".to_owned())
            .into_response(),
        Err(_) => error::HttpError::BodyTimeout(within.as_millis()).into_response(),
    }
}

/// The whole service.
pub fn router(state: AppState) -> Router {
    let cors = cors(&state.settings.cors_origins);
    Router::new()
        .route(
            "/graphql",
            get(graphql::graphql)
                .post(graphql::graphql)
                .fallback(graphql::other_method),
        )
        .route("/graphql/ws", get(subscriptions::subscribe))
        .route("/", get(graphiql::graphiql))
        .route("/graphiql", get(graphiql::graphiql))
        .route("/graphiql/assets/{name}", get(graphiql::asset))
        .route("/assets/vendor/{*path}", get(assets::vendored))
        .route("/explore", get(explore::page))
        .route("/explore/search", get(explore::page))
        .route("/explore/entities/{slug}", get(explore::page))
        .route("/explore/entities/{slug}/{view}", get(explore::page))
        .route("/explore/documents.json", get(explore::document_hashes))
        .route("/explore/assets/{*path}", get(explore::asset))
        .route("/schema.graphql", get(schema_sdl))
        .route("/metrics", get(metrics::render))
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .merge(
            Router::new()
                .route("/export/{file}", get(export::export))
                .route("/claims/{slug}", get(permalink::claim))
                .route("/sources/{slug}", get(permalink::source))
                .route("/corrections", get(corrections::page_of_corrections))
                .route_layer(axum::middleware::from_fn_with_state(
                    state.clone(),
                    charge::by_bytes,
                )),
        )
        .layer(axum::middleware::from_fn_with_state(state.clone(), shed))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            read_body,
        ))
        .layer(cors)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(axum::middleware::from_fn(safe_request_id))
        .with_state(state)
}
