//! Who a request is from: the API key it presents, or its client address.
//!
//! A key comes in `Authorization: Bearer <key>` or `X-API-Key: <key>`. Credentials that are
//! not well formed (another scheme, a bare `Bearer`, a tab for the space, a key that is not
//! printable ASCII) are refused with 401 `MALFORMED_CREDENTIALS`; a well-formed key that is
//! not one we issued, or was revoked, with 401 `INVALID_API_KEY`. Neither is quietly served
//! anonymously, so a partner notices a typo at once.
//!
//! A key is looked up in the database on every request (one indexed read): a cache of found
//! keys would keep a revoked key working in every running process until it expired, and
//! `api-key revoke` promises "refused from now on". A failed lookup is charged to the
//! client's address, in its budget and in a count of failures of its own: an address past
//! [`MAX_FAILED_LOOKUPS`] in the hour is refused before the database is asked, so guessing
//! keys is neither free nor a way to load the database, while a partner whose key is good is
//! served even from an address whose anonymous budget is spent (a shared NAT).
//!
//! The client's address is the connection's peer or, with `--trust-forwarded-for`, the
//! rightmost `X-Forwarded-For` address that is not a trusted proxy (by default only the peer
//! is trusted): the leftmost entries are whatever the client wrote. Addresses are normalized
//! so one client is one caller: an IPv4-mapped IPv6 address is its IPv4 address, and IPv6
//! addresses count by their /64, the block one subscriber usually holds.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::{
    extract::ConnectInfo,
    http::{HeaderMap, header, request::Parts},
};
use ipnet::IpNet;
use sea_orm::DatabaseConnection;

use super::error::HttpError;
use crate::{
    graphql::rate_limit::{Caller, RateLimiter},
    store::api_keys,
};

/// What a failed key lookup costs the address that sent it, in rate-limit points.
///
/// As much as a small query (the flagship costs 15), so that an address guessing keys spends
/// its budget about as fast as one asking questions.
pub const FAILED_KEY_COST: u64 = 20;

/// How many failed key lookups an address may make in an hour before its next lookups are
/// refused without asking the database.
pub const MAX_FAILED_LOOKUPS: u64 = 30;

/// Which proxies in front of the server are trusted to append the client's address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForwardedFor {
    /// Whether `X-Forwarded-For` is read at all.
    pub trusted: bool,
    /// The networks of trusted proxies besides the connection's peer, which is trusted
    /// whenever the header is.
    pub proxies: Vec<IpNet>,
}

/// The key a request presents, if any; credentials that are not well formed are an error.
fn presented_key(headers: &HeaderMap) -> Result<Option<&str>, HttpError> {
    let well_formed = |key: &str| {
        !key.is_empty()
            && key.len() <= 256
            && key.bytes().all(|b| b.is_ascii_graphic() && b != b',')
    };
    if let Some(value) = headers.get("x-api-key") {
        let key = value
            .to_str()
            .map_err(|_| HttpError::MalformedCredentials)?
            .trim_matches(' ');
        return well_formed(key)
            .then_some(Some(key))
            .ok_or(HttpError::MalformedCredentials);
    }
    let Some(authorization) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let authorization = authorization
        .to_str()
        .map_err(|_| HttpError::MalformedCredentials)?;
    let (scheme, key) = authorization
        .split_once(' ')
        .ok_or(HttpError::MalformedCredentials)?;
    if !scheme.eq_ignore_ascii_case("bearer") || !well_formed(key) {
        return Err(HttpError::MalformedCredentials);
    }
    Ok(Some(key))
}

/// One client, one caller: IPv4-mapped IPv6 as IPv4, IPv6 by its /64.
pub fn normalize(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(prefix))
        }
        v4 => v4,
    }
}

/// The client's address, before normalizing.
fn address(parts: &Parts, forwarded: &ForwardedFor) -> Option<IpAddr> {
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_canonical());
    if !forwarded.trusted {
        return peer;
    }
    // The peer is trusted to have appended the rightmost entry; further entries are trusted
    // only when they are addresses of the configured proxies.
    let trusted = |address: &IpAddr| forwarded.proxies.iter().any(|net| net.contains(address));
    if let Some(peer) = peer
        && !forwarded.proxies.is_empty()
        && !forwarded.proxies.iter().any(|net| net.contains(&peer))
    {
        // The connection does not come from a trusted proxy: its header is the client's.
        return Some(peer);
    }
    let hops: Vec<IpAddr> = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|hop| hop.trim().parse::<IpAddr>().map(|a| a.to_canonical()))
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    hops.iter()
        .rev()
        .find(|hop| !trusted(hop))
        .or(hops.first())
        .copied()
        .or(peer)
}

/// Looks API keys up, charging failed lookups to the address they came from.
#[derive(Debug)]
pub struct KeyCache {
    failures: RateLimiter,
}

impl Default for KeyCache {
    fn default() -> Self {
        Self {
            failures: RateLimiter::new(crate::graphql::rate_limit::RateLimitSettings {
                anonymous_points: MAX_FAILED_LOOKUPS,
                ..Default::default()
            }),
        }
    }
}

impl KeyCache {
    /// Identifies the caller of a request.
    pub async fn identify(
        &self,
        db: &DatabaseConnection,
        limiter: &RateLimiter,
        parts: &Parts,
        forwarded: &ForwardedFor,
    ) -> Result<Caller, HttpError> {
        let origin = address(parts, forwarded)
            .map(normalize)
            .map_or(Caller::Unknown, Caller::Address);
        let Some(key) = presented_key(&parts.headers)? else {
            return Ok(origin);
        };
        let guarded = limiter.settings().enabled;
        if guarded && !self.failures.can_afford(&origin, 1) {
            return Err(HttpError::KeyLookupsExhausted);
        }
        let found = api_keys::find_active(db, key).await.map_err(|error| {
            tracing::error!(%error, "looking up an API key failed");
            HttpError::Unavailable
        })?;
        match found {
            Some(row) => Ok(Caller::Key {
                id: row.id,
                points_per_hour: row.points_per_hour.and_then(|p| u64::try_from(p).ok()),
            }),
            None => {
                if guarded {
                    limiter.spend(&origin, FAILED_KEY_COST);
                    self.failures.spend(&origin, 1);
                }
                Err(HttpError::InvalidApiKey)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, Request};

    fn parts(peer: &str, forwarded: Option<&str>) -> Parts {
        let mut request = Request::get("/graphql");
        if let Some(forwarded) = forwarded {
            request = request.header("x-forwarded-for", forwarded);
        }
        let (mut parts, ()) = request.body(()).unwrap().into_parts();
        parts
            .extensions
            .insert(ConnectInfo::<SocketAddr>(peer.parse().unwrap()));
        parts
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_client_is_the_rightmost_address_no_trusted_proxy_wrote() {
        let default = ForwardedFor {
            trusted: true,
            proxies: vec![],
        };
        let forged = parts("127.0.0.1:9", Some("10.1.7.1, 203.0.113.9"));
        assert_eq!(address(&forged, &default), Some(ip("203.0.113.9")));
        let looped = parts("127.0.0.1:9", Some("10.1.7.1, 127.0.0.1"));
        assert_eq!(address(&looped, &default), Some(ip("127.0.0.1")));
        let two_proxies = ForwardedFor {
            trusted: true,
            proxies: vec!["10.0.0.0/8".parse().unwrap()],
        };
        let chain = parts("10.0.0.2:9", Some("1.2.3.4, 203.0.113.9, 10.0.0.3"));
        assert_eq!(address(&chain, &two_proxies), Some(ip("203.0.113.9")));
        let direct = parts("198.51.100.1:9", Some("1.2.3.4"));
        assert_eq!(address(&direct, &two_proxies), Some(ip("198.51.100.1")));
        let off = ForwardedFor::default();
        assert_eq!(address(&forged, &off), Some(ip("127.0.0.1")));
        let garbage = parts("127.0.0.1:9", Some("not an address"));
        assert_eq!(address(&garbage, &default), Some(ip("127.0.0.1")));
    }

    #[test]
    fn one_client_is_one_caller_whatever_form_its_address_takes() {
        assert_eq!(normalize(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
        assert_eq!(
            normalize(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")),
            normalize(ip("2001:db8:1:2::1"))
        );
        assert_ne!(
            normalize(ip("2001:db8:1:2::1")),
            normalize(ip("2001:db8:1:3::1"))
        );
    }

    #[test]
    fn malformed_credentials_are_an_error_not_anonymous() {
        let with = |name: &str, value: &[u8]| {
            let mut headers = HeaderMap::new();
            headers.insert(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_bytes(value).unwrap(),
            );
            presented_key(&headers).map(|key| key.map(str::to_owned))
        };
        assert_eq!(
            with("authorization", b"Bearer nkhr_abc")
                .unwrap()
                .as_deref(),
            Some("nkhr_abc")
        );
        assert_eq!(
            with("x-api-key", b"nkhr_abc").unwrap().as_deref(),
            Some("nkhr_abc")
        );
        for bad in [
            &b"Token nkhr_abc"[..],
            b"Bearer",
            b"Bearer ",
            b"Bearer\tnkhr_abc",
            b"Basic YTpi",
            b"Bearer a b",
        ] {
            assert!(
                with("authorization", bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(with("x-api-key", "nkhr_\u{e9}".as_bytes()).is_err());
        assert!(with("x-api-key", b"").is_err());
        assert!(presented_key(&HeaderMap::new()).unwrap().is_none());
    }
}
