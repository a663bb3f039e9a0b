//! The timeline: dated items in order, and their counts per period.

use async_graphql::{Context, Enum, Object, SimpleObject, Union};

use super::{Claim, DateValue, Entity, Event, Law, Measure, loaders};
use crate::{
    domain::{PartialDate, Precision},
    graphql::{
        error::ApiError,
        loaders::{ClaimBySlug, EntityBySlug},
    },
    store::timeline::{self, Bucket, TimelineRow},
};

/// What a dated item on the timeline marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "timeline::TimelineKind")]
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

/// The length of the periods a timeline is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "timeline::Interval")]
pub enum Interval {
    /// One bucket per year, and one per date that spans more than a year (`1990s`, `1995~`).
    Year,
    /// One bucket per month, and one per date that spans more than a month: a year-only
    /// date in a bucket of its year, `early 2020` in one of its own.
    Month,
}

/// What a timeline item is the date of: an event, a measure, a law or a claim.
#[derive(Union)]
pub enum TimelineSubject {
    Event(Event),
    Measure(Measure),
    Law(Law),
    Claim(Claim),
}

/// One dated item of the timeline.
pub struct TimelineItem(pub TimelineRow);

/// One dated item of the timeline: what happened or holds, and when, as precisely as the
/// sources say.
#[Object]
impl TimelineItem {
    /// What the date marks: an event, a measure's start or end, a law's enactment, or the
    /// start or end of what a claim says.
    async fn kind(&self) -> TimelineKind {
        self.0.kind.into()
    }

    /// The date, with its precision. Items are ordered by the first day each date can mean,
    /// and among those starting on the same day the one that spans longer first: a date
    /// known only to the year comes before the days of that year, a decade before its first
    /// year.
    async fn date(&self) -> Result<DateValue, ApiError> {
        DateValue::parse(Some(&self.0.date))
            .ok_or_else(|| ApiError::Internal(format!("timeline date {} is invalid", self.0.date)))
    }

    /// A line to show on the timeline: the entity's name, or the claim's statement.
    async fn label(&self, ctx: &Context<'_>) -> Result<String, ApiError> {
        Ok(match self.subject(ctx).await? {
            TimelineSubject::Event(e) => e.0.name,
            TimelineSubject::Measure(m) => m.0.name,
            TimelineSubject::Law(l) => l.0.name,
            TimelineSubject::Claim(c) => c.0.statement,
        })
    }

    /// The event, measure, law or claim the date belongs to.
    async fn subject(&self, ctx: &Context<'_>) -> Result<TimelineSubject, ApiError> {
        let loaders = loaders(ctx)?;
        let missing = || ApiError::Internal(format!("timeline item {} is missing", self.0.slug));
        if !self.0.kind.is_entity() {
            let claim = loaders
                .load_one(ClaimBySlug(self.0.slug.clone()))
                .await?
                .ok_or_else(missing)?;
            return Ok(TimelineSubject::Claim(Claim::new(claim)));
        }
        let model = loaders
            .load_one(EntityBySlug(self.0.slug.clone()))
            .await?
            .ok_or_else(missing)?;
        match Entity::from_model(model) {
            Entity::Event(e) => Ok(TimelineSubject::Event(e)),
            Entity::Measure(m) => Ok(TimelineSubject::Measure(m)),
            Entity::Law(l) => Ok(TimelineSubject::Law(l)),
            _ => Err(missing()),
        }
    }
}

/// How many items of one kind a period holds.
#[derive(SimpleObject)]
pub struct TimelineKindCount {
    /// The kind of item.
    pub kind: TimelineKind,
    /// How many.
    pub count: u64,
}

/// How many timeline items fall in one period, for a chart.
pub struct TimelineBucket(pub Bucket);

/// How many timeline items fall in one period, for a chart. A date counts in the year or
/// month that holds all its days; a date wider than that gets a bucket of its own, listed
/// where it sorts: a monthly count keeps the dates known only to the year in a bucket of
/// their own (`period: "2020"`, `precision: YEAR`), listed before that year's months, rather
/// than counting them in January, and a yearly count keeps `1990s` apart from 1990.
#[Object]
impl TimelineBucket {
    /// The period: `2020`, or `2020-03` in a monthly count, or a date wider than one period
    /// as the dataset writes it (`1990s`, `early 2020`, `1995~`).
    async fn period(&self) -> &str {
        &self.0.period
    }

    /// The period as a date, with its precision, qualifier, EDTF form and days.
    async fn date(&self) -> Result<DateValue, ApiError> {
        DateValue::parse(Some(&self.0.period)).ok_or_else(|| {
            ApiError::Internal(format!("timeline period {} is invalid", self.0.period))
        })
    }

    /// Whether the period is a decade, a year or a month.
    async fn precision(&self) -> Precision {
        self.0
            .period
            .parse::<PartialDate>()
            .map_or(Precision::Year, |d| d.precision())
    }

    /// The period's first day, as `YYYY-MM-DD`.
    async fn start(&self) -> String {
        self.0
            .period
            .parse::<PartialDate>()
            .map(|d| d.earliest())
            .unwrap_or_default()
    }

    /// The period's last day, as `YYYY-MM-DD`.
    async fn end(&self) -> String {
        self.0
            .period
            .parse::<PartialDate>()
            .map(|d| d.latest())
            .unwrap_or_default()
    }

    /// How many items fall in the period.
    async fn count(&self) -> u64 {
        self.0.by_kind.iter().map(|(_, n)| n).sum()
    }

    /// How many items of each kind fall in the period, for a stacked chart.
    async fn by_kind(&self) -> Vec<TimelineKindCount> {
        self.0
            .by_kind
            .iter()
            .map(|&(kind, count)| TimelineKindCount {
                kind: kind.into(),
                count,
            })
            .collect()
    }
}
