//! How much of each source the claims cover.
//!
//! Each source is split into sentences (Unicode sentence boundaries, with abbreviations such
//! as "U.S." kept inside their sentence). A sentence that asserts nothing — a heading, a
//! byline, navigation text — is listed in the dataset's exclusions with a reason; every
//! other sentence asserts something and must be covered. A sentence counts as covered when
//! the quotes of the claims that overlap it span at least half of its non-space characters:
//! a three-word quote does not cover a sentence that states four facts.

use std::collections::HashSet;

use unicode_segmentation::UnicodeSegmentation;

use super::Dataset;

/// The share of a sentence's non-space characters that quotes must span for it to be covered.
pub const COVERED_SHARE: f64 = 0.5;

/// One sentence of a source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Offset of the first character, in Unicode scalar values.
    pub start: usize,
    /// Offset just past the last character, in Unicode scalar values.
    pub end: usize,
    /// The sentence, trimmed of surrounding white space.
    pub text: String,
}

/// Splits a text into trimmed, non-empty sentences.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut pieces: Vec<(usize, String)> = Vec::new();
    for (byte, piece) in text.split_sentence_bound_indices() {
        let joins_previous = pieces.last().is_some_and(|(_, previous)| {
            ends_with_abbreviation(previous) && !previous.ends_with('\n')
        });
        match pieces.last_mut() {
            Some((_, previous)) if joins_previous => previous.push_str(piece),
            _ => pieces.push((byte, piece.to_owned())),
        }
    }
    pieces
        .into_iter()
        .filter_map(|(byte, piece)| {
            let trimmed = piece.trim();
            if trimmed.is_empty() {
                return None;
            }
            let leading = piece.len() - piece.trim_start().len();
            let start = text[..byte + leading].chars().count();
            Some(Sentence {
                start,
                end: start + trimmed.chars().count(),
                text: trimmed.to_owned(),
            })
        })
        .collect()
}

/// Whether a sentence piece ends in an initialism such as "U.S." rather than a full stop.
fn ends_with_abbreviation(piece: &str) -> bool {
    let last_word = piece
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("");
    let letters: Vec<&str> = last_word.split('.').collect();
    letters.len() >= 3
        && letters.last() == Some(&"")
        && letters[..letters.len() - 1]
            .iter()
            .all(|l| l.chars().count() == 1 && l.chars().all(|c| c.is_ascii_uppercase()))
}

/// The coverage of one source.
#[derive(Debug, Clone)]
pub struct SourceCoverage {
    pub source: String,
    /// Every sentence of the text.
    pub sentences: usize,
    /// Sentences the exclusions list as asserting nothing.
    pub excluded: usize,
    /// Sentences that assert something: all but the excluded ones.
    pub asserting: usize,
    /// Asserting sentences covered by claims.
    pub covered: usize,
    /// Share of the asserting sentences' non-space characters inside some quote.
    pub character_share: f64,
    /// Asserting sentences not covered, with the share of them that quotes span.
    pub uncovered: Vec<(Sentence, f64)>,
}

impl SourceCoverage {
    /// Covered asserting sentences as a percentage.
    pub fn percent(&self) -> f64 {
        if self.asserting == 0 {
            100.0
        } else {
            100.0 * self.covered as f64 / self.asserting as f64
        }
    }
}

/// Measures every source's coverage.
pub fn report(dataset: &Dataset) -> Vec<SourceCoverage> {
    dataset
        .sources
        .iter()
        .map(|source| {
            let slug = &source.record.slug;
            let excluded: HashSet<&str> = dataset
                .exclusions
                .iter()
                .filter(|e| &e.source == slug)
                .map(|e| e.sentence.as_str())
                .collect();
            let mut quoted = vec![false; source.text.chars().count()];
            for claim in dataset.claims.iter().filter(|c| &c.record.source == slug) {
                quoted[claim.start..claim.end]
                    .iter_mut()
                    .for_each(|q| *q = true);
            }
            let chars: Vec<char> = source.text.chars().collect();
            let all = sentences(&source.text);
            let mut coverage = SourceCoverage {
                source: slug.clone(),
                sentences: all.len(),
                excluded: 0,
                asserting: 0,
                covered: 0,
                character_share: 0.0,
                uncovered: Vec::new(),
            };
            let (mut inside, mut total) = (0usize, 0usize);
            for sentence in all {
                if excluded.contains(sentence.text.as_str()) {
                    coverage.excluded += 1;
                    continue;
                }
                coverage.asserting += 1;
                let counted: Vec<bool> = (sentence.start..sentence.end)
                    .filter(|&i| !chars[i].is_whitespace())
                    .map(|i| quoted[i])
                    .collect();
                let hits = counted.iter().filter(|q| **q).count();
                inside += hits;
                total += counted.len();
                let share = if counted.is_empty() {
                    1.0
                } else {
                    hits as f64 / counted.len() as f64
                };
                if share >= COVERED_SHARE {
                    coverage.covered += 1;
                } else {
                    coverage.uncovered.push((sentence, share));
                }
            }
            coverage.character_share = if total == 0 {
                1.0
            } else {
                inside as f64 / total as f64
            };
            coverage
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initialisms_do_not_end_a_sentence() {
        let text = "The freeze on U.S. State Department grants hurt. Then it ended.\n\nHeading\n";
        let found: Vec<String> = sentences(text).into_iter().map(|s| s.text).collect();
        assert_eq!(
            found,
            [
                "The freeze on U.S. State Department grants hurt.",
                "Then it ended.",
                "Heading"
            ]
        );
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        let text = "“Quoted” first. Second’s here.";
        let found = sentences(text);
        let chars: Vec<char> = text.chars().collect();
        let second: String = chars[found[1].start..found[1].end].iter().collect();
        assert_eq!(second, "Second’s here.");
    }
}
