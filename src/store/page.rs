//! Cursor pagination over any sorted query, the Relay way.
//!
//! A page is fetched by keyset: the cursor of a row holds the row's sort values, ending with
//! its unique key, and the next page is "the rows after these values" in the same order.
//! Because the key breaks every tie, a page never skips or repeats a row, even among rows
//! that sort equal, and a page stays correct when rows are added or removed elsewhere.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
    sea_query::{Expr, ExprTrait, SimpleExpr},
};
use serde::{Deserialize, Serialize};

/// How many rows a page holds when the client does not say.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// The most rows a page may hold.
pub const MAX_PAGE_SIZE: u64 = 100;

/// Why a page cannot be fetched as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    #[error("`first` and `last` cannot be used together")]
    FirstAndLast,
    #[error("a page holds at most {MAX_PAGE_SIZE} items; {0} were asked for")]
    TooLarge(i64),
    #[error("a page size cannot be negative")]
    Negative,
    #[error("the cursor is not one this list gave out")]
    BadCursor,
}

/// One sort value of a row, as kept in its cursor. Values compare as both databases sort
/// them: numbers by value, text by code point (the text columns sort as `"C"` on PostgreSQL
/// and by bytes on SQLite, which is code-point order in UTF-8, as Rust's `String` compares).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SortValue {
    Int(i64),
    Text(String),
}

impl From<SortValue> for sea_orm::Value {
    fn from(value: SortValue) -> Self {
        match value {
            SortValue::Int(number) => number.into(),
            SortValue::Text(text) => text.into(),
        }
    }
}

/// An opaque position in a sorted list: which ordering it belongs to, and the row's sort values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    #[serde(rename = "o")]
    pub ordering: String,
    #[serde(rename = "v")]
    pub values: Vec<SortValue>,
}

impl Cursor {
    /// The cursor as the client sees it.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Reads a cursor a client sent back.
    pub fn decode(text: &str) -> Result<Self, PageError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|_| PageError::BadCursor)?;
        serde_json::from_slice(&bytes).map_err(|_| PageError::BadCursor)
    }
}

/// The type of one sort column, to check the values a cursor brings back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortType {
    Int,
    Text,
}

/// A total order over the rows of a query: sort expressions, the last of them unique.
pub struct Ordering<M> {
    /// Names the ordering inside cursors, so a cursor from one ordering is refused by another.
    pub name: String,
    pub columns: Vec<(SimpleExpr, SortType)>,
    pub descending: bool,
    /// The sort values of a row, matching `columns`.
    pub values: fn(&M) -> Vec<SortValue>,
}

/// What page a client asked for, already checked.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub first: Option<u64>,
    pub after: Option<Cursor>,
    pub last: Option<u64>,
    pub before: Option<Cursor>,
}

impl PageRequest {
    /// Checks the Relay arguments and decodes the cursors.
    pub fn new(
        first: Option<i32>,
        after: Option<&str>,
        last: Option<i32>,
        before: Option<&str>,
    ) -> Result<Self, PageError> {
        let size = |n: Option<i32>| -> Result<Option<u64>, PageError> {
            match n {
                None => Ok(None),
                Some(n) if n < 0 => Err(PageError::Negative),
                Some(n) if n as u64 > MAX_PAGE_SIZE => Err(PageError::TooLarge(i64::from(n))),
                Some(n) => Ok(Some(n as u64)),
            }
        };
        if first.is_some() && last.is_some() {
            return Err(PageError::FirstAndLast);
        }
        Ok(Self {
            first: size(first)?,
            after: after.map(Cursor::decode).transpose()?,
            last: size(last)?,
            before: before.map(Cursor::decode).transpose()?,
        })
    }
}

/// One page of rows, each with its cursor.
#[derive(Debug, Clone)]
pub struct Page<M> {
    pub rows: Vec<(Cursor, M)>,
    pub has_previous: bool,
    pub has_next: bool,
}

/// `(columns) > (values)` in lexicographic order, or `<` when `greater` is false.
fn beyond(columns: &[(SimpleExpr, SortType)], values: &[SortValue], greater: bool) -> SimpleExpr {
    let mut condition: Option<SimpleExpr> = None;
    for ((column, _), value) in columns.iter().zip(values).rev() {
        let value = Expr::val(sea_orm::Value::from(value.clone()));
        let strict = if greater {
            column.clone().gt(value.clone())
        } else {
            column.clone().lt(value.clone())
        };
        condition = Some(match condition {
            None => strict,
            Some(rest) => strict.or(column.clone().eq(value).and(rest)),
        });
    }
    condition.unwrap_or_else(|| Expr::val(true))
}

impl<M> Ordering<M> {
    fn check(&self, cursor: &Cursor) -> Result<(), PageError> {
        let types_match = cursor.values.len() == self.columns.len()
            && cursor
                .values
                .iter()
                .zip(&self.columns)
                .all(|(value, (_, kind))| {
                    matches!(
                        (value, kind),
                        (SortValue::Int(_), SortType::Int) | (SortValue::Text(_), SortType::Text)
                    )
                });
        if cursor.ordering == self.name && types_match {
            Ok(())
        } else {
            Err(PageError::BadCursor)
        }
    }

    fn cursor(&self, row: &M) -> Cursor {
        Cursor {
            ordering: self.name.clone(),
            values: (self.values)(row),
        }
    }
}

/// A failure to fetch a page: the request was wrong, or the database failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(transparent)]
    Page(#[from] PageError),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Fetches one page of `select` in `ordering`.
pub async fn fetch<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    ordering: &Ordering<E::Model>,
    request: &PageRequest,
) -> Result<Page<E::Model>, FetchError> {
    for cursor in request.after.iter().chain(&request.before) {
        ordering.check(cursor)?;
    }
    // Going backwards means reading the order reversed from `before`, then flipping the rows.
    let backwards = request.last.is_some();
    let size = request.last.or(request.first).unwrap_or(DEFAULT_PAGE_SIZE);
    let ascending = ordering.descending == backwards;

    let mut select = select;
    if let Some(after) = &request.after {
        select = select.filter(beyond(
            &ordering.columns,
            &after.values,
            !ordering.descending,
        ));
    }
    if let Some(before) = &request.before {
        select = select.filter(beyond(
            &ordering.columns,
            &before.values,
            ordering.descending,
        ));
    }
    for (column, _) in &ordering.columns {
        select = select.order_by(
            column.clone(),
            if ascending { Order::Asc } else { Order::Desc },
        );
    }
    let mut rows = select.limit(size + 1).all(db).await?;
    let more = rows.len() as u64 > size;
    rows.truncate(size as usize);
    if backwards {
        rows.reverse();
    }
    let rows = rows
        .into_iter()
        .map(|row| (ordering.cursor(&row), row))
        .collect();
    Ok(if backwards {
        Page {
            rows,
            has_previous: more,
            has_next: request.before.is_some(),
        }
    } else {
        Page {
            rows,
            has_previous: request.after.is_some(),
            has_next: more,
        }
    })
}

/// The page `fetch` gave for `request`, as it would be had the table also held `extra`: the
/// last rows of retracted records, which only the record register keeps, and which a list
/// shows with `includeRetracted`. `extra` holds every such row the list's filter lets
/// through; those beyond the request's cursors are merged into the rows in `ordering`, and
/// the page is cut to its size again. The first rows of that merge are the true first rows:
/// a live row past the fetched page sorts after every fetched one, so it could only enter
/// a page whose live rows were all kept, which is then the live page itself.
pub fn merge<M>(
    page: Page<M>,
    extra: Vec<M>,
    ordering: &Ordering<M>,
    request: &PageRequest,
) -> Page<M> {
    if extra.is_empty() {
        return page;
    }
    let in_order = |a: &[SortValue], b: &[SortValue]| {
        let order = a.cmp(b);
        if ordering.descending {
            order.reverse()
        } else {
            order
        }
    };
    let after = |c: &Cursor| {
        request
            .after
            .as_ref()
            .is_none_or(|a| in_order(&c.values, &a.values).is_gt())
    };
    let before = |c: &Cursor| {
        request
            .before
            .as_ref()
            .is_none_or(|b| in_order(&c.values, &b.values).is_lt())
    };
    let mut rows = page.rows;
    rows.extend(
        extra
            .into_iter()
            .map(|row| (ordering.cursor(&row), row))
            .filter(|(cursor, _)| after(cursor) && before(cursor)),
    );
    rows.sort_by(|a, b| in_order(&a.0.values, &b.0.values));
    let size = request.last.or(request.first).unwrap_or(DEFAULT_PAGE_SIZE) as usize;
    let over = rows.len() > size;
    if request.last.is_some() {
        let cut = rows.len().saturating_sub(size);
        rows.drain(..cut);
        Page {
            rows,
            has_previous: page.has_previous || over,
            has_next: page.has_next,
        }
    } else {
        rows.truncate(size);
        Page {
            rows,
            has_previous: page.has_previous,
            has_next: page.has_next || over,
        }
    }
}

/// Counts the rows of `select`, for a connection's `totalCount`.
pub async fn count<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: Select<E>,
) -> Result<u64, DbErr>
where
    E::Model: Sync,
{
    select.count(db).await
}
