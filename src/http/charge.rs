//! Charging what is not GraphQL: the bulk exports, the permalink pages and `/corrections` cost
//! their caller one rate-limit point per KiB they send (at least one), counted as the body
//! streams out.
//!
//! A caller whose budget is spent gets 429 with `Retry-After` before anything is read. What
//! a body will weigh is not known until it has been sent, so it is charged as it goes, and a
//! caller may overdraw its budget by one export; the next request is refused until the
//! window refills.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use futures_util::StreamExt;
use serde_json::json;

use super::AppState;

/// Bytes per rate-limit point.
pub const BYTES_PER_POINT: u64 = 1024;

/// The middleware that charges a response's bytes to its caller.
pub async fn by_bytes(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let caller = match state
        .keys
        .identify(
            &state.db,
            &state.limiter,
            &parts,
            &state.settings.forwarded_for,
        )
        .await
    {
        Ok(caller) => caller,
        Err(error) => return error.into_response(),
    };
    let limiter = state.limiter.clone();
    if limiter.settings().enabled && !limiter.can_afford(&caller, 1) {
        let charge = limiter.charge(&caller, 1);
        let body = json!({ "errors": [{ "message": "rate limit exceeded: this caller's budget is spent until it refills", "extensions": { "code": crate::graphql::ErrorCode::RateLimited.as_str() } }] });
        let mut response = (StatusCode::TOO_MANY_REQUESTS, axum::Json(body)).into_response();
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(charge.reset_in_seconds().max(1)),
        );
        return response;
    }
    let response = next.run(Request::from_parts(parts, body)).await;
    if !limiter.settings().enabled {
        return response;
    }
    let (parts, body) = response.into_parts();
    let mut sent = 0u64;
    let mut charged = 0u64;
    let stream = body.into_data_stream().map(move |chunk| {
        if let Ok(bytes) = &chunk {
            sent += bytes.len() as u64;
            let due = sent.div_ceil(BYTES_PER_POINT).max(1);
            limiter.spend(&caller, due - charged);
            charged = due;
        }
        chunk
    });
    Response::from_parts(parts, Body::from_stream(stream))
}
