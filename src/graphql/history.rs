//! History in the API: every record's revisions, former slugs and retraction, the change feed
//! a partner walks to stay in sync, the corrections log, and the dataset's versions.
//!
//! The feed is the revision table in order (see [`crate::store::history`]). A change carries
//! the record's state after it (`snapshot`, JSON as the API describes the record, references
//! by global ID), so a partner applying the changes in order from any cursor reaches exactly
//! the current dataset without asking for anything else; `node` resolves the record as it is
//! now, for convenience.

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use super::{
    connection::Connection,
    error::ApiError,
    ids,
    loaders::{FormerSlugsOf, RecordById},
    types::{JsonValue, Node, Timestamp, database, loaders},
};
use crate::store::{
    entities::{dataset_version, record, revision},
    history,
};

/// The most items a history page holds.
pub const MAX_PAGE: i32 = 100;
/// The items a history page holds when `first` is not given.
pub const DEFAULT_PAGE: i32 = 20;

fn page_size(first: Option<i32>) -> Result<u64, ApiError> {
    match first.unwrap_or(DEFAULT_PAGE) {
        n if (0..=MAX_PAGE).contains(&n) => Ok(n as u64),
        _ => Err(ApiError::InvalidArgument(format!(
            "`first` must be between 0 and {MAX_PAGE}"
        ))),
    }
}

fn cursor(kind: &str, position: i32) -> String {
    URL_SAFE_NO_PAD.encode(format!("{kind}:{position}"))
}

pub(crate) fn position(kind: &str, cursor: Option<&str>) -> Result<i32, ApiError> {
    let Some(text) = cursor else { return Ok(0) };
    let invalid = || ApiError::InvalidArgument("`after` is not a cursor of this list".to_owned());
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (prefix, number) = text.split_once(':').ok_or_else(invalid)?;
    if prefix != kind {
        return Err(invalid());
    }
    number.parse().map_err(|_| invalid())
}

/// The record an identity names, through the request's loader.
async fn record_of(ctx: &Context<'_>, identity: &str) -> Result<Option<record::Model>, ApiError> {
    loaders(ctx)?
        .load_one(RecordById(identity.to_owned()))
        .await
}

/// `revision`: the number of the record's latest revision.
pub(crate) async fn revision_number(ctx: &Context<'_>, identity: &str) -> Result<i32, ApiError> {
    Ok(record_of(ctx, identity).await?.map_or(0, |r| r.revision))
}

/// `formerSlugs`: the slugs the record had before, in slug order.
pub(crate) async fn former_slugs(
    ctx: &Context<'_>,
    identity: &str,
    first: i32,
) -> Result<Vec<String>, ApiError> {
    let slugs = loaders(ctx)?
        .load_one(FormerSlugsOf(identity.to_owned()))
        .await?
        .unwrap_or_default();
    super::args::first_of(slugs, first, "formerSlugs")
}

/// `retraction`: when and why the record was retracted, or null while it is live.
pub(crate) async fn retraction(
    ctx: &Context<'_>,
    identity: &str,
) -> Result<Option<Retraction>, ApiError> {
    let Some(record) = record_of(ctx, identity).await? else {
        return Ok(None);
    };
    let Some(version) = record.retracted_version else {
        return Ok(None);
    };
    let at = history::version(database(ctx).await?, version)
        .await?
        .map(|v| Timestamp(v.loaded_at))
        .ok_or_else(|| ApiError::Internal(format!("dataset version {version} is missing")))?;
    Ok(Some(Retraction {
        version,
        at,
        reason: record.retraction_reason.unwrap_or_default(),
    }))
}

/// `revisions`: one page of the record's revisions, oldest first.
pub(crate) async fn revisions(
    ctx: &Context<'_>,
    identity: &str,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Connection<Revision>, ApiError> {
    let size = page_size(first)?;
    let after = position("revision", after.as_deref())?;
    let db = database(ctx).await?;
    let mut rows = history::revisions_of(db, identity, after, size + 1).await?;
    let more = rows.len() as u64 > size;
    rows.truncate(size as usize);
    let total = record_of(ctx, identity).await?.map_or(0, |r| r.revision);
    Ok(Connection::new(
        rows.into_iter()
            .map(|r| (cursor("revision", r.number), Revision(r)))
            .collect(),
        after > 0,
        more,
        Some(u64::try_from(total).unwrap_or_default()),
    ))
}

/// When and why a record was retracted.
#[derive(SimpleObject)]
pub struct Retraction {
    /// The dataset version that retracted it.
    version: i32,
    /// When that version was made.
    at: Timestamp,
    /// Why: the changelog's reason, or "removed from the dataset files".
    reason: String,
}

/// What a change did to its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum Operation {
    /// The record was added, changed or restored: `snapshot` is its new state.
    Upsert,
    /// The record was retracted: it leaves every list; `snapshot` is its last state.
    Retract,
}

/// One field a revision changed.
#[derive(SimpleObject)]
pub struct FieldChange {
    /// The field, as the record's `snapshot` names it: `slug`, `statement`, `about`…
    field: String,
    /// Its value before the change (null for a new record).
    before: JsonValue,
    /// Its value after the change.
    after: JsonValue,
}

fn field_changes(text: &str) -> Vec<FieldChange> {
    let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    value
        .as_array()
        .into_iter()
        .flatten()
        .map(|change| FieldChange {
            field: change["field"].as_str().unwrap_or_default().to_owned(),
            before: JsonValue(change["before"].clone()),
            after: JsonValue(change["after"].clone()),
        })
        .collect()
}

/// One change to one record: its number in the record's history, the dataset version it
/// belongs to, when, who, why, and what changed.
pub struct Revision(pub revision::Model);

/// One change to one record: its number in the record's history, the dataset version it
/// belongs to, when, who, why, and what changed.
#[Object]
impl Revision {
    /// 1 for the record's first revision, then 2, 3…
    async fn number(&self) -> i32 {
        self.0.number
    }

    /// The dataset version the change belongs to.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the change was made.
    async fn at(&self) -> Timestamp {
        Timestamp(self.0.at)
    }

    /// Who made it: `dataset files <digest>` for an import of the dataset files.
    async fn author(&self) -> &str {
        &self.0.author
    }

    /// Why, as the changelog says; null when the change gives no reason.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// Whether the change corrects an error.
    async fn correction(&self) -> bool {
        self.0.correction
    }

    /// Whether the change added, changed or restored the record, or retracted it.
    async fn operation(&self) -> Operation {
        operation(&self.0)
    }

    /// The fields it changed, before and after.
    async fn changes(&self) -> Vec<FieldChange> {
        field_changes(&self.0.changes)
    }

    /// The record after the change, as JSON, with references to other records by global ID.
    async fn snapshot(&self) -> JsonValue {
        JsonValue(serde_json::from_str(&self.0.snapshot).unwrap_or_default())
    }
}

fn operation(revision: &revision::Model) -> Operation {
    if revision.operation == "RETRACT" {
        Operation::Retract
    } else {
        Operation::Upsert
    }
}

/// One entry of the change feed: a revision, with the record it changed.
pub struct Change(pub revision::Model);

/// One entry of the change feed: a revision, with the record it changed.
#[Object]
impl Change {
    /// The change's place in the feed: increasing, without gaps in what a cursor walks.
    async fn position(&self) -> i32 {
        self.0.id
    }

    /// The dataset version the change belongs to.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the change was made.
    async fn at(&self) -> Timestamp {
        Timestamp(self.0.at)
    }

    /// `UPSERT` (added, changed or restored) or `RETRACT`.
    async fn operation(&self) -> Operation {
        operation(&self.0)
    }

    /// The global ID of the record changed.
    async fn id(&self) -> ID {
        ids::of(&self.0.record_id)
    }

    /// The GraphQL type of the record after the change: `Claim`, `Actor`, `Relation`…
    async fn record_type(&self) -> &str {
        &self.0.node_type
    }

    /// The record's slug (a relation's key) after the change.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The record's revision number this change made.
    async fn revision(&self) -> i32 {
        self.0.number
    }

    /// The record as it is now (a retracted record resolves too, with its `retraction`).
    async fn node(&self, ctx: &Context<'_>) -> Result<Option<Node>, ApiError> {
        let (node, key) = ids::decode(&ids::of(&self.0.record_id))?;
        super::node::load_node(ctx, node, key).await
    }

    /// Why, as the changelog says; null when the change gives no reason.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }

    /// Whether the change corrects an error.
    async fn correction(&self) -> bool {
        self.0.correction
    }

    /// The fields it changed, before and after.
    async fn changes(&self) -> Vec<FieldChange> {
        field_changes(&self.0.changes)
    }

    /// The record after the change, as JSON, as the API describes it, with references to
    /// other records by global ID: what a partner stores for this ID.
    async fn snapshot(&self) -> JsonValue {
        JsonValue(serde_json::from_str(&self.0.snapshot).unwrap_or_default())
    }
}

/// A version of the dataset: what one import changed.
pub struct DatasetVersion(pub dataset_version::Model);

/// A version of the dataset: what one import changed.
#[Object]
impl DatasetVersion {
    /// The version number: 1, 2, 3…
    async fn version(&self) -> i32 {
        self.0.id
    }

    /// A digest of the dataset files the version was imported from.
    async fn digest(&self) -> &str {
        &self.0.digest
    }

    /// When the version was made.
    async fn at(&self) -> Timestamp {
        Timestamp(self.0.loaded_at)
    }

    /// How many changes (revisions) it made.
    async fn change_count(&self, ctx: &Context<'_>) -> Result<u64, ApiError> {
        Ok(history::change_count(database(ctx).await?, self.0.id).await?)
    }
}

/// One page of the dataset's versions, oldest first.
pub(crate) async fn versions(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Connection<DatasetVersion>, ApiError> {
    let size = page_size(first)?;
    let after = position("version", after.as_deref())?;
    let db = database(ctx).await?;
    let mut rows = history::versions(db, after, size + 1).await?;
    let more = rows.len() as u64 > size;
    rows.truncate(size as usize);
    let total = if ctx.look_ahead().field("totalCount").exists() {
        Some(history::version_total(db).await?)
    } else {
        None
    };
    Ok(Connection::new(
        rows.into_iter()
            .map(|v| (cursor("version", v.id), DatasetVersion(v)))
            .collect(),
        after > 0,
        more,
        total,
    ))
}

const TYPES: [&str; 9] = [
    "Source",
    "Actor",
    "Law",
    "Measure",
    "Event",
    "Recommendation",
    "Fact",
    "Claim",
    "Relation",
];

/// Refuses a `kinds` argument that names anything but a record type.
pub(crate) fn check_kinds(kinds: Option<&[String]>) -> Result<(), ApiError> {
    if let Some(kinds) = kinds
        && let Some(unknown) = kinds.iter().find(|k| !TYPES.contains(&k.as_str()))
    {
        return Err(ApiError::InvalidArgument(format!(
            "`kinds` takes record types ({}), not {unknown:?}",
            TYPES.join(", ")
        )));
    }
    Ok(())
}

async fn feed(
    ctx: &Context<'_>,
    after: Option<String>,
    first: Option<i32>,
    kinds: Option<Vec<String>>,
    corrections_only: bool,
) -> Result<Connection<Change>, ApiError> {
    let size = page_size(first)?;
    let after = position("change", after.as_deref())?;
    check_kinds(kinds.as_deref())?;
    let db = database(ctx).await?;
    let mut rows =
        history::changes(db, after, size + 1, kinds.as_deref(), corrections_only).await?;
    let more = rows.len() as u64 > size;
    rows.truncate(size as usize);
    let total = if ctx.look_ahead().field("totalCount").exists() {
        Some(history::change_total(db, kinds.as_deref(), corrections_only).await?)
    } else {
        None
    };
    Ok(Connection::new(
        rows.into_iter()
            .map(|r| (cursor("change", r.id), Change(r)))
            .collect(),
        after > 0,
        more,
        total,
    ))
}

/// The history's query fields.
#[derive(Default)]
pub struct HistoryQuery;

#[Object]
impl HistoryQuery {
    /// The change feed: every change to every record, in the order they were made, from the
    /// first import on. Walk it from your last `endCursor` (or from the start, without
    /// `after`), applying each change's `snapshot` for its `id` (`RETRACT`: remove the ID),
    /// and you hold exactly the current dataset. At most 100 changes a page; `totalCount` counts
    /// every change of the feed with the same `kinds`, wherever the page starts.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The `endCursor` of the last page read; omit it to start from the beginning."
        )]
        after: Option<String>,
        #[graphql(desc = "How many changes (at most 100; 20 by default).")] first: Option<i32>,
        #[graphql(desc = "Only changes to records of these types: `Claim`, `Actor`, `Relation`…")]
        kinds: Option<Vec<String>>,
    ) -> Result<Connection<Change>, ApiError> {
        feed(ctx, after, first, kinds, false).await
    }

    /// The corrections log: the changes that corrected an error, oldest first, each with its
    /// reason and the fields before and after.
    async fn corrections(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The `endCursor` of the last page read.")] after: Option<String>,
        #[graphql(desc = "How many corrections (at most 100; 20 by default).")] first: Option<i32>,
    ) -> Result<Connection<Change>, ApiError> {
        feed(ctx, after, first, None, true).await
    }
}
