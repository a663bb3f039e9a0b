//! Search hits: any kind of record a search finds, with a snippet of where it matched.

use std::sync::Arc;

use async_graphql::{Context, Enum, Object, Union};

use super::{Actor, Claim, Entity, Event, Law, Measure, Recommendation, Source, loaders};
use crate::{
    graphql::{
        error::ApiError,
        loaders::{AliasesOf, ClaimBySlug, EntityBySlug, SourceBySlug, SourceTextOf},
    },
    store::search::{
        self, Hit, SearchQuery,
        snippet::{self, Piece},
    },
};

/// What kind of record a search hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "search::SearchKind")]
pub enum SearchKind {
    /// A claim: its statement and its quote are searched.
    Claim,
    /// A source document: its title, its authors' names and its full text are searched.
    Source,
    /// An actor: its name, aliases and description are searched.
    Actor,
    /// A law: its name, aliases and description are searched.
    Law,
    /// A measure: its name, aliases and description are searched.
    Measure,
    /// An event: its name, aliases and description are searched.
    Event,
    /// A recommendation: its name, aliases and description are searched.
    Recommendation,
}

/// A record a search found: a claim, an entity of any kind, or a source.
#[derive(Union)]
pub enum SearchResult {
    Claim(Claim),
    Source(Source),
    Actor(Actor),
    Law(Law),
    Measure(Measure),
    Event(Event),
    Recommendation(Recommendation),
}

impl From<Entity> for SearchResult {
    fn from(entity: Entity) -> Self {
        match entity {
            Entity::Actor(actor) => SearchResult::Actor(actor),
            Entity::Law(law) => SearchResult::Law(law),
            Entity::Measure(measure) => SearchResult::Measure(measure),
            Entity::Event(event) => SearchResult::Event(event),
            Entity::Recommendation(recommendation) => SearchResult::Recommendation(recommendation),
        }
    }
}

/// One result of a search.
pub struct SearchHit {
    pub hit: Hit,
    pub query: Arc<SearchQuery>,
}

/// The fields of a record a snippet can come from, in the order they are tried.
async fn fields(ctx: &Context<'_>, hit: &Hit) -> Result<Vec<(&'static str, String)>, ApiError> {
    let loaders = loaders(ctx)?;
    let missing = || {
        ApiError::Internal(format!(
            "search hit {} {} is missing",
            hit.kind.as_str(),
            hit.slug
        ))
    };
    Ok(match hit.kind {
        search::SearchKind::Claim => {
            let claim = loaders
                .load_one(ClaimBySlug(hit.slug.clone()))
                .await?
                .ok_or_else(missing)?;
            vec![("quote", claim.quote), ("statement", claim.statement)]
        }
        search::SearchKind::Source => {
            let source = loaders
                .load_one(SourceBySlug(hit.slug.clone()))
                .await?
                .ok_or_else(missing)?;
            let text = loaders
                .load_one(SourceTextOf(hit.slug.clone()))
                .await?
                .ok_or_else(missing)?;
            vec![("title", source.title), ("text", text)]
        }
        _ => {
            let entity = loaders
                .load_one(EntityBySlug(hit.slug.clone()))
                .await?
                .ok_or_else(missing)?;
            let aliases = loaders
                .load_one(AliasesOf(hit.slug.clone()))
                .await?
                .unwrap_or_default();
            let mut fields = vec![("name", entity.name)];
            fields.extend(aliases.into_iter().map(|alias| ("alias", alias)));
            fields.push(("description", entity.description));
            fields
        }
    })
}

/// One result of a search: what kind of record it is, the record, how well it matched, and a
/// snippet of the words that matched.
#[Object]
impl SearchHit {
    /// What kind of record this is.
    async fn kind(&self) -> SearchKind {
        self.hit.kind.into()
    }

    /// How well the record matches, higher is better. It orders the hits of one search and
    /// means nothing across searches. SQLite ranks by BM25 and PostgreSQL by `ts_rank`, so the
    /// same hits may come in another order on each.
    async fn score(&self) -> f64 {
        self.hit.score as f64 / 1_000_000.0
    }

    /// A short extract of the record around the first matching word, as HTML: matching words
    /// are wrapped in `<mark>…</mark>`, and everything else is escaped (`&lt;`, `&amp;`…), so
    /// it can be inserted into a page as is. `…` marks text cut at either end.
    async fn snippet(&self, ctx: &Context<'_>) -> Result<String, ApiError> {
        let fields = fields(ctx, &self.hit).await?;
        Ok(fields
            .iter()
            .find_map(|(_, text)| snippet::snippet(text, &self.query).map(|s| html(&s)))
            .or_else(|| fields.first().map(|(_, text)| html(&snippet::lead(text))))
            .unwrap_or_default())
    }

    /// Which field of the record the snippet comes from: `quote` or `statement` for a claim;
    /// `name`, `alias` or `description` for an entity; `title` or `text` for a source. A
    /// source found by an author's name shows its `title`.
    async fn snippet_field(&self, ctx: &Context<'_>) -> Result<&'static str, ApiError> {
        let fields = fields(ctx, &self.hit).await?;
        Ok(fields
            .iter()
            .find(|(_, text)| snippet::snippet(text, &self.query).is_some())
            .or_else(|| fields.first())
            .map(|(name, _)| *name)
            .unwrap_or_default())
    }

    /// The record.
    async fn node(&self, ctx: &Context<'_>) -> Result<SearchResult, ApiError> {
        let loaders = loaders(ctx)?;
        let missing = || {
            ApiError::Internal(format!(
                "search hit {} {} is missing",
                self.hit.kind.as_str(),
                self.hit.slug
            ))
        };
        Ok(match self.hit.kind {
            search::SearchKind::Claim => SearchResult::Claim(Claim::new(
                loaders
                    .load_one(ClaimBySlug(self.hit.slug.clone()))
                    .await?
                    .ok_or_else(missing)?,
            )),
            search::SearchKind::Source => SearchResult::Source(Source::new(
                loaders
                    .load_one(SourceBySlug(self.hit.slug.clone()))
                    .await?
                    .ok_or_else(missing)?,
            )),
            _ => Entity::load(ctx, &self.hit.slug).await?.into(),
        })
    }
}

/// A snippet as HTML: matching words wrapped in `<mark>…</mark>`, everything else escaped,
/// runs of white space folded into one space.
fn html(pieces: &[Piece<'_>]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Cut => out.push('…'),
            Piece::Text(text) => escape(text, &mut out),
            Piece::Match(word) => {
                out.push_str("<mark>");
                escape(word, &mut out);
                out.push_str("</mark>");
            }
        }
    }
    out.trim().to_owned()
}

/// Appends `text` to `out`, HTML-escaped, with each run of white space folded into one space
/// (none at the very start).
fn escape(text: &str, out: &mut String) {
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    if space && !out.is_empty() {
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> SearchQuery {
        SearchQuery::parse(text).unwrap()
    }

    fn rendered(text: &str, query: &SearchQuery) -> Option<String> {
        snippet::snippet(text, query).map(|pieces| html(&pieces))
    }

    #[test]
    fn a_snippet_marks_matching_words_and_escapes_the_rest() {
        let query = parse("detain* OR detention");
        let text = "Those <b>detained</b> & their families;\n  detention continues.";
        assert_eq!(
            rendered(text, &query).unwrap(),
            "Those &lt;b&gt;<mark>detained</mark>&lt;/b&gt; &amp; their families; <mark>detention</mark> continues."
        );
        assert_eq!(rendered("nothing here", &query), None);
    }

    #[test]
    fn a_long_snippet_is_cut_around_the_first_match() {
        let text = (0..100)
            .map(|n| format!("w{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        let cut = rendered(&text, &parse("w50")).unwrap();
        assert!(cut.starts_with("…w42 "), "{cut}");
        assert!(cut.contains("<mark>w50</mark>"), "{cut}");
        assert!(cut.ends_with("w73…"), "{cut}");
    }
}
