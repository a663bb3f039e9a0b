//! Finding a passage in a source's text, as a curator needs it.
//!
//! A quote must appear verbatim, and a passage copied from a PDF or a web page rarely does:
//! its curly quotes came out straight, its dashes as hyphens, its line breaks as spaces. The
//! locator says where a passage occurs (offsets in Unicode scalar values, as claims store
//! them, and the sentence around it); when it does not occur verbatim, it finds the closest
//! passages of the text and names each difference (a quotation mark, an apostrophe, a dash,
//! white space, letter case, or other text), so the curator can copy the text's own
//! characters. The search is in three steps, each only when the one before found nothing:
//! verbatim; after folding those characters; and a search for the passage's nearest match by
//! edit distance, bounded by [`FUZZY_WORK`].

use similar::{ChangeTag, TextDiff};

use super::coverage;

/// The most cells the edit-distance search fills (the text's length times the passage's);
/// past that it is not run, and the answer says it was not exhaustive.
pub const FUZZY_WORK: usize = 40_000_000;

/// The longest passage the locator takes, in characters.
pub const MAX_PASSAGE: usize = 2_000;

/// The most verbatim occurrences an answer lists.
pub const MAX_OCCURRENCES: usize = 100;

/// The most closest passages an answer lists.
pub const MAX_CLOSEST: usize = 10;

/// The most differences listed for one closest passage.
pub const MAX_DIFFERENCES: usize = 50;

/// A place where the passage occurs verbatim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Which occurrence it is, from 1, as a claim's `occurrence` says.
    pub number: usize,
    /// Offset of its first character, in Unicode scalar values.
    pub start: usize,
    /// Offset just past its last character.
    pub end: usize,
    /// The sentence (or sentences) it lies in.
    pub sentence: String,
}

/// What kind of difference a passage has from the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DifferenceKind {
    /// Straight against curly double quotes, or one curly quote against another.
    QuotationMark,
    /// An apostrophe or single quote of another shape.
    Apostrophe,
    /// A hyphen against an en or em dash, or the like.
    Dash,
    /// White space: a line break for a space, two spaces for one.
    Whitespace,
    /// The same letters in another case.
    Case,
    /// Other text: a word added, dropped or changed.
    Text,
}

/// One difference between the passage and the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub kind: DifferenceKind,
    /// Where in the text it is, in Unicode scalar values.
    pub at: usize,
    /// What the passage has there.
    pub passage: String,
    /// What the text has there.
    pub text: String,
}

/// A passage of the text close to the one asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub start: usize,
    pub end: usize,
    /// The text's own characters there: what a quote must say.
    pub text: String,
    /// How many characters must be added, removed or changed to get from the passage to it.
    pub edits: usize,
    pub differences: Vec<Difference>,
}

/// Where a passage occurs, or what comes closest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The verbatim occurrences, first to last.
    pub occurrences: Vec<Occurrence>,
    /// When there are none: the closest passages, closest first.
    pub closest: Vec<Candidate>,
    /// Whether the whole text was searched for the closest passages (false when the text and
    /// passage were too long for the edit-distance search).
    pub exhaustive: bool,
}

/// Where `passage` occurs in `text` (the first [`MAX_OCCURRENCES`] places), or, when it does
/// not occur verbatim, up to `most` (at most [`MAX_CLOSEST`]) of the closest passages.
pub fn locate(text: &str, passage: &str, most: usize) -> Location {
    let most = most.min(MAX_CLOSEST);
    let passage = passage.trim();
    let mut location = Location {
        occurrences: Vec::new(),
        closest: Vec::new(),
        exhaustive: true,
    };
    if passage.is_empty() {
        return location;
    }
    let chars: Vec<char> = text.chars().collect();
    let sentences = coverage::sentences(text);
    location.occurrences = text
        .match_indices(passage)
        .take(MAX_OCCURRENCES)
        .enumerate()
        .map(|(i, (byte, _))| {
            let start = text[..byte].chars().count();
            let end = start + passage.chars().count();
            Occurrence {
                number: i + 1,
                start,
                end,
                sentence: around(&sentences, &chars, start, end),
            }
        })
        .collect();
    if !location.occurrences.is_empty() || most == 0 {
        return location;
    }

    let (folded_text, origin) = fold(&chars);
    let (folded_passage, _) = fold(&passage.chars().collect::<Vec<_>>());
    let spans = folded_matches(&folded_text, &folded_passage);
    let spans = if spans.is_empty() {
        let work = folded_text.len().saturating_mul(folded_passage.len());
        if work > FUZZY_WORK {
            location.exhaustive = false;
            Vec::new()
        } else {
            nearest(&folded_text, &folded_passage, most)
        }
    } else {
        spans
    };
    location.closest = spans
        .into_iter()
        .take(most)
        .map(|(from, to)| {
            let start = origin[from];
            let end = origin[to - 1] + 1;
            let found: String = chars[start..end].iter().collect();
            let mut differences = differences(passage, &found, start);
            let edits = differences
                .iter()
                .map(|d| d.passage.chars().count().max(d.text.chars().count()))
                .sum();
            differences.truncate(MAX_DIFFERENCES);
            Candidate {
                start,
                end,
                edits,
                text: found,
                differences,
            }
        })
        .collect();
    location.closest.sort_by_key(|candidate| candidate.edits);
    location
}

/// The sentences that `start..end` lies in, joined.
fn around(sentences: &[coverage::Sentence], chars: &[char], start: usize, end: usize) -> String {
    let touching: Vec<&coverage::Sentence> = sentences
        .iter()
        .filter(|s| s.start < end && start < s.end)
        .collect();
    match (touching.first(), touching.last()) {
        (Some(first), Some(last)) => chars[first.start..last.end].iter().collect(),
        _ => chars[start..end].iter().collect(),
    }
}

/// The character a folded text has for `c`: quotes, apostrophes and dashes of every shape as
/// their plain ASCII form, letters in lower case.
fn fold_char(c: char) -> char {
    match c {
        '"' | '“' | '”' | '„' | '‟' | '«' | '»' | '″' => '"',
        '\'' | '‘' | '’' | '‚' | '‛' | '′' | '`' => '\'',
        '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => '-',
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

/// The folded text, with each of its characters' offset in the original: runs of white space
/// become one space, and the ellipsis character three full stops.
fn fold(chars: &[char]) -> (Vec<char>, Vec<usize>) {
    let mut folded = Vec::with_capacity(chars.len());
    let mut origin = Vec::with_capacity(chars.len());
    for (at, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            if folded.last() != Some(&' ') {
                folded.push(' ');
                origin.push(at);
            }
        } else if c == '…' {
            for _ in 0..3 {
                folded.push('.');
                origin.push(at);
            }
        } else {
            folded.push(fold_char(c));
            origin.push(at);
        }
    }
    (folded, origin)
}

/// Where `passage` occurs in `text`, both folded, as half-open spans of `text`.
fn folded_matches(text: &[char], passage: &[char]) -> Vec<(usize, usize)> {
    if passage.is_empty() || passage.len() > text.len() {
        return Vec::new();
    }
    let mut spans = Vec::new();
    let mut from = 0;
    while from + passage.len() <= text.len() {
        if text[from..from + passage.len()] == *passage {
            spans.push((from, from + passage.len()));
            from += passage.len();
        } else {
            from += 1;
        }
    }
    spans
}

/// Up to `most` spans of `text` closest to `passage` by edit distance, none overlapping,
/// none needing more edits than half the passage.
fn nearest(text: &[char], passage: &[char], most: usize) -> Vec<(usize, usize)> {
    let ends = distances_by_end(text, passage);
    let mut order: Vec<usize> = (1..ends.len()).collect();
    order.sort_by_key(|&end| (ends[end], end));
    let bound = passage.len() / 2;
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    for end in order {
        if chosen.len() == most || ends[end] > bound {
            break;
        }
        if chosen
            .iter()
            .any(|&(s, e)| end > s && end <= e + passage.len())
        {
            continue;
        }
        let start = start_of(text, passage, end);
        if chosen.iter().all(|&(s, e)| end <= s || start >= e) {
            chosen.push((start, end));
        }
    }
    chosen
}

/// For each end offset `j` of `text`, the fewest edits that turn `passage` into a span of
/// `text` ending at `j` (Sellers' algorithm: the passage may start anywhere).
fn distances_by_end(text: &[char], passage: &[char]) -> Vec<usize> {
    let m = passage.len();
    let mut column: Vec<usize> = (0..=m).collect();
    let mut ends = vec![m; text.len() + 1];
    for (j, &t) in text.iter().enumerate() {
        let mut diagonal = column[0];
        column[0] = 0;
        for i in 1..=m {
            let above = column[i];
            let substitute = diagonal + usize::from(passage[i - 1] != t);
            column[i] = substitute.min(above + 1).min(column[i - 1] + 1);
            diagonal = above;
        }
        ends[j + 1] = column[m];
    }
    ends
}

/// Where the closest span ending at `end` starts: the same search run backwards over the
/// text before `end`.
fn start_of(text: &[char], passage: &[char], end: usize) -> usize {
    let from = end.saturating_sub(passage.len() * 2);
    let before: Vec<char> = text[from..end].iter().rev().copied().collect();
    let reversed: Vec<char> = passage.iter().rev().copied().collect();
    let ends = distances_by_end(&before, &reversed);
    let best = (1..ends.len())
        .min_by_key(|&length| (ends[length], std::cmp::Reverse(length)))
        .unwrap_or(0);
    end - best
}

/// The differences between `passage` and `found`, the text's characters from offset `start`:
/// word by word, and, within words that differ only in the shape of a quotation mark, a dash
/// or a letter's case, character by character, so each such difference is named on its own.
fn differences(passage: &str, found: &str, start: usize) -> Vec<Difference> {
    let mut differences = Vec::new();
    for (at, ours, theirs) in changes(&TextDiff::from_words(passage, found), start) {
        let folds_equal = ours
            .chars()
            .map(fold_char)
            .eq(theirs.chars().map(fold_char));
        if folds_equal && !ours.trim().is_empty() {
            for (at, ours, theirs) in changes(&TextDiff::from_chars(&ours, &theirs), at) {
                differences.push(difference(at, ours, theirs));
            }
        } else {
            differences.push(difference(at, ours, theirs));
        }
    }
    differences
}

/// The runs of a diff that are not equal, as (offset in the text, the passage's part, the
/// text's part), counting from `start`.
fn changes<'a>(diff: &TextDiff<'a, 'a, 'a, str>, start: usize) -> Vec<(usize, String, String)> {
    let mut found = Vec::new();
    let mut at = start;
    let mut pending: Option<(usize, String, String)> = None;
    for change in diff.iter_all_changes() {
        let value = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                found.extend(pending.take());
                at += value.chars().count();
            }
            ChangeTag::Delete => {
                pending
                    .get_or_insert_with(|| (at, String::new(), String::new()))
                    .1 += value;
            }
            ChangeTag::Insert => {
                pending
                    .get_or_insert_with(|| (at, String::new(), String::new()))
                    .2 += value;
                at += value.chars().count();
            }
        }
    }
    found.extend(pending);
    found
}

fn difference(at: usize, passage: String, text: String) -> Difference {
    let all = |s: &str, test: fn(char) -> bool| !s.is_empty() && s.chars().all(test);
    let kind = if (passage.is_empty() || all(&passage, char::is_whitespace))
        && (text.is_empty() || all(&text, char::is_whitespace))
    {
        DifferenceKind::Whitespace
    } else if passage
        .chars()
        .map(fold_char)
        .eq(text.chars().map(fold_char))
    {
        let first = text.chars().next().map(fold_char);
        match first {
            Some('"') => DifferenceKind::QuotationMark,
            Some('\'') => DifferenceKind::Apostrophe,
            Some('-') => DifferenceKind::Dash,
            _ => DifferenceKind::Case,
        }
    } else {
        DifferenceKind::Text
    };
    Difference {
        kind,
        at,
        passage,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "The Ministry’s order — “shoot on sight” — was reported.\nIt was   repeated. The Ministry’s order stood.";

    #[test]
    fn a_verbatim_passage_is_found_at_each_occurrence_with_its_sentence() {
        let found = locate(TEXT, "The Ministry’s order", 3);
        assert_eq!(found.occurrences.len(), 2);
        assert_eq!(found.occurrences[0].start, 0);
        assert_eq!(found.occurrences[0].end, 20);
        assert_eq!(
            found.occurrences[0].sentence,
            "The Ministry’s order — “shoot on sight” — was reported."
        );
        assert_eq!(found.occurrences[1].number, 2);
        assert!(found.closest.is_empty());
    }

    #[test]
    fn straight_quotes_hyphens_and_spaces_are_named_as_such() {
        let found = locate(TEXT, "Ministry's order - \"shoot on sight\"", 3);
        assert!(found.occurrences.is_empty());
        let best = &found.closest[0];
        assert_eq!(best.text, "Ministry’s order — “shoot on sight”");
        let kinds: Vec<DifferenceKind> = best.differences.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                DifferenceKind::Apostrophe,
                DifferenceKind::Dash,
                DifferenceKind::QuotationMark,
                DifferenceKind::QuotationMark
            ]
        );
        assert_eq!(best.differences[0].passage, "'");
        assert_eq!(best.differences[0].text, "’");
        assert_eq!(best.differences[0].at, 12);
    }

    #[test]
    fn a_line_break_and_extra_spaces_are_white_space() {
        let found = locate(TEXT, "was reported. It was repeated.", 3);
        let best = &found.closest[0];
        assert_eq!(best.text, "was reported.\nIt was   repeated.");
        assert!(
            best.differences
                .iter()
                .all(|d| d.kind == DifferenceKind::Whitespace),
            "{:?}",
            best.differences
        );
    }

    #[test]
    fn a_changed_word_is_found_by_edit_distance_and_named_as_text() {
        let found = locate(TEXT, "It was repeatedly.", 3);
        assert!(found.exhaustive);
        let best = &found.closest[0];
        assert_eq!(best.text, "It was   repeated.");
        assert!(
            best.differences
                .iter()
                .any(|d| d.kind == DifferenceKind::Text),
            "{:?}",
            best.differences
        );
    }

    #[test]
    fn a_passage_unlike_anything_in_the_text_has_no_closest_passage() {
        let found = locate(TEXT, "Completely unrelated words about weather", 3);
        assert!(found.occurrences.is_empty());
        assert!(found.closest.is_empty(), "{:?}", found.closest);
    }
}
