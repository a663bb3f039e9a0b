//! `/corrections`: the public corrections log, as news organizations publish theirs.
//!
//! Every change the dataset's changelog marks as the correction of an error is listed, newest
//! first: the record (linked to its permalink page where it has one), the dataset version and
//! time, the reason, and the previous wording beside the new one. The same list is what
//! `corrections` answers in GraphQL; this page is for a reader with a browser, and, with
//! `?format=json` or `Accept: application/json`, for a program that wants it without GraphQL.
//!
//! The page is a bounded slice of the log (`?page=N`, [`PAGE_SIZE`] a page), numbered from the
//! newest, and it changes only when a new dataset version does, so it carries an `ETag` made of
//! the version and the page and answers `If-None-Match` with `304 Not Modified`.

use axum::{
    Json,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{
    AppState, cache,
    error::HttpError,
    permalink::{Format, escape, page, wants_json},
};
use crate::store::{
    entities::{record, revision},
    history,
};

/// How many corrections a page of `/corrections` lists: enough to read on one screen, few
/// enough that a page is one small query.
pub const PAGE_SIZE: u64 = 25;

/// The query string `/corrections` understands.
#[derive(Debug, Default, Deserialize)]
pub struct CorrectionsQuery {
    /// The page, 1 (the newest corrections) by default.
    page: Option<String>,
    /// `json` to get JSON whatever the `Accept` header says.
    format: Option<String>,
}

/// The page to which the record of `kind` with `slug` has a permalink, if any.
pub(super) fn permalink_path(kind: &str, slug: &str) -> Option<String> {
    match kind {
        "claim" => Some(format!("/claims/{slug}")),
        "source" => Some(format!("/sources/{slug}")),
        _ => None,
    }
}

/// One field a correction changed, before and after, as JSON.
fn field_changes(revision: &revision::Model) -> Vec<Value> {
    serde_json::from_str::<Value>(&revision.changes)
        .ok()
        .and_then(|value| value.as_array().cloned())
        .unwrap_or_default()
}

/// A value of a field change as a reader reads it: text as it is, anything else as JSON.
fn in_words(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "(none)".to_owned(),
        other => other.to_string(),
    }
}

/// A correction as JSON: what `/corrections?format=json` and a claim's JSON permalink list.
pub(super) fn correction_json(revision: &revision::Model, record: Option<&record::Model>) -> Value {
    let slug = record.map_or(revision.slug.as_str(), |r| r.slug.as_str());
    let kind = record.map_or("", |r| r.kind.as_str());
    json!({
        "id": crate::store::identity::global_id(&revision.record_id),
        "recordType": revision.node_type,
        "slug": slug,
        "permalink": permalink_path(kind, slug),
        "version": revision.version,
        "revision": revision.number,
        "at": revision.at.to_rfc3339(),
        "operation": revision.operation,
        "reason": revision.reason,
        "changes": field_changes(revision),
    })
}

/// The previous wording beside the new one, field by field. A correction made before the
/// record's first import here has no earlier state in this database: only its reason is
/// known, and the page says so rather than show every field as new.
pub(super) fn changes_html(revision: &revision::Model) -> String {
    let changes = field_changes(revision);
    let first_import = revision.number == 1 && changes.iter().all(|c| c["before"].is_null());
    if first_import {
        return "<p class=\"changes\">Corrected before this record was first imported into \
                this database: the earlier wording is not recorded here.</p>"
            .to_owned();
    }
    if revision.operation == "RETRACT" {
        return "<p class=\"changes\">The record was retracted: it left the dataset.</p>"
            .to_owned();
    }
    let rows: String = changes
        .iter()
        .map(|change| {
            format!(
                "<tr><th scope=\"row\"><code>{field}</code></th><td><del>{before}</del></td><td><ins>{after}</ins></td></tr>",
                field = escape(change["field"].as_str().unwrap_or_default()),
                before = escape(&in_words(&change["before"])),
                after = escape(&in_words(&change["after"])),
            )
        })
        .collect();
    format!(
        "<table class=\"changes\"><thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Before</th><th scope=\"col\">After</th></tr></thead><tbody>{rows}</tbody></table>"
    )
}

/// When and in which version, in words: `version 3, 2026-12-04 01:02 UTC`.
pub(super) fn when_html(revision: &revision::Model) -> String {
    format!(
        "version {}, <time datetime=\"{}\">{}</time>",
        revision.version,
        escape(&revision.at.to_rfc3339()),
        revision.at.format("%Y-%m-%d %H:%M UTC"),
    )
}

/// The reason of a correction, or the plain statement that it gives none.
pub(super) fn reason_html(revision: &revision::Model) -> String {
    match &revision.reason {
        Some(reason) => format!("<p class=\"reason\">{}</p>", escape(reason)),
        None => "<p class=\"reason\">No reason was given.</p>".to_owned(),
    }
}

fn entry_html(revision: &revision::Model, record: Option<&record::Model>) -> String {
    let slug = record.map_or(revision.slug.as_str(), |r| r.slug.as_str());
    let kind = record.map_or("", |r| r.kind.as_str());
    let name = format!(
        "{} <code>{}</code>",
        escape(&revision.node_type),
        escape(slug)
    );
    let title = match permalink_path(kind, slug) {
        Some(path) => format!("<a href=\"{}\">{name}</a>", escape(&path)),
        None => name,
    };
    let retracted = if record.is_some_and(|r| r.retracted_version.is_some()) {
        " <em>(retracted)</em>"
    } else {
        ""
    };
    format!(
        "<article class=\"correction\" id=\"change-{id}\">\n<h2>{title}{retracted}</h2>\n<p class=\"when\">Corrected in {when}</p>\n{reason}\n{changes}\n</article>",
        id = revision.id,
        when = when_html(revision),
        reason = reason_html(revision),
        changes = changes_html(revision),
    )
}

/// The page number a query string asks for: 1 without one, an error for anything but a
/// positive whole number.
fn page_number(query: &CorrectionsQuery) -> Result<u64, HttpError> {
    match &query.page {
        None => Ok(1),
        Some(text) => match text.parse::<u64>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(HttpError::InvalidParameter(format!(
                "`page` must be a whole number from 1 on, not {text:?}"
            ))),
        },
    }
}

fn etag(version: &str, page: u64, json: bool) -> String {
    let mut hasher = Sha256::new();
    for part in [
        "corrections",
        version,
        &page.to_string(),
        if json { "json" } else { "html" },
    ] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    format!("\"{}\"", &hex::encode(hasher.finalize())[..32])
}

fn internal(error: sea_orm::DbErr) -> Response {
    tracing::error!(%error, "the corrections page failed inside the server");
    HttpError::Unavailable.into_response()
}

/// `GET /corrections`: one page of the corrections log, newest first.
pub async fn page_of_corrections(
    State(state): State<AppState>,
    Query(query): Query<CorrectionsQuery>,
    headers: HeaderMap,
) -> Response {
    let number = match page_number(&query) {
        Ok(number) => number,
        Err(error) => return error.into_response(),
    };
    let json = wants_json(
        &headers,
        &Format {
            format: query.format.clone(),
        },
    );
    let version = match state.versions.current(&state.db).await {
        Ok(version) => version,
        Err(error) => return error.into_response(),
    };
    let tag = etag(&version, number, json);
    if cache::matches(&headers, &tag) {
        return cache::not_modified(&tag);
    }
    let db = &state.db;
    let total = match history::change_total(db, None, true).await {
        Ok(total) => total,
        Err(error) => return internal(error),
    };
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    if number > pages {
        let message = format!("There are {pages} pages of corrections; there is no page {number}.");
        if json {
            return (StatusCode::NOT_FOUND, Json(json!({ "error": message }))).into_response();
        }
        return (
            StatusCode::NOT_FOUND,
            Html(page(
                "Not found",
                &format!(
                    "<h1>Not found</h1><p>{}</p><p><a href=\"/corrections\">The newest corrections</a></p>",
                    escape(&message)
                ),
            )),
        )
            .into_response();
    }
    let revisions =
        match history::corrections_newest_first(db, (number - 1) * PAGE_SIZE, PAGE_SIZE).await {
            Ok(revisions) => revisions,
            Err(error) => return internal(error),
        };
    let ids: Vec<String> = revisions.iter().map(|r| r.record_id.clone()).collect();
    let records = match history::records_by_id(db, &ids).await {
        Ok(records) => records,
        Err(error) => return internal(error),
    };
    let previous = (number > 1).then(|| format!("/corrections?page={}", number - 1));
    let next = (number < pages).then(|| format!("/corrections?page={}", number + 1));
    let mut response = if json {
        Json(json!({
            "page": number,
            "pages": pages,
            "totalCount": total,
            "previous": previous,
            "next": next,
            "corrections": revisions
                .iter()
                .map(|r| correction_json(r, records.get(&r.record_id)))
                .collect::<Vec<_>>(),
        }))
        .into_response()
    } else {
        let entries: Vec<String> = revisions
            .iter()
            .map(|r| entry_html(r, records.get(&r.record_id)))
            .collect();
        let mut navigation = Vec::new();
        if let Some(previous) = &previous {
            navigation.push(format!(
                "<a rel=\"prev\" href=\"{}\">Newer corrections</a>",
                escape(previous)
            ));
        }
        if let Some(next) = &next {
            navigation.push(format!(
                "<a rel=\"next\" href=\"{}\">Older corrections</a>",
                escape(next)
            ));
        }
        let body = format!(
            "<h1>Corrections</h1>\n<p>Every correction of an error in the dataset, newest first: \
             what was corrected, when and why, with the earlier wording beside the new one. \
             {total} in all; page {number} of {pages}. The same log is the GraphQL field \
             <code>corrections</code>.</p>\n{entries}\n<nav class=\"pages\">{navigation}</nav>",
            entries = if entries.is_empty() {
                "<p>No correction has been made yet.</p>".to_owned()
            } else {
                entries.join("\n")
            },
            navigation = navigation.join(" · "),
        );
        Html(page("Corrections", &body)).into_response()
    };
    cache::cacheable(&mut response, &tag);
    response
}
