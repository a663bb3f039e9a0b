//! Bulk exports: CSV and JSON per kind of record, and the whole dataset as NDJSON, for
//! journalists' spreadsheets and partners' pipelines.
//!
//! An export is a stream of chunks. Each chunk is one page of one table, read by keyset (rows
//! after the last slug written), with the page's links looked up in a few batched queries; so
//! an export holds one page in memory however large the table grows, and the HTTP server and
//! `nkhr export` share the same code.
//!
//! An exported record says everything the API says about it, under the API's field names in
//! `snake_case` (`relationType` is `relation_type`, `deathPenalty` is `death_penalty`), with
//! enum values spelled as GraphQL spells them (`GOVERNMENT_BODY`). Every format writes a record
//! from the same list of columns, so a CSV header and an NDJSON line name the same things. A
//! CSV cell that holds a list or an object holds it as JSON (`["a","b"]`): joining with a
//! separator was ambiguous as soon as a value contained it.

use std::collections::{BTreeSet, HashMap};

use bytes::Bytes;
use futures_util::{Stream, StreamExt, stream, stream::BoxStream};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::{Map, Value, json};

use crate::{
    citation::{CitedSource, PublicUrl},
    domain::{Certainty, ClaimKind, EntityKind, FactStance, PartialDate, PenaltyKind},
    graphql::ids,
    store::{entities::*, history, queries},
};

/// How many rows one chunk of an export holds.
pub const CHUNK_ROWS: u64 = 200;

/// The byte order mark `?bom=1` starts a CSV with, so that Excel reads it as UTF-8.
pub const BOM: &str = "\u{feff}";

/// What an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportKind {
    /// Actors.
    Actors,
    /// Laws, with their provisions and penalties.
    Laws,
    /// Measures.
    Measures,
    /// Events.
    Events,
    /// Recommendations.
    Recommendations,
    /// Claims with their quote, source, offsets, certainty, dates, citation and permalink.
    Claims,
    /// Sources.
    Sources,
    /// Relations with their evidence.
    Relations,
    /// Facts with the claims that state them.
    Facts,
    /// The whole dataset as NDJSON: a first line on the dataset version, then one JSON
    /// object per line, each with its `type`.
    Dataset,
}

impl ExportKind {
    /// Every kind, in the order the index lists them.
    pub const ALL: [ExportKind; 10] = [
        ExportKind::Actors,
        ExportKind::Laws,
        ExportKind::Measures,
        ExportKind::Events,
        ExportKind::Recommendations,
        ExportKind::Claims,
        ExportKind::Sources,
        ExportKind::Relations,
        ExportKind::Facts,
        ExportKind::Dataset,
    ];

    /// The file name without its extension: `claims`.
    pub fn stem(self) -> &'static str {
        match self {
            ExportKind::Actors => "actors",
            ExportKind::Laws => "laws",
            ExportKind::Measures => "measures",
            ExportKind::Events => "events",
            ExportKind::Recommendations => "recommendations",
            ExportKind::Claims => "claims",
            ExportKind::Sources => "sources",
            ExportKind::Relations => "relations",
            ExportKind::Facts => "facts",
            ExportKind::Dataset => "dataset",
        }
    }

    /// The format an export of this kind is written in unless another is asked for.
    pub fn default_format(self) -> ExportFormat {
        match self {
            ExportKind::Dataset => ExportFormat::Ndjson,
            _ => ExportFormat::Csv,
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

    fn tables(self) -> Vec<Table> {
        match self {
            ExportKind::Claims => vec![Table::Claims],
            ExportKind::Sources => vec![Table::Sources],
            ExportKind::Relations => vec![Table::Relations],
            ExportKind::Facts => vec![Table::Facts],
            ExportKind::Dataset => vec![
                Table::Sources,
                Table::Entities(None),
                Table::Facts,
                Table::Claims,
                Table::Relations,
            ],
            entities => vec![Table::Entities(entities.entity_kind())],
        }
    }
}

/// How an export is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values with a header row; lists and objects in a cell as JSON.
    Csv,
    /// One JSON array of the records.
    Json,
    /// One JSON object per line (the whole dataset only).
    Ndjson,
}

impl ExportFormat {
    fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
            ExportFormat::Ndjson => "ndjson",
        }
    }
}

/// One file of the exports: which records, in which format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportFile {
    pub kind: ExportKind,
    pub format: ExportFormat,
}

impl ExportFile {
    /// The export of `kind` in `format`, if there is one: the whole dataset is NDJSON only,
    /// every other kind is CSV or JSON.
    pub fn new(kind: ExportKind, format: ExportFormat) -> Option<Self> {
        let offered = match kind {
            ExportKind::Dataset => format == ExportFormat::Ndjson,
            _ => format != ExportFormat::Ndjson,
        };
        offered.then_some(Self { kind, format })
    }

    /// Every file, in the order the index lists them.
    pub fn all() -> Vec<Self> {
        ExportKind::ALL
            .into_iter()
            .flat_map(|kind| {
                [ExportFormat::Csv, ExportFormat::Json, ExportFormat::Ndjson]
                    .into_iter()
                    .filter_map(move |format| Self::new(kind, format))
            })
            .collect()
    }

    /// The file name the export is offered as: `claims.csv`, `actors.json`, `dataset.ndjson`.
    pub fn file_name(self) -> String {
        format!("{}.{}", self.kind.stem(), self.format.extension())
    }

    /// The export whose file name is `name`.
    pub fn from_file_name(name: &str) -> Option<Self> {
        Self::all()
            .into_iter()
            .find(|file| file.file_name() == name)
    }

    /// The media type of the export.
    pub fn content_type(self) -> &'static str {
        match self.format {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Json => "application/json",
            ExportFormat::Ndjson => "application/x-ndjson",
        }
    }

    /// The query-string parameters the export takes.
    pub fn parameters(self) -> &'static [&'static str] {
        match (self.kind, self.format) {
            (ExportKind::Claims, ExportFormat::Csv) => &[
                "source",
                "about",
                "assertedBy",
                "certainties",
                "kinds",
                "fact",
                "from",
                "to",
                "bom",
            ],
            (ExportKind::Claims, _) => &[
                "source",
                "about",
                "assertedBy",
                "certainties",
                "kinds",
                "fact",
                "from",
                "to",
            ],
            (_, ExportFormat::Csv) => &["bom"],
            (ExportKind::Dataset, _) => &["version"],
            _ => &[],
        }
    }

    /// Reads the query string `pairs` of a request for this export.
    pub fn options(self, pairs: &[(String, String)]) -> Result<ExportRequest, ParameterError> {
        let accepted = self.parameters();
        let mut request = ExportRequest::default();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for (name, value) in pairs {
            let Some(&name) = accepted.iter().find(|accepted| *accepted == name) else {
                return Err(ParameterError::Unknown {
                    name: name.clone(),
                    file: self.file_name(),
                    accepted,
                });
            };
            if value.contains('\0') {
                return Err(ParameterError::Invalid(format!(
                    "`{name}` holds a NUL character"
                )));
            }
            let repeatable = matches!(name, "certainties" | "kinds");
            if !seen.insert(name) && !repeatable {
                return Err(ParameterError::Invalid(format!(
                    "`{name}` is given more than once; give it once"
                )));
            }
            let filter = &mut request.claims;
            match name {
                "source" => filter.source = Some(value.clone()),
                "about" => filter.about = Some(value.clone()),
                "assertedBy" => filter.asserted_by = Some(value.clone()),
                "fact" => filter.fact = Some(value.clone()),
                "certainties" => {
                    filter
                        .certainties
                        .extend(enum_values(name, value, Certainty::ALL)?)
                }
                "kinds" => filter
                    .kinds
                    .extend(enum_values(name, value, ClaimKind::ALL)?),
                "from" => filter.dates.from = Some(date(name, value)?),
                "to" => filter.dates.to = Some(date(name, value)?),
                "version" => {
                    request.version = Some(
                        value
                            .parse::<i32>()
                            .ok()
                            .filter(|v| *v > 0)
                            .ok_or_else(|| {
                                ParameterError::Invalid(format!(
                                    "`version` is a dataset version number (1, 2, …), not `{value}`"
                                ))
                            })?,
                    )
                }
                "bom" => {
                    request.bom = match value.as_str() {
                        "1" => true,
                        "0" => false,
                        _ => {
                            return Err(ParameterError::Invalid(format!(
                                "`bom` is 1 or 0, not `{value}`"
                            )));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(request)
    }
}

/// A query-string parameter an export does not take, or a value it cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParameterError {
    /// The export takes no parameter of this name.
    #[error("{file} takes no parameter `{name}`; it takes: {}", if accepted.is_empty() { "none".to_owned() } else { accepted.join(", ") })]
    Unknown {
        name: String,
        file: String,
        accepted: &'static [&'static str],
    },
    /// The value does not fit the parameter.
    #[error("{0}")]
    Invalid(String),
}

/// The values of a comma-separated enum parameter, in GraphQL's spelling (any case).
fn enum_values<T>(name: &str, value: &str, all: &[T]) -> Result<Vec<T>, ParameterError>
where
    T: async_graphql::InputType + Copy,
{
    value
        .split(',')
        .map(|one| {
            let one = one.trim();
            all.iter()
                .copied()
                .find(|candidate| graphql_name(candidate).eq_ignore_ascii_case(one))
                .ok_or_else(|| {
                    ParameterError::Invalid(format!(
                        "`{name}` takes {}; `{one}` is not one of them",
                        all.iter().map(graphql_name).collect::<Vec<_>>().join(", ")
                    ))
                })
        })
        .collect()
}

fn date(name: &str, value: &str) -> Result<PartialDate, ParameterError> {
    value.parse().map_err(|error: crate::domain::InvalidDate| {
        ParameterError::Invalid(format!("`{name}`: {error}"))
    })
}

/// What a request asks of an export besides its file.
#[derive(Debug, Clone, Default)]
pub struct ExportRequest {
    /// Which claims a claims export holds; the other exports ignore it.
    pub claims: queries::ClaimFilter,
    /// Whether a CSV starts with a byte order mark.
    pub bom: bool,
    /// The earlier dataset version the NDJSON export is to hold instead of the current one.
    pub version: Option<i32>,
}

/// An enum value as GraphQL spells it: `GOVERNMENT_BODY`.
pub fn graphql_name<T: async_graphql::InputType>(value: &T) -> String {
    match value.to_value() {
        async_graphql::Value::Enum(name) => name.to_string(),
        other => other.to_string(),
    }
}

fn enum_value<T: async_graphql::InputType>(value: &T) -> Value {
    Value::String(graphql_name(value))
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

impl Table {
    /// The columns of a CSV of this table, in order.
    fn csv_columns(self) -> Vec<&'static str> {
        let mut columns = match self {
            Table::Entities(Some(kind)) => entity_columns(kind),
            Table::Entities(None) => Vec::new(),
            Table::Claims => CLAIM_COLUMNS.to_vec(),
            Table::Sources => SOURCE_COLUMNS.to_vec(),
            Table::Relations => RELATION_COLUMNS.to_vec(),
            Table::Facts => FACT_COLUMNS.to_vec(),
        };
        columns.retain(|column| !NOT_IN_CSV.contains(column));
        columns
    }
}

/// Columns left out of CSV: a source's full text is longer than a spreadsheet cell holds
/// (Excel: 32,767 characters). The JSON and NDJSON exports carry it.
const NOT_IN_CSV: &[&str] = &["text"];

const ENTITY_COLUMNS: &[&str] = &[
    "id",
    "slug",
    "kind",
    "name",
    "aliases",
    "description",
    "description_basis",
    "revision",
    "former_slugs",
];

/// The columns of an entity of `kind`: what every entity has, then what its kind has.
fn entity_columns(kind: EntityKind) -> Vec<&'static str> {
    let own: &[&str] = match kind {
        EntityKind::Actor => &["actor_kind"],
        EntityKind::Law => &[
            "jurisdiction",
            "enacted",
            "enacted_precision",
            "enacted_edtf",
            "provisions",
            "penalties",
            "death_penalty",
        ],
        EntityKind::Measure => &[
            "status",
            "start",
            "start_precision",
            "start_edtf",
            "end",
            "end_precision",
            "end_edtf",
            "as_of",
            "as_of_precision",
            "as_of_edtf",
        ],
        EntityKind::Event => &[
            "start",
            "start_precision",
            "start_edtf",
            "end",
            "end_precision",
            "end_edtf",
            "as_of",
            "as_of_precision",
            "as_of_edtf",
        ],
        EntityKind::Recommendation => &["source"],
    };
    ENTITY_COLUMNS.iter().chain(own).copied().collect()
}

const CLAIM_COLUMNS: &[&str] = &[
    "id",
    "slug",
    "revision",
    "former_slugs",
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
    "date_edtf",
    "until",
    "until_precision",
    "until_edtf",
    "about",
    "asserted_by",
    "attributed",
    "fact",
    "stance",
    "quantity_value",
    "quantity_unit",
    "note",
    "citation",
    "permalink",
];

const SOURCE_COLUMNS: &[&str] = &[
    "id",
    "slug",
    "revision",
    "former_slugs",
    "title",
    "kind",
    "language",
    "published",
    "published_precision",
    "published_edtf",
    "written_from",
    "written_from_precision",
    "written_from_edtf",
    "written_until",
    "written_until_precision",
    "written_until_edtf",
    "written_note",
    "authors",
    "publisher",
    "url",
    "sha256",
    "length",
    "citation",
    "permalink",
    "text",
];

const RELATION_COLUMNS: &[&str] = &[
    "id",
    "key",
    "revision",
    "former_slugs",
    "subject",
    "relation_type",
    "object",
    "description",
    "start",
    "start_precision",
    "start_edtf",
    "end",
    "end_precision",
    "end_edtf",
    "basis",
    "inference",
    "asserted_by",
    "certainty",
    "evidence",
    "sources",
    "source_count",
];

const FACT_COLUMNS: &[&str] = &[
    "id",
    "slug",
    "revision",
    "former_slugs",
    "statement",
    "claims",
    "contested",
    "sources",
    "source_count",
];

/// One exported record: its `type` in the NDJSON, its columns in order, and their values.
struct Record {
    type_name: &'static str,
    columns: Vec<&'static str>,
    values: Map<String, Value>,
}

impl Record {
    fn new(type_name: &'static str, columns: Vec<&'static str>) -> Self {
        Self {
            type_name,
            columns,
            values: Map::new(),
        }
    }

    fn set(&mut self, column: &'static str, value: impl Into<Value>) {
        debug_assert!(
            self.columns.contains(&column),
            "{column} is not a column of {}",
            self.type_name
        );
        self.values.insert(column.to_owned(), value.into());
    }

    /// The record as one JSON object: its `type`, then its columns in order.
    fn json(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(br#"{"type":"#);
        out.extend(json!(self.type_name).to_string().into_bytes());
        for column in &self.columns {
            out.push(b',');
            out.extend(json!(column).to_string().into_bytes());
            out.push(b':');
            let value = self.values.get(*column).unwrap_or(&Value::Null);
            out.extend(value.to_string().into_bytes());
        }
        out.push(b'}');
        out
    }

    /// The record's cells under `columns`: text as it is, lists and objects as JSON.
    fn cells(&self, columns: &[&'static str]) -> Vec<String> {
        columns
            .iter()
            .map(|column| match self.values.get(*column) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(text)) => text.clone(),
                Some(other) => other.to_string(),
            })
            .collect()
    }
}

/// A stored date as the exports write it: as the dataset writes it (`2020`, `1990s`,
/// `early 2020`, `1995~`), its precision in GraphQL's spelling, and its EDTF form (`199X`,
/// `2020-01/2020-04`), the columns `<name>`, `<name>_precision` and `<name>_edtf`.
fn dated(date: &Option<String>) -> (Value, Value, Value) {
    let parsed = date.as_deref().and_then(|d| d.parse::<PartialDate>().ok());
    let precision = parsed
        .map(|d| enum_value(&d.precision()))
        .unwrap_or(Value::Null);
    let edtf = parsed.map(|d| json!(d.edtf())).unwrap_or(Value::Null);
    (json!(date), precision, edtf)
}

/// Sets a date's three columns on `record`: its value, `_precision` and `_edtf`.
fn set_date(
    record: &mut Record,
    (name, precision_column, edtf_column): (&'static str, &'static str, &'static str),
    date: &Option<String>,
) {
    let (value, precision, edtf) = dated(date);
    record.set(name, value);
    record.set(precision_column, precision);
    record.set(edtf_column, edtf);
}

/// The dataset version an export is read at, for its first NDJSON line.
fn version_line(version: &Option<dataset_version::Model>) -> Vec<u8> {
    let line = match version {
        Some(version) => json!({
            "type": "dataset",
            "version": version.id,
            "digest": version.digest,
            "loaded_at": version.loaded_at.to_rfc3339(),
        }),
        None => json!({ "type": "dataset", "version": null, "digest": null, "loaded_at": null }),
    };
    let mut out = line.to_string().into_bytes();
    out.push(b'\n');
    out
}

/// Where an export is: which table, the key of the last row written, and what has gone out.
struct Position {
    tables: Vec<Table>,
    table: usize,
    after: Option<String>,
    started: bool,
    written: u64,
    finished: bool,
}

/// Everything an export stream needs besides its database.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The base URL of the permalinks.
    pub public: PublicUrl,
    /// What the request asked for.
    pub request: ExportRequest,
    /// The dataset version the export is read at, named on the first NDJSON line.
    pub version: Option<dataset_version::Model>,
}

/// The export `file`, as a stream of chunks of bytes.
pub fn stream(
    db: DatabaseConnection,
    file: ExportFile,
    options: ExportOptions,
) -> BoxStream<'static, Result<Bytes, DbErr>> {
    if file.kind == ExportKind::Dataset && options.request.version.is_some() {
        return as_it_was(db, options).boxed();
    }
    current(db, file, options).boxed()
}

/// `dataset.ndjson?version=N`: the version line of version `N` (`options.version`), then every
/// record live at `N` as its last revision up to `N` left it: the change feed's snapshot, with
/// the API's field names, `__typename` saying what the record is, and links by global ID.
/// Walking the change feed up to version `N` gives exactly these records.
fn as_it_was(
    db: DatabaseConnection,
    options: ExportOptions,
) -> impl Stream<Item = Result<Bytes, DbErr>> + Send + 'static {
    let version = options.version.as_ref().map_or(0, |v| v.id);
    let preamble = stream::once(async move { Ok(Bytes::from(version_line(&options.version))) });
    let records = stream::once(async move {
        let mut out = Vec::new();
        for revision in history::state_at(&db, version).await? {
            out.extend_from_slice(revision.snapshot.as_bytes());
            out.push(b'\n');
        }
        Ok(Bytes::from(out))
    });
    preamble.chain(records)
}

/// The export `file` at the current dataset version, page by page.
fn current(
    db: DatabaseConnection,
    file: ExportFile,
    options: ExportOptions,
) -> impl Stream<Item = Result<Bytes, DbErr>> + Send + 'static {
    let start = Position {
        tables: file.kind.tables(),
        table: 0,
        after: None,
        started: false,
        written: 0,
        finished: false,
    };
    stream::try_unfold(start, move |mut position| {
        let db = db.clone();
        let options = options.clone();
        async move {
            if position.finished {
                return Ok(None);
            }
            if !position.started {
                position.started = true;
                let preamble = match file.format {
                    ExportFormat::Csv => {
                        let mut out = Vec::new();
                        if options.request.bom {
                            out.extend_from_slice(BOM.as_bytes());
                        }
                        let columns = position.tables[0].csv_columns();
                        out.extend_from_slice(&csv_line(&columns));
                        out
                    }
                    ExportFormat::Json => b"[".to_vec(),
                    ExportFormat::Ndjson => version_line(&options.version),
                };
                return Ok(Some((Bytes::from(preamble), position)));
            }
            let Some(&table) = position.tables.get(position.table) else {
                position.finished = true;
                let end: &'static [u8] = match file.format {
                    ExportFormat::Json => b"\n]\n",
                    _ => b"",
                };
                return Ok(Some((Bytes::from_static(end), position)));
            };
            let (records, last) = page(&db, table, position.after.take(), &options).await?;
            if (records.len() as u64) < CHUNK_ROWS {
                position.table += 1;
                position.after = None;
            } else {
                position.after = last;
            }
            let mut out: Vec<u8> = Vec::new();
            match file.format {
                ExportFormat::Csv => {
                    let columns = table.csv_columns();
                    let mut writer = csv::Writer::from_writer(Vec::new());
                    for record in &records {
                        // Writing to memory cannot fail.
                        let _ = writer.write_record(record.cells(&columns));
                    }
                    out = writer.into_inner().unwrap_or_default();
                }
                ExportFormat::Json => {
                    for record in &records {
                        out.extend_from_slice(if position.written == 0 { b"\n" } else { b",\n" });
                        out.extend(record.json());
                        position.written += 1;
                    }
                }
                ExportFormat::Ndjson => {
                    for record in &records {
                        out.extend(record.json());
                        out.push(b'\n');
                    }
                }
            }
            Ok(Some((Bytes::from(out), position)))
        }
    })
}

fn csv_line<S: AsRef<[u8]>>(fields: impl IntoIterator<Item = S>) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(fields);
    writer.into_inner().unwrap_or_default()
}

/// The revision number and former slugs of each of `ids`, as the API gives them.
async fn histories(
    db: &DatabaseConnection,
    ids: &[String],
) -> Result<(HashMap<String, i32>, HashMap<String, Vec<String>>), DbErr> {
    let revisions = history::records_by_id(db, ids)
        .await?
        .into_iter()
        .map(|(id, record)| (id, record.revision))
        .collect();
    let former = history::former_slugs_by_record(db, ids).await?;
    Ok((revisions, former))
}

fn set_history(
    record: &mut Record,
    id: &str,
    revisions: &HashMap<String, i32>,
    former: &HashMap<String, Vec<String>>,
) {
    record.set("id", ids::of(id).0);
    record.set("revision", revisions.get(id).copied().unwrap_or(0));
    record.set(
        "former_slugs",
        json!(former.get(id).cloned().unwrap_or_default()),
    );
}

/// One page of `table` after the key `after`, and the last key read.
async fn page(
    db: &DatabaseConnection,
    table: Table,
    after: Option<String>,
    options: &ExportOptions,
) -> Result<(Vec<Record>, Option<String>), DbErr> {
    match table {
        Table::Entities(kind) => entities(db, kind, after).await,
        Table::Claims => claims(db, after, options).await,
        Table::Sources => sources(db, after, &options.public).await,
        Table::Relations => relations(db, after).await,
        Table::Facts => facts(db, after).await,
    }
}

async fn entities(
    db: &DatabaseConnection,
    kind: Option<EntityKind>,
    after: Option<String>,
) -> Result<(Vec<Record>, Option<String>), DbErr> {
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
    let identities: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let aliases = queries::aliases(db, &slugs).await?;
    let laws: Vec<String> = rows
        .iter()
        .filter(|r| r.kind == EntityKind::Law)
        .map(|r| r.slug.clone())
        .collect();
    let provisions = queries::provisions(db, &laws).await?;
    let penalties = queries::penalties(db, &laws).await?;
    let (revisions, former) = histories(db, &identities).await?;
    let mut records = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut record = Record::new("entity", entity_columns(row.kind));
        set_history(&mut record, &row.id, &revisions, &former);
        record.set("slug", row.slug.clone());
        record.set("kind", enum_value(&row.kind));
        record.set("name", row.name.clone());
        record.set(
            "aliases",
            json!(aliases.get(&row.slug).cloned().unwrap_or_default()),
        );
        record.set("description", row.description.clone());
        record.set("description_basis", enum_value(&row.description_basis));
        match row.kind {
            EntityKind::Actor => {
                record.set("actor_kind", row.actor_kind.as_ref().map(enum_value));
            }
            EntityKind::Law => {
                let provisions = provisions.get(&row.slug).cloned().unwrap_or_default();
                let penalties = penalties.get(&row.slug).cloned().unwrap_or_default();
                record.set("jurisdiction", json!(row.jurisdiction));
                set_date(
                    &mut record,
                    ("enacted", "enacted_precision", "enacted_edtf"),
                    &row.starts_on,
                );
                record.set(
                    "provisions",
                    Value::Array(
                        provisions
                            .iter()
                            .map(|p| {
                                json!({ "article": p.article, "summary": p.summary, "evidence": p.evidence_slug })
                            })
                            .collect(),
                    ),
                );
                record.set(
                    "penalties",
                    Value::Array(
                        penalties
                            .iter()
                            .map(|p| {
                                json!({ "kind": enum_value(&p.penalty), "applies_to": p.applies_to, "evidence": p.evidence_slug })
                            })
                            .collect(),
                    ),
                );
                record.set(
                    "death_penalty",
                    penalties.iter().any(|p| p.penalty == PenaltyKind::Death),
                );
            }
            EntityKind::Measure | EntityKind::Event => {
                if row.kind == EntityKind::Measure {
                    record.set("status", row.status.as_ref().map(enum_value));
                }
                set_date(
                    &mut record,
                    ("start", "start_precision", "start_edtf"),
                    &row.starts_on,
                );
                set_date(
                    &mut record,
                    ("end", "end_precision", "end_edtf"),
                    &row.ends_on,
                );
                set_date(
                    &mut record,
                    ("as_of", "as_of_precision", "as_of_edtf"),
                    &row.as_of,
                );
            }
            EntityKind::Recommendation => {
                record.set("source", json!(row.source_slug));
            }
        }
        records.push(record);
    }
    Ok((records, rows.last().map(|r| r.slug.clone())))
}

/// The actors `slugs` names, in order, skipping any that are missing.
fn actors_named<'a>(
    slugs: &[String],
    found: &'a HashMap<String, entity::Model>,
) -> Vec<&'a entity::Model> {
    slugs.iter().filter_map(|slug| found.get(slug)).collect()
}

async fn claims(
    db: &DatabaseConnection,
    after: Option<String>,
    options: &ExportOptions,
) -> Result<(Vec<Record>, Option<String>), DbErr> {
    let mut select = queries::claims(&options.request.claims);
    if let Some(after) = &after {
        select = select.filter(claim::Column::Slug.gt(after.as_str()));
    }
    let rows = select
        .order_by_asc(claim::Column::Slug)
        .limit(CHUNK_ROWS)
        .all(db)
        .await?;
    let slugs: Vec<String> = rows.iter().map(|r| r.slug.clone()).collect();
    let identities: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let about = queries::claim_subjects(db, &slugs).await?;
    let asserted = queries::claim_asserters(db, &slugs).await?;
    let mut source_slugs: Vec<String> = rows.iter().map(|r| r.source_slug.clone()).collect();
    source_slugs.sort_unstable();
    source_slugs.dedup();
    let sources = queries::sources_by_slug(db, &source_slugs).await?;
    let authors = queries::source_actors(db, "author", &source_slugs).await?;
    let publishers = queries::source_actors(db, "publisher", &source_slugs).await?;
    let mut actor_slugs: Vec<String> = authors
        .values()
        .chain(publishers.values())
        .chain(asserted.values())
        .flatten()
        .cloned()
        .collect();
    actor_slugs.sort_unstable();
    actor_slugs.dedup();
    let actors = queries::entities_by_slug(db, &actor_slugs).await?;
    let (revisions, former) = histories(db, &identities).await?;
    let mut records = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut record = Record::new("claim", CLAIM_COLUMNS.to_vec());
        set_history(&mut record, &row.id, &revisions, &former);
        let attributed = asserted.get(&row.slug).cloned().unwrap_or_default();
        let source_authors = authors.get(&row.source_slug).cloned().unwrap_or_default();
        // As the API says: whom the author attributes the claim to, or else the authors.
        let asserters = if attributed.is_empty() {
            source_authors.clone()
        } else {
            attributed.clone()
        };
        let source = sources.get(&row.source_slug);
        record.set("slug", row.slug.clone());
        record.set("statement", row.statement.clone());
        record.set("quote", row.quote.clone());
        record.set("source", row.source_slug.clone());
        record.set("source_title", json!(source.map(|s| s.title.clone())));
        record.set("start_offset", row.start_offset);
        record.set("end_offset", row.end_offset);
        record.set("certainty", enum_value(&row.certainty));
        record.set("kind", enum_value(&row.kind));
        set_date(
            &mut record,
            ("date", "date_precision", "date_edtf"),
            &row.holds_from,
        );
        set_date(
            &mut record,
            ("until", "until_precision", "until_edtf"),
            &row.holds_until,
        );
        record.set(
            "about",
            json!(about.get(&row.slug).cloned().unwrap_or_default()),
        );
        record.set("asserted_by", json!(asserters));
        record.set("attributed", !attributed.is_empty());
        record.set("fact", json!(row.fact_slug));
        // As the API says: a stance only for a claim linked to a fact.
        record.set(
            "stance",
            row.fact_slug
                .as_ref()
                .map_or(Value::Null, |_| enum_value(&row.stance)),
        );
        record.set("quantity_value", json!(row.quantity_value));
        record.set("quantity_unit", json!(row.quantity_unit));
        record.set("note", json!(row.note));
        if let Some(source) = source {
            let author_models: Vec<entity::Model> = actors_named(&source_authors, &actors)
                .into_iter()
                .cloned()
                .collect();
            let publisher = publishers
                .get(&row.source_slug)
                .and_then(|p| p.first())
                .and_then(|slug| actors.get(slug));
            let head = queries::SourceHead::from(source);
            let cite = CitedSource {
                source: &head,
                authors: &author_models,
                publisher,
            };
            record.set("citation", cite.claim_text(row, &options.public));
        }
        record.set("permalink", options.public.claim(&row.slug));
        records.push(record);
    }
    Ok((records, rows.last().map(|r| r.slug.clone())))
}

async fn sources(
    db: &DatabaseConnection,
    after: Option<String>,
    public: &PublicUrl,
) -> Result<(Vec<Record>, Option<String>), DbErr> {
    let mut select = source::Entity::find();
    if let Some(after) = &after {
        select = select.filter(source::Column::Slug.gt(after.as_str()));
    }
    let rows = select
        .order_by_asc(source::Column::Slug)
        .limit(CHUNK_ROWS)
        .all(db)
        .await?;
    let slugs: Vec<String> = rows.iter().map(|r| r.slug.clone()).collect();
    let identities: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let authors = queries::source_actors(db, "author", &slugs).await?;
    let publishers = queries::source_actors(db, "publisher", &slugs).await?;
    let mut actor_slugs: Vec<String> = authors
        .values()
        .chain(publishers.values())
        .flatten()
        .cloned()
        .collect();
    actor_slugs.sort_unstable();
    actor_slugs.dedup();
    let actors = queries::entities_by_slug(db, &actor_slugs).await?;
    let (revisions, former) = histories(db, &identities).await?;
    let mut records = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut record = Record::new("source", SOURCE_COLUMNS.to_vec());
        set_history(&mut record, &row.id, &revisions, &former);
        let by = authors.get(&row.slug).cloned().unwrap_or_default();
        let publisher = publishers.get(&row.slug).and_then(|p| p.first()).cloned();
        let author_models: Vec<entity::Model> =
            actors_named(&by, &actors).into_iter().cloned().collect();
        let head = queries::SourceHead::from(row);
        let cite = CitedSource {
            source: &head,
            authors: &author_models,
            publisher: publisher.as_ref().and_then(|slug| actors.get(slug)),
        };
        record.set("slug", row.slug.clone());
        record.set("title", row.title.clone());
        record.set("kind", enum_value(&row.kind));
        record.set("language", row.language.clone());
        set_date(
            &mut record,
            ("published", "published_precision", "published_edtf"),
            &Some(row.published.clone()),
        );
        set_date(
            &mut record,
            (
                "written_from",
                "written_from_precision",
                "written_from_edtf",
            ),
            &row.written_from,
        );
        set_date(
            &mut record,
            (
                "written_until",
                "written_until_precision",
                "written_until_edtf",
            ),
            &row.written_until,
        );
        record.set("written_note", json!(row.written_note));
        record.set("authors", json!(by));
        record.set("publisher", json!(publisher));
        record.set("url", json!(row.url));
        record.set("sha256", row.sha256.clone());
        record.set("length", row.text.chars().count());
        record.set("citation", cite.text());
        record.set("permalink", public.source(&row.slug));
        record.set("text", row.text.clone());
        records.push(record);
    }
    Ok((records, rows.last().map(|r| r.slug.clone())))
}

/// The distinct sources of `claims`, in the order their first claim comes (as `support`).
fn sources_of(claims: &[claim::Model]) -> Vec<String> {
    let mut sources: Vec<String> = Vec::new();
    for claim in claims {
        if !sources.contains(&claim.source_slug) {
            sources.push(claim.source_slug.clone());
        }
    }
    sources
}

async fn relations(
    db: &DatabaseConnection,
    after: Option<String>,
) -> Result<(Vec<Record>, Option<String>), DbErr> {
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
    let identities: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let evidence = queries::evidence(db, &keys).await?;
    let (revisions, former) = histories(db, &identities).await?;
    let mut records = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut record = Record::new("relation", RELATION_COLUMNS.to_vec());
        set_history(&mut record, &row.id, &revisions, &former);
        let claims = evidence.get(&row.key).cloned().unwrap_or_default();
        let claim_slugs: Vec<String> = claims.iter().map(|c| c.slug.clone()).collect();
        let sources = sources_of(&claims);
        record.set("key", row.key.clone());
        record.set("subject", row.subject_slug.clone());
        record.set("relation_type", enum_value(&row.relation_type));
        record.set("object", row.object_slug.clone());
        record.set("description", json!(row.description));
        set_date(
            &mut record,
            ("start", "start_precision", "start_edtf"),
            &row.starts_on,
        );
        set_date(
            &mut record,
            ("end", "end_precision", "end_edtf"),
            &row.ends_on,
        );
        record.set("basis", enum_value(&row.basis));
        record.set("inference", json!(row.inference));
        record.set("asserted_by", json!(row.asserted_by));
        // The firmest certainty among the evidence, as the API computes it.
        record.set(
            "certainty",
            claims
                .iter()
                .map(|c| c.certainty)
                .min()
                .as_ref()
                .map(enum_value),
        );
        record.set("evidence", json!(claim_slugs));
        record.set("source_count", sources.len());
        record.set("sources", json!(sources));
        records.push(record);
    }
    Ok((records, rows.last().map(|r| r.key.clone())))
}

async fn facts(
    db: &DatabaseConnection,
    after: Option<String>,
) -> Result<(Vec<Record>, Option<String>), DbErr> {
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
    let identities: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let claims: HashMap<String, Vec<claim::Model>> = queries::claims_of_facts(db, &slugs).await?;
    let (revisions, former) = histories(db, &identities).await?;
    let mut records = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut record = Record::new("fact", FACT_COLUMNS.to_vec());
        set_history(&mut record, &row.id, &revisions, &former);
        let linked = claims.get(&row.slug).cloned().unwrap_or_default();
        // The API lists a fact's sources in slug order, and counts only those that support it.
        let sources: BTreeSet<String> = linked
            .iter()
            .filter(|c| c.stance == FactStance::Supports)
            .map(|c| c.source_slug.clone())
            .collect();
        record.set("slug", row.slug.clone());
        record.set("statement", row.statement.clone());
        record.set(
            "claims",
            json!(linked.iter().map(|c| c.slug.as_str()).collect::<Vec<_>>()),
        );
        record.set(
            "contested",
            linked.iter().any(|c| c.stance == FactStance::Disputes),
        );
        record.set("source_count", sources.len());
        record.set("sources", json!(sources));
        records.push(record);
    }
    Ok((records, rows.last().map(|r| r.slug.clone())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_name_reads_back_as_its_file() {
        for file in ExportFile::all() {
            assert_eq!(ExportFile::from_file_name(&file.file_name()), Some(file));
        }
        assert_eq!(ExportFile::from_file_name("dataset.csv"), None);
        assert_eq!(ExportFile::from_file_name("claims.ndjson"), None);
    }

    #[test]
    fn enum_values_are_spelled_as_graphql_spells_them() {
        assert_eq!(
            graphql_name(&crate::domain::ActorKind::GovernmentBody),
            "GOVERNMENT_BODY"
        );
        assert_eq!(graphql_name(&Certainty::Stated), "STATED");
    }

    #[test]
    fn an_unknown_parameter_is_refused_with_the_ones_accepted() {
        let file = ExportFile::from_file_name("actors.csv").unwrap();
        let error = file.options(&[("source".into(), "x".into())]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "actors.csv takes no parameter `source`; it takes: bom"
        );
    }
}
