//! `/graphql` over HTTP, after the GraphQL over HTTP specification.
//!
//! - `POST` takes `application/json` in UTF-8; any other body type — including the ones a
//!   browser form can send cross-site — is refused with 415 and never executed.
//! - `GET` takes the request in the query string, and runs queries only: a mutation over GET
//!   gets 405.
//! - The answer is `application/graphql-response+json` when the client accepts it (and for
//!   `*/*`), or `application/json` when the client asks for that; with neither, 406. Under
//!   the new media type a document that does not parse or validate gets 400; under
//!   `application/json` it gets 200, as legacy clients expect. Either way such an answer has
//!   no `data` entry.
//! - Batches are not accepted: one request, one operation.

use async_graphql::{
    Variables,
    parser::{parse_query, types::OperationType},
};
use axum::{
    body::{Body, Bytes},
    extract::{Query, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{AppState, error::HttpError};

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

/// Picks the answer's media type from the `Accept` header.
pub fn negotiate(headers: &HeaderMap) -> Result<ResponseType, HttpError> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Ok(ResponseType::Json);
    };
    let graphql = quality(accept, GRAPHQL_RESPONSE_JSON).unwrap_or(0.0);
    let json = quality(accept, "application/json").unwrap_or(0.0);
    match (graphql, json) {
        (g, j) if g <= 0.0 && j <= 0.0 => Err(HttpError::NotAcceptable),
        (g, j) if g >= j => Ok(ResponseType::GraphqlResponse),
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
pub struct GraphqlParams {
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

/// Checks the parts of a request and builds the GraphQL request from them.
fn build(body: GraphqlBody) -> Result<async_graphql::Request, HttpError> {
    let query = body
        .query
        .ok_or_else(|| HttpError::BadRequest("the request has no `query`".to_owned()))?;
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
    match body.extensions {
        None | Some(serde_json::Value::Null) | Some(serde_json::Value::Object(_)) => {}
        Some(_) => {
            return Err(HttpError::BadRequest(
                "`extensions` must be an object".to_owned(),
            ));
        }
    }
    Ok(request)
}

/// The type of the operation a request would run, when its document parses.
fn operation_type(query: &str, operation_name: Option<&str>) -> Option<OperationType> {
    let document = parse_query(query).ok()?;
    let operation = match operation_name {
        Some(name) => {
            document
                .operations
                .iter()
                .find(|(n, _)| n.map(|n| n.as_str()) == Some(name))?
                .1
        }
        None => document.operations.iter().next()?.1,
    };
    Some(operation.node.ty)
}

/// `GET /graphql`.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<GraphqlParams>,
) -> Result<Response, HttpError> {
    let response_type = negotiate(&headers)?;
    let body = GraphqlBody {
        query: params.query,
        variables: parse_json("variables", params.variables)?,
        operation_name: params.operation_name,
        extensions: parse_json("extensions", params.extensions)?,
    };
    if let Some(query) = &body.query {
        match operation_type(query, body.operation_name.as_deref()) {
            Some(OperationType::Mutation) => return Err(HttpError::MutationOverGet("mutation")),
            Some(OperationType::Subscription) => {
                return Err(HttpError::MutationOverGet("subscription"));
            }
            _ => {}
        }
    }
    Ok(execute(&state, build(body)?, response_type).await)
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

/// `POST /graphql`.
pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, HttpError> {
    let response_type = negotiate(&headers)?;
    if !is_json(&headers) {
        return Err(HttpError::UnsupportedMediaType);
    }
    let limit = state.settings.body_limit;
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
    let body: GraphqlBody = serde_json::from_value(value).map_err(|error| {
        HttpError::BadRequest(format!("the body is not a GraphQL request: {error}"))
    })?;
    Ok(execute(&state, build(body)?, response_type).await)
}

/// The answer to a request that never ran: errors, and no `data` entry.
#[derive(serde::Serialize)]
struct RequestErrors<'a> {
    errors: &'a [async_graphql::ServerError],
}

/// Runs a request and writes its answer in `response_type`.
async fn execute(
    state: &AppState,
    request: async_graphql::Request,
    response_type: ResponseType,
) -> Response {
    let response = state.executor.execute(request).await;
    // A response with no data and no error inside a field never ran: the document did not
    // parse or validate, or its variables did not fit.
    let request_error = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty());
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
    let mut answer = (status, body).into_response();
    answer.headers_mut().extend(headers);
    answer.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(response_type.content_type()),
    );
    answer
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
        assert_eq!(accept("*/*").unwrap(), ResponseType::GraphqlResponse);
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
