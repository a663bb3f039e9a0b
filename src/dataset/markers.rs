//! Words in a quote that change what the quote can be recorded as.
//!
//! The loader cannot understand a sentence, but it can notice the words that hedge it, that
//! attribute it to someone else, or that place it in time relative to when it was written.
//! A quote containing one of them must be recorded accordingly (see [`super::Rule`]).
//! Matching is by whole words, ignoring case.

/// Words that hedge a statement: a quote containing one is not a stated fact.
pub const HEDGES: &[&str] = &[
    "likely",
    "unlikely",
    "suggest",
    "suggests",
    "suggesting",
    "suggested",
    "appear",
    "appears",
    "appeared",
    "seem",
    "seems",
    "seemed",
    "possibly",
    "probably",
    "perhaps",
    "reportedly",
    "allegedly",
    "may",
    "might",
    "could",
    "impossible to know",
];

/// Phrases that attribute a statement to someone other than the author.
pub const ATTRIBUTIONS: &[&str] = &[
    "according to",
    "reports from",
    "reportedly",
    "allegedly",
    "maintain that",
    "maintains that",
    "claimed that",
    "claims that",
    "said that",
    "says that",
    "reported that",
];

/// Words that place a statement in time relative to when its text was written.
pub const RELATIVE_TIME: &[&str] = &[
    "current",
    "currently",
    "recent",
    "recently",
    "now",
    "today",
    "at the time of writing",
    "the last",
    "the previous",
    "the following year",
    "so far",
    "to date",
    "yet to",
    "this year",
    "ago",
    "still",
];

/// Words that cite a text: an editorial description, resting on no source, uses none.
pub const CITING: &[&str] = &[
    "the text says",
    "the text",
    "the texts",
    "the source",
    "the sources",
    "both sources",
    "the report says",
    "the author",
    "the authors",
    "writes",
    "wrote",
    "quoted",
];

/// Words that give a cause or a response: a causal relation whose quotes carry none of them
/// is the editors' inference, not the text's statement. A sequence in time ("after")
/// is not among them: "After these extremes, only 63 defectors…" orders two things; it does
/// not say that one caused the other.
pub const CAUSAL: &[&str] = &[
    "because",
    "because of",
    "due to",
    "owing to",
    "led to",
    "leads to",
    "lead to",
    "leading to",
    "in response to",
    "in reaction to",
    "reaction to",
    "response to",
    "as a result",
    "result of",
    "resulted in",
    "results in",
    "caused",
    "causes",
    "cause",
    "causing",
    "gave rise to",
    "killed by",
    "given rise to",
    "give rise to",
    "forced",
    "so that",
    "therefore",
    "thanks to",
    "consequence",
    "consequences",
    "impact",
    "impacted",
    "affected",
    "affects",
    "spurred",
    "triggered",
    "prompted",
];

/// The first phrase of `phrases` that occurs in `text` as whole words, ignoring case.
pub fn find<'a>(text: &str, phrases: &[&'a str]) -> Option<&'a str> {
    let words = normalize(text);
    phrases
        .iter()
        .copied()
        .find(|phrase| words.contains(&normalize(phrase)))
}

/// Lower-cases `text` and reduces it to its words, each surrounded by single spaces.
fn normalize(text: &str) -> String {
    let mut words = String::from(" ");
    for word in text
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
    {
        words.push_str(&word.to_lowercase());
        words.push(' ');
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_whole_words_only() {
        assert_eq!(find("have likely been lost", HEDGES), Some("likely"));
        assert_eq!(find("strongly suggesting that", HEDGES), Some("suggesting"));
        assert_eq!(find("the mayor spoke", HEDGES), None);
        assert_eq!(
            find("According to Human Rights Watch,", ATTRIBUTIONS),
            Some("according to")
        );
        assert_eq!(
            find("it is closed again at the time of writing.", RELATIVE_TIME),
            Some("at the time of writing")
        );
        assert_eq!(find("a currency", RELATIVE_TIME), None);
    }

    #[test]
    fn a_sequence_in_time_is_not_a_cause() {
        assert_eq!(
            find("After these extremes, only 63 defectors arrived.", CAUSAL),
            None
        );
        assert_eq!(
            find("in response to the pandemic", CAUSAL),
            Some("in response to")
        );
    }
}
