//! The search grammar: how a search a person typed is split into words, phrases, `OR`s,
//! exclusions and prefixes, and written out in each engine's syntax.
//!
//! The same splitting into words serves the index ([`words`]), so a search and the text it
//! looks through always agree on what a word is.

/// The longest search accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 256;
/// The most terms (words, phrases and exclusions) a search may hold.
pub const MAX_TERMS: usize = 16;

/// The words of `text` as the index sees them: maximal runs of letters and digits, lower-cased.
/// Punctuation, hyphens, apostrophes and quotation marks separate words.
pub fn words(text: &str) -> Vec<String> {
    word_spans(text)
        .into_iter()
        .map(|(start, end)| text[start..end].to_lowercase())
        .collect()
}

/// The byte ranges of the words of `text`.
pub fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (index, character) in text.char_indices() {
        match (character.is_alphanumeric(), start) {
            (true, None) => start = Some(index),
            (false, Some(begin)) => {
                spans.push((begin, index));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(begin) = start {
        spans.push((begin, text.len()));
    }
    spans
}

/// `text` as stored in the index: its words, separated by single spaces.
pub(super) fn normalized(text: &str) -> String {
    words(text).join(" ")
}

/// Why a search cannot be run. The messages are written for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyntaxError {
    #[error("the search is empty: give at least one word to look for")]
    Empty,
    #[error("the search is longer than {MAX_QUERY_CHARS} characters")]
    TooLong,
    #[error("the search has more than {MAX_TERMS} words, phrases and exclusions")]
    TooManyTerms,
    #[error("a phrase is not closed: end it with a second `\"`")]
    UnclosedQuote,
    #[error("`OR` must stand between two words or phrases to look for")]
    DanglingOr,
    #[error("`-` must come right before a word or phrase to leave out, as in `-china`")]
    DanglingMinus,
    #[error("`{0}` has no letters or digits to look for")]
    NoWords(String),
    #[error("a search cannot only leave words out: add a word to look for")]
    OnlyExclusions,
}

/// A word, a phrase (several words in a row), or a prefix (`detain*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The words, in order; more than one makes a phrase.
    pub words: Vec<String>,
    /// Whether the last word is a prefix: `detain*` finds "detained" and "detention".
    pub prefix: bool,
}

impl Term {
    fn fts5(&self) -> String {
        let phrase = format!("\"{}\"", self.words.join(" "));
        if self.prefix {
            format!("{phrase}*")
        } else {
            phrase
        }
    }

    fn tsquery(&self) -> String {
        let last = self.words.len().saturating_sub(1);
        self.words
            .iter()
            .enumerate()
            .map(|(index, word)| {
                if self.prefix && index == last {
                    format!("'{word}':*")
                } else {
                    format!("'{word}'")
                }
            })
            .collect::<Vec<_>>()
            .join(" <-> ")
    }

    fn describe(&self) -> String {
        format!(
            "\"{}\"{}",
            self.words.join(" "),
            if self.prefix { "*" } else { "" }
        )
    }

    /// Whether `word` (lower-cased) is one of the words this term looks for.
    fn marks(&self, word: &str) -> bool {
        let last = self.words.len().saturating_sub(1);
        self.words.iter().enumerate().any(|(index, wanted)| {
            wanted == word || (self.prefix && index == last && word.starts_with(wanted.as_str()))
        })
    }
}

/// A parsed search: every group must match (a group matches when any of its terms does), and
/// no exclusion may.
///
/// The grammar, close to what search boxes accept: words are all required (`border china`);
/// `"…"` finds a phrase; `OR` between terms accepts either (`china OR russia`); a leading `-`
/// leaves a word or phrase out (`border -china`); a trailing `*` makes a prefix (`detain*`).
/// Case, punctuation and hyphens do not matter: `Kim Jong-un` is the three words
/// `kim jong un`, and as one term (`kim-jong-un`) it is that phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub groups: Vec<Vec<Term>>,
    pub exclusions: Vec<Term>,
}

enum Lexeme {
    Term { term: Term, excluded: bool },
    Or,
}

impl SearchQuery {
    /// Reads a search as a user typed it.
    pub fn parse(text: &str) -> Result<Self, SyntaxError> {
        if text.chars().count() > MAX_QUERY_CHARS {
            return Err(SyntaxError::TooLong);
        }
        let lexemes = lex(text)?;
        if lexemes
            .iter()
            .filter(|l| matches!(l, Lexeme::Term { .. }))
            .count()
            > MAX_TERMS
        {
            return Err(SyntaxError::TooManyTerms);
        }
        let mut query = SearchQuery {
            groups: Vec::new(),
            exclusions: Vec::new(),
        };
        let mut pending_or = false;
        for lexeme in lexemes {
            match lexeme {
                Lexeme::Or if pending_or || query.groups.is_empty() => {
                    return Err(SyntaxError::DanglingOr);
                }
                Lexeme::Or => pending_or = true,
                Lexeme::Term {
                    excluded: true,
                    term,
                } => {
                    if pending_or {
                        return Err(SyntaxError::DanglingOr);
                    }
                    query.exclusions.push(term);
                }
                Lexeme::Term {
                    excluded: false,
                    term,
                } => match query.groups.last_mut() {
                    Some(group) if pending_or => {
                        group.push(term);
                        pending_or = false;
                    }
                    _ => query.groups.push(vec![term]),
                },
            }
        }
        if pending_or {
            return Err(SyntaxError::DanglingOr);
        }
        if query.groups.is_empty() {
            return Err(if query.exclusions.is_empty() {
                SyntaxError::Empty
            } else {
                SyntaxError::OnlyExclusions
            });
        }
        Ok(query)
    }

    /// The query in FTS5's syntax. Every word is quoted, so no word is read as an operator.
    pub fn fts5(&self) -> String {
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|group| {
                let terms: Vec<String> = group.iter().map(Term::fts5).collect();
                format!("({})", terms.join(" OR "))
            })
            .collect();
        let mut query = groups.join(" AND ");
        if !self.exclusions.is_empty() {
            let excluded: Vec<String> = self.exclusions.iter().map(Term::fts5).collect();
            query = format!("({query}) NOT ({})", excluded.join(" OR "));
        }
        query
    }

    /// The query in PostgreSQL's `to_tsquery` syntax. Every word is quoted.
    pub fn tsquery(&self) -> String {
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|group| {
                let terms: Vec<String> = group
                    .iter()
                    .map(|term| format!("({})", term.tsquery()))
                    .collect();
                format!("({})", terms.join(" | "))
            })
            .collect();
        let mut query = groups.join(" & ");
        for term in &self.exclusions {
            query.push_str(&format!(" & !({})", term.tsquery()));
        }
        query
    }

    /// A canonical spelling of the query, the same for searches that mean the same.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .groups
            .iter()
            .map(|group| {
                group
                    .iter()
                    .map(Term::describe)
                    .collect::<Vec<_>>()
                    .join(" OR ")
            })
            .collect();
        parts.extend(self.exclusions.iter().map(|t| format!("-{}", t.describe())));
        parts.join(" ")
    }

    /// Whether `word` (lower-cased) is one the query looks for, and so is marked in snippets.
    pub fn marks(&self, word: &str) -> bool {
        self.groups.iter().flatten().any(|term| term.marks(word))
    }
}

fn lex(text: &str) -> Result<Vec<Lexeme>, SyntaxError> {
    let mut lexemes = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&next) = chars.peek() {
        if next.is_whitespace() {
            chars.next();
            continue;
        }
        let mut excluded = false;
        if next == '-' {
            chars.next();
            match chars.peek() {
                Some(c) if !c.is_whitespace() => excluded = true,
                _ => return Err(SyntaxError::DanglingMinus),
            }
        }
        let (raw, mut prefix) = if chars.peek() == Some(&'"') {
            chars.next();
            let mut phrase = String::new();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == '"' {
                    closed = true;
                    break;
                }
                phrase.push(c);
            }
            if !closed {
                return Err(SyntaxError::UnclosedQuote);
            }
            let prefix = chars.peek() == Some(&'*');
            if prefix {
                chars.next();
            }
            (phrase, prefix)
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c == '"' {
                    break;
                }
                word.push(c);
                chars.next();
            }
            if word == "OR" && !excluded {
                lexemes.push(Lexeme::Or);
                continue;
            }
            let prefix = word.ends_with('*');
            (word, prefix)
        };
        let words = words(&raw);
        if words.is_empty() {
            return Err(SyntaxError::NoWords(raw.chars().take(40).collect()));
        }
        // `u.s.*` is a prefix only if the star touches the last word.
        if prefix
            && !raw
                .trim_end_matches('*')
                .ends_with(|c: char| c.is_alphanumeric())
        {
            prefix = false;
        }
        lexemes.push(Lexeme::Term {
            term: Term { words, prefix },
            excluded,
        });
    }
    Ok(lexemes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> SearchQuery {
        SearchQuery::parse(text).unwrap()
    }

    #[test]
    fn words_ignore_case_punctuation_and_hyphens() {
        assert_eq!(
            words("Kim Jong-un’s “survival mode”, U.S. 1.5"),
            [
                "kim", "jong", "un", "s", "survival", "mode", "u", "s", "1", "5"
            ]
        );
    }

    #[test]
    fn the_grammar_reads_words_phrases_or_exclusions_and_prefixes() {
        let query = parse(r#"border "shoot on sight" china OR russia -wall detain*"#);
        assert_eq!(
            query.describe(),
            r#""border" "shoot on sight" "china" OR "russia" "detain"* -"wall""#
        );
        assert_eq!(
            query.fts5(),
            r#"(("border") AND ("shoot on sight") AND ("china" OR "russia") AND ("detain"*)) NOT ("wall")"#
        );
        assert_eq!(
            query.tsquery(),
            "(('border')) & (('shoot' <-> 'on' <-> 'sight')) & (('china') | ('russia')) & (('detain':*)) & !('wall')"
        );
    }

    #[test]
    fn a_hyphenated_word_is_a_phrase() {
        assert_eq!(
            parse("kim-jong-un").groups[0][0].words,
            ["kim", "jong", "un"]
        );
    }

    #[test]
    fn operator_words_inside_a_search_are_only_words() {
        assert_eq!(
            parse("or and NOT near").fts5(),
            r#"("or") AND ("and") AND ("not") AND ("near")"#
        );
    }

    #[test]
    fn malformed_searches_are_refused_with_a_reason() {
        for (text, error) in [
            ("", SyntaxError::Empty),
            ("   ", SyntaxError::Empty),
            ("\"survival mode", SyntaxError::UnclosedQuote),
            ("OR china", SyntaxError::DanglingOr),
            ("china OR", SyntaxError::DanglingOr),
            ("china OR OR russia", SyntaxError::DanglingOr),
            ("-china", SyntaxError::OnlyExclusions),
            ("china -", SyntaxError::DanglingMinus),
            ("***", SyntaxError::NoWords("***".to_owned())),
        ] {
            assert_eq!(SearchQuery::parse(text), Err(error), "{text:?}");
        }
        assert_eq!(
            SearchQuery::parse(&"a ".repeat(200)),
            Err(SyntaxError::TooLong)
        );
        assert_eq!(
            SearchQuery::parse(&"a ".repeat(17)),
            Err(SyntaxError::TooManyTerms)
        );
    }
}
