//! `/explore`: the dataset in the browser, as pictures a journalist can read and share.
//!
//! The explorer is a plain page of JavaScript modules and CSS under `src/http/assets/explore/`,
//! embedded in the binary so it works offline, with Cytoscape.js from the vendored assets for
//! the graph. It reads only the public GraphQL API, as any frontend could, so it doubles as an
//! example for frontend developers. Every view is a URL: the server answers each of the
//! page's paths with the same HTML, and the page's router draws the view the URL names.
//!
//! Its GraphQL documents live in `documents/`, one operation a file. They are registered as
//! persisted queries when the server starts (see [`documents`]), so the page sends a hash
//! instead of the text, and an explorer costs the API what the same operations cost a GraphiQL
//! user: never more requests, never a larger document. `/explore/documents.json` tells the
//! page each operation's hash.

use std::{collections::BTreeMap, sync::LazyLock};

use axum::{
    Json,
    extract::Path,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

use super::persisted;

/// The page's files, as the build found them.
static PAGE: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/src/http/assets/explore");

/// One GraphQL operation the page sends by hash.
#[derive(Debug, Clone)]
pub struct Document {
    /// The operation's name, which is also its file's name.
    pub name: String,
    /// The document's text, as a client would send it.
    pub text: String,
    /// Its SHA-256, as persisted queries name it.
    pub hash: String,
}

/// The page's GraphQL documents, read once from the embedded `documents/` folder.
static DOCUMENTS: LazyLock<Vec<Document>> = LazyLock::new(|| {
    let mut documents: Vec<Document> = PAGE
        .get_dir("documents")
        .map(|dir| {
            dir.files()
                .filter_map(|file| {
                    let name = file.path().file_stem()?.to_str()?.to_owned();
                    let text = file.contents_utf8()?.to_owned();
                    Some(Document {
                        hash: persisted::hash(&text),
                        name,
                        text,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    documents.sort_by(|a, b| a.name.cmp(&b.name));
    documents
});

/// The documents the explorer sends, by operation name.
pub fn documents() -> &'static [Document] {
    &DOCUMENTS
}

/// The HTML every view of the explorer starts from.
const INDEX: &str = "index.html";

/// What the page may load: only this server's own scripts, styles and API. Cytoscape.js
/// sets element styles from script, which `style-src` must allow.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The media type of a page file, from its extension.
fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, extension)| extension) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("graphql") => "application/graphql; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    }
}

/// A page file, revalidated on every use by its SHA-256: the files change with the binary,
/// and their URLs do not.
fn file_response(path: &str, headers: &HeaderMap) -> Response {
    let Some(file) = PAGE.get_file(path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", hex::encode(Sha256::digest(file.contents())));
    let cached = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|tag| tag.trim() == etag));
    let mut response = if cached {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        file.contents().into_response()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    response
}

/// `GET /explore`, `/explore/search` and `/explore/entities/…`: the page, which draws the
/// view its URL names.
pub async fn page(headers: HeaderMap) -> Response {
    let mut response = file_response(INDEX, &headers);
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    response
}

/// `GET /explore/assets/{*path}`: one of the page's scripts, styles or documents.
pub async fn asset(Path(path): Path<String>, headers: HeaderMap) -> Response {
    if path == INDEX {
        return StatusCode::NOT_FOUND.into_response();
    }
    file_response(&path, &headers)
}

/// `GET /explore/documents.json`: each operation's SHA-256 by name, so that the page sends
/// hashes the server knows.
pub async fn document_hashes() -> Response {
    let hashes: BTreeMap<&str, &str> = documents()
        .iter()
        .map(|document| (document.name.as_str(), document.hash.as_str()))
        .collect();
    let mut response = Json(hashes).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_is_one_operation_named_as_its_file() {
        assert!(documents().len() >= 7, "{:?}", documents());
        for document in documents() {
            let parsed = async_graphql::parser::parse_query(&document.text)
                .unwrap_or_else(|error| panic!("{}: {error}", document.name));
            let names: Vec<String> = parsed
                .operations
                .iter()
                .map(|(name, _)| name.map(|n| n.to_string()).unwrap_or_default())
                .collect();
            assert_eq!(names, vec![document.name.clone()]);
            assert_eq!(document.hash, persisted::hash(&document.text));
        }
    }

    #[test]
    fn the_page_and_its_modules_are_embedded() {
        for path in [INDEX, "explore.css", "main.js"] {
            assert!(PAGE.get_file(path).is_some(), "{path} is not embedded");
        }
    }
}
