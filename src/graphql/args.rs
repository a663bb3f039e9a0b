//! The arguments many query fields share: dates, sort directions, lookups by ID or slug,
//! text filters and the Relay page arguments with their cost.

use async_graphql::{
    Context, Enum, ID, InputValueError, InputValueResult, Scalar, ScalarType, Value,
};

use super::{
    connection::PageArgs,
    error::ApiError,
    ids::{self, NodeType},
    types::database,
};
use crate::{
    domain::{EntityKind, PartialDate},
    store::queries::DateRange,
};

/// A date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precise as you mean it: `2020` means the
/// whole year. The dataset's other forms are taken too, each meaning all its days: a decade
/// (`1990s`), a part of a year or decade (`early 2020`, `late 1990s`) and an approximate date
/// (`1995~`, two years either side).
#[derive(Debug, Clone, Copy)]
pub struct IsoDate(pub PartialDate);

/// A date as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precise as you mean it: `2020` means the
/// whole year. The dataset's other forms are taken too, each meaning all its days: a decade
/// (`1990s`), a part of a year or decade (`early 2020`, `late 1990s`) and an approximate date
/// (`1995~`, two years either side).
#[Scalar(specified_by_url = "https://www.iso.org/iso-8601-date-and-time-format.html")]
impl ScalarType for IsoDate {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => {
                text.parse()
                    .map(IsoDate)
                    .map_err(|error: crate::domain::InvalidDate| {
                        InputValueError::custom(error.to_string())
                    })
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

pub(crate) fn range(from: Option<IsoDate>, to: Option<IsoDate>) -> DateRange {
    DateRange {
        from: from.map(|d| d.0),
        to: to.map(|d| d.0),
    }
}

/// Which way a list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Default)]
pub enum OrderDirection {
    /// Smallest first: A to Z, oldest first.
    #[default]
    Asc,
    /// Largest first: Z to A, newest first.
    Desc,
}

/// The current key of the record `id` or `slug` names; exactly one of them must be given.
/// An ID names a record by its identity, whatever its slug is now; a slug may be a former
/// one, which names the record that had it.
pub(crate) async fn lookup_key(
    ctx: &Context<'_>,
    id: Option<ID>,
    slug: Option<String>,
    node: NodeType,
) -> Result<String, ApiError> {
    let key = lookup(id.clone(), slug, |id| ids::decode_as(id, node))?;
    current_key(ctx, id.is_some(), node, key).await
}

/// The current slug an `id` or `slug` names for an entity of any kind; exactly one must be
/// given.
pub(crate) async fn entity_key(
    ctx: &Context<'_>,
    id: Option<ID>,
    slug: Option<String>,
) -> Result<String, ApiError> {
    let mut kind = None;
    let key = lookup(id.clone(), slug, |id| match ids::decode(id)? {
        (node @ NodeType::Entity(_), key) => {
            kind = Some(node);
            Ok(key)
        }
        _ => Err(ApiError::InvalidId(id.chars().take(100).collect())),
    })?;
    let node = kind.unwrap_or(NodeType::Entity(EntityKind::Actor));
    current_key(ctx, id.is_some(), node, key).await
}

/// The slug (or relation key) a record has now: from its identity when `by_id`, else from
/// a slug that may be a former one. Unknown keys are returned as they are, to find nothing.
async fn current_key(
    ctx: &Context<'_>,
    by_id: bool,
    node: NodeType,
    key: String,
) -> Result<String, ApiError> {
    let db = database(ctx).await?;
    let found = if by_id {
        crate::store::history::record(db, &format!("{}:{key}", node.name())).await?
    } else {
        let namespace = crate::store::identity::namespace_of_type(node.name()).unwrap_or("entity");
        crate::store::history::by_slug(db, namespace, &key).await?
    };
    Ok(found.map_or(key, |record| record.slug))
}

fn lookup(
    id: Option<ID>,
    slug: Option<String>,
    decode: impl FnOnce(&str) -> Result<String, ApiError>,
) -> Result<String, ApiError> {
    match (id, slug) {
        (Some(id), None) => decode(&id),
        (None, Some(slug)) => Ok(slug),
        _ => Err(ApiError::InvalidArgument(
            "give exactly one of `id` and `slug`".to_owned(),
        )),
    }
}

/// The longest text a name or text filter takes.
pub const MAX_FILTER_TEXT: usize = 200;

/// A name or text filter, checked: at most [`MAX_FILTER_TEXT`] characters.
pub(crate) fn filter_text(text: Option<String>, field: &str) -> Result<Option<String>, ApiError> {
    match text {
        Some(text) if text.chars().count() > MAX_FILTER_TEXT => Err(ApiError::InvalidArgument(
            format!("`{field}` takes at most {MAX_FILTER_TEXT} characters"),
        )),
        text => Ok(text),
    }
}

/// The Relay arguments, gathered.
pub(crate) fn page(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> PageArgs {
    PageArgs {
        first,
        after,
        last,
        before,
    }
}

/// The most items a list inside a record returns, whatever its `first` asks.
pub const MAX_NESTED_LIST: i32 = crate::store::page::MAX_PAGE_SIZE as i32;

/// The first `first` items of a list inside a record (a record's relations, a claim's
/// entities, …): such a list is not paged, so its `first` bounds what it returns and what it
/// costs (see [`super::cost`]). More than [`MAX_NESTED_LIST`] is `PAGE_SIZE_EXCEEDED`.
pub(crate) fn first_of<T>(mut items: Vec<T>, first: i32, field: &str) -> Result<Vec<T>, ApiError> {
    if first < 0 {
        return Err(ApiError::InvalidArgument(format!(
            "`first` of `{field}` must not be negative"
        )));
    }
    if first > MAX_NESTED_LIST {
        return Err(ApiError::PageSizeExceeded(format!(
            "`{field}` returns at most {MAX_NESTED_LIST} items; {first} were asked for"
        )));
    }
    items.truncate(first as usize);
    Ok(items)
}
