//! Calendar dates: ISO 8601 `YYYY-MM-DD`, validated (month lengths, leap years), ordered, and
//! counted in days so a schedule can step through them. Serialised as the string itself.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{OptionsError, OptionsErrorKind};

/// A proleptic Gregorian calendar date between 0001-01-01 and 9999-12-31.
///
/// ```
/// use rubric_core::Date;
///
/// let date: Date = "2024-02-28".parse().unwrap();
/// assert_eq!(date.add_days(1).to_string(), "2024-02-29");
/// assert!("2023-02-29".parse::<Date>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date from its parts, or an `invalid_value` error saying which part is wrong. The error's
    /// path is empty: the caller knows which option or field the date is (see
    /// [`Located::within`]).
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, OptionsError> {
        let invalid = |message: String| Err(OptionsError::new(OptionsErrorKind::InvalidValue, "", message));
        if !(1..=9999).contains(&year) {
            return invalid(format!("year {year} is outside 0001..9999"));
        }
        if !(1..=12).contains(&month) {
            return invalid(format!("month {month} is outside 01..12"));
        }
        let last = days_in_month(year, month);
        if day == 0 || day > last {
            return invalid(format!("day {day} is outside 01..{last} for {year:04}-{month:02}"));
        }
        Ok(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (exactly ten characters).
    pub fn parse(text: &str) -> Result<Date, OptionsError> {
        let invalid = || {
            let message = format!("invalid date \"{text}\": expected an ISO 8601 calendar date, YYYY-MM-DD");
            OptionsError::new(OptionsErrorKind::InvalidValue, "", message)
        };
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(invalid());
        }
        let number = |range: std::ops::Range<usize>| -> Option<u16> {
            let part = &text[range];
            part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok()).flatten()
        };
        let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
            return Err(invalid());
        };
        Date::new(year, month as u8, day as u8).map_err(|mut error| {
            error.message = format!("invalid date \"{text}\": {}", error.message);
            error
        })
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// The date `days` after 1970-01-01, if it lies in 0001..9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z - era * 146_097;
        let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        let year = u16::try_from(year).ok()?;
        Date::new(year, month as u8, day as u8).ok()
    }

    /// This date moved by `days` (clamped to the supported range).
    #[must_use]
    pub fn add_days(self, days: i64) -> Date {
        let target = self.days_since_epoch().saturating_add(days);
        Date::from_days_since_epoch(target).unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
    }

    /// Whole days from `self` to `other` (negative if `other` is earlier).
    pub fn days_until(self, other: Date) -> i64 {
        other.days_since_epoch() - self.days_since_epoch()
    }

    pub const MIN: Date = Date { year: 1, month: 1, day: 1 };
    pub const MAX: Date = Date { year: 9999, month: 12, day: 31 };
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = OptionsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl TryFrom<String> for Date {
    type Error = OptionsError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Date::parse(&value)
    }
}

impl From<Date> for String {
    fn from(date: Date) -> String {
        date.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_dates_and_rejects_the_rest() {
        let table: &[(&str, Option<&str>)] = &[
            ("2024-01-31", Some("2024-01-31")),
            ("2024-02-29", Some("2024-02-29")),
            ("2000-02-29", Some("2000-02-29")),
            ("0001-01-01", Some("0001-01-01")),
            ("9999-12-31", Some("9999-12-31")),
            ("2023-02-29", None),
            ("1900-02-29", None),
            ("2024-04-31", None),
            ("2024-13-01", None),
            ("2024-00-10", None),
            ("2024-01-00", None),
            ("0000-01-01", None),
            ("2024-1-01", None),
            ("2024/01/01", None),
            ("2024-01-01T10:00", None),
            ("+024-01-01", None),
            ("", None),
            ("２０２４-01-01", None),
        ];
        for (input, expected) in table {
            let parsed = Date::parse(input).map(|d| d.to_string()).ok();
            assert_eq!(parsed.as_deref(), *expected, "input {input:?}");
        }
        let error = Date::parse("2023-02-29").unwrap_err();
        assert_eq!(error.kind, crate::error::OptionsErrorKind::InvalidValue);
        assert!(error.message.contains("day 29 is outside 01..28"), "{}", error.message);
    }

    #[test]
    fn counts_days_both_ways() {
        let epoch = Date::parse("1970-01-01").unwrap();
        assert_eq!(epoch.days_since_epoch(), 0);
        assert_eq!(Date::parse("2000-03-01").unwrap().days_since_epoch(), 11_017);
        for days in [-719_162_i64, -1, 0, 1, 59, 365, 11_016, 19_782, 2_932_896] {
            let date = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(date.days_since_epoch(), days, "{date}");
        }
        assert_eq!(Date::from_days_since_epoch(-719_163), None);
        let start = Date::parse("2024-02-27").unwrap();
        assert_eq!(start.add_days(3).to_string(), "2024-03-01");
        assert_eq!(start.days_until(Date::parse("2025-02-27").unwrap()), 366);
        assert_eq!(Date::MAX.add_days(10), Date::MAX);
    }

    #[test]
    fn serialises_as_a_string_and_validates_when_read() {
        let date = Date::parse("2024-05-06").unwrap();
        assert_eq!(serde_json::to_string(&date).unwrap(), "\"2024-05-06\"");
        assert_eq!(serde_json::from_str::<Date>("\"2024-05-06\"").unwrap(), date);
        let error = serde_json::from_str::<Date>("\"2024-05-32\"").unwrap_err().to_string();
        assert!(error.contains("day 32 is outside 01..31"), "{error}");
    }
}
