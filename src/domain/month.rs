//! Calendar months, the unit of clicks, budgets and settlement.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::Zone;

/// A calendar month such as 2026-11. Always valid once constructed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    month: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a month is written YYYY-MM, for example 2026-11")]
pub struct MonthParseError;

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1970..=9999).contains(&year))
            .then_some(Month { year, month })
    }

    /// Parses the contract's `YYYY-MM` form, and nothing looser.
    pub fn parse(text: &str) -> Result<Month, MonthParseError> {
        let bytes = text.as_bytes();
        let shape_ok = bytes.len() == 7
            && bytes[4] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || b.is_ascii_digit());
        if !shape_ok {
            return Err(MonthParseError);
        }
        let year = text[..4].parse().map_err(|_| MonthParseError)?;
        let month = text[5..].parse().map_err(|_| MonthParseError)?;
        Month::new(year, month).ok_or(MonthParseError)
    }

    /// The month that contains `instant` on the calendar of `zone` (the instance's time zone,
    /// `OBOLE_TIME_ZONE`): 2026-10-31T23:30Z is in November in Paris, in October in UTC.
    pub fn containing(instant: DateTime<Utc>, zone: Zone) -> Month {
        let day = zone.date_of(instant);
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The first instant of the month in `zone`: local midnight of the 1st (the earliest
    /// valid instant where that midnight is skipped or repeated). The month is
    /// `[start, end)`; both are UTC instants, as the database stores them.
    pub fn start(self, zone: Zone) -> DateTime<Utc> {
        let first = NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default();
        zone.start_of_day(first)
    }

    /// The first instant after the month in `zone`, where the next month starts.
    pub fn end(self, zone: Zone) -> DateTime<Utc> {
        self.next().start(zone)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_the_contract_form() {
        assert_eq!(
            Month::parse("2026-11").map(|m| m.to_string()),
            Ok("2026-11".into())
        );
        for bad in [
            "2026-13",
            "2026-00",
            "2026-1",
            "26-11",
            "2026/11",
            "2026-11-01",
            "",
            "+026-11",
        ] {
            assert_eq!(Month::parse(bad), Err(MonthParseError), "{bad}");
        }
    }

    #[test]
    fn walks_across_years() {
        let december = Month::parse("2025-12").expect("valid");
        assert_eq!(december.next().to_string(), "2026-01");
        assert_eq!(december.next().previous(), december);
        assert_eq!(
            december.start(Zone::UTC).to_rfc3339(),
            "2025-12-01T00:00:00+00:00"
        );
    }

    #[test]
    fn an_instant_belongs_to_its_calendar_month() {
        let instant = DateTime::parse_from_rfc3339("2026-11-30T23:59:59Z").expect("valid");
        let month = Month::containing(instant.with_timezone(&Utc), Zone::UTC);
        assert_eq!(month.to_string(), "2026-11");
        assert!(month.end(Zone::UTC) > instant);
    }
}

#[cfg(test)]
#[path = "month_zone_tests.rs"]
mod month_zone_tests;
