//! HTTP caching of `GET` queries by dataset version.
//!
//! The answer to a query depends on the document, its variables and the data; the data
//! changes only when a load makes a new dataset version. So a `GET` answer carries an
//! `ETag` made of those, and a client (or a CDN) that sends it back in `If-None-Match` gets
//! `304 Not Modified` without the query running. The version is read from the database at
//! most every few seconds, so a load by another process is noticed quickly.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::{
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

use super::error::HttpError;
use crate::store::queries;

/// How long a read of the dataset version is trusted.
const VERSION_TTL: Duration = Duration::from_secs(5);

/// How long clients and shared caches may reuse an answer without asking again.
pub const MAX_AGE_SECONDS: u64 = 60;

/// The dataset version, read from the database now and then.
#[derive(Debug, Default)]
pub struct VersionCache {
    current: Mutex<Option<(Instant, String)>>,
}

impl VersionCache {
    /// The digest of the current dataset version.
    pub async fn current(&self, db: &DatabaseConnection) -> Result<String, HttpError> {
        if let Some((at, digest)) = &*self.current.lock().unwrap_or_else(|p| p.into_inner())
            && at.elapsed() < VERSION_TTL
        {
            return Ok(digest.clone());
        }
        let latest = queries::latest_version(db).await.map_err(|error| {
            tracing::error!(%error, "reading the dataset version failed");
            HttpError::Unavailable
        })?;
        let digest = latest
            .map(|version| format!("{}-{}", version.id, version.digest))
            .unwrap_or_default();
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((Instant::now(), digest.clone()));
        Ok(digest)
    }
}

/// A digest of everything a query's answer depends on besides the data: its document,
/// variables, operation name and media type. The ETag and the response cache both start
/// from it, so a request's text is hashed once.
pub fn request_digest(
    query: &str,
    variables: &Option<serde_json::Value>,
    operation_name: &Option<String>,
    legacy_json: bool,
) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in [
        query.as_bytes(),
        variables
            .as_ref()
            .filter(|v| !v.is_null())
            .map(|v| v.to_string())
            .unwrap_or_default()
            .as_bytes(),
        operation_name.as_deref().unwrap_or("").as_bytes(),
        if legacy_json { b"json" } else { b"graphql" },
    ] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// The entity tag of a `GET` answer: its request's digest at a dataset version.
pub fn etag(version: &str, request: &[u8; 32]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(version.as_bytes());
    hasher.update(request);
    format!("\"{}\"", &hex::encode(hasher.finalize())[..32])
}

/// Whether the client's `If-None-Match` names `etag` (or `*`).
pub fn matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

fn caching_headers(response: &mut Response, etag: &str) {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!("public, max-age={MAX_AGE_SECONDS}")) {
        headers.insert(header::CACHE_CONTROL, value);
    }
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
}

/// `304 Not Modified` for `etag`.
pub fn not_modified(etag: &str) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    caching_headers(&mut response, etag);
    response
}

/// Marks a `GET` answer as cacheable under `etag`.
pub fn cacheable(response: &mut Response, etag: &str) {
    caching_headers(response, etag);
}
