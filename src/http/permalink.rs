//! Permalinks: `/claims/{slug}` and `/sources/{slug}`, where a reader who follows a citation
//! lands.
//!
//! A browser gets a small readable page: the quote, what it says, its source and the citation
//! to copy. A program that asks for `application/json` (or adds `?format=json`) gets the
//! record as JSON. Unknown slugs are 404 either way.
//!
//! A claim's page lists its corrections (when, why, the earlier wording), as
//! `/corrections` does for the whole dataset. A retracted claim keeps its page: it shows the
//! claim as it last stood, under the retraction and its reason, so a citation that points at
//! it still explains itself. A former slug redirects to the claim's current page.

use axum::{
    Json,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{Html, IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use serde_json::json;

use super::{AppState, corrections};
use crate::{
    citation::CitedSource,
    store::{
        entities::{claim, entity, record, revision, source},
        history, queries,
    },
};

/// The query string a permalink understands.
#[derive(Debug, Default, Deserialize)]
pub struct Format {
    /// `json` to get JSON whatever the `Accept` header says.
    pub(super) format: Option<String>,
}

/// How many corrections a claim's page lists at most: a claim is corrected a handful of
/// times, and `/corrections` and `revisions` reach every one.
pub const MAX_CLAIM_CORRECTIONS: u64 = 50;

/// Whether the client asked for JSON rather than a page.
pub(super) fn wants_json(headers: &HeaderMap, format: &Format) -> bool {
    if let Some(format) = &format.format {
        return format == "json";
    }
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    accept.contains("application/json") && !accept.contains("text/html")
}

/// `text` made safe inside HTML text and attribute values.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A whole page around `body`, in the permalinks' layout.
pub(super) fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — nkhr</title>
<style>body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }} blockquote {{ border-left: 4px solid #999; margin: 1rem 0; padding: .25rem 1rem; font-size: 1.1rem; }} dt {{ font-weight: 600; }} code {{ background: #f3f3f3; }} .retraction {{ border: 2px solid #b00; padding: .5rem 1rem; }} table.changes {{ border-collapse: collapse; width: 100%; }} table.changes th, table.changes td {{ border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }} del {{ background: #fde8e8; }} ins {{ background: #e6f4e6; text-decoration: none; }}</style>
</head>
<body>
{body}
<p><a href="/">Explore the dataset in GraphiQL</a> · <a href="/corrections">Corrections</a></p>
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

/// The claim `slug` names: live, or retracted with its record (which says when and why).
enum Found {
    Live(claim::Model),
    Retracted(claim::Model, record::Model),
    /// A former slug of a live claim: its current one.
    Moved(String),
    Missing,
}

async fn find_claim(db: &sea_orm::DatabaseConnection, slug: &str) -> Result<Found, sea_orm::DbErr> {
    if let Some(claim) = queries::claims_by_slug(db, &[slug.to_owned()])
        .await?
        .remove(slug)
    {
        return Ok(Found::Live(claim));
    }
    let Some(record) = history::by_slug(db, "claim", slug).await? else {
        return Ok(Found::Missing);
    };
    if record.retracted_version.is_none() {
        return Ok(if record.slug == slug {
            Found::Missing
        } else {
            Found::Moved(record.slug)
        });
    }
    let row = record
        .retracted_row
        .as_deref()
        .and_then(|row| serde_json::from_str::<claim::Model>(row).ok());
    Ok(match row {
        Some(claim) => Found::Retracted(claim, record),
        None => Found::Missing,
    })
}

/// The source of a claim: live, or, for a retracted claim whose source went with it, as the
/// source last stood.
async fn cited_for_claim(
    state: &AppState,
    slug: &str,
) -> Result<Option<(source::Model, Vec<entity::Model>, Option<entity::Model>)>, sea_orm::DbErr> {
    if let Some(found) = cited(state, slug).await? {
        return Ok(Some(found));
    }
    let Some(record) = history::by_slug(&state.db, "source", slug).await? else {
        return Ok(None);
    };
    Ok(record
        .retracted_row
        .as_deref()
        .and_then(|row| serde_json::from_str::<source::Model>(row).ok())
        .map(|source| (source, Vec::new(), None)))
}

/// When and why a retracted record went: its version, the time of that version, the reason.
async fn retraction_of(
    db: &sea_orm::DatabaseConnection,
    record: &record::Model,
) -> Result<Option<serde_json::Value>, sea_orm::DbErr> {
    let Some(version) = record.retracted_version else {
        return Ok(None);
    };
    let at = history::version(db, version).await?.map(|v| v.loaded_at);
    Ok(Some(json!({
        "version": version,
        "at": at.map(|at| at.to_rfc3339()),
        "reason": record.retraction_reason,
    })))
}

fn retraction_html(retraction: &serde_json::Value) -> String {
    let at = retraction["at"].as_str().unwrap_or_default();
    format!(
        "<section class=\"retraction\" id=\"retraction\"><h2>Retracted</h2>\n\
         <p>This claim was retracted in version {version}, <time datetime=\"{at}\">{at}</time>: \
         it is no longer part of the dataset. It is shown as it last stood.</p>\n\
         <p class=\"reason\">{reason}</p></section>",
        version = retraction["version"],
        at = escape(at),
        reason = escape(
            retraction["reason"]
                .as_str()
                .unwrap_or("No reason was given.")
        ),
    )
}

fn claim_corrections_html(revisions: &[revision::Model]) -> String {
    let entries: String = revisions
        .iter()
        .map(|revision| {
            format!(
                "<article class=\"correction\"><p class=\"when\">Corrected in {when}</p>\n{reason}\n{changes}</article>\n",
                when = corrections::when_html(revision),
                reason = corrections::reason_html(revision),
                changes = corrections::changes_html(revision),
            )
        })
        .collect();
    let body = if revisions.is_empty() {
        "<p>This claim has not been corrected.</p>".to_owned()
    } else {
        entries
    };
    format!(
        "<section id=\"corrections\"><h2>Corrections</h2>\n{body}<p><a href=\"/corrections\">Every correction in the dataset</a></p></section>"
    )
}

/// `GET /claims/{slug}`: the claim's page, or the claim as JSON.
pub async fn claim(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(format): Query<Format>,
    headers: HeaderMap,
) -> Response {
    let (claim, record) = match find_claim(&state.db, &slug).await {
        Ok(Found::Live(claim)) => (claim, None),
        Ok(Found::Retracted(claim, record)) => (claim, Some(record)),
        Ok(Found::Moved(current)) => {
            let query = if format.format.as_deref() == Some("json") {
                "?format=json"
            } else {
                ""
            };
            return Redirect::permanent(&format!("/claims/{current}{query}")).into_response();
        }
        Ok(Found::Missing) => return not_found("claim", &slug),
        Err(error) => return internal(error),
    };
    let (source, authors, publisher) = match cited_for_claim(&state, &claim.source_slug).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found("source", &claim.source_slug),
        Err(error) => return internal(error),
    };
    let retraction = match &record {
        Some(record) => match retraction_of(&state.db, record).await {
            Ok(retraction) => retraction,
            Err(error) => return internal(error),
        },
        None => None,
    };
    let corrected = match history::corrections_of(&state.db, &claim.id, MAX_CLAIM_CORRECTIONS).await
    {
        Ok(found) => found,
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
            "retraction": retraction,
            "corrections": corrected
                .iter()
                .map(|r| corrections::correction_json(r, record.as_ref()))
                .collect::<Vec<_>>(),
        }))
        .into_response();
    }
    let body = format!(
        "<h1>Claim <code>{slug}</code></h1>\n{retraction}<blockquote id=\"quote\">{quote}</blockquote>\n\
         <dl><dt>What it says</dt><dd>{statement}</dd>\n\
         <dt>Source</dt><dd><a href=\"{source_link}\">{title}</a>, {date}; characters {start}–{end}</dd>\n\
         <dt>Certainty</dt><dd>{certainty}</dd>\n\
         <dt>Cite as</dt><dd id=\"citation\">{citation}</dd></dl>\n{corrections}",
        slug = escape(&claim.slug),
        retraction = retraction.as_ref().map(retraction_html).unwrap_or_default(),
        quote = escape(&claim.quote),
        statement = escape(&claim.statement),
        source_link = escape(&public.source(&source.slug)),
        title = escape(&source.title),
        date = escape(&crate::citation::date_in_words(&source.published)),
        start = claim.start_offset,
        end = claim.end_offset,
        certainty = claim.certainty,
        citation = escape(&cite.claim_text(&claim, public)),
        corrections = claim_corrections_html(&corrected),
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
