//! The timeline: dated items in date order, and their counts per year or month.
//!
//! Dates are stored as ISO prefixes of their precision (`2020`, `2020-03`, `2020-03-26`), and
//! those strings sort by their first possible day, a coarser date before a finer one that
//! starts on the same day. The timeline sorts on them as text, so a date known only to the
//! year comes at the start of its year, before the dated days of that year, on both databases.
//! Bucketing by month keeps a year-only date in a bucket of its own (`2020`), never in January.

use std::collections::BTreeMap;

use sea_orm::{ConnectionTrait, DbErr};

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

    /// The table, column and row condition the kind's dates come from.
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
    /// Only items whose date may fall in this range: a date known to the year is in a range
    /// that touches that year.
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
    /// The date, as an ISO prefix of its precision.
    pub date: String,
}

impl TimelineRow {
    /// The cursor that marks this item's place on the timeline.
    pub fn cursor(&self) -> Cursor {
        Cursor {
            ordering: "timeline".to_owned(),
            values: vec![
                SortValue::Text(self.date.clone()),
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
                    SortValue::Text(date),
                    SortValue::Int(rank),
                    SortValue::Text(slug),
                ],
            ) => Ok(TimelineRow {
                kind: TimelineKind::from_rank(*rank).ok_or(PageError::BadCursor)?,
                slug: slug.clone(),
                date: date.clone(),
            }),
            _ => Err(PageError::BadCursor),
        }
    }
}

/// Writes the union of every dated item `filter` lets through, as `rank, slug, date`.
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
            "SELECT CAST({rank} AS BIGINT) AS rank, slug, {column} AS date FROM {table} \
             WHERE {column} IS NOT NULL AND {condition}",
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
        if let Some(to) = filter.dates.to {
            sql.push(&format!(" AND {column} <= ")).bind(to.latest());
        }
        if let Some(from) = filter.dates.from {
            // The date's last day is on or after the range's first day: compare the date with
            // the range's first day cut to the date's own precision.
            sql.push(&format!(" AND {column} >= substr("))
                .bind(from.earliest())
                .push(&format!(", 1, length({column}))"));
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
    sql.push("SELECT rank, slug, date FROM (");
    dated_items(&mut sql, filter);
    sql.push(") AS item WHERE 1 = 1");
    for (bound, later) in [(after, true), (before, false)] {
        let Some(bound) = bound else { continue };
        let beyond = if later { " > " } else { " < " };
        sql.push(" AND (date")
            .push(beyond)
            .bind(bound.date.as_str())
            .push(" OR (date = ")
            .bind(bound.date.as_str())
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
        " ORDER BY date DESC, rank DESC, slug DESC LIMIT "
    } else {
        " ORDER BY date, rank, slug LIMIT "
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
    /// One bucket per year.
    Year,
    /// One bucket per month, and one per year for the dates known only to the year.
    Month,
}

/// How many items fall in one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// The period: `2020` or `2020-03`. A `2020` bucket of a monthly count holds the dates
    /// known only to the year 2020.
    pub period: String,
    /// How many items of each kind, in kind order.
    pub by_kind: Vec<(TimelineKind, u64)>,
}

/// The timeline's items counted per `interval`, in period order.
pub async fn timeline_buckets(
    db: &impl ConnectionTrait,
    filter: &TimelineFilter,
    interval: Interval,
) -> Result<Vec<Bucket>, DbErr> {
    let bucket = match interval {
        Interval::Year => "substr(date, 1, 4)",
        Interval::Month => "substr(date, 1, 7)",
    };
    let mut sql = Sql::new(db.get_database_backend());
    sql.push(&format!(
        "SELECT {bucket} AS period, rank, COUNT(*) AS n FROM ("
    ));
    dated_items(&mut sql, filter);
    sql.push(&format!(") AS item GROUP BY {bucket}, rank"));
    let mut buckets: BTreeMap<String, BTreeMap<TimelineKind, u64>> = BTreeMap::new();
    for row in db.query_all_raw(sql.statement()).await? {
        let rank: i64 = row.try_get("", "rank")?;
        let n: i64 = row.try_get("", "n")?;
        let kind = TimelineKind::from_rank(rank)
            .ok_or_else(|| DbErr::Custom(format!("unknown timeline rank {rank}")))?;
        *buckets
            .entry(row.try_get("", "period")?)
            .or_default()
            .entry(kind)
            .or_default() += u64::try_from(n).unwrap_or_default();
    }
    Ok(buckets
        .into_iter()
        .map(|(period, by_kind)| Bucket {
            period,
            by_kind: by_kind.into_iter().collect(),
        })
        .collect())
}
