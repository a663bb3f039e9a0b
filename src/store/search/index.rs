//! The search index: one row per searchable record, its words as [`super::words`] splits
//! them, and the statements that search it on SQLite (FTS5) and PostgreSQL (`tsvector`).
//!
//! The index is rebuilt inside the sync's transaction whenever the dataset changes (see
//! [`refresh`]), so it never disagrees with the data.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder, TransactionTrait};

use super::{Hit, SearchKind, SearchQuery, grammar::normalized};
use crate::store::{entities::*, sql::Sql};

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

/// Up to `limit` records matching `query`, best first, between `after` and `before` when
/// given: the first `limit` of them, or the last `limit` when `from_end` is set.
pub async fn search(
    db: &impl ConnectionTrait,
    query: &SearchQuery,
    kinds: &[SearchKind],
    window: (Option<&Hit>, Option<&Hit>),
    limit: u64,
    from_end: bool,
) -> Result<Vec<Hit>, DbErr> {
    let (after, before) = window;
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT kind, slug, score FROM (");
    matching(&mut sql, query, kinds);
    sql.push(") AS hit WHERE 1 = 1");
    // Hits come best first: by score descending, then by kind and slug.
    for (bound, later) in [(after, true), (before, false)] {
        let Some(bound) = bound else { continue };
        let (score, text) = if later {
            (" < ", " > ")
        } else {
            (" > ", " < ")
        };
        sql.push(" AND (score")
            .push(score)
            .bind(bound.score)
            .push(" OR (score = ")
            .bind(bound.score)
            .push(" AND (kind")
            .push(text)
            .bind(bound.kind.as_str())
            .push(" OR (kind = ")
            .bind(bound.kind.as_str())
            .push(" AND slug")
            .push(text)
            .bind(bound.slug.as_str())
            .push("))))");
    }
    sql.push(if from_end {
        " ORDER BY score, kind DESC, slug DESC LIMIT "
    } else {
        " ORDER BY score DESC, kind, slug LIMIT "
    })
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
    if from_end {
        hits.reverse();
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
