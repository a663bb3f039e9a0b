//! Limits on the GraphQL document itself, checked before anything runs: its size, its
//! number of tokens, how deeply its brackets nest, its aliases and directives.
//!
//! Size, tokens and nesting are counted on the raw text, before parsing, so that a huge or
//! pathological document costs us no more than a scan. Nesting matters because the parser
//! descends recursively into list and object values (`[[[[1]]]]`, `{a: {a: {a: 1}}}`) with no
//! bound of its own, and a few thousand levels overflow its thread's stack: every `{`, `[` and
//! `(` outside a string opens a level, so selections, values and list types are all bounded
//! by one count. Aliases and directives are counted on the parsed document, whose parse is
//! then handed on rather than done twice. What a document costs once its fragments are
//! expanded is measured next, before validation (see `graphql::shape`).

use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};

use crate::graphql::ErrorCode;

/// How large and intricate a document may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentLimits {
    /// The most bytes of document text.
    pub max_bytes: usize,
    /// The most lexical tokens (names, punctuation, values).
    pub max_tokens: usize,
    /// The deepest nesting of `{`, `[` and `(`, in selections, values and types alike.
    pub max_nesting: usize,
    /// The most aliased fields.
    pub max_aliases: usize,
    /// The most directives, over the whole document.
    pub max_directives: usize,
}

impl Default for DocumentLimits {
    fn default() -> Self {
        Self {
            max_bytes: 32 * 1024,
            max_tokens: 5_000,
            // The parser refuses selections nested deeper than 64 on its own; values it lets
            // nest until its stack gives out, past some 1,500 levels.
            max_nesting: 64,
            max_aliases: 30,
            max_directives: 20,
        }
    }
}

/// A document over one of the limits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// `DOCUMENT_TOO_LARGE`
    #[error("the document is {size} bytes; at most {limit} are allowed")]
    TooLarge { size: usize, limit: usize },
    /// `TOO_MANY_TOKENS`
    #[error("the document has more than {limit} tokens")]
    TooManyTokens { limit: usize },
    /// `QUERY_TOO_DEEP`
    #[error("the document's brackets nest more than {limit} deep")]
    TooDeep { limit: usize },
    /// `TOO_MANY_ALIASES`
    #[error("the document has {count} aliases; at most {limit} are allowed")]
    TooManyAliases { count: usize, limit: usize },
    /// `TOO_MANY_DIRECTIVES`
    #[error("the document has {count} directives; at most {limit} are allowed")]
    TooManyDirectives { count: usize, limit: usize },
}

impl DocumentError {
    /// The stable code clients match on.
    pub fn code(&self) -> ErrorCode {
        match self {
            DocumentError::TooLarge { .. } => ErrorCode::DocumentTooLarge,
            DocumentError::TooManyTokens { .. } => ErrorCode::TooManyTokens,
            DocumentError::TooDeep { .. } => ErrorCode::QueryTooDeep,
            DocumentError::TooManyAliases { .. } => ErrorCode::TooManyAliases,
            DocumentError::TooManyDirectives { .. } => ErrorCode::TooManyDirectives,
        }
    }
}

/// What a scan of a document's text found, each count stopping once past its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scan {
    /// Lexical tokens.
    pub tokens: usize,
    /// The deepest nesting of `{`, `[` and `(`.
    pub nesting: usize,
}

/// Counts the lexical tokens of a GraphQL document and how deeply its brackets nest,
/// stopping once past either limit.
///
/// White space, commas and comments are not tokens; a string, block string, number, name or
/// punctuator is one. Brackets inside strings and comments do not nest. The count is a
/// bound, not a parse: malformed text still counts.
pub fn scan(text: &str, max_tokens: usize, max_nesting: usize) -> Scan {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut count = 0;
    let (mut level, mut deepest) = (0usize, 0usize);
    while i < bytes.len() && count <= max_tokens && deepest <= max_nesting {
        match bytes[i] {
            b' ' | b'\t' | b'\n' | b'\r' | b',' | 0xEF | 0xBB | 0xBF => i += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 3;
                count += 1;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                count += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => {
                i += 3;
                count += 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c == b'-' => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || matches!(bytes[i], b'_' | b'.' | b'-' | b'+'))
                {
                    i += 1;
                }
                count += 1;
            }
            b'{' | b'[' | b'(' => {
                level += 1;
                deepest = deepest.max(level);
                i += 1;
                count += 1;
            }
            b'}' | b']' | b')' => {
                level = level.saturating_sub(1);
                i += 1;
                count += 1;
            }
            _ => {
                i += 1;
                count += 1;
            }
        }
    }
    Scan {
        tokens: count,
        nesting: deepest,
    }
}

/// Counts the lexical tokens of a GraphQL document, stopping once past `limit`.
pub fn count_tokens(text: &str, limit: usize) -> usize {
    scan(text, limit, usize::MAX).tokens
}

/// Checks the raw text: its size, its tokens and its nesting.
pub fn check_text(text: &str, limits: &DocumentLimits) -> Result<(), DocumentError> {
    if text.len() > limits.max_bytes {
        return Err(DocumentError::TooLarge {
            size: text.len(),
            limit: limits.max_bytes,
        });
    }
    let scanned = scan(text, limits.max_tokens, limits.max_nesting);
    if scanned.nesting > limits.max_nesting {
        return Err(DocumentError::TooDeep {
            limit: limits.max_nesting,
        });
    }
    if scanned.tokens > limits.max_tokens {
        return Err(DocumentError::TooManyTokens {
            limit: limits.max_tokens,
        });
    }
    Ok(())
}

fn count_selection_set(set: &SelectionSet, aliases: &mut usize, directives: &mut usize) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                *aliases += usize::from(field.node.alias.is_some());
                *directives += field.node.directives.len();
                count_selection_set(&field.node.selection_set.node, aliases, directives);
            }
            Selection::FragmentSpread(spread) => *directives += spread.node.directives.len(),
            Selection::InlineFragment(fragment) => {
                *directives += fragment.node.directives.len();
                count_selection_set(&fragment.node.selection_set.node, aliases, directives);
            }
        }
    }
}

/// Checks the parsed document: its aliases and directives.
pub fn check_document(
    document: &ExecutableDocument,
    limits: &DocumentLimits,
) -> Result<(), DocumentError> {
    let (mut aliases, mut directives) = (0, 0);
    for (_, operation) in document.operations.iter() {
        directives += operation.node.directives.len();
        count_selection_set(
            &operation.node.selection_set.node,
            &mut aliases,
            &mut directives,
        );
    }
    for fragment in document.fragments.values() {
        directives += fragment.node.directives.len();
        count_selection_set(
            &fragment.node.selection_set.node,
            &mut aliases,
            &mut directives,
        );
    }
    if aliases > limits.max_aliases {
        return Err(DocumentError::TooManyAliases {
            count: aliases,
            limit: limits.max_aliases,
        });
    }
    if directives > limits.max_directives {
        return Err(DocumentError::TooManyDirectives {
            count: directives,
            limit: limits.max_directives,
        });
    }
    Ok(())
}

/// Whether a GraphQL value holds a NUL character in any string.
fn value_has_nul(value: &async_graphql::Value) -> bool {
    match value {
        async_graphql::Value::String(text) => text.contains('\0'),
        async_graphql::Value::List(items) => items.iter().any(value_has_nul),
        async_graphql::Value::Object(fields) => fields.values().any(value_has_nul),
        _ => false,
    }
}

/// Whether an argument's value holds a NUL character; its variables are looked at apart.
macro_rules! input_has_nul {
    ($value:expr) => {
        $value
            .clone()
            .into_const_with(|_| Ok::<_, std::convert::Infallible>(async_graphql::Value::Null))
            .is_ok_and(|value| value_has_nul(&value))
    };
}

fn directives_have_nul(
    directives: &[async_graphql::Positioned<async_graphql::parser::types::Directive>],
) -> bool {
    directives
        .iter()
        .flat_map(|d| d.node.arguments.iter())
        .any(|(_, value)| input_has_nul!(value.node))
}

fn selections_have_nul(set: &SelectionSet) -> bool {
    set.items.iter().any(|selection| match &selection.node {
        Selection::Field(field) => {
            field
                .node
                .arguments
                .iter()
                .any(|(_, value)| input_has_nul!(value.node))
                || directives_have_nul(&field.node.directives)
                || selections_have_nul(&field.node.selection_set.node)
        }
        Selection::FragmentSpread(spread) => directives_have_nul(&spread.node.directives),
        Selection::InlineFragment(fragment) => {
            directives_have_nul(&fragment.node.directives)
                || selections_have_nul(&fragment.node.selection_set.node)
        }
    })
}

/// Whether any string in a document's arguments, default values or directives, or in its
/// variables, holds a NUL character.
///
/// PostgreSQL refuses NUL in text (SQLite stores it), so such a string would fail on one
/// engine only, and deep inside a query; it is refused up front on both, with
/// `INVALID_ARGUMENT`. NUL is the only character PostgreSQL's text refuses that a Rust string
/// can hold: invalid UTF-8 and lone surrogates never get this far.
pub fn has_nul(document: &ExecutableDocument, variables: Option<&serde_json::Value>) -> bool {
    fn json_has_nul(value: &serde_json::Value) -> bool {
        match value {
            serde_json::Value::String(text) => text.contains('\0'),
            serde_json::Value::Array(items) => items.iter().any(json_has_nul),
            serde_json::Value::Object(fields) => fields
                .iter()
                .any(|(key, value)| key.contains('\0') || json_has_nul(value)),
            _ => false,
        }
    }
    let operations = document.operations.iter().any(|(_, operation)| {
        operation
            .node
            .variable_definitions
            .iter()
            .any(|definition| {
                definition
                    .node
                    .default_value
                    .as_ref()
                    .is_some_and(|value| value_has_nul(&value.node))
            })
            || directives_have_nul(&operation.node.directives)
            || selections_have_nul(&operation.node.selection_set.node)
    });
    let fragments = document.fragments.values().any(|fragment| {
        directives_have_nul(&fragment.node.directives)
            || selections_have_nul(&fragment.node.selection_set.node)
    });
    operations || fragments || variables.is_some_and(json_has_nul)
}

/// The name of the document's only operation, when it has one and it is named.
pub fn operation_name(document: &ExecutableDocument) -> Option<String> {
    let mut operations = document.operations.iter();
    match (operations.next(), operations.next()) {
        (Some((name, _)), None) => name.map(|n| n.to_string()),
        _ => None,
    }
}

/// The type of the operation a request would run.
pub fn operation_type(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<OperationType> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_names_values_and_punctuation_not_space_or_comments() {
        assert_eq!(count_tokens("{ a }", 100), 3);
        assert_eq!(count_tokens("query Q($x: Int = 3) { a(x: $x) }", 100), 19);
        assert_eq!(count_tokens("# a comment\n{ a(s: \"x, y\") }", 100), 8);
        assert_eq!(count_tokens("{ ...F } fragment F on Q { b }", 100), 11);
    }

    #[test]
    fn brackets_nest_in_values_selections_and_types_but_not_in_strings() {
        assert_eq!(scan("{ a }", 100, 100).nesting, 1);
        assert_eq!(scan("{ node(id: [[[1]]]) { id } }", 100, 100).nesting, 5);
        assert_eq!(
            scan("query($v: [[Int]]) { a(o: {b: {c: 1}}) }", 100, 100).nesting,
            4
        );
        assert_eq!(scan("{ a(s: \"[[[[[[\") } # {{{{{{", 100, 100).nesting, 2);
        let deep = format!(
            "{{ node(id: {}1{}) {{ id }} }}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let scanned = scan(&deep, usize::MAX, 32);
        assert_eq!(
            scanned.nesting, 33,
            "the scan stops one level past the limit"
        );
        assert!(scanned.tokens < 40);
    }

    #[test]
    fn counting_stops_past_the_limit() {
        let huge = "{ a ".repeat(1_000_000);
        assert_eq!(count_tokens(&huge, 10), 11);
    }

    #[test]
    fn aliases_and_directives_are_counted_through_fragments() {
        let document = async_graphql::parser::parse_query(
            "{ a: x @include(if: true) ...F ... on Q @skip(if: false) { b: y } } fragment F on Q { c: z @skip(if: false) }",
        )
        .unwrap();
        let limits = DocumentLimits {
            max_aliases: 2,
            max_directives: 2,
            ..Default::default()
        };
        assert_eq!(
            check_document(&document, &limits),
            Err(DocumentError::TooManyAliases { count: 3, limit: 2 })
        );
        let limits = DocumentLimits {
            max_aliases: 3,
            max_directives: 2,
            ..Default::default()
        };
        assert_eq!(
            check_document(&document, &limits),
            Err(DocumentError::TooManyDirectives { count: 3, limit: 2 })
        );
    }
}
