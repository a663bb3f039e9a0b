//! `GET /export/{file}`: the bulk exports over HTTP, streamed as they are read.
//!
//! The body is written chunk by chunk from [`crate::export::stream`], so the server never
//! holds a whole export in memory. A database failure half-way ends the body early, and is
//! logged: the status line has gone out by then.
//!
//! An export changes only when the dataset does, so it is cached by dataset version like a
//! `GET` query: its `ETag` is made of the version, the file and the query string, its
//! `Last-Modified` is when the version was loaded, and a client that sends either back
//! (`If-None-Match`, `If-Modified-Since`) gets `304 Not Modified` without a row being read.
//! The version and its digest are also in the `Nkhr-Dataset-Version` and
//! `Nkhr-Dataset-Digest` headers, which is where a CSV says them: a comment line in a CSV
//! would be read as a row by most readers.

use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};

use super::{AppState, cache, error::HttpError};
use crate::{
    export::{self, ExportFile, ExportOptions, ParameterError},
    store::{entities::dataset_version, history, queries},
};

/// The header naming the dataset version an export was read at.
pub const VERSION_HEADER: &str = "nkhr-dataset-version";

/// The header carrying the digest of the dataset files of that version.
pub const DIGEST_HEADER: &str = "nkhr-dataset-digest";

/// `GET /export/{file}`: every file [`ExportFile::all`] lists, such as `claims.csv`,
/// `actors.json` or `dataset.ndjson`, with the query-string parameters it takes.
pub async fn export(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(parameters): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let Some(file) = ExportFile::from_file_name(&file) else {
        return (
            StatusCode::NOT_FOUND,
            format!(
                "no such export; there are: {}\n",
                ExportFile::all()
                    .into_iter()
                    .map(ExportFile::file_name)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
            .into_response();
    };
    let request = match file.options(&parameters) {
        Ok(request) => request,
        Err(error @ ParameterError::Unknown { .. }) => {
            return HttpError::UnknownParameter(error.to_string()).into_response();
        }
        Err(error @ ParameterError::Invalid(_)) => {
            return HttpError::InvalidParameter(error.to_string()).into_response();
        }
    };
    let version = match request.version {
        None => queries::latest_version(&state.db).await,
        Some(number) => history::version(&state.db, number).await,
    };
    let version = match version {
        Ok(None) if request.version.is_some() => {
            return HttpError::InvalidParameter(format!(
                "there is no dataset version {}; `dataset {{ versions }}` lists them",
                request.version.unwrap_or_default()
            ))
            .into_response();
        }
        Ok(version) => version,
        Err(error) => {
            tracing::error!(%error, "reading the dataset version failed");
            return HttpError::Unavailable.into_response();
        }
    };
    let etag = etag(&version, file, &parameters);
    let modified = version.as_ref().map(|v| v.loaded_at);
    if fresh(&headers, &etag, modified) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        describe(response.headers_mut(), &etag, &version);
        return response;
    }
    let options = ExportOptions {
        public: state.settings.public_url.clone(),
        request,
        version: version.clone(),
    };
    let chunks = export::stream(state.db.clone(), file, options).inspect_err(move |error| {
        tracing::error!(%error, export = file.file_name(), "an export failed half-way");
    });
    let mut response = Body::from_stream(chunks).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.content_type()),
    );
    if let Ok(disposition) = HeaderValue::from_str(&format!(
        "attachment; filename=\"nkhr-{}\"",
        file.file_name()
    )) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    describe(headers, &etag, &version);
    response
}

/// The entity tag of an export: the dataset version, the file and the query string as sent.
fn etag(
    version: &Option<dataset_version::Model>,
    file: ExportFile,
    parameters: &[(String, String)],
) -> String {
    let mut hasher = Sha256::new();
    let version = version
        .as_ref()
        .map(|v| format!("{}-{}", v.id, v.digest))
        .unwrap_or_default();
    let name = file.file_name();
    let parts = [version.as_str(), name.as_str()].into_iter().chain(
        parameters
            .iter()
            .flat_map(|(n, v)| [n.as_str(), v.as_str()]),
    );
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    format!("\"{}\"", &hex::encode(hasher.finalize())[..32])
}

/// An HTTP date: `Thu, 03 Dec 2026 10:20:00 GMT`.
fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Whether the client's copy is current: its `If-None-Match` names `etag`, or, when it
/// sends none, its `If-Modified-Since` is no earlier than the version's load (RFC 9110,
/// 13.2.2: `If-None-Match` wins).
fn fresh(headers: &HeaderMap, etag: &str, modified: Option<DateTime<Utc>>) -> bool {
    if headers.contains_key(header::IF_NONE_MATCH) {
        return cache::matches(headers, etag);
    }
    let Some(modified) = modified else {
        return false;
    };
    headers
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| DateTime::parse_from_rfc2822(value).ok())
        .is_some_and(|since| modified.timestamp() <= since.timestamp())
}

/// The caching and version headers of an export and of its `304`.
fn describe(headers: &mut HeaderMap, etag: &str, version: &Option<dataset_version::Model>) {
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!("public, max-age={}", cache::MAX_AGE_SECONDS))
    {
        headers.insert(header::CACHE_CONTROL, value);
    }
    if let Some(version) = version {
        if let Ok(value) = HeaderValue::from_str(&http_date(version.loaded_at)) {
            headers.insert(header::LAST_MODIFIED, value);
        }
        headers.insert(VERSION_HEADER, HeaderValue::from(version.id));
        if let Ok(value) = HeaderValue::from_str(&version.digest) {
            headers.insert(DIGEST_HEADER, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_read_back_as_rfc_2822() {
        let at = DateTime::parse_from_rfc3339("2026-12-03T10:20:07Z")
            .unwrap()
            .with_timezone(&Utc);
        let text = http_date(at);
        assert_eq!(text, "Thu, 03 Dec 2026 10:20:07 GMT");
        assert_eq!(
            DateTime::parse_from_rfc2822(&text).unwrap().timestamp(),
            at.timestamp()
        );
    }
}
