//! Citations and permalinks: how a reader cites a claim or a source, and the URL that leads
//! back to it.
//!
//! A journalist who quotes a claim needs three things: a line of text to paste under the
//! quote, the same reference as CSL-JSON for a reference manager (Zotero, Pandoc,
//! citeproc-js all read it), and a link a reader can follow to check the quote against its
//! source. The permalink is `<public URL>/claims/<slug>` (or `/sources/<slug>`): slugs never
//! change once published, and the server answers that URL with a readable page or, when asked
//! for JSON, the record itself. The public URL is configured (`--public-url`), because the
//! server cannot know the name readers reach it by behind a proxy.

use serde_json::{Value, json};

use crate::{
    domain::{ActorKind, PartialDate, Precision, SourceKind},
    store::entities::{claim, entity},
};

/// The public URL used when none is configured: the address `nkhr serve` listens on by default.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

/// The base URL readers reach the service at, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl Default for PublicUrl {
    fn default() -> Self {
        Self(DEFAULT_PUBLIC_URL.to_owned())
    }
}

impl PublicUrl {
    /// The base URL `url`; a trailing slash is dropped.
    pub fn new(url: &str) -> Self {
        Self(url.trim_end_matches('/').to_owned())
    }

    /// The base URL of a server listening on `address`, for when no public URL is
    /// configured. An address that listens on every interface (`0.0.0.0`, `::`) is not one a
    /// reader can reach, so the loopback address of its family stands in for it.
    pub fn of_address(address: std::net::SocketAddr) -> Self {
        let mut address = address;
        if address.ip().is_unspecified() {
            address.set_ip(match address.ip() {
                std::net::IpAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
                std::net::IpAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        Self(format!("http://{address}"))
    }

    /// The base URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The permalink of the claim `slug`.
    pub fn claim(&self, slug: &str) -> String {
        format!("{}/claims/{slug}", self.0)
    }

    /// The permalink of the source `slug`.
    pub fn source(&self, slug: &str) -> String {
        format!("{}/sources/{slug}", self.0)
    }
}

/// A source with the actors a citation names.
#[derive(Debug, Clone, Copy)]
pub struct CitedSource<'a> {
    pub source: &'a crate::store::queries::SourceHead,
    pub authors: &'a [entity::Model],
    pub publisher: Option<&'a entity::Model>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date in words, as precise as it is known: `March 26, 2025`, `March 2025` or `2025`;
/// `the 1990s`, `early 2020`, `the late 1990s`, `about 1995`.
pub fn date_in_words(date: &str) -> String {
    let Ok(parsed) = date.parse::<PartialDate>() else {
        return date.to_owned();
    };
    let month = parsed
        .month_number()
        .and_then(|m| MONTHS.get(usize::from(m).saturating_sub(1)));
    let year = parsed.year_number();
    let words = match (parsed.precision(), month, parsed.day_number()) {
        (Precision::Decade, _, _) => format!("{year}s"),
        (_, Some(month), Some(day)) => format!("{month} {day}, {year}"),
        (_, Some(month), None) => format!("{month} {year}"),
        _ => year.to_string(),
    };
    match (parsed.qualifier(), parsed.precision()) {
        (Some(qualifier), Precision::Decade) => format!("the {} {words}", qualifier.word()),
        (Some(qualifier), _) => format!("{} {words}", qualifier.word()),
        (None, Precision::Decade) => format!("the {words}"),
        (None, _) if parsed.is_approximate() => format!("about {words}"),
        (None, _) => words,
    }
}

/// Names joined as English does: `A`, `A and B`, `A, B and C`.
fn joined(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn kind_word(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Commentary => "commentary",
        SourceKind::Report => "report",
        SourceKind::Statement => "statement",
        SourceKind::Article => "article",
    }
}

fn csl_type(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Commentary | SourceKind::Article => "article",
        SourceKind::Report => "report",
        SourceKind::Statement => "document",
    }
}

/// An author as CSL-JSON names one: a person by family and given name, anyone else literally.
fn csl_name(actor: &entity::Model) -> Value {
    match (actor.actor_kind, actor.name.rsplit_once(' ')) {
        (Some(ActorKind::Person), Some((given, family))) => {
            json!({ "family": family, "given": given })
        }
        _ => json!({ "literal": actor.name }),
    }
}

/// A date as CSL-JSON: `date-parts` of a year, month or day; a decade or a part of a year
/// or decade as the range of its years or months; `circa` when it is approximate.
fn date_parts(date: &str) -> Value {
    let Ok(parsed) = date.parse::<PartialDate>() else {
        return json!({ "literal": date });
    };
    let part = |day: &str, months: bool| -> Vec<u32> {
        day.split('-')
            .take(if months { 2 } else { 1 })
            .filter_map(|part| part.parse().ok())
            .collect()
    };
    let mut value = if parsed.precision() == Precision::Decade || parsed.qualifier().is_some() {
        let months = parsed.precision() != Precision::Decade;
        json!({ "date-parts": [part(&parsed.earliest(), months), part(&parsed.latest(), months)] })
    } else {
        let mut parts = vec![parsed.year_number().unsigned_abs()];
        parts.extend(parsed.month_number().map(u32::from));
        parts.extend(parsed.day_number().map(u32::from));
        json!({ "date-parts": [parts] })
    };
    if parsed.is_approximate() {
        value["circa"] = json!(true);
    }
    value
}

impl CitedSource<'_> {
    /// The reference in words: `Sandra Fahy, “A New Low for North Korean Human Rights,”
    /// commentary, March 26, 2025.`
    pub fn text(&self) -> String {
        let names: Vec<&str> = self.authors.iter().map(|a| a.name.as_str()).collect();
        let mut text = String::new();
        if !names.is_empty() {
            text.push_str(&joined(&names));
            text.push_str(", ");
        }
        text.push_str(&format!(
            "“{},” {}",
            self.source.title,
            kind_word(self.source.kind)
        ));
        if let Some(publisher) = self.publisher {
            text.push_str(&format!(", {}", publisher.name));
        }
        text.push_str(&format!(", {}.", date_in_words(&self.source.published)));
        if let Some(url) = &self.source.url {
            text.push_str(&format!(" {url}"));
        }
        text
    }

    /// The reference as a CSL-JSON item.
    pub fn csl(&self, public: &PublicUrl) -> Value {
        let mut item = json!({
            "id": self.source.slug,
            "type": csl_type(self.source.kind),
            "title": self.source.title,
            "author": self.authors.iter().map(csl_name).collect::<Vec<_>>(),
            "issued": date_parts(&self.source.published),
            "language": self.source.language,
            "URL": self.source.url.clone().unwrap_or_else(|| public.source(&self.source.slug)),
        });
        if let Some(publisher) = self.publisher {
            item["publisher"] = json!(publisher.name);
        }
        item
    }

    /// A claim from this source in words: the quote, the reference, where the quote stands in
    /// the text, and the permalink.
    pub fn claim_text(&self, claim: &claim::Model, public: &PublicUrl) -> String {
        format!(
            "“{}” — {} Characters {}–{}. {}",
            claim.quote,
            self.text(),
            claim.start_offset,
            claim.end_offset,
            public.claim(&claim.slug)
        )
    }

    /// A claim from this source as a CSL-JSON item: the source's reference, with the quote
    /// as its note and the claim's place and permalink under `custom`.
    pub fn claim_csl(&self, claim: &claim::Model, public: &PublicUrl) -> Value {
        let mut item = self.csl(public);
        item["id"] = json!(claim.slug);
        item["note"] = json!(format!("“{}”", claim.quote));
        item["custom"] = json!({
            "quote": claim.quote,
            "start": claim.start_offset,
            "end": claim.end_offset,
            "permalink": public.claim(&claim.slug),
            "source": self.source.slug,
        });
        item
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_in_words_is_as_precise_as_it_is_known() {
        assert_eq!(date_in_words("2025-03-26"), "March 26, 2025");
        assert_eq!(date_in_words("2025-03"), "March 2025");
        assert_eq!(date_in_words("2025"), "2025");
        assert_eq!(date_in_words("1990s"), "the 1990s");
        assert_eq!(date_in_words("early 2020"), "early 2020");
        assert_eq!(date_in_words("late 1990s"), "the late 1990s");
        assert_eq!(date_in_words("1995~"), "about 1995");
        assert_eq!(date_in_words("2025-03~"), "about March 2025");
    }

    #[test]
    fn csl_dates_give_a_range_for_a_decade_or_a_part_of_a_year_and_circa_when_approximate() {
        assert_eq!(
            date_parts("2025-03-26"),
            json!({ "date-parts": [[2025, 3, 26]] })
        );
        assert_eq!(date_parts("2025"), json!({ "date-parts": [[2025]] }));
        assert_eq!(
            date_parts("1990s"),
            json!({ "date-parts": [[1990], [1999]] })
        );
        assert_eq!(
            date_parts("early 2020"),
            json!({ "date-parts": [[2020, 1], [2020, 4]] })
        );
        assert_eq!(
            date_parts("1995~"),
            json!({ "date-parts": [[1995]], "circa": true })
        );
    }

    #[test]
    fn names_are_joined_as_english_does() {
        assert_eq!(joined(&["A", "B", "C"]), "A, B and C");
        assert_eq!(joined(&["A"]), "A");
    }

    fn source(url: Option<&str>) -> crate::store::queries::SourceHead {
        crate::store::queries::SourceHead {
            slug: "a-report".to_owned(),
            id: "Source:a-report".to_owned(),
            title: "A Report".to_owned(),
            kind: SourceKind::Report,
            language: "en".to_owned(),
            published: "2021-03-10".to_owned(),
            written_from: Some("2020-08".to_owned()),
            written_until: Some("2020-11".to_owned()),
            written_note: Some("From what it reports.".to_owned()),
            url: url.map(str::to_owned),
            sha256: String::new(),
        }
    }

    #[test]
    fn a_citation_gives_the_sources_url_when_it_has_one_and_the_permalink_when_not() {
        let public = PublicUrl::new("https://nkhr.example.org");
        let with = source(Some("https://example.org/a-report"));
        let without = source(None);
        let cite = |head| CitedSource {
            source: head,
            authors: &[],
            publisher: None,
        };

        assert_eq!(
            cite(&with).text(),
            "“A Report,” report, March 10, 2021. https://example.org/a-report"
        );
        assert_eq!(
            cite(&with).csl(&public)["URL"],
            "https://example.org/a-report"
        );
        assert_eq!(cite(&without).text(), "“A Report,” report, March 10, 2021.");
        assert_eq!(
            cite(&without).csl(&public)["URL"],
            "https://nkhr.example.org/sources/a-report"
        );
    }

    #[test]
    fn a_trailing_slash_does_not_double_in_permalinks() {
        assert_eq!(
            PublicUrl::new("https://nkhr.example.org/").claim("x"),
            "https://nkhr.example.org/claims/x"
        );
    }
}
