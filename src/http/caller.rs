//! Who a request is from: the API key it presents, or its client address.
//!
//! A key comes in `Authorization: Bearer <key>` or `X-API-Key: <key>`. A key that is not one
//! we issued, or was revoked, is refused with 401 rather than quietly treated as anonymous,
//! so a partner notices a typo at once. Keys are looked up by their hash and remembered for
//! a minute, so most requests do not touch the database for it.

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::{
    extract::ConnectInfo,
    http::{HeaderMap, header, request::Parts},
};
use sea_orm::DatabaseConnection;

use super::error::HttpError;
use crate::{graphql::rate_limit::Caller, store::api_keys};

/// How long a key lookup is remembered.
const KEY_CACHE_TTL: Duration = Duration::from_secs(60);

/// Remembered key lookups, by the key's hash.
#[derive(Debug, Default)]
pub struct KeyCache {
    entries: Mutex<HashMap<String, (Instant, Option<Caller>)>>,
}

/// The key a request presents, if any.
fn presented_key(headers: &HeaderMap) -> Option<&str> {
    if let Some(value) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(value.trim());
    }
    let authorization = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = authorization.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The client's address: the first `X-Forwarded-For` hop when the server trusts a proxy in
/// front of it, the connection's peer otherwise.
fn address(parts: &Parts, trust_forwarded_for: bool) -> Option<IpAddr> {
    if trust_forwarded_for {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
}

impl KeyCache {
    /// Identifies the caller of a request.
    pub async fn identify(
        &self,
        db: &DatabaseConnection,
        parts: &Parts,
        trust_forwarded_for: bool,
    ) -> Result<Caller, HttpError> {
        let Some(key) = presented_key(&parts.headers) else {
            return Ok(address(parts, trust_forwarded_for).map_or(Caller::Unknown, Caller::Address));
        };
        let digest = api_keys::hash(key);
        let remembered = {
            let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
            entries
                .get(&digest)
                .filter(|(at, _)| at.elapsed() < KEY_CACHE_TTL)
                .map(|(_, caller)| caller.clone())
        };
        let caller = match remembered {
            Some(caller) => caller,
            None => {
                let found = api_keys::find_active(db, key).await.map_err(|error| {
                    tracing::error!(%error, "looking up an API key failed");
                    HttpError::Unavailable
                })?;
                let caller = found.map(|row| Caller::Key {
                    id: row.id,
                    points_per_hour: row.points_per_hour.and_then(|p| u64::try_from(p).ok()),
                });
                let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
                if entries.len() > 10_000 {
                    entries.retain(|_, (at, _)| at.elapsed() < KEY_CACHE_TTL);
                }
                entries.insert(digest, (Instant::now(), caller.clone()));
                caller
            }
        };
        caller.ok_or(HttpError::InvalidApiKey)
    }
}
