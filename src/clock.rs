//! The one source of "now" and of "this month". Every use of the current time goes through a
//! [`Clock`], so that `OBOLE_CLOCK` can fix it for demos and tests (a month can be closed
//! without waiting for it), and the clock knows the instance's time zone (`OBOLE_TIME_ZONE`),
//! so that "the current month" is the local one wherever it is asked.

use chrono::{DateTime, Utc};

use crate::config::Settings;
use crate::domain::{Month, Zone};

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    source: Source,
    zone: Zone,
}

#[derive(Debug, Clone, Copy)]
enum Source {
    /// The machine's clock.
    System,
    /// A frozen instant (`OBOLE_CLOCK`), for demos and tests only.
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// The machine's clock, with months counted in `zone`.
    pub fn system(zone: Zone) -> Clock {
        Clock {
            source: Source::System,
            zone,
        }
    }

    /// A clock frozen at `instant`, with months counted in `zone`.
    pub fn fixed(instant: DateTime<Utc>, zone: Zone) -> Clock {
        Clock {
            source: Source::Fixed(instant),
            zone,
        }
    }

    /// The clock the settings describe: `OBOLE_CLOCK` if set, and `OBOLE_TIME_ZONE`.
    pub fn from_settings(settings: &Settings) -> Clock {
        match settings.clock {
            Some(instant) => Clock::fixed(instant, settings.time_zone),
            None => Clock::system(settings.time_zone),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self.source {
            Source::System => Utc::now(),
            Source::Fixed(instant) => instant,
        }
    }

    /// The instance's time zone, in which months begin and end.
    pub fn zone(&self) -> Zone {
        self.zone
    }

    /// The month "now" is in, on the instance's calendar.
    pub fn month(&self) -> Month {
        Month::containing(self.now(), self.zone)
    }
}

/// The machine's time even under `OBOLE_CLOCK`: for scheduling work (when to retry a mail),
/// which must go on while the business clock is frozen.
pub fn wall_time() -> DateTime<Utc> {
    Utc::now()
}
