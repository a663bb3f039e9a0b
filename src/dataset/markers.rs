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

/// Words a statement may keep a quote's hedge with: the quote's own hedges, and the nouns and
/// adjectives that say the same ("the possibility that", "possibly").
pub const STATEMENT_HEDGES: &[&str] = &[
    "possibility",
    "possible",
    "apparently",
    "uncertain",
    "unclear",
    "cannot be known",
    "not known",
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

/// The numbers written in digits in `text`, as written without their thousands separators:
/// "$1.5 billion" gives `1.5`, "10,000" gives `10000`, "2020–2023" gives `2020` and `2023`.
/// Digits that end a name ("Covid-19") are part of the name, not a number.
pub fn numbers(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let names = i >= 2 && chars[i - 1] == '-' && chars[i - 2].is_alphabetic();
        let mut number = String::new();
        while i < chars.len() {
            let c = chars[i];
            let joins = matches!(c, '.' | ',')
                && number.chars().last().is_some_and(|d| d.is_ascii_digit())
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if c.is_ascii_digit() || (joins && c == '.') {
                number.push(c);
            } else if !joins {
                break;
            }
            i += 1;
        }
        if !names {
            found.push(number);
        }
    }
    found
}

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
    fn numbers_are_read_as_written_without_separators() {
        assert_eq!(
            numbers("a heist of $1.5 billion in 2024, 10,000 people, 2020–2023."),
            ["1.5", "2024", "10000", "2020", "2023"]
        );
        assert_eq!(numbers("a two-kilometre zone"), Vec::<String>::new());
        assert_eq!(numbers("article 8."), ["8"]);
        assert_eq!(numbers("Covid-19 in 2020"), ["2020"]);
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
