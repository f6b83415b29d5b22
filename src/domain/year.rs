//! Calendar years, the unit of yearly statements (`?year=YYYY`).

use std::fmt;

use super::Month;

/// The first year a statement can be asked for: Obole holds nothing older.
pub const FIRST_YEAR: i32 = 2000;

/// The last year a statement can be asked for: a year still to come lists no month, and a
/// fixed bound lets the API's document state exactly which years it takes.
pub const LAST_YEAR: i32 = 2099;

/// A year a statement may cover: four digits, from [`FIRST_YEAR`] to [`LAST_YEAR`] (a year
/// not begun yet lists no month). Always valid once constructed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Year {
    /// January, which exists for every year that parses (`Month::new` bounds the range).
    january: Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a year is written YYYY, from 2000 to 2099")]
pub struct YearParseError;

impl Year {
    /// Parses exactly four ASCII digits (no sign, no spaces: the caller trims) naming a year
    /// from [`FIRST_YEAR`] to [`LAST_YEAR`].
    pub fn parse(text: &str) -> Result<Year, YearParseError> {
        if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(YearParseError);
        }
        let year: i32 = text.parse().map_err(|_| YearParseError)?;
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(YearParseError);
        }
        Month::new(year, 1)
            .filter(|_| Month::new(year, 12).is_some())
            .map(|january| Year { january })
            .ok_or(YearParseError)
    }

    pub fn value(self) -> i32 {
        self.january.year()
    }

    /// January of the year.
    pub fn first_month(self) -> Month {
        self.january
    }

    /// December of the year.
    pub fn last_month(self) -> Month {
        (1..12).fold(self.january, |month, _| month.next())
    }

    /// The months of the year from `from` to `to` (both included, each clamped to the year),
    /// oldest first; empty when the range misses the year.
    pub fn months_between(self, from: Month, to: Month) -> Vec<Month> {
        let first = from.max(self.first_month());
        let last = to.min(self.last_month());
        let mut months = Vec::new();
        let mut month = first;
        while month <= last {
            months.push(month);
            month = month.next();
        }
        months
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> Month {
        Month::parse(text).expect("month")
    }

    #[test]
    fn a_year_is_four_digits_from_2000_to_2099() {
        assert_eq!(Year::parse("2026").map(Year::value), Ok(2026));
        assert_eq!(Year::parse("2027").map(Year::value), Ok(2027));
        assert_eq!(Year::parse("2000").map(Year::value), Ok(2000));
        assert_eq!(Year::parse("2099").map(Year::value), Ok(2099));
        assert_eq!(Year::parse("2100"), Err(YearParseError));
        for bad in [
            "",
            "26",
            "02026",
            "+2026",
            "-2026",
            "2026 ",
            "２０２６",
            "1999",
            "20x6",
            "9999",
        ] {
            assert_eq!(Year::parse(bad), Err(YearParseError), "{bad:?}");
        }
    }

    #[test]
    fn the_months_of_a_year_are_clamped_to_it() {
        let year = Year::parse("2026").expect("year");
        assert_eq!(
            year.months_between(month("2025-03"), month("2027-02"))
                .len(),
            12
        );
        let some = year.months_between(month("2026-10"), month("2026-12"));
        assert_eq!(
            some.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["2026-10", "2026-11", "2026-12"]
        );
        assert!(
            year.months_between(month("2027-01"), month("2027-05"))
                .is_empty()
        );
        assert!(
            year.months_between(month("2026-05"), month("2026-04"))
                .is_empty()
        );
        assert_eq!(year.to_string(), "2026");
    }
}
