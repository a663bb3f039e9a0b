//! The queries the API runs: filtered lists with their orderings, and the batched lookups
//! behind every relation field.
//!
//! SQL lives here, one module per table (a table's links with it), one function per
//! question. Every batched lookup takes all the keys a
//! request level needs and answers with one statement (two where it follows a link table),
//! so the number of statements a request runs does not grow with the rows it returns.

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IdenStatic, Iterable, QueryFilter,
    QueryOrder,
    sea_query::{Alias, Expr, ExprTrait, Func, SelectStatement, SimpleExpr},
};

use super::page::SortValue;
use crate::domain::PartialDate;

mod claims;
mod dataset;
mod entities;
mod facts;
mod relations;
mod sources;

pub use claims::*;
pub use dataset::*;
pub use entities::*;
pub use facts::*;
pub use relations::*;
pub use sources::*;

/// A period to filter dated rows by: a row matches when its own period overlaps this one.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateRange {
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
}

impl DateRange {
    /// Rows whose days, from the first day `earliest` holds to the last day `latest` holds
    /// (both `YYYY-MM-DD`, as `PartialDate` bounds them), overlap the range's days. Undated
    /// rows, whose bounds are null, never match a range.
    fn overlapping(&self, earliest: SimpleExpr, latest: SimpleExpr) -> Condition {
        let mut condition = Condition::all();
        if let Some(to) = self.to {
            condition = condition.add(earliest.lte(to.latest()));
        }
        if let Some(from) = self.from {
            condition = condition.add(latest.gte(from.earliest()));
        }
        condition
    }

    /// Rows whose period, from `start` to `end` (or `start` alone when `end` is null),
    /// overlaps the range. Undated rows never match a range.
    ///
    /// For columns that hold only the plain forms (a source's publication date), stored as
    /// ISO prefixes of their precision, which sort as text. A row starts
    /// no later than the range ends when its start, as text, is at most the range's last
    /// day. A row ends no earlier than the range starts when its end is at least the range's
    /// first day cut to the row's precision; the three `LIKE` shapes pick that precision.
    fn condition(&self, start: SimpleExpr, end: SimpleExpr) -> Condition {
        let mut condition = Condition::all();
        let end = SimpleExpr::from(Func::coalesce([end, start.clone()]));
        if let Some(to) = self.to {
            condition = condition.add(start.lte(to.latest()));
        }
        if let Some(from) = self.from {
            let earliest = from.earliest();
            condition = condition.add(
                Condition::any()
                    .add(
                        end.clone()
                            .like("____")
                            .and(end.clone().gte(&earliest[..4])),
                    )
                    .add(
                        end.clone()
                            .like("____-__")
                            .and(end.clone().gte(&earliest[..7])),
                    )
                    .add(
                        end.clone()
                            .like("____-__-__")
                            .and(end.gte(earliest.as_str())),
                    ),
            );
        }
        condition
    }
}

/// A case-insensitive "contains" pattern for `LIKE`, with the wildcards in `text` escaped.
fn contains_pattern(text: &str) -> String {
    let escaped = text
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

fn lower(column: impl sea_orm::sea_query::IntoColumnRef) -> SimpleExpr {
    Func::lower(Expr::col(column)).into()
}

fn contains(column: impl sea_orm::sea_query::IntoColumnRef, text: &str) -> SimpleExpr {
    lower(column).like(sea_orm::sea_query::LikeExpr::new(contains_pattern(text)).escape('\\'))
}

/// A sort key for an optional date that puts undated rows last in ascending order.
fn dated(column: impl sea_orm::sea_query::IntoColumnRef) -> SimpleExpr {
    Func::coalesce([Expr::col(column), Expr::val("9999-99-99")]).into()
}

fn undated(value: &Option<String>) -> SortValue {
    SortValue::Text(value.clone().unwrap_or_else(|| "9999-99-99".to_owned()))
}

/// Groups `rows` under the key `key` gives each, keeping their order.
fn group<M, K: std::hash::Hash + Eq>(rows: Vec<M>, key: impl Fn(&M) -> K) -> HashMap<K, Vec<M>> {
    let mut groups: HashMap<K, Vec<M>> = HashMap::new();
    for row in rows {
        groups.entry(key(&row)).or_default().push(row);
    }
    groups
}

/// The rows of `E` whose `column` is one of `keys`, by that key.
async fn by_key<E: EntityTrait>(
    db: &impl ConnectionTrait,
    column: E::Column,
    keys: &[String],
    key: fn(&E::Model) -> &String,
) -> Result<HashMap<String, E::Model>, DbErr> {
    let rows = E::find()
        .filter(column.is_in(keys.iter().cloned()))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| (key(&row).clone(), row))
        .collect())
}

/// For each of `keys`, the values of the link rows of `E` whose `parent` column holds it, in
/// `position` order: a claim's subjects, a source's authors, an entity's aliases.
async fn linked<E: EntityTrait>(
    db: &impl ConnectionTrait,
    parent: E::Column,
    position: E::Column,
    keys: &[String],
    parent_of: fn(&E::Model) -> &String,
    value_of: fn(E::Model) -> String,
) -> Result<HashMap<String, Vec<String>>, DbErr> {
    let rows = E::find()
        .filter(parent.is_in(keys.iter().cloned()))
        .order_by_asc(parent)
        .order_by_asc(position)
        .all(db)
        .await?;
    Ok(group(rows, |row| parent_of(row).clone())
        .into_iter()
        .map(|(key, rows)| (key, rows.into_iter().map(value_of).collect()))
        .collect())
}

/// Selects the columns of `E` from `table` (its name or its alias in the query), but for those
/// in `skip`, each named `prefix` and the column's name, so that a joined row holding several
/// tables' columns reads back with `FromQueryResult::from_query_result(row, prefix)`.
fn select_prefixed<E: EntityTrait>(
    query: &mut SelectStatement,
    table: &str,
    prefix: &str,
    skip: &[E::Column],
) {
    for column in E::Column::iter() {
        if skip
            .iter()
            .any(|skipped| skipped.as_str() == column.as_str())
        {
            continue;
        }
        query.expr_as(
            Expr::col((Alias::new(table), Alias::new(column.as_str()))),
            Alias::new(format!("{prefix}{}", column.as_str())),
        );
    }
}

/// Which end of a relation an entity is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum End {
    Subject,
    Object,
}
