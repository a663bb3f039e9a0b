//! Full-text search over claims, entities and sources, the same on SQLite and PostgreSQL.
//!
//! Two engines, one behaviour. SQLite has FTS5 and PostgreSQL has `tsvector`; they split text
//! into words differently (PostgreSQL keeps `kim-jong-un` whole *and* in parts, reads `1.5`
//! as one number, and so on), so a query handed to each as typed would find different
//! records. Instead nkhr splits every text into words itself ([`words`]: runs of letters and
//! digits, lower-cased) and stores those words, space-separated, in the `search_index` table;
//! it parses the user's search with its own small grammar ([`SearchQuery::parse`]) and writes
//! it out in each engine's syntax. Both engines then see the same words on both sides and
//! find the same records. Only the ranking differs: FTS5 ranks by BM25, PostgreSQL by
//! `ts_rank`, so records that both find may come in another order.
//!
//! Snippets are cut here too, from the record's own text, so they are the same on both
//! databases: the words that match are wrapped in `<mark>…</mark>`, the rest is HTML-escaped.
//!
//! The index is rebuilt inside the sync's transaction whenever the dataset changes (see
//! [`refresh`]), so it never disagrees with the data.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder, TransactionTrait};
use sha2::{Digest, Sha256};

use super::{
    entities::*,
    page::{Cursor, PageError, SortValue},
    sql::Sql,
};
use crate::domain::EntityKind;

/// The longest search accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 256;
/// The most terms (words, phrases and exclusions) a search may hold.
pub const MAX_TERMS: usize = 16;

/// What kind of record a search hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, async_graphql::Enum)]
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

impl SearchKind {
    /// The kind as the index stores it.
    pub fn as_str(&self) -> &'static str {
        match self {
            SearchKind::Claim => "claim",
            SearchKind::Source => "source",
            SearchKind::Actor => "actor",
            SearchKind::Law => "law",
            SearchKind::Measure => "measure",
            SearchKind::Event => "event",
            SearchKind::Recommendation => "recommendation",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "claim" => SearchKind::Claim,
            "source" => SearchKind::Source,
            "actor" => SearchKind::Actor,
            "law" => SearchKind::Law,
            "measure" => SearchKind::Measure,
            "event" => SearchKind::Event,
            "recommendation" => SearchKind::Recommendation,
            _ => return None,
        })
    }

    /// The search kind of an entity of `kind`.
    pub fn of_entity(kind: EntityKind) -> Self {
        match kind {
            EntityKind::Actor => SearchKind::Actor,
            EntityKind::Law => SearchKind::Law,
            EntityKind::Measure => SearchKind::Measure,
            EntityKind::Event => SearchKind::Event,
            EntityKind::Recommendation => SearchKind::Recommendation,
        }
    }
}

/// The words of `text` as the index sees them: maximal runs of letters and digits, lower-cased.
/// Punctuation, hyphens, apostrophes and quotation marks separate words.
pub fn words(text: &str) -> Vec<String> {
    word_spans(text)
        .into_iter()
        .map(|(start, end)| text[start..end].to_lowercase())
        .collect()
}

/// The byte ranges of the words of `text`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
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
fn normalized(text: &str) -> String {
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

/// How many words a snippet holds at most.
pub const SNIPPET_WORDS: usize = 32;
/// How many words a snippet shows before the first match.
const SNIPPET_LEAD: usize = 8;

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

/// A window of `text` around the first word `query` looks for, HTML-escaped, with every
/// matching word wrapped in `<mark>…</mark>`; `None` when no word of `text` matches.
pub fn snippet(text: &str, query: &SearchQuery) -> Option<String> {
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

/// The start of `text`, HTML-escaped, when none of its words matches.
pub fn lead(text: &str) -> String {
    let spans = word_spans(text);
    let marked = vec![false; spans.len()];
    if spans.is_empty() {
        let mut out = String::new();
        escape(text, &mut out);
        return out;
    }
    window(text, &spans, &marked, 0)
}

fn window(text: &str, spans: &[(usize, usize)], marked: &[bool], begin: usize) -> String {
    let end = (begin + SNIPPET_WORDS).min(spans.len());
    let mut out = String::new();
    let mut cursor = if begin == 0 { 0 } else { spans[begin].0 };
    if begin > 0 {
        out.push('…');
    }
    for index in begin..end {
        let (start, stop) = spans[index];
        escape(&text[cursor..start], &mut out);
        if marked[index] {
            out.push_str("<mark>");
            escape(&text[start..stop], &mut out);
            out.push_str("</mark>");
        } else {
            escape(&text[start..stop], &mut out);
        }
        cursor = stop;
    }
    if end < spans.len() {
        out.push('…');
    } else {
        escape(&text[cursor..], &mut out);
    }
    out.trim().to_owned()
}

/// A record the index found, with its rank as an integer (higher is better) so that it can
/// sit in a cursor and compare exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: SearchKind,
    pub slug: String,
    pub score: i64,
}

/// The name of the ordering a search's cursors belong to: a cursor from one search is refused
/// by another.
pub fn ordering_name(query: &SearchQuery, kinds: &[SearchKind]) -> String {
    let mut kinds: Vec<&str> = kinds.iter().map(SearchKind::as_str).collect();
    kinds.sort_unstable();
    let digest = Sha256::digest(format!("{}|{}", query.describe(), kinds.join(",")));
    format!("search:{}", hex::encode(&digest[..6]))
}

impl Hit {
    /// The cursor that marks this hit's place in the results of the search `ordering`.
    pub fn cursor(&self, ordering: &str) -> Cursor {
        Cursor {
            ordering: ordering.to_owned(),
            values: vec![
                SortValue::Int(self.score),
                SortValue::Text(self.kind.as_str().to_owned()),
                SortValue::Text(self.slug.clone()),
            ],
        }
    }

    /// The hit a cursor of the search `ordering` marks.
    pub fn from_cursor(cursor: &Cursor, ordering: &str) -> Result<Self, PageError> {
        match (cursor.ordering == ordering, cursor.values.as_slice()) {
            (
                true,
                [
                    SortValue::Int(score),
                    SortValue::Text(kind),
                    SortValue::Text(slug),
                ],
            ) => Ok(Hit {
                kind: SearchKind::parse(kind).ok_or(PageError::BadCursor)?,
                slug: slug.clone(),
                score: *score,
            }),
            _ => Err(PageError::BadCursor),
        }
    }
}

/// Writes the records that match `query`, each with its integer score, as a sub-select.
fn matching(sql: &mut Sql, query: &SearchQuery, kinds: &[SearchKind]) {
    match sql.backend() {
        sea_orm::DatabaseBackend::Postgres => {
            sql.push(
                "SELECT kind, slug, CAST(round(ts_rank(document, q) * 1000000) AS BIGINT) AS score \
                 FROM search_index, to_tsquery('simple', ",
            )
            .bind(query.tsquery())
            .push(") AS q WHERE document @@ q");
        }
        _ => {
            // bm25 takes one weight per column: kind, slug, title, body.
            sql.push(
                "SELECT kind, slug, CAST(round(-bm25(search_index, 0.0, 0.0, 4.0, 1.0) * 1000000) AS INTEGER) AS score \
                 FROM search_index WHERE search_index MATCH ",
            )
            .bind(query.fts5());
        }
    }
    if !kinds.is_empty() {
        sql.push(" AND kind IN ")
            .bind_list(kinds.iter().map(|k| k.as_str()));
    }
}

/// Up to `limit` records matching `query`, best first, after `after` when given.
pub async fn search(
    db: &impl ConnectionTrait,
    query: &SearchQuery,
    kinds: &[SearchKind],
    after: Option<&Hit>,
    limit: u64,
) -> Result<Vec<Hit>, DbErr> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT kind, slug, score FROM (");
    matching(&mut sql, query, kinds);
    sql.push(") AS hit");
    if let Some(after) = after {
        sql.push(" WHERE score < ")
            .bind(after.score)
            .push(" OR (score = ")
            .bind(after.score)
            .push(" AND (kind > ")
            .bind(after.kind.as_str())
            .push(" OR (kind = ")
            .bind(after.kind.as_str())
            .push(" AND slug > ")
            .bind(after.slug.as_str())
            .push(")))");
    }
    sql.push(" ORDER BY score DESC, kind, slug LIMIT ")
        .bind(i64::try_from(limit).unwrap_or(i64::MAX));
    let rows = db.query_all_raw(sql.statement()).await?;
    let mut hits = Vec::with_capacity(rows.len());
    for row in rows {
        let kind: String = row.try_get("", "kind")?;
        hits.push(Hit {
            kind: SearchKind::parse(&kind)
                .ok_or_else(|| DbErr::Custom(format!("unknown kind {kind} in the search index")))?,
            slug: row.try_get("", "slug")?,
            score: row.try_get("", "score")?,
        });
    }
    Ok(hits)
}

/// How many records match `query`.
pub async fn count(
    db: &impl ConnectionTrait,
    query: &SearchQuery,
    kinds: &[SearchKind],
) -> Result<u64, DbErr> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT COUNT(*) AS n FROM (");
    matching(&mut sql, query, kinds);
    sql.push(") AS hit");
    let n: i64 = match db.query_one_raw(sql.statement()).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or_default())
}

/// One record as the index holds it.
struct Document {
    kind: SearchKind,
    slug: String,
    title: String,
    body: String,
}

/// Which records to index: all of them, or only those with these slugs.
#[derive(Debug, Default, Clone)]
pub struct Subset {
    pub sources: Vec<String>,
    pub entities: Vec<String>,
    pub claims: Vec<String>,
}

/// Every searchable record, read from the dataset tables; with `only`, just those.
async fn documents(
    db: &impl ConnectionTrait,
    only: Option<&Subset>,
) -> Result<Vec<Document>, DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    // A source's title carries its authors' names, so its document needs every entity's
    // name; only the entities indexed are filtered.
    let entities = entity::Entity::find()
        .order_by_asc(entity::Column::Slug)
        .all(db)
        .await?;
    let mut aliases: HashMap<String, Vec<String>> = HashMap::new();
    for alias in entity_alias::Entity::find()
        .order_by_asc(entity_alias::Column::EntitySlug)
        .order_by_asc(entity_alias::Column::Position)
        .all(db)
        .await?
    {
        aliases
            .entry(alias.entity_slug)
            .or_default()
            .push(alias.alias);
    }
    let names: HashMap<&str, &str> = entities
        .iter()
        .map(|e| (e.slug.as_str(), e.name.as_str()))
        .collect();
    let mut authors: HashMap<String, Vec<String>> = HashMap::new();
    for link in source_actor::Entity::find()
        .order_by_asc(source_actor::Column::SourceSlug)
        .order_by_asc(source_actor::Column::Role)
        .order_by_asc(source_actor::Column::Position)
        .all(db)
        .await?
    {
        if let Some(name) = names.get(link.actor_slug.as_str()) {
            authors
                .entry(link.source_slug)
                .or_default()
                .push((*name).to_owned());
        }
    }

    let mut documents = Vec::new();
    let mut sources = source::Entity::find();
    let mut claims = claim::Entity::find();
    if let Some(only) = only {
        sources = sources.filter(source::Column::Slug.is_in(only.sources.clone()));
        claims = claims.filter(claim::Column::Slug.is_in(only.claims.clone()));
    }
    for source in sources.all(db).await? {
        let by = authors.remove(&source.slug).unwrap_or_default().join(" ");
        documents.push(Document {
            kind: SearchKind::Source,
            title: normalized(&format!("{} {by}", source.title)),
            body: normalized(&source.text),
            slug: source.slug,
        });
    }
    let wanted: Option<std::collections::HashSet<&str>> =
        only.map(|o| o.entities.iter().map(String::as_str).collect());
    for entity in entities
        .iter()
        .filter(|e| wanted.as_ref().is_none_or(|w| w.contains(e.slug.as_str())))
    {
        let other_names = aliases.remove(&entity.slug).unwrap_or_default().join(" ");
        documents.push(Document {
            kind: SearchKind::of_entity(entity.kind),
            slug: entity.slug.clone(),
            title: normalized(&format!("{} {other_names}", entity.name)),
            body: normalized(&entity.description),
        });
    }
    for claim in claims.all(db).await? {
        documents.push(Document {
            kind: SearchKind::Claim,
            title: normalized(&claim.statement),
            body: normalized(&claim.quote),
            slug: claim.slug,
        });
    }
    Ok(documents)
}

async fn scalar(db: &impl ConnectionTrait, sql: &str) -> Result<i64, DbErr> {
    let statement = sea_orm::Statement::from_string(db.get_database_backend(), sql.to_owned());
    match db.query_one_raw(statement).await? {
        Some(row) => row.try_get("", "n"),
        None => Ok(0),
    }
}

/// Whether the index holds a different number of records than the dataset: true after the
/// migration that adds it, on a database synced before.
async fn is_stale(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    let indexed = scalar(db, "SELECT COUNT(*) AS n FROM search_index").await?;
    let records = scalar(
        db,
        "SELECT (SELECT COUNT(*) FROM claim) + (SELECT COUNT(*) FROM entity) \
         + (SELECT COUNT(*) FROM source) AS n",
    )
    .await?;
    Ok(indexed != records)
}

/// Rebuilds the whole index from the dataset tables; returns how many records it holds.
/// The dataset is small enough that a rebuild is cheaper to reason about than a patch.
pub async fn reindex(db: &impl ConnectionTrait) -> Result<usize, DbErr> {
    db.execute_unprepared("DELETE FROM search_index").await?;
    let documents = documents(db, None).await?;
    insert_documents(db, &documents).await?;
    Ok(documents.len())
}

/// Re-indexes the records of `changed` alone, by slug: each one's old document goes, and a
/// new one comes for each that is still in the dataset tables. The import calls it with the
/// records it changed (under their old and new slugs), so an edit to one claim touches one
/// row of the index, not all of them.
pub async fn update(db: &impl ConnectionTrait, changed: &Subset) -> Result<(), DbErr> {
    let groups: [(&[String], &[&str]); 3] = [
        (&changed.sources, &["source"]),
        (&changed.claims, &["claim"]),
        (
            &changed.entities,
            &["actor", "law", "measure", "event", "recommendation"],
        ),
    ];
    for (slugs, kinds) in groups {
        for chunk in slugs.chunks(100) {
            let mut sql = Sql::new(db.get_database_backend());
            sql.push("DELETE FROM search_index WHERE kind IN ");
            sql.bind_list(kinds.iter().map(|k| (*k).to_owned()));
            sql.push(" AND slug IN ");
            sql.bind_list(chunk.iter().cloned());
            db.execute_raw(sql.statement()).await?;
        }
    }
    let documents = documents(db, Some(changed)).await?;
    insert_documents(db, &documents).await
}

async fn insert_documents(db: &impl ConnectionTrait, documents: &[Document]) -> Result<(), DbErr> {
    for chunk in documents.chunks(100) {
        let mut sql = Sql::new(db.get_database_backend());
        sql.push("INSERT INTO search_index (kind, slug, title, body) VALUES ");
        for (index, document) in chunk.iter().enumerate() {
            if index > 0 {
                sql.push(", ");
            }
            sql.bind_list([
                document.kind.as_str().to_owned(),
                document.slug.clone(),
                document.title.clone(),
                document.body.clone(),
            ]);
        }
        db.execute_raw(sql.statement()).await?;
    }
    Ok(())
}

/// Rebuilds the index when the dataset `changed` or the index is out of step with it. Call it
/// inside the transaction that changed the dataset.
pub async fn refresh(db: &impl ConnectionTrait, changed: bool) -> Result<(), DbErr> {
    if changed || is_stale(db).await? {
        reindex(db).await?;
    }
    Ok(())
}

/// Rebuilds the index, in a transaction of its own, if it is out of step with the dataset.
pub async fn ensure_fresh(db: &sea_orm::DatabaseConnection) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    refresh(&txn, false).await?;
    txn.commit().await
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

    #[test]
    fn a_snippet_marks_matching_words_and_escapes_the_rest() {
        let query = parse("detain* OR detention");
        let text = "Those <b>detained</b> & their families;\n  detention continues.";
        assert_eq!(
            snippet(text, &query).unwrap(),
            "Those &lt;b&gt;<mark>detained</mark>&lt;/b&gt; &amp; their families; <mark>detention</mark> continues."
        );
        assert_eq!(snippet("nothing here", &query), None);
    }

    #[test]
    fn a_long_snippet_is_cut_around_the_first_match() {
        let text = (0..100)
            .map(|n| format!("w{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        let cut = snippet(&text, &parse("w50")).unwrap();
        assert!(cut.starts_with("…w42 "), "{cut}");
        assert!(cut.contains("<mark>w50</mark>"), "{cut}");
        assert!(cut.ends_with("w73…"), "{cut}");
    }
}
