//! `GET /export/{file}`: the bulk exports over HTTP, streamed as they are read.
//!
//! The body is written chunk by chunk from [`crate::export::stream`], so the server never
//! holds a whole export in memory. A database failure half-way ends the body early, and is
//! logged: the status line has gone out by then.

use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures_util::TryStreamExt;

use super::AppState;
use crate::export::{self, ExportKind};

/// `GET /export/{file}`: `actors.csv`, `laws.csv`, `measures.csv`, `events.csv`,
/// `recommendations.csv`, `claims.csv`, `sources.csv`, `relations.csv` or `dataset.ndjson`.
pub async fn export(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(kind) = ExportKind::from_file_name(&file) else {
        return (
            StatusCode::NOT_FOUND,
            format!(
                "no such export; there are: {}\n",
                ExportKind::ALL.map(ExportKind::file_name).join(", ")
            ),
        )
            .into_response();
    };
    let chunks = export::stream(state.db.clone(), kind, state.settings.public_url.clone())
        .inspect_err(move |error| {
            tracing::error!(%error, export = kind.file_name(), "an export failed half-way");
        });
    let mut response = Body::from_stream(chunks).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(kind.content_type()),
    );
    if let Ok(disposition) = HeaderValue::from_str(&format!(
        "attachment; filename=\"nkhr-{}\"",
        kind.file_name()
    )) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    response
}
