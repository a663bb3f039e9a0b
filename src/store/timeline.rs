//! The timeline: dated items in date order, and their counts per year or month.
//!
//! A date is stored as the dataset writes it (`2020`, `2020-03-26`, `1990s`, `early 2020`,
//! `1995~`) beside its first day, its last day and a sort key (see the migration
//! `m20261204_000006_date_bounds`). The timeline sorts on the key: by the first day the date
//! can mean, and among dates that start on the same day the one that spans longer first, so a
//! date known only to the year comes at the start of its year, before the dated days of that
//! year, and a decade before its first year, on both databases. A range keeps the items whose
//! days overlap it. Counting by month keeps a date that spans more than one month in a bucket
//! of its own (`2020`, `early 2020`), never in January.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DbErr};

use crate::domain::PartialDate;

use super::{
    page::{Cursor, PageError, SortValue},
    queries::DateRange,
    sql::Sql,
};

/// What a dated item on the timeline marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimelineKind {
    /// An event happened, or began.
    Event,
    /// An event that lasted ended.
    EventEnd,
    /// A measure was imposed.
    MeasureStart,
    /// A measure was lifted or ended.
    MeasureEnd,
    /// A law was enacted.
    LawEnacted,
    /// What a claim says holds from this date.
    Claim,
    /// What a claim says holds until this date.
    ClaimEnd,
}

impl TimelineKind {
    /// Every kind, in the order items of the same date are listed.
    pub const ALL: [TimelineKind; 7] = [
        TimelineKind::Event,
        TimelineKind::EventEnd,
        TimelineKind::MeasureStart,
        TimelineKind::MeasureEnd,
        TimelineKind::LawEnacted,
        TimelineKind::Claim,
        TimelineKind::ClaimEnd,
    ];

    fn rank(self) -> i64 {
        match self {
            TimelineKind::Event => 1,
            TimelineKind::EventEnd => 2,
            TimelineKind::MeasureStart => 3,
            TimelineKind::MeasureEnd => 4,
            TimelineKind::LawEnacted => 5,
            TimelineKind::Claim => 6,
            TimelineKind::ClaimEnd => 7,
        }
    }

    fn from_rank(rank: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.rank() == rank)
    }

    /// Whether the item is an entity's date (else a claim's).
    pub fn is_entity(self) -> bool {
        !matches!(self, TimelineKind::Claim | TimelineKind::ClaimEnd)
    }

    /// The table, column and row condition the kind's dates come from. The column's first
    /// day, last day and sort key are the columns named after it with `_earliest`, `_latest`
    /// and `_sort`.
    fn origin(self) -> (&'static str, &'static str, &'static str) {
        match self {
            TimelineKind::Event => ("entity", "starts_on", "kind = 'event'"),
            TimelineKind::EventEnd => ("entity", "ends_on", "kind = 'event'"),
            TimelineKind::MeasureStart => ("entity", "starts_on", "kind = 'measure'"),
            TimelineKind::MeasureEnd => ("entity", "ends_on", "kind = 'measure'"),
            TimelineKind::LawEnacted => ("entity", "starts_on", "kind = 'law'"),
            TimelineKind::Claim => ("claim", "holds_from", "1 = 1"),
            TimelineKind::ClaimEnd => ("claim", "holds_until", "1 = 1"),
        }
    }
}

/// Which items a timeline holds.
#[derive(Debug, Clone, Default)]
pub struct TimelineFilter {
    /// Only items of these kinds; every kind when empty.
    pub kinds: Vec<TimelineKind>,
    /// Only items whose date may fall in this range: a date is in a range that overlaps the
    /// days it can mean, so `2020` is in a range that touches 2020, `1990s` in one that
    /// touches the decade.
    pub dates: DateRange,
    /// Only items of this entity (its slug), of the entities related to it, and of the claims
    /// about it.
    pub entity: Option<String>,
}

/// One dated item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineRow {
    pub kind: TimelineKind,
    /// The slug of the entity or claim the date belongs to.
    pub slug: String,
    /// The date, as the dataset writes it; empty in a row read back from a cursor, which
    /// knows only the item's place.
    pub date: String,
    /// Where the date sorts: `PartialDate::sort_key`.
    pub sort: String,
}

impl TimelineRow {
    /// The cursor that marks this item's place on the timeline.
    pub fn cursor(&self) -> Cursor {
        Cursor {
            ordering: "timeline".to_owned(),
            values: vec![
                SortValue::Text(self.sort.clone()),
                SortValue::Int(self.kind.rank()),
                SortValue::Text(self.slug.clone()),
            ],
        }
    }

    /// The item a timeline cursor marks.
    pub fn from_cursor(cursor: &Cursor) -> Result<Self, PageError> {
        match (cursor.ordering.as_str(), cursor.values.as_slice()) {
            (
                "timeline",
                [
                    SortValue::Text(sort),
                    SortValue::Int(rank),
                    SortValue::Text(slug),
                ],
            ) => Ok(TimelineRow {
                kind: TimelineKind::from_rank(*rank).ok_or(PageError::BadCursor)?,
                slug: slug.clone(),
                date: String::new(),
                sort: sort.clone(),
            }),
            _ => Err(PageError::BadCursor),
        }
    }
}

/// Writes the union of every dated item `filter` lets through, as `rank, slug, date,
/// sort_key`.
fn dated_items(sql: &mut Sql, filter: &TimelineFilter) {
    let kinds: Vec<TimelineKind> = if filter.kinds.is_empty() {
        TimelineKind::ALL.to_vec()
    } else {
        TimelineKind::ALL
            .into_iter()
            .filter(|kind| filter.kinds.contains(kind))
            .collect()
    };
    for (index, kind) in kinds.into_iter().enumerate() {
        if index > 0 {
            sql.push(" UNION ALL ");
        }
        let (table, column, condition) = kind.origin();
        sql.push(&format!(
            "SELECT CAST({rank} AS BIGINT) AS rank, slug, {column} AS date, \
             {column}_sort AS sort_key FROM {table} \
             WHERE {column}_sort IS NOT NULL AND {condition}",
            rank = kind.rank()
        ));
        if let Some(entity) = &filter.entity {
            if kind.is_entity() {
                sql.push(" AND (slug = ")
                    .bind(entity.as_str())
                    .push(" OR slug IN (SELECT object_slug FROM relation WHERE subject_slug = ")
                    .bind(entity.as_str())
                    .push(") OR slug IN (SELECT subject_slug FROM relation WHERE object_slug = ")
                    .bind(entity.as_str())
                    .push("))");
            } else {
                sql.push(" AND slug IN (SELECT claim_slug FROM claim_subject WHERE entity_slug = ")
                    .bind(entity.as_str())
                    .push(")");
            }
        }
        // The date's days overlap the range: its first day is on or before the range's last,
        // and its last day on or after the range's first.
        if let Some(to) = filter.dates.to {
            sql.push(&format!(" AND {column}_earliest <= "))
                .bind(to.latest());
        }
        if let Some(from) = filter.dates.from {
            sql.push(&format!(" AND {column}_latest >= "))
                .bind(from.earliest());
        }
    }
}

/// Up to `limit` items of the timeline, in date order, after `after` when given.
pub async fn timeline(
    db: &impl ConnectionTrait,
    filter: &TimelineFilter,
    window: (Option<&TimelineRow>, Option<&TimelineRow>),
    limit: u64,
    from_end: bool,
) -> Result<Vec<TimelineRow>, DbErr> {
    let (after, before) = window;
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT rank, slug, date, sort_key FROM (");
    dated_items(&mut sql, filter);
    sql.push(") AS item WHERE 1 = 1");
    for (bound, later) in [(after, true), (before, false)] {
        let Some(bound) = bound else { continue };
        let beyond = if later { " > " } else { " < " };
        sql.push(" AND (sort_key")
            .push(beyond)
            .bind(bound.sort.as_str())
            .push(" OR (sort_key = ")
            .bind(bound.sort.as_str())
            .push(" AND (rank")
            .push(beyond)
            .bind(bound.kind.rank())
            .push(" OR (rank = ")
            .bind(bound.kind.rank())
            .push(" AND slug")
            .push(beyond)
            .bind(bound.slug.as_str())
            .push("))))");
    }
    sql.push(if from_end {
        " ORDER BY sort_key DESC, rank DESC, slug DESC LIMIT "
    } else {
        " ORDER BY sort_key, rank, slug LIMIT "
    })
    .bind(i64::try_from(limit).unwrap_or(i64::MAX));
    let rows = db.query_all_raw(sql.statement()).await?;
    let mut rows = rows
        .into_iter()
        .map(|row| {
            let rank: i64 = row.try_get("", "rank")?;
            Ok(TimelineRow {
                kind: TimelineKind::from_rank(rank)
                    .ok_or_else(|| DbErr::Custom(format!("unknown timeline rank {rank}")))?,
                slug: row.try_get("", "slug")?,
                date: row.try_get("", "date")?,
                sort: row.try_get("", "sort_key")?,
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    if from_end {
        rows.reverse();
    }
    Ok(rows)
}

/// How many items the timeline holds with `filter`.
pub async fn timeline_count(
    db: &impl ConnectionTrait,
    filter: &TimelineFilter,
) -> Result<u64, DbErr> {
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT COUNT(*) AS n FROM (");
    dated_items(&mut sql, filter);
    sql.push(") AS item");
    let n: i64 = match db.query_one_raw(sql.statement()).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    Ok(u64::try_from(n).unwrap_or_default())
}

/// The length of the periods a timeline is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// One bucket per year, and one per date that spans more than a year.
    Year,
    /// One bucket per month, and one per date that spans more than a month.
    Month,
}

/// How many items fall in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// The period: `2020` or `2020-03`, or a date that spans more than one period of the
    /// interval, as the dataset writes it (`1990s`, `early 2020`, `1995~`): a `2020` bucket
    /// of a monthly count holds the dates known only to the year 2020.
    pub period: String,
    /// How many items of each kind, in kind order.
    pub by_kind: Vec<(TimelineKind, u64)>,
}

/// The bucket a date counts in: the year or month that holds all its days, or, when no one
/// period does, a bucket of the date's own.
fn period_of(date: &PartialDate, interval: Interval) -> PartialDate {
    let (earliest, latest) = (date.earliest(), date.latest());
    let width = match interval {
        Interval::Year => 4,
        Interval::Month => 7,
    };
    if earliest[..width] == latest[..width]
        && let Ok(period) = earliest[..width].parse::<PartialDate>()
    {
        return period;
    }
    *date
}

/// The timeline's items counted per `interval`, in period order.
pub async fn timeline_buckets(
    db: &impl ConnectionTrait,
    filter: &TimelineFilter,
    interval: Interval,
) -> Result<Vec<Bucket>, DbErr> {
    // Grouped by date in SQL, then into periods here: which period holds a date depends on
    // the days its form can mean, which `PartialDate` knows and SQL does not.
    let mut sql = Sql::new(db.get_database_backend());
    sql.push("SELECT date, rank, COUNT(*) AS n FROM (");
    dated_items(&mut sql, filter);
    sql.push(") AS item GROUP BY date, rank");
    let mut buckets: BTreeMap<PartialDate, BTreeMap<TimelineKind, u64>> = BTreeMap::new();
    for row in db.query_all_raw(sql.statement()).await? {
        let rank: i64 = row.try_get("", "rank")?;
        let n: i64 = row.try_get("", "n")?;
        let date: String = row.try_get("", "date")?;
        let kind = TimelineKind::from_rank(rank)
            .ok_or_else(|| DbErr::Custom(format!("unknown timeline rank {rank}")))?;
        let date: PartialDate = date
            .parse()
            .map_err(|_| DbErr::Custom(format!("a timeline date is {date:?}")))?;
        *buckets
            .entry(period_of(&date, interval))
            .or_default()
            .entry(kind)
            .or_default() += u64::try_from(n).unwrap_or_default();
    }
    Ok(buckets
        .into_iter()
        .map(|(period, by_kind)| Bucket {
            period: period.to_string(),
            by_kind: by_kind.into_iter().collect(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(text: &str, interval: Interval) -> String {
        period_of(&text.parse().unwrap(), interval).to_string()
    }

    #[test]
    fn a_date_counts_in_the_period_that_holds_all_its_days() {
        assert_eq!(period("2020-03-26", Interval::Month), "2020-03");
        assert_eq!(period("2020-03-26", Interval::Year), "2020");
        assert_eq!(period("early 2020", Interval::Year), "2020");
        assert_eq!(period("2020-03~", Interval::Year), "2020");
    }

    #[test]
    fn a_date_wider_than_the_period_gets_a_bucket_of_its_own() {
        assert_eq!(period("2020", Interval::Month), "2020");
        assert_eq!(period("early 2020", Interval::Month), "early 2020");
        assert_eq!(period("1990s", Interval::Year), "1990s");
        assert_eq!(period("1995~", Interval::Year), "1995~");
        assert_eq!(period("2020-01~", Interval::Year), "2020-01~");
    }
}
