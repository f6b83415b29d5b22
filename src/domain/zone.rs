//! The instance's time zone (`OBOLE_TIME_ZONE`): the calendar its months are counted in.
//! Instants stay UTC everywhere (database, ledger); only the question "which month, which
//! day" is asked in this zone.

use std::fmt;

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// An IANA time zone such as `Europe/Paris`. UTC by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(Tz);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an IANA time zone name such as Europe/Paris or UTC")]
pub struct ZoneParseError(String);

impl Default for Zone {
    fn default() -> Self {
        Zone::UTC
    }
}

impl Zone {
    pub const UTC: Zone = Zone(Tz::UTC);

    /// Parses an IANA name, exactly as the time zone database spells it.
    pub fn parse(name: &str) -> Result<Zone, ZoneParseError> {
        name.trim()
            .parse::<Tz>()
            .map(Zone)
            .map_err(|_| ZoneParseError(name.to_owned()))
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The local calendar day `instant` falls on.
    pub fn date_of(self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.0).date_naive()
    }

    /// `instant` as a local wall-clock reading with its offset (for messages to operators).
    pub fn local_text(self, instant: DateTime<Utc>) -> String {
        instant
            .with_timezone(&self.0)
            .format("%Y-%m-%d %H:%M:%S %:z")
            .to_string()
    }

    /// The first instant of local `day`: its midnight, or, where midnight is ambiguous (clocks
    /// set back over it), the earlier of the two; where midnight does not exist (clocks set
    /// forward over it, as some zones do), the first instant after the gap.
    pub fn start_of_day(self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_time(chrono::NaiveTime::MIN);
        match self.0.from_local_datetime(&midnight) {
            LocalResult::Single(at) => at.with_timezone(&Utc),
            LocalResult::Ambiguous(earliest, _) => earliest.with_timezone(&Utc),
            LocalResult::None => self.end_of_gap(midnight),
        }
    }

    /// The instant a forward transition skips over `local`: the first instant whose local
    /// reading is at or after `local`. chrono reports a gap without saying where it ends, so
    /// this searches the seconds between the readings under the offsets around it (a gap
    /// spans at most a day, so about 17 steps).
    fn end_of_gap(self, local: NaiveDateTime) -> DateTime<Utc> {
        let at = |second: i64| DateTime::<Utc>::from_timestamp(second, 0).unwrap_or_default();
        let reading = |second: i64| at(second).with_timezone(&self.0).naive_local();
        // Read as UTC, then shifted by a day either way: the transition lies between.
        let as_utc = Utc.from_utc_datetime(&local).timestamp();
        let day = TimeDelta::days(1).num_seconds();
        let (mut before, mut after) = (as_utc - day, as_utc + day);
        // Invariant: reading(before) < local <= reading(after); whole seconds, as transitions are.
        while after - before > 1 {
            let middle = before + (after - before) / 2;
            if reading(middle) < local {
                before = middle;
            } else {
                after = middle;
            }
        }
        at(after)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
