//! Dates as a client sees them: the text's own precision, and the days it can mean.

use async_graphql::Object;

use crate::domain::{PartialDate, Precision};

/// A date known to the year, the month or the day, exactly as precise as the source. A
/// year-only date such as "2020" is not January 1: use `earliest` and `latest` to place it
/// on a timeline, and `precision` to say how it was known.
#[derive(Debug, Clone, Copy)]
pub struct DateValue(pub PartialDate);

impl DateValue {
    /// Reads a stored date; stored dates were checked when the dataset was loaded.
    pub fn parse(stored: Option<&str>) -> Option<Self> {
        stored.and_then(|text| text.parse().ok()).map(Self)
    }
}

/// A date known to the year, the month or the day, exactly as precise as the source. A
/// year-only date such as "2020" is not January 1: use `earliest` and `latest` to place it
/// on a timeline, and `precision` to say how it was known.
#[Object(name = "PartialDate")]
impl DateValue {
    /// The date in ISO 8601 at its precision: `2020`, `2020-01` or `2020-01-15`.
    async fn value(&self) -> String {
        self.0.to_string()
    }

    /// How much of the date is known.
    async fn precision(&self) -> Precision {
        self.0.precision()
    }

    /// The first day the date can mean, as `YYYY-MM-DD`: `2020` gives `2020-01-01`.
    async fn earliest(&self) -> String {
        self.0.earliest()
    }

    /// The last day the date can mean, as `YYYY-MM-DD`: `2020` gives `2020-12-31`.
    async fn latest(&self) -> String {
        self.0.latest()
    }

    /// The year.
    async fn year(&self) -> i32 {
        self.0.year_number()
    }
}
