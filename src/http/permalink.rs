//! Permalinks: `/claims/{slug}` and `/sources/{slug}`, where a reader who follows a citation
//! lands.
//!
//! A browser gets a small readable page: the quote, what it says, its source and the citation
//! to copy. A program that asks for `application/json` (or adds `?format=json`) gets the
//! record as JSON. Unknown slugs are 404 either way.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use crate::{
    citation::CitedSource,
    store::{
        entities::{entity, source},
        queries,
    },
};

/// The query string a permalink understands.
#[derive(Debug, Default, Deserialize)]
pub struct Format {
    /// `json` to get JSON whatever the `Accept` header says.
    format: Option<String>,
}

fn wants_json(headers: &HeaderMap, format: &Format) -> bool {
    if let Some(format) = &format.format {
        return format == "json";
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    accept.contains("application/json") && !accept.contains("text/html")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — nkhr</title>
<style>body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }} blockquote {{ border-left: 4px solid #999; margin: 1rem 0; padding: .25rem 1rem; font-size: 1.1rem; }} dt {{ font-weight: 600; }} code {{ background: #f3f3f3; }}</style>
</head>
<body>
{body}
<p><a href="/">Explore the dataset in GraphiQL</a></p>
</body>
</html>
"#,
        title = escape(title)
    )
}

fn not_found(what: &str, slug: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(page(
            "Not found",
            &format!(
                "<h1>Not found</h1><p>There is no {what} <code>{}</code>.</p>",
                escape(slug)
            ),
        )),
    )
        .into_response()
}

fn internal(error: sea_orm::DbErr) -> Response {
    tracing::error!(%error, "a permalink failed inside the server");
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// The actors in `role` of the source `slug`, in order.
async fn actors(
    db: &sea_orm::DatabaseConnection,
    role: &str,
    slug: &str,
) -> Result<Vec<entity::Model>, sea_orm::DbErr> {
    let names = queries::source_actors(db, role, &[slug.to_owned()])
        .await?
        .remove(slug)
        .unwrap_or_default();
    let mut found = queries::entities_by_slug(db, &names).await?;
    Ok(names.iter().filter_map(|n| found.remove(n)).collect())
}

/// The source `slug` with its authors and publisher.
async fn cited(
    state: &AppState,
    slug: &str,
) -> Result<Option<(source::Model, Vec<entity::Model>, Option<entity::Model>)>, sea_orm::DbErr> {
    let db = &state.db;
    let slugs = [slug.to_owned()];
    let Some(source) = queries::sources_by_slug(db, &slugs).await?.remove(slug) else {
        return Ok(None);
    };
    let authors = actors(db, "author", slug).await?;
    let publisher = actors(db, "publisher", slug).await?.into_iter().next();
    Ok(Some((source, authors, publisher)))
}

/// `GET /claims/{slug}`: the claim's page, or the claim as JSON.
pub async fn claim(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(format): Query<Format>,
    headers: HeaderMap,
) -> Response {
    let found = match queries::claims_by_slug(&state.db, std::slice::from_ref(&slug)).await {
        Ok(mut claims) => claims.remove(&slug),
        Err(error) => return internal(error),
    };
    let Some(claim) = found else {
        return not_found("claim", &slug);
    };
    let (source, authors, publisher) = match cited(&state, &claim.source_slug).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found("source", &claim.source_slug),
        Err(error) => return internal(error),
    };
    let cite = CitedSource {
        source: &crate::store::queries::SourceHead::from(&source),
        authors: &authors,
        publisher: publisher.as_ref(),
    };
    let public = &state.settings.public_url;
    if wants_json(&headers, &format) {
        return Json(json!({
            "slug": claim.slug,
            "quote": claim.quote,
            "statement": claim.statement,
            "start": claim.start_offset,
            "end": claim.end_offset,
            "certainty": crate::export::graphql_name(&claim.certainty),
            "kind": crate::export::graphql_name(&claim.kind),
            "date": claim.holds_from,
            "until": claim.holds_until,
            "source": { "slug": source.slug, "title": source.title, "published": source.published, "permalink": public.source(&source.slug) },
            "citation": cite.claim_text(&claim, public),
            "csl": cite.claim_csl(&claim, public),
            "permalink": public.claim(&claim.slug),
        }))
        .into_response();
    }
    let body = format!(
        "<h1>Claim <code>{slug}</code></h1>\n<blockquote id=\"quote\">{quote}</blockquote>\n\
         <dl><dt>What it says</dt><dd>{statement}</dd>\n\
         <dt>Source</dt><dd><a href=\"{source_link}\">{title}</a>, {date}; characters {start}–{end}</dd>\n\
         <dt>Certainty</dt><dd>{certainty}</dd>\n\
         <dt>Cite as</dt><dd id=\"citation\">{citation}</dd></dl>",
        slug = escape(&claim.slug),
        quote = escape(&claim.quote),
        statement = escape(&claim.statement),
        source_link = escape(&public.source(&source.slug)),
        title = escape(&source.title),
        date = escape(&crate::citation::date_in_words(&source.published)),
        start = claim.start_offset,
        end = claim.end_offset,
        certainty = claim.certainty,
        citation = escape(&cite.claim_text(&claim, public)),
    );
    Html(page(&claim.statement, &body)).into_response()
}

/// `GET /sources/{slug}`: the source's page with its full text, or the source as JSON.
pub async fn source(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(format): Query<Format>,
    headers: HeaderMap,
) -> Response {
    let (source, authors, publisher) = match cited(&state, &slug).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found("source", &slug),
        Err(error) => return internal(error),
    };
    let cite = CitedSource {
        source: &crate::store::queries::SourceHead::from(&source),
        authors: &authors,
        publisher: publisher.as_ref(),
    };
    let public = &state.settings.public_url;
    if wants_json(&headers, &format) {
        return Json(json!({
            "slug": source.slug,
            "title": source.title,
            "published": source.published,
            "writtenFrom": source.written_from,
            "writtenUntil": source.written_until,
            "writtenNote": source.written_note,
            "authors": authors.iter().map(|a| &a.name).collect::<Vec<_>>(),
            "sha256": source.sha256,
            "text": source.text,
            "citation": cite.text(),
            "csl": cite.csl(public),
            "permalink": public.source(&source.slug),
        }))
        .into_response();
    }
    let written = written_in_words(&source)
        .map(|written| format!("\n<p id=\"written\">{}</p>", escape(&written)))
        .unwrap_or_default();
    let body = format!(
        "<h1>{title}</h1>\n<p id=\"citation\">{citation}</p>{written}\n<pre style=\"white-space: pre-wrap\">{text}</pre>",
        title = escape(&source.title),
        citation = escape(&cite.text()),
        text = escape(&source.text),
    );
    Html(page(&source.title, &body)).into_response()
}

/// When the source was written, in words, with how that was read off the text: "Written from
/// August 2020 to November 2020. The latest event …". `None` when the files give no writing
/// time.
fn written_in_words(source: &source::Model) -> Option<String> {
    use crate::citation::date_in_words;
    let when = match (&source.written_from, &source.written_until) {
        (Some(from), Some(until)) => format!(
            "Written from {} to {}.",
            date_in_words(from),
            date_in_words(until)
        ),
        (Some(from), None) => format!("Written from {} on.", date_in_words(from)),
        (None, Some(until)) => format!("Written by {}.", date_in_words(until)),
        (None, None) => return None,
    };
    Some(match &source.written_note {
        Some(note) => format!("{when} {note}"),
        None => when,
    })
}
