//! The errors the API gives its clients, each with a stable code.
//!
//! Resolvers return [`ApiError`] with `?`. Every error in a response then passes through
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

use crate::store::page::{FetchError, PageError};

/// An error a resolver returns. Each variant's code is stable: clients match on it.
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
    /// `INTERNAL_SERVER_ERROR`: something failed on our side; the details are in the log.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::InvalidId(_) => "INVALID_ID",
            ApiError::InvalidCursor => "INVALID_CURSOR",
            ApiError::PageSizeExceeded(_) => "PAGE_SIZE_EXCEEDED",
            ApiError::InvalidArgument(_) => "INVALID_ARGUMENT",
            ApiError::InvalidSearch(_) => "INVALID_SEARCH",
            ApiError::Internal(_) => "INTERNAL_SERVER_ERROR",
        }
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        ApiError::Internal(error.to_string())
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

/// Codes for errors that do not come from a resolver.
pub mod codes {
    /// The document is not valid GraphQL syntax.
    pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
    /// The document does not validate against the schema.
    pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
    /// The document nests selections deeper than allowed.
    pub const TOO_DEEP: &str = "QUERY_TOO_DEEP";
    /// The document has more selections than allowed once its fragments are expanded.
    pub const TOO_MANY_SELECTIONS: &str = "TOO_MANY_SELECTIONS";
    /// The document would cost more than allowed.
    pub const TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";
    /// An argument or variable does not fit its type.
    pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    /// Something failed on our side.
    pub const INTERNAL: &str = "INTERNAL_SERVER_ERROR";
}

/// The message an internal error shows a client.
pub const INTERNAL_MESSAGE: &str = "internal server error; it has been logged";

fn set_code(error: &mut ServerError, code: &str) {
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code);
}

fn has_code(error: &ServerError) -> bool {
    error
        .extensions
        .as_ref()
        .is_some_and(|e| e.get("code").is_some())
}

/// Gives an execution error its code, hiding internal details.
fn classify(error: &mut ServerError) {
    if has_code(error) {
        return;
    }
    if let Some(api) = error.source::<ApiError>() {
        let code = api.code();
        if let ApiError::Internal(detail) = api {
            tracing::error!(error = %detail, path = ?error.path, "a request failed inside the server");
            error.message = INTERNAL_MESSAGE.to_owned();
        }
        set_code(error, code);
    } else if error.source.is_some() {
        tracing::error!(error = %error.message, path = ?error.path, "a request failed inside the server");
        error.message = INTERNAL_MESSAGE.to_owned();
        set_code(error, codes::INTERNAL);
    } else {
        set_code(error, codes::BAD_USER_INPUT);
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
                set_code(&mut error, codes::PARSE_FAILED);
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
                    "Query is nested too deep." => codes::TOO_DEEP,
                    "Query is too complex." => codes::TOO_COMPLEX,
                    _ => codes::VALIDATION_FAILED,
                };
                set_code(error, code);
            }
            errors
        })
    }
}
