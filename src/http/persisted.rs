//! Persisted queries: clients send a document's SHA-256 instead of the document, and an
//! optional allow-list that runs only known operations.
//!
//! Automatic persisted queries follow Apollo's protocol: a request's
//! `extensions.persistedQuery` carries `{version: 1, sha256Hash}`. With the hash alone, the
//! server answers from its cache, or with `PERSISTED_QUERY_NOT_FOUND` so that the client
//! sends the document once more with its hash; after that the hash alone is enough, and a
//! `GET` URL stays short. In allow-list mode the server runs only the documents of a
//! manifest given at start-up, and refuses any other with `OPERATION_NOT_ALLOWED`.
//!
//! The server's own pages (the explorer at `/explore`) send documents the server ships: those
//! are known by hash from start-up, in either mode, so a page never has to send a document's
//! text and an allow-list never locks the server's own pages out.

use std::{collections::HashMap, num::NonZeroUsize, path::Path, sync::Mutex};

use anyhow::Context;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// How many documents the automatic cache keeps.
const CACHE_SIZE: usize = 1_000;

/// The SHA-256 of a document, in lower-case hex, as clients compute it.
pub fn hash(query: &str) -> String {
    hex::encode(Sha256::digest(query.as_bytes()))
}

/// Why a persisted query cannot be served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersistedError {
    /// `PERSISTED_QUERY_NOT_FOUND`: the hash is not known; send the document with it.
    #[error("PersistedQueryNotFound")]
    NotFound,
    /// `PERSISTED_QUERY_INVALID`: the extension is malformed or its hash does not match the document.
    #[error("{0}")]
    Invalid(String),
    /// `OPERATION_NOT_ALLOWED`: the server runs only the operations of its allow-list.
    #[error("this server runs only known operations, and this is not one of them")]
    NotAllowed,
}

impl PersistedError {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            PersistedError::NotFound => "PERSISTED_QUERY_NOT_FOUND",
            PersistedError::Invalid(_) => "PERSISTED_QUERY_INVALID",
            PersistedError::NotAllowed => "OPERATION_NOT_ALLOWED",
        }
    }
}

#[derive(Deserialize)]
struct PersistedQuery {
    version: i64,
    #[serde(rename = "sha256Hash")]
    sha256_hash: String,
}

/// The documents the server knows by hash.
#[derive(Debug)]
pub struct PersistedQueries {
    cache: Mutex<lru::LruCache<String, String>>,
    /// In allow-list mode, the only documents that run, by hash.
    allowed: Option<HashMap<String, String>>,
    /// The documents the server's own pages send, by hash: always known and always allowed.
    builtin: HashMap<String, String>,
}

impl Default for PersistedQueries {
    fn default() -> Self {
        Self::new(None)
    }
}

impl PersistedQueries {
    fn new(allowed: Option<HashMap<String, String>>) -> Self {
        let size = NonZeroUsize::new(CACHE_SIZE).unwrap_or(NonZeroUsize::MIN);
        let builtin = super::explore::documents()
            .iter()
            .map(|document| (document.hash.clone(), document.text.clone()))
            .collect();
        Self {
            cache: Mutex::new(lru::LruCache::new(size)),
            allowed,
            builtin,
        }
    }

    /// Allow-list mode: only the operations of `manifest` run. The manifest is a JSON object
    /// from each document's SHA-256 to the document, or a JSON array of documents.
    pub fn allow_list(manifest: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(manifest)
            .with_context(|| format!("reading the allow-list {}", manifest.display()))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("reading the allow-list {} as JSON", manifest.display()))?;
        let documents: Vec<(Option<String>, String)> = match value {
            serde_json::Value::Object(map) => map
                .into_iter()
                .map(|(key, value)| match value {
                    serde_json::Value::String(query) => Ok((Some(key), query)),
                    _ => anyhow::bail!("the allow-list entry {key} is not a document string"),
                })
                .collect::<anyhow::Result<_>>()?,
            serde_json::Value::Array(items) => items
                .into_iter()
                .map(|value| match value {
                    serde_json::Value::String(query) => Ok((None, query)),
                    _ => anyhow::bail!("an allow-list entry is not a document string"),
                })
                .collect::<anyhow::Result<_>>()?,
            _ => anyhow::bail!("the allow-list must be a JSON object or array of documents"),
        };
        let mut allowed = HashMap::new();
        for (key, query) in documents {
            let digest = hash(&query);
            if let Some(key) = key {
                anyhow::ensure!(
                    key.eq_ignore_ascii_case(&digest),
                    "the allow-list key {key} is not the SHA-256 of its document ({digest})"
                );
            }
            allowed.insert(digest, query);
        }
        Ok(Self::new(Some(allowed)))
    }

    /// Whether only allow-listed operations run.
    pub fn is_allow_list(&self) -> bool {
        self.allowed.is_some()
    }

    /// The document a request runs: its own, or the one its persisted-query hash names.
    pub fn resolve(
        &self,
        query: Option<String>,
        extensions: Option<&serde_json::Value>,
    ) -> Result<Option<String>, PersistedError> {
        let persisted = match extensions.and_then(|e| e.get("persistedQuery")) {
            None => None,
            Some(value) => {
                let persisted: PersistedQuery =
                    serde_json::from_value(value.clone()).map_err(|_| {
                        PersistedError::Invalid(
                            "`extensions.persistedQuery` must be {version: 1, sha256Hash}"
                                .to_owned(),
                        )
                    })?;
                if persisted.version != 1 {
                    return Err(PersistedError::Invalid(format!(
                        "persisted query version {} is not supported; use 1",
                        persisted.version
                    )));
                }
                Some(persisted.sha256_hash.to_ascii_lowercase())
            }
        };
        let query = match (query, persisted) {
            (Some(query), None) => query,
            (None, None) => return Ok(None),
            (Some(query), Some(digest)) => {
                if hash(&query) != digest {
                    return Err(PersistedError::Invalid(
                        "the sha256Hash does not match the document".to_owned(),
                    ));
                }
                self.cache
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .put(digest, query.clone());
                query
            }
            (None, Some(digest)) => {
                let known = self
                    .allowed
                    .as_ref()
                    .and_then(|allowed| allowed.get(&digest).cloned())
                    .or_else(|| self.builtin.get(&digest).cloned());
                match known.or_else(|| {
                    self.cache
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .get(&digest)
                        .cloned()
                }) {
                    Some(query) => query,
                    None => return Err(PersistedError::NotFound),
                }
            }
        };
        if let Some(allowed) = &self.allowed {
            let digest = hash(&query);
            if !allowed.contains_key(&digest) && !self.builtin.contains_key(&digest) {
                return Err(PersistedError::NotAllowed);
            }
        }
        Ok(Some(query))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_hash_is_served_once_its_document_was_sent() {
        let queries = PersistedQueries::default();
        let query = "{ dataset { version } }".to_owned();
        let extension = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash(&query) } });
        assert_eq!(
            queries.resolve(None, Some(&extension)),
            Err(PersistedError::NotFound)
        );
        assert_eq!(
            queries.resolve(Some(query.clone()), Some(&extension)),
            Ok(Some(query.clone()))
        );
        assert_eq!(queries.resolve(None, Some(&extension)), Ok(Some(query)));
    }

    #[test]
    fn the_explorer_documents_are_known_by_hash_from_the_start_in_either_mode() {
        let document = &crate::http::explore::documents()[0];
        let extension = json!({ "persistedQuery": { "version": 1, "sha256Hash": document.hash } });
        let folder = tempfile::tempdir().expect("a temporary folder");
        let manifest = folder.path().join("allow.json");
        std::fs::write(&manifest, r#"["{ dataset { version } }"]"#).expect("the manifest");
        for queries in [
            PersistedQueries::default(),
            PersistedQueries::allow_list(&manifest).expect("the allow-list"),
        ] {
            assert_eq!(
                queries.resolve(None, Some(&extension)),
                Ok(Some(document.text.clone()))
            );
        }
    }

    #[test]
    fn a_hash_that_does_not_match_its_document_is_refused() {
        let queries = PersistedQueries::default();
        let extension = json!({ "persistedQuery": { "version": 1, "sha256Hash": "00" } });
        assert!(matches!(
            queries.resolve(Some("{ a }".to_owned()), Some(&extension)),
            Err(PersistedError::Invalid(_))
        ));
    }
}
