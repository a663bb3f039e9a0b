//! Bulk exports: CSV per entity kind, for claims, sources and relations, and the whole dataset
//! as NDJSON, for journalists' spreadsheets and partners' pipelines.
//!
//! An export is a stream of chunks. Each chunk is one page of one table, read by keyset (rows
//! after the last slug written), with the page's links looked up in a few batched queries; so
//! an export holds one page in memory however large the table grows, and the HTTP server and
//! `nkhr export` share the same code. Every row carries its stable global ID; claims and
//! sources carry their permalinks.

use std::collections::HashMap;

use bytes::Bytes;
use futures_util::{Stream, stream};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Value, json};

use crate::{
    citation::PublicUrl,
    domain::{EntityKind, PartialDate},
    graphql::ids,
    store::{entities::*, queries},
};

/// How many rows one chunk of an export holds.
pub const CHUNK_ROWS: u64 = 200;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportKind {
    /// Actors, as CSV.
    Actors,
    /// Laws, as CSV.
    Laws,
    /// Measures, as CSV.
    Measures,
    /// Events, as CSV.
    Events,
    /// Recommendations, as CSV.
    Recommendations,
    /// Claims with their quote, source, offsets, certainty, dates and permalink, as CSV.
    Claims,
    /// Sources, as CSV.
    Sources,
    /// Relations with their evidence, as CSV.
    Relations,
    /// The whole dataset as NDJSON: one JSON object per line, each with its `type`.
    Dataset,
}

impl ExportKind {
    /// Every export, in the order the index lists them.
    pub const ALL: [ExportKind; 9] = [
        ExportKind::Actors,
        ExportKind::Laws,
        ExportKind::Measures,
        ExportKind::Events,
        ExportKind::Recommendations,
        ExportKind::Claims,
        ExportKind::Sources,
        ExportKind::Relations,
        ExportKind::Dataset,
    ];

    /// The file name the export is offered as: `claims.csv`, `dataset.ndjson`.
    pub fn file_name(self) -> &'static str {
        match self {
            ExportKind::Actors => "actors.csv",
            ExportKind::Laws => "laws.csv",
            ExportKind::Measures => "measures.csv",
            ExportKind::Events => "events.csv",
            ExportKind::Recommendations => "recommendations.csv",
            ExportKind::Claims => "claims.csv",
            ExportKind::Sources => "sources.csv",
            ExportKind::Relations => "relations.csv",
            ExportKind::Dataset => "dataset.ndjson",
        }
    }

    /// The export whose file name is `name`.
    pub fn from_file_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.file_name() == name)
    }

    /// The media type of the export.
    pub fn content_type(self) -> &'static str {
        match self {
            ExportKind::Dataset => "application/x-ndjson",
            _ => "text/csv; charset=utf-8",
        }
    }

    fn entity_kind(self) -> Option<EntityKind> {
        Some(match self {
            ExportKind::Actors => EntityKind::Actor,
            ExportKind::Laws => EntityKind::Law,
            ExportKind::Measures => EntityKind::Measure,
            ExportKind::Events => EntityKind::Event,
            ExportKind::Recommendations => EntityKind::Recommendation,
            _ => return None,
        })
    }
}

/// One table an export walks through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Entities(Option<EntityKind>),
    Claims,
    Sources,
    Relations,
    Facts,
}

/// How a table's rows are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Ndjson,
}

/// Where an export is: which table, and the key of the last row written.
struct Position {
    tables: Vec<Table>,
    table: usize,
    after: Option<String>,
    header: bool,
}

/// The export of `kind`, as a stream of chunks of bytes.
pub fn stream(
    db: DatabaseConnection,
    kind: ExportKind,
    public: PublicUrl,
) -> impl Stream<Item = Result<Bytes, DbErr>> + Send + 'static {
    let (format, tables) = match kind {
        ExportKind::Claims => (Format::Csv, vec![Table::Claims]),
        ExportKind::Sources => (Format::Csv, vec![Table::Sources]),
        ExportKind::Relations => (Format::Csv, vec![Table::Relations]),
        ExportKind::Dataset => (
            Format::Ndjson,
            vec![
                Table::Sources,
                Table::Entities(None),
                Table::Facts,
                Table::Claims,
                Table::Relations,
            ],
        ),
        entities => (Format::Csv, vec![Table::Entities(entities.entity_kind())]),
    };
    let start = Position {
        tables,
        table: 0,
        after: None,
        header: format == Format::Csv,
    };
    stream::try_unfold(start, move |mut position| {
        let db = db.clone();
        let public = public.clone();
        async move {
            let Some(&table) = position.tables.get(position.table) else {
                return Ok(None);
            };
            if position.header {
                position.header = false;
                return Ok(Some((csv_line(header(table)), position)));
            }
            let (chunk, rows, last) =
                page(&db, table, format, position.after.take(), &public).await?;
            if rows < CHUNK_ROWS {
                position.table += 1;
                position.after = None;
            } else {
                position.after = last;
            }
            Ok(Some((chunk, position)))
        }
    })
}

fn csv_line<S: AsRef<[u8]>>(fields: impl IntoIterator<Item = S>) -> Bytes {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(fields);
    Bytes::from(writer.into_inner().unwrap_or_default())
}

fn header(table: Table) -> Vec<&'static str> {
    match table {
        Table::Entities(_) => vec![
            "id",
            "slug",
            "kind",
            "name",
            "aliases",
            "description",
            "actor_kind",
            "status",
            "start",
            "start_precision",
            "end",
            "end_precision",
            "jurisdiction",
            "source",
        ],
        Table::Claims => vec![
            "id",
            "slug",
            "statement",
            "quote",
            "source",
            "source_title",
            "start_offset",
            "end_offset",
            "certainty",
            "kind",
            "date",
            "date_precision",
            "until",
            "until_precision",
            "about",
            "asserted_by",
            "fact",
            "quantity_value",
            "quantity_unit",
            "note",
            "permalink",
        ],
        Table::Sources => vec![
            "id",
            "slug",
            "title",
            "kind",
            "language",
            "published",
            "authors",
            "url",
            "sha256",
            "permalink",
        ],
        Table::Relations => vec![
            "id",
            "key",
            "subject",
            "type",
            "object",
            "description",
            "start",
            "end",
            "evidence",
            "source_count",
        ],
        Table::Facts => vec!["id", "slug", "statement"],
    }
}

fn precision(date: &Option<String>) -> String {
    date.as_deref()
        .and_then(|d| d.parse::<PartialDate>().ok())
        .map(|d| format!("{:?}", d.precision()).to_lowercase())
        .unwrap_or_default()
}

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// Values joined into one CSV cell.
fn list(values: &[String]) -> String {
    values.join("; ")
}

/// One chunk of `table` after the key `after`: the bytes, how many rows, and the last key.
async fn page(
    db: &DatabaseConnection,
    table: Table,
    format: Format,
    after: Option<String>,
    public: &PublicUrl,
) -> Result<(Bytes, u64, Option<String>), DbErr> {
    let mut out: Vec<u8> = Vec::new();
    let mut csv = csv::Writer::from_writer(Vec::new());
    let mut write = |record: Vec<String>, object: Value| match format {
        Format::Csv => {
            let _ = csv.write_record(&record);
        }
        Format::Ndjson => {
            out.extend(object.to_string().into_bytes());
            out.push(b'\n');
        }
    };
    let (rows, last) = match table {
        Table::Entities(kind) => {
            let mut select = entity::Entity::find();
            if let Some(kind) = kind {
                select = select.filter(entity::Column::Kind.eq(kind));
            }
            if let Some(after) = &after {
                select = select.filter(entity::Column::Slug.gt(after.as_str()));
            }
            let rows = select
                .order_by_asc(entity::Column::Slug)
                .limit(CHUNK_ROWS)
                .all(db)
                .await?;
            let slugs: Vec<String> = rows.iter().map(|r| r.slug.clone()).collect();
            let aliases = queries::aliases(db, &slugs).await?;
            for row in &rows {
                let names = aliases.get(&row.slug).cloned().unwrap_or_default();
                let id = ids::of(&row.id).0;
                write(
                    vec![
                        id.clone(),
                        row.slug.clone(),
                        row.kind.to_string(),
                        row.name.clone(),
                        list(&names),
                        row.description.clone(),
                        row.actor_kind.map(|k| k.to_string()).unwrap_or_default(),
                        row.status.map(|s| s.to_string()).unwrap_or_default(),
                        text(&row.starts_on),
                        precision(&row.starts_on),
                        text(&row.ends_on),
                        precision(&row.ends_on),
                        text(&row.jurisdiction),
                        text(&row.source_slug),
                    ],
                    json!({
                        "type": "entity", "id": id, "slug": row.slug, "kind": row.kind,
                        "name": row.name, "aliases": names, "description": row.description,
                        "actor_kind": row.actor_kind, "status": row.status,
                        "start": row.starts_on, "end": row.ends_on,
                        "jurisdiction": row.jurisdiction, "source": row.source_slug,
                    }),
                );
            }
            (rows.len(), rows.last().map(|r| r.slug.clone()))
        }
        Table::Claims => {
            let mut select = claim::Entity::find();
            if let Some(after) = &after {
                select = select.filter(claim::Column::Slug.gt(after.as_str()));
            }
            let rows = select
                .order_by_asc(claim::Column::Slug)
                .limit(CHUNK_ROWS)
                .all(db)
                .await?;
            let slugs: Vec<String> = rows.iter().map(|r| r.slug.clone()).collect();
            let about = queries::claim_subjects(db, &slugs).await?;
            let asserted = queries::claim_asserters(db, &slugs).await?;
            let source_slugs: Vec<String> = rows.iter().map(|r| r.source_slug.clone()).collect();
            let sources = queries::sources_by_slug(db, &source_slugs).await?;
            for row in &rows {
                let id = ids::of(&row.id).0;
                let about = about.get(&row.slug).cloned().unwrap_or_default();
                let asserted = asserted.get(&row.slug).cloned().unwrap_or_default();
                let title = sources
                    .get(&row.source_slug)
                    .map(|s| s.title.clone())
                    .unwrap_or_default();
                let permalink = public.claim(&row.slug);
                write(
                    vec![
                        id.clone(),
                        row.slug.clone(),
                        row.statement.clone(),
                        row.quote.clone(),
                        row.source_slug.clone(),
                        title,
                        row.start_offset.to_string(),
                        row.end_offset.to_string(),
                        row.certainty.to_string(),
                        row.kind.to_string(),
                        text(&row.holds_from),
                        precision(&row.holds_from),
                        text(&row.holds_until),
                        precision(&row.holds_until),
                        list(&about),
                        list(&asserted),
                        text(&row.fact_slug),
                        row.quantity_value
                            .map(|v| v.to_string())
                            .unwrap_or_default(),
                        text(&row.quantity_unit),
                        text(&row.note),
                        permalink.clone(),
                    ],
                    json!({
                        "type": "claim", "id": id, "slug": row.slug, "statement": row.statement,
                        "quote": row.quote, "source": row.source_slug,
                        "start_offset": row.start_offset, "end_offset": row.end_offset,
                        "certainty": row.certainty, "kind": row.kind,
                        "date": row.holds_from, "until": row.holds_until,
                        "about": about, "asserted_by": asserted, "fact": row.fact_slug,
                        "quantity": row.quantity_value.map(|value| json!({ "value": value, "unit": row.quantity_unit })),
                        "note": row.note, "permalink": permalink,
                    }),
                );
            }
            (rows.len(), rows.last().map(|r| r.slug.clone()))
        }
        Table::Sources => {
            let mut select = source::Entity::find();
            if let Some(after) = &after {
                select = select.filter(source::Column::Slug.gt(after.as_str()));
            }
            // A source's text can be long, so sources are read a few at a time.
            let rows = select
                .order_by_asc(source::Column::Slug)
                .limit(CHUNK_ROWS)
                .all(db)
                .await?;
            let slugs: Vec<String> = rows.iter().map(|r| r.slug.clone()).collect();
            let authors = queries::source_actors(db, "author", &slugs).await?;
            let publishers = queries::source_actors(db, "publisher", &slugs).await?;
            for row in &rows {
                let id = ids::of(&row.id).0;
                let by = authors.get(&row.slug).cloned().unwrap_or_default();
                let permalink = public.source(&row.slug);
                write(
                    vec![
                        id.clone(),
                        row.slug.clone(),
                        row.title.clone(),
                        row.kind.to_string(),
                        row.language.clone(),
                        row.published.clone(),
                        list(&by),
                        text(&row.url),
                        row.sha256.clone(),
                        permalink.clone(),
                    ],
                    json!({
                        "type": "source", "id": id, "slug": row.slug, "title": row.title,
                        "kind": row.kind, "language": row.language, "published": row.published,
                        "authors": by, "publisher": publishers.get(&row.slug).and_then(|p| p.first()),
                        "url": row.url, "sha256": row.sha256, "text": row.text,
                        "permalink": permalink,
                    }),
                );
            }
            (rows.len(), rows.last().map(|r| r.slug.clone()))
        }
        Table::Relations => {
            let mut select = relation::Entity::find();
            if let Some(after) = &after {
                select = select.filter(relation::Column::Key.gt(after.as_str()));
            }
            let rows = select
                .order_by_asc(relation::Column::Key)
                .limit(CHUNK_ROWS)
                .all(db)
                .await?;
            let keys: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
            let evidence = queries::evidence(db, &keys).await?;
            for row in &rows {
                let id = ids::of(&row.id).0;
                let claims = evidence.get(&row.key).cloned().unwrap_or_default();
                let claim_slugs: Vec<String> = claims.iter().map(|c| c.slug.clone()).collect();
                let mut sources: Vec<&str> =
                    claims.iter().map(|c| c.source_slug.as_str()).collect();
                sources.sort_unstable();
                sources.dedup();
                write(
                    vec![
                        id.clone(),
                        row.key.clone(),
                        row.subject_slug.clone(),
                        row.relation_type.to_string(),
                        row.object_slug.clone(),
                        text(&row.description),
                        text(&row.starts_on),
                        text(&row.ends_on),
                        list(&claim_slugs),
                        sources.len().to_string(),
                    ],
                    json!({
                        "type": "relation", "id": id, "key": row.key,
                        "subject": row.subject_slug, "relation_type": row.relation_type,
                        "object": row.object_slug, "description": row.description,
                        "start": row.starts_on, "end": row.ends_on, "evidence": claim_slugs,
                    }),
                );
            }
            (rows.len(), rows.last().map(|r| r.key.clone()))
        }
        Table::Facts => {
            let mut select = fact::Entity::find();
            if let Some(after) = &after {
                select = select.filter(fact::Column::Slug.gt(after.as_str()));
            }
            let rows = select
                .order_by_asc(fact::Column::Slug)
                .limit(CHUNK_ROWS)
                .all(db)
                .await?;
            let slugs: Vec<String> = rows.iter().map(|r| r.slug.clone()).collect();
            let claims: HashMap<String, Vec<claim::Model>> =
                queries::claims_of_facts(db, &slugs).await?;
            for row in &rows {
                let id = ids::of(&row.id).0;
                let stating: Vec<&str> = claims
                    .get(&row.slug)
                    .map(|c| c.iter().map(|c| c.slug.as_str()).collect())
                    .unwrap_or_default();
                write(
                    vec![id.clone(), row.slug.clone(), row.statement.clone()],
                    json!({
                        "type": "fact", "id": id, "slug": row.slug,
                        "statement": row.statement, "claims": stating,
                    }),
                );
            }
            (rows.len(), rows.last().map(|r| r.slug.clone()))
        }
    };
    if format == Format::Csv {
        out = csv.into_inner().unwrap_or_default();
    }
    Ok((Bytes::from(out), rows as u64, last))
}
