//! Dates that remember how much of them is known.
//!
//! A source that says "in 2020" tells us the year and nothing more; storing it as
//! `2020-01-01` would invent a month and a day. A [`PartialDate`] keeps what the text gives,
//! in one of these forms:
//!
//! | written | what the text says | earliest | latest |
//! |---|---|---|---|
//! | `2020`, `2020-01`, `2020-01-15` | a year, a month, a day | its first day | its last day |
//! | `1990s` | a decade, "the 1990s" | 1990-01-01 | 1999-12-31 |
//! | `early 2020`, `mid 2020`, `late 2020` | a part of a year | January, May, September 1 | April 30, August 31, December 31 |
//! | `early 1990s`, `mid 1990s`, `late 1990s` | a part of a decade | 1990, 1994, 1997 | 1993, 1996, 1999 |
//! | `1995~`, `2020-03~`, `2020-03-15~` | "about", a round number | two units before | two units after |
//!
//! Every date has a first and a last day it can mean ([`PartialDate::earliest`],
//! [`PartialDate::latest`]). Dates sort by their first day, and among dates that start on the
//! same day the one that spans longer comes first: "2020" before "2020-01" before
//! "2020-01-01". A range filter keeps a date whose days overlap the range.
//!
//! The plain forms (`2020`, `2020-01`, `2020-01-15`) are the ISO 8601 prefixes they always
//! were. [`PartialDate::edtf`] writes every form in ISO 8601-2 (EDTF): `199X`, `1995~`, and
//! a qualified date as the interval of its months or years (`2020-01/2020-04`).

use std::{cmp::Ordering, fmt, str::FromStr};

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, async_graphql::Enum)]
pub enum Precision {
    /// Only the decade is known, e.g. "in the 1990s".
    Decade,
    /// Only the year is known, e.g. "in 2020" (or a part of it: "early 2020").
    Year,
    /// The year and the month are known, e.g. "in January 2020".
    Month,
    /// The exact day is known, e.g. "March 26, 2025".
    Day,
}

/// Which part of a year or a decade a text names: "early 2020", "the late 1990s".
///
/// A year is cut in thirds of four months (the EDTF quadrimesters): early is January to
/// April, mid May to August, late September to December. A decade is cut in years 0–3, 4–6
/// and 7–9: the early 1990s are 1990–1993, the mid 1990s 1994–1996, the late 1990s 1997–1999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, async_graphql::Enum)]
#[graphql(name = "DateQualifier")]
pub enum Qualifier {
    /// "Early": January to April of a year, years 0 to 3 of a decade.
    Early,
    /// "Mid": May to August of a year, years 4 to 6 of a decade.
    Mid,
    /// "Late": September to December of a year, years 7 to 9 of a decade.
    Late,
}

impl Qualifier {
    /// The word as the dataset files write it.
    pub fn word(self) -> &'static str {
        match self {
            Qualifier::Early => "early",
            Qualifier::Mid => "mid",
            Qualifier::Late => "late",
        }
    }

    /// The first and last month of the part of a year.
    fn months(self) -> (u8, u8) {
        match self {
            Qualifier::Early => (1, 4),
            Qualifier::Mid => (5, 8),
            Qualifier::Late => (9, 12),
        }
    }

    /// The first and last year of the part of a decade, counted from its first year.
    fn years(self) -> (i32, i32) {
        match self {
            Qualifier::Early => (0, 3),
            Qualifier::Mid => (4, 6),
            Qualifier::Late => (7, 9),
        }
    }
}

/// How many units of its precision an approximate date reaches on either side of the one it
/// names: "about 1995" keeps 1993 to 1997. Texts give such dates as round numbers ("three
/// decades ago"), and two on either side is the five-unit window a number rounded to the
/// nearest five can mean.
pub const APPROXIMATE_SPREAD: i32 = 2;

/// A date as precise as its text: a decade, a year, a month or a day, possibly qualified
/// (early, mid, late) or approximate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// The year, or the first year of the decade.
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
    decade: bool,
    qualifier: Option<Qualifier>,
    approximate: bool,
}

/// Why a string is not a [`PartialDate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (a day that exists), a decade as \
     YYY0s (`1990s`), `early`, `mid` or `late` and a year or a decade (`early 2020`), or a \
     year, month or day followed by `~` when the text gives it as approximate (`1995~`)"
)]
pub struct InvalidDate(pub String);

/// A day as year, month and day of the month.
type Day = (i32, u8, u8);

fn day_text((year, month, day): Day) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

impl PartialDate {
    /// A date known only to the year.
    pub fn year(year: i32) -> Self {
        Self {
            year,
            month: None,
            day: None,
            decade: false,
            qualifier: None,
            approximate: false,
        }
    }

    /// How much of the date is known.
    pub fn precision(&self) -> Precision {
        match (self.decade, self.month, self.day) {
            (true, _, _) => Precision::Decade,
            (false, None, _) => Precision::Year,
            (false, Some(_), None) => Precision::Month,
            (false, Some(_), Some(_)) => Precision::Day,
        }
    }

    /// Which part of its year or decade the date names, when the text names one.
    pub fn qualifier(&self) -> Option<Qualifier> {
        self.qualifier
    }

    /// Whether the text gives the date as approximate ("about 1995").
    pub fn is_approximate(&self) -> bool {
        self.approximate
    }

    /// Whether the date is a plain year, month or day: an ISO 8601 prefix.
    pub fn is_plain(&self) -> bool {
        !self.decade && self.qualifier.is_none() && !self.approximate
    }

    /// The year the date falls in: the first year of a decade.
    pub fn year_number(&self) -> i32 {
        self.year
    }

    /// The month the date falls in, when it is known.
    pub fn month_number(&self) -> Option<u8> {
        self.month
    }

    /// The day of the month, when it is known.
    pub fn day_number(&self) -> Option<u8> {
        self.day
    }

    /// The first and last day the date can mean.
    fn bounds(&self) -> (Day, Day) {
        let year = self.year;
        if self.decade {
            let (first, last) = self.qualifier.map_or((0, 9), Qualifier::years);
            return ((year + first, 1, 1), (year + last, 12, 31));
        }
        match (self.month, self.day) {
            (None, _) => {
                if let Some(qualifier) = self.qualifier {
                    let (first, last) = qualifier.months();
                    return ((year, first, 1), (year, last, days_in_month(year, last)));
                }
                let spread = if self.approximate {
                    APPROXIMATE_SPREAD
                } else {
                    0
                };
                ((year - spread, 1, 1), (year + spread, 12, 31))
            }
            (Some(month), None) => {
                let spread = if self.approximate {
                    APPROXIMATE_SPREAD
                } else {
                    0
                };
                let (first_year, first_month) = add_months(year, month, -spread);
                let (last_year, last_month) = add_months(year, month, spread);
                (
                    (first_year, first_month, 1),
                    (last_year, last_month, days_in_month(last_year, last_month)),
                )
            }
            (Some(month), Some(day)) => {
                if !self.approximate {
                    return ((year, month, day), (year, month, day));
                }
                let spread = chrono::Days::new(APPROXIMATE_SPREAD.unsigned_abs().into());
                let named = chrono::NaiveDate::from_ymd_opt(year, month.into(), day.into());
                let shifted = |date: Option<chrono::NaiveDate>| -> Day {
                    use chrono::Datelike;
                    date.map_or((year, month, day), |d| {
                        (d.year(), d.month() as u8, d.day() as u8)
                    })
                };
                (
                    shifted(named.and_then(|d| d.checked_sub_days(spread))),
                    shifted(named.and_then(|d| d.checked_add_days(spread))),
                )
            }
        }
    }

    /// The first day the date can mean, as `YYYY-MM-DD`: `2020` gives `2020-01-01`.
    pub fn earliest(&self) -> String {
        day_text(self.bounds().0)
    }

    /// The last day the date can mean, as `YYYY-MM-DD`: `2020` gives `2020-12-31`.
    pub fn latest(&self) -> String {
        day_text(self.bounds().1)
    }

    /// A text key that sorts dates as [`Ord`] does: the first day, then the last day with
    /// each digit `d` written `9 − d`, so that text order puts the date that ends later first
    /// among those that start on the same day. `2020` is `2020-01-01/7979-87-68`.
    pub fn sort_key(&self) -> String {
        let inverted: String = self
            .latest()
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from(b'0' + (9 - d as u8)),
                None => c,
            })
            .collect();
        format!("{}/{inverted}", self.earliest())
    }

    /// The date in ISO 8601-2 (EDTF): `2020`, `2020-01` and `2020-01-15` as they are, a
    /// decade as `199X`, an approximate date with `~` (`1995~`), a part of a year as the
    /// interval of its months (`early 2020` is `2020-01/2020-04`) and a part of a decade as
    /// the interval of its years (`late 1990s` is `1997/1999`).
    pub fn edtf(&self) -> String {
        let ((first_year, first_month, _), (last_year, last_month, _)) = self.bounds();
        match (self.decade, self.qualifier) {
            (true, None) => format!("{:03}X", self.year / 10),
            (true, Some(_)) => format!("{first_year:04}/{last_year:04}"),
            (false, Some(_)) => {
                format!("{first_year:04}-{first_month:02}/{last_year:04}-{last_month:02}")
            }
            (false, None) => self.to_string(),
        }
    }

    /// Whether every day this date can mean comes after every day `other` can mean.
    pub fn is_after(&self, other: &PartialDate) -> bool {
        self.earliest() > other.latest()
    }

    /// Whether every day this date can mean comes before every day `other` can mean.
    pub fn is_before(&self, other: &PartialDate) -> bool {
        self.latest() < other.earliest()
    }

    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    fn parse_plain(text: &str) -> Option<Self> {
        let mut parts = text.split('-');
        let mut number = |digits: usize| -> Result<Option<u32>, ()> {
            match parts.next() {
                None => Ok(None),
                Some(part) if part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()) => {
                    part.parse().map(Some).map_err(|_| ())
                }
                Some(_) => Err(()),
            }
        };
        let year = number(4).ok()??;
        let month = number(2).ok()?;
        let day = number(2).ok()?;
        if parts.next().is_some() {
            return None;
        }
        let year = i32::try_from(year).ok()?;
        let month = match month {
            Some(m @ 1..=12) => Some(m as u8),
            Some(_) => return None,
            None => None,
        };
        let day = match (month, day) {
            (Some(m), Some(d)) if d >= 1 && d <= u32::from(days_in_month(year, m)) => Some(d as u8),
            (_, Some(_)) => return None,
            (_, None) => None,
        };
        Some(Self {
            month,
            day,
            ..Self::year(year)
        })
    }

    /// Reads a decade, `YYY0s`.
    fn parse_decade(text: &str) -> Option<Self> {
        let digits = text.strip_suffix('s')?;
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = digits.parse().ok()?;
        (year % 10 == 0).then(|| Self {
            decade: true,
            ..Self::year(year)
        })
    }
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The month `months` after (or before, when negative) `month` of `year`.
fn add_months(year: i32, month: u8, months: i32) -> (i32, u8) {
    let index = year * 12 + i32::from(month) - 1 + months;
    (index.div_euclid(12), (index.rem_euclid(12) + 1) as u8)
}

impl FromStr for PartialDate {
    type Err = InvalidDate;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidDate(text.to_owned());
        let date = if let Some((word, rest)) = text.split_once(' ') {
            let qualifier = match word {
                "early" => Qualifier::Early,
                "mid" => Qualifier::Mid,
                "late" => Qualifier::Late,
                _ => return Err(invalid()),
            };
            let base = Self::parse_decade(rest)
                .or_else(|| Self::parse_plain(rest).filter(|d| d.month.is_none()))
                .ok_or_else(invalid)?;
            Self {
                qualifier: Some(qualifier),
                ..base
            }
        } else if let Some(rest) = text.strip_suffix('~') {
            Self {
                approximate: true,
                ..Self::parse_plain(rest).ok_or_else(invalid)?
            }
        } else {
            Self::parse_decade(text)
                .or_else(|| Self::parse_plain(text))
                .ok_or_else(invalid)?
        };
        // An approximate date may not reach past the four-digit years.
        let ((first, _, _), (last, _, _)) = date.bounds();
        if first < 0 || last > 9999 {
            return Err(invalid());
        }
        Ok(date)
    }
}

/// The date as the dataset files write it: `2020-01-15`, `1990s`, `early 2020`, `1995~`.
impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(qualifier) = self.qualifier {
            write!(f, "{} ", qualifier.word())?;
        }
        write!(f, "{:04}", self.year)?;
        if self.decade {
            write!(f, "s")?;
        }
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        if self.approximate {
            write!(f, "~")?;
        }
        Ok(())
    }
}

/// Dates order by their first possible day; among those that start on the same day, the one
/// that ends later comes first ("2020" before "2020-01" before "2020-01-01", "1990s" before
/// "1990"), which for the plain forms is also how their ISO strings sort. Dates with the same
/// days order by how they are written.
impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.sort_key(), self.to_string()).cmp(&(other.sort_key(), other.to_string()))
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<'de> serde::Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> PartialDate {
        text.parse()
            .unwrap_or_else(|e| panic!("{text} was refused: {e}"))
    }

    #[test]
    fn each_form_round_trips_through_its_written_form() {
        for text in [
            "2020",
            "2020-01",
            "2020-02-29",
            "1999-12-31",
            "1990s",
            "early 2020",
            "mid 2020",
            "late 2019",
            "early 1990s",
            "late 1990s",
            "1995~",
            "2020-03~",
            "2020-03-15~",
        ] {
            assert_eq!(date(text).to_string(), text);
        }
    }

    #[test]
    fn a_year_is_not_its_first_day() {
        let year = date("2020");
        let day = date("2020-01-01");
        assert_ne!(year, day);
        assert_eq!(year.precision(), Precision::Year);
        assert_eq!(year.earliest(), "2020-01-01");
        assert_eq!(year.latest(), "2020-12-31");
        assert!(year < day);
    }

    #[test]
    fn dates_that_do_not_exist_are_refused() {
        for text in [
            "2021-02-29",
            "2020-13",
            "2020-00",
            "20-01",
            "2020-1-01",
            "2020/01",
            "",
            "2020-01-01-01",
        ] {
            assert!(text.parse::<PartialDate>().is_err(), "{text} was accepted");
        }
    }

    #[test]
    fn malformed_decades_qualifiers_and_approximations_are_refused() {
        for text in [
            "1995s",
            "199s",
            "1990S",
            "1990's",
            "the 1990s",
            "early",
            "early 2020-01",
            "early 2020-01-01",
            "Early 2020",
            "early  2020",
            "mid-2020",
            "middle 2020",
            "late 2020~",
            "early 1990s~",
            "1990s~",
            "~1995",
            "1995~~",
            "1995 ~",
            "0001~",
            "9999~",
            "2021-02-29~",
        ] {
            assert!(text.parse::<PartialDate>().is_err(), "{text} was accepted");
        }
    }

    #[test]
    fn a_decade_spans_its_ten_years() {
        let decade = date("1990s");
        assert_eq!(decade.precision(), Precision::Decade);
        assert_eq!(decade.earliest(), "1990-01-01");
        assert_eq!(decade.latest(), "1999-12-31");
        assert_eq!(decade.year_number(), 1990);
        assert_eq!(decade.edtf(), "199X");
    }

    #[test]
    fn a_qualified_year_spans_its_third_of_the_year() {
        let early = date("early 2020");
        assert_eq!(early.precision(), Precision::Year);
        assert_eq!(early.qualifier(), Some(Qualifier::Early));
        assert_eq!(
            (early.earliest(), early.latest()),
            ("2020-01-01".into(), "2020-04-30".into())
        );
        let mid = date("mid 2020");
        assert_eq!(
            (mid.earliest(), mid.latest()),
            ("2020-05-01".into(), "2020-08-31".into())
        );
        let late = date("late 2019");
        assert_eq!(
            (late.earliest(), late.latest()),
            ("2019-09-01".into(), "2019-12-31".into())
        );
        assert_eq!(early.edtf(), "2020-01/2020-04");
        assert_eq!(mid.edtf(), "2020-05/2020-08");
        assert_eq!(late.edtf(), "2019-09/2019-12");
    }

    #[test]
    fn a_qualified_decade_spans_its_part_of_the_decade() {
        let cases = [
            ("early 1990s", "1990-01-01", "1993-12-31", "1990/1993"),
            ("mid 1990s", "1994-01-01", "1996-12-31", "1994/1996"),
            ("late 1990s", "1997-01-01", "1999-12-31", "1997/1999"),
        ];
        for (text, earliest, latest, edtf) in cases {
            let d = date(text);
            assert_eq!(d.precision(), Precision::Decade, "{text}");
            assert_eq!(
                (
                    d.earliest().as_str(),
                    d.latest().as_str(),
                    d.edtf().as_str()
                ),
                (earliest, latest, edtf),
                "{text}"
            );
        }
    }

    #[test]
    fn an_approximate_date_widens_by_two_units_each_way() {
        let year = date("1995~");
        assert!(year.is_approximate());
        assert_eq!(year.precision(), Precision::Year);
        assert_eq!(
            (year.earliest(), year.latest()),
            ("1993-01-01".into(), "1997-12-31".into())
        );
        assert_eq!(year.edtf(), "1995~");
        let month = date("2020-01~");
        assert_eq!(
            (month.earliest(), month.latest()),
            ("2019-11-01".into(), "2020-03-31".into())
        );
        let day = date("2020-03-01~");
        assert_eq!(
            (day.earliest(), day.latest()),
            ("2020-02-28".into(), "2020-03-03".into())
        );
        assert_eq!(day.edtf(), "2020-03-01~");
    }

    #[test]
    fn plain_dates_render_the_same_in_edtf() {
        for text in ["2020", "2020-01", "2020-01-15"] {
            assert_eq!(date(text).edtf(), text);
        }
    }

    #[test]
    fn dates_sort_by_first_day_then_the_longer_span_first() {
        let mut dates: Vec<PartialDate> = [
            "2020-01-01",
            "2020-01",
            "early 2020",
            "2020",
            "1995~",
            "1990",
            "1990s",
            "late 2019",
            "2019-12-31",
        ]
        .into_iter()
        .map(date)
        .collect();
        dates.sort();
        let sorted: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(
            sorted,
            [
                "1990s",
                "1990",
                "1995~",
                "late 2019",
                "2019-12-31",
                "2020",
                "early 2020",
                "2020-01",
                "2020-01-01"
            ]
        );
    }

    #[test]
    fn the_sort_key_orders_as_the_dates_do() {
        let texts = [
            "1990s",
            "1990",
            "2020",
            "early 2020",
            "2020-01",
            "2020-01-01",
        ];
        let keys: Vec<String> = texts.iter().map(|t| date(t).sort_key()).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(date("2020").sort_key(), "2020-01-01/7979-87-68");
    }

    #[test]
    fn plain_dates_sort_as_their_iso_strings() {
        let texts = [
            "2019",
            "2019-12-31",
            "2020",
            "2020-01",
            "2020-01-15",
            "2020-02",
        ];
        let mut dates: Vec<PartialDate> = texts.into_iter().map(date).collect();
        dates.reverse();
        dates.sort();
        let sorted: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(sorted, texts);
    }

    #[test]
    fn a_month_ends_on_its_last_day() {
        assert_eq!(date("2024-02").latest(), "2024-02-29");
        assert_eq!(date("2023-02").latest(), "2023-02-28");
        assert_eq!(date("2023-04").latest(), "2023-04-30");
    }

    #[test]
    fn before_and_after_compare_whole_periods() {
        let year = date("2020");
        let june = date("2020-06");
        let next = date("2021-01-01");
        assert!(!june.is_after(&year) && !year.is_before(&june));
        assert!(next.is_after(&year) && year.is_before(&next));
        assert!(date("late 2019").is_before(&date("early 2020")));
        assert!(!date("1995~").is_after(&date("1994")));
    }
}
