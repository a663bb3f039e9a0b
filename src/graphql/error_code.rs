//! The one list of the codes a client can find in an error's `extensions.code`.
//!
//! Every error the API answers with — from a resolver, from the GraphQL engine, from the
//! HTTP layer before GraphQL runs, from the rate limiter — carries one of these codes, and
//! nothing else: each error type maps its variants onto [`ErrorCode`] rather than spelling
//! codes of its own. The enum is exported in the SDL (as `enum ErrorCode`), so a client can
//! switch on it and a code generator can type it; the spelling a client sees is the GraphQL
//! name of the value, which [`ErrorCode::as_str`] reads from the schema's own definition.

use async_graphql::{Enum, resolver_utils::EnumType};

/// The stable code of an error, in `extensions.code`. Clients switch on it; the message
/// beside it is for people and may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
pub enum ErrorCode {
    /// The document is not valid GraphQL syntax.
    GraphqlParseFailed,
    /// The document does not validate against the schema: an unknown field, a missing
    /// argument, a fragment on the wrong type.
    GraphqlValidationFailed,
    /// The document nests selections deeper than the server allows.
    QueryTooDeep,
    /// The document has more selections than the server allows once its fragments are
    /// expanded.
    TooManySelections,
    /// The query could return more nodes than the server allows (its cost, counted before it
    /// runs): a list multiplies what its items select by the most items it can hold. Ask for
    /// smaller pages with `first`.
    QueryTooComplex,
    /// The document text is larger than the server allows.
    DocumentTooLarge,
    /// The document has more lexical tokens than the server allows.
    TooManyTokens,
    /// The document has more aliased fields than the server allows.
    TooManyAliases,
    /// The document has more directives than the server allows.
    TooManyDirectives,
    /// An argument or variable does not fit its type.
    BadUserInput,
    /// The ID is not one this API gave out, or names another type than the field asks for.
    InvalidId,
    /// The cursor is not one this list gave out; start again without `after`/`before`.
    InvalidCursor,
    /// More items were asked for than a page may hold.
    PageSizeExceeded,
    /// An argument is malformed, out of range, or contradicts another.
    InvalidArgument,
    /// The search text does not follow the search grammar; the message says what to change.
    InvalidSearch,
    /// The persisted query's hash is not known: send the document with its hash once.
    PersistedQueryNotFound,
    /// The `persistedQuery` extension is malformed, or its hash does not match the document.
    PersistedQueryInvalid,
    /// The server runs only the operations of its allow-list, and this is not one of them.
    OperationNotAllowed,
    /// The body or the query string is not a GraphQL request.
    BadRequest,
    /// The query string names a parameter the endpoint does not take (the exports); the
    /// message lists the ones it takes.
    UnknownParameter,
    /// The method is not allowed: a mutation or subscription sent with GET, or a method
    /// `/graphql` does not take.
    MethodNotAllowed,
    /// The client accepts none of the media types the server answers in.
    NotAcceptable,
    /// The request body is larger than the server allows.
    PayloadTooLarge,
    /// A POST whose body is not `application/json` in UTF-8.
    UnsupportedMediaType,
    /// The request presents an API key the server did not issue, or revoked.
    InvalidApiKey,
    /// The request's credentials are not well formed: send `Authorization: Bearer <key>` or
    /// `X-API-Key: <key>`, or none.
    MalformedCredentials,
    /// The endpoint needs a token the request did not present (`/metrics`).
    Unauthorized,
    /// The query costs more points than remain of the caller's budget (the `RateLimit`
    /// headers say when it refills), or the address made too many failed key lookups.
    RateLimited,
    /// More subscriptions than the server holds at once, on one connection or in all: stop
    /// one, or try again later.
    TooManySubscriptions,
    /// The request took longer than the server allows; ask for less.
    RequestTimeout,
    /// The client took longer to send the request's body than the server allows.
    BodyTimeout,
    /// The answer would be larger than the server sends in one response; ask for less.
    ResponseTooLarge,
    /// The server cannot answer now; try again shortly.
    ServiceUnavailable,
    /// Something failed on the server's side; the details are in its log, not the response.
    InternalServerError,
}

impl ErrorCode {
    /// The code as a client sees it: its GraphQL name, such as `INVALID_ID`.
    pub fn as_str(self) -> &'static str {
        Self::items()
            .iter()
            .find(|item| item.value == self)
            .map_or("INTERNAL_SERVER_ERROR", |item| item.name)
    }

    /// Every code, in the order the schema lists them.
    pub fn all() -> impl Iterator<Item = ErrorCode> {
        Self::items().iter().map(|item| item.value)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn codes_are_spelled_as_their_graphql_names() {
        assert_eq!(ErrorCode::InvalidId.as_str(), "INVALID_ID");
        assert_eq!(
            ErrorCode::GraphqlParseFailed.as_str(),
            "GRAPHQL_PARSE_FAILED"
        );
        assert_eq!(
            ErrorCode::InternalServerError.as_str(),
            "INTERNAL_SERVER_ERROR"
        );
        assert_eq!(ErrorCode::all().count(), 34);
    }
}
