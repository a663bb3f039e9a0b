//! Limits on the GraphQL document itself, checked before anything runs: its size, its
//! number of tokens, aliases and directives.
//!
//! Size and tokens are counted on the raw text, before parsing, so that a huge or
//! pathological document costs us no more than a scan; aliases and directives are counted
//! on the parsed document, whose parse is then handed on rather than done twice.

use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet};

use crate::graphql::ErrorCode;

/// How large and intricate a document may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentLimits {
    /// The most bytes of document text.
    pub max_bytes: usize,
    /// The most lexical tokens (names, punctuation, values).
    pub max_tokens: usize,
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
            DocumentError::TooManyAliases { .. } => ErrorCode::TooManyAliases,
            DocumentError::TooManyDirectives { .. } => ErrorCode::TooManyDirectives,
        }
    }
}

/// Counts the lexical tokens of a GraphQL document, stopping once past `limit`.
///
/// White space, commas and comments are not tokens; a string, block string, number, name or
/// punctuator is one. The count is a bound, not a parse: malformed text still counts.
pub fn count_tokens(text: &str, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut count = 0;
    while i < bytes.len() && count <= limit {
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
            _ => {
                i += 1;
                count += 1;
            }
        }
    }
    count
}

/// Checks the raw text: its size and its tokens.
pub fn check_text(text: &str, limits: &DocumentLimits) -> Result<(), DocumentError> {
    if text.len() > limits.max_bytes {
        return Err(DocumentError::TooLarge {
            size: text.len(),
            limit: limits.max_bytes,
        });
    }
    if count_tokens(text, limits.max_tokens) > limits.max_tokens {
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
