//! Dates that remember how much of them is known.
//!
//! A source that says "in 2020" tells us the year and nothing more; storing it as
//! `2020-01-01` would invent a month and a day. A [`PartialDate`] keeps the precision the
//! text gives — a year, a month or a day — and is written in the matching ISO 8601 prefix
//! (`2020`, `2020-01`, `2020-01-15`). Those strings sort correctly against each other, so the
//! database can order them as text.

use std::{cmp::Ordering, fmt, str::FromStr};

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, async_graphql::Enum)]
pub enum Precision {
    /// Only the year is known, e.g. "in 2020".
    Year,
    /// The year and the month are known, e.g. "in January 2020".
    Month,
    /// The exact day is known, e.g. "March 26, 2025".
    Day,
}

/// A calendar date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
}

/// Why a string is not a [`PartialDate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD that exists in the calendar")]
pub struct InvalidDate(pub String);

impl PartialDate {
    /// A date known only to the year.
    pub fn year(year: i32) -> Self {
        Self {
            year,
            month: None,
            day: None,
        }
    }

    /// How much of the date is known.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (None, _) => Precision::Year,
            (Some(_), None) => Precision::Month,
            (Some(_), Some(_)) => Precision::Day,
        }
    }

    /// The year the date falls in.
    pub fn year_number(&self) -> i32 {
        self.year
    }

    /// The month the date falls in, when it is known.
    pub fn month_number(&self) -> Option<u8> {
        self.month
    }

    /// The first day the date can mean, as `YYYY-MM-DD`.
    pub fn earliest(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }

    /// The last day the date can mean, as `YYYY-MM-DD`.
    pub fn latest(&self) -> String {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        format!("{:04}-{month:02}-{day:02}", self.year)
    }

    /// Whether every day this date can mean comes after every day `other` can mean.
    pub fn is_after(&self, other: &PartialDate) -> bool {
        self.earliest() > other.latest()
    }

    /// Whether every day this date can mean comes before every day `other` can mean.
    pub fn is_before(&self, other: &PartialDate) -> bool {
        self.latest() < other.earliest()
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

impl FromStr for PartialDate {
    type Err = InvalidDate;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidDate(text.to_owned());
        let mut parts = text.split('-');
        let mut number = |digits: usize| -> Result<Option<u32>, InvalidDate> {
            match parts.next() {
                None => Ok(None),
                Some(part) if part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()) => {
                    part.parse().map(Some).map_err(|_| invalid())
                }
                Some(_) => Err(invalid()),
            }
        };
        let year = number(4)?.ok_or_else(invalid)?;
        let month = number(2)?;
        let day = number(2)?;
        if parts.next().is_some() {
            return Err(invalid());
        }
        let year = i32::try_from(year).map_err(|_| invalid())?;
        let month = match month {
            Some(m @ 1..=12) => Some(m as u8),
            Some(_) => return Err(invalid()),
            None => None,
        };
        let day = match (month, day) {
            (Some(m), Some(d)) if d >= 1 && d <= u32::from(days_in_month(year, m)) => Some(d as u8),
            (_, Some(_)) => return Err(invalid()),
            (_, None) => None,
        };
        Ok(Self { year, month, day })
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

/// Dates order by their first possible day; a coarser date comes before a finer one that
/// starts on the same day ("2020" before "2020-01" before "2020-01-01"), which is also how
/// their ISO strings sort.
impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.to_string().cmp(&other.to_string())
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

    #[test]
    fn each_precision_round_trips_through_its_iso_form() {
        for text in ["2020", "2020-01", "2020-02-29", "1999-12-31"] {
            assert_eq!(text.parse::<PartialDate>().unwrap().to_string(), text);
        }
    }

    #[test]
    fn a_year_is_not_its_first_day() {
        let year: PartialDate = "2020".parse().unwrap();
        let day: PartialDate = "2020-01-01".parse().unwrap();
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
    fn a_month_ends_on_its_last_day() {
        assert_eq!(
            "2024-02".parse::<PartialDate>().unwrap().latest(),
            "2024-02-29"
        );
        assert_eq!(
            "2023-02".parse::<PartialDate>().unwrap().latest(),
            "2023-02-28"
        );
        assert_eq!(
            "2023-04".parse::<PartialDate>().unwrap().latest(),
            "2023-04-30"
        );
    }

    #[test]
    fn before_and_after_compare_whole_periods() {
        let year: PartialDate = "2020".parse().unwrap();
        let june: PartialDate = "2020-06".parse().unwrap();
        let next: PartialDate = "2021-01-01".parse().unwrap();
        assert!(!june.is_after(&year) && !year.is_before(&june));
        assert!(next.is_after(&year) && year.is_before(&next));
    }
}
