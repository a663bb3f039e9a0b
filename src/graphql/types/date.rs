//! Dates as a client sees them: the text's own precision, and the days it can mean.

use async_graphql::Object;

use crate::domain::{PartialDate, Precision, Qualifier};

/// A date as precise as its source: a decade, a year, a month or a day, possibly a part of a
/// year or decade ("early 2020") or approximate ("about 1995"). A year-only date such as
/// "2020" is not January 1: use `earliest` and `latest` to place it on a timeline, and
/// `precision`, `qualifier` and `approximate` to say how it was known.
#[derive(Debug, Clone, Copy)]
pub struct DateValue(pub PartialDate);

impl DateValue {
    /// Reads a stored date; stored dates were checked when the dataset was loaded.
    pub fn parse(stored: Option<&str>) -> Option<Self> {
        stored.and_then(|text| text.parse().ok()).map(Self)
    }
}

/// A date as precise as its source: a decade, a year, a month or a day, possibly a part of a
/// year or decade ("early 2020") or approximate ("about 1995"). A year-only date such as
/// "2020" is not January 1: use `earliest` and `latest` to place it on a timeline, `edtf`
/// for a standard machine-readable form, and `precision`, `qualifier` and `approximate` to
/// show how it was known. Dates sort by `earliest`; a range filter keeps a date whose days,
/// `earliest` to `latest`, overlap the range.
#[Object(name = "PartialDate")]
impl DateValue {
    /// The date as the dataset writes it. A year, a month or a day is ISO 8601 at its
    /// precision: `2020`, `2020-01` or `2020-01-15`. The other forms keep the text's words in
    /// the dataset's notation: a decade `1990s`, a part of a year or decade `early 2020`,
    /// `mid 2020`, `late 1990s`, an approximate date with a trailing `~` (`1995~`). To parse
    /// it, read `edtf`; to show it, this or `earliest`/`latest` with `qualifier` and
    /// `approximate`.
    async fn value(&self) -> String {
        self.0.to_string()
    }

    /// The date in ISO 8601-2 (the Extended Date/Time Format, EDTF): a year, month or day as
    /// in `value`; a decade with its last digit unspecified (`199X`); an approximate date
    /// with `~` (`1995~`, `2020-03~`); a part of a year as the interval of its months
    /// (`early 2020` is `2020-01/2020-04`, `mid 2020` `2020-05/2020-08`, `late 2020`
    /// `2020-09/2020-12`) and a part of a decade as the interval of its years (`early 1990s`
    /// is `1990/1993`). EDTF's own quadrimesters (`2020-37`) say the same of a year, but
    /// fewer parsers read them than read intervals.
    async fn edtf(&self) -> String {
        self.0.edtf()
    }

    /// How much of the date is known: a decade, a year, a month or a day. A part of a year
    /// ("early 2020") is `YEAR` with a `qualifier`; a part of a decade is `DECADE` with one.
    async fn precision(&self) -> Precision {
        self.0.precision()
    }

    /// Which part of its year or decade the text names ("early 2020", "the late 1990s"), or
    /// null. Early is January–April of a year (years 0–3 of a decade), mid May–August (4–6),
    /// late September–December (7–9); `earliest` and `latest` give those bounds.
    async fn qualifier(&self) -> Option<Qualifier> {
        self.0.qualifier()
    }

    /// Whether the text gives the date as approximate ("about 1995", "three decades ago").
    /// Its `earliest` and `latest` then reach two units of its precision either side: `1995~`
    /// spans 1993-01-01 to 1997-12-31, `2020-03~` January to May 2020.
    async fn approximate(&self) -> bool {
        self.0.is_approximate()
    }

    /// The first day the date can mean, as `YYYY-MM-DD`: `2020` gives `2020-01-01`, `1990s`
    /// gives `1990-01-01`. Dates sort by it.
    async fn earliest(&self) -> String {
        self.0.earliest()
    }

    /// The last day the date can mean, as `YYYY-MM-DD`: `2020` gives `2020-12-31`,
    /// `early 2020` gives `2020-04-30`.
    async fn latest(&self) -> String {
        self.0.latest()
    }

    /// The year the date names: the first year of a decade (`1990s` gives 1990), the year an
    /// approximate date is about (`1995~` gives 1995).
    async fn year(&self) -> i32 {
        self.0.year_number()
    }
}
