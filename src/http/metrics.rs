//! Prometheus metrics at `/metrics`: GraphQL requests by operation name and outcome, their
//! latency, database pool use, and rate-limit rejections.
//!
//! The recorder is process-wide (the `metrics` facade allows one), installed on first use.
//! Operation names come from clients, so only the first [`MAX_OPERATION_NAMES`] distinct
//! names become labels; later ones are counted as `other`, which keeps the series bounded.

use std::{
    collections::HashSet,
    sync::{Mutex, OnceLock},
};

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sea_orm::DatabaseBackend;

use super::AppState;

/// How many distinct operation names become labels.
pub const MAX_OPERATION_NAMES: usize = 200;

/// The buckets of the latency histogram, in seconds.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
static NAMES: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();

/// The process's recorder, installed on first call; `None` if another recorder is installed.
pub fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets(LATENCY_BUCKETS)
                .map_err(|error| tracing::error!(%error, "configuring the metrics buckets"))
                .ok()?;
            builder
                .install_recorder()
                .map_err(|error| tracing::warn!(%error, "a metrics recorder is already installed"))
                .ok()
        })
        .as_ref()
}

/// The label of requests whose document did not validate (no GraphQL name has parentheses).
pub const UNVALIDATED: &str = "(unvalidated)";

/// The label for an operation name: the name itself, `anonymous`, or `other` once the set
/// of names is full.
fn operation_label(name: Option<&str>) -> String {
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        return "anonymous".to_owned();
    };
    if name == UNVALIDATED {
        return name.to_owned();
    }
    let name: String = name.chars().take(64).collect();
    let mut names = NAMES
        .get_or_init(|| Mutex::new(HashSet::new()))
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if names.contains(&name) || names.len() < MAX_OPERATION_NAMES && names.insert(name.clone()) {
        name
    } else {
        "other".to_owned()
    }
}

/// Records one GraphQL request.
pub fn record_request(operation: Option<&str>, outcome: &'static str, seconds: f64) {
    let operation = operation_label(operation);
    metrics::counter!("nkhr_graphql_requests_total", "operation" => operation.clone(), "outcome" => outcome).increment(1);
    metrics::histogram!("nkhr_graphql_request_duration_seconds", "operation" => operation)
        .record(seconds);
}

/// Records a request refused for its caller's rate limit.
pub fn record_rate_limited(keyed: bool) {
    metrics::counter!("nkhr_rate_limit_rejections_total", "caller" => if keyed { "api_key" } else { "anonymous" }).increment(1);
}

/// Records whether a request was answered from the response cache.
pub fn record_response_cache(hit: bool) {
    metrics::counter!("nkhr_response_cache_total", "result" => if hit { "hit" } else { "miss" })
        .increment(1);
}

/// Counts a request shed because too many were in flight.
pub fn record_shed() {
    metrics::counter!("nkhr_requests_shed_total").increment(1);
}

/// Compares two secrets in time that depends on their lengths only.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `GET /metrics`: the metrics in Prometheus's text format.
///
/// Only with `Authorization: Bearer <the metrics token>`; without a token configured it is not
/// served at all. The answer is never for browsers: it carries no CORS permission of its own
/// and a cross-origin page cannot send the token without being told it.
pub async fn render(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let Some(token) = state
        .settings
        .metrics_token
        .as_deref()
        .filter(|_| state.settings.metrics)
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !presented.is_some_and(|p| constant_time_eq(p.as_bytes(), token.as_bytes())) {
        let mut refused = super::error::HttpError::MetricsToken.into_response();
        refused.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer"),
        );
        return refused;
    }
    let Some(handle) = handle() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "metrics are unavailable").into_response();
    };
    let (size, idle) = match state.db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let pool = state.db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DatabaseBackend::Sqlite => {
            let pool = state.db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    };
    metrics::gauge!("nkhr_db_pool_connections", "state" => "open").set(f64::from(size));
    metrics::gauge!("nkhr_db_pool_connections", "state" => "idle").set(idle as f64);
    metrics::gauge!("nkhr_db_pool_connections", "state" => "in_use")
        .set(f64::from(size).max(idle as f64) - idle as f64);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
        .into_response()
}
