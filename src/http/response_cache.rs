//! Answers kept in memory by dataset version.
//!
//! A query's answer depends on its document, its variables, its operation name, the media
//! type it is written in and the data; the data changes only with a new dataset version. So
//! an answer that succeeded is kept, under a digest of all of those and the caller's role,
//! and the same request at the same version is answered from memory: no parse, no
//! validation, no SQL. The caller is still charged what the query cost when it ran.
//!
//! The cache holds at most its byte budget (the answers' bodies and headers), dropping the
//! least recently used answers first; a new dataset version empties it. An answer larger
//! than a sixteenth of the budget is not kept, so that one large answer cannot push out
//! many small ones. Answers that report the caller's own rate limit are never kept.

use std::sync::Mutex;

use axum::{
    body::Bytes,
    http::{HeaderMap, StatusCode},
};
use lru::LruCache;

/// The budget a server gets when none is set: 64 MiB.
pub const DEFAULT_BUDGET_BYTES: usize = 64 * 1024 * 1024;

/// What a request is answered from: its digest ([`super::cache::request_digest`]) and
/// whether its caller presents an API key, the role answers may one day differ by.
pub type Key = ([u8; 32], bool);

/// A kept answer.
#[derive(Debug)]
pub struct Cached {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// What the answer was, and the operation it ran, for the metrics.
    pub outcome: &'static str,
    pub operation: Option<String>,
    /// What the query cost when it ran, charged again to each caller it is served to.
    pub cost: u64,
}

impl Cached {
    /// The bytes the answer takes in the budget.
    fn size(&self) -> usize {
        let headers: usize = self
            .headers
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len())
            .sum();
        self.body.len() + headers + std::mem::size_of::<Self>()
    }
}

struct Inner {
    /// The dataset version the kept answers belong to.
    version: String,
    entries: LruCache<Key, std::sync::Arc<Cached>>,
    bytes: usize,
}

/// The server's cache of answers.
pub struct ResponseCache {
    budget: usize,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for ResponseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseCache")
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

impl ResponseCache {
    /// A cache of at most `budget` bytes; 0 keeps nothing.
    pub fn new(budget: usize) -> Self {
        Self {
            budget,
            inner: Mutex::new(Inner {
                version: String::new(),
                entries: LruCache::unbounded(),
                bytes: 0,
            }),
        }
    }

    /// Whether the cache keeps anything at all.
    pub fn enabled(&self) -> bool {
        self.budget > 0
    }

    fn lock(&self, version: &str) -> std::sync::MutexGuard<'_, Inner> {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if inner.version != version {
            inner.entries.clear();
            inner.bytes = 0;
            inner.version = version.to_owned();
        }
        inner
    }

    /// The answer kept for `key` at `version`, if any.
    pub fn get(&self, version: &str, key: &Key) -> Option<std::sync::Arc<Cached>> {
        if !self.enabled() {
            return None;
        }
        self.lock(version).entries.get(key).cloned()
    }

    /// Keeps `answer` for `key` at `version`, if it fits.
    pub fn put(&self, version: &str, key: Key, answer: Cached) {
        let size = answer.size();
        if !self.enabled() || size > self.budget / 16 {
            return;
        }
        let mut inner = self.lock(version);
        if let Some(old) = inner.entries.put(key, std::sync::Arc::new(answer)) {
            inner.bytes -= old.size();
        }
        inner.bytes += size;
        while inner.bytes > self.budget {
            match inner.entries.pop_lru() {
                Some((_, old)) => inner.bytes -= old.size(),
                None => break,
            }
        }
    }

    /// How many answers, and how many bytes, are kept now.
    pub fn usage(&self) -> (usize, usize) {
        let inner = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        (inner.entries.len(), inner.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(bytes: usize) -> Cached {
        Cached {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; bytes]),
            outcome: "ok",
            operation: None,
            cost: 3,
        }
    }

    fn k(n: u8) -> Key {
        ([n; 32], false)
    }

    #[test]
    fn an_answer_is_kept_for_its_version_only() {
        let cache = ResponseCache::new(1 << 20);
        cache.put("v1", k(1), answer(10));
        assert_eq!(cache.get("v1", &k(1)).map(|a| a.cost), Some(3));
        assert!(cache.get("v1", &k(2)).is_none());
        assert!(
            cache.get("v2", &k(1)).is_none(),
            "a new version empties the cache"
        );
        assert_eq!(cache.usage(), (0, 0));
    }

    #[test]
    fn the_least_recently_used_answers_go_first_when_the_budget_is_spent() {
        let size = answer(1000).size();
        let cache = ResponseCache::new(size * 16);
        for n in 0..16 {
            cache.put("v", k(n), answer(1000));
        }
        assert!(cache.get("v", &k(0)).is_some(), "touch the oldest");
        cache.put("v", k(16), answer(1000));
        assert!(cache.get("v", &k(0)).is_some(), "the touched one stays");
        assert!(
            cache.get("v", &k(1)).is_none(),
            "the least recently used one went"
        );
        let (entries, bytes) = cache.usage();
        assert_eq!(entries, 16);
        assert!(bytes <= size * 16);
    }

    #[test]
    fn an_answer_past_a_sixteenth_of_the_budget_or_a_cache_of_nothing_keeps_nothing() {
        let cache = ResponseCache::new(16 * 1024);
        cache.put("v", k(1), answer(2000));
        assert!(cache.get("v", &k(1)).is_none());
        let off = ResponseCache::new(0);
        off.put("v", k(1), answer(1));
        assert!(off.get("v", &k(1)).is_none());
    }

    #[test]
    fn requests_that_differ_in_anything_the_answer_depends_on_have_different_digests() {
        use crate::http::cache::{etag, request_digest};
        let q = "{ facts { totalCount } }";
        let base = request_digest(q, &None, &None, true);
        assert_eq!(
            base,
            request_digest(q, &Some(serde_json::Value::Null), &None, true)
        );
        for other in [
            request_digest("{ facts { totalCount }}", &None, &None, true),
            request_digest(q, &Some(serde_json::json!({"a": 1})), &None, true),
            request_digest(q, &None, &Some("Q".into()), true),
            request_digest(q, &None, &None, false),
        ] {
            assert_ne!(base, other);
        }
        assert_ne!(
            etag("1-a", &base),
            etag("2-b", &base),
            "a new version, a new ETag"
        );
        let cache = ResponseCache::new(1 << 20);
        cache.put("v", (base, false), answer(10));
        assert!(
            cache.get("v", &(base, true)).is_none(),
            "a keyed caller is another role"
        );
    }
}
