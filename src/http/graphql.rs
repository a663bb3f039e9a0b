//! `/graphql` over HTTP, after the GraphQL over HTTP specification.
//!
//! - `POST` takes `application/json` in UTF-8; any other body type — including the ones a
//!   browser form can send cross-site — is refused with 415 and never executed.
//! - `GET` takes the request in the query string, and runs queries only: a mutation over GET
//!   gets 405.
//! - The answer is `application/graphql-response+json` when the client names it, and
//!   `application/json` when the client prefers that, accepts anything (`*/*`) or sends no
//!   `Accept` at all, as the specification asks of legacy clients; with neither, 406. Under
//!   the new media type a document that does not parse or validate gets 400; under
//!   `application/json` it gets 200, as legacy clients expect. Either way such an answer has
//!   no `data` entry.
//! - Batches are not accepted: one request, one operation.
//!
//! Between the HTTP request and the schema, every request passes the same steps, in order:
//! who is calling (API key or address), which document (persisted queries and the
//! allow-list), whether the document is within the limits, whether a `GET` may be answered
//! from the client's cache (ETag), and then execution within the request timeout; the
//! answer carries the caller's rate-limit headers.

use std::{
    sync::{Arc, Mutex},
    time::Instant,
};

use async_graphql::{
    ServerError, Variables,
    parser::{parse_query, types::OperationType},
};
use axum::{
    body::{Body, Bytes},
    extract::{Query, Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{AppState, document, error::HttpError, metrics, response_cache};
use crate::graphql::{
    ErrorCode,
    error::set_code,
    rate_limit::{Charge, RateLimitContext},
};

/// The media type of the GraphQL over HTTP specification.
pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";

/// Which media type the answer is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    /// `application/graphql-response+json`: request errors are 400.
    GraphqlResponse,
    /// `application/json`: request errors are 200, for clients written before the spec.
    Json,
}

impl ResponseType {
    fn content_type(self) -> &'static str {
        match self {
            ResponseType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            ResponseType::Json => "application/json; charset=utf-8",
        }
    }
}

/// How well an `Accept` header's media ranges match `wanted`: the quality of the most
/// specific matching range, if any.
fn quality(accept: &str, wanted: &str) -> Option<f32> {
    let (wanted_type, _) = wanted.split_once('/')?;
    let mut best: Option<(u8, f32)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
            })
            .next()
            .unwrap_or(1.0);
        let specificity = if media == wanted {
            3
        } else if media == format!("{wanted_type}/*") {
            2
        } else if media == "*/*" {
            1
        } else {
            continue;
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, q));
        }
    }
    best.map(|(_, q)| q)
}

/// The quality an `Accept` header gives `wanted` by name, ignoring wildcards.
fn named_quality(accept: &str, wanted: &str) -> Option<f32> {
    accept.split(',').find_map(|range| {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim();
        media.eq_ignore_ascii_case(wanted).then(|| {
            parts
                .filter_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f32>().ok())
                })
                .next()
                .unwrap_or(1.0)
        })
    })
}

/// Picks the answer's media type from the `Accept` header.
pub fn negotiate(headers: &HeaderMap) -> Result<ResponseType, HttpError> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Ok(ResponseType::Json);
    };
    // The new media type is given only to a client that names it: one that accepts anything
    // may be a legacy client that knows nothing else.
    let graphql = named_quality(accept, GRAPHQL_RESPONSE_JSON).unwrap_or(0.0);
    let json = quality(accept, "application/json").unwrap_or(0.0);
    match (graphql, json) {
        (g, j) if g <= 0.0 && j <= 0.0 => Err(HttpError::NotAcceptable),
        (g, j) if g > 0.0 && g >= j => Ok(ResponseType::GraphqlResponse),
        _ => Ok(ResponseType::Json),
    }
}

/// A GraphQL request as sent in a POST body or a GET query string.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GraphqlBody {
    query: Option<String>,
    #[serde(default)]
    variables: Option<serde_json::Value>,
    #[serde(default, rename = "operationName")]
    operation_name: Option<String>,
    #[serde(default)]
    extensions: Option<serde_json::Value>,
}

/// The query string of a GET request; `variables` and `extensions` are JSON-encoded.
#[derive(Debug, Deserialize)]
struct GraphqlParams {
    query: Option<String>,
    variables: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    extensions: Option<String>,
}

fn parse_json(name: &str, text: Option<String>) -> Result<Option<serde_json::Value>, HttpError> {
    text.map(|text| {
        serde_json::from_str(&text)
            .map_err(|_| HttpError::BadRequest(format!("`{name}` is not valid JSON")))
    })
    .transpose()
}

/// Whether a POST's `Content-Type` is JSON in UTF-8.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut parts = content_type.split(';');
    let media = parts.next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("application/json") {
        return false;
    }
    parts.all(|param| match param.split_once('=') {
        Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
            value.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
        }
        _ => true,
    })
}

/// Reads the GraphQL request out of a GET's query string.
fn read_get(parts: &Parts) -> Result<GraphqlBody, HttpError> {
    let Query(params) = Query::<GraphqlParams>::try_from_uri(&parts.uri).map_err(|_| {
        HttpError::BadRequest("the query string is not a GraphQL request in UTF-8".to_owned())
    })?;
    Ok(GraphqlBody {
        query: params.query,
        variables: parse_json("variables", params.variables)?,
        operation_name: params.operation_name,
        extensions: parse_json("extensions", params.extensions)?,
    })
}

/// Reads the GraphQL request out of a POST's body.
async fn read_post(parts: &Parts, body: Body, limit: usize) -> Result<GraphqlBody, HttpError> {
    if !is_json(&parts.headers) {
        return Err(HttpError::UnsupportedMediaType);
    }
    let bytes: Bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| HttpError::PayloadTooLarge(limit))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| HttpError::BadRequest("the body is not UTF-8".to_owned()))?;
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|error| HttpError::BadRequest(format!("the body is not valid JSON: {error}")))?;
    if value.is_array() {
        return Err(HttpError::BadRequest(
            "batched requests are not accepted; send one request at a time".to_owned(),
        ));
    }
    serde_json::from_value(value).map_err(|error| {
        HttpError::BadRequest(format!("the body is not a GraphQL request: {error}"))
    })
}

/// `GET /graphql` and `POST /graphql`.
pub async fn graphql(State(state): State<AppState>, request: Request) -> Response {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let mut operation = None;
    let (outcome, response) = match handle(&state, &parts, body, &mut operation).await {
        Ok(answered) => answered,
        Err(error) => ("http_error", error.into_response()),
    };
    if state.settings.metrics {
        // Only an operation that passed validation names a series: any other name is the
        // client's free text, and would crowd the real ones out of the bounded label set.
        let validated = matches!(outcome, "ok" | "field_error" | "not_modified");
        metrics::record_request(
            if validated {
                operation.as_deref()
            } else {
                Some(metrics::UNVALIDATED)
            },
            outcome,
            started.elapsed().as_secs_f64(),
        );
    }
    response
}

/// An answer in a media type, and what sort of answer it is, for the metrics.
type Answered = (&'static str, Response);

async fn handle(
    state: &AppState,
    parts: &Parts,
    body: Body,
    operation: &mut Option<String>,
) -> Result<Answered, HttpError> {
    let response_type = negotiate(&parts.headers)?;
    let is_get = parts.method == Method::GET;
    let body = if is_get {
        read_get(parts)?
    } else {
        read_post(parts, body, state.settings.body_limit).await?
    };
    if !matches!(
        body.extensions,
        None | Some(serde_json::Value::Null | serde_json::Value::Object(_))
    ) {
        return Err(HttpError::BadRequest(
            "`extensions` must be an object".to_owned(),
        ));
    }
    *operation = body.operation_name.clone();
    let caller = state
        .keys
        .identify(
            &state.db,
            &state.limiter,
            parts,
            &state.settings.forwarded_for,
        )
        .await?;

    let query = match state
        .persisted
        .resolve(body.query, body.extensions.as_ref())
    {
        Ok(Some(query)) => query,
        Ok(None) => {
            return Err(HttpError::BadRequest(
                "the request has no `query`".to_owned(),
            ));
        }
        Err(error) => {
            return Ok((
                "request_error",
                request_error(response_type, error.code(), &error.to_string()),
            ));
        }
    };
    if let Err(error) = document::check_text(&query, &state.settings.documents) {
        return Ok((
            "request_error",
            request_error(response_type, error.code(), &error.to_string()),
        ));
    }
    // An answer depends on the document, the variables and the dataset's version alone,
    // unless it asks for the caller's own rate limit. So a GET's ETag, and the answers kept
    // in memory, are looked up before the document is parsed.
    let reusable = !query.contains("rateLimit");
    let version = if reusable && (is_get || state.responses.enabled()) {
        Some(state.versions.current(&state.db).await?)
    } else {
        None
    };
    let request_digest = version.as_ref().map(|_| {
        super::cache::request_digest(
            &query,
            &body.variables,
            &body.operation_name,
            response_type == ResponseType::Json,
        )
    });
    let etag = version
        .as_ref()
        .zip(request_digest.as_ref())
        .filter(|_| is_get)
        .map(|(version, digest)| super::cache::etag(version, digest));
    if let Some(etag) = &etag
        && super::cache::matches(&parts.headers, etag)
    {
        return Ok(("not_modified", super::cache::not_modified(etag)));
    }
    let kept = version
        .zip(request_digest)
        .filter(|_| state.responses.enabled())
        .map(|(version, digest)| (version, (digest, caller.is_keyed())));
    if let Some((version, key)) = &kept
        && let Some(hit) = state.responses.get(version, key)
        && let Some(answer) = from_memory(state, &caller, &hit, etag.as_deref())
    {
        if body.operation_name.is_none() {
            operation.clone_from(&hit.operation);
        }
        return Ok((hit.outcome, answer));
    }
    if state.settings.metrics && kept.is_some() {
        metrics::record_response_cache(false);
    }

    let parsed = parse_query(&query).ok();
    if let Some(parsed) = &parsed
        && operation.is_none()
    {
        // The metrics label a request by the name of the operation it runs, sent or not.
        *operation = document::operation_name(parsed);
    }
    if let Some(parsed) = &parsed {
        if let Err(error) = document::check_document(parsed, &state.settings.documents) {
            return Ok((
                "request_error",
                request_error(response_type, error.code(), &error.to_string()),
            ));
        }
        if document::has_nul(parsed, body.variables.as_ref()) {
            return Ok((
                "request_error",
                request_error(
                    response_type,
                    ErrorCode::InvalidArgument,
                    "a string argument or variable holds a NUL character (\\u0000), which is not accepted",
                ),
            ));
        }
        if let Err(error) = state.executor.check_shape(parsed) {
            return Ok((
                "request_error",
                request_error(response_type, error.code(), &error.to_string()),
            ));
        }
        if is_get {
            match document::operation_type(parsed, body.operation_name.as_deref()) {
                Some(OperationType::Mutation) => {
                    return Err(HttpError::MutationOverGet("mutation"));
                }
                Some(OperationType::Subscription) => {
                    return Err(HttpError::MutationOverGet("subscription"));
                }
                _ => {}
            }
        }
        if document::operation_type(parsed, body.operation_name.as_deref())
            == Some(OperationType::Subscription)
        {
            return Ok((
                "request_error",
                request_error(
                    response_type,
                    ErrorCode::BadRequest,
                    "subscriptions are served over WebSocket at /graphql/ws, in the graphql-ws \
                     protocol (graphql-transport-ws); POST runs queries only",
                ),
            ));
        }
    }

    let is_query = parsed.as_ref().is_some_and(|parsed| {
        document::operation_type(parsed, body.operation_name.as_deref())
            == Some(OperationType::Query)
    });
    let mut request = async_graphql::Request::new(query);
    match body.variables {
        None | Some(serde_json::Value::Null) => {}
        Some(variables @ serde_json::Value::Object(_)) => {
            request = request.variables(Variables::from_json(variables))
        }
        Some(_) => {
            return Err(HttpError::BadRequest(
                "`variables` must be an object".to_owned(),
            ));
        }
    }
    if let Some(name) = body.operation_name {
        request = request.operation_name(name);
    }
    if let Some(parsed) = parsed {
        request.set_parsed_query(parsed);
    }
    let limits = RateLimitContext {
        caller,
        limiter: state.limiter.clone(),
        charge: Arc::new(Mutex::new(None)),
    };
    request = request.data(limits.clone());

    let timeout = state.settings.request_timeout;
    let response = tokio::time::timeout(timeout, state.executor.execute(request))
        .await
        .map_err(|_| HttpError::Timeout(timeout.as_millis()))?;
    let charge = limits.charge();
    let (outcome, answer) = answer(response, response_type);
    let (outcome, mut answer) = bounded(
        outcome,
        answer,
        state.settings.max_response_bytes,
        response_type,
    );
    if let Some((version, key)) = kept
        && outcome == "ok"
        && answer.status() == StatusCode::OK
        && is_query
        && let Some(cost) = match charge {
            Some(charge) => charge.allowed.then_some(charge.cost),
            // Without rate limits nothing is charged.
            None => (!state.limiter.settings().enabled).then_some(0),
        }
    {
        let (head, body) = answer.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        state.responses.put(
            &version,
            key,
            response_cache::Cached {
                status: head.status,
                headers: head.headers.clone(),
                body: bytes.clone(),
                outcome,
                operation: operation.clone(),
                cost,
            },
        );
        answer = Response::from_parts(head, Body::from(bytes));
    }
    if let Some(charge) = charge {
        rate_limit_headers(&mut answer, &charge);
        if !charge.allowed {
            *answer.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            let retry = HeaderValue::from(charge.reset_in_seconds().max(1));
            answer.headers_mut().insert(header::RETRY_AFTER, retry);
            if state.settings.metrics {
                metrics::record_rate_limited(limits.caller.is_keyed());
            }
            return Ok(("rate_limited", answer));
        }
    }
    if let Some(etag) = etag.filter(|_| answer.status() == StatusCode::OK) {
        super::cache::cacheable(&mut answer, &etag);
    }
    Ok((outcome, answer))
}

/// The answer kept in memory, served to `caller` and charged as the query was when it ran;
/// `None` when the caller cannot afford it, so that the request runs and is refused as any
/// other would be.
fn from_memory(
    state: &AppState,
    caller: &crate::graphql::rate_limit::Caller,
    hit: &response_cache::Cached,
    etag: Option<&str>,
) -> Option<Response> {
    let charge = if state.limiter.settings().enabled {
        let charge = state.limiter.charge(caller, hit.cost);
        if !charge.allowed {
            return None;
        }
        Some(charge)
    } else {
        None
    };
    let mut answer = Response::new(Body::from(hit.body.clone()));
    *answer.status_mut() = hit.status;
    *answer.headers_mut() = hit.headers.clone();
    if let Some(charge) = &charge {
        rate_limit_headers(&mut answer, charge);
    }
    if let Some(etag) = etag {
        super::cache::cacheable(&mut answer, etag);
    }
    if state.settings.metrics {
        metrics::record_response_cache(true);
    }
    Some(answer)
}

/// The `RateLimit` headers of the IETF draft, which say the caller's budget, what remains
/// and when it refills.
fn rate_limit_headers(answer: &mut Response, charge: &Charge) {
    let headers = answer.headers_mut();
    let window = HeaderValue::from_str(&format!("{};w=3600", charge.limit)).ok();
    headers.insert("ratelimit-limit", HeaderValue::from(charge.limit));
    headers.insert("ratelimit-remaining", HeaderValue::from(charge.remaining()));
    headers.insert(
        "ratelimit-reset",
        HeaderValue::from(charge.reset_in_seconds()),
    );
    headers.insert("ratelimit-cost", HeaderValue::from(charge.cost));
    if let Some(window) = window {
        headers.insert("ratelimit-policy", window);
    }
}

/// The answer to a request that never ran: errors, and no `data` entry.
#[derive(serde::Serialize)]
struct RequestErrors<'a> {
    errors: &'a [ServerError],
}

/// A request error found before execution, answered as GraphQL errors.
fn request_error(response_type: ResponseType, code: ErrorCode, message: &str) -> Response {
    let mut error = ServerError::new(message, None);
    set_code(&mut error, code);
    answer(
        async_graphql::Response::from_errors(vec![error]),
        response_type,
    )
    .1
}

/// Writes a GraphQL response in `response_type`, with the status it calls for.
fn answer(response: async_graphql::Response, response_type: ResponseType) -> Answered {
    // A response with no data and no error inside a field never ran: the document did not
    // parse or validate, its variables did not fit, or its caller's budget was spent.
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty());
    let rate_limited = response.errors.iter().any(|error| {
        error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .is_some_and(|code| {
                *code == async_graphql::Value::from(ErrorCode::RateLimited.as_str())
            })
    });
    let headers = response.http_headers.clone();
    let body = if request_error {
        serde_json::to_vec(&RequestErrors {
            errors: &response.errors,
        })
    } else {
        serde_json::to_vec(&response)
    }
    .unwrap_or_else(|_| br#"{"errors":[{"message":"internal server error"}]}"#.to_vec());
    let status = match (request_error, response_type) {
        (true, ResponseType::GraphqlResponse) => StatusCode::BAD_REQUEST,
        _ => StatusCode::OK,
    };
    let outcome = match (request_error, rate_limited, response.errors.is_empty()) {
        (_, true, _) => "rate_limited",
        (true, _, _) => "request_error",
        (false, _, false) => "field_error",
        (false, _, true) => "ok",
    };
    let mut answer = (status, body).into_response();
    answer.headers_mut().extend(headers);
    answer.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(response_type.content_type()),
    );
    (outcome, answer)
}

/// The answer, or a `RESPONSE_TOO_LARGE` error in its place when its body is past
/// `max_bytes`: a backstop behind the node limit, for answers whose texts are long.
fn bounded(
    outcome: &'static str,
    original: Response,
    max_bytes: usize,
    response_type: ResponseType,
) -> Answered {
    let too_large = axum::body::HttpBody::size_hint(original.body())
        .exact()
        .is_some_and(|size| size > max_bytes as u64);
    if !too_large {
        return (outcome, original);
    }
    let mut error = ServerError::new(
        format!(
            "the answer is larger than the {max_bytes} bytes one response may hold; ask for less"
        ),
        None,
    );
    set_code(&mut error, ErrorCode::ResponseTooLarge);
    let mut response = async_graphql::Response::new(async_graphql::Value::Null);
    response.errors.push(error);
    let (_, mut replaced) = answer(response, response_type);
    replaced.headers_mut().extend(
        original
            .headers()
            .iter()
            .filter(|(name, _)| name.as_str().starts_with("ratelimit-"))
            .map(|(name, value)| (name.clone(), value.clone())),
    );
    ("field_error", replaced)
}

/// Any other method on `/graphql`.
pub async fn other_method(method: Method) -> Response {
    let mut response = HttpError::BadRequest(format!(
        "{method} is not supported on /graphql; use GET or POST"
    ))
    .into_response();
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> Result<ResponseType, HttpError> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        negotiate(&headers)
    }

    #[test]
    fn the_answer_is_in_the_media_type_the_client_asked_for() {
        assert_eq!(accept("application/json").unwrap(), ResponseType::Json);
        assert_eq!(
            accept(GRAPHQL_RESPONSE_JSON).unwrap(),
            ResponseType::GraphqlResponse
        );
        assert_eq!(accept("*/*").unwrap(), ResponseType::Json);
        assert_eq!(accept("application/*").unwrap(), ResponseType::Json);
        assert_eq!(
            accept("*/*, application/graphql-response+json").unwrap(),
            ResponseType::GraphqlResponse
        );
        assert_eq!(
            accept("application/json, application/graphql-response+json;q=0.9").unwrap(),
            ResponseType::Json
        );
        assert_eq!(
            accept("application/graphql-response+json, application/json;q=0.9").unwrap(),
            ResponseType::GraphqlResponse
        );
        assert!(matches!(accept("text/html"), Err(HttpError::NotAcceptable)));
        assert!(matches!(
            accept("application/json;q=0"),
            Err(HttpError::NotAcceptable)
        ));
        assert_eq!(negotiate(&HeaderMap::new()).unwrap(), ResponseType::Json);
    }

    #[test]
    fn only_json_in_utf8_is_a_graphql_body() {
        let with = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
            is_json(&headers)
        };
        assert!(with("application/json"));
        assert!(with("application/json; charset=utf-8"));
        assert!(with("Application/JSON; charset=\"UTF-8\""));
        assert!(!with("application/json; charset=latin1"));
        assert!(!with("text/plain"));
        assert!(!with("application/x-www-form-urlencoded"));
        assert!(!with("multipart/form-data; boundary=x"));
        assert!(!is_json(&HeaderMap::new()));
    }
}
