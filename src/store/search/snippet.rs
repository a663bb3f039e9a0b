//! Snippets: the window of a record's text around the first word a search looks for, with
//! the words that match picked out.
//!
//! The window is cut here, from the record's own text, so that it is the same on both
//! databases; it is returned as plain pieces of text, and the API renders them (as HTML, with
//! the matching words marked): the store knows nothing of markup.

use super::grammar::{SearchQuery, word_spans};

/// How many words a snippet holds at most.
pub const SNIPPET_WORDS: usize = 32;
/// How many words a snippet shows before the first match.
const SNIPPET_LEAD: usize = 8;

/// One piece of a snippet, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text was cut here: `…`.
    Cut,
    /// Text between or around the matching words, as it stands in the record.
    Text(&'a str),
    /// A word the search looks for.
    Match(&'a str),
}

/// A window of `text` around the first word `query` looks for, every matching word a
/// [`Piece::Match`]; `None` when no word of `text` matches.
pub fn snippet<'a>(text: &'a str, query: &SearchQuery) -> Option<Vec<Piece<'a>>> {
    let spans = word_spans(text);
    let marked: Vec<bool> = spans
        .iter()
        .map(|&(start, end)| query.marks(&text[start..end].to_lowercase()))
        .collect();
    let first = marked.iter().position(|m| *m)?;
    Some(window(
        text,
        &spans,
        &marked,
        first.saturating_sub(SNIPPET_LEAD),
    ))
}

/// The start of `text`, when none of its words matches.
pub fn lead(text: &str) -> Vec<Piece<'_>> {
    let spans = word_spans(text);
    let marked = vec![false; spans.len()];
    window(text, &spans, &marked, 0)
}

fn window<'a>(
    text: &'a str,
    spans: &[(usize, usize)],
    marked: &[bool],
    begin: usize,
) -> Vec<Piece<'a>> {
    let end = (begin + SNIPPET_WORDS).min(spans.len());
    let mut pieces = Vec::new();
    let mut cursor = if begin == 0 { 0 } else { spans[begin].0 };
    if begin > 0 {
        pieces.push(Piece::Cut);
    }
    for index in begin..end {
        let (start, stop) = spans[index];
        pieces.push(Piece::Text(&text[cursor..start]));
        let word = &text[start..stop];
        pieces.push(if marked[index] {
            Piece::Match(word)
        } else {
            Piece::Text(word)
        });
        cursor = stop;
    }
    if end < spans.len() {
        pieces.push(Piece::Cut);
    } else {
        pieces.push(Piece::Text(&text[cursor..]));
    }
    pieces
}
