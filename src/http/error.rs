//! The errors a request can meet before GraphQL runs, each with its HTTP status and a
//! stable code, answered in the same `{"errors": [...]}` shape as GraphQL errors.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::graphql::ErrorCode;

/// A request refused at the HTTP layer.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// 400 `BAD_REQUEST`: the body or the query string is not a GraphQL request.
    #[error("{0}")]
    BadRequest(String),
    /// 400 `UNKNOWN_PARAMETER`: a query-string parameter the endpoint does not take.
    #[error("{0}")]
    UnknownParameter(String),
    /// 400 `INVALID_ARGUMENT`: a query-string parameter whose value does not fit it.
    #[error("{0}")]
    InvalidParameter(String),
    /// 405 `METHOD_NOT_ALLOWED`: a mutation or subscription sent with GET.
    #[error("only queries may be sent with GET; send {0} operations with POST")]
    MutationOverGet(&'static str),
    /// 406 `NOT_ACCEPTABLE`: the client accepts none of the media types we answer in.
    #[error(
        "send an Accept header that allows application/graphql-response+json or application/json"
    )]
    NotAcceptable,
    /// 413 `PAYLOAD_TOO_LARGE`: the body is larger than the configured limit.
    #[error("the request body is larger than the {0} bytes allowed")]
    PayloadTooLarge(usize),
    /// 415 `UNSUPPORTED_MEDIA_TYPE`: a POST whose body is not `application/json` in UTF-8.
    #[error("send the request as application/json in UTF-8")]
    UnsupportedMediaType,
    /// 401 `INVALID_API_KEY`: the request presents an API key we did not issue, or revoked.
    #[error("the API key is not valid; send a key we issued, or none for anonymous access")]
    InvalidApiKey,
    /// 401 `MALFORMED_CREDENTIALS`: the `Authorization` or `X-API-Key` header is not a
    /// well-formed `Bearer <key>` or key.
    #[error(
        "the credentials are not well formed; send `Authorization: Bearer <key>` or `X-API-Key: <key>`, or none for anonymous access"
    )]
    MalformedCredentials,
    /// 401 `UNAUTHORIZED`: `/metrics` without its bearer token.
    #[error("send the metrics token as `Authorization: Bearer <token>`")]
    MetricsToken,
    /// 429 `RATE_LIMITED`: the address has made too many failed key lookups this hour.
    #[error("too many requests with keys that are not valid from this address; try again later")]
    KeyLookupsExhausted,
    /// 408 `BODY_TIMEOUT`: the client took longer to send the body than the server allows.
    #[error("the request body did not arrive within the {0} ms allowed")]
    BodyTimeout(u128),
    /// 503 `REQUEST_TIMEOUT`: the request took longer than the server allows.
    #[error("the request took longer than the {0} ms allowed; ask for less")]
    Timeout(u128),
    /// 503 `SERVICE_UNAVAILABLE`: the server cannot answer now; try again shortly.
    #[error("the service is unavailable; try again shortly")]
    Unavailable,
    /// 503 `SERVICE_UNAVAILABLE`, with `Retry-After`: more requests are in flight than the
    /// server serves at once.
    #[error("the service is serving as many requests as it can; retry shortly")]
    Overloaded,
}

impl HttpError {
    /// The status the error is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            HttpError::BadRequest(_)
            | HttpError::UnknownParameter(_)
            | HttpError::InvalidParameter(_) => StatusCode::BAD_REQUEST,
            HttpError::MutationOverGet(_) => StatusCode::METHOD_NOT_ALLOWED,
            HttpError::NotAcceptable => StatusCode::NOT_ACCEPTABLE,
            HttpError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            HttpError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            HttpError::InvalidApiKey
            | HttpError::MalformedCredentials
            | HttpError::MetricsToken => StatusCode::UNAUTHORIZED,
            HttpError::KeyLookupsExhausted => StatusCode::TOO_MANY_REQUESTS,
            HttpError::BodyTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            HttpError::Timeout(_) | HttpError::Unavailable | HttpError::Overloaded => {
                StatusCode::SERVICE_UNAVAILABLE
            }
        }
    }

    /// The stable code clients match on.
    pub fn code(&self) -> ErrorCode {
        match self {
            HttpError::BadRequest(_) => ErrorCode::BadRequest,
            HttpError::UnknownParameter(_) => ErrorCode::UnknownParameter,
            HttpError::InvalidParameter(_) => ErrorCode::InvalidArgument,
            HttpError::MutationOverGet(_) => ErrorCode::MethodNotAllowed,
            HttpError::NotAcceptable => ErrorCode::NotAcceptable,
            HttpError::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            HttpError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            HttpError::InvalidApiKey => ErrorCode::InvalidApiKey,
            HttpError::MalformedCredentials => ErrorCode::MalformedCredentials,
            HttpError::MetricsToken => ErrorCode::Unauthorized,
            HttpError::KeyLookupsExhausted => ErrorCode::RateLimited,
            HttpError::Timeout(_) => ErrorCode::RequestTimeout,
            HttpError::BodyTimeout(_) => ErrorCode::BodyTimeout,
            HttpError::Unavailable | HttpError::Overloaded => ErrorCode::ServiceUnavailable,
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let body = json!({ "errors": [{ "message": self.to_string(), "extensions": { "code": self.code().as_str() } }] });
        let mut response = (self.status(), Json(body)).into_response();
        match self {
            HttpError::MutationOverGet(_) => {
                response
                    .headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static("POST"));
            }
            HttpError::InvalidApiKey | HttpError::MalformedCredentials => {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            HttpError::KeyLookupsExhausted => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            }
            HttpError::Overloaded => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}
