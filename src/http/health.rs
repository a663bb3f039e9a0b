//! Liveness and readiness, for load balancers and orchestrators.

use axum::{extract::State, http::StatusCode};

use super::AppState;

/// `GET /healthz`: the process is up and answering.
pub async fn alive() -> &'static str {
    "ok"
}

/// `GET /readyz`: the database answers, so requests can be served.
pub async fn ready(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "the database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
