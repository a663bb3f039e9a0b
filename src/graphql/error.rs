//! The errors the API gives its clients, each with a stable code.
//!
//! Every code is one of [`ErrorCode`]'s. Resolvers return [`ApiError`] with `?`. Every error in a response then passes through
//! [`ErrorCodes`], which puts the code in `extensions.code`, gives parse and validation
//! errors theirs, and replaces the message of anything internal with a generic one after
//! logging it in full: a database error never reaches a client.

use std::sync::Arc;

use async_graphql::{
    Response, ServerError, ServerResult, ValidationResult, Variables,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextValidation,
    },
    parser::types::ExecutableDocument,
};

use sea_orm::DbErr;

pub use super::error_code::ErrorCode;
use crate::store::page::{FetchError, PageError};

/// An error a resolver returns. Each variant documents the stable [`ErrorCode`] it puts in
/// `extensions.code`; clients match on the code.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// `INVALID_ID`: the ID is not one this API gave out, or names another type than asked.
    #[error("`{0}` is not a valid ID here")]
    InvalidId(String),
    /// `INVALID_CURSOR`: the cursor is not one this list gave out.
    #[error("the cursor is not one this list gave out; start again without `after`/`before`")]
    InvalidCursor,
    /// `PAGE_SIZE_EXCEEDED`: more items were asked for than a page may hold.
    #[error("{0}")]
    PageSizeExceeded(String),
    /// `INVALID_ARGUMENT`: an argument is malformed or arguments contradict each other.
    #[error("{0}")]
    InvalidArgument(String),
    /// `INVALID_SEARCH`: the search text does not follow the search grammar; the message says
    /// what to change.
    #[error("{0}")]
    InvalidSearch(String),
    /// `INTERNAL_SERVER_ERROR`: the database failed. The error is kept whole, its chain of
    /// causes with it, for the log; `Arc` keeps `ApiError` `Clone`, as loaders need.
    #[error("database error: {0}")]
    Database(#[source] Arc<DbErr>),
    /// `INTERNAL_SERVER_ERROR`: the server found its own data or set-up broken (a record
    /// referred to but missing); the details are in the log.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The stable code clients match on.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::InvalidId(_) => ErrorCode::InvalidId,
            ApiError::InvalidCursor => ErrorCode::InvalidCursor,
            ApiError::PageSizeExceeded(_) => ErrorCode::PageSizeExceeded,
            ApiError::InvalidArgument(_) => ErrorCode::InvalidArgument,
            ApiError::InvalidSearch(_) => ErrorCode::InvalidSearch,
            ApiError::Database(_) | ApiError::Internal(_) => ErrorCode::InternalServerError,
        }
    }
}

impl From<DbErr> for ApiError {
    fn from(error: DbErr) -> Self {
        ApiError::Database(Arc::new(error))
    }
}

impl From<crate::store::search::SyntaxError> for ApiError {
    fn from(error: crate::store::search::SyntaxError) -> Self {
        ApiError::InvalidSearch(error.to_string())
    }
}

impl From<PageError> for ApiError {
    fn from(error: PageError) -> Self {
        match error {
            PageError::BadCursor => ApiError::InvalidCursor,
            PageError::TooLarge(_) => ApiError::PageSizeExceeded(error.to_string()),
            PageError::FirstAndLast | PageError::Negative => {
                ApiError::InvalidArgument(error.to_string())
            }
        }
    }
}

impl From<FetchError> for ApiError {
    fn from(error: FetchError) -> Self {
        match error {
            FetchError::Page(error) => error.into(),
            FetchError::Database(error) => error.into(),
        }
    }
}

/// An error and its chain of causes, `: `-separated, for the log.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The message an internal error shows a client.
pub const INTERNAL_MESSAGE: &str = "internal server error; it has been logged";

/// Puts `code` in the error's `extensions.code`.
pub fn set_code(error: &mut ServerError, code: ErrorCode) {
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code.as_str());
}

fn has_code(error: &ServerError) -> bool {
    error
        .extensions
        .as_ref()
        .is_some_and(|e| e.get("code").is_some())
}

/// Gives an execution error its code, hiding internal details.
pub(crate) fn classify(error: &mut ServerError) {
    if has_code(error) {
        return;
    }
    if let Some(api) = error.source::<ApiError>() {
        let code = api.code();
        if code == ErrorCode::InternalServerError {
            tracing::error!(error = %chain(api), path = ?error.path, "a request failed inside the server");
            error.message = INTERNAL_MESSAGE.to_owned();
        }
        set_code(error, code);
    } else if error.source.is_some() {
        tracing::error!(error = %error.message, path = ?error.path, "a request failed inside the server");
        error.message = INTERNAL_MESSAGE.to_owned();
        set_code(error, ErrorCode::InternalServerError);
    } else {
        set_code(error, ErrorCode::BadUserInput);
    }
}

/// The schema extension that gives every error a stable code.
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        response.errors.iter_mut().for_each(classify);
        response
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|mut error| {
            if !has_code(&error) {
                set_code(&mut error, ErrorCode::GraphqlParseFailed);
            }
            error
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|mut errors| {
            for error in errors.iter_mut().filter(|error| !has_code(error)) {
                let code = match error.message.as_str() {
                    "Query is nested too deep." => ErrorCode::QueryTooDeep,
                    "Query is too complex." => ErrorCode::QueryTooComplex,
                    _ => ErrorCode::GraphqlValidationFailed,
                };
                set_code(error, code);
            }
            errors
        })
    }
}
